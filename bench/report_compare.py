"""Compare two report folders (the same project's report built by two versions of the code).

    python bench/report_compare.py OLD_DIR NEW_DIR

For each of ``*.docx``, ``*.html``, ``*.xlsx`` in OLD_DIR: the Word file's
``word/document.xml`` (byte for byte, and every paragraph and table cell's text),
the HTML page (byte for byte), and every cell value of every sheet of the
workbook (openpyxl, values only) plus its images' count; the pictures (PNG
bytes) inside the Word and Excel files, byte for byte. Prints what differs
and exits 1 when anything does.
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path


def _docx_text(p: Path) -> list[str]:
    import docx

    d = docx.Document(str(p))
    out = [para.text for para in d.paragraphs]
    for tb in d.tables:
        out += [c.text for row in tb.rows for c in row.cells]
    return out


def _xlsx_cells(p: Path) -> dict[str, list[tuple]]:
    import openpyxl

    wb = openpyxl.load_workbook(p, read_only=False)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] + [("images", len(ws._images))]
            for ws in wb.worksheets}


def _media(p: Path) -> dict[str, bytes]:
    """The pictures inside a docx or xlsx (zip members under a ``media`` folder)."""
    z = zipfile.ZipFile(p)
    return {n: z.read(n) for n in z.namelist() if "/media/" in n}


def _same_media(a: Path, b: Path) -> bool:
    ma, mb = _media(a), _media(b)
    print(f"  pictures equal {ma == mb} ({len(ma)} files, {sum(map(len, ma.values())):,} bytes)")
    return ma == mb


def main(old: str, new: str) -> int:
    bad = 0
    for a in sorted(Path(old).iterdir()):
        b = Path(new) / a.name
        if a.suffix == ".docx":
            xa = zipfile.ZipFile(a).read("word/document.xml")
            xb = zipfile.ZipFile(b).read("word/document.xml")
            ta, tb = _docx_text(a), _docx_text(b)
            print(f"{a.name}: document.xml equal {xa == xb} ({len(xa):,} bytes); "
                  f"text equal {ta == tb} ({len(ta):,} paragraphs and cells)")
            bad += (xa != xb) + (ta != tb) + (not _same_media(a, b))
        elif a.suffix == ".html":
            ha, hb = a.read_bytes(), b.read_bytes()
            print(f"{a.name}: equal {ha == hb} ({len(ha):,} bytes)")
            bad += ha != hb
        elif a.suffix == ".xlsx":
            ca, cb = _xlsx_cells(a), _xlsx_cells(b)
            same = ca == cb
            print(f"{a.name}: cells equal {same} ({len(ca)} sheets, "
                  f"{sum(len(r) * len(r[0]) for r in ca.values() if r):,} cells)")
            if not same:
                for s in ca:
                    if ca[s] != cb.get(s):
                        diff = next((i, x, y) for i, (x, y) in enumerate(zip(ca[s], cb.get(s, []))) if x != y) \
                            if s in cb else "missing"
                        print(f"  sheet {s}: first difference {diff}")
            bad += (not same) + (not _same_media(a, b))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
