"""The header sniffing's fast path (toolkit.ingest.xlsx_head) gives openpyxl's
answer, or no answer (then openpyxl is asked): workbooks written by openpyxl
and xlsxwriter, rich text, blanks, numbers, duplicates, gaps, chart sheets."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from toolkit.ingest.files import header_of
from toolkit.ingest.xlsx_head import first_header, sheet_names


def old_header(p: Path) -> list[str]:
    return [str(c) for c in pd.read_excel(p, sheet_name=0, nrows=0, engine="openpyxl").columns]


def old_names(p: Path) -> list[str]:
    wb = openpyxl.load_workbook(p, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def by_openpyxl(p: Path, rows: list[list[object]], extra: tuple[str, ...] = ("member",)) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "submissions"
    for r in rows:
        ws.append(r)
    for name in extra:
        wb.create_sheet(name).append(["PARENT_KEY", "x"])
    wb.save(p)
    return p


def by_xlsxwriter(p: Path, rows: list[list[object]], rich: bool = False) -> Path:
    wb = xlsxwriter.Workbook(str(p))
    ws = wb.add_worksheet("提交")
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            if v is not None:
                ws.write(i, j, v)
    if rich:
        ws.write_rich_string(0, len(rows[0]), "ab", wb.add_format({"bold": True}), "cd")
    wb.add_worksheet("member").write_row(0, 0, ["PARENT_KEY", "y"])
    wb.close()
    return p


PLAIN = [["SubmissionDate", "meta-instanceID", "姓名", "q 1 ", "KEY"], ["2026-01-01", "uuid:1", "张三", 3, "k"]]
CASES = {
    "plain": (PLAIN, True),
    "blank in row 1": ([["a", None, "c"], [1, 2, 3]], False),
    "number in row 1": ([["a", 5, "c"], [1, 2, 3]], False),
    "date in row 1": ([["a", dt.datetime(2026, 1, 1)], [1, 2]], False),
    "twice": ([["a", "a", "b"], [1, 2, 3]], False),
    "NA word": ([["a", "NA", "b"], [1, 2, 3]], False),
    "escape": ([["a", "x_x000D_y"], [1, 2]], False),
    "formula": ([["a", "=1+1"], [1, 2]], False),
    "only row 1": ([["a", "b"]], True),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("writer", ["openpyxl", "xlsxwriter"])
def test_fast_header_is_openpyxls_or_nothing(tmp_path: Path, case: str, writer: str) -> None:
    rows, fast_expected = CASES[case]
    make = by_openpyxl if writer == "openpyxl" else by_xlsxwriter
    p = make(tmp_path / "v.xlsx", rows)
    fast = first_header(p)
    if fast_expected or fast is not None:
        assert fast == old_header(p)
    if fast_expected:
        assert fast is not None
    assert header_of(p) == old_header(p)
    assert sheet_names(p) == old_names(p)


def test_rich_text_header(tmp_path: Path) -> None:
    p = by_xlsxwriter(tmp_path / "r.xlsx", [["a", "b"], [1, 2]], rich=True)
    assert first_header(p) == old_header(p) == ["a", "b", "abcd"]


def test_gap_and_empty_first_row(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["C1"] = "a", "c"
    wb.save(tmp_path / "gap.xlsx")
    assert first_header(tmp_path / "gap.xlsx") is None
    assert header_of(tmp_path / "gap.xlsx") == old_header(tmp_path / "gap.xlsx")
    wb = openpyxl.Workbook()
    wb.active["A2"] = "late"
    wb.save(tmp_path / "late.xlsx")
    assert first_header(tmp_path / "late.xlsx") is None


def test_chartsheet_leaves_it_to_openpyxl(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.append(["a", "b"])
    wb.create_chartsheet("chart")
    wb.save(tmp_path / "c.xlsx")
    assert sheet_names(tmp_path / "c.xlsx") is None


def test_not_a_workbook(tmp_path: Path) -> None:
    p = tmp_path / "x.xlsx"
    p.write_bytes(b"PK\x03\x04 not really")
    assert first_header(p) is None and sheet_names(p) is None
