"""Rendering one :class:`~toolkit.report.model.Report` as HTML, Word and Excel.

* HTML: one self-contained file (Jinja2 template ``templates/report.html.j2``;
  CSS inline, charts as base64 PNG, system fonts by name only — no CDN, no
  web font, no script);
* Word: python-docx, headings, paragraphs, tables (header row bold) and the
  charts; East-Asian font set on the styles so Chinese shows in Word/WPS;
  A4 with a binding margin, the title in the page header and "第 X 页 共 Y
  页" in the footer (toolkit.docxpage);
* Excel: one sheet per table (title in row 1, note under the table), written
  by toolkit.report.xlsx_book (xlsxwriter; the cells toolkit.tables.write_workbook
  wrote, formula injection neutralised in cells, headers, titles and notes).

Cell text is the same in all three (:func:`cell_text`).
"""
from __future__ import annotations

import base64
import io
import math
from pathlib import Path

import pandas as pd

from toolkit.docxpage import page_setup
from toolkit.report import docx_table, xlsx_book
from toolkit.report.model import Report, Section, Table
from toolkit.tables import Sheet, atomic_path

DOCX_FONT = "Noto Sans CJK SC"


def cell_text(v: object) -> str:
    """Display text of a cell: blanks for missing values, ``str`` otherwise."""
    if v is None or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, float) and math.isnan(v):
        return ""
    return str(v)


def _is_num(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def _numbered(sections: tuple[Section, ...], prefix: str = "") -> list[dict]:
    out = []
    for i, s in enumerate(sections, 1):
        num = f"{prefix}{i}."
        out.append({"key": s.key, "title": s.title, "number": num, "paragraphs": s.paragraphs,
                    "tables": [_table_view(tb) for tb in s.tables],
                    "figures": [{"title": f.title, "b64": base64.b64encode(f.png).decode("ascii")}
                                for f in s.figures],
                    "subsections": _numbered(s.subsections, num)})
    return out


def _table_view(tb: Table) -> dict:
    f = tb.frame
    nums = [_is_num(f[c]) for c in f.columns]
    verdict_col = [i for i, c in enumerate(f.columns) if str(c) in ("结论", "Verdict")]
    vmap = {"达标": "pass", "pass": "pass", "未达标": "fail", "fail": "fail", "无法判定": "inconclusive",
            "inconclusive": "inconclusive"}
    rows = []
    for rec in f.itertuples(index=False, name=None):
        css = ""
        if verdict_col:
            css = "v-" + vmap.get(str(rec[verdict_col[0]]), "other")
        rows.append({"css": css, "cells": [{"text": cell_text(v),
                                            "css": ("num" if nums[i] else "") +
                                            (" verdict" if i in verdict_col else "")}
                                           for i, v in enumerate(rec)]})
    return {"key": tb.key, "title": tb.title, "note": tb.note, "header": [str(c) for c in f.columns], "rows": rows}


def html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    import jinja2

    import toolkit

    env = jinja2.Environment(loader=jinja2.PackageLoader("toolkit.report", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]), keep_trailing_newline=True)
    return env.get_template("report.html.j2").render(report=report, sections=_numbered(report.sections),
                                                     version=toolkit.__version__)


def write_html(report: Report, path: str | Path) -> Path:
    """Write :func:`html` atomically; return the path."""
    p = Path(path)
    with atomic_path(p) as tmp:
        tmp.write_text(html(report), encoding="utf-8")
    return p


