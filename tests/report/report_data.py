"""Helpers for the report and notebook tests.

``build_project(dir)`` makes a small demo project (1,500 households) the way a
user does, with ``fieldeval demo``. The
``*_text`` readers give all the text of a file meant for leadership, for the
privacy scan.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd

HOUSEHOLDS = 1500
SEED = 2026
REPO = Path(__file__).resolve().parents[2]


def cli(*argv: str) -> tuple[int, str]:
    """Run ``fieldeval`` in-process; (exit code, stdout)."""
    from toolkit.cli import main

    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(list(argv))
    return code, buf.getvalue()


def build_project(d: Path) -> Path:
    """The demo project in ``d``: ``fieldeval demo`` runs synth, roster check,
    sample, simulated visits, ``fieldeval ingest`` and ``fieldeval verify``."""
    from toolkit.demo import run_demo

    with redirect_stdout(io.StringIO()):
        run_demo(d, seed=SEED, households=HOUSEHOLDS)
    for f in ("sample/manifest.json", "visits/dispositions.csv", "ingest/submissions.parquet",
              "ingest/ingest.json", "verify/scorecard.csv"):
        assert (d / "output" / f).exists(), f
    return d


def roster(d: Path) -> pd.DataFrame:
    """The project's roster (canonical columns)."""
    from toolkit.roster import read_roster

    return read_roster(d / "roster.xlsx").frame


def personal_strings(d: Path) -> dict[str, set[str]]:
    """Full names (household heads and helpers), archive ids of the roster."""
    r = roster(d)
    names = set(r["name"].dropna().astype(str)) | set(r["helper"].dropna().astype(str))
    return {"names": {n for n in names if len(n) >= 2}, "ids": set(r["archive_id"].astype(str))}


def docx_text(path: Path) -> str:
    """Every paragraph and every table cell of a .docx (python-docx)."""
    import docx

    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for tb in doc.tables:
        for row in tb.rows:
            parts.extend(c.text for c in row.cells)
    parts += [doc.core_properties.title or "", doc.core_properties.author or ""]
    return "\n".join(parts)


def xlsx_text(path: Path) -> str:
    """Every cell of every sheet of an .xlsx."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    out = []
    for ws in wb.worksheets:
        out.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            out.extend("" if v is None else str(v) for v in row)
    return "\n".join(out)


def html_text(path: Path) -> str:
    """The HTML source (images are base64 data URIs, skipped by the scan)."""
    return path.read_text(encoding="utf-8")


def ipynb_text(path: Path) -> str:
    """Sources and every text output of a notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for c in nb["cells"]:
        out.append("".join(c.get("source", "")))
        for o in c.get("outputs", []):
            out.append("".join(o.get("text", "")))
            for k, v in o.get("data", {}).items():
                if k.startswith("text/"):
                    out.append("".join(v) if isinstance(v, list) else str(v))
    return "\n".join(out)


def text_of(path: Path) -> str:
    """All text of a leadership file by its suffix."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return docx_text(path)
    if suffix == ".xlsx":
        return xlsx_text(path)
    if suffix == ".ipynb":
        return ipynb_text(path)
    return path.read_text(encoding="utf-8-sig")


def docx_is_zip_without_remote_parts(path: Path) -> bool:
    """A .docx whose relationships point at nothing outside the file."""
    with zipfile.ZipFile(path) as z:
        rels = [z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".rels")]
    return not any(re.search(r'TargetMode="External"', r) for r in rels)
