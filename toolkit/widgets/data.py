"""What the dashboards read from an evaluation project, in one place.

Every dashboard reads through these functions; none recomputes a number:

* **Results** are the project's stored verification
  (:meth:`toolkit.project.Project.results`: the files ``fieldeval verify``
  wrote in ``output/verify``, Parquet, owner-only), so the leadership page
  shows exactly ``scorecard.csv`` and the report. ``fieldeval serve`` brings
  them up to date before the kernels start (verifying again when an input
  changed); a kernel only reads them, and keeps them in memory keyed by the
  results' fingerprint and time. No pickle, nothing outside the project's
  private results folder.
* **Earlier rounds** (for the leadership comparison): raw scorecards at
  ``output/rounds/<round name>/scorecard.parquet``; the current round is
  named by ``evaluation.toml``'s ``[project] round`` if set, else "current".
* **Quality** (``toolkit.ingest.quality``): ``issues.csv`` of the ingest run.

Privacy: :class:`Results` keeps archive ids (evaluator side). The leadership
dashboard reads only :func:`load_leadership`: the de-identified, plain
leadership extract written at verify time (counts suppressed below the
project's small-cell threshold), so it needs no key under encryption.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.config import Evaluation, load

ENV_PROJECT = "FIELDEVAL_PROJECT"


def resolve_project(project: str | os.PathLike | None) -> Path:
    """The project directory: ``project`` if given, else ``$FIELDEVAL_PROJECT``, else '.'."""
    p = str(project or "") or os.environ.get(ENV_PROJECT, "") or "."
    return Path(p).expanduser().resolve()


def query_params() -> dict[str, str]:
    """The page's query string as a dict (Voilà's ``QUERY_STRING``), after
    waiting for the request when the kernel was preheated."""
    from urllib.parse import parse_qs

    from toolkit.widgets.dashboard import wait_for_request   # not voila.utils: see there

    wait_for_request()
    qs = os.environ.get("QUERY_STRING", "")
    return {k: v[-1] for k, v in parse_qs(qs).items() if v}


def visits_dir(root: Path) -> Path | None:
    """The project's ingest folder when it holds ``submissions.parquet``, or None."""
    from toolkit.project.paths import ProjectPaths

    d = ProjectPaths.of(load(root)).ingest
    return d if (d / "submissions.parquet").exists() else None


@dataclass(frozen=True, eq=False)
class Results:
    """One project's stored verification, for the dashboards.

    ``scorecard``: raw (aspect, indicator, county, estimate, ci_low, ci_high,
    se, n, threshold, direction, verdict, method); ``households``: the
    sampled households interviewed with their verdicts; ``evidence``: finding
    × household (archive_value, visit_value, rule, flagged); ``payments``:
    ledger payments checked; ``submissions``, ``members``, ``payment_rows``:
    their accepted visits; ``roster``: roster rows of the sampled households
    (identified: evaluator side only); ``rounds``: {round name: raw
    scorecard} including the current one; ``findings_table``: checked /
    flagged per finding and county; ``satisfaction``: the weighted tables;
    ``outside``: visits outside the sample (listed, not counted);
    ``small_cell``: k of suppression; ``ci``: the interval method.
    """

    evaluation: Evaluation
    scorecard: pd.DataFrame
    households: pd.DataFrame
    evidence: pd.DataFrame
    payments: pd.DataFrame
    submissions: pd.DataFrame
    members: pd.DataFrame
    payment_rows: pd.DataFrame
    roster: pd.DataFrame
    rounds: dict
    issues: pd.DataFrame
    findings_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    satisfaction: dict = field(default_factory=dict)
    outside: pd.DataFrame = field(default_factory=pd.DataFrame)
    small_cell: int = 5
    ci: str = "wilson"


_CACHE: dict[tuple, Results] = {}


def load_results(project: str | os.PathLike | None = None, *, refresh: bool = False) -> Results:
    """Everything the dashboards show for ``project`` (see the module doc).
    UserError (in words) when the project has no results yet; ``refresh``
    verifies again first when an input changed (``fieldeval serve`` does)."""
    from toolkit.project import Project

    root = resolve_project(project)
    p = Project.open(root)
    if refresh and p.is_stale():
        p.verify()
    meta = p.paths.verify / "meta.json"
    key = (str(root), meta.stat().st_mtime_ns if meta.exists() else 0)
    if key in _CACHE:
        return _CACHE[key]
    r = p.results()
    out = Results(r.evaluation, r.scorecard, r.households, r.evidence, r.payments, r.submissions, r.members,
                  r.payment_rows, r.roster, r.rounds, r.issues, r.findings, r.satisfaction, r.outside,
                  r.small_cell, r.ci)
    _CACHE.clear()
    _CACHE[key] = out
    return out


_LEAD: dict[tuple, object] = {}


def load_leadership(project: str | os.PathLike | None = None):  # noqa: ANN201 - leadership_extract.Extract
    """What the leadership dashboard shows for ``project``: the de-identified
    leadership extract (toolkit.project.leadership_extract), never the
    results stage, so it opens without the project key. Kept in memory keyed
    by the extract's time."""
    from toolkit.project import leadership_extract as X

    root = resolve_project(project)
    d = X.ensure(root)
    meta = d / X.META
    key = (str(root), meta.stat().st_mtime_ns if meta.exists() else 0)
    if key not in _LEAD:
        _LEAD.clear()
        _LEAD[key] = X.load(root)
    return _LEAD[key]


__all__ = ["ENV_PROJECT", "Results", "load_leadership", "load_results", "query_params", "resolve_project",
           "visits_dir"]
