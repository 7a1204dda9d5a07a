"""The compared items of a back-check form, read from the form's own columns.

A back-check XLSForm (``toolkit/questionnaires/backcheck.xlsx``, built by
``questionnaires/build_backcheck.py``) marks each compared question with:

* ``bc_type`` — 1 must not differ (interviewer error), 2 may differ
  (respondent or form problem), 3 stability over time;
* ``bc_tolerance`` — numbers only: ``500`` absolute (units of the item: yuan,
  persons) and/or ``20%`` relative to the original answer; ``500 or 20%``
  allows the larger of the two;
* ``bc_compare`` — the household visit's column it is compared with (blank:
  the same name).

The questions themselves (type, repeat, labels) come from
:func:`toolkit.forms.reader.read_xlsform`; the extra columns from the same
workbook through :func:`toolkit.forms.sheets.read_workbook`. Problems are
UserErrors naming the sheet, row and column.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import UserError
from toolkit.verify.compare import FieldPair

NUMBER_TYPES = ("integer", "decimal", "range")
NOT_KNOWN = ("unsure", "8", "9")
"""Answers that mean "not known": a pair holding one is not compared."""
_TOL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")


@dataclass(frozen=True)
class Item:
    """One compared question: ``name`` in the back-check form, ``compare`` the
    visit column, ``type`` 1/2/3, ``kind`` number/choice/text, tolerances,
    ``repeat`` ('' or the repeat it sits in), labels zh/en."""

    name: str
    compare: str
    type: int
    kind: str
    abs_tol: float = 0.0
    rel_tol: float = 0.0
    repeat: str = ""
    label_zh: str = ""
    label_en: str = ""
    row: int = 0

    def label(self, lang: str = "zh") -> str:
        """The question's label without its paper code (``R21. ``)."""
        text = self.label_zh if lang == "zh" else (self.label_en or self.label_zh)
        return re.sub(r"^[A-Z]\d+[a-z]?\.\s*", "", text) or self.name

    def pair(self) -> FieldPair:
        """The toolkit.verify.compare pair: original (archive side) vs back-check (visit side)."""
        return FieldPair(name=self.name, archive=self.compare, visit=self.name, type=self.type, kind=self.kind,
                         abs_tol=self.abs_tol, rel_tol=self.rel_tol, exclude=NOT_KNOWN, key=True,
                         label_zh=self.label_zh)


def parse_tolerance(text: str, *, where: str = "") -> tuple[float, float]:
    """``'500 or 20%'`` → (500.0, 0.20); '' → (0, 0). Parts joined by ``or``, ``,`` or ``;``."""
    abs_tol = rel_tol = 0.0
    for part in re.split(r"\s*(?:\bor\b|或|,|;|，|；)\s*", text.strip()):
        if not part:
            continue
        m = _TOL.match(part)
        if not m:
            raise UserError("backcheck.bad_tolerance", where=where, value=text)
        v = float(m.group(1))
        if m.group(2):
            rel_tol = v / 100.0
        else:
            abs_tol = v
    return abs_tol, rel_tol


def read_items(path: str | Path) -> tuple[Item, ...]:
    """The compared items of the back-check form at ``path`` (module doc)."""
    from toolkit.forms.reader import parse_header, read_xlsform
    from toolkit.forms.sheets import read_workbook

    path = Path(path)
    form = read_xlsform(path)
    if not form.ok:
        raise UserError("ingest.form_unusable", path=str(path), detail=form.errors[0].message())
    book = read_workbook(path)
    rows = next((r for name, r in book.items() if name.strip().lower() == "survey"), [])
    if not rows:
        raise UserError("backcheck.no_items", path=str(path))
    head = [parse_header(h).column for h in rows[0]]
    col = {c: i for i, c in enumerate(head) if c}
    if "bc_type" not in col:
        raise UserError("backcheck.no_items", path=str(path))
    by = form.by_name()
    items = []
    for rownum, cells in enumerate(rows[1:], start=2):
        cell = lambda c: cells[col[c]].strip() if c in col and col[c] < len(cells) else ""  # noqa: E731
        t = cell("bc_type")
        if not t:
            continue
        name = cell("name")
        where = f"survey, row {rownum}, bc_type"
        if t not in ("1", "2", "3"):
            raise UserError("backcheck.bad_type", where=where, value=t)
        q = by.get(name)
        if q is None:
            raise UserError("backcheck.bad_type", where=where, value=name)
        kind = "number" if q.type in NUMBER_TYPES else ("choice" if q.type.startswith("select") else "text")
        abs_tol, rel_tol = parse_tolerance(cell("bc_tolerance"), where=f"survey, row {rownum}, bc_tolerance")
        items.append(Item(name=name, compare=cell("bc_compare") or name, type=int(t), kind=kind,
                          abs_tol=abs_tol, rel_tol=rel_tol, repeat=q.repeat,
                          label_zh=form.label(q, "zh"), label_en=form.label(q, "en"), row=rownum))
    if not items:
        raise UserError("backcheck.no_items", path=str(path))
    return tuple(items)


def form_path() -> Path:
    """The shipped back-check form."""
    from toolkit.questionnaires import path

    return path("backcheck.xlsx")


__all__ = ["Item", "read_items", "parse_tolerance", "form_path", "NOT_KNOWN"]
