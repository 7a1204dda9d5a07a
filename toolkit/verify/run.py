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


OUTSIDE_COLUMNS = ["KEY", "archive_id", "county", "township", "enumerator", "visit_date", "visit_result"]


@dataclass(frozen=True, eq=False)
class Result:
    """findings (households of the drawn sample only); ``frame`` (those
    households with design columns); ``estimates``; ``scorecard`` (see
    toolkit.verify.scorecard.build); ``timings`` seconds per stage;
    ``outside_visits``: one row per submission for a household outside the
    drawn sample (OUTSIDE_COLUMNS) — listed, never counted."""

    findings: Findings
    frame: pd.DataFrame
    estimates: pd.DataFrame
    scorecard: pd.DataFrame
    timings: dict[str, float] = field(default_factory=dict)
    outside_visits: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OUTSIDE_COLUMNS))

    @property
    def outside(self) -> int:
        """Number of submissions from outside the sample."""
        return len(self.outside_visits)


def split_outside(visits: VisitData, population: pd.Series | set) -> tuple[VisitData, pd.DataFrame]:
    """(the visits of households in ``population`` — archive ids of the drawn
    sample: selected, released reserves, comparison —, the others listed with
    who visited and when). The sample is the population of every official
    number: a visit outside it never reaches a finding or an estimate."""
    sub = visits.submissions
    ids = sub["archive_id"].astype("string").str.strip() if "archive_id" in sub else \
        pd.Series(pd.NA, index=sub.index, dtype="string")
    inside = ids.isin(set(map(str, population))).fillna(False).to_numpy(dtype=bool)
    if inside.all():
        return visits, pd.DataFrame(columns=OUTSIDE_COLUMNS)
    out = sub[~inside]

    def col(name: str) -> pd.Series:
        return out[name] if name in out else pd.Series(pd.NA, index=out.index, dtype=object)

    date = col("today") if "today" in out else col("start")
    county = col("county") if "county" in out else col("county_code")
    outside = pd.DataFrame({"KEY": col("KEY").astype(str), "archive_id": ids[~inside].fillna(""),
                            "county": county.astype("string"), "township": col("township").astype("string"),
                            "enumerator": col("enumerator").astype("string"),
                            "visit_date": pd.to_datetime(date, errors="coerce").dt.date.astype("string"),
                            "visit_result": col("visit_result").astype("string")}).reset_index(drop=True)
    keys = set(sub.loc[inside, "KEY"].astype(str))

    def keep(rep: pd.DataFrame) -> pd.DataFrame:
        return rep[rep["PARENT_KEY"].astype(str).isin(keys)].reset_index(drop=True) if len(rep) else rep

    kept = VisitData(sub[inside].reset_index(drop=True), keep(visits.members), keep(visits.payments),
                     visits.quarantined)
    return kept, outside


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
    visits, outside = split_outside(visits, units["archive_id"].astype(str))
    f = findings(visits, roster, evaluation, evidence=evidence)
    tm["findings"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    frame = design_weights(f.households, units, psus=psus, strata_sizes=strata_sizes)
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
