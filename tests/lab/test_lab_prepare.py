"""``fieldeval lab``'s side without a browser: the project's copies (never
overwriting an evaluator's edits), the lab's settings outside the user's home,
the server's command line and environment (no token), the packaged notebooks,
progress lines and tables in words. No kernel, no server: fast."""
from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder that is a project for the preparation (evaluation.toml and a manifest with a seed)."""
    (tmp_path / "evaluation.toml").write_text("# fixture\n", encoding="utf-8")
    return tmp_path


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_lab_prepare_writes_parameterised_copies(project):
    from toolkit import lab
    from toolkit.report import notebooks as nbs

    p = lab.prepare(project, lang="en", seed="4711", kernel="fieldeval-test")
    assert p.directory == project / "notebooks" and p.written == nbs.NAMES and not p.kept
    for name in nbs.NAMES:
        nb = json.loads((p.directory / f"{name}.ipynb").read_text(encoding="utf-8"))
        params = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
        src = "".join(params[0]["source"])
        assert 'project = ".."' in src and 'seed = "4711"' in src and 'lang = "en"' in src
        assert nb["metadata"]["kernelspec"]["name"] == "fieldeval-test"
        shipped = json.loads((REPO / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert [c["source"] for c in nb["cells"] if c is not params[0]] == \
            [c["source"] for c in shipped["cells"] if "parameters" not in c["metadata"].get("tags", [])]
    # the shipped notebooks stay clean
    assert 'project = "demo-project"' in "".join(_cells(REPO / "notebooks" / "04_verify_and_score.ipynb")[1]["source"])


def test_lab_prepare_keeps_an_edited_copy_and_refreshes_the_others(project):
    from toolkit import lab

    d = lab.prepare(project, seed="1").directory
    edited = d / "04_verify_and_score.ipynb"
    nb = json.loads(edited.read_text(encoding="utf-8"))
    nb["cells"][-1]["source"] = "我的笔记 / my note"
    edited.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    run_only = d / "01_plan_sample.ipynb"           # outputs only (the evaluator ran it): not an edit
    nb1 = json.loads(run_only.read_text(encoding="utf-8"))
    code = next(c for c in nb1["cells"] if c["cell_type"] == "code")
    code["outputs"], code["execution_count"] = [{"output_type": "stream", "name": "stdout", "text": "x"}], 3
    run_only.write_text(json.dumps(nb1), encoding="utf-8")

    again = lab.prepare(project, lang="en", seed="1")
    assert again.kept == ("04_verify_and_score",) and "01_plan_sample" in again.written
    assert "我的笔记" in edited.read_text(encoding="utf-8")
    assert 'lang = "en"' in "".join(_cells(run_only)[1]["source"])
    assert '"x"' not in run_only.read_text(encoding="utf-8")

    reset = lab.prepare(project, seed="1", reset=True)
    assert "04_verify_and_score" in reset.written and len(reset.moved) == 1
    assert "我的笔记" in reset.moved[0].read_text(encoding="utf-8")
    assert "我的笔记" not in edited.read_text(encoding="utf-8")


def test_lab_prepare_needs_a_project(tmp_path):
    from toolkit import lab
    from toolkit.errors import UserError

    with pytest.raises(UserError) as e:
        lab.prepare(tmp_path / "nowhere")
    assert "evaluation.toml" in e.value.message("zh")


@pytest.mark.parametrize("lang,locale", [("zh", "zh_CN"), ("en", "en")])
def test_lab_settings_in_the_project_not_the_home(project, lang, locale):
    from toolkit import lab

    area = lab.settings(project, lang)
    assert area.root == project / "output" / ".lab"
    tr = json.loads((area.settings / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings").read_text())
    assert tr["locale"] == locale
    news = json.loads((area.settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings").read_text())
    assert news == {"fetchNews": "false", "checkForUpdates": False}
    spec = json.loads(next((area.data / "kernels").glob("fieldeval-*/kernel.json")).read_text(encoding="utf-8"))
    assert spec["argv"][0] == sys.executable
    assert stat.S_IMODE(area.runtime.stat().st_mode) == 0o700


def test_lab_command_line_and_environment_carry_no_token(project, monkeypatch):
    from toolkit import lab
    from toolkit.commands.serve import write_token

    monkeypatch.setenv("FIELDEVAL_TOKEN", "s3cret-token")
    monkeypatch.setenv("JUPYTER_TOKEN", "other-secret")
    area = lab.settings(project)
    tf = write_token(area.root, "s3cret-token")
    argv = lab.lab_argv(8899)
    env = lab.environment(project, area, tf, "mark")
    assert "--ServerApp.ip=127.0.0.1" in argv and not any("s3cret" in a for a in argv)
    assert "s3cret-token" not in json.dumps(env) and "other-secret" not in json.dumps(env)
    for k in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR",
              "JUPYTERLAB_WORKSPACES_DIR"):
        assert Path(env[k]).is_relative_to(project), k
    assert stat.S_IMODE(tf.stat().st_mode) == 0o600


def test_lab_server_settings_fetch_nothing():
    from jupyterlab.handlers.announcements import NeverCheckForUpdate

    from toolkit.lab_server import lab_config

    c = lab_config("tok", "/p", "fieldeval-x")
    assert c.LabApp.news_url is None and c.LabApp.check_for_updates_class is NeverCheckForUpdate
    assert c.LabApp.extension_manager == "readonly" and c.ServerApp.open_browser is False
    assert c.IdentityProvider.token == "tok" and c.MappingKernelManager.default_kernel_name == "fieldeval-x"
    assert c.ServerApp.default_url == "/lab/tree/notebooks"


def test_lab_language_pack_and_voila_preview_installed():
    from importlib.metadata import version

    from jupyterlab_server.translation_utils import get_language_packs

    assert "zh_CN" in get_language_packs("zh_CN")[0]

    lab_minor = ".".join(version("jupyterlab").split(".")[:2])
    assert version("jupyterlab-language-pack-zh-CN").startswith(lab_minor), "language pack and JupyterLab differ"
    share = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@voila-dashboards" / "jupyterlab-preview"
    assert (share / "package.json").exists()


def test_lab_packaged_notebooks_sync_round_trip(tmp_path):
    from toolkit.report import notebooks as nbs

    src = tmp_path / "src"
    src.mkdir()
    for name in nbs.NAMES:
        nb = json.loads((REPO / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
        nb["cells"][2]["outputs"], nb["cells"][2]["execution_count"] = [{"output_type": "stream", "name": "stdout",
                                                                         "text": "run"}], 7
        (src / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    out = tmp_path / "pkg"
    out.mkdir()
    nbs.sync(src, out)
    for name in nbs.NAMES:   # outputs stripped, same bytes as the committed notebook
        assert (out / f"{name}.ipynb").read_bytes() == (REPO / "notebooks" / f"{name}.ipynb").read_bytes()


def test_lab_progress_line_final_state_outside_a_kernel():
    from toolkit.report.progress_line import Line

    with Line(4, "读取") as line:
        line.update(3)
    assert line.text(done=True).startswith("读取 4/4（100%） ✓")
    assert line.text().startswith("读取 3/4（75%）")


def test_lab_views_in_words():
    from toolkit.report import views

    counts = pd.DataFrame({"measure": ["read", "accepted", "quarantined"], "notebook": [5, 4, 1], "project": [5, 4, 1]})
    shown = views.ingest_counts(counts, "en")
    assert shown.iloc[:, 0].tolist() == ["Records read", "Records accepted", "Records quarantined"]
    assert set(shown.iloc[:, 3]) == {"Yes"}
    empty = views.roster_problems(pd.DataFrame(columns=["column", "rule", "severity", "count"]), "zh")
    assert empty.iloc[0, 0] == "没有发现问题"
    plan = views.plan(pd.DataFrame({"county": ["甲县"], "N": [10], "n": [8], "n_draw": [9], "zero_failure_2pct": [10]}), "zh")
    assert not [c for c in plan.columns if "_" in c]
