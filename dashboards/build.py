"""Write the dashboard notebooks (no outputs, no execution counts).

Each notebook is a few cells calling toolkit.widgets: a papermill-style
``parameters`` cell, an import cell (run while the kernel is preheated), the
cell that waits for the browser's request (tagged ``wait-for-request``: a
preheated kernel sits in it until a visitor comes, so ``fieldeval serve``
gives it no cell timeout, see toolkit.commands.serve_voila), then the
request-dependent cells. Run ``python dashboards/build.py`` after editing.
"""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "toolkit" / "dashboards"   # package data: an installed wheel serves them
WAIT_TAG = "wait-for-request"  # = toolkit.commands.serve_voila.WAIT_TAG

APPS = {
    "leadership": ("领导看板 / leadership overview", "from toolkit.widgets import leadership as app"),
    "walkthrough": ("入户核查 / household walkthrough", "from toolkit.widgets import walkthrough as app"),
    "entry": ("入户录入 / field entry", "from toolkit.widgets import entry as app"),
    "quality": ("数据质量 / data quality", "from toolkit.widgets import quality as app"),
    "progress": ("调查进度 / field progress", "from toolkit.widgets import progress as app"),
}


def notebook(name: str, title: str, imp: str) -> nbformat.NotebookNode:
    """One dashboard notebook."""
    cells = [
        new_code_cell(f'# {title}\nproject = ""  # project directory; "" = $FIELDEVAL_PROJECT\nlang = "zh"',
                      metadata={"tags": ["parameters"]}),
        new_code_cell(f"{imp}\nfrom toolkit.widgets.dashboard import params\napp.preload(project, lang)  # the page, built before any visitor"),
        new_code_cell("p = params(project, lang)  # waits for the request: query string ?lang=en",
                      metadata={"tags": [WAIT_TAG]}),
        new_code_cell("app.show(p);  # the page itself; the semicolon keeps the object's repr off it"),
    ]
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    for c in nb.cells:
        c.pop("id", None)
    nb.nbformat_minor = 4
    return nb


def main() -> None:
    for name, (title, imp) in APPS.items():
        nbformat.write(notebook(name, title, imp), OUT / f"{name}.ipynb")


if __name__ == "__main__":
    main()
