"""Fixtures of the JupyterLab tests: one fresh small project, its notebooks prepared by
``fieldeval lab``'s preparation and executed once under nbclient."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from lab_data import HOUSEHOLDS, SEED, execute


@pytest.fixture(scope="session")
def lab_project(tmp_path_factory: pytest.TempPathFactory, demo_projects) -> Path:
    """A fresh demo project (1,000 households): a copy of the session's cached build (tests/conftest.py)."""
    os.environ.setdefault("MPLBACKEND", "agg")
    return demo_projects(HOUSEHOLDS, SEED, "zh", tmp_path_factory.mktemp("lab") / "demo")


@pytest.fixture(scope="session")
def executed(lab_project: Path) -> dict[str, dict]:
    """The project's copies of the notebooks (toolkit.lab.prepare), executed by nbclient: 01–05
    (06 writes the report, 40 % of the time; tests/report executes it and compares it with the command's)."""
    from toolkit import lab
    from toolkit.report import notebooks as nbs

    prepared = lab.prepare(lab_project)
    assert prepared.written == nbs.NAMES
    return execute(prepared.directory, nbs.NAMES[:5])
