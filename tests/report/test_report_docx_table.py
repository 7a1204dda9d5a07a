"""The Word table written in one XML parse (toolkit.report.docx_table) is the
table python-docx writes cell by cell, element for element."""
from __future__ import annotations

import pandas as pd
import pytest

docx = pytest.importorskip("docx")

from lxml import etree  # noqa: E402

from toolkit.report import docx_table  # noqa: E402
from toolkit.report.render import cell_text  # noqa: E402

TEXTS = ["x", " y ", "a\tb\nc", "", "A&B <c> \"q\" 's'", "张三丰 ", "行1\r\n行2", "\t", "  ", "1.5", "𠀋字",
         "末尾\n", "HH-7Z5YW-SXDHS"]


def _cell_by_cell(frame: pd.DataFrame):
    """The report's table as python-docx builds it one cell at a time (the code before docx_table)."""
    from docx.shared import Pt

    doc = docx.Document()
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    for j, c in enumerate(frame.columns):
        cell = table.rows[0].cells[j]
        cell.text = str(c)
        for r in cell.paragraphs[0].runs:
            r.bold = True
    for rec in frame.itertuples(index=False, name=None):
        cells = table.add_row().cells
        for j, v in enumerate(rec):
            cells[j].text = cell_text(v)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(8)
    return doc


def _one_parse(frame: pd.DataFrame):
    doc = docx.Document()
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    rows = [[str(c) for c in frame.columns]] + [[cell_text(v) for v in rec]
                                                for rec in frame.itertuples(index=False, name=None)]
    docx_table.fill(table, rows, half_points=16)
    return doc


def _xml(doc) -> bytes:
    return etree.tostring(doc.element)


@pytest.mark.parametrize("cols", [1, 3, 7, 12])
def test_same_xml_as_cell_by_cell(cols: int) -> None:
    n = 2 * len(TEXTS)
    data = {f"列 {j}" if j else "a\tb": [TEXTS[(i + j) % len(TEXTS)] for i in range(n)] for j in range(cols)}
    frame = pd.DataFrame(data)
    if cols > 2:
        frame[frame.columns[1]] = pd.Series([None, float("nan"), pd.NA, 3, 4.25] * 5 + [None] * (n - 25), dtype=object)
    assert _xml(_one_parse(frame)) == _xml(_cell_by_cell(frame))


def test_empty_table_and_no_columns() -> None:
    for frame in (pd.DataFrame({"a": [], "b": []}), pd.DataFrame(index=range(3))):
        assert _xml(_one_parse(frame)) == _xml(_cell_by_cell(frame))


def test_text_xml_cannot_hold_is_refused_as_before() -> None:
    frame = pd.DataFrame({"a": ["ok", "bad\x01"]})
    with pytest.raises(ValueError):
        _cell_by_cell(frame)
    with pytest.raises(ValueError):
        _one_parse(frame)
