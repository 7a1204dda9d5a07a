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

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.tables import _for_xlsx, _width, atomic_path, sheet_name

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


def _hf(text: str) -> str:
    """Text in a page header or footer: a literal ``&`` doubled (it starts a code there)."""
    return text.replace("&", "&&")


def write_book(path: Path, sheets: Mapping[str, tuple[list[str], list[np.ndarray]]], *, team: str, lang: str,
               about_sheet: str, reserve_sheet: str, result_header: str, wide: Mapping[str, float]) -> Path:
    """One team's workbook (module doc), atomically. ``sheets``: sheet name →
    (headers, column arrays) in order; ``result_header`` the column that gets
    the drop-down; ``wide`` fixed widths by header."""
    import xlsxwriter

    from toolkit.i18n import t
    from toolkit.sampling.field_dispositions import numbered_codes

    codes = numbered_codes(lang)
    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {**_OPTIONS, "in_memory": True})   # no temp file per part
        head_fmt = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "top"})
        for name, (heads, cols) in sheets.items():
            ws = wb.add_worksheet(sheet_name(name))
            n = len(cols[0]) if cols else 0
            ws.write_row(0, 0, heads, head_fmt)
            for j, col in enumerate(cols):
                ws.write_column(1, j, col)
                w = wide.get(heads[j]) or _width([heads[j], *col[:200].tolist()])
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


__all__ = ["prepared", "write_book"]
