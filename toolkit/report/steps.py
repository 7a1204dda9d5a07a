"""The calls the evaluation notebooks make: one step, one function.

Notebooks hold no logic of their own (docs/architecture.md): each cell calls
one or two of these, and each of these calls the toolkit (sampling, ingest,
verify, scoring, report) and returns a DataFrame or a small object the
notebook shows. Long steps show their progress as one line of text updated in place
(toolkit.report.progress_line: the saved notebook shows the final state;
tqdm on a terminal). ``save`` writes a step's key result into the
notebook's output directory so that a second team (and the tests) can compare
it with the command's files.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.config import Evaluation
from toolkit.i18n import t
from toolkit.report.gather import ReportInputs


def _bar(total: int, desc: str):
    from toolkit.report.progress_line import Line

    return Line(total, desc)


def project(directory: str | Path) -> Evaluation:
    """The evaluation project (evaluation.toml)."""
    from toolkit import config

    return config.load(directory)


def out_dir(ev: Evaluation, out: str | Path | None, notebook: str) -> Path:
    """Where a notebook writes: ``out`` if given, else ``<output>/notebooks/<notebook>``."""
    d = Path(out) if out else ev.path("output") / "notebooks" / notebook
    d.mkdir(parents=True, exist_ok=True)
    return d


def save(frame: pd.DataFrame, directory: str | Path, name: str) -> Path:
    """Write a result table (csv / xlsx by suffix) with toolkit.tables."""
    from toolkit.tables import write_table

    return write_table(frame, Path(directory) / name)


def save_json(data: dict, directory: str | Path, name: str) -> Path:
    """Write a small result as JSON."""
    p = Path(directory) / name
    p.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return p


# --- 01 plan -------------------------------------------------------------------------

def counties(ev: Evaluation, lang: str = "zh") -> pd.DataFrame:
    """The evaluated counties with their 低保 line and minimum wage."""
    zh = lang == "zh"
    return pd.DataFrame({("区县" if zh else "county"): [c.name for c in ev.counties],
                         ("区划代码" if zh else "code"): [c.code for c in ev.counties],
                         ("低保标准(元/人·月)" if zh else "dibao (yuan/person/month)"): [c.dibao for c in ev.counties],
                         ("最低工资(元/月)" if zh else "minimum wage (yuan/month)"): [c.min_wage for c in ev.counties]})


def read_roster(ev: Evaluation) -> pd.DataFrame:
    """The roster (canonical columns), as ``fieldeval sample draw`` reads it."""
    from toolkit.roster import read_roster as _read

    with _bar(1, t("report.step.read_roster", ev.language)) as bar:
        frame = _read(ev.path("roster")).frame
        bar.update(1)
    return frame


def roster_overview(roster: pd.DataFrame) -> pd.DataFrame:
    """Households by county × archive status (counts only)."""
    return pd.crosstab(roster["county"], roster["status"], margins=True, margins_name="合计")


def plan(ev: Evaluation, roster: pd.DataFrame, *, margin: float | None = None, p: float = 0.5,
         confidence: float = 0.95, response_rate: float | None = None) -> pd.DataFrame:
    """Households needed per county to estimate a rate within ± margin
    (toolkit.sampling.proportion_size with each county's population), and the
    zero-failure size for the 2 % threshold: county, N, n, n_draw, zero_failure_2pct.
    Defaults from ``[sampling]`` of evaluation.toml (margin 0.10, response 0.9)."""
    from toolkit.sampling import proportion_size, zero_failure_size

    s = ev.extra.get("sampling", {}) if isinstance(ev.extra, dict) else {}
    margin = float(margin if margin is not None else s.get("margin", 0.10))
    rr = float(response_rate if response_rate is not None else s.get("response_rate", 0.9))
    sizes = roster["county"].astype(str).value_counts()
    rows = []
    for c in ev.counties:
        N = int(sizes.get(c.name, 0))
        ps = proportion_size(p, margin, confidence, population=N or None, response_rate=rr)
        zf = zero_failure_size(0.02, confidence, population=N or None)
        rows.append({"county": c.name, "N": N, "n": ps.n, "n_draw": ps.n_draw, "zero_failure_2pct": zf.n})
    return pd.DataFrame(rows)


# --- 02 sample -------------------------------------------------------------------------

@dataclass(frozen=True)
class SampleCheck:
    """The sample on file re-derived from the roster: ok, differences, the
    recorded seed and roster fingerprint, counts."""

    ok: bool
    differences: tuple[str, ...]
    seed: str
    seed_source: str
    roster_sha256: str
    selected: int
    reserves: int
    manifest: str

    def as_dict(self) -> dict:
        """JSON-ready form."""
        return {"ok": self.ok, "differences": list(self.differences), "seed": self.seed,
                "seed_source": self.seed_source, "roster_sha256": self.roster_sha256,
                "selected": self.selected, "reserves": self.reserves, "manifest": self.manifest}


def _comparison(ev: Evaluation, manifest: dict) -> pd.DataFrame | None:
    if not manifest.get("comparison"):
        return None
    from toolkit.roster import read_roster as _read

    s = ev.extra.get("sampling", {}) if isinstance(ev.extra, dict) else {}
    path = ev.root / str(s.get("comparison", "comparison.xlsx"))
    return _read(path, required=("archive_id", "county", "township"), help_sheet=None).frame


def draw_sample(ev: Evaluation, seed: str, *, seed_source: str = "", out: str | Path | None = None,
                lang: str = "zh") -> Path:
    """Draw the sample (toolkit.project.Project.draw; design from ``[sampling]``
    of evaluation.toml: two-stage by county and township by default) into
    ``out`` (default the project's sample stage); return the manifest path."""
    from toolkit.project import Project
    from toolkit.sampling.select import Design

    s = ev.extra.get("sampling", {}) if isinstance(ev.extra, dict) else {}
    if s.get("two_stage", True):
        design = Design(seed=str(seed), seed_source=seed_source or "notebook 02_draw_sample", strata=("county",),
                        method="two_stage", psu=str(s.get("psu", "township")),
                        psus_per_stratum=int(s.get("psus_per_stratum", 4)), per_psu=int(s.get("per_psu", 25)),
                        reserves=int(s.get("reserves", 5)))
    else:
        design = Design(seed=str(seed), seed_source=seed_source or "notebook 02_draw_sample",
                        strata=tuple(s.get("strata", ["county"])), reserves=int(s.get("reserves", 0)))
    with _bar(1, t("report.step.draw", lang)) as bar:
        _, folder = Project(ev).draw(design, out=out)
        bar.update(1)
    return folder / "manifest.json"


def _manifest_path(ev: Evaluation) -> Path | None:
    from toolkit.project.paths import ProjectPaths

    p = ProjectPaths.of(ev).sample / "manifest.json"
    return p if p.is_file() else None


def draw_if_missing(ev: Evaluation, seed: str, *, lang: str = "zh") -> Path:
    """The project's manifest.json; when the project has no sample yet, draw it
    first with :func:`draw_sample` and ``seed``."""
    path = _manifest_path(ev)
    return path if path is not None else draw_sample(ev, seed, lang=lang)


def verify_sample(ev: Evaluation, roster: pd.DataFrame | None = None) -> SampleCheck:
    """Re-derive the sample in the project's manifest from the roster and
    the recorded seed (toolkit.sampling.verify): every selected and reserve
    household, ticket, probability and weight must come out the same."""
    from toolkit.errors import UserError
    from toolkit.sampling import manifest as mf

    path = _manifest_path(ev)
    if path is None:
        raise UserError("report.no_sample", path=str(ev.path("output")))
    m = mf.load(path)
    frame = roster if roster is not None else read_roster(ev)
    total = len(frame)
    with _bar(total, t("report.step.rederive", ev.language)) as bar:
        v = mf.verify(m, frame, comparison=_comparison(ev, m), progress=bar.update)
    return SampleCheck(ok=v.ok, differences=tuple(f"{d.kind}: {d.where}" for d in v.differences),
                       seed=str(m["seed"]["value"]), seed_source=str(m["seed"].get("source", "")),
                       roster_sha256=str(m["roster"]["sha256"]), selected=int(m["counts"]["selected"]),
                       reserves=int(m["counts"]["reserves"]), manifest=str(path))


def allocation(ev: Evaluation) -> pd.DataFrame:
    """Households per stratum in the manifest (stratum, N_h, n_h)."""
    path = _manifest_path(ev)
    m = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    return pd.DataFrame(m.get("allocation", {}).get("strata", []), columns=["stratum", "N_h", "n_h"])


# --- 03 ingest and check -------------------------------------------------------------------

def ingest(ev: Evaluation, out: str | Path, *, form: str | Path | None = None, lang: str = "zh"):
    """Read the visit exports again with the ingest pipeline (the files the
    project's ingest.json lists, same form) into ``out``; return the
    IngestResult (read, accepted, quarantined, issues, quality)."""
    from toolkit.errors import UserError
    from toolkit.forms.reader import read_xlsform
    from toolkit.ingest.pipeline import run_ingest, write_outputs
    from toolkit.ingest.quality import QualitySettings
    from toolkit.project.paths import ProjectPaths

    rec_path = ProjectPaths.of(ev).ingest / "ingest.json"
    if not rec_path.is_file():
        raise UserError("report.no_visits", path=str(ev.path("output")))
    rec = json.loads(rec_path.read_text(encoding="utf-8"))
    form_path = Path(form or rec["form"])
    fm = read_xlsform(form_path)
    settings = QualitySettings.from_mapping(ev.extra.get("quality", {}) if isinstance(ev.extra, dict) else {})
    inputs = rec.get("inputs", [])
    with _bar(len(inputs) + 2, t("report.step.ingest", lang)) as bar:
        res = run_ingest(inputs, fm, settings=settings, lang=lang, form_path=str(form_path),
                         progress=lambda what: bar.update(1))
    write_outputs(res, out, lang)
    return res


def ingest_counts(res, ev: Evaluation) -> pd.DataFrame:
    """read / accepted / quarantined of this run beside the project's ingest.json."""
    from toolkit.project.paths import ProjectPaths

    rec_path = ProjectPaths.of(ev).ingest / "ingest.json"
    rec = json.loads(rec_path.read_text(encoding="utf-8")) if rec_path.is_file() else {}
    return pd.DataFrame({"measure": ["read", "accepted", "quarantined"],
                         "notebook": [res.read, res.accepted, res.quarantined],
                         "project": [rec.get("read"), rec.get("accepted"), rec.get("quarantined")]})


def quality_overview(res) -> pd.DataFrame:
    """Rows per high-frequency check of an ingest run."""
    return pd.DataFrame([(k, len(v)) for k, v in res.quality.items()], columns=["check", "rows"])


def roster_problems(ev: Evaluation, roster: pd.DataFrame) -> pd.DataFrame:
    """Roster problems counted by column, rule and severity (no values)."""
    from toolkit.roster.validate import validate

    p = validate(roster, ev)
    return p.groupby(["column", "rule", "severity"]).size().rename("count").reset_index()


# --- 04 verify and score; 05 satisfaction -----------------------------------------------

def evaluate(directory: str | Path, lang: str = "zh") -> ReportInputs:
    """The project's stored verification (toolkit.project: the results
    ``fieldeval verify`` wrote, verified again first when an input changed):
    findings, design-based indicators, scorecard."""
    from toolkit.report.gather import from_project

    with _bar(1, t("report.step.verify", lang)) as bar:
        inputs = from_project(directory)
        bar.update(1)
    return inputs


def scorecard(inputs: ReportInputs, lang: str = "zh") -> pd.DataFrame:
    """The scorecard as people read it (toolkit.verify.scorecard.presentable)."""
    from toolkit.verify import scorecard as sc

    return sc.presentable(inputs.scorecard, lang)


def write_scorecard(inputs: ReportInputs, out: str | Path, lang: str = "zh") -> tuple[Path, Path]:
    """scorecard.csv and scorecard.xlsx, exactly as ``fieldeval verify`` writes them
    (with the document review rows beside, when any are entered: issue 19)."""
    from toolkit.checklist.scorecard import write_beside
    from toolkit.project import Project
    from toolkit.verify import scorecard as sc

    written = sc.write(inputs.scorecard, out, lang)
    write_beside(Project.open(inputs.evaluation.root), inputs.scorecard, Path(out), lang)
    return written


def findings(inputs: ReportInputs) -> pd.DataFrame:
    """Findings by type and county (counts and rates; no household rows)."""
    from toolkit.report.content import findings_by_type

    return findings_by_type(inputs)


def satisfaction(inputs: ReportInputs) -> dict[str, pd.DataFrame]:
    """Reliability (Cronbach's alpha, item–total correlations), weighted
    satisfaction by county and the answer distribution (toolkit.scoring)."""
    from toolkit.report.content import satisfaction_tables

    return satisfaction_tables(inputs)


# --- 06 report --------------------------------------------------------------------------

def report(directory: str | Path, lang: str = "zh", out: str | Path | None = None,
           formats: tuple[str, ...] = ("docx", "html", "xlsx")) -> dict[str, Path]:
    """Write the evaluation report (toolkit.report.build_report)."""
    from toolkit.report import build_report

    with _bar(len(formats), t("report.building", lang)) as bar:
        paths = build_report(directory, formats, lang, out=out)
        bar.update(len(formats))
    return paths


__all__ = ["project", "out_dir", "save", "save_json", "counties", "read_roster", "roster_overview", "plan",
           "SampleCheck", "draw_sample", "draw_if_missing", "verify_sample", "allocation", "ingest", "ingest_counts",
           "quality_overview", "roster_problems", "evaluate", "scorecard", "write_scorecard", "findings",
           "satisfaction", "report"]
