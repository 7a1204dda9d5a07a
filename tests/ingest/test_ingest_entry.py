"""Entry-dashboard submissions land as ODK Central exports and ingest like any export."""
from __future__ import annotations

import json
import stat
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from ingest_data import answers, form

from toolkit import config
from toolkit.ingest.entry_export import entry_exports, write_entry_submission
from toolkit.ingest.model import GEO_PARTS, value_questions
from toolkit.ingest.pipeline import run_ingest, write_outputs
from toolkit.ingest.writers import text_cells
from toolkit.widgets import entry_logic as E


def _entry_state(seed: int = 3) -> E.EntryState:
    """A generated, valid household visit as the entry form holds it (text answers)."""
    f = form()
    subs = answers(1, seed, visit_result="met", consent="yes")
    m = subs.main
    vals: dict[str, str] = {}
    for q in value_questions(f, ""):
        if q.type == "geopoint":
            vals[q.name] = " ".join(text_cells(m[f"{q.name}_{p}"]).iat[0] for p in GEO_PARTS).strip()
        else:
            vals[q.name] = text_cells(m[q.name], q.type).iat[0]
    reps = {}
    for g in f.repeats:
        r = subs.repeats[g.name].reset_index(drop=True)
        cols = {q.name: text_cells(r[q.name], q.type) for q in value_questions(f, g.name)}
        reps[g.name] = tuple({k: v.iat[i] for k, v in cols.items()} for i in range(len(r)))
    return E.EntryState(vals, reps, "draft1")


def test_entry_submission_is_accepted_by_ingest_with_its_repeats(tmp_path: Path) -> None:
    f = form()
    config.init(tmp_path)                     # the store records the key (round "entry")
    state = _entry_state()
    assert E.assess(f, state).ok, E.assess(f, state).errors
    assert len(state.repeats["member"]) >= 1
    E.save_draft(tmp_path, state)
    res = E.submit(tmp_path, f, state, lang="en", who="AB1")
    assert res.key.startswith("uuid:") and not res.errors and not E.list_drafts(tmp_path)
    saved = E.submissions_dir(tmp_path)
    assert [p.name for p in saved.iterdir() if p.is_file()] == [f"{res.key[5:]}.zip"]
    assert stat.S_IMODE(res.path.stat().st_mode) == 0o600

    paths = E.entry_exports(tmp_path, f)
    assert len(paths) == 1 and stat.S_IMODE(paths[0].stat().st_mode) == 0o600
    with zipfile.ZipFile(paths[0]) as zf:
        assert sorted(zf.namelist()) == sorted([f"{f.form_id}.csv"] + [f"{f.form_id}-{g.name}.csv"
                                                                       for g in f.repeats])
    result = run_ingest(paths, f, lang="en")
    assert (result.read, result.accepted, result.quarantined) == (1, 1, 0), result.issues
    write_outputs(result, tmp_path / "ingest")
    main = pd.read_parquet(tmp_path / "ingest" / "submissions.parquet")
    row = main.iloc[0]
    assert row["KEY"] == res.key and row["_status"] == "accepted"
    assert row["enumerator"] == "AB1" and row["device_id"] == state.get("deviceid")
    assert row["source_platform"] == "odk" and pd.notna(row["submitted_at"])
    assert row["archive_id"] == state.get("archive_id")
    assert row["inc_wage"] == float(state.get("inc_wage")) and len(result.quality)
    for g in f.repeats:
        rep = pd.read_parquet(tmp_path / "ingest" / f"repeat_{g.name}.parquet")
        assert len(rep) == len(state.repeats[g.name])
        assert (rep["PARENT_KEY"] == res.key).all()
        assert rep["KEY"].tolist() == [f"{res.key}/{g.name}[{i}]" for i in range(1, len(rep) + 1)]
    ages = pd.read_parquet(tmp_path / "ingest" / "repeat_member.parquet")["m_age"].tolist()
    assert ages == [float(r["m_age"]) for r in state.repeats["member"]]
    # the same reader serves the dashboard's own view
    assert E.submissions_frame(tmp_path, f)["submissions"]["KEY"].tolist() == [res.key]


def test_entry_submissions_go_through_the_same_checks(tmp_path: Path) -> None:
    f = form()
    good = _entry_state(4)
    bad = E.set_answer(E.set_answer(_entry_state(5), "hh_size_check", "different"), "hh_size_actual", "50")
    when = datetime(2026, 5, 2, 1, 30, tzinfo=UTC)
    d = tmp_path / "subs"
    p1 = write_entry_submission(good.answers, good.repeats, f, d, submitted_at=when, submitter="AB1")
    p2 = write_entry_submission(bad.answers, bad.repeats, f, d, submitted_at=when, submitter="CD2")
    assert p1 != p2 and not [p for p in d.iterdir() if p.name.startswith(".")]   # no temporary file left
    result = run_ingest(entry_exports(d), f, lang="en")
    assert (result.read, result.accepted, result.quarantined) == (2, 1, 1)
    st = result.submissions.main.set_index("enumerator")["_status"]
    assert st["CD2"] == "quarantined" and st["AB1"] == "accepted"
    assert "hh_size_actual" in set(result.issues["field"])
    assert result.submissions.main["submitted_at"].dt.strftime("%Y-%m-%d %H:%M").tolist() == ["2026-05-02 01:30"] * 2


def test_json_submissions_of_older_versions_are_not_left_behind(tmp_path: Path) -> None:
    f = form()
    s = _entry_state(6)
    d = tmp_path / "subs"
    d.mkdir()
    key = "uuid:0f0e0d0c-0b0a-4908-8706-050403020100"
    (d / f"{key[5:]}.json").write_text(json.dumps({
        "draft_id": "x", "answers": dict(s.answers), "repeats": {k: [dict(r) for r in v] for k, v in s.repeats.items()},
        "KEY": key, "form_id": f.form_id, "form_version": f.version, "submitted_at": "2026-05-03T09:00:00+08:00",
        "who": "EF3"}, ensure_ascii=False), encoding="utf-8")
    write_entry_submission(s.answers, s.repeats, f, d, submitter="AB1")
    # without its form a JSON submission cannot be laid out in the export: it waits, it is not dropped
    assert len(entry_exports(d)) == 1
    result = run_ingest(entry_exports(d, [f]), f)
    assert result.read == 2 and key in set(result.submissions.main["KEY"])
    assert entry_exports(tmp_path / "nothing") == []
