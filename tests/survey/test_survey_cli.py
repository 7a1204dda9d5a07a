"""``fieldeval estimate``: same numbers as the library, both languages,
JSON, every input format, and user mistakes as one message with exit 2."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from toolkit.cli import main
from toolkit.survey import Design

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "survey"
SAMPLE = str(FIXTURES / "sample.csv")
DESIGN = ["--strata", "county", "--psu", "township"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_proportion_by_county_in_chinese(capsys) -> None:
    code, out, err = run(capsys, "estimate", SAMPLE, *DESIGN, "--weights", "weight",
                         "--proportion", "satisfied", "--by", "county")
    assert code == 0 and not err
    assert "估计值" in out and "置信区间" in out and "长丰县" in out and "Wilson" in out and "(wilson)" in out


def test_json_equals_the_library(capsys, sample: pd.DataFrame, expected: dict) -> None:
    code, out, _ = run(capsys, "estimate", SAMPLE, *DESIGN, "--ssu", "household_id",
                       "--fpc", "n_townships_in_county,n_households_in_township",
                       "--mean", "satisfied", "--json")
    assert code == 0
    got = json.loads(out)
    want = expected["designs"]["two_stage_fpc"]["mean_satisfied"]
    r = got["results"][0]
    assert r["estimate"] == pytest.approx(want["estimate"], rel=1e-12)
    assert r["se"] == pytest.approx(want["se"], rel=1e-9)
    assert r["deff"] == pytest.approx(want["deff"], rel=1e-9)
    assert got["degf"] == 21 and got["design"]["fpc"] == ["n_townships_in_county",
                                                           "n_households_in_township"]


def test_english_ratio_and_total(capsys) -> None:
    code, out, _ = run(capsys, "estimate", SAMPLE, *DESIGN, "--weights", "weight",
                       "--ratio", "aid_received", "aid_ledger", "--by", "category", "--lang", "en")
    assert code == 0 and "estimate" in out and "ratio" in out and "意外致困" in out
    code, out, _ = run(capsys, "estimate", SAMPLE, "--strata", "county", "--weights", "weight",
                       "--total", "wrong_exit", "--json")
    assert json.loads(out)["results"][0]["estimate"] == pytest.approx(754.339635364635, rel=1e-12)


@pytest.mark.parametrize("suffix", [".xlsx", ".parquet", ".dta", ".sav", ".csv"])
def test_every_input_format(capsys, tmp_path: Path, sample: pd.DataFrame, suffix: str) -> None:
    path = tmp_path / f"visits{suffix}"
    data = sample.drop(columns=["household_id"])
    if suffix == ".xlsx":
        data.to_excel(path, index=False)
    elif suffix == ".parquet":
        data.to_parquet(path)
    elif suffix == ".dta":
        data.rename(columns=str).to_stata(path, write_index=False, version=118)
    elif suffix == ".sav":
        import pyreadstat
        pyreadstat.write_sav(data, str(path))
    else:
        data.to_csv(path, index=False, encoding="gb18030")     # a GBK-family export
    code, out, err = run(capsys, "estimate", str(path), *DESIGN, "--weights", "weight",
                         "--mean", "satisfaction", "--by", "county", "--json")
    assert code == 0, err
    res = json.loads(out)["results"]
    ref = Design(sample, strata="county", psu="township", weights="weight").mean(
        "satisfaction", by="county")
    assert [r["estimate"] for r in res] == pytest.approx(ref.estimate.tolist(), rel=1e-12)


@pytest.mark.parametrize("argv,needle_zh,needle_en", [
    (["--strata", "县", "--psu", "乡镇", "--mean", "satisfaction"], "县, 乡镇", "No such column"),
    (DESIGN + ["--mean", "category"], "不是数值", "not numeric"),
    (DESIGN + ["--proportion", "satisfaction"], "0/1", "0/1"),
])
def test_user_mistakes_exit_2_without_traceback(capsys, argv, needle_zh, needle_en) -> None:
    code, out, err = run(capsys, "estimate", SAMPLE, *argv)
    assert code == 2 and not out
    assert needle_zh in err and "Traceback" not in err and err.startswith("错误")
    code, _, err = run(capsys, "estimate", SAMPLE, *argv, "--lang", "en")
    assert code == 2 and needle_en in err and err.startswith("Error")


def test_lonely_psu_fail_is_a_user_error(capsys, tmp_path: Path, sample: pd.DataFrame) -> None:
    first = sample[sample.county == "长丰县"].township.iloc[0]   # keep one township there
    one = sample[(sample.county != "长丰县") | (sample.township == first)]
    path = tmp_path / "lonely.csv"
    one.to_csv(path, index=False)
    code, _, err = run(capsys, "estimate", str(path), *DESIGN, "--weights", "weight",
                       "--lonely-psu", "fail", "--mean", "satisfaction", "--lang", "en")
    assert code == 2 and "长丰县" in err and "lonely" in err.lower()
    code, out, _ = run(capsys, "estimate", str(path), *DESIGN, "--weights", "weight",
                       "--lonely-psu", "certainty", "--mean", "satisfaction")
    assert code == 0


def test_missing_and_unsupported_files(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "estimate", str(tmp_path / "none.csv"), "--mean", "x")
    assert code == 2 and "找不到文件" in err
    bad = tmp_path / "data.json"
    bad.write_text("{}")
    code, _, err = run(capsys, "estimate", str(bad), "--mean", "x", "--lang", "en")
    assert code == 2 and "Unsupported" in err
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    code, _, err = run(capsys, "estimate", str(broken), "--mean", "x")
    assert code == 2 and "无法读取" in err
