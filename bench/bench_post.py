"""Benchmark: the stages after the draw (ingest, verify, report, leadership data load) on a drawn project.

    python bench/bench_post.py DIR [--profile OUT] [--lang zh]

DIR is a project whose draw and simulated field work are done (e.g. the data
folder of ``bench_scale.py`` after one chain run: ``output/sample`` and
``output/visits/visits.xlsx`` present). Each stage is timed as in
``bench_scale.chain`` (wall time, peak RSS sampled by psutil); the goals at
~30,000 visits are ingest <= 30 s, verify <= 30 s, report <= 60 s and the
leadership load <= 5 s, whatever the roster's size. Nothing is compared
against a peer here: these stages have no outside floor, the goal is absolute.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

import bench_scale  # noqa: E402  (its stage() timer and profile switch)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", help="a drawn project folder with output/visits/visits.xlsx")
    ap.add_argument("--profile", default=None, help="a folder: each stage under cProfile, stats kept there")
    ap.add_argument("--lang", default="zh")
    ap.add_argument("--only", default="ingest,verify,report,load")
    args = ap.parse_args()
    if args.profile:
        bench_scale.PROFILE.append(Path(args.profile))
        bench_scale.PROFILE[0].mkdir(parents=True, exist_ok=True)

    from toolkit.project import Project
    from toolkit.report import build_report
    from toolkit.synthetic_visits import FORM_PATH
    from toolkit.widgets.data import load_results

    d = Path(args.data)
    only = set(args.only.split(","))
    xlsx = d / "output" / "visits" / "visits.xlsx"
    print(f"data: {d}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    project = Project.open(d)
    t0 = time.perf_counter()
    if "ingest" in only:
        with bench_scale.stage("ingest of the visits (read + validate + quality)", goal="<= 30 s"):
            project.ingest([xlsx], form=FORM_PATH, lang=args.lang)
    if "verify" in only:
        roster = _time_roster_read()   # the roster's read + check, reported apart (issue 21: cached elsewhere)
        cpu = time.process_time()
        with bench_scale.stage("verify (roster, findings, estimates)", goal="<= 30 s") as rec:
            project.verify()
        cpu = time.process_time() - cpu
        print(f"  verify: CPU {cpu:.1f} s of this process; roster read + check {roster[0]:.2f} s (CPU "
              f"{roster[1]:.1f} s); verify without it {rec['seconds'] - roster[0]:.2f} s (CPU {cpu - roster[1]:.1f} s; "
              f"goal <= 30 s)")
    fresh = Project.open(d)   # what the report opens: is the stored result verify wrote still current?
    print(f"  stored result out of date before the report: {fresh.is_stale()} "
          f"(inputs changed: {', '.join(fresh.stale_inputs()) or 'none'})")
    if "report" in only:
        from toolkit.errors import UserError

        with bench_scale.stage("report (docx, html, xlsx)", goal="<= 60 s"):
            try:
                build_report(d, lang=args.lang)
            except UserError as e:   # printed, and the load is still timed
                print(f"  report refused: {e}")
    if "load" in only:
        from toolkit.widgets.data import load_leadership

        with bench_scale.stage("dashboards' data load (load_results)", goal="<= 5 s"):
            load_results(d)
        with bench_scale.stage("leadership dashboard data load (load_leadership)", goal="<= 5 s"):
            load_leadership(d)
    print(f"stages after the draw: {time.perf_counter() - t0:.1f} s; "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


def _time_roster_read() -> list[float]:
    """Wrap verify's roster read and check (``toolkit.verify.roster_once``)
    so their wall and CPU time add up in the returned list [wall, CPU]."""
    from toolkit.verify import roster_once

    spent = [0.0, 0.0]
    for name in ("read_roster", "validate"):
        f = getattr(roster_once, name)

        def timed(*a, _f=f, **k):  # noqa: ANN002, ANN003, ANN202
            t, c = time.perf_counter(), time.process_time()
            try:
                return _f(*a, **k)
            finally:
                spent[0] += time.perf_counter() - t
                spent[1] += time.process_time() - c
        setattr(roster_once, name, timed)
    return spent


if __name__ == "__main__":
    sys.exit(main())
