"""``fieldeval sample plan | draw | verify`` end to end (roster read from files)."""
import json

import pandas as pd
import pytest

from sampling_data import make_roster
from toolkit.cli import main
from toolkit.roster.schema import FIELDS

HEADERS = {f.name: f.header for f in FIELDS}


@pytest.fixture
def roster_files(tmp_path):
    r = make_roster(400)
    r["household_income"] = 24000
    r = r.rename(columns=HEADERS)
    csv = tmp_path / "roster.csv"
    xlsx = tmp_path / "roster.xlsx"
    r.sample(frac=1, random_state=4).to_csv(csv, index=False, encoding="gb18030")
    r.to_excel(xlsx, index=False)
    return csv, xlsx


def test_draw_then_verify(roster_files, tmp_path, capsys):
    csv, xlsx = roster_files
    out = tmp_path / "out"
    rc = main(["sample", "draw", str(xlsx), "--strata", "county,status", "--n", "60", "--reserves", "2",
               "--seed", "2024088", "--seed-source", "福彩 2024-05-01", "--out", str(out), "--lang", "en"])
    assert rc == 0
    assert {p.name for p in out.iterdir()} == {"manifest.json", "sample.csv", "reserves.csv", "visit_lists"}
    s = pd.read_csv(out / "sample.csv", dtype=str, encoding="utf-8-sig")     # in words (--lang en)
    assert list(s.columns[:5]) == ["Archive ID", "Stratum", "Primary unit (township)", "Inclusion probability",
                                   "Sampling weight"] and len(s) == 60
    from toolkit.sampling.sample_files import read_sample_table

    assert list(read_sample_table(out / "sample.csv").columns[:5]) == ["archive_id", "stratum", "psu", "pi", "weight"]
    m = json.loads((out / "manifest.json").read_text())
    assert m["seed"]["source"] == "福彩 2024-05-01"
    # the CSV export of the same roster (other encoding, other row order) verifies
    assert main(["sample", "verify", str(out / "manifest.json"), "--roster", str(csv)]) == 0
    # an edited weight in sample.csv is caught
    s.loc[0, "Sampling weight"] = "1.5"
    s.to_csv(out / "sample.csv", index=False)
    capsys.readouterr()
    assert main(["sample", "verify", str(out / "manifest.json"), "--roster", str(csv), "--lang", "en"]) == 1
    assert "weight" in capsys.readouterr().out


def test_two_stage_draw(roster_files, tmp_path):
    _, xlsx = roster_files
    out = tmp_path / "ts"
    assert main(["sample", "draw", str(xlsx), "--strata", "county", "--two-stage", "--psu", "township",
                 "--psus-per-stratum", "2", "--per-psu", "5", "--seed", "x", "--out", str(out)]) == 0
    assert (out / "psus.csv").exists()
    assert len(list((out / "visit_lists").glob("*.xlsx"))) == 3


@pytest.mark.parametrize("extra,key_text", [
    (["--n", "60"], "seed"),                              # no seed
    (["--n", "100000", "--seed", "s"], "holds only"),     # n larger than the frame
    (["--per-stratum", "3", "--seed", "s", "--strata", "county,township,status"], "Stratum"),
])
def test_bad_input_writes_nothing(roster_files, tmp_path, capsys, extra, key_text):
    _, xlsx = roster_files
    out = tmp_path / "bad"
    args = ["sample", "draw", str(xlsx), "--out", str(out), "--lang", "en"]
    if "--strata" not in extra:
        args += ["--strata", "county"]
    rc = main(args + extra)
    assert rc == 2
    assert key_text in capsys.readouterr().err
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".sample-")]


def test_plan(roster_files, capsys):
    _, xlsx = roster_files
    assert main(["sample", "plan", "--roster", str(xlsx), "--strata", "county", "--deff", "1.5",
                 "--zero-failure", "0.02", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Zero-failure" in out and "瑶海区" in out
    assert main(["sample", "plan", "--lang", "en"]) == 0
    assert "385 completed" in capsys.readouterr().out
