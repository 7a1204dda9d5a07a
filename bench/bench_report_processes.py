"""Benchmark: the report in one process against the report with helper processes, in one run.

    python bench/bench_report_processes.py DIR [--base-code SRC] [--rounds 1] [--lang zh]

DIR is a project whose verification is stored and current (e.g. the 600,000
folder of ``bench_scale.py`` after its verify stage). Each variant builds the
report in a fresh interpreter (``toolkit.report.build_report``, wall time
from the interpreter's start to the last file) into ``bench/out/report-<project folder>-<lang>-<variant>``:

* ``base``: the code in SRC (a folder holding an older ``toolkit``, e.g.
  ``git archive <commit> toolkit | tar -x -C SRC``), when given;
* ``one process``: this code with ``FIELDEVAL_REPORT_PROCESSES=1``;
* ``helpers``: this code as ``fieldeval report`` runs it (charts and writers in
  forked helper processes, toolkit.report.parallel).

The variants alternate per round; the ratios printed are of the same run.
Then the files are compared (bench/report_compare.py) against the first
variant's, and the machine's load is printed. Run each variant once before
(a changed ``toolkit/roster`` gives the roster snapshot another key: the
first run reads the roster file again).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
CODE = "import sys; from toolkit.report import build_report; build_report(sys.argv[1], lang=sys.argv[2], out=sys.argv[3])"


def run(variant: str, code_dir: Path, project: str, lang: str, out: Path, env: dict) -> float:
    """Wall seconds of one report in a fresh interpreter."""
    e = os.environ | env | {"PYTHONPATH": str(code_dir)}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", CODE, project, lang, str(out)], check=True, env=e)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data")
    ap.add_argument("--base-code", default=None)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--lang", default="zh")
    args = ap.parse_args()
    variants = ([("base", Path(args.base_code).resolve(), {})] if args.base_code else []) + [
        ("one process", ROOT.parent, {"FIELDEVAL_REPORT_PROCESSES": "1"}),
        ("helpers", ROOT.parent, {})]
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    times: dict[str, list[float]] = {v: [] for v, _, _ in variants}
    outs = {v: ROOT / "out" / f"report-{Path(args.data).name}-{args.lang}-{v.replace(' ', '-')}" for v, _, _ in variants}
    for _ in range(args.rounds):
        for v, code, env in variants:
            s = run(v, code, args.data, args.lang, outs[v], env)
            times[v].append(s)
            print(f"  {v:<12} {s:8.2f} s   (load {os.getloadavg()[0]:.1f})", flush=True)
    best = {v: min(ts) for v, ts in times.items()}
    last = variants[-1][0]
    for v in best:
        if v != last:
            print(f"{v} / {last}: {best[v] / best[last]:.2f}x")
    sys.path.insert(0, str(ROOT))
    import report_compare

    first = variants[0][0]
    bad = 0
    for v in outs:
        if v != first:
            print(f"files of {v} against {first}:")
            bad += report_compare.main(str(outs[first]), str(outs[v]))
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
