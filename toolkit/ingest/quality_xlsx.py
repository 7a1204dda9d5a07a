"""``quality.xlsx`` written through xlsxwriter (pandas' engine), not openpyxl.

The workbook is the same one :func:`toolkit.tables.write_workbook` writes
(one sheet per check, cells neutralised by :func:`toolkit.tables._for_xlsx`
so formula-like text gets its leading apostrophe, sheet names cleaned,
columns sized from the header and first 200 cells, written atomically);
only the writer differs. openpyxl builds one Python cell object per cell
(~50 s for the ~30,000 visits of a national round), xlsxwriter streams rows.
xlsxwriter is told to keep strings as strings: never a formula, number or
link made out of text (``strings_to_formulas`` etc. off), so the
neutralisation is the only thing between a hostile cell and Excel.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError
from toolkit.tables import _for_xlsx, _width, atomic_path, sheet_name

#: xlsxwriter options: text is written as text, whatever it looks like
OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


def write_sheets(path: str | Path, sheets: Mapping[str, pd.DataFrame]) -> Path:
    """Write ``sheets`` (sheet name → frame) as an xlsx at ``path``, atomically;
    returns the path."""
    p = Path(path)
    if p.suffix.lower() != ".xlsx":
        raise UserError("tables.bad_suffix", path=str(p))
    with atomic_path(p) as tmp, pd.ExcelWriter(tmp, engine="xlsxwriter",
                                               engine_kwargs={"options": OPTIONS}) as xw:
        for name, frame in sheets.items():
            out = _for_xlsx(frame)
            title = sheet_name(name)
            out.to_excel(xw, sheet_name=title, index=False)
            ws = xw.sheets[title]
            for j, c in enumerate(out.columns):
                ws.set_column(j, j, _width([c, *out[c].head(200).tolist()]))
    return p


__all__ = ["OPTIONS", "write_sheets"]