def _east_asian(style, font: str) -> None:
    from docx.oxml.ns import qn

    style.font.name = font
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def docx_document(report: Report):
    """The report as a python-docx Document."""
    try:
        import docx
    except ImportError:
        from toolkit.errors import UserError

        raise UserError("notebooks.missing_dep", package="python-docx") from None
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt, RGBColor

    doc = docx.Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        try:
            _east_asian(doc.styles[name], DOCX_FONT)
        except KeyError:  # pragma: no cover - styles of the default template
            pass
    doc.styles["Normal"].font.size = Pt(10.5)
    page_setup(doc, report.title, report.lang)     # A4, binding margin, header, 第 X 页 共 Y 页
    doc.core_properties.title = report.title
    doc.core_properties.author = "fieldeval"
    doc.add_heading(report.title, level=0)
    for i, line in enumerate(report.subtitle):
        run = doc.add_paragraph().add_run(line)
        if i == len(report.subtitle) - 1:
            run.bold = True
            run.font.color.rgb = RGBColor(0xB7, 0x1C, 0x1C)

    def add_table(tb: Table) -> None:
        cap = doc.add_paragraph(tb.title, style="Caption")
        cap.runs[0].bold = True
        f = tb.frame
        table = doc.add_table(rows=1, cols=len(f.columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        rows = [[str(c) for c in f.columns]]      # header bold; every cell 8 pt (docx_table: one parse)
        rows += [[cell_text(v) for v in rec] for rec in f.itertuples(index=False, name=None)]
        docx_table.fill(table, rows, half_points=int(Pt(8).pt * 2))
        if tb.note:
            n = doc.add_paragraph().add_run(tb.note)
            n.italic = True
            n.font.size = Pt(8)

    def add_section(s: Section, level: int, number: str) -> None:
        doc.add_heading(f"{number} {s.title}", level=min(level, 3))
        for p in s.paragraphs:
            doc.add_paragraph(p)
        for tb in s.tables:
            add_table(tb)
        for fig in s.figures:
            doc.add_picture(io.BytesIO(fig.png), width=Cm(16))
            doc.add_paragraph(fig.title, style="Caption")
        for k, sub in enumerate(s.subsections, 1):
            add_section(sub, level + 1, f"{number}{k}.")

    for i, s in enumerate(report.sections, 1):
        add_section(s, 1, f"{i}.")
    return doc


def write_docx(report: Report, path: str | Path) -> Path:
    """Write the Word file atomically; return the path."""
    p = Path(path)
    doc = docx_document(report)
    with atomic_path(p) as tmp:
        doc.save(str(tmp))
    return p


def sheet_names(report: Report) -> dict[str, str]:
    """Unique Excel sheet names (≤ 31 characters) per table key."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for tb in report.tables():
        base = "".join(ch for ch in tb.title if ch not in "[]:*?/\\")[:28] or tb.key[:28]
        name, k = base, 2
        while name in used:
            name = f"{base[:26]}_{k}"
            k += 1
        used.add(name)
        out[tb.key] = name
    return out


def write_xlsx(report: Report, path: str | Path) -> Path:
    """Every table on its own sheet (title in row 1, header in row 3, note
    under the table); an index sheet lists them; the verdict map beside its
    table. Written by :func:`toolkit.report.xlsx_book.write_book` (atomic,
    formula-like text in cells, headers, titles and notes neutralised);
    returns the path."""
    names = sheet_names(report)
    from toolkit.i18n import t

    index = pd.DataFrame({"#": range(1, len(names) + 1), t("words2.col.sheet", report.lang): list(names.values()),
                          t("words2.col.title", report.lang): [tb.title for tb in report.tables()]})
    sheets: dict[str, Sheet] = {t("words2.report_index", report.lang): Sheet(index, title=report.title,
                                                                             title_size=14)}
    for tb in report.tables():
        sheets[names[tb.key]] = Sheet(tb.frame, title=tb.title, note=tb.note)
    from toolkit.maps.report import KEY as MAP   # the verdict map beside its table (issue 22)

    fig = next((f for f in report.figures() if f.key == MAP), None)
    images = {names[MAP]: fig.png} if fig is not None and MAP in names else {}
    return xlsx_book.write_book(path, sheets, images)


__all__ = ["html", "write_html", "docx_document", "write_docx", "write_xlsx", "sheet_names", "cell_text"]
