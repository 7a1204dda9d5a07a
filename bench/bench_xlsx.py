"""Benchmark: read + validate an xlsx roster against the plain calamine read.

    python bench/bench_xlsx.py [PATH] [--rows 200000] [--repeat 1]
    python bench/bench_xlsx.py --national [--data bench/out/scale-data/hh5500000-xlsx0]

Floor: ``pandas.read_excel(path, engine="calamine")`` (the cells, nothing
else). Ours: ``read_roster`` + ``validate``. The two alternate in one
process, best of ``--repeat``; goal (issue 21): ours ≤ 2× the floor. Any
xlsx roster works (bench_scale.py writes the 1,048,575-row one); without
PATH, the first ``--rows`` rows of bench_roster.py's UTF-8 CSV are written
to bench/out/roster_<rows>.xlsx (ids and phones as text cells, counts as
numbers, the registration date as an Excel date), once. ``--national``: the
full sheet, 1,048,575 households (Excel's last row under the header), from the
national roster bench_scale.py built (``roster_canonical.parquet`` in
``--data``), written once to bench/out/roster_national_1048575.xlsx by
``toolkit.synthetic.write_xlsx`` (XML written by column, not a cell object
per value) and kept.
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
    t = time.perf_counter()
    frame = pd.read_parquet(data / "roster_canonical.parquet").iloc[:FULL]
    write_xlsx(path, "困难职工档案", _frame_columns(frame, FIELDS))
    print(f"wrote {path} ({len(frame):,} rows) in {time.perf_counter() - t:.1f} s")
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path", nargs="?")
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--national", action="store_true", help="the full 1,048,575-row sheet of the national roster")
    ap.add_argument("--data", default=str(OUT / "scale-data" / "hh5500000-xlsx0"))
    ap.add_argument("--write-only", action="store_true", help="write the workbook and stop")
    a = ap.parse_args()
    from toolkit.roster import read_roster
    from toolkit.roster.validate import validate

    if a.path is None:
        a.path = str(make_national(Path(a.data)) if a.national else make_xlsx(a.rows))
    if a.write_only:
        return 0
    import os

    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")
    floor, ours, parts = float("inf"), float("inf"), (0.0, 0.0)
    for _ in range(a.repeat):
        t = time.perf_counter()
        cells = pd.read_excel(a.path, engine="calamine")
        floor = min(floor, time.perf_counter() - t)
        print(f"calamine read: {time.perf_counter() - t:.2f} s ({len(cells):,} rows)", flush=True)
        del cells
        t = time.perf_counter()
        r = read_roster(a.path)
        t1 = time.perf_counter()
        p = validate(r)
        t2 = time.perf_counter()
        if t2 - t < ours:
            ours, parts = t2 - t, (t1 - t, t2 - t1)
    print(f"{a.path}: {len(r):,} households, {len(p):,} problems")
    print(f"calamine read (floor)      {floor:8.2f} s")
    print(f"read_roster + validate     {ours:8.2f} s  (read {parts[0]:.2f} s, validate {parts[1]:.2f} s)")
    print(f"ratio {ours / floor:.2f}x (goal <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
