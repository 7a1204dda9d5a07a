"""The visit lists' data rows written as ready XML (visit_books.sheet_rows)
read back cell by cell as the cell-by-cell xlsxwriter way wrote them: values,
types, formats, widths, filters, validations and print setup; hostile text
(formula-like, XML and _xHHHH_ escapes, edge whitespace, control characters,
rich-string markup) and numbers in text columns."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from sampling_data import make_roster

from toolkit.sampling import visit_lists
from toolkit.sampling.select import Design, draw
from toolkit.sampling.visit_books import prepared, sheet_kinds, sheet_rows, team_rows, widths_of, write_book

HOSTILE = ["普通文字", "=1+2", "+86 138", "-5", "@sum", "a & b <c> \"d\"", " lead",
           "trail ", "\u3000全角空格\u3000", "tab\tinside", "line\nbreak", "cr\rreturn", "bell\x07", "\x1f",
           "\ufffe\uffff", "<b>tag</b>", "", None, "长" * 300, "emoji 😀", "x" * 9]


def _sheet(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(7)
    text = [HOSTILE[i % len(HOSTILE)] for i in range(n)]
    return pd.DataFrame({
        "序号": np.arange(1, n + 1),
        "文字": pd.array(text, dtype="string"),
        "对象": pd.Series(text, dtype=object),
        "混合": pd.Series([i if i % 3 else f"t{i}" for i in range(n)], dtype=object),
        "小数": rng.random(n) * 1e6,
        "大整数": pd.array([12345678901234567 + i if i % 4 else None for i in range(n)], dtype="Int64"),
        "空": pd.Series([None] * n, dtype=object),
        "结果代码": "",
    })


def _cells(path: Path) -> dict:
    """Everything a person or a reader sees in a workbook, sheet by sheet."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        cells = [(c.coordinate, c.value, c.data_type, c.font.b, c.border.left.style, c.alignment.horizontal,
                  c.number_format) for row in ws.iter_rows() for c in row]
        out[ws.title] = {
            "cells": cells, "dims": ws.dimensions, "max": (ws.max_row, ws.max_column),
            "widths": {k: v.width for k, v in ws.column_dimensions.items()},
            "freeze": ws.freeze_panes, "filter": ws.auto_filter.ref,
            "validation": [(str(v.sqref), v.formula1, v.allow_blank, v.showErrorMessage)
                           for v in ws.data_validations.dataValidation],
            "print": (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToHeight,
                      ws.print_title_rows, ws.print_options.gridLines, ws.oddHeader.center.text,
                      ws.oddFooter.left.text, ws.oddFooter.right.text),
            "protection": ws.protection.sheet,
        }
    return out


@pytest.mark.parametrize("n", [0, 1, 40])
def test_rows_as_xml_read_back_as_cell_by_cell(tmp_path: Path, n: int) -> None:
    heads, cols = prepared(_sheet(n))
    kinds, widths = sheet_kinds(cols), widths_of(cols)
    rows = sheet_rows(cols, kinds, np.arange(n) + 2)
    assert rows is not None
    about = prepared(pd.DataFrame({"项目": ["种子"], "内容": ["2026"]}))
    common = {"team": "包河区", "lang": "zh", "about_sheet": "说明", "reserve_sheet": "备用名单",
              "result_header": "结果代码", "wide": {"文字": 30.0}}
    old = write_book(tmp_path / "old.xlsx", {"入户名单": (heads, cols, widths, kinds, None), "说明": about}, **common)
    new = write_book(tmp_path / "new.xlsx", {"入户名单": (heads, cols, widths, kinds, team_rows(rows, np.arange(n))),
                                             "说明": about}, **common)
    a, b = _cells(old), _cells(new)
    assert a == b
    if n > len(HOSTILE):
        texts = [c[1] for c in a["入户名单"]["cells"] if c[0].startswith("B")]
        assert {" lead", "<b>tag</b>", "tab\tinside", "a & b <c> \"d\""} <= set(texts)


def test_other_values_go_cell_by_cell() -> None:
    """A date, a boolean, a missing float, an over-long text, rich-string markup or text shaped like
    an _xHHHH_ escape (readers undo it in shared strings only) cannot go the XML way: cell by cell."""
    for odd in (pd.Timestamp("2026-01-01").to_pydatetime(), True, np.bool_(False), float("nan")):
        col = np.array(["a", odd], dtype=object)
        assert sheet_rows([col], sheet_kinds([col]), np.array([2, 3])) is None
    for text in ("x" * 20_000, "<r>rich-string markup</r>", "_x0041_ looks escaped"):
        col = np.array([text], dtype=object)
        assert sheet_rows([col], sheet_kinds([col]), np.array([2])) is None


def test_visit_lists_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A small draw's team workbooks: the XML rows against cell by cell (sheet_rows forced to None)."""
    roster = make_roster()
    s = draw(roster, Design(seed="rows", strata=("county",), method="two_stage", psus_per_stratum=2,
                            per_psu=4, reserves=2))
    new = visit_lists.write_visit_lists(s, roster, tmp_path / "new")
    monkeypatch.setattr(visit_lists, "sheet_rows", lambda *a, **k: None)
    old = visit_lists.write_visit_lists(s, roster, tmp_path / "old")
    assert sorted(p.name for p in new.workbooks.values()) == sorted(p.name for p in old.workbooks.values())
    for team, path in new.workbooks.items():
        assert _cells(path) == _cells(old.workbooks[team]), team
    assert new.odk_csv.read_bytes() == old.odk_csv.read_bytes()
