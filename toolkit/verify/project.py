"""A project's verification inputs, found and read in one place.

``evaluate_project(DIR)`` reads what the earlier verbs wrote inside the
project — the roster (``paths.roster``), the sample (``output/sample``:
manifest.json, sample.csv, reserves.csv, psus.csv), the ingested visits
(``output/ingest``: submissions.parquet, repeat_*.parquet) — validates the
roster for the census indicator and runs :func:`toolkit.verify.run.evaluate`.
The verify command, the report and the dashboards all call it, so they show
the same numbers.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.config import Evaluation
from toolkit.errors import UserError
from toolkit.roster import Roster
from toolkit.verify.load import VisitData


def default_paths(project: Path, output: str = "output") -> dict[str, Path]:
    """Where verify looks and writes by default, inside the project directory."""
    out = project / output
    return {"sample": out / "sample", "visits": out / "ingest", "dispositions": out / "visits" / "dispositions.csv",
            "out": out / "verify"}


def read_sample(directory: Path) -> tuple[pd.DataFrame, pd.DataFrame | None, dict[str, int], dict]:
    """(units = selected + reserves: archive_id, stratum, psu; psus table or
    None; N_h per stratum; the manifest) from a ``fieldeval sample draw``
    output directory. Reserves never released are harmless: only interviewed
    households enter the design."""
    man = directory / "manifest.json"
    if not man.exists():
        raise UserError("verify.no_sample", path=str(directory))
    m = json.loads(man.read_text(encoding="utf-8"))

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(directory / name, dtype={"archive_id": str, "psu": str, "stratum": str},
                           keep_default_na=False)

    parts = [read("sample.csv")[["archive_id", "stratum", "psu"]]]
    res_path = directory / "reserves.csv"
    if res_path.exists() and res_path.stat().st_size > 0:
        res = read("reserves.csv")
        if len(res):
            parts.append(res[["archive_id", "stratum", "psu"]])
    psus = None
    if (directory / "psus.csv").exists():
        psus = pd.read_csv(directory / "psus.csv", dtype={"stratum": str, "psu": str}, keep_default_na=False)
    sizes = {s["stratum"]: int(s["N_h"]) for s in m.get("allocation", {}).get("strata", [])}
    return pd.concat(parts, ignore_index=True), psus, sizes, m


@dataclass(frozen=True)
class ProjectRun:
    """Everything one verification of a project read and produced."""

    evaluation: Evaluation
    roster: Roster
    problems: pd.DataFrame
    visits: VisitData
    manifest: dict
    paths: dict[str, Path]
    result: object   # toolkit.verify.run.Result


def evaluate_project(project: str | Path, *, roster: str | Path | None = None, sample: str | Path | None = None,
                     visits: str | Path | None = None, ci: str | None = None) -> ProjectRun:
    """Read the project's inputs (module doc) and run the verification.
    Raises UserError naming the missing file when a step has not been run."""
    from toolkit import config as config_mod
    from toolkit.roster import read_roster
    from toolkit.roster.validate import validate
    from toolkit.verify.indicators import DEFAULT_CI
    from toolkit.verify.load import load_visits
    from toolkit.verify.run import evaluate

    pdir = Path(project)
    ev = config_mod.load(pdir)
    paths = default_paths(pdir if pdir.is_dir() else pdir.parent, ev.paths.output)
    roster_path = Path(roster) if roster else ev.path("roster")
    if not roster_path.exists():
        raise UserError("verify.no_roster", path=str(roster_path))
    paths["roster"] = roster_path
    if sample:
        paths["sample"] = Path(sample)
    if visits:
        paths["visits"] = Path(visits)
    r = read_roster(roster_path)
    units, psus, sizes, manifest = read_sample(paths["sample"])
    vd = load_visits(paths["visits"])
    problems = validate(r, ev)   # rows are spreadsheet rows, as the roster frame's index
    res = evaluate(r.frame, vd, units, ev, psus=psus, strata_sizes=sizes, problems=problems,
                   ci=ci or DEFAULT_CI)
    if len(res.frame) == 0:
        raise UserError("verify.no_respondents", path=str(paths["visits"]))
    return ProjectRun(ev, r, problems, vd, manifest, paths, res)
