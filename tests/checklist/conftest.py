"""A bare project (evaluation.toml and its key, six counties): the checklist
and forum notes need no sample or visits."""
from __future__ import annotations

from pathlib import Path

import pytest


def fresh_project(d: Path):  # noqa: ANN201 - toolkit.project.Project
    from toolkit import config
    from toolkit.project import Project

    config.init(d, name="测试评估")
    return Project.open(d)


@pytest.fixture()
def project(tmp_path: Path):  # noqa: ANN201
    return fresh_project(tmp_path / "p")
