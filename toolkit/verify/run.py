"""The whole verification in memory: findings → design → indicators → scorecard.

``evaluate(roster, visits, units, evaluation, psus=..., ...)`` is what
``fieldeval verify`` and the demo call after reading their files, and what the
planted-truth tests call on in-memory frames.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import pandas as pd

from toolkit.config import Evaluation
from toolkit.roster.schema import REQUIRED
from toolkit.verify import scorecard as sc
from toolkit.verify.findings import Findings, findings
from toolkit.verify.indicators import DEFAULT_CI, data_completeness, design_weights, estimate
from toolkit.verify.load import VisitData
from toolkit.verify.text_in import text_in


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
    inside = text_in(ids, set(map(str, population))).to_numpy(dtype=bool)
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
        return rep[text_in(rep["PARENT_KEY"].astype(str), keys).to_numpy()].reset_index(drop=True) if len(rep) else rep

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


# household column -> (the findings that make it bad, its value when none of them still stands)
REVIEW_RULES: dict[str, tuple[tuple[str, ...], float]] = {
    "wrong_inclusion": (("wrong_inclusion",), 0.0), "missed_exit": (("missed_exit",), 0.0),
    "wrong_exit": (("wrong_exit",), 0.0), "missed": (("missed",), 0.0),
    "precision_error": (("wrong_inclusion", "missed_exit", "wrong_exit", "missed"), 0.0),
    "overall_precision": (("wrong_inclusion", "missed_exit", "wrong_exit", "missed"), 1.0),
    "cause_confirmed": (("cause_unconfirmed",), 1.0), "help_plan": (("no_help_plan",), 1.0),
    "needs_identified": (("cause_unconfirmed", "no_help_plan"), 1.0),
    "helper_coverage": (("helper_missing", "no_helper_contact"), 1.0),
    "archive_match": ((), 1.0),   # the key archive fields' mismatches, from toolkit.verify.findings.PAIRS
}


def reviewed_households(households: pd.DataFrame, evidence: pd.DataFrame,
                        overturned: pd.DataFrame) -> pd.DataFrame:
    """The households frame after review: for each column of REVIEW_RULES, a
    household with at least one of the column's findings overturned and none
    of them still flagged takes the column's good value (0 for an error, 1
    for a success: an overturned 错退 sets ``wrong_exit`` to 0 and, with no
    other precision finding standing, ``precision_error`` to 0 and
    ``overall_precision`` to 1). A value outside its denominator (NaN) stays
    NaN. ``overturned``: archive_id, finding_type."""
    from toolkit.verify.findings import PAIRS

    hh = households.copy()
    if not len(overturned) or not len(hh):
        return hh
    ev = evidence[evidence["flagged"].astype(bool)][["archive_id", "finding"]].astype(str)
    ov = overturned.rename(columns={"finding_type": "finding"})[["archive_id", "finding"]].astype(str)
    ov = ov.merge(ev, on=["archive_id", "finding"])          # only a finding that was flagged can be overturned
    standing = ev.merge(ov.assign(_x=1), on=["archive_id", "finding"], how="left")
    standing = standing[standing["_x"].isna()]
    ids = hh["archive_id"].astype(str)
    keys = tuple(f"archive_mismatch:{p.name}" for p in PAIRS if p.key)
    for col, (group, good) in REVIEW_RULES.items():
        if col not in hh:
            continue
        g = keys if col == "archive_match" else group
        touched = ids.isin(set(ov.loc[ov["finding"].isin(g), "archive_id"]))
        still = ids.isin(set(standing.loc[standing["finding"].isin(g), "archive_id"]))
        change = (touched & ~still & hh[col].notna()).to_numpy()
        if change.any():
            hh.loc[change, col] = good
    return hh


def apply_review(res: Result, units: pd.DataFrame, evaluation: Evaluation, *, overturned: pd.DataFrame,
                 rejected: set[str], psus: pd.DataFrame | None = None,
                 strata_sizes: dict[str, int] | None = None, ci: str = DEFAULT_CI) -> Result:
    """The verification after the evaluators' review: overturned findings no
    longer count (:func:`reviewed_households`), households whose submission
    was rejected (``rejected``: KEYs) leave the sample as non-respondents
    (weights of the others in their PSU or stratum follow,
    toolkit.verify.indicators.design_weights). The scorecard's main columns
    are after review, beside ``estimate_as_found``, ``ci_low_as_found``,
    ``ci_high_as_found`` and ``decisions`` (households whose value of that
    indicator a decision changed or removed). Without decisions the figures
    are the same and ``decisions`` is 0."""
    card0 = res.scorecard
    if not len(overturned) and not rejected:
        return replace(res, scorecard=sc.with_review(card0, card0, _zero_moves(card0)))
    hh0 = res.findings.households
    hh = reviewed_households(hh0, res.findings.evidence, overturned)
    hh = hh[~hh["KEY"].astype(str).isin(rejected)].reset_index(drop=True)
    frame = design_weights(hh, units, psus=psus, strata_sizes=strata_sizes)
    est = estimate(frame, ci=ci)
    census = res.estimates[res.estimates["method"] == "census"]
    if len(census):
        est = pd.concat([est, census], ignore_index=True)
    card = sc.build(est, evaluation.thresholds, [c.name for c in evaluation.counties])
    moves = _moves(res.frame, frame)
    return replace(res, frame=frame, estimates=est, scorecard=sc.with_review(card, card0, moves))


def _zero_moves(card: pd.DataFrame) -> pd.DataFrame:
    return card[["indicator", "county"]].assign(decisions=0)


def _moves(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Households per indicator × county (and 全市) whose value changed or left the sample."""
    from toolkit.verify.indicators import ALL, INDICATORS

    b = before.set_index(before["archive_id"].astype(str))
    a = after.set_index(after["archive_id"].astype(str)).reindex(b.index)
    rows = []
    for ind in INDICATORS:
        cols = [ind.var] if ind.kind == "proportion" else [ind.num, ind.den] if ind.kind == "ratio" else []
        cols = [c for c in cols if c in b]
        if not cols:
            continue
        x, y = b[cols].astype(float), a[cols].astype(float)
        had = x.notna().any(axis=1)
        diff = ((x != y) & ~(x.isna() & y.isna())).any(axis=1) & had
        county = b["county"].astype(str)
        per = diff.groupby(county).sum()
        rows += [(ind.name, c, int(n)) for c, n in per.items()] + [(ind.name, ALL, int(diff.sum()))]
    return pd.DataFrame(rows, columns=["indicator", "county", "decisions"])


__all__ = ["Result", "evaluate", "apply_review", "reviewed_households", "REVIEW_RULES"]
