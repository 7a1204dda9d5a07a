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

The list sheets' data rows (30,000 households in 300 workbooks at national
size) are not written cell by cell through xlsxwriter (a Python call per
cell to store it, another to write its XML, a shared-strings entry each):
:func:`sheet_rows` builds every row's XML once for all teams, column by
column in Rust (polars), as xlsxwriter writes a cell of an inline string
(its escapes, its ``xml:space="preserve"`` rule) or of a number (``.16G``),
and :class:`_RowsSheet` writes a team's rows after the header row that
xlsxwriter wrote; everything else (header, formats, widths, print setup,
filter, validation, the 说明 sheet) is xlsxwriter's as before. Cells read
back the same (value and type, cell by cell; tests compare both ways). A
sheet holding any other kind of value (a date, a boolean, NaN, an over-long
text, rich-string markup) goes cell by cell as before.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from xlsxwriter.worksheet import Worksheet

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


class _RowsSheet(Worksheet):
    """A worksheet whose data rows come as ready XML (:func:`sheet_rows`),
    written after the rows xlsxwriter holds (the header row)."""

    rows_xml = ""

    def _write_rows(self) -> None:
        super()._write_rows()
        if self.rows_xml:
            self.fh.write(self.rows_xml)


# values xlsxwriter changes when writing them: its _xHHHH_ escapes (control characters, U+FFFE/U+FFFF and
# text already of that shape), XML's & < >, and whitespace at an edge (xml:space="preserve")
_ODD_TEXT = None
_ESCAPE_SHAPED = "_x[0-9a-fA-F]{4}_"       # text that already looks like an _xHHHH_ escape
_TEXT_MARK = "\x00"          # before a text cell's XML in a mixed column (no cell text holds it: escaped)


def _odd_text_pattern() -> str:
    global _ODD_TEXT
    if _ODD_TEXT is None:
        from toolkit.sampling.manifest import _EDGE_SPACE      # Python's str.isspace set, as RE2 spells it

        _ODD_TEXT = r"[\x00-\x1f&<>\x{fffe}\x{ffff}]|" + _EDGE_SPACE
    return _ODD_TEXT


def _inline_text(v: str) -> str:
    """``<t>`` and the text of an inline-string cell as xlsxwriter writes it
    (Worksheet._write_cell in constant_memory mode; the shared-string entry
    of the cell-by-cell way holds the same text)."""
    from xlsxwriter.utility import _preserve_whitespace
    from xlsxwriter.xmlwriter import XMLwriter

    v = XMLwriter._escape_control_characters(v)
    head = '<t xml:space="preserve">' if _preserve_whitespace(v) else "<t>"
    return head + v.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _column_cells(col: np.ndarray, kind: str) -> tuple[object, bool] | None:
    """(polars Series of each cell's inner XML or null for no cell, is_text)
    for one column, or None when a value is of a kind written otherwise
    (then the sheet goes cell by cell)."""
    import polars as pl

    vals = col.tolist()
    if kind == "empty":
        return pl.Series("v", [None] * len(vals), dtype=pl.String), True
    if kind == "text":
        txt = pl.Series("v", [v if v else None for v in vals], dtype=pl.String)
        if (txt.str.len_chars() > 16_383).any():     # xlsxwriter measures UTF-16 units past half its limit
            return None
        if (txt.str.starts_with("<r>") & txt.str.ends_with("</r>")).any():   # rich-string markup, kept raw
            return None
        if txt.str.contains(_ESCAPE_SHAPED).any():   # readers undo _x005F_ in shared strings, not always inline
            return None
        odd = txt.str.contains(_odd_text_pattern()).fill_null(False)
        head = pl.Series("v", ["<t>"] * len(vals), dtype=pl.String)
        out = (head + txt)
        idx = odd.arg_true()
        if len(idx):
            out = out.scatter(idx, [_inline_text(v) for v in txt.gather(idx).to_list()])
        return out, True
    out: list[str | None] = []
    for v in vals:                                  # a mixed column: numbers (序号, 抽签顺序) and text
        t = type(v)
        if v is None or (t is str and v == ""):
            out.append(None)
        elif t is str:
            if len(v) > 16_383 or (v.startswith("<r>") and v.endswith("</r>")) or re.search(_ESCAPE_SHAPED, v):
                return None
            out.append(_TEXT_MARK + _inline_text(v))
        elif t in (int, float) or (isinstance(v, np.integer | np.floating) and not isinstance(v, np.bool_)):
            f = float(v)
            if f != f or f in (float("inf"), float("-inf")):
                return None
            out.append(f"{v if t in (int, float) else f:.16G}")
        else:
            return None
    ser = pl.Series("v", out, dtype=pl.String)
    return ser, False


