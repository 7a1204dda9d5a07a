"""The report's workbook written through xlsxwriter, not openpyxl.

Same sheets and cells as :func:`toolkit.tables.write_workbook` with
:class:`toolkit.tables.Sheet` (title bold in row 1, the table from row 3, the
note in italics two rows under it, cells neutralised by
:func:`toolkit.tables._for_xlsx`, columns sized by :func:`toolkit.tables._width`,
written atomically) and the verdict map beside its table as
:func:`toolkit.maps.report.place_images` put it (column two right of the
table, row 3, 60 % of the PNG's pixels). openpyxl made one Python object per
cell, looked every sheet up again per sheet, and reopened the whole workbook
to add the map: 118 s of a ~600 s report at 60,000 households (py-spy);
xlsxwriter streams the rows. Strings stay strings (no formula, number or
link made of text: :data:`toolkit.ingest.quality_xlsx.OPTIONS`), so the
neutralisation is the only thing between a hostile cell and Excel, as before.
"""
from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import UserError
from toolkit.ingest.quality_xlsx import OPTIONS
from toolkit.tables import Sheet, _for_xlsx, _width, atomic_path, is_formula_like, safe_cell, sheet_name

IMAGE_SCALE = 0.6
"""The map's size in the sheet: 60 % of its pixels (as place_images drew it)."""


def _image_options(png: bytes) -> dict:
    """xlsxwriter's scale for ``png`` drawn at IMAGE_SCALE of its pixels: xlsxwriter
    sizes an image by the DPI written in it, openpyxl at 96 DPI whatever it says."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        dpi = im.info.get("dpi", (96, 96))
    x, y = (float(d) if d else 96.0 for d in dpi)
    return {"x_scale": IMAGE_SCALE * x / 96.0, "y_scale": IMAGE_SCALE * y / 96.0, "image_data": io.BytesIO(png)}


def _texty(s: pd.Series) -> bool:
    return s.dtype == object or pd.api.types.is_string_dtype(s)


def for_xlsx_all(frames: list[pd.DataFrame]) -> list[pd.DataFrame]:
    """:func:`toolkit.tables._for_xlsx` of every frame, the text cells of all
    frames pooled into one column and neutralised in one call: the national
    report has ~330 sheets (a fix list per county) and each of _for_xlsx's
    column operations costs ~ms of pandas overhead whatever the rows (89 of
    142 s of the workbook at 60,000 households). What _for_xlsx does to a cell
    depends on the cell only (text that starts like a formula gets a ``'``,
    control characters become U+FFFD; a number held in a text column is left
    alone), so the pooled call changes the same cells in the same way. A frame
    with a time-zone column or repeated column names goes through _for_xlsx itself."""
    own = [f.columns.has_duplicates or any(pd.api.types.is_datetime64_any_dtype(f[c].dtype) for c in f.columns)
           for f in frames]
    cols = [(i, c) for i, f in enumerate(frames) if not own[i] for c in f.columns if _texty(f[c])]
    parts = [frames[i][c].astype(object) for i, c in cols]
    out = [_for_xlsx(f) if own[i] else f for i, f in enumerate(frames)]
    if parts:
        pooled = pd.concat(parts, ignore_index=True)
        done = _for_xlsx(pd.DataFrame({"v": pooled}))["v"].to_numpy(dtype=object)
        before = pooled.to_numpy(dtype=object)
        is_str = np.fromiter((isinstance(v, str) for v in before), dtype=bool, count=len(before))
        changed = is_str & (np.where(is_str, before, "") != np.where(is_str, done, ""))
        start = 0
        for (i, c), part in zip(cols, parts):
            m = changed[start:start + len(part)]
            if m.any():
                if out[i] is frames[i]:
                    out[i] = frames[i].copy()
                out[i][c] = part.where(~m, pd.Series(done[start:start + len(part)], index=part.index))
            start += len(part)
    for i, f in enumerate(out):
        if not own[i] and any(is_formula_like(c) for c in f.columns):
            if f is frames[i]:
                f = out[i] = f.copy()
            f.columns = [safe_cell(c) for c in f.columns]
    return out


def write_book(path: str | Path, sheets: Mapping[str, Sheet], images: Mapping[str, bytes] | None = None) -> Path:
    """Write ``sheets`` (sheet name → Sheet) as an xlsx at ``path``, atomically;
    ``images``: sheet name → PNG drawn beside that sheet's table. Returns the path."""
    p = Path(path)
    if p.suffix.lower() != ".xlsx":
        raise UserError("tables.bad_suffix", path=str(p))
    images = images or {}
    with atomic_path(p) as tmp, pd.ExcelWriter(tmp, engine="xlsxwriter",
                                               engine_kwargs={"options": OPTIONS}) as xw:
        book = xw.book
        italic = book.add_format({"italic": True})
        ready = for_xlsx_all([sh.frame for sh in sheets.values()])
        for (name, sh), frame in zip(sheets.items(), ready):
            start = 2 if sh.title else 0
            title = sheet_name(name)
            frame.to_excel(xw, sheet_name=title, index=False, startrow=start)
            ws = xw.sheets[title]
            if sh.title:
                fmt = {"bold": True} | ({"font_size": sh.title_size} if sh.title_size else {})
                ws.write_string(0, 0, safe_cell(sh.title), book.add_format(fmt))
            if sh.note:
                ws.write_string(start + len(frame) + 2, 0, safe_cell(sh.note), italic)
            for j, c in enumerate(frame.columns):
                ws.set_column(j, j, _width([c, *frame[c].head(200).tolist()]))
            if name in images:
                ws.insert_image(2, max(len(frame.columns), 1) + 1, "map.png", _image_options(images[name]))
    return p


__all__ = ["IMAGE_SCALE", "write_book"]
