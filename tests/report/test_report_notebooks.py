"""The evaluation notebooks: committed clean, executed on the demo project by
``fieldeval notebooks run``, and their key results equal the commands'."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pandas as pd
import pytest

from report_data import REPO

NB_DIR = REPO / "notebooks"


def test_report_committed_notebooks_are_the_packaged_ones_without_outputs():
    from toolkit.report import notebooks as nb

    for name in nb.NAMES:
        path = NB_DIR / f"{name}.ipynb"
        assert (nb.packaged_dir() / f"{name}.ipynb").read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), \
            f"{path} differs from the packaged copy: run python -m toolkit.report.notebooks sync"
        data = json.loads(path.read_text(encoding="utf-8"))
        assert "widgets" not in data["metadata"], name
        for c in data["cells"]:
            if c["cell_type"] == "code":
                assert c["outputs"] == [] and c["execution_count"] is None


def test_report_notebooks_have_papermill_parameters_and_call_only_the_toolkit():
    import papermill as pm

    from toolkit.report import notebooks as nb

    for name in nb.NAMES:
        params = pm.inspect_notebook(str(NB_DIR / f"{name}.ipynb"))
        assert set(params) == {"project", "seed", "lang", "out"}, name
        data = json.loads((NB_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
        md = [("".join(c["source"])) for c in data["cells"] if c["cell_type"] == "markdown"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in md[0]) and "*" in md[0], name   # Chinese with an English line
        for c in data["cells"]:
            src = "".join(c["source"])
            if c["cell_type"] != "code":
                continue
            lines = [ln for ln in src.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
            assert len(lines) <= 5, (name, src)
            for kw in ("for ", "while ", "if ", "def ", "lambda", "import pandas", "eval(", "exec("):
                assert kw not in src, (name, kw, src)


def test_report_every_notebook_executed(executed):
    from toolkit.report import notebooks as nb

    for name in nb.NAMES:
        data = json.loads((executed / f"{name}.ipynb").read_text(encoding="utf-8"))
        outs = [o for c in data["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
        assert not [o for o in outs if o["output_type"] == "error"], name
        assert data["metadata"]["papermill"]["exception"] in (None, False), name
        injected = [c for c in data["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
        assert injected and "project = " in "".join(injected[0]["source"]), name


def test_report_notebook_01_plan(executed, project):
    from report_data import roster

    plan = pd.read_csv(executed / "01_plan_sample" / "plan.csv", encoding="utf-8-sig")
    counts = roster(project)["county"].value_counts()
    assert dict(zip(plan["county"], plan["N"])) == counts.to_dict()
    assert (plan["n"] <= plan["N"]).all() and (plan["n_draw"] >= plan["n"]).all()


def test_report_notebook_02_rederives_the_sample(executed, inputs):
    check = json.loads((executed / "02_draw_sample" / "sample_check.json").read_text(encoding="utf-8"))
    assert check["ok"] is True and check["differences"] == []
    assert check["seed"] == str(inputs.manifest["seed"]["value"])
    assert check["roster_sha256"] == inputs.manifest["roster"]["sha256"]
    assert check["selected"] == inputs.manifest["counts"]["selected"]


def test_report_notebook_03_ingest_counts_equal_the_command(executed, project):
    counts = pd.read_csv(executed / "03_ingest_and_check" / "ingest_counts.csv", encoding="utf-8-sig")
    assert (counts["notebook"] == counts["project"]).all()
    rec = json.loads((project / "output" / "ingest" / "ingest.json").read_text(encoding="utf-8"))
    assert counts.set_index("measure")["notebook"].to_dict() == {k: rec[k] for k in ("read", "accepted", "quarantined")}
    a = pd.read_parquet(executed / "03_ingest_and_check" / "submissions.parquet")
    b = pd.read_parquet(project / "output" / "ingest" / "submissions.parquet")
    assert a["KEY"].tolist() == b["KEY"].tolist() and a["_status"].tolist() == b["_status"].tolist()


def test_report_notebook_04_scorecard_equals_the_command(executed, project):
    a = (executed / "04_verify_and_score" / "scorecard.csv").read_bytes()
    b = (project / "output" / "verify" / "scorecard.csv").read_bytes()
    assert a == b


def test_report_notebook_05_satisfaction(executed, inputs):
    from toolkit.report.content import satisfaction_scale

    rel = pd.read_csv(executed / "05_satisfaction" / "reliability.csv", encoding="utf-8-sig")
    f = inputs.frame[inputs.frame["status"] != "非建档"]
    r = satisfaction_scale().reliability(f)
    assert rel["alpha"].iloc[0] == pytest.approx(r.alpha, abs=1e-12)
    assert rel["n"].iloc[0] == r.n
    est = pd.read_csv(executed / "05_satisfaction" / "satisfaction.csv", encoding="utf-8-sig")
    top = est[(est["measure"] == "top_box")]
    assert set(top["county"]) == {"全市", *(c.name for c in inputs.evaluation.counties)}
    assert ((top["ci_low"] <= top["estimate"]) & (top["estimate"] <= top["ci_high"])).all()


def test_report_notebook_06_report_matches_the_command(executed, report_files):
    from report_data import docx_text

    files = {p.suffix: p for p in (executed / "06_report").iterdir()}
    assert set(files) == {".docx", ".html", ".xlsx"}
    # same tables as the command's report (the date line aside)
    strip = lambda s: "\n".join(ln for ln in s.splitlines() if not ln.startswith("生成日期"))  # noqa: E731
    assert strip(docx_text(files[".docx"])) == strip(docx_text(report_files["zh"]["docx"]))


def test_report_notebooks_found_without_a_checkout(tmp_path, monkeypatch):
    from toolkit.errors import UserError
    from toolkit.report import notebooks as nb

    monkeypatch.setattr(nb, "checkout_dir", lambda: tmp_path / "nowhere")
    d = nb.locate(None, tmp_path / "scratch")
    assert d == tmp_path / "scratch"
    for name in nb.NAMES:
        assert (d / f"{name}.ipynb").read_text(encoding="utf-8") == (NB_DIR / f"{name}.ipynb").read_text(encoding="utf-8")
    with pytest.raises(UserError):
        nb.locate(tmp_path / "nowhere", tmp_path / "x")


def test_report_kernel_spec_is_this_interpreter():
    from toolkit.report import notebooks as nb

    before = os.environ.get("JUPYTER_PATH")
    with nb.kernel() as name:
        base = Path(os.environ["JUPYTER_PATH"].split(os.pathsep)[0])
        spec = json.loads((base / "kernels" / name / "kernel.json").read_text())
        assert spec["argv"][0] == sys.executable
        from jupyter_client.kernelspec import KernelSpecManager

        assert KernelSpecManager().get_kernel_spec(name).argv[0] == sys.executable
    assert os.environ.get("JUPYTER_PATH") == before
    assert not base.exists()


def test_report_notebooks_list_and_unknown_only(project, tmp_path):
    from report_data import cli

    code, text = cli("notebooks", "list")
    assert code == 0 and "06_report" in text
    code, _ = cli("notebooks", "run", "--project", str(project), "--out", str(tmp_path / "x"), "--only", "99_nothing")
    assert code == 2
    assert not (tmp_path / "x").exists()
