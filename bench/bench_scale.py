"""Benchmark: a national hardship roster (5.5M households) from file to report on one machine.

    python bench/bench_scale.py [--households 5500000] [--data DIR]   (default $FIELDEVAL_SCALE_DATA or bench/out/scale-data)
        [--skip-r] [--skip-xlsx] [--skip-chain] [--draw-rows 1000000]
        [--chain-only] [--stages "roster check,draw,..."] [--keep-output] [--single-process]

Data (built once, cached under ``--data``/hh<N>/ by ``bench/scale_data.py``;
not timed): 300 made-up counties over the 31 provinces, 6–12 townships each,
households from ``toolkit.synthetic.make_city`` (its planted damage: bad ID
check characters, blanks, duplicates, money as text) tiled to N; written as
UTF-8 CSV, GBK CSV, Parquet and an xlsx of the first 1,048,575 households.

Stages (each: wall time, peak memory, ratio to its floor):
* roster check: ``read_roster`` + ``validate`` of the UTF-8 CSV | floor
  ``pandas.read_csv`` (and pyarrow's CSV reader, printed);
* roster check of the GBK CSV (first 1,000,000 households) | floor
  ``pandas.read_csv(encoding="gbk")``;
* xlsx roster (1,048,575 rows) ``read_roster`` + ``validate`` | floor
  ``pandas.read_excel(engine="calamine")``;
* stratified SRSWOR draw of ``--draw-rows`` (bench_sampling's frame) | R
  ``sampling::strata`` via Rscript where installed; svy where installed;
* the chain on the national project: two-stage draw (300 counties × 4
  townships × 25 households, 5 reserves per township, comparison frame),
  simulated field work (not timed: it plays the evaluated households), ingest
  of the ~30,000 visits, verify, the report (docx/html/xlsx), and the
  leadership dashboard's data load (``toolkit.widgets.data.load_results``).

The chain runs by default as an evaluator runs it, one process per command
(``chain_processes``: ``fieldeval roster check``'s function, the draw, the
simulated field work (untimed; reused when the draw gives the same
sample.csv), ingest, verify, the report, the dashboards' loads), the roster
carried from one to the next by the project's roster snapshot
(``toolkit.roster.snapshot``); each stage's time includes starting Python
and the imports, its peak is that process's own ``VmHWM``. ``--stages``
runs part of it (e.g. ``"roster check,draw"``); ``--single-process`` keeps
the earlier one-process chain.

Peak memory (single process): the process's resident set size sampled every 20 ms by psutil
during the stage (absolute, so it includes what earlier stages left), and
the run's maximum from ``resource.getrusage`` at the end. Goals are printed
beside each figure; the machine may be shared (say so when quoting).
"""
from __future__ import annotations

import argparse
import gc
import os
import resource
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

GB = 2 ** 30
RESULTS: list[dict] = []
PROFILE: list[Path] = []   # --profile DIR: each stage under cProfile, stats written there


@contextmanager
def stage(name: str, floor: float | None = None, goal: str = ""):
    """Time a stage and sample its peak RSS; record and print one line."""
    import psutil

    proc = psutil.Process()
    peak = [proc.memory_info().rss]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], proc.memory_info().rss)

    th = threading.Thread(target=sample, daemon=True)
    gc.collect()
    th.start()
    rec: dict = {"stage": name}
    prof = None
    if PROFILE:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t = time.perf_counter()
    try:
        yield rec
    finally:
        rec["seconds"] = time.perf_counter() - t
        if prof is not None:
            import io
            import pstats
            import re

            prof.disable()
            slug = re.sub(r"\W+", "_", name.split("(")[0]).strip("_")[:40] or "stage"
            prof.dump_stats(PROFILE[0] / f"{slug}.prof")
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
            (PROFILE[0] / f"{slug}.txt").write_text(buf.getvalue())
        done.set()
        th.join()
        rec["peak_gb"] = max(peak[0], proc.memory_info().rss) / GB
        fl = rec.get("floor", floor)
        ratio = f", {rec['seconds'] / fl:.2f}x its floor ({fl:.2f} s)" if fl else ""
        print(f"  {name:<44} {rec['seconds']:8.2f} s  peak RSS {rec['peak_gb']:5.2f} GB{ratio}"
              + (f"  [goal {goal}]" if goal else ""), flush=True)
        RESULTS.append(rec)


