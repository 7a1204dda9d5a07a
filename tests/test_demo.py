"""`fieldeval demo` runs the whole chain, can be run again in its own
directory, and refuses to write into someone else's."""
from pathlib import Path

import pandas as pd

from toolkit.cli import main


def test_demo_runs_twice_and_refuses_a_foreign_directory(tmp_path: Path, capsys) -> None:
    d = tmp_path / "demo"
    assert main(["demo", str(d), "--households", "900", "--seed", "5", "--lang", "en", "--no-follow-up"]) == 0
    first = pd.read_csv(d / "output" / "verify" / "scorecard.csv")
    # the demo's review decisions moved figures: after review, beside the figures as found
    assert first["households changed by review"].sum() > 0
    assert "estimate as found" in first.columns
    assert (d / "output" / "report").is_dir() and (d / "fieldeval.db").exists()
    # issue 18 as one chain: the interviewer the synthetic city made fabricate is the one the
    # back-check comparison singles out, and the one ingest's answer-pattern signals flag
    truth = pd.read_csv(d / "truth_interviewers.csv", dtype=str)
    fabricator = set(truth.loc[truth["role"] == "fabricator", "enumerator"])
    assert len(fabricator) == 1
    bc = pd.read_parquet(d / "output" / "field" / "backchecks.parquet")
    assert set(bc.loc[bc["flagged"], "enumerator"].astype(str)) == fabricator
    signals = pd.read_parquet(d / "output" / "ingest" / "interviewer_summary.parquet")
    assert set(signals.loc[signals["flagged_signals"] > 0, "enumerator"].astype(str)) == fabricator
    # no file a person may open holds a cell a spreadsheet would run
    from test_tables_formula import live_cells

    assert live_cells(d) == []
    # the stored results are the evaluator's alone
    assert all(p.stat().st_mode & 0o077 == 0 for p in (d / "output" / "verify").iterdir())
    assert main(["demo", str(d), "--households", "900", "--seed", "5", "--lang", "en", "--no-follow-up"]) == 0
    pd.testing.assert_frame_equal(first, pd.read_csv(d / "output" / "verify" / "scorecard.csv"))
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me", encoding="utf-8")
    capsys.readouterr()
    assert main(["demo", str(other), "--lang", "en"]) == 2
    assert "not a demo project" in capsys.readouterr().err
    assert (other / "notes.txt").read_text(encoding="utf-8") == "keep me"
