"""The six evaluation notebooks: their cells (kept here, in the package), the
files in ``notebooks/`` and the runner behind ``fieldeval notebooks run``.

Source of truth: :data:`NOTEBOOKS` below. ``python -m toolkit.report.notebooks``
writes ``notebooks/*.ipynb`` (no outputs, no execution counts, no cell ids);
a test checks the committed files equal what this module writes. Because the
cells live in the package, an installed ``fieldeval`` (no source checkout)
can still run them: :func:`locate` uses the checkout's ``notebooks/`` when it
is there (next to the ``toolkit`` package, i.e. a clone or an editable
install) and otherwise writes the packaged notebooks into the run's output
directory first.

Each notebook: a title in Chinese with an English line, a papermill
``parameters`` cell (``project``, ``seed``, ``lang``, ``out``), then short
Markdown explanations for the evaluator and cells of one or two calls to
:mod:`toolkit.report.steps`. Long steps show a tqdm.auto progress widget.

Running: papermill with a kernel spec written at run time for *this*
interpreter (:func:`kernel`), so the notebooks run in the same virtual
environment as the command, also in a fresh CI ``.venv`` with no kernel
installed.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

NAMES = ("01_plan_sample", "02_draw_sample", "03_ingest_and_check", "04_verify_and_score",
         "05_satisfaction", "06_report")

_PARAMS = '''# 参数 / parameters (papermill)
project = "demo-project"   # 评估项目目录 / project directory
seed = "2026"              # 抽样种子（公开来源）/ sampling seed (from a public draw)
lang = "zh"                # 语言 zh | en / language
out = ""                   # 结果目录（留空则用项目的 output/notebooks）/ results directory (blank: output/notebooks)'''

_SETUP = '''from toolkit.report import steps
ev = steps.project(project)
out_dir = steps.out_dir(ev, out, "{name}")'''

_REPRO = ("**可复现 / Reproducible.** 本笔记本只调用 `toolkit`，不含自己的计算逻辑；"
          "`fieldeval notebooks run --project 项目目录 --out 输出目录` 可以一次性重跑全部笔记本并保存执行后的副本。\n\n"
          "*This notebook only calls the toolkit; `fieldeval notebooks run` re-runs all of them and keeps the executed copies.*")


@dataclass(frozen=True)
class Cell:
    """One cell: ``kind`` markdown | code | parameters, and its source."""

    kind: str
    source: str


def _md(zh: str, en: str) -> Cell:
    return Cell("markdown", f"{zh}\n\n*{en}*")


NOTEBOOKS: dict[str, tuple[Cell, ...]] = {
    "01_plan_sample": (
        Cell("markdown", "# 01 制定抽样方案\n\n*01 Plan the spot-check sample.*\n\n"
             "读取评估项目（各区县低保标准、最低工资、评估标准）和困难职工档案，按区县估算需要入户核实的户数。\n\n"
             "*Reads the project and the roster and works out how many households to visit per county.*"),
        Cell("parameters", _PARAMS),
        Cell("code", _SETUP.format(name="01_plan_sample")),
        _md("## 1. 评估范围\n\n被评估的区县及其低保标准（元/人·月）和最低工资，来自 `evaluation.toml`。",
            "1. Scope: the counties with their 低保 line and minimum wage, from evaluation.toml."),
        Cell("code", "steps.counties(ev, lang)"),
        _md("## 2. 读取档案\n\n按区县和档案状态（在档、已脱困、已解困、注销）统计户数。只显示计数，不显示个人信息。",
            "2. The roster: households by county and archive status (counts only)."),
        Cell("code", "roster = steps.read_roster(ev)\nsteps.roster_overview(roster)"),
        _md("## 3. 样本量\n\n`n`：以 ±10 个百分点精度估计比例（p = 0.5，95% 置信）所需完成户数（含有限总体校正）；"
            "`n_draw`：按预计应答率放大后的抽取户数；`zero_failure_2pct`：若错退率达到 2%，以 95% 把握至少查到 1 户所需户数。"
            "公开的评估实践约为每个被评估单位 100 户。",
            "3. Sample size: completed households for ±10 points at 95 % (with the finite-population correction), "
            "households to draw given the response rate, and the zero-failure size for a 2 % rate."),
        Cell("code", "plan = steps.plan(ev, roster)\nplan"),
        Cell("code", 'steps.save(plan, out_dir, "plan.csv")'),
        Cell("markdown", _REPRO),
    ),
    "02_draw_sample": (
        Cell("markdown", "# 02 随机抽样与复核\n\n*02 Draw the sample and re-derive it.*\n\n"
             "样本由公开种子和每户档案编号的 SHA-256 哈希签号决定：同一份档案、同一个种子，在任何电脑上都抽出同一批住户。"
             "备用户事先排好顺序，只能按顺序启用，不得以“邻居”替代。\n\n"
             "*The sample follows from a public seed and SHA-256 hash tickets: the same roster and seed give the "
             "same households on any machine. Reserves are released strictly in order.*"),
        Cell("parameters", _PARAMS),
        Cell("code", _SETUP.format(name="02_draw_sample")),
        _md("## 1. 抽样（项目尚未抽样时）\n\n如果项目已有抽样结果（manifest.json），这一步不重抽，只返回其路径；"
            "否则按 `evaluation.toml` 的 `[sampling]` 设置和参数 `seed` 运行 `fieldeval sample draw`。",
            "1. Draw (only when the project has no sample yet), with fieldeval sample draw and the seed parameter."),
        Cell("code", "manifest = steps.draw_if_missing(ev, seed, lang=lang)\nmanifest"),
        _md("## 2. 复核样本\n\n用档案和记录的种子重新抽样，逐户比对入样住户、签号、入样概率和权数。"
            "`ok = True` 表示样本可以被任何人复现；档案指纹（SHA-256）不同说明档案在抽样后被改动过。",
            "2. Re-derive: draw again from the roster with the recorded seed and compare every household; "
            "ok = True means anyone can reproduce the sample."),
        Cell("code", "check = steps.verify_sample(ev)\ncheck.as_dict()"),
        Cell("code", 'steps.save_json(check.as_dict(), out_dir, "sample_check.json")'),
        _md("## 3. 各层样本量", "3. Households per stratum."),
        Cell("code", "steps.allocation(ev)"),
        Cell("markdown", _REPRO),
    ),
    "03_ingest_and_check": (
        Cell("markdown", "# 03 数据导入与质量检查\n\n*03 Ingest the visits and check them.*\n\n"
             "重新读取入户调查导出文件（ODK/Kobo/Excel/SPSS/Stata），按问卷逐项校验，运行每日质量检查"
             "（重复、时长、异常值、缺失、不知道/拒答等），并检查档案的完整性。\n\n"
             "*Reads the visit exports again, validates them against the form, runs the daily quality checks "
             "and checks the roster.*"),
        Cell("parameters", _PARAMS),
        Cell("code", _SETUP.format(name="03_ingest_and_check")),
        _md("## 1. 导入\n\n读取项目 `ingest.json` 记录的同一批导出文件和问卷；下表对比本次与项目记录的读取、接受、隔离份数，应当一致。",
            "1. Ingest the same exports with the same form; the counts must equal the project's ingest.json."),
        Cell("code", "res = steps.ingest(ev, out_dir, lang=lang)\ncounts = steps.ingest_counts(res, ev)\ncounts"),
        Cell("code", 'steps.save(counts, out_dir, "ingest_counts.csv")'),
        _md("## 2. 校验问题（按规则）", "2. Validation issues by rule."),
        Cell("code", "res.issues_by_rule()"),
        _md("## 3. 每日质量检查\n\n各项检查发现的记录数；明细在输出目录的 quality.xlsx（仅供评估组内部使用，含访员信息）。",
            "3. Daily quality checks: rows per check; details in quality.xlsx (evaluation team only)."),
        Cell("code", "steps.quality_overview(res)"),
        _md("## 4. 档案完整性\n\n档案问题按字段、规则计数（不显示具体值）。", "4. Roster problems by field and rule (no values)."),
        Cell("code", "roster = steps.read_roster(ev)\nsteps.roster_problems(ev, roster)"),
        Cell("markdown", _REPRO),
    ),
    "04_verify_and_score": (
        Cell("markdown", "# 04 入户核实与评估记分卡\n\n*04 Verify and score.*\n\n"
             "把入户核实结果与档案逐户比对，得出每户的问题（错评、漏评、错退、漏退、档案不符、需求、帮扶责任人、资金到户），"
             "再按抽样设计加权估计六个方面的指标及 95% 置信区间，与评估标准比较得出结论。\n\n"
             "*Compares each visit with the archive, estimates the indicators of the six aspects with 95 % "
             "intervals from the sample design, and gives each a verdict against its threshold.*"),
        Cell("parameters", _PARAMS),
        Cell("code", _SETUP.format(name="04_verify_and_score")),
        _md("## 1. 核实与估计", "1. Verification and estimation."),
        Cell("code", "inputs = steps.evaluate(project, lang)"),
        _md("## 2. 记分卡\n\n每个指标 × 全市及各区县：估计值、95% 置信区间、样本量、标准与结论。"
            "区间完全满足标准为“达标”，完全不满足为“未达标”，跨越标准为“无法判定”。",
            "2. The scorecard: estimate, 95 % interval, n, threshold and verdict per indicator and county."),
        Cell("code", "steps.scorecard(inputs, lang)"),
        Cell("code", "steps.write_scorecard(inputs, out_dir, lang)"),
        _md("## 3. 问题发现（按类型、区县计数）", "3. Findings by type and county (counts)."),
        Cell("code", "steps.findings(inputs)"),
        Cell("markdown", _REPRO),
    ),
    "05_satisfaction": (
        Cell("markdown", "# 05 满意度与量表信度\n\n*05 Satisfaction and reliability.*\n\n"
             "满意度量表 4 题（总体帮扶、认定公平、脱困认定、工会干部），5 级计分，“不知道/拒答”按缺失。"
             "先检查量表信度（Cronbach's α、校正题总相关），再按抽样设计加权估计各区县的满意率和 0–100 分。\n\n"
             "*Four five-point items; reliability first (Cronbach's alpha, item–total correlations), then "
             "weighted satisfaction by county.*"),
        Cell("parameters", _PARAMS),
        Cell("code", _SETUP.format(name="05_satisfaction")),
        Cell("code", "inputs = steps.evaluate(project, lang)\nsat = steps.satisfaction(inputs)"),
        _md("## 1. 信度\n\nα ≥ 0.7 一般认为可以接受。", "1. Reliability: alpha ≥ 0.7 is usually acceptable."),
        Cell("code", 'sat["reliability"]'),
        Cell("code", 'sat["items"]'),
        _md("## 2. 各区县满意度（加权）\n\n`top_box`：四题合并的“非常满意 + 满意”比例；`score_100`：0–100 分。",
            "2. Weighted satisfaction by county: pooled top-two-box rate and 0–100 score."),
        Cell("code", 'sat["estimates"]'),
        Cell("code", 'steps.save(sat["estimates"], out_dir, "satisfaction.csv")\n'
                     'steps.save(sat["reliability"], out_dir, "reliability.csv")'),
        Cell("markdown", _REPRO),
    ),
    "06_report": (
        Cell("markdown", "# 06 生成评估报告\n\n*06 Write the evaluation report.*\n\n"
             "生成 Word（.docx）、离线 HTML 和 Excel 三种格式的评估报告：评估方法（含档案指纹和种子）、六个方面的结果、"
             "满意度、数据质量、问题发现、各区县整改清单和指标定义。报告已去标识化，可以交给领导和被评估方。\n\n"
             "*Writes the report as Word, offline HTML and Excel; de-identified, ready for leadership.*"),
        Cell("parameters", _PARAMS),
        Cell("code", _SETUP.format(name="06_report")),
        Cell("code", "paths = steps.report(project, lang, out_dir)\npaths"),
        Cell("markdown", _REPRO),
    ),
}


def notebook(name: str):
    """The nbformat notebook ``name`` (no outputs, no execution counts, no ids)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    cells = []
    for c in NOTEBOOKS[name]:
        if c.kind == "markdown":
            cells.append(new_markdown_cell(c.source))
        elif c.kind == "parameters":
            cells.append(new_code_cell(c.source, metadata={"tags": ["parameters"]}))
        else:
            cells.append(new_code_cell(c.source))
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    for c in nb.cells:
        c.pop("id", None)
    nb.nbformat_minor = 4
    nbformat.validate(nb)
    return nb


