"""The fast xlsx path (python-calamine read directly, issue 21) against the
former one (the same cells through ``pandas.read_excel``) on an office-made
workbook: merged two-level headers, a title row, 小计 and signature rows, a
formula without a saved value, real Excel dates next to dates typed as text,
ID numbers stored as numbers (one in scientific form), leading zeros, text
pandas counts as missing ("NA"), a yes/no cell and a time. Every cell, and
everything ``read_roster`` returns, must be the same."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.roster.office_data import write_office_workbook
from toolkit.roster import read as roster_read
from toolkit.roster import read_roster

pytestmark = pytest.mark.skipif(roster_read._XLSX_ENGINE != "calamine", reason="python-calamine not installed")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from openpyxl import load_workbook

    path = write_office_workbook(tmp_path_factory.mktemp("xlsx_fast") / "office.xlsx")
    wb = load_workbook(path)
    ws = wb["瑶海区"]
    ws["J5"] = dt.datetime(2021, 3, 5)           # 建档日期 as an Excel date …
    ws["J6"] = dt.date(2020, 12, 31)
    ws["J6"].number_format = "yyyy-mm-dd"
    ws["K5"] = "=2+1"                             # 家庭人口 as a formula never calculated (no saved value)
    ws["E6"] = 3.40102197001011e17                # an ID number Excel shows in scientific form
    ws["O5"] = "013900000001"                     # a phone with a leading zero kept as text
    ws["N6"] = "NA"                               # text pandas reads as missing
    ws["P5"] = True                               # a yes/no cell in an unnamed column
    ws["P6"] = dt.time(8, 30)
    ws["P7"] = 2.5
    ws = wb["庐阳区"]
    ws["L5"] = 24000.0                            # a whole number saved as a float
    ws["L6"] = 24000.5
    wb.save(path)
    return path


def _pandas_cells(path: Path) -> dict[str, pd.DataFrame]:
    book = pd.ExcelFile(path, engine="calamine")
    return {n: pd.read_excel(book, sheet_name=n, header=None, dtype=object) for n in book.sheet_names}


def _same_cells(a: pd.DataFrame, b: pd.DataFrame) -> list[str]:
    """Cells that differ in value or in Python type (1 and 1.0 and True are not the same cell)."""
    assert a.shape == b.shape and list(a.columns) == list(b.columns)
    out = []
    x, y = a.to_numpy(), b.to_numpy()
    for i, j in zip(*np.nonzero(np.ones(x.shape, dtype=bool))):
        u, v = x[i, j], y[i, j]
        if type(u) is not type(v) or not (u == v or (u != u and v != v)):
            out.append(f"{i},{j}: {u!r} / {v!r}")
    return out


def test_cells_are_pandas_cells(workbook: Path) -> None:
    fast, names = roster_read._read_xlsx_calamine(workbook, None)
    slow = _pandas_cells(workbook)
    assert names == list(slow)
    for name, cells in fast:
        assert _same_cells(slow[name], cells) == [], name
        assert cells.attrs["formulas"] == roster_read._formulas_without_value(workbook, name, slow[name])
    yaohai = dict(fast)["瑶海区"]
    assert isinstance(yaohai.iat[4, 9], dt.datetime) and yaohai.iat[5, 9] == dt.datetime(2020, 12, 31)
    assert yaohai.iat[5, 4] == int(3.40102197001011e17) and isinstance(yaohai.iat[5, 4], int)
    assert yaohai.iat[4, 14] == "013900000001" and pd.isna(yaohai.iat[5, 13])
    assert dict(fast)["瑶海区"].attrs["formulas"] == {(4, 10): "=2+1"}


def test_read_roster_same_as_before(workbook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = read_roster(workbook)
    monkeypatch.setattr(roster_read, "_FAST_XLSX", False)
    slow = read_roster(workbook)
    pd.testing.assert_frame_equal(fast.frame, slow.frame)
    pd.testing.assert_frame_equal(fast.parse_problems, slow.parse_problems)
    pd.testing.assert_frame_equal(fast.not_households, slow.not_households)
    pd.testing.assert_frame_equal(fast.skipped_sheets, slow.skipped_sheets)
    pd.testing.assert_frame_equal(fast.help_records, slow.help_records)
    assert (fast.header_map, fast.unmapped, fast.sheets, fast.header_row) == \
        (slow.header_map, slow.unmapped, slow.sheets, slow.header_row)
    # what the edits above must have done, so the comparison is not of two empty reads
    assert "formula_no_value" in set(fast.parse_problems["rule"])
    assert fast.frame.loc[[5, 6], "registered_on"].tolist() == [pd.Timestamp("2021-03-05"), pd.Timestamp("2020-12-31")]
    assert len(fast.not_households) > 0 and fast.sheets == ("瑶海区", "庐阳区", "包河区")


def test_empty_and_bom_sheets(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "空"
    ws = wb.create_sheet("档案")
    ws.append(["\ufeff档案编号", "姓名"])
    ws.append(["HF-1", "null"])
    path = tmp_path / "bom.xlsx"
    wb.save(path)
    fast, _ = roster_read._read_xlsx_calamine(path, None)
    slow = _pandas_cells(path)
    for name, cells in fast:
        assert cells.shape == slow[name].shape
        assert _same_cells(slow[name], cells) == [] if cells.size else True
    assert dict(fast)["档案"].iat[0, 0] == "档案编号" and pd.isna(dict(fast)["档案"].iat[1, 1])
