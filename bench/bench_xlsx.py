"""Benchmark: read + validate an xlsx roster against the plain calamine read.

    python bench/bench_xlsx.py [PATH] [--rows 200000] [--repeat 1] [--old] [--pyspy FILE]
    python bench/bench_xlsx.py --national --data "$FIELDEVAL_SCALE_DATA/hh5500000" --write-only
    flock bench/out/big.lock python bench/bench_xlsx.py bench/out/roster_national_1048575.xlsx

Floor: ``pandas.read_excel(path, engine="calamine")`` (the cells, nothing
else). Ours: ``read_roster`` + ``validate``. Each side runs in its own child
process (its peak RSS is printed with its time), one after the other, best
of ``--repeat``; goal (issue 21): ours ≤ 2× the floor. ``--old`` also times
the former path (the cells through ``pandas.read_excel``) and says whether
it found the same counts; ``--pyspy FILE`` samples ours with py-spy and
prints where the time went; ``--profile FILE`` runs ours under cProfile.
Any xlsx roster works; without PATH, the first ``--rows`` rows of
bench_roster.py's UTF-8 CSV are written to bench/out/roster_<rows>.xlsx (ids
and phones as text cells, counts as numbers, the registration date as an
Excel date), once. ``--national``: the full sheet, 1,048,575 households
(Excel's last row under the header), from the national roster in ``--data``
(``roster_canonical.parquet`` as bench_scale.py builds it, else the first
rows of ``roster.csv`` typed by field: counts and amounts as numbers, dates
as Excel dates, IDs and text as text), written once to
bench/out/roster_national_1048575.xlsx by ``toolkit.synthetic.write_xlsx``
and kept. Runs on the full sheet go under ``flock bench/out/big.lock``.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


OUT = Path(__file__).resolve().parent / "out"


def make_xlsx(rows: int) -> Path:
    """bench/out/roster_<rows>.xlsx from bench_roster.py's roster (made if missing)."""
    from bench_roster import make_csv

    from toolkit.synthetic import write_xlsx

    path = OUT / f"roster_{rows}.xlsx"
    if path.exists():
        return path
    OUT.mkdir(exist_ok=True)
    src = OUT / f"roster_{rows}.csv"
    if not src.exists():
        make_csv(src, rows)
    df = pd.read_csv(src, encoding="gbk", nrows=rows, dtype=str, keep_default_na=False)
    cols = []
    for h in df.columns:
        v = df[h]
        if h in ("家庭人口", "刚性支出（元）"):
            cols.append((h, "int", v.astype(int)))
        elif h == "建档日期":
            cols.append((h, "date", pd.to_datetime(v)))
        elif h in ("身份证号", "联系电话"):
            cols.append((h, "id", v))
        else:
            cols.append((h, "text", v.where(v != "", None)))
    write_xlsx(path, "困难职工档案", cols)
    return path


FULL = 1_048_575


def make_national(data: Path) -> Path:
    """bench/out/roster_national_1048575.xlsx from the national roster (made if missing)."""
    from toolkit.roster.schema import FIELDS
    from toolkit.synthetic import _frame_columns, write_xlsx

    path = OUT / f"roster_national_{FULL}.xlsx"
    if path.exists():
        return path
    OUT.mkdir(exist_ok=True)
    t = time.perf_counter()
    if (data / "roster_canonical.parquet").exists():
        frame = pd.read_parquet(data / "roster_canonical.parquet").iloc[:FULL]
        cols = _frame_columns(frame, FIELDS)
    else:   # the national CSV (e.g. $FIELDEVAL_SCALE_DATA/hh5500000/roster.csv): its first rows, typed by field
        frame = pd.read_csv(data / "roster.csv", nrows=FULL, dtype=str, keep_default_na=False,
                            encoding="utf-8-sig")
        kinds = {f.header: f.kind for f in FIELDS}
        cols = []
        for h in frame.columns:
            v, kind = frame[h], kinds.get(h, "text")
            if kind in ("int", "number"):
                cols.append((h, kind, pd.to_numeric(v, errors="coerce")))
            elif kind == "date":
                cols.append((h, "date", pd.to_datetime(v, errors="coerce", format="%Y-%m-%d")))
            else:
                cols.append((h, "id" if kind == "id" else "text", v.where(v != "", None)))
    write_xlsx(path, "困难职工档案", cols)
    print(f"wrote {path} ({len(frame):,} rows) in {time.perf_counter() - t:.1f} s")
    return path


