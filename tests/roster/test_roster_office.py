"""Rosters as union offices keep them (issue 16): one sheet per county read as
one roster, title and merged two-level headers, totals / blank / signature /
note rows listed as not households, 一人多档, derived amounts that may be
negative. The workbook is made in the test (office_data.py)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from office_data import SHARED_ID, sheet_layout, sheets, write_office_workbook
from roster_data import HEADERS, good_rows, make_project, write_csv, write_xlsx

from toolkit.cli import main
from toolkit.roster import read_roster
from toolkit.roster.validate import validate
from toolkit.sampling.sample_files import read_sample_table

TODAY = dt.date(2026, 11, 28)
COUNTIES = ("瑶海区", "庐阳区", "包河区")


@pytest.fixture
def office(tmp_path: Path) -> Path:
    return write_office_workbook(tmp_path / "名册.xlsx")


def test_every_county_sheet_is_read_as_one_roster(office: Path) -> None:
    r = read_roster(office)
    assert r.sheets == COUNTIES
    counts = r.frame.groupby("sheet").size().to_dict()
    assert counts == {name: len(rows) for name, rows in sheets().items()}
    assert r.frame["county"].tolist() == r.frame["sheet"].tolist()
    # the row of each household is its row in its own sheet
    first = r.frame[r.frame["sheet"] == "包河区"].iloc[0]
    assert first["sheet_row"] == 5 and first["archive_id"] == "HF340111-2021-00201"
    assert r.frame.index.is_unique


def test_title_and_two_level_header_understood(office: Path) -> None:
    r = read_roster(office)
    # 档案编号 is merged down two rows, 姓名 sits under 基本信息, 家庭人口 under 家庭经济状况
    for header in ("档案编号", "姓名", "身份证号", "家庭人口", "家庭年收入（元）", "所属区县"):
        assert header in r.header_map
    assert r.header_row == 4 and r.unmapped == ("序号",)
    assert "基本信息" not in r.frame.columns and "家庭经济状况" not in r.frame.columns


def test_sheets_that_are_not_rosters_are_listed_with_reason(office: Path) -> None:
    r = read_roster(office)
    skipped = dict(zip(r.skipped_sheets["sheet"], r.skipped_sheets["reason"]))
    assert skipped == {"填表说明": "no_header", "帮扶记录": "help_records"}
    assert r.help_records is not None and len(r.help_records) == 1


def test_not_household_rows_listed_never_read(office: Path) -> None:
    r = read_roster(office)
    nh = r.not_households
    for name in COUNTIES:
        lay = sheet_layout(name)
        got = nh[nh["sheet"] == name].set_index("row")["kind"].to_dict()
        assert got == {lay["blank_inside"]: "blank", lay["subtotal"]: "total", lay["blank_after"]: "blank",
                       lay["signature"]: "signature", lay["note"]: "note"}
    assert r.rows_read == len(r.frame) + len(nh) == sum(sheet_layout(n)["rows_read"] for n in COUNTIES)
    # no 小计 / signature / note text among the households
    assert r.frame["archive_id"].notna().all()
    assert nh.loc[nh["kind"] == "total", "text"].str.startswith("小计").all()


def test_one_person_on_two_archives_names_both(office: Path, tmp_path: Path) -> None:
    ev = make_project(tmp_path)
    p = validate(read_roster(office), ev, today=TODAY)
    hit = p[p["rule"] == "one_person_many_archives"]
    assert hit[["sheet", "sheet_row"]].values.tolist() == [["瑶海区", 6], ["包河区", 8]]
    assert (hit["value"] == SHARED_ID).all() and (hit["severity"] == "error").all()
    assert "HF340111-2021-00203" in hit["message"].iloc[0] and "包河区" in hit["message"].iloc[0]
    assert "HF340102-2021-00002" in hit["message"].iloc[1] and "第 6 行" in hit["message"].iloc[1]


def test_one_person_many_archives_on_a_plain_roster(tmp_path: Path) -> None:
    rows = good_rows()
    rows[4][3] = rows[0][3]          # the same ID on a second archive
    rows[4][2] = rows[0][2]
    p = validate(read_roster(write_csv(tmp_path / "r.csv", rows)), lang="en")
    hit = p[p["rule"] == "one_person_many_archives"]
    assert hit["row"].tolist() == [2, 6]
    assert "HF340111-2023-00005 (row 6)" in hit["message"].iloc[0].replace("（", " (").replace("）", ")")


def test_ids_stored_as_numbers_are_named_not_matched(office: Path) -> None:
    r = read_roster(office)
    p = validate(r, today=TODAY)
    sci = p[p["rule"] == "id_scientific"]
    assert sci[["sheet", "sheet_row"]].values.tolist() == [["瑶海区", 8]]
    # an archive id typed as a number is read as the digits shown
    assert "20210001" in r.frame["archive_id"].tolist()


def test_derived_negative_income_is_not_an_error(office: Path, tmp_path: Path) -> None:
    ev = make_project(tmp_path)
    r = read_roster(office)
    row = r.frame[r.frame["archive_id"] == "HF340111-2021-00204"].iloc[0]
    assert row["income_per_capita"] == round((30000 - 48000) / 3 / 12, 2) and row["income_per_capita_derived"]
    p = validate(r, ev, today=TODAY)
    assert not (p["rule"] == "negative_amount").any()
    assert set(p["rule"]) == {"one_person_many_archives", "id_scientific"}, p.to_string()


def test_negative_raw_amount_still_an_error(tmp_path: Path) -> None:
    rows = good_rows()
    rows[0][12] = "-100"                    # 刚性支出（元）, a raw amount
    rows[1][13] = "-20"                     # 家庭月人均收入 given negative: a net figure, may be negative
    rows[1][11], rows[1][12] = "6000", "6480"
    p = validate(read_roster(write_csv(tmp_path / "r.csv", rows)), today=TODAY)
    neg = p[p["rule"] == "negative_amount"]
    assert neg[["row", "column"]].values.tolist() == [[2, "rigid_expenditure"]]


def test_one_sheet_named_reads_that_sheet_only(office: Path) -> None:
    r = read_roster(office, sheet="庐阳区")
    assert len(r.frame) == len(sheets()["庐阳区"]) and "sheet" not in r.frame.columns
    assert r.frame.index[0] == 5 and len(r.not_households) == 5


def test_sheet_with_another_header_is_skipped_with_reason(tmp_path: Path) -> None:
    other = [[h for h in HEADERS if h != "联系电话"]] + [r[:15] + r[16:] for r in good_rows()[:2]]
    p = write_xlsx(tmp_path / "r.xlsx", good_rows(), extra_sheets={"二季度": other})
    r = read_roster(p)
    assert len(r.frame) == 6 and r.sheets == ("困难职工档案",)
    row = r.skipped_sheets.set_index("sheet").loc["二季度"]
    assert row["reason"] == "other_header" and "联系电话" in row["detail"]


def test_repeated_header_and_totals_in_a_csv(tmp_path: Path) -> None:
    rows = good_rows()
    rows.insert(3, HEADERS)                                   # the header printed again (page 2)
    rows.append(["合计", "", "", "", "", "", "", "", "", "", "15", "127,200", "", "", "", "", ""])
    p = write_csv(tmp_path / "r.csv", rows)
    r = read_roster(p)
    assert len(r.frame) == 6
    assert r.not_households[["row", "kind"]].values.tolist() == [[5, "header"], [9, "total"]]


def test_check_lists_sheets_and_not_households_in_words(office: Path, tmp_path: Path, capsys) -> None:
    out_x = tmp_path / "problems.xlsx"
    rc = main(["roster", "check", str(office), "--problems", str(out_x)])
    assert rc == 1
    out = capsys.readouterr().out
    assert "3 个表头相同的工作表合并为一份名册" in out
    assert "“填表说明”" in out and "没有档案表头" in out
    assert "档案户 13 户" in out and "另有 15 行不是档案户" in out
    assert "工作表“包河区”第 10 行：合计/小计行" in out
    assert "签名盖章栏" in out and "注释说明" in out
    table = pd.read_excel(out_x, dtype=str)
    assert {"工作表", "表内行号"} <= set(table.columns) and "行号" not in table.columns
    notes = table[table["严重程度"] == "说明"]
    assert len(notes) == 15
    assert notes[notes["工作表"] == "瑶海区"]["表内行号"].tolist() == ["7", "11", "12", "13", "14"]


# --- column names in words, blank ids left out of the draw -----------------------------

def _draw(roster: Path, out: Path, *extra: str) -> int:
    return main(["sample", "draw", str(roster), "--n", "6", "--seed", "20261130", "--out", str(out), *extra])


def test_strata_by_header_alias_or_internal_name_draw_the_same(office: Path, tmp_path: Path) -> None:
    samples = []
    for i, name in enumerate(("所属区县", "区县", "county", "县（市、区）")):
        assert _draw(office, tmp_path / f"s{i}", "--strata", name) == 0
        samples.append(read_sample_table(tmp_path / f"s{i}" / "sample.csv").astype(str))
    for s in samples[1:]:
        pd.testing.assert_frame_equal(s, samples[0])
    assert set(samples[0]["stratum"]) == set(COUNTIES)
    # the sheet kept as a column is a stratum too, and the draw verifies against the roster
    assert _draw(office, tmp_path / "by_sheet", "--strata", "工作表") == 0
    assert main(["sample", "verify", str(tmp_path / "s0" / "manifest.json"), "--roster", str(office)]) == 0


def test_unknown_column_lists_accepted_names(office: Path, tmp_path: Path, capsys) -> None:
    assert _draw(office, tmp_path / "s", "--strata", "所属乡镇") == 2
    err = capsys.readouterr().err
    assert "没有“所属乡镇”这一列" in err and "所属区县（county）" in err and "街道（乡镇）（township）" in err
    assert "Traceback" not in err and not (tmp_path / "s").exists()
    assert main(["sample", "plan", "--roster", str(office), "--strata", "所属区县"]) == 0


def test_blank_archive_id_left_out_of_the_draw_with_reason(tmp_path: Path, capsys) -> None:
    rows = good_rows() * 3
    rows = [list(r) for r in rows]
    for i, r in enumerate(rows):
        r[0] = f"HF{i:04d}"
    rows[4][0] = ""
    roster = write_csv(tmp_path / "r.csv", rows)
    out = tmp_path / "s"
    assert _draw(roster, out, "--strata", "none") == 0
    text = capsys.readouterr().out
    assert "有 1 户未参加抽样（档案编号为空" in text and "第 6 行" in text
    ex = pd.read_csv(out / "excluded.csv", encoding="utf-8-sig")
    assert ex.values.tolist() == [["名册", "第 6 行", "档案编号为空：无法走访或追溯，不参加抽样"]]
    m = pd.read_json(out / "manifest.json", typ="series")
    assert m["roster"]["rows"] == len(rows) - 1
    assert main(["sample", "verify", str(out / "manifest.json"), "--roster", str(roster)]) == 0


def test_not_households_are_mentioned_by_the_draw(office: Path, tmp_path: Path, capsys) -> None:
    assert _draw(office, tmp_path / "s", "--strata", "所属区县") == 0
    assert "另有 15 行不是档案户" in capsys.readouterr().out
    assert not (tmp_path / "s" / "excluded.csv").exists()


def test_two_level_header_in_a_csv(tmp_path: Path) -> None:
    # saved from Excel as CSV: 档案编号 (merged down) on the upper line only, the rest below groups
    upper = ["序号", "档案编号", "基本信息", "", "", "地区", "", "档案", "", "", "家庭经济状况", "", "", "其他", ""]
    lower = ["", "", "姓名", "性别", "身份证号", "所属区县", "街道（乡镇）", "困难类别", "档案状态", "建档日期",
             "家庭人口", "家庭年收入（元）", "刚性支出（元）", "主要致困原因", "联系电话"]
    body = [[("" if v is None else v) for v in r] for r in sheets()["庐阳区"]]
    lines = ["庐阳区困难职工档案名册" + "," * (len(upper) - 1), ",".join(upper), ",".join(lower)]
    lines += [",".join(str(v) for v in r) for r in body]
    p = tmp_path / "r.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = read_roster(p)
    assert r.header_row == 3 and len(r.frame) == len(body)
    assert r.frame.index[0] == 4 and r.frame["archive_id"].iloc[1] == "HF340103-2021-00102"
    assert r.frame["name"].iloc[0] == "户主101" and r.frame["household_size"].iloc[0] == 3


def test_a_summary_sheet_in_front_does_not_set_the_header(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    p = write_office_workbook(tmp_path / "名册.xlsx")
    wb = load_workbook(p)
    summary = wb.create_sheet("汇总", 0)
    summary.append(["所属区县", "户数", "家庭人口", "家庭年收入（元）"])
    for name, rows in sheets().items():
        summary.append([name, len(rows), sum(r[10] for r in rows), sum(r[11] for r in rows)])
    wb.save(p)
    r = read_roster(p)
    assert r.sheets == COUNTIES and len(r.frame) == 13
    skipped = r.skipped_sheets.set_index("sheet")
    assert skipped.loc["汇总", "reason"] == "other_header"
    assert "档案编号" in skipped.loc["汇总", "detail"].split("|")[1]


def test_duplicate_archive_id_across_sheets_names_sheet_and_row(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    p = write_office_workbook(tmp_path / "名册.xlsx")
    wb = load_workbook(p)
    wb["包河区"]["B5"] = "HF340102-2021-00001"      # the first household of 瑶海区 again
    wb.save(p)
    probs = validate(read_roster(p), today=TODAY)
    d = probs[probs["rule"] == "duplicate_archive_id"]
    assert d[["sheet", "sheet_row"]].values.tolist() == [["包河区", 5]]
    assert "工作表“瑶海区”第 5 行" in d["message"].iloc[0]
