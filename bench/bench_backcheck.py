"""Benchmark: the back-check comparison and interviewer statistics on 100,000
visits and 15,000 back-checks, against a plain pandas merge-and-compare floor.

Not a test. Synthetic frames: 100,000 visits by 500 interviewers (answers to
the back-check form's compared top-level items, as the household visit holds
them), 15,000 of them re-interviewed (3 % honest noise per item), 20
back-checkers. Timed:

* **ours** — :func:`toolkit.backcheck.compare.run` (type 1/2/3, tolerances,
  text normalisation, "not known" answers, derived columns; the same engine
  as toolkit.verify.compare) + per-interviewer / per-back-checker rates split
  by type + the flags (household rates, vectorised Mann–Whitney, Holm) + SRV /
  reliability per numeric item;
* **floor** — one ``DataFrame.merge`` on archive id, then per item a
  vectorised ``!=`` (or ``abs(x − y) > max(abs, rel·|x|)`` for numbers) and one
  ``groupby(interviewer).mean()``: what a careful analyst writes by hand, with
  no tolerances for "not known", no derived items, no tests.

    python bench/bench_backcheck.py [--visits 100000] [--backchecks 15000] [--repeat 3]

Prints the best of ``--repeat`` runs of each and the ratio ours ÷ floor.

Result (2026-11-30, ``--repeat 2``, a 2-core machine shared with other jobs, so
wall times are inflated): ours 19.9 s, floor 0.58 s, ratio 34.5×. Most of ours
is toolkit.verify.compare's per-pair text normalisation (NFKC, whitespace
removed, on Arrow strings) and its frame building, which the floor skips; the
statistics (rates, Mann–Whitney, Holm, SRV) are a few seconds. Not yet tuned.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from toolkit.backcheck import stats  # noqa: E402
from toolkit.backcheck.compare import run  # noqa: E402
from toolkit.backcheck.settings import BackcheckSettings  # noqa: E402
from toolkit.backcheck.spec import form_path, read_items  # noqa: E402

YN = ("serious_illness", "disabled", "car", "shop_employer", "helper_known", "helper_contact_6m")
AMOUNTS = ("inc_wage", "inc_pension", "inc_transfer", "inc_other", "exp_medical", "exp_school")
COUNTS = ("members_n", "school_children", "homes_owned")


def frames(n: int, m: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(visits, back-checks) as described in the module doc."""
    rng = np.random.default_rng(seed)
    ids = np.char.add("HF-", np.arange(n).astype(str)).astype(object)
    v = pd.DataFrame({"KEY": np.char.add("uuid:", np.arange(n).astype(str)).astype(object), "archive_id": ids,
                      "interviewer_1": np.char.add("E", (np.arange(n) % 500).astype(str)).astype(object),
                      "county_code": np.char.add("T", (np.arange(n) % 25).astype(str)).astype(object),
                      "visit_result": "met", "end": pd.Timestamp("2026-03-01")})
    for c in COUNTS:
        v[c] = rng.integers(0, 6, n).astype(float)
    for c in YN:
        v[c] = np.where(rng.random(n) < 0.4, "yes", "no")
    for c in AMOUNTS:
        v[c] = np.round(rng.lognormal(9, 0.8, n), -1)
    v["sat_overall"] = rng.integers(1, 6, n).astype(float)
    pick = rng.choice(n, m, replace=False)
    b = v.iloc[pick].reset_index(drop=True)
    b = b.rename(columns={"members_n": "hh_size"}).drop(columns=["interviewer_1", "county_code", "visit_result"])
    b["KEY"] = np.char.add("uuid:bc-", np.arange(m).astype(str)).astype(object)
    b["backchecker"] = np.char.add("B", (np.arange(m) % 20).astype(str)).astype(object)
    b["bc_reach"], b["bc_consent"], b["household_there"], b["visited_confirmed"] = "reached", "yes", "yes", "yes"
    for c in ("hh_size", "school_children", "homes_owned"):
        bad = rng.random(m) < 0.03
        b[c] = np.where(bad, b[c] + 1, b[c])
    for c in YN:
        bad = rng.random(m) < 0.03
        b[c] = np.where(bad, np.where(b[c] == "yes", "no", "yes"), b[c])
    for c in AMOUNTS:
        bad = rng.random(m) < 0.03
        b[c] = np.where(bad, b[c] * 2, b[c])
    b["sat_overall"] = b["sat_overall"].astype(int).astype(str)
    return v, b


def ours(v: pd.DataFrame, b: pd.DataFrame, items: tuple) -> pd.DataFrame:
    comp = run(v, b, items)
    s = BackcheckSettings()
    stats.rates(comp.table, ["enumerator"])
    stats.rates(comp.table, ["backchecker"])
    stats.rates(comp.table, ["item", "type"])
    stats.reliability(comp.table)
    return stats.flag_units(comp.table, s)


def floor(v: pd.DataFrame, b: pd.DataFrame, items: tuple) -> pd.DataFrame:
    mg = b.merge(v, on="archive_id", suffixes=("_b", "_o"))
    diffs = {}
    for i in items:
        if i.repeat:
            continue
        ob = i.compare if i.compare != i.name else i.name + "_o"
        bb = i.name if i.compare != i.name else i.name + "_b"
        if ob not in mg or bb not in mg:
            continue
        if i.kind == "number":
            x, y = mg[ob].to_numpy(float), mg[bb].to_numpy(float)
            diffs[i.name] = np.abs(x - y) > np.maximum(i.abs_tol, i.rel_tol * np.abs(x))
        else:
            diffs[i.name] = mg[ob].astype(str).to_numpy() != mg[bb].astype(str).to_numpy()
    d = pd.DataFrame(diffs)
    d["interviewer"] = mg["interviewer_1"].to_numpy()
    return d.groupby("interviewer").mean()


def best(fn, *args, repeat: int) -> float:  # noqa: ANN001
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(*args)
        out.append(time.perf_counter() - t0)
    return min(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--visits", type=int, default=100_000)
    ap.add_argument("--backchecks", type=int, default=15_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    items = read_items(form_path())
    v, b = frames(a.visits, a.backchecks)
    flags = ours(v, b, items)   # warm-up and a sanity check
    assert len(flags) == 500
    t_ours = best(ours, v, b, items, repeat=a.repeat)
    t_floor = best(floor, v, b, items, repeat=a.repeat)
    print(f"visits {a.visits:,}, back-checks {a.backchecks:,}, items {len(items)}")
    print(f"ours  (compare + rates + flags + SRV): {t_ours:.2f} s")
    print(f"floor (pandas merge and compare):       {t_floor:.2f} s")
    print(f"ratio ours / floor: {t_ours / t_floor:.1f}x")


if __name__ == "__main__":
    main()
