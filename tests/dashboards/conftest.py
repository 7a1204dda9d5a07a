"""Fixtures of the dashboard tests: one small demo project per session."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dashboards_data import ARTIFACTS, HOUSEHOLDS, SEED


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory: pytest.TempPathFactory, demo_projects) -> Path:
    """The demo project (synthetic city, sample, visits, verification): a copy of the
    session's cached build (tests/conftest.py)."""
    d = demo_projects(HOUSEHOLDS, SEED, "en", tmp_path_factory.mktemp("dash") / "demo")
    os.environ["FIELDEVAL_PROJECT"] = str(d)
    os.environ.setdefault("MPLBACKEND", "agg")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture
def project_copy(demo_project: Path, tmp_path: Path) -> Path:
    """A private copy of the demo project (tests that write)."""
    dst = tmp_path / "proj"
    shutil.copytree(demo_project, dst, ignore=shutil.ignore_patterns(".voila"))
    return dst