def notebook_text(name: str) -> str:
    """The .ipynb text of ``name`` as :func:`write_all` writes it."""
    import nbformat

    return nbformat.writes(notebook(name)) + "\n"


def write_all(directory: str | Path) -> list[Path]:
    """Write every notebook into ``directory``; return the paths."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    out = []
    for name in NAMES:
        p = d / f"{name}.ipynb"
        p.write_text(notebook_text(name), encoding="utf-8")
        out.append(p)
    return out


def checkout_dir() -> Path:
    """``notebooks/`` beside the toolkit package (a clone or an editable install)."""
    import toolkit

    return Path(toolkit.__file__).resolve().parent.parent / "notebooks"


def locate(source: str | Path | None, scratch: str | Path) -> Path:
    """The directory to run notebooks from: ``source`` if given (UserError if
    it lacks one), else the checkout's ``notebooks/`` when complete, else the
    packaged notebooks written into ``scratch``."""
    from toolkit.errors import UserError

    if source is not None:
        d = Path(source)
        missing = [n for n in NAMES if not (d / f"{n}.ipynb").exists()]
        if missing:
            raise UserError("notebooks.not_found", path=str(d / f"{missing[0]}.ipynb"))
        return d
    d = checkout_dir()
    if all((d / f"{n}.ipynb").exists() for n in NAMES):
        return d
    write_all(scratch)
    return Path(scratch)


@contextmanager
def kernel():
    """A Jupyter kernel spec for this interpreter, written at run time into a
    private directory put first on JUPYTER_PATH; yields its name."""
    exe = sys.executable
    name = "fieldeval-" + hashlib.sha256(exe.encode()).hexdigest()[:10]
    base = Path(tempfile.mkdtemp(prefix="fieldeval-kernel-"))
    kdir = base / "kernels" / name
    kdir.mkdir(parents=True)
    (kdir / "kernel.json").write_text(json.dumps({
        "argv": [exe, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"fieldeval ({exe})", "language": "python",
        "env": {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}}), encoding="utf-8")
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(base) + (os.pathsep + old if old else "")
    try:
        yield name
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old
        import shutil

        shutil.rmtree(base, ignore_errors=True)


@dataclass(frozen=True)
class Executed:
    """One executed notebook: name, the executed copy and its results directory."""

    name: str
    path: Path
    results: Path


def run(project: str | Path, out: str | Path, *, lang: str = "zh", seed: str | None = None,
        names: tuple[str, ...] = NAMES, source: str | Path | None = None,
        timeout: int = 1800, progress=None) -> list[Executed]:
    """Execute ``names`` in order with papermill on ``project``; the executed
    copies go to ``out/<name>.ipynb`` and each notebook's results to
    ``out/<name>/``. ``seed`` defaults to the seed in the project's manifest
    (or "2026"). UserError ``notebooks.failed`` (with the saved copy) when a
    cell fails; ``progress(name)`` is called before each notebook."""
    from toolkit.errors import UserError

    try:
        import papermill as pm
    except ImportError:
        raise UserError("notebooks.missing_dep", package="papermill") from None
    out_dir = Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    src = locate(source, out_dir / "_source")
    proj = str(Path(project).resolve())
    if seed is None:
        seed = _manifest_seed(proj)
    done = []
    with kernel() as kname:
        for name in names:
            if progress:
                progress(name)
            target = out_dir / f"{name}.ipynb"
            results = out_dir / name
            params = {"project": proj, "seed": str(seed), "lang": lang, "out": str(results)}
            try:
                pm.execute_notebook(str(src / f"{name}.ipynb"), str(target), parameters=params,
                                    kernel_name=kname, progress_bar=False, cwd=str(out_dir),
                                    execution_timeout=timeout)
            except pm.PapermillExecutionError as e:
                raise UserError("notebooks.failed", name=name, path=str(target),
                                detail=f"{e.ename}: {e.evalue}", exit_code=1) from None
            done.append(Executed(name, target, results))
    return done


def _manifest_seed(project: str) -> str:
    try:
        from toolkit import config
        from toolkit.project.paths import ProjectPaths

        ev = config.load(project)
        p = ProjectPaths.of(ev).sample / "manifest.json"
        if p.is_file():
            return str(json.loads(p.read_text(encoding="utf-8"))["seed"]["value"])
    except Exception:  # noqa: BLE001 - the notebook reports a broken project itself
        pass
    return "2026"


__all__ = ["NAMES", "NOTEBOOKS", "Cell", "notebook", "notebook_text", "write_all", "checkout_dir", "locate",
           "kernel", "run", "Executed"]


if __name__ == "__main__":  # python -m toolkit.report.notebooks [DIR]
    for p in write_all(sys.argv[1] if len(sys.argv) > 1 else checkout_dir()):
        print(p)
