"""The report as data: sections holding paragraphs, tables and figures.

One :class:`Report` is built once (toolkit.report.content) and rendered three
ways (Word, HTML, Excel), so every format shows the same numbers. Tables hold
only de-identified, leadership-safe frames (see toolkit.report.content).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True, eq=False)
class Table:
    """A titled table. ``key`` names it in the Excel workbook (sheet) and in
    tests; ``frame`` holds display-ready values with translated headers."""

    key: str
    title: str
    frame: pd.DataFrame
    note: str = ""


@dataclass(frozen=True, eq=False)
class Figure:
    """A chart as PNG bytes with its caption."""

    key: str
    title: str
    png: bytes


@dataclass(frozen=True, eq=False)
class Section:
    """A numbered section: a title, then paragraphs, tables, figures and
    sub-sections in that order."""

    key: str
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    figures: tuple[Figure, ...] = ()
    subsections: tuple["Section", ...] = field(default_factory=tuple)


@dataclass(frozen=True, eq=False)
class Report:
    """The whole report: title, subtitle lines and sections, in one language."""

    title: str
    subtitle: tuple[str, ...]
    lang: str
    sections: tuple[Section, ...]

    def tables(self) -> list[Table]:
        """Every table, depth first, in reading order."""
        out: list[Table] = []

        def walk(s: Section) -> None:
            out.extend(s.tables)
            for sub in s.subsections:
                walk(sub)

        for s in self.sections:
            walk(s)
        return out

    def figures(self) -> list[Figure]:
        """Every figure, depth first, in reading order."""
        out: list[Figure] = []

        def walk(s: Section) -> None:
            out.extend(s.figures)
            for sub in s.subsections:
                walk(sub)

        for s in self.sections:
            walk(s)
        return out

    def table(self, key: str) -> Table:
        """The table with this key (KeyError if none)."""
        for tb in self.tables():
            if tb.key == key:
                return tb
        raise KeyError(key)


__all__ = ["Table", "Figure", "Section", "Report"]
