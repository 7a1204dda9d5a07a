"""One decision click in one transaction (issue 21): ``Store.decide_household``
saves the household's findings exactly as ``save_findings`` would and records
the decision, on SQLite and PostgreSQL; the review queue's latest-only reads."""
from __future__ import annotations

import pandas as pd
import pytest

from toolkit.errors import UserError

ROWS = [{"archive_id": " H1 ", "finding_type": "wrong_exit", "verdict": "flagged", "rule": "收入核查"},
        {"archive_id": "H1", "finding_type": "missed", "verdict": "clear", "rule": "收入核查"}]


def test_click_saves_findings_and_decides_in_one_go(store) -> None:  # noqa: ANN001
    o = store.decide_household("r1", "H1", "wrong_exit", "Overturned", "王评估", "走访照片", findings=ROWS)
    rid = store.round_id("r1")
    assert (o.round_id, o.before, o.after) == (rid, "flagged", "overturned")
    f = store.findings(rid).set_index("finding_type")
    assert f.loc["wrong_exit", "archive_id"] == "H1" and f.loc["wrong_exit", "final_verdict"] == "overturned"
    assert f.loc["missed", "verdict"] == "clear" and f.loc["missed", "item"] == ""
    # the same rows through the frame path change nothing: one cleaning, both ways
    again = store.save_findings(pd.DataFrame(ROWS), rid)
    assert (again.inserted, again.unchanged, again.updated) == (0, 2, 0)
    # a second click with a changed finding corrects it, audited, and the latest decision counts
    changed = [dict(ROWS[0], verdict="clear"), ROWS[1]]
    store.decide_household("r1", "H1", "wrong_exit", "confirmed", "李评估", "复核", findings=changed)
    a = store.audit(table="findings")
    assert a["field"].tolist() == ["verdict", "verdict", "verdict"]
    assert a["value_after"].tolist() == ["overturned", "clear", "confirmed"]
    assert a["record_key"].tolist()[1] == f"{rid}/H1/wrong_exit/"
    d = store.decisions(rid)
    assert d[["archive_id", "finding_type", "decision", "who"]].values.tolist() == [
        ["H1", "wrong_exit", "confirmed", "李评估"]]


def test_click_masks_and_withholds_like_save_findings(store) -> None:  # noqa: ANN001
    rows = [{"archive_id": "H2", "finding_type": "archive_mismatch", "item": "phone",
             "value_archive": "13800138000", "value_visit": "x", "evidence": {"n": "13800138000"}},
            {"archive_id": "H2", "finding_type": "archive_mismatch", "item": "income",
             "value_archive": "call 13800138000", "value_visit": None}]
    store.decide_household("r1", "H2", "archive_mismatch", "unclear", "王评估", "x", findings=rows)
    rid = store.round_id("r1")
    f = store.findings(rid).set_index("item")
    assert f.loc["phone", "value_archive"] == "[withheld]" and f.loc["phone", "evidence"] == "[withheld]"
    assert f.loc["income", "value_archive"] == "call [masked]"
    assert store.save_findings(pd.DataFrame(rows), rid).updated == 0


def test_click_refuses_bad_input_and_writes_nothing(store) -> None:  # noqa: ANN001
    with pytest.raises(UserError) as e:
        store.decide_household("r1", "H1", "wrong_exit", "perhaps", "王评估", "x", findings=ROWS)
    assert e.value.key == "review.bad_decision"
    with pytest.raises(UserError) as e:
        store.decide_household("r1", "H1", "wrong_exit", "confirmed", "王评估", "x", findings=ROWS + ROWS[:1])
    assert e.value.key == "store.duplicate_rows"
    with pytest.raises(UserError) as e:   # no such finding: the whole click is rolled back
        store.decide_household("r1", "H1", "not_found", "confirmed", "王评估", "x", findings=ROWS)
    assert e.value.key == "store.no_finding"
    assert store.round_id("r1") is None and store.audit().empty


def test_latest_reads_skip_older_records(store) -> None:  # noqa: ANN001
    rid = store.ensure_round("r1")
    store.save_findings(pd.DataFrame(ROWS), rid)
    store.decide("H1", "wrong_exit", "confirmed", "王评估", "x", round_id=rid)
    store.override("H1", "missed", "flagged", "王评估", "not a decision word", round_id=rid)
    store.decide("H1", "missed", "unclear", "王评估", "x", round_id=rid)
    store.override("H1", "wrong_exit", "flagged", "王评估", "latest is no decision", round_id=rid)
    assert store.decisions(rid)[["finding_type", "decision"]].values.tolist() == [["missed", "unclear"]]
    for k, st in (("k1", "to_review"), ("k2", "approved"), ("k1", "sent_back")):
        store.set_submission_status(k, st, "王评估", "复核", round_id=rid)
    s = store.submission_reviews(rid)
    assert s[["key", "status"]].values.tolist() == [["k2", "approved"], ["k1", "sent_back"]]
    assert len(store.submission_reviews(rid, latest=False)) == 3
