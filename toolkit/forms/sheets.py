"""Read the sheets of an .xlsx or .xls workbook as rows of text.

Cells become strings the way pyxform sees them: empty -> '', whole floats
without '.0' (``2.0`` -> ``'2'``), booleans as ``TRUE``/``FALSE``, formulas by
their cached value. Sheet names are kept as written; callers match them
case-insensitively.
"""
from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

from toolkit.errors import UserError

Rows = list[list[str]]
#: A sheet ends after this many consecutive empty rows (some files format a million).
BLANK_ROWS_END = 1000


def cell_text(v: object) -> str:
    """One cell as XLSForm text."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == datetime.min.time() else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _last(row: list[str]) -> int:
    """Length of ``row`` without trailing empty cells."""
    n = len(row)
    while n and not row[n - 1]:
        n -= 1
    return n


def _read_xlsx(path: Path) -> dict[str, Rows]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        out: dict[str, Rows] = {}
        for ws in wb.worksheets:
            # Some files claim 1,048,576 rows x 1,024 columns; read only the cells stored.
            ws.reset_dimensions()
            rows: Rows = []
            blank = 0
            for row in ws.iter_rows(values_only=True):
                cells = [cell_text(v) for v in row]
                cells = cells[:_last(cells)]
                blank = 0 if cells else blank + 1
                if blank > BLANK_ROWS_END:  # formatted but empty rows to the sheet's end
                    break
                rows.append(cells)
            while rows and not rows[-1]:
                rows.pop()
            out[ws.title] = rows
        return out
    finally:
        wb.close()


def _read_xls(path: Path) -> dict[str, Rows]:
    import xlrd

    book = xlrd.open_workbook(str(path))
    out: dict[str, Rows] = {}
    for sh in book.sheets():
        rows: Rows = []
        for r in range(sh.nrows):
            row = []
            for c in sh.row(r):
                if c.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append("TRUE" if c.value else "FALSE")
                elif c.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append("")
                else:
                    row.append(cell_text(c.value))
            rows.append(row)
        out[sh.name] = rows
    return out


def read_workbook(path: str | Path) -> dict[str, Rows]:
    """All sheets of the workbook; UserError (exit 2) if it cannot be read or
    its zip container is outside toolkit.safezip's bounds (a form can come
    from the evaluated party too)."""
    p = Path(path)
    if not p.is_file():
        raise UserError("common.file_not_found", path=str(p))
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm") and zipfile.is_zipfile(p):
        from toolkit import safezip

        safezip.check(p)   # an .xlsx is a zip: names, count, sizes and ratio before openpyxl inflates it
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(p)
        if suffix == ".xls":
            return _read_xls(p)
    except Exception as e:  # any parser failure means the file is unusable
        raise UserError("forms.unreadable", path=str(p), detail=f"{type(e).__name__}: {e}") from None
    raise UserError("forms.bad_suffix", path=str(p))
