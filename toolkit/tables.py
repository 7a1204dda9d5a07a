"""The one writer for tables people open in Excel or WPS: CSV and xlsx.

Every file a person may open goes through :func:`write_table` (one table) or
:func:`write_workbook` (several sheets, optional title and note per sheet).
Both write atomically (a temporary file beside the target, renamed into
place) and neutralise spreadsheet formula injection, following OWASP's advice
for CSV injection:

* a text cell — or a column header, a sheet title, a note — that begins with
  ``=`` ``+`` ``-`` ``@``, a TAB or a CR, or with the full-width ``＝ ＋ － ＠``
  that Excel and WPS also accept, gets a leading apostrophe ``'``; the text
  after it is kept exactly as it was;
* numbers stay numbers (numeric columns are never touched) and text that is
  just a negative number (``-3``, ``-2.5``, ``-1e-05``) is left as it is: it
  is a number, not a formula; ``-2+3`` is text and is prefixed;
* in xlsx, characters a workbook cannot hold (control characters) become
  U+FFFD so that a hostile cell cannot stop the whole file being written;
  time zones are dropped from datetimes (Excel has none).

CSV rows end in CRLF (RFC 4180), so a cell holding a line break is quoted and
cannot start a new row that Excel would read as a formula.

Sheet names are cleaned of ``[ ] : * ? / \\`` and cut to 31 characters.
"""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""Characters that make Excel/WPS read a cell as a formula (or DDE)."""
_NEGATIVE_NUMBER = r"-\d+(?:\.\d+)?(?:[eE][+-]?\d+)?"
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def is_formula_like(text: object) -> bool:
    """True when ``text`` is a string a spreadsheet would run as a formula."""
    return (isinstance(text, str) and text.startswith(FORMULA_START)
            and re.fullmatch(_NEGATIVE_NUMBER, text) is None)


def safe_cell(value: object) -> object:
    """One value made safe for a cell: formula-like text gets a leading ``'``;
    anything else is returned unchanged."""
    return "'" + value if is_formula_like(value) else value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and headers cannot run as spreadsheet formulas
    (see the module docstring); numeric columns are untouched."""
    out = frame.copy()
    for c in out.columns:
        s = out[c]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            txt = s.astype("string")
            risky = txt.str.startswith(FORMULA_START).fillna(False).astype(bool)
            risky &= ~txt.str.fullmatch(_NEGATIVE_NUMBER).fillna(False).astype(bool)
            # only real text: a number held in an object column is never prefixed
            if s.dtype == object:
                risky &= s.map(lambda v: isinstance(v, str)).astype(bool)
            if risky.any():
                out[c] = s.astype(object).where(~risky, "'" + txt)
    if any(is_formula_like(c) for c in out.columns):
        out.columns = [safe_cell(c) for c in out.columns]
    return out


def _for_xlsx(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`neutralise` plus what a workbook cannot hold: control characters
    (→ U+FFFD) and time zones."""
    out = neutralise(frame)
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_datetime64_any_dtype(s.dtype) and getattr(s.dt, "tz", None) is not None:
            out[c] = s.dt.tz_localize(None)
        elif s.dtype == object or pd.api.types.is_string_dtype(s):
            bad = s.astype("string").str.contains(_ILLEGAL_XLSX).fillna(False).astype(bool)
            if bad.any():
                out[c] = s.where(~bad, s.astype("string").str.replace(_ILLEGAL_XLSX, "\ufffd", regex=True))
    return out


def sheet_name(name: str) -> str:
    """A valid Excel sheet name: no ``[]:*?/\\``, at most 31 characters, not blank."""
    return _SHEET_BAD.sub("_", str(name)).strip("'")[:31] or "Sheet1"


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary file beside ``path``, moved into place on success (removed on failure)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@dataclass(frozen=True, eq=False)
class Sheet:
    """One sheet of :func:`write_workbook`: the table, an optional bold title
    in row 1 (the table then starts in row 3) and an optional italic note two
    rows under the table. ``title_size`` is the title's font size in points."""

    frame: pd.DataFrame
    title: str = ""
    note: str = ""
    title_size: float | None = None


def _width(values: list[object]) -> float:
    """Column width for text: CJK characters count about double."""
    longest = max((len(str(v)) + len(re.findall(r"[^\x00-\xff]", str(v))) for v in values if v is not None),
                  default=0)
    return min(60.0, max(8.0, longest + 2.0))


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame | Sheet], *, freeze: bool = False,
                   autofilter: bool = False, widths: bool = True,
                   finish: Callable[[object], None] | None = None) -> Path:
    """Write an xlsx with one sheet per entry of ``sheets`` (name → frame or
    :class:`Sheet`), neutralised and atomically. ``freeze`` keeps the header
    row visible, ``autofilter`` puts filters on it, ``widths`` sizes columns
    from the header and first 200 cells; ``finish(book)`` may set more on the
    openpyxl workbook before it is saved (once: no reopening). Returns the path."""
    from openpyxl.styles import Font

    p = Path(path)
    if p.suffix.lower() != ".xlsx":
        raise UserError("tables.bad_suffix", path=str(p))
    with atomic_path(p) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xw:
        for name, item in sheets.items():
            sh = item if isinstance(item, Sheet) else Sheet(item)
            frame = _for_xlsx(sh.frame)
            start = 2 if sh.title else 0
            title = sheet_name(name)
            frame.to_excel(xw, sheet_name=title, index=False, startrow=start)
            ws = xw.sheets[title]
            if sh.title:
                ws.cell(row=1, column=1, value=safe_cell(sh.title)).font = Font(bold=True, size=sh.title_size)
            if sh.note:
                ws.cell(row=start + len(frame) + 3, column=1, value=safe_cell(sh.note)).font = Font(italic=True)
            if freeze:
                ws.freeze_panes = ws.cell(row=start + 2, column=1).coordinate
            if autofilter and len(frame.columns):
                last = ws.cell(row=start + 1 + len(frame), column=len(frame.columns)).coordinate
                ws.auto_filter.ref = f"{ws.cell(row=start + 1, column=1).coordinate}:{last}"
            if widths:
                for j, c in enumerate(frame.columns, 1):
                    vals = [c, *frame[c].head(200).tolist()]
                    ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = _width(vals)
        if finish is not None:
            finish(xw.book)
    return p


def write_table(frame: pd.DataFrame, path: str | Path, *, sheet: str = "Sheet1",
                encoding: str = "utf-8-sig") -> Path:
    """Write ``frame`` as .csv (UTF-8 with BOM by default, so Excel shows
    Chinese) or .xlsx (one sheet), neutralised and atomically. Other
    suffixes are a UserError."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".xlsx":
        return write_workbook(p, {sheet: frame})
    if suffix != ".csv":
        raise UserError("tables.bad_suffix", path=str(p))
    safe = neutralise(frame)
    with atomic_path(p) as tmp:
        # CRLF rows (RFC 4180): the csv module then quotes any cell holding a CR
        # or LF, so a line break inside roster text cannot start a new row
        safe.to_csv(tmp, index=False, encoding=encoding, lineterminator="\r\n")
    return p


__all__ = ["FORMULA_START", "Sheet", "atomic_path", "is_formula_like", "neutralise", "safe_cell", "sheet_name",
           "write_table", "write_workbook"]
