"""A Word table's rows written as XML in one parse, not cell by cell.

python-docx builds a table one object call per cell (``add_row``, ``cell.text``,
``run.font.size``): about 2 ms a cell, so the national report's fix list and
evidence tables (tens of thousands of rows) took minutes of the report's time
(313 of ~600 s at 60,000 households, py-spy). :func:`fill` writes the same
elements python-docx writes, in the same order (``w:tr`` > ``w:tc`` > ``w:tcPr``
> ``w:tcW``, then ``w:p`` > ``w:r`` > ``w:rPr`` (``w:b``, ``w:sz``) > ``w:t``),
as one XML text per table, parsed once by lxml. A cell holding a tab, a line
break or a character XML cannot hold gets its run's text from python-docx's
own setter (``<w:tab/>``, ``<w:br/>``, or python-docx's error), so the file is
the same, byte for byte, as the cell-by-cell one
(``tests/report/test_report_docx_table.py``).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SPECIAL = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")
"""Tab, CR, LF (python-docx writes elements for them) and what XML 1.0 cannot hold."""
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _run(text: str, rpr: str, slow: list[tuple[int, str]], k: int) -> str:
    if _SPECIAL.search(text):
        slow.append((k, text))      # python-docx's own setter, after the parse (same elements, same errors)
        return f"<w:r>{rpr}</w:r>"
    if not text:
        return f"<w:r>{rpr}</w:r>"
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:r>{rpr}<w:t{space}>{text.translate(_ESCAPE)}</w:t></w:r>"


def fill(table, rows: Sequence[Sequence[str]], *, half_points: int, bold_rows: int = 1) -> None:
    """Replace the rows of ``table`` (a python-docx Table made by
    ``doc.add_table(rows=1, cols=n)``) by ``rows`` of cell texts, each cell one
    run of ``half_points`` size (Pt(8) = 16), the first ``bold_rows`` bold:
    what ``cell.text = v`` then ``run.bold``/``run.font.size`` give."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    tbl = table._tbl
    widths = [g.get(qn("w:w")) for g in tbl.tblGrid.gridCol_lst]
    if not widths:   # a table without columns: empty rows, as python-docx adds them
        for _ in rows[1:]:
            table.add_row()
        return
    heads = [f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{w}"/></w:tcPr><w:p>' if w is not None
             else "<w:tc><w:p>" for w in widths]
    plain = f'<w:rPr><w:sz w:val="{half_points}"/></w:rPr>'
    bold = f'<w:rPr><w:b/><w:sz w:val="{half_points}"/></w:rPr>'
    slow: list[tuple[int, str]] = []     # (run number, text)
    parts = [f'<w:tbl xmlns:w="{W_NS}">']
    k = 0
    for i, row in enumerate(rows):
        rpr = bold if i < bold_rows else plain
        parts.append("<w:tr>")
        parts.extend(f"{heads[j]}{_run(v, rpr, slow, k + j)}</w:p></w:tc>" for j, v in enumerate(row))
        k += len(row)
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    new = parse_xml("".join(parts))
    for tr in tbl.tr_lst:
        tbl.remove(tr)
    if slow:
        runs = list(new.iter(qn("w:r")))    # one run per cell, in order
        for k, text in slow:
            runs[k].text = text
    for tr in list(new):
        tbl.append(tr)


__all__ = ["fill"]
