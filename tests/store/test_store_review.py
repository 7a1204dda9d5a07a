"""The evaluator's review in the store (migration 0002), on SQLite and
PostgreSQL: decisions on findings (kept as overrides, latest counts),
submission statuses (only ever added, audited), the platform's review state on
submission keys, and a 0001 database upgraded with its data kept."""
from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command

from toolkit.errors import UserError
from toolkit.store import migrate, open_store


def _findings(store, rid: int) -> None:  # noqa: ANN001
    store.save_findings(pd.DataFrame({"archive_id": ["A1", "A2"], "finding_type": ["wrong_exit", "missed"],
                                      "verdict": ["flagged", "flagged"]}), rid)


def test_decisions_latest_counts_and_are_audited(store) -> None:  # noqa: ANN001
    rid = store.ensure_round("r1")
    _findings(store, rid)
    store.decide("A1", "wrong_exit", "overturned", "王评估", "pension on file", round_id=rid)
    store.decide("A1", "wrong_exit", "Confirmed", "李评估", "second look", round_id=rid)
    store.override("A2", "missed", "rejected", "王评估", "walkthrough word", round_id=rid)   # the walkthrough's word
    d = store.decisions(rid).set_index(["archive_id", "finding_type"])
    assert d.loc[("A1", "wrong_exit"), "decision"] == "confirmed"
    assert d.loc[("A1", "wrong_exit"), "who"] == "李评估"
    assert d.loc[("A2", "missed"), "decision"] == "overturned"
    a = store.audit(table="findings")
    assert a["value_after"].tolist() == ["overturned", "confirmed", "rejected"]
    assert a["value_before"].tolist() == ["flagged", "overturned", "flagged"]
    with pytest.raises(UserError) as e:
        store.decide("A1", "wrong_exit", "perhaps", "王评估", "x", round_id=rid)
    assert e.value.key == "review.bad_decision"
    with pytest.raises(UserError):
        store.decide("A1", "wrong_exit", "overturned", "", "no who", round_id=rid)


def test_submission_statuses(store) -> None:  # noqa: ANN001
    rid = store.ensure_round("r1")
    store.set_submission_status("uuid:1", "sent_back", "王评估", "ask about the pension", round_id=rid,
                                archive_id="A1")
    store.set_submission_status("uuid:1", "rejected", "王评估", "not visited in person", round_id=rid)
    store.set_submission_status("uuid:2", "approved", "李评估", "fine", round_id=rid)
    s = store.submission_reviews(rid).set_index("key")
    assert s.loc["uuid:1", "status"] == "rejected" and s.loc["uuid:2", "status"] == "approved"
    every = store.submission_reviews(rid, latest=False)
    assert every["status"].tolist() == ["sent_back", "rejected", "approved"]
    assert every["comment"].iloc[0] == "ask about the pension"      # sent back: the why is the comment
    a = store.audit(table="submission_reviews")
    assert a["value_before"].fillna("").tolist() == ["", "sent_back", ""]
    with pytest.raises(UserError) as e:
        store.set_submission_status("uuid:3", "lost", "王评估", "x", round_id=rid)
    assert e.value.key == "review.bad_status"
    with pytest.raises(sa.exc.DBAPIError):
        with store.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM audit_log WHERE table_name = 'submission_reviews'"))


def test_review_state_on_submission_keys(store) -> None:  # noqa: ANN001
    rid = store.ensure_round("r1")
    keys = pd.DataFrame({"key": ["uuid:1", "uuid:2"], "form_id": "household_visit",
                         "status": ["accepted", "quarantined"], "review_state": ["has_issues", "rejected"],
                         "reason": ["", "platform review state: rejected"]})
    store.save_submission_keys(keys, rid)
    got = store.submission_keys(rid).set_index("key")
    assert got.loc["uuid:1", "review_state"] == "has_issues"
    assert got.loc["uuid:2", "review_state"] == "rejected"


def test_a_0001_store_is_upgraded_with_its_overrides(store_url: str) -> None:
    with open_store(store_url) as store:
        rid = store.ensure_round("r")
        _findings(store, rid)
        store.override("A1", "wrong_exit", "overruled", "王评估", "before 0002", round_id=rid)
        cfg = migrate._config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001_first")
        with store.engine.connect() as conn:
            assert migrate.current(conn) == ("0001_first",)
            assert "submission_reviews" not in sa.inspect(conn).get_table_names()
    with open_store(store_url) as store:
        assert store.schema_version == migrate.head()
        assert store.decisions()["decision"].tolist() == ["overturned"]
        store.set_submission_status("uuid:1", "approved", "王评估", "ok", round_id=rid)
