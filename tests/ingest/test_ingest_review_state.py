"""Platform review states at ingest (issue 17): ODK Central ``ReviewState``
and Kobo ``_validation_status``, spelled as the platforms spell them, become
``_review_state``; rejected / not approved submissions are excluded with the
state as the reason (read = accepted + quarantined + excluded); has issues /
on hold are accepted and held for review."""
from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import ingest_data as D
from toolkit.ingest import review_state as RS
from toolkit.ingest.pipeline import run_ingest, write_outputs
from toolkit.ingest.writers import write_kobo_xlsx, write_odk_csv

ODK_STATES = ["", "hasIssues", "edited", "approved", "rejected", "received"]
KOBO_STATES = [None, "validation_status_approved", "Not Approved", "On Hold",
               '{"timestamp": 1700000000, "uid": "validation_status_not_approved", "by_whom": "x", '
               '"label": "Not Approved"}', "validation_status_on_hold"]


def test_normalise_spellings() -> None:
    got = RS.normalise(pd.Series(ODK_STATES + KOBO_STATES + ["something else"], dtype=object))
    assert got.tolist() == ["received", "has_issues", "edited", "approved", "rejected", "received",
                            "received", "approved", "rejected", "on_hold", "rejected", "on_hold", "unknown"]


def _odk(tmp_path: Path, states: list[str]) -> Path:
    subs = D.answers(len(states) * 2, seed=11)
    p = write_odk_csv(subs, D.form(), tmp_path / "household_visit.csv")
    t = pd.read_csv(p, dtype=str, keep_default_na=False)
    t["ReviewState"] = (states * 2)[: len(t)]
    t.to_csv(p, index=False)
    return p


def _kobo(tmp_path: Path, states: list[str | None]) -> Path:
    subs = D.answers(len(states) * 2, seed=12)
    p = write_kobo_xlsx(subs, D.form(), tmp_path / "kobo.xlsx")
    wb = openpyxl.load_workbook(p)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    col = head.index("_validation_status") + 1
    for i, s in enumerate((states * 2)[: ws.max_row - 1], start=2):
        ws.cell(row=i, column=col, value=s)
    wb.save(p)
    return p


@pytest.mark.parametrize("kind", ["odk", "kobo"])
def test_states_at_ingest(tmp_path: Path, kind: str) -> None:
    path = _odk(tmp_path, ODK_STATES) if kind == "odk" else _kobo(tmp_path, KOBO_STATES)
    res = run_ingest([path], D.form(), lang="en")
    main = res.submissions.main
    assert RS.COLUMN in main and RS.RAW not in main
    states = main[RS.COLUMN]
    rejected = states.eq("rejected")
    assert int(rejected.sum()) == 2 if kind == "odk" else int(rejected.sum()) == 4
    # rejected never reach verification; counted apart
    assert (main.loc[rejected, "_status"] == "excluded").all()
    assert res.extra["excluded_by_review"] == int(rejected.sum())
    assert res.read == res.accepted + res.quarantined + res.extra["excluded_by_review"]
    # held for review: accepted (unless another rule quarantined them), with a warning
    held = states.isin(["has_issues", "on_hold"])
    assert held.sum() >= 2
    assert not (main.loc[held, "_status"] == "excluded").any()
    iss = res.issues
    rej_iss = iss[iss["rule"] == "review_rejected"]
    assert sorted(rej_iss["key"]) == sorted(main.loc[rejected, "KEY"].astype(str))
    assert rej_iss["message"].str.contains("rejected").all()
    assert set(iss.loc[iss["rule"] == "review_held", "key"]) == set(main.loc[held, "KEY"].astype(str))
    # the written stage says the same
    out = tmp_path / "out"
    write_outputs(res, out, "en")
    meta = json.loads((out / "ingest.json").read_text())
    assert meta["read"] == meta["accepted"] + meta["quarantined"] + meta["excluded_by_review"]
    back = pd.read_parquet(out / "submissions.parquet")
    assert back[RS.COLUMN].tolist() == states.tolist()


def test_no_platform_column_means_received(tmp_path: Path) -> None:
    subs = D.answers(6, seed=3)
    p = write_odk_csv(subs, D.form(), tmp_path / "household_visit.csv")
    t = pd.read_csv(p, dtype=str, keep_default_na=False).drop(columns=["ReviewState"])
    t.to_csv(p, index=False)
    res = run_ingest([p], D.form(), lang="zh")
    assert set(res.submissions.main[RS.COLUMN]) == {"received"}
    assert res.extra["excluded_by_review"] == 0
    assert res.read == res.accepted + res.quarantined


def test_ingest_prints_the_excluded(tmp_path: Path, capsys) -> None:
    from toolkit.commands.ingest import print_result

    res = run_ingest([_odk(tmp_path, ODK_STATES)], D.form(), lang="en")
    capsys.readouterr()
    print_result(res, tmp_path, "en", D.form())
    said = capsys.readouterr().out
    assert "Excluded because the platform rejected them: 2" in said
    assert "has issues" in " ".join(res.issues.loc[res.issues["rule"] == "review_held", "message"])
