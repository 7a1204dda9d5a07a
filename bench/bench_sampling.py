"""Benchmark: stratified SRSWOR draw from a 3,000,000-row roster.

    .venv/bin/python bench/bench_sampling.py [--rows 3000000] [--per-stratum 50] [--repeat 3]
        [--peer-repeat 1] [--skip-r] [--skip-samplics] [--skip-svy]

The frame is built the same way in Python and in R, so both sample the very
same frame: archive_id = "A%09d" % i, county = "C%02d" % (i mod 20),
status = one of 在档/已脱困/已解困/注销 by (i div 20) mod 4: 80 strata of
37,500 households, n_h = 50 in each (4,000 households).

Measured (best of --repeat, wall clock):
* fieldeval: toolkit.sampling.draw(frame, Design(strata=(county, status),
  per_stratum=50)): checks, id normalisation, 3M SHA-256 tickets, ordering,
  result tables. Peak memory: tracemalloc peak of Python + numpy allocations
  during the draw (the frame itself excluded).
* R: sampling::strata(df, c("county", "status"), size, method = "srswor") via
  Rscript, when Rscript and the package are present; time from
  system.time(), memory as gc() "max used" (MB) above the frame.
* samplics: SampleSelection(srs_wor, strat=True).select(...), when installed.
* svy (bench extra, Rust): Sample(frame, Design(stratum=[county, status]))
  .sampling.srs(n_h), the frame given as polars before the clock starts; no
  auditable tickets (``--skip-svy`` to leave out).

Prints the ratios (peer time ÷ fieldeval time; goals (issue 21): ≥ 3 against
R, ≥ 5 against samplics, ≥ 1/1.5 against svy, i.e. within 1.5× of it) and
the machine's load (``uptime``) before and after. A peer that fails is
reported and skipped.
"""
from __future__ import annotations

import argparse
import gc
import json
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STATUSES = np.array(["在档", "已脱困", "已解困", "注销"], dtype=object)


