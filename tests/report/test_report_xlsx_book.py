"""The report workbook through xlsxwriter (toolkit.report.xlsx_book) holds the
cells toolkit.tables.write_workbook wrote, hostile text neutralised the same way."""
from __future__ import annotations

import openpyxl
import pandas as pd

from toolkit.report.xlsx_book import for_xlsx_all, write_book
from toolkit.tables import Sheet, _for_xlsx, write_workbook

HOSTILE = ["=1+1", "+SUM(A1)", "-2", "-1.5e3", "@cmd", "\tTAB", "ok", None, "a\x01b", "=HYPERLINK(\"x\")", "-x", "", "'=q"]


def _frames() -> list[pd.DataFrame]:
    n = len(HOSTILE)
    return [
        pd.DataFrame({"文本": HOSTILE, "数": range(n), "混合": [1, "=2", 3.5, None, "x", "@", 7, "-3", "\x02", 0, 1, 2, "=z"]}),
        pd.DataFrame({"=头": pd.Series(HOSTILE, dtype="string"), "b": [0.5] * n}),
        pd.DataFrame({"a": [], "b": []}),
        pd.DataFrame({"时间": pd.to_datetime(["2026-01-01"] * 3).tz_localize("Asia/Shanghai"), "t": ["=1", "x", None]}),
        pd.DataFrame({"安全": ["甲", "乙"]}),
    ]


def _cells(p) -> dict:
    wb = openpyxl.load_workbook(p)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_pooled_neutralisation_is_per_frame() -> None:
    for got, frame in zip(for_xlsx_all(_frames()), _frames()):
        want = _for_xlsx(frame)
        assert list(got.columns) == list(want.columns)
        assert got.astype(object).where(got.notna(), None).values.tolist() == \
            want.astype(object).where(want.notna(), None).values.tolist()


def test_same_cells_as_write_workbook(tmp_path) -> None:
    sheets = {f"表{i}": Sheet(f.assign(**{c: f[c].dt.tz_localize(None) for c in f.columns if hasattr(f[c], "dt")}),
                             title=f"=标题{i}" if i % 2 else f"标题{i}", note="+注" if i else "", title_size=14 if i == 0 else None)
              for i, f in enumerate(_frames())}
    old = write_workbook(tmp_path / "old.xlsx", sheets)
    new = write_book(tmp_path / "new.xlsx", sheets)
    assert _cells(new) == _cells(old)