def _side(side: str, path: str, profile: str | None) -> int:
    """One side in this (child) process: prints one JSON line (seconds, parts, rows, peak RSS)."""
    import json
    import resource

    if side == "floor":
        t = time.perf_counter()
        cells = pd.read_excel(path, engine="calamine")
        out = {"seconds": time.perf_counter() - t, "rows": len(cells)}
    else:
        from toolkit.roster import read as roster_read
        from toolkit.roster import read_roster
        from toolkit.roster.validate import validate

        roster_read._FAST_XLSX = side == "ours"   # "old": the cells through pandas.read_excel, as before

        prof = None
        if profile:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        t = time.perf_counter()
        r = read_roster(path)
        t1 = time.perf_counter()
        p = validate(r)
        t2 = time.perf_counter()
        if prof is not None:
            import pstats

            prof.disable()
            with open(profile, "w") as f:
                pstats.Stats(prof, stream=f).sort_stats("cumulative").print_stats(45)
                pstats.Stats(prof, stream=f).sort_stats("tottime").print_stats(30)
        out = {"seconds": t2 - t, "read": t1 - t, "validate": t2 - t1, "rows": len(r), "problems": len(p),
               "not_households": len(r.not_households), "parse_problems": len(r.parse_problems)}
    out["peak_gib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1 << 20)
    print(json.dumps(out), flush=True)
    return 0


def _spy_summary(raw: str, top: int = 30) -> None:
    """py-spy's raw stacks as inclusive shares: per function (file:name), the
    samples whose stack holds it; the project's own functions and the heavy
    library calls show where the time goes."""
    from collections import Counter

    incl: Counter[str] = Counter()
    total = 0
    for line in Path(raw).read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        total += int(n)
        seen = set()
        for fr in stack.split(";"):
            name = fr.split(" (")[0]
            where = fr.rpartition("(")[2].split(":")[0]
            key = f"{name} ({where})"
            if key not in seen:
                seen.add(key)
                incl[key] += int(n)
    print(f"py-spy: {total} samples; inclusive share per function")
    for key, n in incl.most_common(top):
        print(f"  {100 * n / max(total, 1):5.1f}%  {key}")


def _load() -> str:
    import os

    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?")
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--national", action="store_true", help="the full 1,048,575-row sheet of the national roster")
    ap.add_argument("--data", default=str(OUT / "scale-data" / "hh5500000-xlsx0"),
                    help="folder with roster_canonical.parquet or roster.csv (e.g. $FIELDEVAL_SCALE_DATA/hh5500000)")
    ap.add_argument("--write-only", action="store_true", help="write the workbook and stop")
    ap.add_argument("--side", choices=("floor", "ours", "old"), help=argparse.SUPPRESS)
    ap.add_argument("--profile", help="ours under cProfile, the statistics written to this file")
    ap.add_argument("--pyspy", help="ours sampled by py-spy (raw stacks written to this file)")
    ap.add_argument("--old", action="store_true",
                    help="also time the former path (cells through pandas.read_excel) in its own process")
    a = ap.parse_args()
    if a.side:
        return _side(a.side, a.path, a.profile)
    if a.path is None:
        a.path = str(make_national(Path(a.data)) if a.national else make_xlsx(a.rows))
    if a.write_only:
        return 0
    import json
    import subprocess

    best: dict[str, dict] = {}
    for _ in range(a.repeat):
        for side in ("floor", "ours", "old") if a.old else ("floor", "ours"):   # each in its own process
            print(f"{side}: load average {_load()}", flush=True)
            cmd = [sys.executable, __file__, a.path, "--side", side]
            if side == "ours" and a.profile:
                cmd += ["--profile", a.profile]
            if side == "ours" and a.pyspy:
                cmd = [str(Path(sys.executable).with_name("py-spy")), "record", "-r", "20", "-f", "raw",
                       "-o", a.pyspy, "--", *cmd]
            res = subprocess.run(cmd, capture_output=True, text=True)
            if res.returncode:
                print(res.stdout, res.stderr)
                return res.returncode
            got = json.loads([ln for ln in res.stdout.splitlines() if ln.startswith("{")][-1])
            print(f"  {side}: {got}", flush=True)
            if side not in best or got["seconds"] < best[side]["seconds"]:
                best[side] = got
    f, o = best["floor"], best["ours"]
    print(f"load average after {_load()}")
    if a.pyspy:
        _spy_summary(a.pyspy)
    print(f"{a.path}: {o['rows']:,} households, {o['problems']:,} problems")
    print(f"calamine read (floor)      {f['seconds']:8.2f} s  peak {f['peak_gib']:.2f} GiB ({f['rows']:,} rows)")
    print(f"read_roster + validate     {o['seconds']:8.2f} s  peak {o['peak_gib']:.2f} GiB "
          f"(read {o['read']:.2f} s, validate {o['validate']:.2f} s)")
    print(f"ratio {o['seconds'] / f['seconds']:.2f}x (goal <= 2x)")
    if "old" in best:
        d = best["old"]
        print(f"former path (pandas cells) {d['seconds']:8.2f} s  peak {d['peak_gib']:.2f} GiB "
              f"(read {d['read']:.2f} s, validate {d['validate']:.2f} s) = {d['seconds'] / f['seconds']:.2f}x")
        same = all(d[k] == o[k] for k in ("rows", "problems", "not_households", "parse_problems"))
        print(f"same counts (households, problems, not households, parse problems): {same}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
