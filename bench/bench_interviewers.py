"""Benchmark: interviewer statistics on 100,000 visits against a plain pandas floor.

Ours (toolkit.ingest.fabrication.interviewer_signals, toolkit.verify.interviewers
effects + icc_table): per-submission signals (short interview, straight-lined
satisfaction, heaping of 10 income/expenditure amounts on 0/00/000), each
interviewer against the rest (χ² or Fisher), Holm over the family, finding
rates against the rest, and the ANOVA ICC / design effect of every indicator.

Floor: what a plain pandas script would do with the same frame and no tests:
one ``groupby(enumerator).mean()`` of the same 0/1 columns (signals, amounts
melted, verdicts) and a groupby of each verdict's per-interviewer means and
variances (the ICC's ingredients). Ratio = ours ÷ floor (lower is better).

Setup (not timed): a synthetic frame of N visits by K interviewers (300 by
default) in 6 counties, with 3 planted fabricators (toolkit.synthetic_fabrication).

    .venv/bin/python bench/bench_interviewers.py [--visits 100000] [--interviewers 300]
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd


def frame(n: int, k: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(submissions, households) for n visits by k interviewers."""
    from toolkit.synthetic_fabrication import INCOME, RIGID, plant_fabricator

    rng = np.random.default_rng(seed)
    enum = np.array([f"T{i:03d}" for i in range(k)], dtype=object)[rng.integers(0, k, n)]
    start = np.datetime64("2026-06-01T08:00") + rng.integers(0, 30 * 24 * 3600, n).astype("timedelta64[s]")
    latent = rng.integers(1, 6, n)
    sub = {"KEY": [f"uuid:{i:08d}" for i in range(n)], "interviewer_1": enum, "consent": "yes",
           "start": start, "end": start + rng.integers(25 * 60, 70 * 60, n).astype("timedelta64[s]"),
           "members_n": rng.integers(1, 6, n).astype(float)}
    for c in ("sat_overall", "sat_fairness", "sat_exit", "sat_cadres"):
        sub[c] = np.clip(latent + rng.integers(-1, 2, n), 1, 5).astype(float)
    for c in (*INCOME, *RIGID):
        sub[c] = np.where(rng.random(n) < 0.6, np.round(rng.lognormal(8.5, 1.0, n) / 10) * 10, 0.0)
    sub["verdict_eligible"] = np.where(rng.random(n) < 0.85, "meets", "income_above")
    sub["verdict_exit_wrong"] = None
    sub["verdict_should_exit"] = np.where(rng.random(n) < 0.05, "yes", "no")
    s = pd.DataFrame(sub)
    for i in range(3):   # three fabricators, each planted in its own slice of interviewers
        part = s["interviewer_1"].isin(np.unique(enum)[i::3][:k // 3])
        planted, _ = plant_fabricator(s[part], seed + i)
        s.loc[part] = planted
    s = s.rename(columns={"interviewer_1": "enumerator"})
    county = pd.Series(s["enumerator"].str[1:].astype(int) % 6).map(lambda c: f"C{c}")
    h = pd.DataFrame({"KEY": s["KEY"], "enumerator": s["enumerator"], "county": county,
                      "wrong_inclusion": (rng.random(n) < 0.08).astype(float),
                      "missed_exit": (rng.random(n) < 0.03).astype(float),
                      "approval": (s["sat_overall"] >= 4).astype(float)})
    return s, h


def ours(s: pd.DataFrame, h: pd.DataFrame) -> object:
    from toolkit.ingest.fabrication import interviewer_signals
    from toolkit.verify.interviewers import effects, icc_table

    sig = interviewer_signals(s)
    return sig, effects(h, s), icc_table(h)


def floor(s: pd.DataFrame, h: pd.DataFrame) -> object:
    mins = (s["end"] - s["start"]).dt.total_seconds() / 60
    sat = s[["sat_overall", "sat_fairness", "sat_exit", "sat_cadres"]]
    per = pd.DataFrame({"enumerator": s["enumerator"], "short": mins < 15,
                        "straight": sat.max(axis=1) == sat.min(axis=1)}).groupby("enumerator").mean()
    amt = s.melt(id_vars="enumerator", value_vars=[c for c in s.columns if c.startswith(("inc_", "exp_"))])
    amt = amt[amt["value"] > 0]
    heap = (amt["value"] % 100 == 0).groupby(amt["enumerator"]).mean()
    cols = ["wrong_inclusion", "missed_exit", "approval"]
    rates = h.groupby("enumerator")[cols].agg(["mean", "var", "size"])
    return per, heap, rates


def best(fn, *a, repeat: int = 3) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*a)
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--visits", type=int, default=100_000)
    ap.add_argument("--interviewers", type=int, default=300)
    ap.add_argument("--seed", type=int, default=18)
    args = ap.parse_args()
    s, h = frame(args.visits, args.interviewers, args.seed)
    sig, eff, icc = ours(s, h)
    t_ours = best(ours, s, h)
    t_floor = best(floor, s, h)
    print(f"visits {len(s):,}  interviewers {s['enumerator'].nunique()}  flagged by signals {len(sig.flagged())}"
          f"  effect tests {len(eff)}  ICC rows {len(icc)}")
    print(f"ours (signals + tests + Holm + effects + ICC)  {t_ours:.3f} s")
    print(f"floor (plain pandas groupby means)             {t_floor:.3f} s")
    print(f"ratio ours / floor                              {t_ours / t_floor:.2f}")


if __name__ == "__main__":
    main()
