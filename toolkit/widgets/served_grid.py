"""The grid widget's code served once as a file, not sent with every table.

itables' ``ITable`` is an anywidget: each table's model state carries the
whole DataTables bundle (``_esm``, 619 KB of JavaScript, and ``_css``,
107 KB), and the browser imports it again from a fresh blob for every table.
The quality page has up to five tables, the progress page three: several
megabytes over the kernel's websocket and a fresh parse of the bundle per
table, on the visitor's clock (issue 15: first render, filter changes).

In a Voilà kernel (``fieldeval serve`` and the hub) a table is a
:class:`ServedTable` instead: its ``_esm`` is a 0.5 KB module that imports
the bundle from the ``fieldeval`` template's static folder (written by
:func:`copy_assets` when the template is written), so the browser fetches and
parses it once per page and caches it across visits; its stylesheet is linked
once. Outside Voilà (JupyterLab, tests without a server) :func:`table_class`
gives itables' own ``ITable``, which needs no server files.

The file names carry itables' version, so a browser never keeps an old bundle
after an upgrade.
"""
from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path

TEMPLATE = "fieldeval"   # toolkit.commands.serve.TEMPLATE (not imported: commands sit above widgets)


def _itables() -> tuple[Path, str]:
    """itables' widget folder and version."""
    import itables.widget as iw

    try:
        from importlib.metadata import version

        v = version("itables")
    except Exception:  # noqa: BLE001 - an odd install: still a stable name
        v = "0"
    return Path(iw.__file__).resolve().parent / "static", v


def asset_names() -> tuple[str, str]:
    """The served file names of the bundle and its stylesheet (versioned)."""
    _, v = _itables()
    return f"itables-{v}.js", f"itables-{v}.css"


def copy_assets(static: Path) -> None:
    """Copy itables' bundle and stylesheet into a template's ``static`` folder
    (``toolkit.commands.serve.write_template``); a file already there is kept."""
    src, _ = _itables()
    js, css = asset_names()
    static.mkdir(parents=True, exist_ok=True)
    for name, dest in (("widget.js", js), ("widget.css", css)):
        target = static / dest
        if not target.exists():
            tmp = static / f".{dest}.tmp"
            shutil.copyfile(src / name, tmp)
            os.replace(tmp, target)


def shim() -> str:
    """The module each served table carries: it links the stylesheet once and
    re-exports the bundle imported from the template's static folder, found
    from the page's own base URL (Voilà's ``jupyter-config-data``), so it works
    under ``fieldeval serve`` and behind the hub's proxy alike. While tables are
    being drawn the page's root element carries ``data-fe-grids-pending`` > 0
    (``bench/bench_dashboards.py`` waits for 0: a page is complete when its
    tables are)."""
    js, css = asset_names()
    return ("const c = JSON.parse(document.getElementById('jupyter-config-data')?.textContent || '{}');\n"
            f"const base = new URL((c.baseUrl || '/') + 'voila/templates/{TEMPLATE}/static/', location.href);\n"
            "if (!document.querySelector('link[data-fe-grid]')) {\n"
            "  const l = document.createElement('link'); l.rel = 'stylesheet';\n"
            f"  l.href = new URL('{css}', base).href; l.dataset.feGrid = '1'; document.head.appendChild(l);\n"
            "}\n"
            f"const m = await import(new URL('{js}', base).href);\n"
            "const d = document.documentElement;\n"
            "const bump = (k) => { d.dataset.feGridsPending = String((Number(d.dataset.feGridsPending) || 0) + k); };\n"
            "export default { ...m.default, async render(ctx) {\n"
            "  bump(1);\n"
            "  try { return await m.default.render(ctx); } finally { bump(-1); }\n"
            "} };\n")


def in_voila() -> bool:
    """Whether this kernel was started by Voilà (it sets ``VOILA_*`` variables)."""
    return any(k in os.environ for k in ("VOILA_KERNEL_ID", "VOILA_PREHEAT", "VOILA_APP_PORT", "VOILA_SERVER_URL"))


@cache
def _served_class() -> type:
    from itables.widget import ITable

    return type("ServedTable", (ITable,), {"_esm": shim(), "_css": "", "__module__": __name__,
                                           "__doc__": "itables' ITable whose bundle is served as a file (module doc)."})


def table_class() -> type:
    """``ServedTable`` in a Voilà kernel, itables' ``ITable`` elsewhere (module doc)."""
    if in_voila():
        return _served_class()
    from itables.widget import ITable

    return ITable


__all__ = ["asset_names", "copy_assets", "in_voila", "shim", "table_class"]
