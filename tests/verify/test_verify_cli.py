"""``fieldeval verify`` on a small project: files written, scorecard printed."""
import pandas as pd

from toolkit.cli import main
from toolkit.synthetic import make_city, write_city
from toolkit.synthetic_visits import simulate_visits, write_parquet_layout, write_visits


def test_verify_command_writes_findings_and_scorecard(tmp_path, capsys):
    city = make_city(600, 3)
    write_city(city, tmp_path)
    sdir = tmp_path / "output" / "sample"
    code = main(["sample", "draw", str(tmp_path / "roster.xlsx"), "--project", str(tmp_path),
                 "--strata", "county", "--n", "180", "--reserves", "5", "--seed", "3",
                 "--seed-source", "test", "--out", str(sdir), "--lang", "en"])
    assert code == 0
    from toolkit.sampling.sample_files import read_sample_table

    read = lambda n: read_sample_table(sdir / n)  # noqa: E731 - the files are in words; read back as codes
    v = simulate_visits(city, read("sample.csv"), read("reserves.csv"), seed=3)
    write_visits(v, tmp_path / "output" / "visits")
    write_parquet_layout(v, tmp_path / "output" / "ingest")
    capsys.readouterr()
    assert main(["verify", "--project", str(tmp_path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Wrong-inclusion rate" in out and "Overall precision rate" in out and "response rate" in out
    vdir = tmp_path / "output" / "verify"
    for name in ("findings.parquet", "households.parquet", "payments.parquet", "comparison.parquet",
                 "scorecard.csv", "scorecard.xlsx", "comparison_by_field.csv"):
        assert (vdir / name).exists(), name
    f = pd.read_parquet(vdir / "findings.parquet")
    assert {"archive_id", "finding", "flagged", "archive_value", "visit_value", "rule"} <= set(f.columns)
    card = pd.read_csv(vdir / "scorecard.csv")
    assert "Data completeness rate" in set(card["Indicator"])
    # the run is kept in the project's evaluation store, and a re-run changes nothing
    from toolkit.store import open_store

    with open_store(tmp_path) as st:
        rid = int(st.rounds()["id"].iloc[0])
        assert len(st.findings(rid)) == len(f)
        assert len(st.submission_keys(rid)) == len(pd.read_parquet(tmp_path / "output" / "ingest" / "submissions.parquet"))
        assert len(st.manifests()) == 1 and len(st.dispositions(rid)) == len(v.dispositions)
    assert main(["verify", "--project", str(tmp_path), "--lang", "en"]) == 0
    with open_store(tmp_path) as st:
        assert len(st.audit()) == 0 and len(st.findings(rid)) == len(f)
    (tmp_path / "visits.xlsx").write_bytes((tmp_path / "output" / "visits" / "visits.xlsx").read_bytes())
    x = pd.read_excel(tmp_path / "visits.xlsx", sheet_name=None)
    assert list(x) == ["submissions", "member", "payment"]
    assert {"KEY", "form_version", "archive_id", "visit_result"} <= set(x["submissions"].columns)
    assert {"PARENT_KEY", "KEY", "m_age"} <= set(x["member"].columns)


def test_verify_without_visits_is_a_user_error(tmp_path, capsys):
    city = make_city(300, 4)
    write_city(city, tmp_path)
    assert main(["sample", "draw", str(tmp_path / "roster.xlsx"), "--project", str(tmp_path),
                 "--strata", "county", "--n", "60", "--seed", "4", "--seed-source", "t",
                 "--out", str(tmp_path / "output" / "sample")]) == 0
    assert main(["verify", "--project", str(tmp_path), "--lang", "en"]) == 2
    assert "No visits have been ingested yet" in capsys.readouterr().err
