"""An empty project is a state, not a crash: each stage says in words what to do next."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from toolkit import config
from toolkit.cli import main
from toolkit.errors import FieldevalError, UserError, describe


@pytest.fixture()
def empty(tmp_path):
    config.init(tmp_path)
    return tmp_path


def test_verify_and_report_on_an_empty_project_say_what_to_do(empty, capsys):
    assert main(["verify", "--project", str(empty), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Error:" in err
    assert main(["report", "--project", str(empty), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Error:" in err


def test_results_of_an_empty_project_are_a_user_error(empty):
    from toolkit.project import Project

    with pytest.raises(UserError) as e:
        Project.open(empty).results()
    assert "fieldeval verify" in e.value.message("en")


def test_dashboards_show_the_problem_in_words(empty, monkeypatch):
    import IPython.display

    from toolkit.widgets import leadership, walkthrough

    shown: list[str] = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(getattr(obj, "data", str(obj))))
    for mod in (leadership, walkthrough):
        assert mod.show(SimpleNamespace(project=empty, lang="zh", query={})) is None
    assert len(shown) == 2
    for html in shown:
        assert "fieldeval verify" in html and "Traceback" not in html and "fe-error" in html


def test_half_written_results_are_refused(empty):
    from toolkit.project import Project

    p = Project.open(empty)
    p.paths.verify.mkdir(parents=True)
    (p.paths.verify / "scorecard.parquet").write_bytes(b"PAR1")
    with pytest.raises(UserError) as e:
        p.results()
    assert e.value.key == "project.stage_incomplete"


def test_every_error_has_one_base_and_words():
    from toolkit.survey import SurveyError

    err = SurveyError("survey.unknown_columns", columns="x")
    assert isinstance(err, FieldevalError) and isinstance(err, ValueError)
    text = describe(err, "en")
    assert "x" in text and "{" not in text
    assert "RuntimeError" in describe(RuntimeError("boom"), "en")


def test_the_store_is_named_where_it_is(empty, monkeypatch):
    from toolkit.project import Project

    p = Project.open(empty)
    monkeypatch.delenv("FIELDEVAL_DATABASE_URL", raising=False)
    assert p.store_location().endswith("fieldeval.db")
    monkeypatch.setenv("FIELDEVAL_DATABASE_URL", "postgresql://u:secret@localhost/db")
    where = p.store_location()
    assert where.startswith("postgresql") and "secret" not in where
