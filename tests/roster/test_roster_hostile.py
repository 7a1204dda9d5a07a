"""Hostile or careless rosters (issue 14): blank archive ids, formula cells
without values, UTF-16 text, duplicated columns with conflicting values.
Every fixture is made here."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from roster_data import HEADERS, good_rows, write_csv, write_xlsx

from toolkit.errors import UserError
from toolkit.roster.read import read_roster
from toolkit.roster.validate import validate
from toolkit.sampling.select import Design, draw, normalise_ids


@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_blank_archive_id_is_an_error_and_never_drawn(tmp_path: Path, writer) -> None:
    rows = good_rows()
    rows[1][0] = ""
    roster = read_roster(writer(tmp_path / ("r.csv" if writer is write_csv else "r.xlsx"), rows))
    probs = validate(roster, lang="en")
    hit = probs[(probs["column"] == "archive_id")]
    assert hit[["row", "rule", "severity"]].values.tolist() == [[3, "required", "error"]]
    ids = normalise_ids(roster.frame["archive_id"])
    assert ids[1] == "" and "<NA>" not in ids
    with pytest.raises(UserError) as e:
        draw(roster.frame, Design(seed="s1", strata=(), n=3))
    assert e.value.key == "sampling.blank_id"
    msg = e.value.message("zh")
    assert "3" in msg and "档案编号" in msg and "archive_id" not in msg


def test_normalise_ids_of_missing_values() -> None:
    s = pd.Series(["A1", pd.NA, None, float("nan"), " A2 "], dtype=object)
    assert normalise_ids(s) == ["A1", "", "", "", "A2"]
    assert normalise_ids(pd.Series(["A1", None], dtype="string")) == ["A1", ""]


def test_formula_without_value_is_not_called_blank(tmp_path: Path) -> None:
    rows = good_rows()
    rows[0][11] = "=1000*12"     # household income, written by a program: no cached value
    probs = validate(read_roster(write_xlsx(tmp_path / "f.xlsx", rows)), lang="en")
    row2 = probs[probs["row"] == 2]
    assert row2["rule"].tolist() == ["formula_no_value"]
    assert row2["column"].tolist() == ["household_income"]
    assert "formula" in row2["message"].iloc[0] and "blank" not in row2["message"].iloc[0]


def test_workbook_without_formulas_has_no_formula_problem(tmp_path: Path) -> None:
    rows = good_rows()
    rows[0][11] = ""
    probs = validate(read_roster(write_xlsx(tmp_path / "b.xlsx", rows)))
    assert probs.loc[probs["row"] == 2, "rule"].tolist() == ["required"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_roster_is_read(tmp_path: Path, codec: str) -> None:
    p = write_csv(tmp_path / "u.csv", good_rows(), encoding=codec)
    roster = read_roster(p)
    assert len(roster) == 6 and roster.frame["name"].iloc[0] == "王芳"
    assert roster.encoding.startswith("utf-16")


def test_utf16_read_as_another_encoding_says_utf16(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "u.csv", good_rows(), encoding="utf-16")
    with pytest.raises(UserError) as e:
        read_roster(p, encoding="gb18030")
    assert e.value.key == "roster.is_utf16"
    assert "UTF-16" in e.value.message("zh") and "gb18030" in e.value.message("en")


def test_duplicate_columns_with_conflicting_values_are_reported(tmp_path: Path) -> None:
    headers = [*HEADERS, "档案号"]              # an alias of 档案编号: the same field twice
    rows = [r + [r[0]] for r in good_rows()]
    rows[2][-1] = "HF-OTHER-0003"
    roster = read_roster(write_csv(tmp_path / "d.csv", rows, headers=headers))
    assert roster.frame["archive_id"].iloc[2] == "HF340103-2022-00003"   # the first column is used
    probs = validate(roster, lang="en")
    hit = probs[probs["rule"] == "duplicate_column_conflict"]
    assert hit[["row", "column", "value"]].values.tolist() == [[4, "archive_id", "HF-OTHER-0003"]]
    msg = hit["message"].iloc[0]
    assert "(A)" in msg and "(R)" in msg and "档案编号" in msg and "档案号" in msg


def test_duplicate_columns_that_agree_are_quiet(tmp_path: Path) -> None:
    headers = [*HEADERS, "档案号"]
    rows = [r + [r[0]] for r in good_rows()]
    probs = validate(read_roster(write_csv(tmp_path / "d.csv", rows, headers=headers)))
    assert "duplicate_column_conflict" not in set(probs["rule"])


def test_roster_workbook_bomb_is_refused(tmp_path: Path) -> None:
    import zipfile

    p = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as f:
            for _ in range(40):
                f.write(b" " * (1 << 20))
    with pytest.raises(UserError) as e:
        read_roster(p)
    assert e.value.key == "archive.ratio"
