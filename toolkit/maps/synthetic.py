"""The demo's visits on real ground (issue 22): GPS points inside the polygons of
the counties they claim, and a few planted location problems.

:func:`points` places each completed visit near its township's centre, a
point drawn (from the township's name) inside its county's cnmaps polygon
at least ~1.5 km from the boundary; the visit scatters ~450 m around it and
a point that would fall outside its county stays at the centre. The "far"
visits (the walkthrough's far-from-township cases) go to another township's
centre of the same county. Points are made in GCJ-02 (the polygons' datum)
and stored in WGS-84, as a phone records them.

Planted, from their own random stream (``[seed, 22]``), among visits of
interviewers whose neighbouring visits are far apart in time:
``outside`` (3 visits 1.5–4 km beyond their county's boundary),
``reused`` (2 visits given another household's exact coordinates),
``accuracy`` (3 visits with 80–300 m accuracy) and ``speed`` (2 visits
placed in another township at least 15 km from the same interviewer's
previous visit, minutes before). :func:`planted` lists them by position, for
the truth file (``truth_locations.csv``) and the tests.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from toolkit.maps.geo import gcj02_to_wgs84, haversine_m, metres_per_degree

PLANTS = {"outside": 3, "reused": 2, "accuracy": 3, "speed": 2}


def _known(codes: np.ndarray) -> np.ndarray:
    try:
        from toolkit.maps.boundaries import county_index
        have = set(county_index()["code"])
    except Exception:  # noqa: BLE001 - no boundary data: the old placement
        return np.zeros(len(codes), bool)
    return np.isin(codes.astype(str), list(have))


def _h(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def _inside(g: object, n: int, seed: int) -> np.ndarray:
    """``n`` points (lon, lat) uniformly inside ``g``, seeded; rejection in batches."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = g.bounds
    out = np.empty((0, 2))
    shapely.prepare(g)
    while len(out) < n:
        c = np.column_stack([rng.uniform(x0, x1, 256), rng.uniform(y0, y1, 256)])
        out = np.vstack([out, c[shapely.contains_xy(g, c[:, 0], c[:, 1])]])
    return out[:n]


@lru_cache(maxsize=512)
def _core(code: str) -> object:
    """The county's polygon shrunk by 1.5 km (less for small counties) where
    township centres go. Kept per county: a buffer of a county polygon costs
    ~25 ms and every simulated round asks again (geometries are immutable)."""
    from toolkit.maps.boundaries import _shape
    g = _shape(code)
    for b in (0.015, 0.008, 0.003):
        inner = g.buffer(-b)
        if not inner.is_empty and inner.area > g.area * 0.2:
            return inner
    return g


def centres(codes: np.ndarray, township: np.ndarray) -> pd.DataFrame:
    """One centre (GCJ-02 lon, lat) per (county code, township), drawn from the names."""
    f = pd.DataFrame({"code": codes.astype(str), "tw": township.astype(str)}).drop_duplicates()
    lon, lat = np.empty(len(f)), np.empty(len(f))
    for j, (c, w) in enumerate(zip(f["code"], f["tw"])):   # one draw per township (tens), not per visit
        lon[j], lat[j] = _inside(_core(c), 1, _h(c + w))[0]
    return f.assign(lon=lon, lat=lat).reset_index(drop=True)


@lru_cache(maxsize=512)
def _near(code: str) -> object:
    """Where a visit scattered around its township's centre may fall: the
    core grown by ~1 km, within the county. Kept per county, like ``_core``."""
    from toolkit.maps.boundaries import _shape
    return _core(code).buffer(0.01).intersection(_shape(code))


