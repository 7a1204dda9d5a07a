"""``quality.xlsx`` written through xlsxwriter, column by column, not openpyxl.

The workbook is the same one :func:`toolkit.tables.write_workbook` writes
(one sheet per check, cells neutralised by :func:`toolkit.tables._for_xlsx`
so formula-like text gets its leading apostrophe, sheet names cleaned,
columns sized from the header and first 200 cells, written atomically);
only the writer differs. openpyxl builds one Python cell object per cell
(~50 s for the ~30,000 visits of a national round), xlsxwriter streams rows.
xlsxwriter is told to keep strings as strings: never a formula, number or
link made out of text (``strings_to_formulas`` etc. off), so the
neutralisation is the only thing between a hostile cell and Excel.

The cells are those ``DataFrame.to_excel(engine="xlsxwriter")`` wrote (the
writer until the sixth session; compared cell by cell in
tests/ingest/test_quality_xlsx_columns.py): a header row of the column
names, a missing value (NaN, None, NaT, NA) or empty text left blank, ±inf
as the text ``inf``/``-inf``, whole and decimal numbers as numbers, true and
false as booleans, datetimes with the format ``YYYY-MM-DD HH:MM:SS``, dates
``YYYY-MM-DD``, durations as days with the format ``0``, anything else as
its text. pandas built one styled cell object per cell and serialised its
style to JSON (13 s of a 65 s ingest at 15,000 visits); here each column's
type is decided once and its values handed to xlsxwriter's typed writers.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from pandas.api.types import is_bool, is_float, is_integer, is_scalar

from toolkit.errors import UserError
from toolkit.tables import _for_xlsx, _width, atomic_path, sheet_name

#: xlsxwriter options: text is written as text, whatever it looks like
OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
#: the number formats pandas' xlsxwriter writer gives datetimes, dates and durations
DATETIME_FORMAT, DATE_FORMAT, DURATION_FORMAT = "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD", "0"


class _Formats:
    """The workbook's few number formats, made when first needed."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.made: dict[str, object] = {}

    def __call__(self, num_format: str) -> object:
        if num_format not in self.made:
            self.made[num_format] = self.book.add_format({"num_format": num_format})
        return self.made[num_format]


def _write_value(ws, row: int, col: int, val: object, fmt: _Formats) -> None:  # noqa: ANN001 - a worksheet
    """One cell as pandas' ``to_excel`` wrote it (its ``_format_value`` then
    ``_value_with_fmt``, then ``Worksheet.write``): for values outside a column's fast path."""
    if is_scalar(val) and pd.isna(val):
        return
    if is_float(val) and np.isinf(val):
        ws.write_string(row, col, "inf" if val > 0 else "-inf")
        return
    if getattr(val, "tzinfo", None) is not None:
        raise ValueError("Excel does not support datetimes with timezones")
    if is_integer(val):
        ws.write_number(row, col, int(val))
    elif is_float(val):
        ws.write_number(row, col, float(val))
    elif is_bool(val):
        ws.write_boolean(row, col, bool(val))
    elif isinstance(val, Decimal):
        ws.write(row, col, Decimal(val))
    elif isinstance(val, _dt.datetime):
        ws.write_datetime(row, col, val, fmt(DATETIME_FORMAT))
    elif isinstance(val, _dt.date):
        ws.write_datetime(row, col, val, fmt(DATE_FORMAT))
    elif isinstance(val, _dt.timedelta):
        ws.write_number(row, col, val.total_seconds() / 86400, fmt(DURATION_FORMAT))
    else:
        text = str(val)
        if text:
            ws.write_string(row, col, text)


def _write_column(ws, col: int, s: pd.Series, fmt: _Formats) -> None:  # noqa: ANN001 - a worksheet
    """A column's body (rows 1…n) by its dtype: numbers, booleans and datetimes
    straight from numpy, text values with one type test each."""
    kind = s.dtype.kind if isinstance(s.dtype, np.dtype) else ""
    if kind == "f":
        v = s.to_numpy()
        fin = np.isfinite(v)
        for r, x in zip((np.flatnonzero(fin) + 1).tolist(), v[fin].tolist()):
            ws.write_number(r, col, x)
        inf = np.isinf(v)
        for r, x in zip((np.flatnonzero(inf) + 1).tolist(), v[inf].tolist()):
            ws.write_string(r, col, "inf" if x > 0 else "-inf")
    elif kind in "iu" and kind:
        for r, x in enumerate(s.to_numpy().tolist(), start=1):
            ws.write_number(r, col, x)
    elif kind == "b":
        for r, x in enumerate(s.to_numpy().tolist(), start=1):
            ws.write_boolean(r, col, x)
    elif kind == "M":
        ok = s.notna().to_numpy()
        f = fmt(DATETIME_FORMAT)
        for r, x in zip((np.flatnonzero(ok) + 1).tolist(), s[ok]):
            ws.write_datetime(r, col, x, f)
    else:
        write_string = ws.write_string
        for r, x in enumerate(s.tolist(), start=1):
            if x.__class__ is str:
                if x:
                    write_string(r, col, x)
            else:
                _write_value(ws, r, col, x, fmt)


def write_sheets(path: str | Path, sheets: Mapping[str, pd.DataFrame]) -> Path:
    """Write ``sheets`` (sheet name → frame) as an xlsx at ``path``, atomically;
    returns the path."""
    p = Path(path)
    if p.suffix.lower() != ".xlsx":
        raise UserError("tables.bad_suffix", path=str(p))
    with atomic_path(p) as tmp:
        book = xlsxwriter.Workbook(str(tmp), OPTIONS)
        try:
            fmt = _Formats(book)
            for name, frame in sheets.items():
                out = _for_xlsx(frame)
                title = sheet_name(name)
                ws = book.get_worksheet_by_name(title) or book.add_worksheet(title)
                for j, c in enumerate(out.columns):   # the header first, then column by column, as pandas
                    _write_value(ws, 0, j, c, fmt)     # did (the shared strings then come in the same order)
                for j, c in enumerate(out.columns):
                    _write_column(ws, j, out.iloc[:, j], fmt)
                    ws.set_column(j, j, _width([c, *out.iloc[:, j].head(200).tolist()]))
        finally:
            book.close()
    return p


__all__ = ["OPTIONS", "write_sheets"]
