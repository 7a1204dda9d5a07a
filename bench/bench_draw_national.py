"""Benchmark: the national two-stage draw with the roster already in memory.

    python bench/bench_draw_national.py DATA [--psus 2] [--fingerprint-only] [--compare-to REV]

DATA is a chain data folder built by ``bench/bench_scale.py`` (evaluation.toml,
roster.csv, comparison.csv, .fieldeval/); work on a copy under bench/out, as
the draw writes DATA/output/. At 5.5M run it under ``flock bench/out/big.lock``.

Stages (wall time and peak RSS, sampled as in bench_scale):
* roster + comparison read (``read_drawable``, kept by roster_once; not the goal);
* the roster fingerprint alone (``toolkit.sampling.manifest.fingerprint``) |
  floor: one SHA-256 over the bytes of the roster CSV file (already read
  into memory), the cost of hashing that much text at all;
* the two-stage draw as bench_scale's chain runs it (``Project.draw``: 300
  counties × ``--psus`` townships × 25 households, 5 reserves, comparison
  frame; manifest, sample files, visit lists), goal ≤ 30 s at 5.5M; then
  the same draw again, the roster fingerprint now kept with the roster
  (``toolkit.project.draw.fingerprint_of``): a later draw from that roster;
* ``--compare-to REV`` (last, so a slow machine gives the draw's figure
  first): the fingerprint as ``toolkit/sampling/manifest.py`` of git
  revision REV computes it (the rest of the code is today's), same run,
  same frame; the digests must be the same.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

from bench_scale import stage  # noqa: E402  (same timing and RSS sampling as the chain)


def _manifest_at(rev: str):
    """toolkit/sampling/manifest.py as it was at git revision ``rev``, as a module."""
    import importlib.util
    import tempfile

    text = subprocess.run(["git", "-C", str(ROOT.parent), "show", f"{rev}:toolkit/sampling/manifest.py"],
                          capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp()) / "manifest_then.py"
    path.write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("manifest_then", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["manifest_then"] = mod
    spec.loader.exec_module(mod)
    return mod


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--psus", type=int, default=2)
    ap.add_argument("--fingerprint-only", action="store_true")
    ap.add_argument("--compare-to", metavar="REV", help="also time the fingerprint of this git revision")
    args = ap.parse_args()
    print("load:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    d = args.data
    from toolkit.project import Project
    from toolkit.project.draw import read_drawable
    from toolkit.sampling.manifest import fingerprint
    from toolkit.sampling.select import Design

    shutil.rmtree(d / "output", ignore_errors=True)
    project = Project.open(d)
    roster_path = project.evaluation.path("roster")
    with stage("roster + comparison read (before the draw)"):
        roster = read_drawable(roster_path)
        read_drawable(d / "comparison.csv", comparison=True)
    print(f"    {len(roster.frame):,} households, {roster.frame.shape[1]} columns")
    raw = Path(roster_path).read_bytes()
    t = time.perf_counter()
    hashlib.sha256(raw).hexdigest()
    floor = time.perf_counter() - t
    print(f"  floor: SHA-256 of the roster file's {len(raw) / 2**20:,.0f} MiB in memory: {floor:.2f} s")
    del raw
    cpu = time.process_time()
    with stage("roster fingerprint", floor=floor):
        fp = fingerprint(roster.frame)
    print(f"    digest {fp['sha256'][:16]}…, {len(fp['columns'])} columns; "
          f"CPU time of the process {time.process_time() - cpu:.2f} s (both threads)")
    if not args.fingerprint_only:
        design = Design(seed="2026", strata=("county",), method="two_stage", reserves=5, psu="township",
                        psus_per_stratum=args.psus, per_psu=25)
        from toolkit.roster.snapshot import CACHE

        for old in (d / CACHE).glob("*/derived-*.json"):     # the first draw computes the fingerprint
            old.unlink()
        for label in ("two-stage draw (roster in memory)", "the same draw again (fingerprint kept)"):
            shutil.rmtree(d / "output" / "sample", ignore_errors=True)
            cpu = time.process_time()
            with stage(label, goal="<= 30 s, <= 8 GB"):
                sample, _ = project.draw(design, comparison=d / "comparison.csv")
            print(f"    {len(sample.units):,} households drawn, {len(sample.reserves):,} reserves; "
                  f"CPU time {time.process_time() - cpu:.2f} s (all threads)")
    if args.compare_to:      # last: the draw's figure comes first on a busy machine
        old = _manifest_at(args.compare_to)
        cpu = time.process_time()
        with stage(f"roster fingerprint, code of {args.compare_to}", floor=floor):
            fp_old = old.fingerprint(roster.frame)
        print(f"    digest {fp_old['sha256'][:16]}…: {'the same' if fp_old == fp else 'DIFFERENT'}; "
              f"CPU time {time.process_time() - cpu:.2f} s")
    print("load:", os.getloadavg())


if __name__ == "__main__":
    main()
