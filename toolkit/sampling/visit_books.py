"""The teams' visit-list workbooks written straight to xlsx (xlsxwriter).

A national draw has 300 teams: through pandas' ``to_excel`` and openpyxl a
workbook of ~200 households took about a second (a Python object and an XML
element built per cell, twice), so 300 workbooks took minutes. Here the
sheets are neutralised once for all teams (toolkit.tables: formula-like
text gets a leading ``'``, characters a workbook cannot hold become U+FFFD)
and each team's rows are written by xlsxwriter with the same layout and
print setup as :func:`toolkit.sampling.visit_lists.setup_book` describes:
bold header row, frozen and filtered; column widths from the header and the
first 200 cells (toolkit.tables' rule) with the wide columns of
``visit_lists.WIDE``; A4, fitted to the page width, header row repeated,
gridlines, the team in the page header, the result codes and "第 X 页 共
Y 页" in the footer, a drop-down of the numbered result words; the 说明 sheet
in portrait. Strings are never read as formulas, numbers or links.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.tables import _for_xlsx, _width, atomic_path, sheet_name

_WIDE = re.compile(r"[^\x00-\xff]")   # counts double in a column's width (tables._width)
_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
            "nan_inf_to_errors": False}


def prepared(frame: pd.DataFrame) -> tuple[list[str], list[np.ndarray]]:
    """(headers, one object array per column) of a sheet, neutralised once
    (toolkit.tables._for_xlsx); missing values become None (an empty cell)."""
    safe = _for_xlsx(frame)
    cols = []
    for c in safe.columns:
        s = safe[c]
        arr = s.to_numpy(dtype=object, na_value=None) if not pd.api.types.is_numeric_dtype(s) \
            else s.astype(object).where(s.notna(), None).to_numpy(dtype=object)
        cols.append(arr)
    return [str(c) for c in safe.columns], cols


def widths_of(cols: list[np.ndarray]) -> list[np.ndarray]:
    """Each cell's width in toolkit.tables' units (characters, a character
    above U+00FF counting double; -1 for an empty cell), counted once for all
    teams in Rust. ``write_book`` takes each team's column width from these
    with ``tables._width``'s rule (header and first 200 cells)."""
    import polars as pl

    out = []
    for col in cols:
        txt = pl.Series([None if v is None else (v if type(v) is str else str(v)) for v in col.tolist()],
                        dtype=pl.String)
        w = (txt.str.len_chars() + txt.str.count_matches(r"[^\x00-\xff]")).fill_null(-1)
        out.append(w.to_numpy().astype(np.int64))
    return out


def _column_width(head: str, cell_widths: np.ndarray) -> float:
    """``tables._width([head, *first 200 cells])`` from the counted widths."""
    longest = len(head) + len(_WIDE.findall(head))
    if len(cell_widths):
        longest = max(longest, int(cell_widths[:200].max()))
    return min(60.0, max(8.0, longest + 2.0))


def _text_kind(col: np.ndarray) -> str:
    """"empty" (no cell to write), "text" (str or None only) or "mixed"."""
    kinds = set(map(type, col.tolist()))
    if kinds <= {str, type(None)}:
        return "empty" if not any(col.tolist()) else "text"
    return "mixed"


def _write_cells(ws: object, j: int, col: np.ndarray, kind: str) -> None:
    """Column ``j`` from row 2: what ``write_column`` writes (a string cell
    per non-empty text, nothing for "" or None: xlsxwriter writes no blank
    cell without a format), a text column without the per-cell type dispatch."""
    if kind == "empty":
        return
    if kind == "mixed":
        ws.write_column(1, j, col)
        return
    put = getattr(ws, "_write_string", None) or ws.write_string
    for i, v in enumerate(col.tolist(), 1):
        if v:
            put(i, j, v)


def _hf(text: str) -> str:
    """Text in a page header or footer: a literal ``&`` doubled (it starts a code there)."""
    return text.replace("&", "&&")


def write_book(path: Path, sheets: Mapping[str, tuple[list[str], list[np.ndarray]]], *, team: str, lang: str,
               about_sheet: str, reserve_sheet: str, result_header: str, wide: Mapping[str, float]) -> Path:
    """One team's workbook (module doc), atomically. ``sheets``: sheet name →
    (headers, column arrays[, cell widths from :func:`widths_of`[, column
    kinds from :func:`sheet_kinds`]]) in order; ``result_header`` the column that gets
    the drop-down; ``wide`` fixed widths by header."""
    import xlsxwriter

    from toolkit.i18n import t
    from toolkit.sampling.field_dispositions import numbered_codes

    codes = numbered_codes(lang)
    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {**_OPTIONS, "in_memory": True})   # no temp file per part
        head_fmt = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "top"})
        for name, spec in sheets.items():
            heads, cols = spec[0], spec[1]
            widths = spec[2] if len(spec) > 2 else None
            kinds = spec[3] if len(spec) > 3 else ["mixed"] * len(cols)
            ws = wb.add_worksheet(sheet_name(name))
            n = len(cols[0]) if cols else 0
            ws.write_row(0, 0, heads, head_fmt)
            for j, col in enumerate(cols):
                _write_cells(ws, j, col, kinds[j])
                w = wide.get(heads[j]) or (_column_width(heads[j], widths[j]) if widths is not None
                                           else _width([heads[j], *col[:200].tolist()]))
                ws.set_column(j, j, w)
            ws.freeze_panes(1, 0)
            if heads:
                ws.autofilter(0, 0, n, len(heads) - 1)
            ws.set_paper(9)
            ws.fit_to_pages(1, 0)
            ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
            page = "&R&8" + t("paper.lists.page", lang)          # its &P / &N are the page codes
            if name == about_sheet:
                ws.set_portrait()
                ws.set_footer(page)
                continue
            ws.set_landscape()
            ws.repeat_rows(0)
            ws.hide_gridlines(0)                       # gridlines shown and printed
            key = "paper.lists.reserve_header" if name == reserve_sheet else "paper.lists.header"
            ws.set_header("&C&10" + _hf(t(key, lang, team=team)))
            ws.set_footer("&L&8" + _hf(t("paper.lists.codes", lang, codes="  ".join(codes))) + page)
            if result_header in heads and n >= 1:
                j = heads.index(result_header)
                ws.data_validation(1, j, n, j, {"validate": "list", "source": list(codes), "ignore_blank": True,
                                                "show_error": False})
        wb.close()
    return Path(path)


def sheet_kinds(cols: list[np.ndarray]) -> list[str]:
    """Each column's kind for ``write_book`` (:func:`_text_kind`), found once for all teams."""
    return [_text_kind(c) for c in cols]


__all__ = ["prepared", "write_book", "widths_of", "sheet_kinds"]
