"""A workbook's sheet names and first sheet's header row, without loading it.

Platform sniffing and the wrong-form check need only the header row of the
first sheet and the sheet names. openpyxl (even ``read_only``) parses the
whole shared-string table on opening: 56 s of a 134 s ingest of ~28,800
visits, three times per ingest. Here the zip's ``workbook.xml`` and its
relationships give the sheets; the first sheet's XML is streamed to the end
of row 1 and the shared strings only up to the highest index row 1 uses.

The fast path answers only for the plain case, where its answer is the one
openpyxl/pandas gave (``pd.read_excel(sheet_name=0, nrows=0,
engine="openpyxl")`` columns; ``load_workbook(read_only=True).sheetnames``):
every sheet a worksheet; row 1 is the sheet's first row, its cells A1, B1, …
without a gap, each a shared string that is plain or rich text (no phonetic
runs, no ``_x…_`` escapes), not blank, not a missing-value word pandas would
rename, no name twice. Anything else returns None and the caller reads the
workbook as before (tests/ingest/test_xlsx_head.py compares both).
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import iterparse

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_CELL_REF = re.compile(r"([A-Z]+)1")


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _sheets(z: zipfile.ZipFile) -> list[tuple[str, str]] | None:
    """(name, part path) of every sheet in workbook order; None unless all are worksheets present in the zip."""
    names = set(z.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    rels = {}
    for _, el in iterparse(z.open("xl/_rels/workbook.xml.rels")):
        if el.tag == _PKG:
            rels[el.get("Id")] = (el.get("Type", ""), el.get("Target", ""))
    out = []
    for _, el in iterparse(z.open("xl/workbook.xml")):
        if el.tag == f"{_MAIN}sheet":
            typ, target = rels.get(el.get(_REL), ("", ""))
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            if typ != _WORKSHEET or part not in names or el.get("name") is None:
                return None
            out.append((el.get("name"), part))
    return out


def sheet_names(path: Path) -> list[str] | None:
    """The workbook's sheet names in order, or None (then open it with openpyxl)."""
    try:
        with zipfile.ZipFile(path) as z:
            sheets = _sheets(z)
    except (zipfile.BadZipFile, OSError, KeyError, SyntaxError):
        return None
    return None if sheets is None else [n for n, _ in sheets]


def _text(el: object) -> str | None:
    """The text of an ``si`` or ``is`` element as openpyxl reads it (plain and
    rich runs joined), None for anything else (phonetic runs …)."""
    parts = []
    for child in el:
        if child.tag == f"{_MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{_MAIN}r":
            t = child.find(f"{_MAIN}t")
            parts.append("" if t is None else (t.text or ""))
        else:
            return None
    return "".join(parts)


def _row1(z: zipfile.ZipFile, part: str) -> list[int | str] | None:
    """Row 1's cells: shared-string indices, or the text of inline strings; None when row 1 is not plain."""
    idx: list[int | str] = []
    in_row = False
    with z.open(part) as f:
        for ev, el in iterparse(f, events=("start", "end")):
            tag = el.tag
            if ev == "start":
                if tag == f"{_MAIN}row":
                    if el.get("r", "1") != "1":
                        return None
                    in_row = True
                continue
            if tag == f"{_MAIN}row" and in_row:
                return idx or None
            if in_row and tag == f"{_MAIN}c":
                m = _CELL_REF.fullmatch(el.get("r", ""))
                if m is None or _col(m.group(1)) != len(idx) + 1 or el.find(f"{_MAIN}f") is not None:
                    return None
                inline = el.find(f"{_MAIN}is")
                if el.get("t") == "inlineStr" and inline is not None:   # openpyxl writes text inline
                    text = _text(inline)
                    if text is None:
                        return None
                    idx.append(text)
                    continue
                v = el.find(f"{_MAIN}v")
                if el.get("t") != "s" or v is None or not (v.text or "").strip().isdigit():
                    return None
                idx.append(int(v.text))
            elif tag == f"{_MAIN}sheetData":
                return None   # no row at all
    return None


def _shared(z: zipfile.ZipFile, wanted: set[int]) -> dict[int, str] | None:
    """The shared strings at ``wanted`` (streamed up to the highest), or None when one is not plain."""
    if "xl/sharedStrings.xml" not in z.namelist():
        return None
    top, out, k = max(wanted), {}, 0
    with z.open("xl/sharedStrings.xml") as f:
        for _, el in iterparse(f):
            if el.tag != f"{_MAIN}si":
                continue
            if k in wanted:
                text = _text(el)
                if text is None:
                    return None   # phonetic runs etc.: openpyxl's reading decides
                out[k] = text
            el.clear()
            if k == top:
                return out
            k += 1
    return None


def first_header(path: Path) -> list[str] | None:
    """The first sheet's row 1 as pandas/openpyxl named its columns, or None (see the module doc)."""
    from pandas._libs.parsers import STR_NA_VALUES

    try:
        with zipfile.ZipFile(path) as z:
            sheets = _sheets(z)
            if not sheets:
                return None
            idx = _row1(z, sheets[0][1])
            if not idx:
                return None
            wanted = {i for i in idx if isinstance(i, int)}
            strings = _shared(z, wanted) if wanted else {}
    except (zipfile.BadZipFile, OSError, KeyError, SyntaxError, ValueError):
        return None
    if strings is None:
        return None
    names = [i if isinstance(i, str) else strings[i] for i in idx]
    if (len(set(names)) != len(names) or any(not n.strip() or "_x" in n or "x005F_" in n or n in STR_NA_VALUES for n in names)):
        return None
    return names


__all__ = ["first_header", "sheet_names"]
