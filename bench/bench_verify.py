"""Benchmark: verify + scorecard for a 1,000,000-household roster and 20,000 visits.

Stages timed (wall seconds, share of the total) on a first run; peak memory
(tracemalloc: Python allocations incl. numpy/pandas buffers) on a second run,
because tracing every allocation slows object-heavy code several times over:

1. findings — archive vs visit for 20,000 interviewed households (comparison
   engine, income rule, verdicts, evidence table);
2. design + estimates — weights from the sample, every indicator per county
   and 全市 through toolkit.survey;
3. census — roster validation of 1,000,000 households and 数据完整率;
4. scorecard — verdicts.

Setup (not timed): a synthetic city of 1,000,000 households, a stratified
random sample of ~20,000 roster + comparison households (SRSWOR by county,
with reserves) and simulated visits (10 % non-response), in memory.

    .venv/bin/python bench/bench_verify.py [--households 1000000] [--visits 20000]
"""
from __future__ import annotations

import argparse
import json
import time
import tracemalloc
from pathlib import Path

import pandas as pd


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=1_000_000)
    ap.add_argument("--visits", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    from toolkit.sampling import Design, draw
    from toolkit.synthetic import make_city
    from toolkit.synthetic_visits import parquet_layout, simulate_visits
    from toolkit.verify.load import from_layout
    from toolkit.verify.run import evaluate

    t0 = time.perf_counter()
    city = make_city(args.households, args.seed, comparison_share=0.02)
    n_comp = min(len(city.comparison) // 2, max(args.visits // 10, 60))
    d = Design(seed=str(args.seed), strata=("county",), method="srswor", n=args.visits - n_comp,
               allocation="proportional", reserves=20)
    s = draw(city.roster, d)
    comp = city.comparison.rename(columns={"comparison_id": "archive_id"}).assign(frame="comparison")
    sc = draw(comp, Design(seed=str(args.seed), strata=("frame", "county"), method="srswor", n=n_comp,
                           allocation="proportional", reserves=5))
    units = pd.concat([s.units, sc.units], ignore_index=True)
    reserves = pd.concat([s.reserves, sc.reserves], ignore_index=True)
    v = simulate_visits(city, units, reserves, seed=args.seed)
    vd = from_layout(parquet_layout(v))
    setup = time.perf_counter() - t0
    print(f"setup (not timed): {setup:.1f} s — roster {len(city.roster):,}, released {len(v.dispositions):,}, "
          f"submissions {len(vd.submissions):,}, payments {len(vd.payments):,}")

    sizes = {**s.strata_sizes, **sc.strata_sizes}
    t0 = time.perf_counter()
    res = evaluate(city.roster, vd, v.dispositions, city.evaluation, strata_sizes=sizes)
    total = time.perf_counter() - t0
    tracemalloc.start()
    evaluate(city.roster, vd, v.dispositions, city.evaluation, strata_sizes=sizes)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"verify + scorecard: {total:.2f} s, peak memory {peak / 2**20:.0f} MiB "
          f"({len(res.frame):,} interviewed households)")
    for k, sec in res.timings.items():
        print(f"  {k:<10} {sec:7.2f} s  {sec / total:6.1%}")
    out = Path(__file__).resolve().parent / "out"
    out.mkdir(exist_ok=True)
    (out / "bench_verify.json").write_text(json.dumps({
        "households": args.households, "visits": args.visits, "interviewed": len(res.frame),
        "seconds": total, "peak_mib": peak / 2**20, "stages": res.timings}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
