"""One verification's results, stored once and read by every output.

``Project.verify`` writes the results stage (``output/verify/``, see
toolkit.project.paths) as a whole; :func:`read_results` reads it back for
the report, the notebooks and the dashboards, which never recompute a number.
Files (Parquet; evaluator side, 0600):

=============================  ==================================================
``scorecard.parquet``          raw scorecard (toolkit.verify.scorecard.build)
``scorecard.csv`` / ``.xlsx``  the same, as people read it (leadership-safe)
``households.parquet``         sampled households interviewed: verdicts, design
                               columns (_stratum, _psu, _w, _fpc), answers
``findings.parquet``           finding × household with evidence
``findings_by_type.parquet``   checked / flagged per finding and county
``payments.parquet``           ledger payments checked
``comparison.parquet``         every archive-field pair compared
``outside.parquet``            visits to households outside the drawn sample
``response.parquet``           AAPOR RR1 per county and 全市
``dispositions.parquet``       the dispositions used (when the field has any)
``satisfaction_*.parquet``     reliability, items, estimates, distribution
``roster.parquet``             roster rows of the sampled households (identifiable)
``roster_problems.parquet``    roster problems counted by column, rule, severity
``visits_*.parquet``           the sampled households' accepted submissions
``review_*.parquet``           the review queue, counts per finding type, the
                               overturned findings, submission statuses
                               (toolkit.project.review)
``interviewer_*.parquet``      interviewer effects on the findings and the
                               interviewer ICC / design effect beside each
                               indicator (toolkit.verify.interviewers.load)
``meta.json``                  inputs' fingerprint, settings, counts, time
=============================  ==================================================
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from toolkit.config import Evaluation
from toolkit.project.stagefiles import read_meta
from toolkit.vault import source

TABLES = ("scorecard", "households", "findings", "findings_by_type", "payments", "comparison", "outside",
          "response", "roster", "roster_problems", "visits_submissions", "visits_member", "visits_payment")
SATISFACTION = ("reliability", "items", "estimates", "distribution")
REVIEW = ("queue", "by_type", "overturned", "submissions")


@dataclass(frozen=True, eq=False)
class Results:
    """A stored verification (see the module doc). ``households`` is the
    interviewed sample with design columns; ``evidence`` the findings;
    ``outside`` the visits that were not counted; ``meta`` the record of
    inputs and settings (``ci``, ``small_cell``, ``fingerprint``,
    ``rr_definition`` …); ``rounds`` {round name: raw scorecard}."""

    evaluation: Evaluation
    meta: dict
    scorecard: pd.DataFrame
    households: pd.DataFrame
    evidence: pd.DataFrame
    findings: pd.DataFrame
    payments: pd.DataFrame
    comparison: pd.DataFrame
    outside: pd.DataFrame
    response: pd.DataFrame
    satisfaction: dict[str, pd.DataFrame]
    roster: pd.DataFrame
    roster_problems: pd.DataFrame
    submissions: pd.DataFrame
    members: pd.DataFrame
    payment_rows: pd.DataFrame
    dispositions: pd.DataFrame | None = None
    rounds: dict = field(default_factory=dict)
    manifest: dict = field(default_factory=dict)
    ingest: dict = field(default_factory=dict)
    issues: pd.DataFrame = field(default_factory=pd.DataFrame)
    quality: dict = field(default_factory=dict)
    #: the evaluators' review (toolkit.project.review): ``queue``, ``by_type``,
    #: ``overturned``, ``submissions`` frames and ``meta`` (counts, share)
    review: dict = field(default_factory=dict)

    @property
    def ci(self) -> str:
        """The interval method these results used."""
        return str(self.meta.get("ci", ""))

    @property
    def small_cell(self) -> int:
        """k of small-cell suppression used for leadership tables."""
        return int(self.meta.get("small_cell", 5))

    @property
    def interviewed(self) -> int:
        """Sampled households interviewed (the estimates' respondents)."""
        return len(self.households)


def write_tables(folder: Path, tables: dict[str, pd.DataFrame], satisfaction: dict[str, pd.DataFrame]) -> None:
    """Write every table of a results stage into ``folder`` (Parquet)."""
    for name, frame in tables.items():
        if frame is None:
            continue
        _parquet(frame, folder / f"{name}.parquet")
    for name, frame in satisfaction.items():
        _parquet(frame, folder / f"satisfaction_{name}.parquet")


def _parquet(frame: pd.DataFrame, path: Path) -> None:
    f = frame.copy()
    for c in f.columns:   # mixed-object columns (answers as text and numbers) stored as text
        if f[c].dtype == object:
            f[c] = f[c].astype("string")
    f.columns = [str(c) for c in f.columns]
    f.to_parquet(path, index=False)


def read_results(folder: Path, evaluation: Evaluation, rounds: dict | None = None) -> Results:
    """The stored results in ``folder``; UserError when there are none or the
    stage is incomplete (see toolkit.project.stagefiles)."""
    meta = read_meta(folder, missing_key="project.no_results")

    def read(name: str) -> pd.DataFrame:
        p = folder / f"{name}.parquet"
        return pd.read_parquet(source(p)) if p.exists() else pd.DataFrame()

    tables = {n: read(n) for n in TABLES}
    sat = {n: read(f"satisfaction_{n}") for n in SATISFACTION}
    sat = {k: v for k, v in sat.items() if len(v.columns)}
    disp = read("dispositions")
    current = dict(rounds or {})
    current[str(meta.get("round", "current"))] = tables["scorecard"]
    return Results(evaluation, meta, tables["scorecard"], tables["households"], tables["findings"],
                   tables["findings_by_type"], tables["payments"], tables["comparison"], tables["outside"],
                   tables["response"], sat, tables["roster"], tables["roster_problems"],
                   tables["visits_submissions"], tables["visits_member"], tables["visits_payment"],
                   disp if len(disp.columns) else None, current, meta.get("manifest", {}),
                   meta.get("ingest", {}), read("issues"), meta.get("quality", {}),
                   {**{n: read(f"review_{n}") for n in REVIEW}, "meta": meta.get("review", {})})


__all__ = ["Results", "read_results", "write_tables", "TABLES", "SATISFACTION"]
