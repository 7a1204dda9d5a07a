"""The whole verification in memory: findings → design → indicators → scorecard.

``evaluate(roster, visits, units, evaluation, psus=..., ...)`` is what
``fieldeval verify`` and the demo call after reading their files, and what the
planted-truth tests call on in-memory frames.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd

from toolkit.config import Evaluation
from toolkit.roster.schema import REQUIRED
from toolkit.verify import scorecard as sc
from toolkit.verify.findings import Findings, findings
from toolkit.verify.indicators import DEFAULT_CI, data_completeness, design_weights, estimate
from toolkit.verify.load import VisitData


@dataclass(frozen=True, eq=False)
class Result:
    """findings; ``frame`` (households with design columns); ``estimates``;
    ``scorecard`` (see toolkit.verify.scorecard.build); ``timings`` seconds per stage;
    ``outside`` submissions not in the sample (left out)."""

    findings: Findings
    frame: pd.DataFrame
    estimates: pd.DataFrame
    scorecard: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)
    outside: int = 0


def evaluate(roster: pd.DataFrame, visits: VisitData, units: pd.DataFrame, evaluation: Evaluation, *,
             psus: pd.DataFrame | None = None, strata_sizes: dict[str, int] | None = None,
             problems: pd.DataFrame | None = None, ci: str = DEFAULT_CI,
             census: bool = True, evidence: bool = True) -> Result:
    """Run the verification.

    ``units``: every released household of the sample (selected + released
    reserves: archive_id, stratum, psu); ``psus``: the two-stage PSU table
    (stratum, psu, households, pi1) or None for one-stage designs with
    ``strata_sizes``; ``problems``: the roster problems table
    (toolkit.roster.validate; computed here when None and ``census``);
    ``ci``: interval method of toolkit.survey.ci (default Wilson, see
    toolkit.verify.indicators); ``evidence=False`` skips the evidence table.
    """
    tm: dict[str, float] = {}
    t0 = time.perf_counter()
    f = findings(visits, roster, evaluation, evidence=evidence)
    tm["findings"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    frame = design_weights(f.households, units, psus=psus, strata_sizes=strata_sizes)
    outside = len(f.households) - len(frame)
    est = estimate(frame, ci=ci)
    tm["estimates"] = time.perf_counter() - t0
    if census:
        t0 = time.perf_counter()
        if problems is None:
            from toolkit.roster.validate import validate

            problems = validate(roster, evaluation)
        est = pd.concat([est, data_completeness(roster, problems, REQUIRED)], ignore_index=True)
        tm["census"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    card = sc.build(est, evaluation.thresholds, [c.name for c in evaluation.counties])
    tm["scorecard"] = time.perf_counter() - t0
    return Result(f, frame, est, card, tm, outside)


__all__ = ["Result", "evaluate"]
