"""Benchmark: a proportion by 10 domains on 1,000,000 rows (30 strata, 1,200 PSUs).

Not a test. Times toolkit.survey against every peer, each in its own child
process (so that peak memory is per peer), on the same synthetic data:

* ``ours``      Design(...) + .proportion(y, by=domain) with Korn–Graubard CIs
* ``floor``     one numpy bincount pass over the same columns (estimate + SE
                only, codes prepared in advance): the lower bound for any engine
* ``svy``       svy.Sample(...).estimation.prop(y, by=domain, ci_method="korn-graubard")
* ``samplics``  TaylorEstimator("proportion").estimate(..., domain=domain)
* ``R``         svydesign + svyby(~y, ~domain, svymean) where Rscript is present

Timings are wall-clock, best of ``--repeat`` runs (one run for samplics and
R), including building the design object (for ours also printed: the
estimate alone on a built design). Peak memory is the child's maximum
resident set size (whole process with its data and imports; for R, the R
process), so compare between peers rather than read it as the estimator's own.
A peer that is missing or fails is reported and skipped.

    python bench/bench_survey.py [--rows 1000000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
STRATA, PSU_PER_STRATUM, DOMAINS = 30, 40, 10


def make_data(rows: int, seed: int = 2024) -> dict[str, np.ndarray]:
    """Strata 0..29, 40 PSUs each (1,200), households spread unevenly over
    PSUs, 10 domains, a 5 % event with PSU-level variation, unequal weights."""
    rng = np.random.default_rng(seed)
    n_psu = STRATA * PSU_PER_STRATUM
    size = rng.gamma(4.0, 1.0, n_psu)
    psu = np.sort(rng.choice(n_psu, size=rows, p=size / size.sum()))
    stratum = psu // PSU_PER_STRATUM
    psu_rate = rng.beta(2.0, 38.0, n_psu)                   # mean 5 %
    y = (rng.random(rows) < psu_rate[psu]).astype(np.int8)
    domain = rng.integers(0, DOMAINS, rows).astype(np.int16)
    w = rng.uniform(50, 150, rows)
    return {"stratum": stratum.astype(np.int32), "psu": psu.astype(np.int32),
            "domain": domain, "y": y, "w": w}


def _best(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def peer_ours(d, repeat):
    import pandas as pd

    sys.path.insert(0, str(ROOT))
    from toolkit.survey import Design

    df = pd.DataFrame(d)

    def go():
        return Design(df, strata="stratum", psu="psu", weights="w").proportion("y", by="domain")

    t, r = _best(go, repeat)
    design = Design(df, strata="stratum", psu="psu", weights="w")
    t_est, _ = _best(lambda: design.proportion("y", by="domain"), repeat)
    print(json.dumps({"note": f"ours: estimate on a built design {t_est:.4f} s"}), file=sys.stderr)
    return t, r["estimate"].tolist(), r["se"].tolist(), {"estimate_only_seconds": t_est}


def peer_floor(d, repeat):
    psu, dom, y, w = d["psu"], d["domain"].astype(np.int64), d["y"].astype(float), d["w"]
    n_psu = int(psu.max()) + 1
    psu_h = np.arange(n_psu) // PSU_PER_STRATUM
    n_h = np.bincount(psu_h, minlength=STRATA).astype(float)

    def go():
        W = np.bincount(dom, w, DOMAINS)
        p = np.bincount(dom, w * y, DOMAINS) / W
        z = w * (y - p[dom]) / W[dom]
        t = np.bincount(dom * n_psu + psu, z, DOMAINS * n_psu).reshape(DOMAINS, n_psu)
        m = np.stack([np.bincount(psu_h, row, STRATA) for row in t]) / n_h
        dev = t - m[:, psu_h]
        v = (np.stack([np.bincount(psu_h, row * row, STRATA) for row in dev])
             * n_h / (n_h - 1)).sum(axis=1)
        return p, np.sqrt(v)

    t, (p, se) = _best(go, repeat)
    return t, p.tolist(), se.tolist()


def peer_svy(d, repeat):
    import polars as pl
    import svy

    df = pl.DataFrame(d)

    def go():
        smp = svy.Sample(data=df, design=svy.Design(stratum="stratum", psu="psu", wgt="w"))
        return smp.estimation.prop(y="y", by="domain", ci_method="korn-graubard")

    t, r = _best(go, repeat)
    est, se = [], []
    try:  # pull the y == 1 rows out of svy's result for the cross-check
        tab = r.to_polars() if hasattr(r, "to_polars") else None
        if tab is not None:
            cols = tab.columns
            ycol = [c for c in cols if c in ("y", "level", "category")]
            if ycol:
                tab = tab.filter(pl.col(ycol[0]).cast(pl.Utf8) == "1").sort("domain")
            est = tab["est"].to_list()
            se = tab["se"].to_list()
    except Exception:
        pass
    return t, est, se


def peer_samplics(d, repeat):
    import warnings

    warnings.filterwarnings("ignore")
    from samplics import PopParam, TaylorEstimator

    def go():
        est = TaylorEstimator(PopParam.prop)
        est.estimate(y=d["y"], samp_weight=d["w"], stratum=d["stratum"], psu=d["psu"],
                     domain=d["domain"], remove_nan=False)
        return est

    t, e = _best(go, 1)
    try:
        p = [e.point_est[k][1] for k in sorted(e.point_est)]
        se = [e.stderror[k][1] for k in sorted(e.stderror)]
    except Exception:
        p, se = [], []
    return t, p, se


R_SCRIPT = r"""
suppressMessages(library(survey))
args <- commandArgs(TRUE)
d <- read.csv(args[1], colClasses = c("integer", "integer", "integer", "integer", "numeric"))
invisible(gc(reset = TRUE))
t <- system.time({
  des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d, nest = TRUE)
  r <- svyby(~y, ~domain, des, svymean)
})[["elapsed"]]
g <- gc()
cat(sprintf('{"seconds": %.6f, "r_max_used_mb": %.1f, "estimate": [%s], "se": [%s]}\n', t,
            sum(g[, ncol(g)]), paste(sprintf("%.15g", coef(r)), collapse = ","),
            paste(sprintf("%.15g", SE(r)), collapse = ",")))