def timed(fn) -> float:
    gc.collect()
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def gbk_head(src: Path, dst: Path, rows: int) -> Path:
    """The first ``rows`` households of the GBK CSV (header kept), written once."""
    if dst.exists():
        return dst
    with open(src, "rb") as fi, open(dst.with_suffix(".part"), "wb") as fo:
        for k, line in enumerate(fi):
            if k > rows:
                break
            fo.write(line)
    dst.with_suffix(".part").rename(dst)
    return dst


def roster_stages(d: Path, ev, n: int, skip_xlsx: bool, arrow_floor: bool = True) -> None:
    import pyarrow.csv as pacsv

    from toolkit.verify.roster_once import read_roster, validate   # the chain's stages reuse this read

    csv = d / "roster.csv"
    floor = timed(lambda: pd.read_csv(csv))
    arrow = timed(lambda: pacsv.read_csv(csv)) if arrow_floor else float("nan")
    print(f"  floor: pandas.read_csv {floor:.2f} s, pyarrow.csv.read_csv {arrow:.2f} s ({n:,} rows)")
    with stage("roster check (UTF-8 CSV)", floor, "<= 2x pandas.read_csv") as rec:
        r = read_roster(csv)
        prob = validate(r, ev)
        rec["problems"] = len(prob)
    print(f"    {len(r.frame):,} households, {len(prob):,} problems listed")
    del r, prob

    gbk = gbk_head(d / "roster_gbk.csv", d / "roster_gbk_1m.csv", min(n, 1_000_000))
    gfloor = timed(lambda: pd.read_csv(gbk, encoding="gbk"))
    with stage(f"roster check (GBK CSV, {min(n, 1_000_000):,} rows)", gfloor, "<= 1.5x pandas.read_csv"):
        r = read_roster(gbk)
        validate(r, ev)
    del r

    if not skip_xlsx and (d / "roster.xlsx").exists():
        xfloor = timed(lambda: pd.read_excel(d / "roster.xlsx", engine="calamine"))
        with stage("xlsx roster read + validate", xfloor, "<= 2x calamine read"):
            r = read_roster(d / "roster.xlsx")
            validate(r, ev)
        print(f"    {len(r.frame):,} rows")
        del r


def draw_vs_peers(rows: int, skip_r: bool) -> None:
    from bench_sampling import bench_fieldeval, bench_r, make_frame

    frame = make_frame(rows)
    ours = bench_fieldeval(frame, 50, 3)
    print(f"  stratified draw of {rows:,} rows (80 strata x 50): fieldeval {ours['seconds']:.2f} s "
          f"(best of 3: {', '.join(f'{x:.2f}' for x in ours['all'])}), tracemalloc peak {ours['peak_mb']:.0f} MB")
    RESULTS.append({"stage": "stratified draw 1M", "seconds": ours["seconds"]})
    from toolkit.sampling import tickets as tk

    ids = frame["archive_id"].tolist()
    fast = min(timed(lambda: tk.tickets(ids, "2024088")) for _ in range(3))
    slow = min(timed(lambda: tk.tickets_hashlib(ids, "2024088")) for _ in range(3))
    same = bool((tk.tickets(ids, "2024088") == tk.tickets_hashlib(ids, "2024088")).all())
    print(f"  tickets for {rows:,} ids: polars-hash {fast:.2f} s, hashlib one call per id {slow:.2f} s "
          f"({slow / fast:.1f}x), identical: {same}")
    if not skip_r:
        try:
            res = bench_r(rows, 50, 1)
            print(f"  R sampling::strata: {res['seconds']:.2f} s -> fieldeval is "
                  f"{res['seconds'] / ours['seconds']:.1f}x faster (goal >= 3x)")
        except Exception as e:  # a peer that fails is reported and skipped
            print(f"  R sampling::strata: skipped ({type(e).__name__}: {e})")
    try:
        from bench_sampling import bench_svy

        res = bench_svy(frame, 50, 3)
        ratio = ours["seconds"] / res["seconds"]
        print(f"  svy Sample.sampling.srs: {res['seconds']:.2f} s -> fieldeval takes {ratio:.2f}x svy's time "
              f"(goal <= 1.5x: {'met' if ratio <= 1.5 else 'NOT met'})")
        RESULTS.append({"stage": "svy draw 1M", "seconds": res["seconds"]})
    except ImportError:
        print("  svy: not installed (skipped; pip install svy)")
    except Exception as e:  # a peer that fails is reported and skipped
        print(f"  svy: skipped ({type(e).__name__}: {e})")