def sheet_rows(cols: list[np.ndarray], kinds: list[str], row_numbers: np.ndarray) -> np.ndarray | None:
    """Each row's XML (``<row r=…>`` and its cells) as xlsxwriter writes it
    for a list sheet, "" for a row without any cell; ``row_numbers`` the
    1-based sheet row of each row (its place in its team's sheet + 2). None
    when a column holds a value written otherwise (the sheet then goes cell
    by cell). Built once for all teams."""
    import polars as pl
    from xlsxwriter.utility import xl_col_to_name

    n = len(row_numbers)
    if not cols or n == 0:
        return np.full(n, "", dtype=object)
    rnum = pl.Series("r", np.asarray(row_numbers, dtype=np.int64)).cast(pl.String)
    parts = []
    for j, (col, kind) in enumerate(zip(cols, kinds)):
        got = _column_cells(col, kind)
        if got is None:
            return None
        inner, is_text = got
        ref = pl.lit('<c r="' + xl_col_to_name(j))
        if is_text:
            cell = pl.concat_str([ref, pl.lit(rnum), pl.lit('" t="inlineStr"><is>'), pl.lit(inner),
                                  pl.lit("</t></is></c>")])
        else:                                       # _TEXT_MARK: a text cell of a mixed column
            txt = inner.str.starts_with(_TEXT_MARK).fill_null(False)
            body = inner.str.strip_prefix(_TEXT_MARK)
            cell = (pl.when(pl.lit(txt))
                    .then(pl.concat_str([ref, pl.lit(rnum), pl.lit('" t="inlineStr"><is>'), pl.lit(body),
                                         pl.lit("</t></is></c>")]))
                    .otherwise(pl.concat_str([ref, pl.lit(rnum), pl.lit('"><v>'), pl.lit(body), pl.lit("</v></c>")])))
        parts.append(cell)
    cells = pl.select(pl.concat_str(parts, ignore_nulls=True).alias("c")).to_series()
    rows = pl.select(pl.when(pl.lit(cells).str.len_bytes() > 0)
                     .then(pl.concat_str([pl.lit('<row r="'), pl.lit(rnum), pl.lit('">'), pl.lit(cells),
                                          pl.lit("</row>")]))
                     .otherwise(pl.lit(""))).to_series()
    return rows.to_numpy().astype(object)


def _hf(text: str) -> str:
    """Text in a page header or footer: a literal ``&`` doubled (it starts a code there)."""
    return text.replace("&", "&&")


def write_book(path: Path, sheets: Mapping[str, tuple[list[str], list[np.ndarray]]], *, team: str, lang: str,
               about_sheet: str, reserve_sheet: str, result_header: str, wide: Mapping[str, float]) -> Path:
    """One team's workbook (module doc), atomically. ``sheets``: sheet name →
    (headers, column arrays[, cell widths from :func:`widths_of`[, column
    kinds from :func:`sheet_kinds`[, (rows' XML, last 0-based row with a cell)
    from :func:`team_rows`, or None to write cell by cell]]]) in order;
    ``result_header`` the column that gets the drop-down; ``wide`` fixed widths by header."""
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
            rows = spec[4] if len(spec) > 4 else None
            ws = wb.add_worksheet(sheet_name(name), worksheet_class=_RowsSheet if rows is not None else None)
            n = len(cols[0]) if cols else 0
            ws.write_row(0, 0, heads, head_fmt)
            if rows is not None and rows[0]:
                ws.rows_xml = rows[0]
                ws._check_dimensions(rows[1], 0)        # the sheet's extent, as writing the cells gave it
            for j, col in enumerate(cols):
                if rows is None:
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


def team_rows(rows: np.ndarray | None, idx: np.ndarray) -> tuple[str, int] | None:
    """(XML of a team's rows, last 0-based sheet row holding a cell) from
    :func:`sheet_rows` of all teams and the team's row positions (in sheet
    order), or None when the sheet goes cell by cell."""
    if rows is None:
        return None
    mine = rows[idx]
    has = np.flatnonzero(mine != "")
    return "".join(mine[has].tolist()), (int(has[-1]) + 1 if len(has) else 0)


def sheet_kinds(cols: list[np.ndarray]) -> list[str]:
    """Each column's kind for ``write_book`` (:func:`_text_kind`), found once for all teams."""
    return [_text_kind(c) for c in cols]


__all__ = ["prepared", "write_book", "widths_of", "sheet_kinds", "sheet_rows", "team_rows"]
