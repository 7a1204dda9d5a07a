"""Reading a filled-in workbook back: bounded, header found by its words,
every cell as the text a person typed.

Shared by the checklist and the forum notes. The workbook is checked by
toolkit.safezip before a byte is inflated; cells are read with openpyxl
without evaluating anything (a formula cell gives its formula text, which is
kept as text and neutralised again on the next export); a leading ``'`` that
our own export put before formula-like text is taken off again, so an export
read back is the stored text exactly.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError
from toolkit.tables import FORMULA_START

MAX_ROWS = 20_000
MAX_TEXT = 2_000
"""Longest text kept in one cell (characters); longer is refused for that row."""


def blank(v: object) -> bool:
    """A missing cell: None, NaN, NA or NaT (pandas turns None into NaN in places)."""
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v)


def cell_text(v: object) -> object:
    """A cell's value as text (numbers without a trailing .0); dates and
    times are returned as they are (the caller decides); blank → None."""
    if v is None:
        return None
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    s = str(v)
    if s.startswith("'") and s[1:].startswith(FORMULA_START):
        s = s[1:]
    return s if s.strip() else None


def read_sheets(path: str | Path, headers: Mapping[str, str], anchor: str,
                anchor_label: str = "") -> list[tuple[str, pd.DataFrame]]:
    """Every sheet of the workbook that has a header row naming ``anchor``
    (a column key): [(sheet name, frame)], the frame's columns renamed to keys
    through ``headers`` (words in either language → key; other columns kept
    under their own header), plus ``row`` (the spreadsheet row) and
    ``_letters`` (key → column letter, in ``frame.attrs``). Rows wholly
    blank are dropped. UserError when the file is missing, not a workbook,
    or has no such sheet."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from toolkit.safezip import check

    p = Path(path)
    if not p.is_file():
        raise UserError("common.file_not_found", path=str(p))
    check(p)   # a workbook from the evaluated party: bounded before inflating
    try:
        book = load_workbook(p, read_only=True, data_only=False)
    except Exception as e:  # noqa: BLE001 - any parse failure is "not a workbook"
        raise UserError("checklist.not_workbook", path=str(p), detail=type(e).__name__) from None
    out = []
    try:
        for ws in book.worksheets:
            head_row, cols = None, {}
            grid = []
            for i, row in enumerate(ws.iter_rows(values_only=True), 1):
                if i > MAX_ROWS:
                    raise UserError("checklist.too_many_rows", path=str(p), sheet=ws.title, limit=MAX_ROWS)
                vals = [cell_text(v) for v in row]
                if head_row is None:
                    words = {j: headers.get(str(v).strip()) for j, v in enumerate(vals) if isinstance(v, str)}
                    if anchor in words.values():
                        head_row = i
                        cols = {j: (k or str(vals[j]).strip()) for j, k in words.items()}
                    continue
                if any(v is not None for v in vals):
                    grid.append((i, vals))
            if head_row is None:
                continue
            data = {name: [r[1][j] if j < len(r[1]) else None for r in grid] for j, name in cols.items()}
            frame = pd.DataFrame(data, dtype=object)
            frame["row"] = [r[0] for r in grid]
            frame.attrs["letters"] = {name: get_column_letter(j + 1) for j, name in cols.items()}
            out.append((ws.title, frame))
    finally:
        book.close()
    if not out:
        raise UserError("checklist.no_header", path=str(p), column=anchor_label or anchor)
    return out


__all__ = ["read_sheets", "cell_text", "blank", "MAX_TEXT", "MAX_ROWS"]
