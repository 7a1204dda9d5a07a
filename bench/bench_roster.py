"""Benchmark: read + validate a 1,000,000-row CSV roster (GBK, and UTF-8).

Peer: a plain ``pandas.read_csv(path, encoding=...)`` of the same file (the
floor any reader pays). Goals (issue 21): ratio ≤ 1.5×, our peak memory ≤ 1.5 GB.
Each side runs in its own process so peak RSS is its own; the two sides
alternate, best of ``--repeat``.

    python bench/bench_roster.py [--rows 1000000] [--encodings gbk,utf-8]
    python bench/bench_roster.py --csv "$FIELDEVAL_SCALE_DATA/hh5500000/roster.csv"   # an existing file, read only

The machine's load (``os.getloadavg``) is printed before and after: on a
shared machine the ratio, not the seconds, is the figure to compare.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "out"


def make_csv(path: Path, rows: int, seed: int = 1) -> None:
    """A roster with the columns and damage of a real export, GBK-encoded."""
    from toolkit.roster.idcard import check_chars

    rng = np.random.default_rng(seed)
    counties = np.array(["瑶海区", "庐阳区", "蜀山区", "包河区", "长丰县", "肥东县"])
    codes = np.array(["340102", "340103", "340104", "340111", "340121", "340122"])
    towns = np.array(["明光路街道", "大兴镇", "双岗街道", "三里庵街道", "芜湖路街道", "水湖镇", "撮镇镇", "包公街道"])
    ci = rng.integers(0, 6, rows)
    year = rng.integers(1950, 2000, rows)
    month = rng.integers(1, 13, rows)
    day = rng.integers(1, 29, rows)
    seq = rng.integers(0, 1000, rows)
    first17 = pd.Series(codes[ci]) + pd.Series(year).astype(str) + pd.Series(month).map("{:02d}".format) \
        + pd.Series(day).map("{:02d}".format) + pd.Series(seq).map("{:03d}".format)
    ids = first17 + check_chars(first17)
    sex = np.where(seq % 2 == 1, "男", "女")
    size = rng.integers(1, 6, rows)
    income = rng.integers(6000, 60000, rows)
    rigid = rng.integers(0, 8000, rows)
    status = rng.choice(np.array(["在档", "已脱困", "已解困", "注销"]), rows, p=[.6, .3, .05, .05])
    reg = pd.Series(rng.integers(2016, 2024, rows)).astype(str) + "-03-05"
    exited = np.where(np.isin(status, ["已脱困", "已解困"]), "2024/6/1", "")
    frame = pd.DataFrame({
        "档案编号": pd.Series(np.arange(rows)).map("HF{:08d}".format),
        "姓名": rng.choice(np.array(["王芳", "李强", "张伟", "刘洋", "陈静", "欧阳娜娜"]), rows),
        "性别": sex, "身份证号": ids, "所属区县": counties[ci],
        "街道（乡镇）": towns[rng.integers(0, len(towns), rows)],
        "困难类别": rng.choice(np.array(["深度困难", "相对困难", "意外致困"]), rows),
        "档案状态": status, "建档日期": reg, "脱困日期": exited, "家庭人口": size,
        "家庭年收入（元）": pd.Series(income).map("{:,}元".format), "刚性支出（元）": rigid,
        "主要致困原因": rng.choice(np.array(["患重特大疾病", "下岗失业", "子女上学", "无劳动能力"]), rows),
        "联系电话": pd.Series(rng.integers(13000000000, 13999999999, rows)).astype(str),
        "家庭住址": counties[ci], "帮扶责任人": "陈建国",
    })
    frame.to_csv(path, index=False, encoding="gbk")


def _child(kind: str, path: str, encoding: str) -> None:
    t0 = time.perf_counter()
    if kind == "pandas":
        df = pd.read_csv(path, encoding=encoding)
        n = len(df)
        problems = 0
    else:
        from toolkit.roster import read_roster
        from toolkit.roster.validate import validate

        r = read_roster(path)
        n = len(r)
        problems = len(validate(r))
    dt = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"kind": kind, "seconds": dt, "rows": n, "problems": problems, "peak_bytes": peak}))


def run(kind: str, path: Path, encoding: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path), encoding], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--child", nargs=3)
    ap.add_argument("--encodings", default="gbk,utf-8")
    ap.add_argument("--csv", help="compare on this existing CSV (not written to) instead of a generated one")
    ap.add_argument("--encoding", default="utf-8", help="of --csv, for pandas.read_csv")
    a = ap.parse_args()
    if a.child:
        _child(*a.child)
        return
    print(f"load average (1, 5, 15 min) before: {_load()}")
    if a.csv:
        _compare(Path(a.csv), None, a.repeat, a.encoding.upper(), a.encoding)
        print(f"load average after: {_load()}")
        return
    OUT.mkdir(exist_ok=True)
    gbk = OUT / f"roster_{a.rows}.csv"
    if not gbk.exists():
        make_csv(gbk, a.rows)
    for enc in a.encodings.split(","):
        path = gbk
        if enc.lower().replace("-", "") == "utf8":
            path = OUT / f"roster_{a.rows}-utf8.csv"
            if not path.exists():
                path.write_bytes(gbk.read_bytes().decode("gbk").encode("utf-8"))
        utf8 = path != gbk
        _compare(path, a.rows, a.repeat, "UTF-8" if utf8 else "GBK", "utf-8" if utf8 else "gbk")
    print(f"load average after: {_load()}")


def _load() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def _compare(path: Path, rows: int | None, repeat: int, label: str, encoding: str) -> None:
    size = path.stat().st_size / 2**20
    print(f"roster: {path.name}, {f'{rows:,} rows, ' if rows else ''}{size:.0f} MiB {label}")
    best: dict[str, dict] = {}
    for _ in range(repeat):
        for kind in ("pandas", "fieldeval"):
            r = run(kind, path, encoding)
            if kind not in best or r["seconds"] < best[kind]["seconds"]:
                best[kind] = r
    p, f = best["pandas"], best["fieldeval"]
    if rows:
        assert f["rows"] == rows == p["rows"], "rows lost"
    elif f["rows"] != p["rows"]:   # an existing file may hold rows that are not households
        print(f"note: pandas read {p['rows']:,} rows, fieldeval {f['rows']:,} households")
    print(f"pandas.read_csv({label}):  {p['seconds']:.2f} s, peak {p['peak_bytes'] / 2**30:.2f} GiB")
    print(f"fieldeval read_roster+validate:  {f['seconds']:.2f} s, peak {f['peak_bytes'] / 2**30:.2f} GiB, "
          f"{f['problems']} problems")
    print(f"{label} ratio fieldeval / pandas = {f['seconds'] / p['seconds']:.2f}x (goal <= 1.5x); "
          f"peak {f['peak_bytes'] / 2**30:.2f} GiB (goal <= 1.5 GB)")


if __name__ == "__main__":
    main()
