"""Validation: each rule fires on a case made to break it, and stays silent on
six valid households; the roster keeps every row; messages in zh and en."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from roster_data import HEADERS, good_rows, make_project, write_csv, write_xlsx
from toolkit.roster import read_roster
from toolkit.roster.idcard import make_id
from toolkit.roster.validate import PROBLEM_COLUMNS, validate

TODAY = dt.date(2026, 11, 28)
COL = {h: i for i, h in enumerate(HEADERS)}


def _problems(tmp_path: Path, rows, headers=HEADERS, config=True, **kw):
    ev = make_project(tmp_path) if config else None
    r = read_roster(write_csv(tmp_path / "r.csv", rows, headers=headers), **kw)
    return r, validate(r, ev, today=TODAY)


def test_valid_roster_has_no_problems(tmp_path: Path) -> None:
    r, p = _problems(tmp_path, good_rows())
    assert list(p.columns) == PROBLEM_COLUMNS
    assert p.empty, p.to_string()


def _one(tmp_path, header, value, row_index=0):
    rows = good_rows()
    rows[row_index][COL[header]] = value
    return _problems(tmp_path, rows)[1]


CASES = [
    # header, bad value, expected rule, column, severity
    ("姓名", "", "required", "name", "error"),
    ("身份证号", "34010219800212002", "id_format", "id_number", "error"),
    ("身份证号", "3.40102E+17", "id_scientific", "id_number", "error"),
    ("身份证号", "340102198002120027", "id_check_char", "id_number", "error"),
    ("身份证号", make_id("340102", "19801332", 2), "id_birth_date", "id_number", "error"),
    ("身份证号", make_id("340102", "20300101", 2), "id_birth_date", "id_number", "error"),
    ("身份证号", "340102800212002", "id_15_digit", "id_number", "warning"),
    ("性别", "男", "sex_vs_id", "sex", "error"),
    ("性别", "未知", "sex_unknown", "sex", "error"),
    ("困难类别", "一般困难", "category_unknown", "category", "error"),
    ("档案状态", "待定", "status_unknown", "status", "error"),
    ("脱困日期", "2024-01-01", "exit_date_but_active", "exited_on", "warning"),
    ("建档日期", "2027-01-01", "date_in_future", "registered_on", "error"),
    ("家庭人口", "0", "household_size", "household_size", "error"),
    ("家庭年收入（元）", "-5", "negative_amount", "household_income", "error"),
    ("家庭月人均收入", "900", "income_per_capita_inconsistent", "income_per_capita", "warning"),
    ("所属区县", "巢湖市", "county_unknown", "county", "error"),
    ("联系电话", "1391234", "phone_format", "phone", "warning"),
    ("主要致困原因", "懒惰", "cause_unknown", "main_cause", "warning"),
    ("家庭年收入（元）", "一万二", "number_unparseable", "household_income", "error"),
    ("建档日期", "去年", "date_unparseable", "registered_on", "error"),
    ("家庭人口", "2.5", "integer_unparseable", "household_size", "error"),
]


@pytest.mark.parametrize("header,value,rule,column,severity", CASES, ids=[c[2] + ":" + c[1] for c in CASES])
def test_rule_fires_on_its_case(tmp_path: Path, header, value, rule, column, severity) -> None:
    p = _one(tmp_path, header, value)
    hit = p[(p["rule"] == rule) & (p["row"] == 2)]
    assert len(hit) == 1, p.to_string()
    assert hit["column"].iloc[0] == column and hit["severity"].iloc[0] == severity
    assert hit["value"].iloc[0] == value or rule == "required"
    assert hit["message"].iloc[0]


def test_duplicate_archive_id_names_first_row(tmp_path: Path) -> None:
    rows = good_rows()
    rows[3][0] = rows[1][0]
    p = _problems(tmp_path, rows)[1]
    d = p[p["rule"] == "duplicate_archive_id"]
    assert d["row"].tolist() == [5] and "第 3 行" in d["message"].iloc[0]


def test_exited_without_exit_date(tmp_path: Path) -> None:
    rows = good_rows()
    rows[1][COL["脱困日期"]] = ""
    p = _problems(tmp_path, rows)[1]
    assert p[p["rule"] == "exited_without_date"]["row"].tolist() == [3]


def test_dates_out_of_order(tmp_path: Path) -> None:
    rows = good_rows()
    rows[1][COL["脱困日期"]] = "2020-01-01"     # before 建档日期 2021-04-09
    p = _problems(tmp_path, rows)[1]
    assert p[p["rule"] == "date_order"]["row"].tolist() == [3]


def test_excel_number_id_in_xlsx(tmp_path: Path) -> None:
    rows = good_rows()
    rows[0][COL["身份证号"]] = 340102198002120026   # what Excel does to an ID typed as a number
    ev = make_project(tmp_path)
    r = read_roster(write_xlsx(tmp_path / "r.xlsx", rows))
    p = validate(r, ev, today=TODAY)
    hit = p[p["rule"] == "id_scientific"]
    assert hit["row"].tolist() == [2] and "E+17" in hit["value"].iloc[0]
    assert "文本" in hit["message"].iloc[0]


def test_birth_date_against_id(tmp_path: Path) -> None:
    headers = HEADERS + ["出生日期"]
    rows = [r + [d] for r, d in zip(good_rows(), ["1980-02-12", "1975-12-12", "1990-01-01",
                                                  "1968-05-05", "1985-11-11", "1972-07-07"])]
    assert _problems(tmp_path / "a", rows, headers=headers)[1].empty
    rows[2][-1] = "1991-01-01"
    p = _problems(tmp_path / "b", rows, headers=headers)[1]
    assert p[p["rule"] == "birth_vs_id"]["row"].tolist() == [4]


def test_county_code_mismatch(tmp_path: Path) -> None:
    headers = HEADERS + ["区县代码"]
    rows = [r + [r[COL["身份证号"]][:6]] for r in good_rows()]
    assert _problems(tmp_path / "a", rows, headers=headers)[1].empty
    rows[0][-1] = "340103"
    p = _problems(tmp_path / "b", rows, headers=headers)[1]
    assert p[p["rule"] == "county_code_mismatch"]["row"].tolist() == [2]


def test_missing_validation_column_is_one_header_problem(tmp_path: Path) -> None:
    headers = [h for h in HEADERS if h != "主要致困原因"]
    rows = [r[:14] + r[15:] for r in good_rows()]
    p = _problems(tmp_path, rows, headers=headers)[1]
    assert p[["row", "column", "rule"]].values.tolist() == [[1, "main_cause", "required"]]


def test_no_row_dropped_and_english_messages(tmp_path: Path) -> None:
    rows = [list(r) for r in good_rows() * 3]
    for i, r in enumerate(rows):
        r[0] = f"HF{i:04d}"
        idn = r[COL["身份证号"]]   # each copy another person (same sex digit parity), not 一人多档
        r[COL["身份证号"]] = make_id(idn[:6], idn[6:14], int(idn[14:17]) + 100 * (i // 6))
    rows[4][COL["家庭人口"]] = "0"
    ev = make_project(tmp_path)
    r = read_roster(write_csv(tmp_path / "r.csv", rows))
    assert len(r.frame) == len(rows)
    p = validate(r, ev, lang="en", today=TODAY)
    assert p["message"].tolist() == ["household size must be at least 1"]
    assert len(r.frame) == len(rows)


def test_without_project_county_is_not_judged(tmp_path: Path) -> None:
    rows = good_rows()
    rows[0][COL["所属区县"]] = "巢湖市"
    assert _problems(tmp_path, rows, config=False)[1].empty
