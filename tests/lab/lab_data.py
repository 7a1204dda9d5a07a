"""Helpers of the JupyterLab tests: a small fresh demo project, and the
project's notebooks executed under nbclient (as JupyterLab's kernel runs them:
in the notebooks' folder, with the project's kernel spec)."""
from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

HOUSEHOLDS = 1000
SEED = 2026


def build_project(d: Path) -> Path:
    """``fieldeval demo`` with 1,000 households: roster, sample, visits, ingest, verify."""
    from toolkit.demo import run_demo

    with contextlib.redirect_stdout(io.StringIO()):
        run_demo(d, seed=SEED, households=HOUSEHOLDS)
    assert (d / "output" / "verify" / "scorecard.csv").exists()
    return d


def execute(directory: Path, names: tuple[str, ...], timeout: int = 600) -> dict[str, dict]:
    """Execute the project's copies ``directory/<name>.ipynb`` with nbclient in
    ``directory``; {name: executed notebook as JSON}."""
    import nbformat
    from nbclient import NotebookClient

    from toolkit.report import notebooks as nbs

    out = {}
    with nbs.kernel() as kname:
        for name in names:
            nb = nbformat.read(directory / f"{name}.ipynb", as_version=4)
            NotebookClient(nb, kernel_name=kname, timeout=timeout,
                           resources={"metadata": {"path": str(directory)}}).execute()
            out[name] = json.loads(nbformat.writes(nb))
    return out


def outputs(nb: dict) -> list[dict]:
    """Every output of every code cell."""
    return [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]


def text(o: dict) -> str:
    """An output's plain text (a stream's text or the text/plain of a result)."""
    t = o.get("text") or o.get("data", {}).get("text/plain", "")
    return "".join(t) if isinstance(t, list) else t
