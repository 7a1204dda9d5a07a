"""A planted fabricating interviewer for the synthetic field work (issue 18).

:func:`plant_fabricator` takes simulated submissions
(toolkit.synthetic_visits) and makes ONE interviewer (``interviewer_1``,
chosen by the seed among those with completed interviews) fill in every one
of their completed questionnaires without really visiting:

* the interview lasts 6–13 minutes (honest ones 25–70);
* the satisfaction block answered in one go: every answered G item gets the
  same answer (5 "very satisfied" with probability 0.4, else 4);
* income and expenditure amounts rounded to whole hundreds (below 2,000
  yuan) or thousands (totals and net income recomputed as the form does);
* answers that diverge from the planted truth: every archive check "same"
  (no actual value), the household meets the criteria (H1), no wrong exit
  (H2), no missed exit (H3).

The truth (for tests only) is one row per interviewer_1: ``enumerator``,
``role`` (fabricator / honest), ``completed`` interviews. Seeded: the same
seed plants the same interviewer and the same answers.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

SAT = ("sat_overall", "sat_fairness", "sat_exit", "sat_cadres")
INCOME = ("inc_wage", "inc_pension", "inc_business", "inc_property", "inc_transfer", "inc_union", "inc_other")
RIGID = ("exp_medical", "exp_disability", "exp_school")
CHECKS = ("hh_size", "category", "head_work", "main_cause", "housing", "address", "health")


def _round_amounts(v: np.ndarray) -> np.ndarray:
    """Amounts above 0 rounded to 100 (below 2,000) or to 1,000, never to 0."""
    out = np.where(v >= 2000, np.round(v / 1000) * 1000, np.maximum(np.round(v / 100) * 100, 100))
    return np.where(np.nan_to_num(v) > 0, out, v)


def plant_fabricator(submissions: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(submissions with one fabricating interviewer, truth per interviewer); module doc."""
    s = submissions.copy()
    rng = np.random.default_rng([int(seed), 18])
    done = s["consent"].astype(str).eq("yes").to_numpy() if "consent" in s else np.ones(len(s), bool)
    who = s["interviewer_1"].astype(str)
    counts = who[done].value_counts().sort_index()
    truth = pd.DataFrame({"enumerator": counts.index.astype(str), "role": "honest",
                          "completed": counts.to_numpy().astype(int)})
    if not len(counts):
        return s, truth
    fab = str(counts.index[rng.integers(0, len(counts))])
    truth.loc[truth["enumerator"] == fab, "role"] = "fabricator"
    rows = np.flatnonzero(done & who.eq(fab).to_numpy())
    k = len(rows)

    def put(col: str, values: object) -> None:
        if col not in s:
            return
        arr = s[col].to_numpy(dtype=object if s[col].dtype == object else None, copy=True)
        arr[rows] = values
        s[col] = arr

    def num(col: str) -> np.ndarray:
        return pd.to_numeric(s[col], errors="coerce").to_numpy(float)[rows]

    start = pd.to_datetime(s["start"]).to_numpy()[rows]
    put("end", start + rng.integers(6 * 60, 13 * 60, k).astype("timedelta64[s]"))
    value = np.where(rng.random(k) < 0.4, 5.0, 4.0)
    for c in SAT:
        if c in s:
            put(c, np.where(np.isnan(num(c)), np.nan, value))
    for c in (*INCOME, *RIGID):
        if c in s:
            put(c, _round_amounts(num(c)))
    inc = np.nansum(np.column_stack([num(c) for c in INCOME if c in s]), axis=1)
    rig = np.nansum(np.column_stack([num(c) for c in RIGID if c in s]), axis=1)
    size = num("members_n") if "members_n" in s else np.ones(k)
    put("income_total", inc)
    put("rigid_total", rig)
    put("net_pc_month", np.round((inc - rig) / np.maximum(np.nan_to_num(size, nan=1.0), 1) / 12.0, 2))
    for c in CHECKS:
        if f"{c}_check" in s:
            put(f"{c}_check", np.where(s[f"{c}_check"].isna().to_numpy()[rows], None, "same"))
            put(f"{c}_actual", None)
    if "verdict_eligible" in s:
        put("verdict_eligible", "meets")
    for c in ("verdict_exit_wrong", "verdict_should_exit"):
        if c in s:
            put(c, np.where(s[c].isna().to_numpy()[rows], None, "no"))
    return s, truth


__all__ = ["plant_fabricator"]