"""


def peer_r(d, repeat):
    if not shutil.which("Rscript"):
        raise RuntimeError("Rscript not found")
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "d.csv"
        cols = ["stratum", "psu", "domain", "y", "w"]
        np.savetxt(csv, np.column_stack([d[c] for c in cols]), delimiter=",",
                   fmt=["%d", "%d", "%d", "%d", "%.10g"], header=",".join(cols), comments="")
        script = Path(tmp) / "b.R"
        script.write_text(R_SCRIPT)
        out = subprocess.run(["Rscript", str(script), str(csv)], capture_output=True, text=True,
                             check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    return res["seconds"], res["estimate"], res["se"]


PEERS = {"ours": peer_ours, "floor": peer_floor, "svy": peer_svy, "samplics": peer_samplics,
         "R": peer_r}


def child(name: str, rows: int, repeat: int) -> None:
    import resource

    d = make_data(rows)
    out = PEERS[name](d, repeat)
    t, est, se = out[:3]
    extra = out[3] if len(out) > 3 else {}
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
               resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024   # Linux: KiB
    print(json.dumps({"seconds": t, "estimate": est, "se": se, "peak_mb": peak, **extra}))


def run_child(name: str, rows: int, repeat: int, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--peer", name, "--rows", str(rows), "--repeat", str(repeat)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"error": f"timed out after {timeout:.0f} s"}
    if proc.returncode != 0:
        last = (err.strip().splitlines() or ["?"])[-1]
        return {"error": last[:200]}
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--peer", choices=sorted(PEERS))
    ap.add_argument("--only", help="comma-separated peers to run")
    ap.add_argument("--timeout", type=float, default=600)
    a = ap.parse_args()
    if a.peer:
        child(a.peer, a.rows, a.repeat)
        return
    names = a.only.split(",") if a.only else list(PEERS)
    print(f"rows={a.rows:,} strata={STRATA} psus={STRATA * PSU_PER_STRATUM} domains={DOMAINS} "
          f"cpus={os.cpu_count()} python={sys.version.split()[0]}")
    results = {}
    for name in names:
        res = run_child(name, a.rows, a.repeat, a.timeout)
        results[name] = res
        if "error" in res:
            print(f"{name:9s} skipped: {res['error']}")
            continue
        extra = (f"   (estimate on a built design: {res['estimate_only_seconds']:.3f} s)"
                 if "estimate_only_seconds" in res else "")
        print(f"{name:9s} {res['seconds']:8.3f} s   peak RSS {res['peak_mb']:7.0f} MB{extra}")
    ours = results.get("ours", {})
    if "seconds" not in ours:
        return
    print("\nratios (peer time / ours; > 1 means ours is faster):")
    for name, res in results.items():
        if name == "ours" or "seconds" not in res:
            continue
        agree = ""
        if res.get("estimate") and len(res["estimate"]) == len(ours["estimate"]):
            de = max(abs(x - y) for x, y in zip(res["estimate"], ours["estimate"]))
            ds = max(abs(x - y) / y for x, y in zip(res["se"], ours["se"])) if res.get("se") else float("nan")
            agree = f"   max |Δ estimate| {de:.1e}, max rel Δ se {ds:.1e}"
        print(f"  {name:9s} {res['seconds'] / ours['seconds']:8.2f}×{agree}")


if __name__ == "__main__":
    main()
