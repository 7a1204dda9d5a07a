"""The Voilà dashboard notebooks fieldeval serves (package data, so an installed
wheel serves them): leadership, walkthrough, entry, quality. Each is a few
cells calling toolkit.widgets; ``dashboards/build.py`` in the source tree
writes them."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

NAMES = ("leadership", "walkthrough", "entry", "quality")


def folder() -> Path:
    """The folder holding the four ``.ipynb`` files."""
    return Path(str(resources.files(__name__)))


__all__ = ["NAMES", "folder"]
