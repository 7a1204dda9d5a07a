"""Reading rosters: every format and encoding, Chinese headers, damaged values,
and bad files that must fail with a clear message and nothing half-read."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from roster_data import HEADERS, good_rows, write_csv, write_xlsx
from toolkit.errors import UserError
from toolkit.roster import read_help_records, read_roster

FIXTURES = Path(__file__).parent.parent / "fixtures" / "roster"


def _expect_good(frame: pd.DataFrame) -> None:
    assert len(frame) == 6
    assert frame.index.name == "row" and list(frame.index) == list(range(2, 8))
    assert frame.loc[2, "archive_id"] == "HF340102-2021-00001"
    assert frame.loc[2, "household_income"] == 12000.0
    assert frame.loc[3, "household_income"] == 18000.0            # 1.8万
    assert frame.loc[3, "registered_on"] == pd.Timestamp("2021-04-09")
    assert frame.loc[3, "exited_on"] == pd.Timestamp("2023-01-12")  # 2023年1月12日
    assert frame.loc[7, "registered_on"] == pd.Timestamp("2021-01-01")  # Excel serial 44197
    assert frame.loc[4, "id_number"].endswith(frame.loc[4, "id_number"][-1])
    assert isinstance(frame.loc[2, "id_number"], str) and len(frame.loc[2, "id_number"]) == 18


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_chinese_encoding(tmp_path: Path, encoding: str) -> None:
    p = write_csv(tmp_path / "r.csv", good_rows(), encoding=encoding)
    r = read_roster(p)
    _expect_good(r.frame)
    assert r.encoding in {"utf-8": ("utf-8",), "utf-8-sig": ("utf-8-sig",),
                          "gbk": ("gb18030",), "gb18030": ("gb18030",)}[encoding]


def test_gb18030_only_characters(tmp_path: Path) -> None:
    rows = good_rows()
    rows[0][1] = "王𠀀"          # outside GBK, inside GB18030
    p = write_csv(tmp_path / "r.csv", rows, encoding="gb18030")
    assert read_roster(p).frame.loc[2, "name"] == "王𠀀"


def test_xlsx_with_ids_as_text(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "r.xlsx", good_rows())
    r = read_roster(p)
    _expect_good(r.frame)
    assert r.format == "xlsx" and r.sheet == "困难职工档案"


def test_legacy_xls_with_title_row() -> None:
    r = read_roster(FIXTURES / "roster.xls")
    assert r.format == "xls" and r.header_row == 2
    f = r.frame
    assert list(f.index) == [3, 4]
    assert f.loc[3, "registered_on"] == pd.Timestamp("2021-01-01")   # a real Excel date cell
    assert f.loc[4, "household_income"] == 18000.0 and f.loc[3, "household_income"] == 12000.0
    assert f.loc[4, "id_number"] == "34010219751212003X"


def test_sav_and_dta_with_chinese_labels(tmp_path: Path) -> None:
    df = pd.DataFrame({
        "archive_id": ["HF1", "HF2"], "county": ["瑶海区", "庐阳区"], "township": ["明光路街道", "双岗街道"],
        "category": [1.0, 2.0], "status": ["在档", "已脱困"], "household_size": [3.0, 2.0],
        "household_income": [12000.0, 18000.0], "name": ["王芳", "刘强"],
    })
    labels = {"category": {1.0: "深度困难", 2.0: "相对困难"}}
    sav = tmp_path / "r.sav"
    pyreadstat.write_sav(df, str(sav), variable_value_labels=labels,
                         column_labels=["档案编号", "所属区县", "街道（乡镇）", "困难类别", "档案状态",
                                        "家庭人口", "家庭年收入（元）", "姓名"])
    r = read_roster(sav)
    assert r.format == "sav"
    assert r.frame["category"].tolist() == ["深度困难", "相对困难"]
    assert r.frame["county"].tolist() == ["瑶海区", "庐阳区"]
    dta = tmp_path / "r.dta"
    pyreadstat.write_dta(df, str(dta), variable_value_labels=labels, version=15)
    r2 = read_roster(dta)
    assert r2.format == "dta" and r2.frame["household_income"].tolist() == [12000.0, 18000.0]


def test_header_aliases_and_bracket_width(tmp_path: Path) -> None:
    headers = ["职工编号", "姓名", "性别", "身份证号码", "区县", "乡镇街道", "困难类别", "档案状态",
               "建档日期", "脱困日期", "家庭人口数", "家庭年收入(元)", "刚性支出 （元）", "家庭月人均收入",
               "主要致困原因", "手机", "帮扶责任人"]
    p = write_csv(tmp_path / "r.csv", good_rows(), headers=headers)
    r = read_roster(p)
    _expect_good(r.frame)
    assert r.header_map["职工编号"] == "archive_id" and r.header_map["手机"] == "phone"
    assert r.header_map["刚性支出 （元）"] == "rigid_expenditure"


def test_unknown_columns_are_kept_not_dropped(tmp_path: Path) -> None:
    rows = [r + ["备注内容"] for r in good_rows()]
    p = write_csv(tmp_path / "r.csv", rows, headers=HEADERS + ["备注"])
    r = read_roster(p)
    assert r.unmapped == ("备注",) and (r.frame["备注"] == "备注内容").all()


def test_income_per_capita_derived_when_absent(tmp_path: Path) -> None:
    headers = [h for h in HEADERS if h != "家庭月人均收入"]
    rows = [r[:13] + r[14:] for r in good_rows()]
    r = read_roster(write_csv(tmp_path / "r.csv", rows, headers=headers))
    assert r.frame["income_per_capita"].tolist() == [277.78, 750.0, 500.0, 800.0, 1000.0, 600.0]
    assert r.frame["income_per_capita_derived"].all()
    # a jobless able-bodied member is counted at the local minimum wage (yuan/month)
    r2 = read_roster(write_csv(tmp_path / "r2.csv", [rows[0] + ["1"]], headers=headers + ["无业有劳动能力人数"]),
                     min_wage=2060.0)
    assert r2.frame["income_per_capita"].iloc[0] == round((12000 - 2000 + 2060 * 12) / 3 / 12, 2)


def test_unparseable_cells_kept_and_reported(tmp_path: Path) -> None:
    rows = good_rows()
    rows[1][11] = "一万二"
    rows[2][8] = "去年春天"
    r = read_roster(write_csv(tmp_path / "r.csv", rows))
    assert len(r.frame) == 6
    pp = r.parse_problems.set_index("rule")
    assert pp.loc["number_unparseable", "row"] == 3 and pp.loc["number_unparseable", "value"] == "一万二"
    assert pp.loc["date_unparseable", "row"] == 4


def test_blank_lines_inside_are_listed_trailing_dropped(tmp_path: Path) -> None:
    rows = good_rows()
    rows.insert(2, [""] * len(HEADERS))
    p = write_csv(tmp_path / "r.csv", rows)
    p.write_bytes(p.read_bytes() + b",,,\n\n")
    r = read_roster(p)
    # a blank line inside is not a household: listed with its row, never read as one
    assert len(r.frame) == 6 and 4 not in r.frame.index
    assert r.not_households[["row", "kind"]].values.tolist() == [[4, "blank"]]
    assert r.rows_read == 7


def test_help_records_from_second_sheet(tmp_path: Path) -> None:
    helps = [["档案编号", "帮扶项目", "发放日期", "金额（元）", "资金来源"],
             ["HF340102-2021-00001", "金秋助学", "2024-08-20", "6,000元", "工会经费"],
             ["HF340102-2021-00001", "送温暖", "2025年1月20日", "500", "地方财政"]]
    p = write_xlsx(tmp_path / "r.xlsx", good_rows(), extra_sheets={"帮扶记录": helps})
    r = read_roster(p)
    h = r.help_records
    assert h is not None and h["amount"].tolist() == [6000.0, 500.0]
    assert h.loc[3, "date"] == pd.Timestamp("2025-01-20")
    h2 = read_help_records(p, sheet="帮扶记录")
    assert len(h2) == 2


# --- bad files: clear message, exit code 2 -----------------------------------

def _err(path: Path, **kw) -> UserError:
    with pytest.raises(UserError) as e:
        read_roster(path, **kw)
    assert e.value.exit_code == 2
    return e.value


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_bytes(b"")
    assert "空" in _err(tmp_path / "e.csv").message("zh")


def test_header_only(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "h.csv", [])
    assert "no records" in _err(p).message("en")


def test_truncated_xlsx(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "r.xlsx", good_rows())
    data = p.read_bytes()
    (tmp_path / "t.xlsx").write_bytes(data[: len(data) // 2])
    assert "damaged" in _err(tmp_path / "t.xlsx").message("en")


def test_password_protected_xlsx(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_xlsx(tmp_path / "r.xlsx", good_rows())
    enc = tmp_path / "locked.xlsx"
    with plain.open("rb") as f, enc.open("wb") as out:
        OOXMLFile(f).encrypt("secret", out)
    e = _err(enc)
    assert e.key == "roster.encrypted" and "密码" in e.message("zh")


def test_wrong_sheet_lists_the_sheets(tmp_path: Path) -> None:
    p = write_xlsx(tmp_path / "r.xlsx", good_rows())
    e = _err(p, sheet="Sheet9")
    assert "困难职工档案" in e.message("zh")


def test_missing_required_columns_lists_missing_and_found(tmp_path: Path) -> None:
    headers = [h for h in HEADERS if h not in ("档案编号", "档案状态")]
    rows = [[v for h, v in zip(HEADERS, r) if h not in ("档案编号", "档案状态")] for r in good_rows()]
    e = _err(write_csv(tmp_path / "r.csv", rows, headers=headers))
    msg = e.message("zh")
    assert "档案编号" in msg.split("找到")[0] and "档案状态" in msg.split("找到")[0]
    assert "身份证号" in msg.split("找到")[1]


def test_mixed_encodings_refused_with_line(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "r.csv", good_rows()[:3], encoding="utf-8")
    extra = write_csv(tmp_path / "x.csv", good_rows()[3:], encoding="gbk").read_bytes().split(b"\n", 1)[1]
    p.write_bytes(p.read_bytes() + extra)
    e = _err(p)
    assert e.key == "roster.mixed_encoding" and e.fields["line"] == 5


def test_gbk_text_appended_to_gbk_utf8_refused(tmp_path: Path) -> None:
    # a GBK file with UTF-8 lines appended decodes as GB18030 but comes out garbled
    p = write_csv(tmp_path / "r.csv", good_rows()[:3], encoding="gbk")
    extra = write_csv(tmp_path / "x.csv", good_rows()[3:], encoding="utf-8").read_bytes().split(b"\n", 1)[1]
    p.write_bytes(p.read_bytes() + extra)
    e = _err(p)
    assert e.key in ("roster.garbled", "roster.undecodable") and e.fields["line"] >= 5


def test_wrong_explicit_encoding_refused_not_garbled(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "r.csv", good_rows(), encoding="gbk")
    e = _err(p, encoding="latin-1")
    assert e.key == "roster.garbled"


def test_utf8_read_as_gbk_refused(tmp_path: Path) -> None:
    p = write_csv(tmp_path / "r.csv", good_rows(), encoding="utf-8")
    assert _err(p, encoding="gbk").key in ("roster.garbled", "roster.undecodable")


def test_not_a_roster_binary(tmp_path: Path) -> None:
    p = tmp_path / "r.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    assert _err(p).key == "roster.corrupt"


def test_missing_file() -> None:
    assert _err(Path("/nonexistent/roster.csv")).key == "common.file_not_found"


def test_rows_are_conserved_through_read(tmp_path: Path) -> None:
    rows = good_rows() * 50
    p = write_csv(tmp_path / "r.csv", rows)
    assert len(read_roster(p).frame) == len(rows)
    _ = io


def test_parquet_roster(tmp_path: Path) -> None:
    frame = pd.DataFrame(good_rows(), columns=HEADERS).astype(str)
    p = tmp_path / "r.parquet"
    frame.to_parquet(p)
    r = read_roster(p)
    assert r.format == "parquet"
    _expect_good(r.frame)