def write_visits_fast(visits, out: Path) -> Path:
    """``toolkit.synthetic_visits.write_visits``'s workbook (sheets submissions,
    member, payment; neutralised) through pandas' xlsxwriter engine: the
    simulated field work of ~50,000 visits took over ten minutes through
    openpyxl. Strings stay strings (no formulas, numbers or links read in)."""
    from toolkit.tables import neutralise

    out.mkdir(parents=True, exist_ok=True)
    xlsx = out / "visits.xlsx"
    opts = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
            }  # not constant_memory: pandas writes column by column
    with pd.ExcelWriter(xlsx, engine="xlsxwriter", engine_kwargs={"options": opts}) as xw:
        for sheet, frame in (("submissions", visits.submissions), ("member", visits.members),
                             ("payment", visits.payments)):
            neutralise(frame).to_excel(xw, index=False, sheet_name=sheet)
    visits.dispositions.to_csv(out / "dispositions.csv", index=False, encoding="utf-8-sig")
    return xlsx


def chain(d: Path, psus: int = 4, lang: str = "zh", draw_only: bool = False) -> None:
    """The national project from the two-stage draw to the dashboard's data load.

    Every county stratum (roster and comparison frame) gives ``psus``
    townships × 25 households + 5 reserves each; ``scale_data`` spreads the
    comparison frame over all of a county's townships, as a real list of
    non-registered households covers the county.
    """
    import shutil

    from scale_data import load_city
    from toolkit.project import Project
    from toolkit.report import build_report
    from toolkit.sampling.select import Design
    from toolkit.synthetic_visits import FORM_PATH, simulate_visits
    from toolkit.widgets.data import load_results

    shutil.rmtree(d / "output", ignore_errors=True)
    project = Project.open(d)
    design = Design(seed="2026", strata=("county",), method="two_stage", reserves=5, psu="township",
                    psus_per_stratum=psus, per_psu=25)
    t0 = time.perf_counter()
    from toolkit.project.draw import read_drawable

    # the roster and the comparison frame read first (kept by toolkit.verify.roster_once, as the
    # roster check leaves them in a notebook kernel): the draw stage below is the draw's own time
    # with the roster in memory; its peak RSS includes the kept roster
    with stage("roster + comparison read (before the draw)"):
        read_drawable(project.evaluation.path("roster"))
        read_drawable(d / "comparison.csv", comparison=True)
    with stage("two-stage draw (roster in memory)", goal="<= 30 s, <= 8 GB"):
        sample, _ = project.draw(design, comparison=d / "comparison.csv")
    print(f"    {len(sample.units):,} households drawn, {len(sample.reserves):,} reserves")
    if draw_only:
        return
    fieldwork = time.perf_counter()
    city = load_city(d)
    visits = simulate_visits(city, sample.units, sample.reserves, seed=2026)
    xlsx = write_visits_fast(visits, d / "output" / "visits")
    project.save_dispositions(visits.dispositions)
    del city
    fieldwork = time.perf_counter() - fieldwork
    print(f"  (simulated field work, not timed: {fieldwork:.1f} s, {len(visits.dispositions):,} released)")
    with stage("ingest of the visits (read + validate + quality)"):
        project.ingest([xlsx], form=FORM_PATH, lang=lang)
    with stage("verify (roster again, findings, estimates)"):
        project.verify()
    with stage("report (docx, html, xlsx)"):
        build_report(d, lang=lang)
    with stage("dashboards' data load (load_results)"):
        load_results(d)
    from toolkit.widgets.data import load_leadership   # what the leadership dashboard itself opens

    with stage("leadership dashboard data load", goal="<= 5 s"):
        load_leadership(d)
    wall = time.perf_counter() - t0 - fieldwork
    print(f"  chain wall time without the simulated field work: {wall:.1f} s")