def points(seed: int, codes: np.ndarray, township: np.ndarray, start: np.ndarray, interviewer: np.ndarray,
           far: np.ndarray, dlat: np.ndarray, dlon: np.ndarray, acc: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, pd.DataFrame, np.ndarray]:
    """(lat, lon, accuracy, known, plants, start) in WGS-84 for the visits whose county code cnmaps
    knows (``known``; the caller places the others as before). ``dlat``/``dlon``:
    the visit's scatter in degrees; ``far``: the visits sent to another township."""
    n = len(codes)
    codes = codes.astype(str)
    known = _known(codes)
    lat, lon, acc = np.full(n, np.nan), np.full(n, np.nan), np.asarray(acc, dtype=float).copy()
    if not known.any():
        return lat, lon, acc, known, pd.DataFrame(columns=["position", "rule", "other"]), np.asarray(start)
    c = centres(codes[known], township[known])
    key = pd.MultiIndex.from_arrays([c["code"], c["tw"]])
    pos = key.get_indexer(pd.MultiIndex.from_arrays([codes[known], township[known].astype(str)]))
    clon, clat = c["lon"].to_numpy()[pos], c["lat"].to_numpy()[pos]
    # far visits: the centre of another township of the same county (the next one in the list)
    kf = np.flatnonzero(far[known])
    if len(kf):
        other = c.groupby("code")["tw"].transform(lambda s: np.roll(s.to_numpy(), 1))
        alt = key.get_indexer(pd.MultiIndex.from_arrays([c["code"], other]))
        clon[kf], clat[kf] = c["lon"].to_numpy()[alt[pos[kf]]], c["lat"].to_numpy()[alt[pos[kf]]]
    glon, glat = clon + dlon[known], clat + dlat[known]
    kc = codes[known]
    for code in pd.unique(kc):   # a scattered point outside its county stays at the centre
        sel = np.flatnonzero(kc == code)
        ok = shapely.contains_xy(_near(code), glon[sel], glat[sel])
        glon[sel[~ok]], glat[sel[~ok]] = clon[sel[~ok]], clat[sel[~ok]]
    ki = np.flatnonzero(known)
    wl, wa = gcj02_to_wgs84(glon, glat)
    lon[ki], lat[ki] = wl, wa
    start = plausible_starts(start, interviewer, lat, lon)
    plant = planted(seed, codes, township, start, interviewer, far, known, lat, lon)
    lat, lon, acc = apply_plants(plant, codes, lat, lon, acc, seed)
    return lat, lon, acc, known, plant, speed_starts(plant, start)


TRAVEL_KMH = 40.0
"""The simulated interviewers' travel speed between visits in different places."""


def plausible_starts(start: np.ndarray, interviewer: np.ndarray, lat: np.ndarray, lon: np.ndarray,
                     passes: int = 20) -> np.ndarray:
    """Start times a field team could keep: where one interviewer's next visit
    starts sooner after the previous than the road between them allows (at
    TRAVEL_KMH, for jumps over 500 m), it starts later (travel + 10 minutes).
    Whole columns, a bounded number of passes."""
    s = np.asarray(start).astype("datetime64[s]").copy()
    ok = np.isfinite(lat) & np.isfinite(lon)
    idx = np.flatnonzero(ok)
    e = interviewer.astype(str)[idx]
    for _ in range(passes):
        o = idx[np.lexsort((idx, s[idx], e))]
        same = e[np.searchsorted(idx, o[1:])] == e[np.searchsorted(idx, o[:-1])]
        d = haversine_m(lat[o[:-1]], lon[o[:-1]], lat[o[1:]], lon[o[1:]])
        need = (d / 1000 / TRAVEL_KMH * 3600 + 600).astype("int64")
        gap = (s[o[1:]] - s[o[:-1]]).astype("int64")
        bad = same & (d > 500) & (gap < need)
        if not bad.any():
            break
        first = bad & ~np.concatenate([[False], bad[:-1]])   # fix chains from their start, pass by pass
        s[o[1:][first]] = s[o[:-1][first]] + need[first].astype("timedelta64[s]")
    return s


def _quiet(start: np.ndarray, interviewer: np.ndarray, hours: float) -> np.ndarray:
    """Visits whose interviewer's previous and next visits are ``hours`` or more away."""
    f = pd.DataFrame({"e": interviewer.astype(str), "t": pd.to_datetime(start), "i": np.arange(len(start))})
    f = f.sort_values(["e", "t", "i"], kind="stable")
    gap = f.groupby("e")["t"].diff().dt.total_seconds().to_numpy() / 3600
    nxt = -f.groupby("e")["t"].diff(-1).dt.total_seconds().to_numpy() / 3600
    ok = np.where(np.isnan(gap), True, gap >= hours) & np.where(np.isnan(nxt), True, nxt >= hours)
    out = np.zeros(len(start), bool)
    out[f["i"].to_numpy()] = ok
    return out


