"""Each dashboard notebook runs top to bottom under nbclient with no error
output (in Voilà one failing cell silently stops every cell after it)."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

DASH = Path(__file__).resolve().parents[2] / "toolkit" / "dashboards"


@pytest.mark.parametrize("name", ["leadership", "walkthrough", "entry", "quality"])
def test_notebook_executes(name: str, demo_project: Path) -> None:
    nb = nbformat.read(DASH / f"{name}.ipynb", as_version=4)
    nb.cells[0].source += f"\nproject = {str(demo_project)!r}\nlang = 'en'"
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(DASH)}}).execute()
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"{name}: {out.get('ename')}: {out.get('evalue')}"
            assert not (out["output_type"] == "stream" and out.get("name") == "stderr"
                        and "Traceback" in out.get("text", "")), out.get("text")
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for o in nb.cells[-1].get("outputs", [])), f"{name} displayed no widget"