# --- the chain as a user runs it: one process per command -----------------------------------

CHAIN_STAGES = ("roster check", "draw", "field work", "ingest", "verify", "report", "dashboards", "leadership")
"""Stages of :func:`chain_processes`, each run by ``--chain-stage NAME`` in its own process."""
ALL_STAGES = ("roster check", "roster again", *CHAIN_STAGES[1:])
"""With "roster again": a process that only reads and validates the roster as verify and the
report do (from the snapshot the roster check left), to time that part alone (``--stages``)."""


def chain_stage(name: str, d: Path, psus: int, lang: str) -> int:
    """One command of the chain, in this process (what a CLI command or a
    notebook kernel does); exit code 0 (the roster check: 0 or 1, errors found)."""
    from toolkit.project import Project

    comparison = d / "comparison.csv"
    if name == "roster check":
        from toolkit import config
        from toolkit.commands.roster import check

        return 0 if check(d / "roster.csv", config.load(d), lang=lang) in (0, 1) else 1
    project = Project.open(d)
    if name == "roster again":
        from toolkit.verify.roster_once import read_roster, validate

        roster = read_roster(project.evaluation.path("roster"), project=project.evaluation)
        problems = validate(roster, project.evaluation)
        print(f"    {len(roster.frame):,} households, {len(problems):,} problems", flush=True)
    elif name == "draw":
        from toolkit.sampling.select import Design

        design = Design(seed="2026", strata=("county",), method="two_stage", reserves=5, psu="township",
                        psus_per_stratum=psus, per_psu=25)
        sample, _ = project.draw(design, comparison=comparison)
        print(f"    {len(sample.units):,} households drawn, {len(sample.reserves):,} reserves", flush=True)
    elif name == "field work":
        from scale_data import load_city
        from toolkit.synthetic_visits import simulate_visits

        sample = project.sample()
        visits = simulate_visits(load_city(d), sample.units, sample.reserves, seed=2026)
        write_visits_fast(visits, d / "output" / "visits")
        project.save_dispositions(visits.dispositions)
    elif name == "ingest":
        from toolkit.synthetic_visits import FORM_PATH

        project.ingest([d / "output" / "visits" / "visits.xlsx"], form=FORM_PATH, lang=lang)
    elif name == "verify":
        project.verify()
    elif name == "report":
        from toolkit.report import build_report

        build_report(d, lang=lang)
    elif name == "dashboards":
        from toolkit.widgets.data import load_results

        load_results(d)
    elif name == "leadership":
        from toolkit.widgets.data import load_leadership

        load_leadership(d)
    return 0