def planted(seed: int, codes: np.ndarray, township: np.ndarray, start: np.ndarray, interviewer: np.ndarray,
            far: np.ndarray, known: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> pd.DataFrame:
    """The planted location problems: position (into the visits given), rule, and
    for ``reused`` the position whose point is copied, for ``speed`` the previous
    visit's position. Deterministic for a seed."""
    rng = np.random.default_rng([int(seed), 22])
    n = len(codes)
    cand = known & ~far & _quiet(start, interviewer, 1.0)
    rows: list[tuple[int, str, int]] = []
    used: set[int] = set()

    def take(pool: np.ndarray, k: int) -> list[int]:
        pool = np.array([p for p in pool if p not in used])
        got = list(rng.permutation(pool)[:k]) if len(pool) else []
        used.update(int(x) for x in got)
        return [int(x) for x in got]

    for p in take(np.flatnonzero(cand), PLANTS["outside"]):
        rows.append((p, "outside", -1))
    for p in take(np.flatnonzero(cand), PLANTS["accuracy"]):
        rows.append((p, "accuracy", -1))
    # reused: a visit of the same township (another household) takes the point of a donor
    tw = pd.Series(township.astype(str))
    for p in take(np.flatnonzero(cand), PLANTS["reused"]):
        same = np.flatnonzero(cand & (tw.to_numpy() == tw.iloc[p]) & (np.arange(n) != p))
        donor = [int(x) for x in same if int(x) not in used]
        if donor:
            used.add(donor[0])
            rows.append((donor[0], "reused", p))
            rows.append((p, "reused", donor[0]))
    # speed: consecutive visits of one interviewer, different townships ≥ 15 km apart,
    # the later one recorded minutes after the earlier (its start is moved: see apply)
    f = pd.DataFrame({"e": interviewer.astype(str), "t": pd.to_datetime(start), "i": np.arange(n)})
    f = f[known].sort_values(["e", "t", "i"], kind="stable")
    prev = f.groupby("e")["i"].shift(1)
    nxt = f.groupby("e")["i"].shift(-1)
    pairs = f.assign(prev=prev, nxt=nxt).dropna(subset=["prev"])
    pi, li = pairs["prev"].to_numpy(dtype=int), pairs["i"].to_numpy()
    d = haversine_m(lat[pi], lon[pi], lat[li], lon[li])
    gap_next = (pd.to_datetime(start[pairs["nxt"].fillna(pairs["i"]).to_numpy(dtype=int)]) -
                pd.to_datetime(start[li])).total_seconds().to_numpy() / 3600
    ok = (d > 15000) & ~far[li] & ~far[pi] & ((gap_next >= 2) | pairs["nxt"].isna().to_numpy()) \
        & ~np.isin(pi, list(used))
    for j in take(np.flatnonzero(ok), PLANTS["speed"]):
        rows.append((int(li[j]), "speed", int(pi[j])))
        used.add(int(pi[j]))
    return pd.DataFrame(rows, columns=["position", "rule", "other"])


def apply_plants(plant: pd.DataFrame, codes: np.ndarray, lat: np.ndarray, lon: np.ndarray, acc: np.ndarray,
                 seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Move the planted points (outside: beyond the boundary; reused: the donor's
    point; accuracy: 80–300 m). Speed plants keep their point; their start moves."""
    from toolkit.maps.boundaries import _shape

    rng = np.random.default_rng([int(seed), 22, 1])
    lat, lon, acc = lat.copy(), lon.copy(), acc.copy()
    for p in plant.loc[plant["rule"] == "outside", "position"]:
        g = _shape(codes[p])
        c = g.centroid
        mx, my = metres_per_degree(c.y)
        for _ in range(50):
            b = g.exterior.interpolate(rng.uniform(), normalized=True) if g.geom_type == "Polygon" else \
                max(g.geoms, key=lambda x: x.area).exterior.interpolate(rng.uniform(), normalized=True)
            v = np.array([(b.x - c.x) * mx, (b.y - c.y) * my])
            step = v / np.linalg.norm(v) * rng.uniform(1500, 4000)
            q = (b.x + step[0] / mx, b.y + step[1] / my)
            if not shapely.intersects_xy(g, *q) and g.distance(shapely.Point(q)) * my > 1300:
                break
        wl, wa = gcj02_to_wgs84(np.array([q[0]]), np.array([q[1]]))
        lon[p], lat[p] = wl[0], wa[0]
    r = plant[plant["rule"] == "reused"].iloc[1::2]   # (donor, p), (p, donor): p takes the donor's point
    for p, donor in zip(r["position"], r["other"]):
        lat[p], lon[p] = lat[donor], lon[donor]
    a = plant.loc[plant["rule"] == "accuracy", "position"].to_numpy(dtype=int)
    acc[a] = rng.uniform(80, 300, len(a))
    return lat, lon, acc


def speed_starts(plant: pd.DataFrame, start: np.ndarray) -> np.ndarray:
    """Start times with each planted speed visit moved to 5 minutes after its
    interviewer's previous visit began (what a fabricated record looks like)."""
    s = np.asarray(start).copy()
    sp = plant[plant["rule"] == "speed"]
    s[sp["position"].to_numpy(dtype=int)] = s[sp["other"].to_numpy(dtype=int)] + np.timedelta64(300, "s")
    return s


def write_truth(visits: object, folder: str | Path) -> Path:
    """``truth_locations.csv`` beside the other truth files: each planted location
    problem (KEY, rule, other: the donor or previous visit's KEY)."""
    from toolkit.tables import write_table

    frame = visits.locations if getattr(visits, "locations", None) is not None else \
        pd.DataFrame(columns=["KEY", "rule", "other"])
    return write_table(frame, Path(folder) / "truth_locations.csv")
