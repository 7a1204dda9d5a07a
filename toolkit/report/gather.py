"""Everything the report reads from an evaluation project, in one frozen object.

:func:`from_project` finds the files the commands wrote under the project's
output directory (``evaluation.toml`` ``[paths] output``, default
``output/``)::

    output/sample/manifest.json, sample.csv, reserves.csv, psus.csv   fieldeval sample draw
    output/**/dispositions.csv                                         field work (visit outcomes)
    output/**/submissions.parquet (+ repeat_*.parquet, issues.csv,
              quality.xlsx, ingest.json)                               fieldeval ingest
    output/**/scorecard.csv                                            fieldeval verify (for comparison only)

and runs the verification in memory (:func:`toolkit.verify.project.evaluate_project`,
the same call ``fieldeval verify`` makes), so the report's numbers are the
scorecard's. Directories the report and the notebook runner write
(``report``, ``notebooks``) are never searched, so their copies are not read
back. Identifiable frames stay in this object; toolkit.report.content turns
them into de-identified tables.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.config import Evaluation
from toolkit.errors import UserError

SKIP_DIRS = ("report", "notebooks")


@dataclass(frozen=True, eq=False)
class ReportInputs:
    """What the report is built from.

    ``scorecard``: toolkit.verify.scorecard.build columns (shares 0–1).
    ``households``/``evidence``: the verification's findings (identifiable:
    archive ids; pseudonymised by content). ``frame``: interviewed households
    with design columns (_stratum, _psu, _w, _fpc) and the satisfaction
    answers. ``manifest``: the sample manifest (dict). ``dispositions``: one
    row per released household (archive_id, code, role, stratum …) or None.
    ``roster_problems``: roster validation problems (row, column, rule,
    severity). ``ingest``: ingest.json (counts) or {}. ``issues``:
    issues.csv or None. ``quality``: rows per quality.xlsx sheet.
    ``key``: the project's pseudonym key. ``private_names`` /
    ``private_addresses``: the roster's names and addresses
    (toolkit.roster.privacy.private_terms), scrubbed from free text and
    looked for by the privacy guard; never shown.
    """

    evaluation: Evaluation
    scorecard: pd.DataFrame
    households: pd.DataFrame
    evidence: pd.DataFrame
    frame: pd.DataFrame
    manifest: dict
    key: bytes
    dispositions: pd.DataFrame | None = None
    roster_problems: pd.DataFrame | None = None
    ingest: dict = field(default_factory=dict)
    issues: pd.DataFrame | None = None
    quality: dict[str, int] = field(default_factory=dict)
    roster_rows: int = 0
    paths: dict[str, str] = field(default_factory=dict)
    private_names: tuple[str, ...] = ()
    private_addresses: tuple[str, ...] = ()


def find(root: Path, name: str, prefer: tuple[str, ...] = ()) -> Path | None:
    """The file ``name`` under ``root``: the first of ``prefer`` (relative
    directories) that holds it, else the shallowest match outside SKIP_DIRS."""
    for d in prefer:
        p = root / d / name
        if p.is_file():
            return p
    hits = [p for p in root.rglob(name)
            if p.is_file() and not any(part in SKIP_DIRS for part in p.relative_to(root).parts[:-1])]
    if not hits:
        return None
    return sorted(hits, key=lambda p: (len(p.parts), str(p)))[0]


def from_project(project: str | Path) -> ReportInputs:
    """Read the project's files and run the verification (see the module doc).
    UserError when a step's files are missing."""
    from toolkit import config
    from toolkit.roster.privacy import private_terms
    from toolkit.verify.project import evaluate_project

    ev = config.load(project)
    out = ev.path("output")
    manifest_path = find(out, "manifest.json", ("sample",))
    if manifest_path is None:
        raise UserError("report.no_sample", path=str(out))
    sub_path = find(out, "submissions.parquet", ("ingest", "visits"))
    if sub_path is None:
        raise UserError("report.no_visits", path=str(out))
    if not ev.path("roster").exists():
        raise UserError("report.no_roster", path=str(ev.path("roster")))
    disp_path = find(out, "dispositions.csv")
    disp = pd.read_csv(disp_path, dtype={"archive_id": str, "replaced_by": str}) if disp_path else None
    run = evaluate_project(project, sample=manifest_path.parent, visits=sub_path.parent)
    result, visits, manifest, read, problems = run.result, run.visits, run.manifest, run.roster, run.problems
    roster = read.frame
    names, addresses = private_terms(roster)
    sat_cols = [c for c in visits.submissions.columns if str(c).startswith("sat_")]
    answers = visits.submissions[["KEY", *sat_cols]].copy()
    for c in sat_cols:  # select_one answers arrive as choice names ("1" … "5", "8", "9")
        answers[c] = pd.to_numeric(answers[c], errors="coerce")
    frame = result.frame.merge(answers, on="KEY", how="left", suffixes=("", "_answer"))
    ing_dir = sub_path.parent
    ingest = json.loads((ing_dir / "ingest.json").read_text(encoding="utf-8")) \
        if (ing_dir / "ingest.json").exists() else {}
    issues = pd.read_csv(ing_dir / "issues.csv", dtype=str) if (ing_dir / "issues.csv").exists() else None
    quality: dict[str, int] = {}
    if (ing_dir / "quality.xlsx").exists():
        sheets = pd.read_excel(ing_dir / "quality.xlsx", sheet_name=None)
        quality = {str(k): int(len(v)) for k, v in sheets.items()}
    return ReportInputs(
        evaluation=ev, scorecard=result.scorecard, households=result.findings.households,
        evidence=result.findings.evidence, frame=frame, manifest=manifest, key=ev.key(),
        dispositions=disp, roster_problems=problems, ingest=ingest, issues=issues, quality=quality,
        roster_rows=len(roster), private_names=names, private_addresses=addresses,
        paths={"manifest": str(manifest_path), "visits": str(sub_path.parent), "roster": str(run.paths["roster"]),
               "dispositions": str(disp_path or "")})


__all__ = ["ReportInputs", "from_project", "find", "SKIP_DIRS"]