def make_frame(rows: int) -> pd.DataFrame:
    i = np.arange(rows)
    county = np.array([f"C{k:02d}" for k in range(20)], dtype=object)[i % 20]
    return pd.DataFrame({
        "archive_id": pd.array([f"A{k:09d}" for k in range(rows)], dtype="string"),
        "county": pd.array(county, dtype="string"),
        "status": pd.array(STATUSES[(i // 20) % 4], dtype="string"),
    }, index=pd.RangeIndex(2, rows + 2, name="row"))


def load() -> str:
    """The load averages as ``uptime`` prints them (2 shared cores: a ratio means more than a time)."""
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def bench_fieldeval(frame: pd.DataFrame, per: int, repeat: int) -> dict:
    from toolkit.sampling import Design, draw

    design = Design(seed="2024088", strata=("county", "status"), per_stratum=per)
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        s = draw(frame, design)
        times.append(time.perf_counter() - t)
    gc.collect()
    tracemalloc.start()
    draw(frame, design)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": min(times), "all": times, "peak_mb": peak / 2**20, "selected": len(s.units)}


R_CODE = r"""
suppressMessages(library(sampling))
rows <- %d; per <- %d; rep <- %d
i <- 0:(rows - 1)
st <- c("在档", "已脱困", "已解困", "注销")
df <- data.frame(archive_id = sprintf("A%%09d", i), county = sprintf("C%%02d", i %%%% 20),
                 status = st[((i %%/%% 20) %%%% 4) + 1], stringsAsFactors = FALSE)
df <- df[order(df$county, df$status), ]
nst <- nrow(unique(df[, c("county", "status")]))
g0 <- gc(reset = TRUE)
best <- Inf
for (k in 1:rep) {
  set.seed(k)
  t <- system.time(s <- strata(df, c("county", "status"), size = rep(per, nst), method = "srswor"))[["elapsed"]]
  best <- min(best, t)
}
g1 <- gc()
cat(sprintf('{"seconds": %%f, "max_used_mb": %%f, "selected": %%d}\n', best,
            sum(g1[, ncol(g1)]) - sum(g0[, 2]), nrow(s)))
"""


def bench_r(rows: int, per: int, repeat: int) -> dict:
    exe = shutil.which("Rscript")
    if not exe:
        raise RuntimeError("Rscript not found")
    code = R_CODE % (rows, per, repeat)
    p = subprocess.run([exe, "-e", code], capture_output=True, text=True, timeout=3600)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.strip().splitlines()[-1] if p.stderr.strip() else f"exit {p.returncode}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def bench_samplics(frame: pd.DataFrame, per: int, repeat: int) -> dict:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from samplics.sampling import SampleSelection
        from samplics.utils.types import SelectMethod
    ids = frame["archive_id"].to_numpy(dtype=object)
    strata = (frame["county"] + "|" + frame["status"]).to_numpy(dtype=object)
    sizes = {k: per for k in pd.unique(strata)}
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sel = SampleSelection(method=SelectMethod.srs_wor, strat=True, wr=False)
            out = sel.select(samp_unit=ids, samp_size=sizes, stratum=strata)
        times.append(time.perf_counter() - t)
    selected = int(np.asarray(out[0]).sum()) if isinstance(out, tuple) else len(out)
    return {"seconds": min(times), "all": times, "selected": selected}


def bench_svy(frame: pd.DataFrame, per: int, repeat: int) -> dict:
    """svy (Rust): ``Sample(frame, Design(stratum=[county, status])).sampling.srs(n=per)``,
    the frame handed over as a polars DataFrame before the clock starts."""
    import polars as pl
    import svy

    data = pl.from_pandas(frame.reset_index(drop=True).astype(str))
    times = []
    out = None
    for k in range(repeat):
        gc.collect()
        t = time.perf_counter()
        sample = svy.Sample(data, svy.Design(stratum=["county", "status"]))
        out = sample.sampling.srs(per, rstate=k + 1)
        times.append(time.perf_counter() - t)
    got = out.data if hasattr(out, "data") else out
    return {"seconds": min(times), "all": times, "selected": len(got)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=3_000_000)
    ap.add_argument("--per-stratum", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--peer-repeat", type=int, default=1, help="repetitions for R and samplics (slow)")
    ap.add_argument("--skip-r", action="store_true")
    ap.add_argument("--skip-samplics", action="store_true")
    ap.add_argument("--skip-svy", action="store_true")
    args = ap.parse_args()

    print(f"load: {load()}")
    t = time.perf_counter()
    frame = make_frame(args.rows)
    print(f"frame: {args.rows:,} rows, 80 strata, n_h = {args.per_stratum} "
          f"(built in {time.perf_counter() - t:.1f} s)")
    ours = bench_fieldeval(frame, args.per_stratum, args.repeat)
    print(f"fieldeval draw : {ours['seconds']:.2f} s (runs {', '.join(f'{x:.2f}' for x in ours['all'])}), "
          f"peak {ours['peak_mb']:.0f} MB, selected {ours['selected']:,}")
    peers = []
    if not args.skip_r:
        peers.append(("R sampling::strata(srswor)", lambda: bench_r(args.rows, args.per_stratum, args.peer_repeat), 3.0))
    if not args.skip_samplics:
        peers.append(("samplics SampleSelection", lambda: bench_samplics(frame, args.per_stratum, args.peer_repeat), 5.0))
    if not args.skip_svy:   # goal: fieldeval within 1.5x of svy (svy time / ours >= 1/1.5)
        peers.append(("svy Sample.sampling.srs", lambda: bench_svy(frame, args.per_stratum, args.peer_repeat), 1 / 1.5))
    for name, fn, goal in peers:
        try:
            res = fn()
        except Exception as e:  # a peer that fails is reported and skipped
            print(f"{name}: skipped ({type(e).__name__}: {e})")
            continue
        ratio = res["seconds"] / ours["seconds"]
        extra = f", gc max used +{res['max_used_mb']:.0f} MB" if "max_used_mb" in res else ""
        verdict = "goal met" if ratio >= goal else "goal NOT met"
        print(f"{name}: {res['seconds']:.2f} s{extra}, selected {res['selected']:,} -> "
              f"fieldeval is {ratio:.2f}x faster (goal >= {goal:.2f}x: {verdict})")
    print(f"load: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
