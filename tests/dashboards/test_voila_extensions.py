"""Voilà loads only the JupyterLab extensions a dashboard uses (issue 15: each extra
extension is a script a first visitor's browser fetches and runs before the page)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from toolkit.commands.serve_voila import UNUSED_EXTENSIONS, voila_config
from toolkit.hub.single import config as hub_config


def installed_extensions() -> dict[str, Path]:
    """Name -> folder of every federated JupyterLab extension in this environment."""
    out = {}
    for pkg in (Path(sys.prefix) / "share" / "jupyter" / "labextensions").rglob("package.json"):
        if pkg.parent.parent.name == "labextensions" or pkg.parent.parent.parent.name == "labextensions":
            out[json.loads(pkg.read_text(encoding="utf-8"))["name"]] = pkg.parent
    return out


def test_denied_names_are_real_extensions_and_widgets_stay() -> None:
    names = installed_extensions()
    for name in UNUSED_EXTENSIONS:   # a misspelt name would deny nothing
        assert name in names, (name, sorted(names))
    assert "@jupyter-widgets/jupyterlab-manager" not in UNUSED_EXTENSIONS
    assert "anywidget" not in UNUSED_EXTENSIONS   # the grids (itables) are anywidgets


def test_serve_and_hub_both_deny_them() -> None:
    assert voila_config("", 30).VoilaConfiguration.extension_denylist == list(UNUSED_EXTENSIONS)
    assert hub_config().VoilaConfiguration.extension_denylist == list(UNUSED_EXTENSIONS)


def test_voila_filters_them_out() -> None:
    from voila.utils import filter_extension

    found = [{"name": n} for n in installed_extensions()]
    kept = {x["name"] for x in filter_extension(found, extension_denylist=list(UNUSED_EXTENSIONS))}
    assert kept == set(installed_extensions()) - set(UNUSED_EXTENSIONS)