def _vmhwm_kb() -> int:
    """This process's peak resident set (``VmHWM`` of /proc/self/status, kB):
    its own memory only. ``ru_maxrss`` is not used for a child: Linux carries
    the forking parent's resident set over into it at exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _run_stage(name: str, d: Path, psus: int, lang: str) -> tuple[float, float, int, str]:
    """(wall s, peak RSS GB of that process (its VmHWM, printed by it at the
    end), exit code, its output) of one stage run in a new Python process."""
    import subprocess

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT.parent), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--chain-stage", name, "--chain-dir", str(d),
           "--psus", str(psus)]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = proc.stdout.read().decode("utf-8", "replace")
    _, status, _usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    peaks = [int(x.split()[1]) for x in out.splitlines() if x.startswith("VmHWM ")]
    return wall, (peaks[-1] * 1024 / GB if peaks else float("nan")), proc.returncode, out


def snapshot_vs_read(d: Path) -> None:
    """In one process: the roster read + validated from the export (the
    floor a command paid before) against the same served by the project's
    snapshot (a later command), both timed here; the served frames and
    problems are compared with the fresh ones."""
    import tempfile

    from toolkit import config
    from toolkit.roster import read_roster
    from toolkit.roster.snapshot import Snapshots
    from toolkit.roster.validate import validate

    ev = config.load(d)
    roster = d / "roster.csv"
    with tempfile.TemporaryDirectory(dir=ROOT / "out") as tmp:   # a scratch project area: the chain's is left alone
        snaps = Snapshots(Path(tmp))
        t = time.perf_counter()
        fresh = read_roster(roster)
        problems = validate(fresh, ev)
        read_s = time.perf_counter() - t
        t = time.perf_counter()
        key = snaps.key(roster, {})
        hash_s = time.perf_counter() - t
        t = time.perf_counter()
        snaps.save(key, fresh)
        snaps.save_problems(key, "bench", problems)
        write_s = time.perf_counter() - t
        t = time.perf_counter()
        kept = snaps.load(snaps.key(roster, {}))
        kept_problems = snaps.problems(key, "bench")
        load_s = time.perf_counter() - t
        same = (kept is not None and kept.frame.equals(fresh.frame)
                and list(kept.frame.dtypes.astype(str)) == list(fresh.frame.dtypes.astype(str))
                and kept_problems is not None and kept_problems.equals(problems))
        print(f"  roster read + validate {read_s:.2f} s; SHA-256 of the file {hash_s:.2f} s; snapshot written "
              f"{write_s:.2f} s; served from the snapshot {load_s:.2f} s = {load_s / read_s:.2f}x the read "
              f"({read_s / load_s:.1f}x faster); frames, dtypes and problems equal: {same}")


_FIELDWORK = "bench-fieldwork"   # beside the project: the played field work of the last draw (not timed)
_PLAYED = (("output/visits/visits.xlsx", "visits.xlsx"), ("output/field/dispositions.csv", "dispositions.csv"))


def _sample_stamp(d: Path) -> str | None:
    import hashlib

    from toolkit import vault

    p = d / "output" / "sample" / "sample.csv"
    return hashlib.sha256(vault.read_bytes(p)).hexdigest() if p.is_file() else None


def keep_fieldwork(d: Path) -> None:
    """Before the chain clears ``output``: keep the visits and dispositions
    played for the last draw (ten minutes at 600,000 households), with the
    sample they belong to."""
    import shutil

    stamp = _sample_stamp(d)
    if stamp is None or not all((d / a).is_file() for a, _ in _PLAYED):
        return
    keep = d / _FIELDWORK
    keep.mkdir(exist_ok=True)
    for a, b in _PLAYED:
        shutil.copy2(d / a, keep / b)
    (keep / "sample.sha256").write_text(stamp)


def reuse_fieldwork(d: Path) -> bool:
    """Put the kept field work back when this draw gave the same sample.csv."""
    import shutil

    keep = d / _FIELDWORK
    stamp = keep / "sample.sha256"
    if not stamp.is_file() or stamp.read_text() != _sample_stamp(d):
        return False
    for a, b in _PLAYED:
        (d / a).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copy2(keep / b, d / a)
        os.chmod(d / a, 0o600)
    return True


def chain_processes(d: Path, psus: int = 4, lang: str = "zh", only: tuple[str, ...] = CHAIN_STAGES,
                    keep_output: bool = False) -> tuple[float, float]:
    """The chain as an evaluator runs it: every stage its own process
    (``fieldeval roster check``, then the draw, ingest, verify, report and the
    dashboards' loads, each a fresh interpreter as a command or a kernel),
    the roster snapshot (toolkit.roster.snapshot) carrying the checked
    roster from one to the next. The roster's snapshots are removed first
    (the roster check reads the export cold). Prints per stage the wall
    time (interpreter start and imports included) and that process's peak
    RSS; returns (total s without the simulated field work, highest peak GB).
    ``only``: a part of the chain (e.g. the roster check and the draw: a run
    that must stay within ten minutes); ``keep_output``: the stages already
    run (``output``) and the snapshots are kept (e.g. ``only`` the report)."""
    import shutil

    from toolkit.roster.snapshot import CACHE

    if not keep_output:
        keep_fieldwork(d)
        shutil.rmtree(d / "output", ignore_errors=True)
        shutil.rmtree(d / CACHE, ignore_errors=True)
    # no SHA-256 of roster.csv here: the roster check hashes the bytes it reads (snapshot.read_bytes)
    total, peak = 0.0, 0.0
    for name in [n for n in ALL_STAGES if n in only]:
        if name == "field work" and reuse_fieldwork(d):
            print("  (simulated field work reused: the same sample.csv as the run that played it)")
            continue
        wall, rss, code, out = _run_stage(name, d, psus, lang)
        if code != 0:
            print(out[-4000:])
            raise SystemExit(f"stage {name} failed ({code})")
        for line in out.splitlines():
            if line.startswith("    ") and ("drawn" in line or "problems" in line):
                print(line)
        if name == "field work":
            print(f"  (simulated field work, own process, not timed: {wall:.1f} s, peak RSS {rss:.2f} GB)")
            continue
        total += wall
        peak = max(peak, rss)
        RESULTS.append({"stage": f"{name} (own process)", "seconds": wall, "peak_gb": rss})
        print(f"  {name + ' (own process)':<44} {wall:8.2f} s  peak RSS {rss:5.2f} GB", flush=True)
    part = "" if set(only) >= set(CHAIN_STAGES) else f" (only {', '.join(n for n in ALL_STAGES if n in only)})"
    print(f"CSV roster -> report, one process per command{part}: {total:.1f} s, highest process peak RSS "
          f"{peak:.2f} GB  [goal <= 90 s, <= 8 GB"
          + (f": {'met' if total <= 90 and peak <= 8 else 'missed'}]" if not part else ": the whole chain only]"))
    return total, peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=5_500_000)
    ap.add_argument("--data", default=str(Path(__file__).resolve().parent / "out" / "scale-data"),
                    help="where the generated national files are cached (several GB; bench/out is git-ignored)")
    ap.add_argument("--roster-from", default=None,
                    help="a folder holding this size's roster.csv + roster_gbk.csv already (read only: linked, "
                         "not rewritten); default $FIELDEVAL_SCALE_DATA/hh<N> when it has them")
    ap.add_argument("--draw-rows", type=int, default=1_000_000)
    ap.add_argument("--skip-r", action="store_true")
    ap.add_argument("--skip-xlsx", action="store_true")
    ap.add_argument("--skip-chain", action="store_true")
    ap.add_argument("--skip-draw", action="store_true")
    ap.add_argument("--skip-roster", action="store_true")
    ap.add_argument("--xlsx-rows", type=int, default=1_048_575,
                    help="rows of the xlsx roster written with the data (another value: its own data folder; "
                         "0: none, bench_xlsx.py writes the full workbook faster)")
    ap.add_argument("--psus", type=int, default=4, help="townships drawn per county (small test runs: 2)")
    ap.add_argument("--no-arrow-floor", action="store_true", help="time pandas.read_csv only (the named floor)")
    ap.add_argument("--draw-only", action="store_true",
                    help="the chain stops after the two-stage draw (read and draw timed apart)")
    ap.add_argument("--profile", default=None, help="a folder: each stage runs under cProfile, stats kept there")
    ap.add_argument("--single-process", action="store_true",
                    help="the chain in this one process (the fifth session's measure) instead of one process per command")
    ap.add_argument("--chain-only", action="store_true", help="only the chain (no roster/draw peer stages)")
    ap.add_argument("--stages", default=",".join(CHAIN_STAGES),
                    help="the chain's stages to run, comma-separated (default: " + ", ".join(CHAIN_STAGES)
                    + "; also: roster again)")
    ap.add_argument("--keep-output", action="store_true",
                    help="keep the project's output and roster snapshots from an earlier run (with --stages)")
    ap.add_argument("--snapshot-ratio", action="store_true",
                    help="time the roster read + validate against the same served from a snapshot (one process)")
    ap.add_argument("--chain-stage", default=None, choices=ALL_STAGES, help=argparse.SUPPRESS)
    ap.add_argument("--chain-dir", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.chain_stage:
        code = chain_stage(args.chain_stage, Path(args.chain_dir), args.psus, "zh")
        print(f"VmHWM {_vmhwm_kb()}", flush=True)
        return code
    if args.profile:
        PROFILE.append(Path(args.profile))
        PROFILE[0].mkdir(parents=True, exist_ok=True)

    from scale_data import build
    from toolkit import config

    d = Path(args.data) / (f"hh{args.households}" if args.xlsx_rows == 1_048_575
                           else f"hh{args.households}-xlsx{args.xlsx_rows}")
    print(f"data: {d}")
    src = args.roster_from
    if src is None and os.environ.get("FIELDEVAL_SCALE_DATA"):
        cand = Path(os.environ["FIELDEVAL_SCALE_DATA"]) / f"hh{args.households}"
        src = cand if (cand / "roster.csv").exists() and (cand / "roster_gbk.csv").exists() else None
    build(d, args.households, xlsx_rows=args.xlsx_rows, roster_from=Path(src) if src else None, log=print)
    ev = config.load(d)
    t_all = time.perf_counter()
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    check = 0.0
    if args.snapshot_ratio:
        print("roster snapshot against a fresh read:")
        snapshot_vs_read(d)
    if args.chain_only:
        args.skip_roster = args.skip_draw = True
    if not args.skip_roster:
        print("roster stages:")
        roster_stages(d, ev, args.households, args.skip_xlsx, not args.no_arrow_floor)
        check = RESULTS[0]["seconds"]
    if not args.skip_draw:
        print("draw against peers:")
        draw_vs_peers(args.draw_rows, args.skip_r)
    if not args.skip_chain and not args.single_process:
        print("chain (national project), one process per command:")
        only = tuple(x.strip() for x in args.stages.split(",") if x.strip())
        unknown = set(only) - set(ALL_STAGES)
        if unknown:
            ap.error(f"unknown stages: {', '.join(sorted(unknown))}")
        chain_processes(d, args.psus, only=only, keep_output=args.keep_output)
    elif not args.skip_chain:
        print("chain (national project):")
        n0 = len(RESULTS)
        chain(d, args.psus, draw_only=args.draw_only)
        chain_s = check + sum(r["seconds"] for r in RESULTS[n0:])
        peak = max(r["peak_gb"] for r in RESULTS if "peak_gb" in r)
        print(f"CSV roster -> report: {chain_s:.1f} s (roster check + draw + ingest + verify + report + "
              f"dashboard load), highest stage peak RSS {peak:.2f} GB  [goal <= 90 s, <= 8 GB]")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"whole benchmark {time.perf_counter() - t_all:.0f} s; max RSS (getrusage) "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
