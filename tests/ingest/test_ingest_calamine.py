"""The fast xlsx paths of ingest give the same cells as the openpyxl ones they replaced.

* reading: ``toolkit.ingest.files.read_excel`` (python-calamine) against
  ``pandas.read_excel(engine="openpyxl")`` on a hostile workbook: dates,
  times, numbers as text, leading zeros, blanks, booleans, formulas without a
  cached value, error cells, merged cells, an empty sheet; same values and the
  same Python type in every cell;
* writing: ``quality.xlsx`` through xlsxwriter (``toolkit.ingest.quality_xlsx``)
  against ``toolkit.tables.write_workbook`` (openpyxl): the same text read
  back, formula-like text still neutralised and no cell a formula.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest

from toolkit.errors import UserError
from toolkit.ingest.files import read_excel
from toolkit.ingest.quality_xlsx import write_sheets
from toolkit.tables import write_workbook


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    p = tmp_path_factory.mktemp("calamine") / "visits.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "submissions"
    ws.append(["KEY", "id", "when", "t", "n", "txt", "blank", "b", "f", "err", "big"])
    ws.append(["uuid:1", "0012", dt.datetime(2026, 3, 1, 9, 30), dt.time(8, 15), 3, "3", None, True, "=1+2",
               "#N/A", 123456789012345678])
    ws.append(["uuid:2", "110101199001011234", dt.date(2026, 3, 2), None, 2.5, "002.50", "", False, None, None,
               1e20])
    ws.append(["uuid:3", " sp ", dt.datetime(2026, 3, 3), dt.time(0, 0), -0.0, "=cmd|' /C calc'!A0", None, None,
               None, None, 0.1 + 0.2])
    ws.append([None] * 11)
    ws.append(["uuid:4", "低保户", None, None, "12", "1,234", " ", None, None, None, -7])
    ws.merge_cells("A8:B8")
    ws["A8"] = "merged"
    m = wb.create_sheet("member")
    m.append(["PARENT_KEY", "age", "name"])
    m.append(["uuid:1", 40, "张三"])
    m.append(["uuid:2", "abc", None])
    wb.create_sheet("empty")
    wb.save(p)
    return p


def test_calamine_read_gives_the_cells_openpyxl_gave(hostile):
    new = read_excel(hostile)
    old = pd.read_excel(hostile, sheet_name=None, dtype=object, engine="openpyxl")
    assert list(new) == list(old) == ["submissions", "member", "empty"]
    for name in old:
        pd.testing.assert_frame_equal(new[name], old[name])
        for c in old[name].columns:
            assert [type(v) for v in new[name][c]] == [type(v) for v in old[name][c]], (name, c)
    sub = new["submissions"]
    assert sub.loc[0, "id"] == "0012" and sub.loc[1, "txt"] == "002.50"   # text kept as text
    assert sub.loc[0, "n"] == 3 and isinstance(sub.loc[0, "n"], int)
    assert sub.loc[0, "when"] == dt.datetime(2026, 3, 1, 9, 30)


def test_unreadable_workbook_is_refused_in_words(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(UserError):
        read_excel(bad)


def test_quality_workbook_through_xlsxwriter_matches_openpyxl(tmp_path):
    frame = pd.DataFrame({"KEY": ["uuid:1", "uuid:2", "uuid:3", "uuid:4"],
                          "enumerator": ["007", "=HYPERLINK(\"x\")", "+1", "-3"],
                          "note": ["ok\x07bell", None, "＝SUM(A1)", "http://example.org/a"],
                          "count": [1, 2, np.nan, 4], "share": [0.5, 1.25, -0.0, 3.0],
                          "when": pd.to_datetime(["2026-03-01 09:30", None, "2026-03-02 00:00", "2026-03-03 08:00"])})
    sheets = {"重复提交": frame, "bad/name:[x]": frame.head(2), "空": frame.head(0)}
    fast = write_sheets(tmp_path / "fast.xlsx", sheets)
    slow = write_workbook(tmp_path / "slow.xlsx", sheets)
    a = pd.read_excel(fast, sheet_name=None, dtype=str, engine="openpyxl")
    b = pd.read_excel(slow, sheet_name=None, dtype=str, engine="openpyxl")
    assert list(a) == list(b)
    for name in b:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert a["重复提交"].loc[1, "enumerator"] == "'=HYPERLINK(\"x\")"
    assert a["重复提交"].loc[3, "enumerator"] == "-3"   # a negative number is not a formula
    book = openpyxl.load_workbook(fast)
    assert all(cell.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for cell in row)
    assert all(not cell.hyperlink for ws in book.worksheets for row in ws.iter_rows() for cell in row)


def test_inline_conversion_gives_pandas_calamine_frames(hostile, recwarn):
    """read_excel's own cell conversion (files._convert_rows) against pandas'
    calamine reader: the same frames and the same Python type in every cell, no warning."""
    new = read_excel(hostile)
    old = pd.read_excel(hostile, sheet_name=None, dtype=object, engine="calamine")
    assert list(new) == list(old)
    for name in old:
        pd.testing.assert_frame_equal(new[name], old[name])
        for c in old[name].columns:
            assert [type(v) for v in new[name][c]] == [type(v) for v in old[name][c]], (name, c)
    assert not [w for w in recwarn if issubclass(w.category, (DeprecationWarning, FutureWarning))]
