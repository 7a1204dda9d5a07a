"""Session fixtures: one demo project, its report (zh and en) and one
execution of every notebook, shared by all report tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from report_data import HOUSEHOLDS, SEED, cli


@pytest.fixture(scope="session")
def project(tmp_path_factory, demo_projects) -> Path:
    """A small demo project (1,500 households) with visits ingested and verified: a
    copy of the session's cached build (tests/conftest.py)."""
    return demo_projects(HOUSEHOLDS, SEED, "zh", tmp_path_factory.mktemp("report") / "demo")


@pytest.fixture(scope="session")
def inputs(project):
    """toolkit.report.gather.from_project of the demo project."""
    from toolkit.report.gather import from_project

    return from_project(project)


@pytest.fixture(scope="session")
def report_zh(inputs):
    from toolkit.report.content import build

    return build(inputs, "zh")


@pytest.fixture(scope="session")
def report_files(project) -> dict[str, dict[str, Path]]:
    """{lang: {format: path}} written by ``fieldeval report``."""
    files: dict[str, dict[str, Path]] = {}
    for lang in ("zh", "en"):
        out = project / "output" / f"report_{lang}"
        code, text = cli("report", "--project", str(project), "--format", "docx,html,xlsx", "--lang", lang,
                         "--out", str(out))
        assert code == 0, text
        stem = "评估报告" if lang == "zh" else "evaluation_report"
        files[lang] = {f: out / f"{stem}.{f}" for f in ("docx", "html", "xlsx")}
    return files


@pytest.fixture(scope="session")
def executed(project, tmp_path_factory) -> Path:
    """Every notebook executed once by ``fieldeval notebooks run``; the directory of copies."""
    out = tmp_path_factory.mktemp("notebooks")
    code, text = cli("notebooks", "run", "--project", str(project), "--out", str(out))
    assert code == 0, text
    return out
