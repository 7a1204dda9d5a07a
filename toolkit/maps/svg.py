"""County maps as inline SVG, built through toolkit.html (escaped by construction).

* :func:`verdict_map_svg` — the leaders' choropleth for one indicator: each
  county filled by its verdict (colour-blind-safe Okabe–Ito colours, a hatch
  on "fail" so it reads without colour), its name and estimate written on it,
  the estimate, interval and verdict in the county's ``<title>`` (hover; the
  forest plot beside gives the same on a phone), a legend in words.
  De-identified: areas only, never a point.
* :func:`interviewer_map_svg` — the quality dashboard's map (evaluators only):
  one interviewer's visit points over the outlines of the counties they
  claim; points with a location flag as red squares with the reason.

Polygons are simplified (~50 m) and projected once per set of codes (cached):
an equirectangular projection around the counties' centre, y down, in SVG
user units; the drawing scales to its box (``viewBox``), so it stays sharp at
390 px. Polygons and points are both in GCJ-02 (a visit's WGS-84 point is moved).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from toolkit.html import Markup, join, tag
from toolkit.i18n import t
from toolkit.maps import boundaries as bd
from toolkit.maps.geo import wgs84_to_gcj02

# Okabe–Ito: distinguishable with the common colour-vision deficiencies
VERDICT_FILL = {"pass": "#0072B2", "fail": "#D55E00", "inconclusive": "#E69F00", "no_data": "#D9D9D9"}
VERDICT_TEXT = {"pass": "#fff", "fail": "#fff", "inconclusive": "#222", "no_data": "#222"}
W = 360.0
SIMPLIFY_DEG = 0.0005


def verdict_class(verdict: object) -> str:
    """The map's four classes: pass, fail, inconclusive (also "no interval"), no data."""
    v = str(verdict)
    return v if v in ("pass", "fail", "inconclusive") else ("inconclusive" if v == "no_interval" else "no_data")


@lru_cache(maxsize=32)
def projected(codes: tuple[str, ...], width: float = W) -> tuple[tuple[str, ...], tuple[tuple[float, float], ...],
                                                                  float, tuple[float, float, float, float]]:
    """(path data per code, label point per code, height, (lon0, lat1, scale x, scale y)) for ``codes``."""
    a = bd.areas(codes)
    geoms = shapely.simplify(a.geoms, SIMPLIFY_DEG, preserve_topology=True)
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
    k = np.cos(np.radians((y0 + y1) / 2))
    sx = (width - 8) / max((x1 - x0) * k, 1e-9)
    sx = sx * k
    sy = sx / k
    height = (y1 - y0) * sy + 8
    paths, labels = [], []
    for g in geoms:
        parts = []
        for poly in getattr(g, "geoms", [g]):
            if poly.geom_type != "Polygon":
                continue
            for ring in (poly.exterior, *poly.interiors):
                xy = np.asarray(ring.coords)
                px, py = (xy[:, 0] - x0) * sx + 4, (y1 - xy[:, 1]) * sy + 4
                pts = np.char.add(np.char.add(np.char.mod("%.1f", px), ","), np.char.mod("%.1f", py))
                parts.append("M" + " L".join(pts) + " Z")
        paths.append(" ".join(parts))
        p = g.representative_point() if not g.is_empty else shapely.Point(x0, y0)
        labels.append(((p.x - x0) * sx + 4, (y1 - p.y) * sy + 4))
    return tuple(paths), tuple(labels), float(height), (float(x0), float(y1), float(sx), float(sy))


def _pct(x: object) -> str:
    return "–" if x is None or pd.isna(x) else f"{float(x) * 100:.1f}%"


def _legend(lang: str, y: float) -> list[Markup]:
    out = []
    x = 4.0
    for v in ("pass", "fail", "inconclusive", "no_data"):
        word = t(f"verify.verdict.{v}", lang)
        out.append(tag("rect", x=f"{x:.1f}", y=f"{y:.1f}", width=14, height=12, fill=VERDICT_FILL[v], stroke="#555",
                       stroke_width=0.5, class_="fe-map-key", data_verdict=v))
        if v == "fail":
            out.append(tag("rect", x=f"{x:.1f}", y=f"{y:.1f}", width=14, height=12, fill="url(#fe-hatch)"))
        out.append(tag("text", word, x=f"{x + 18:.1f}", y=f"{y + 10:.1f}", font_size=11, fill="#222"))
        x += 18 + 12 * len(word) * (1.0 if lang == "zh" else 0.55) + 14
    return out


def _hatch() -> Markup:
    return tag("defs", tag("pattern", tag("path", d="M0,6 L6,0", stroke="#fff", stroke_width=1.2, opacity=0.6),
                           id="fe-hatch", width=6, height=6, patternunits="userSpaceOnUse"))


def verdict_map_svg(rows: pd.DataFrame, indicator_name: str, lang: str = "zh") -> Markup:
    """The choropleth of one indicator. ``rows``: county, code, estimate, ci_low,
    ci_high, verdict (one row per county; shares 0–1). Counties whose code has no
    boundary are left out of the drawing and named under it."""
    rows = rows.reset_index(drop=True)
    have = set(bd.county_index()["code"])
    ok = rows["code"].astype(str).isin(have).to_numpy()
    title = t("maps.map.title", lang, indicator=indicator_name)
    if not ok.any():
        return tag("p", t("maps.map.unavailable", lang, reason=t("maps.rule.unknown", lang)), class_="fe-map-empty")
    r = rows[ok].reset_index(drop=True)
    paths, labels, height, _ = projected(tuple(r["code"].astype(str)))
    parts: list[Markup] = [tag("title", title), _hatch()]
    for i, row in r.iterrows():   # one path per county (a handful), not per household
        cls = verdict_class(row["verdict"])
        verdict = t(f"verify.verdict.{row['verdict']}" if cls != "no_data" else "verify.verdict.no_data", lang)
        hover = (t("maps.map.hover", lang, county=row["county"], estimate=_pct(row["estimate"]),
                   low=_pct(row["ci_low"]), high=_pct(row["ci_high"]), verdict=verdict)
                 if pd.notna(row["estimate"]) else t("maps.map.hover_none", lang, county=row["county"]))
        shapes = [tag("path", tag("title", hover), d=paths[i], fill=VERDICT_FILL[cls], stroke="#fff", stroke_width=1.2,
                      stroke_linejoin="round")]
        if cls == "fail":
            shapes.append(tag("path", d=paths[i], fill="url(#fe-hatch)", stroke="none", pointer_events="none"))
        lx, ly = labels[i]
        halo = {"stroke": VERDICT_FILL[cls], "stroke_width": 3, "paint_order": "stroke", "stroke_linejoin": "round"}
        shapes.append(tag("text", row["county"], x=f"{lx:.1f}", y=f"{ly - 2:.1f}", text_anchor="middle", font_size=11,
                          font_weight="bold", fill=VERDICT_TEXT[cls], pointer_events="none", **halo))
        shapes.append(tag("text", _pct(row["estimate"]) if pd.notna(row["estimate"]) else t("maps.map.no_data", lang),
                          x=f"{lx:.1f}", y=f"{ly + 11:.1f}", text_anchor="middle", font_size=10.5,
                          fill=VERDICT_TEXT[cls], pointer_events="none", **halo))
        parts.append(tag("g", *shapes, class_="fe-map-county", data_county=row["county"], data_code=row["code"],
                         data_verdict=cls))
    parts += _legend(lang, height + 6)
    svg = tag("svg", *parts, xmlns="http://www.w3.org/2000/svg", viewbox=f"0 0 {W:.0f} {height + 24:.0f}", role="img",
              aria_label=title, font_family="sans-serif", class_="fe-map",
              style="width:100%;max-width:540px;height:auto;display:block")
    missing = rows.loc[~ok, "county"].astype(str).tolist()
    note = [tag("div", t("maps.map.unavailable", lang, reason="、".join(missing)), class_="fe-map-missing")] \
        if missing else []
    return join(svg, tag("div", t("maps.map.legend", lang), class_="fe-map-legend",
                         style="font-size:85%;color:#444"), *note)


def scorecard_rows(scorecard: pd.DataFrame, counties: tuple, indicator: str) -> pd.DataFrame:
    """One indicator's rows for the project's counties (every county, with or
    without a row: no data), with their area codes: county, code, estimate,
    ci_low, ci_high, verdict."""
    base = pd.DataFrame({"county": [c.name for c in counties], "code": [c.code for c in counties]})
    sc = scorecard[scorecard["indicator"] == indicator][["county", "estimate", "ci_low", "ci_high", "verdict"]]
    out = base.merge(sc.drop_duplicates("county"), on="county", how="left")
    out["verdict"] = out["verdict"].fillna("no_data")
    return out


def county_map_html(results: object, indicator: str, lang: str = "zh") -> Markup:
    """The leadership dashboard's hook: the verdict map of ``indicator`` for the
    results' project (nothing when the project's counties have no boundary)."""
    from toolkit.verify.indicators import INDICATORS

    ev = getattr(results, "evaluation", None)
    if ev is None or not len(getattr(ev, "counties", ())):
        return Markup("")
    spec = {i.name: i for i in INDICATORS}.get(indicator)
    name = indicator if spec is None else (spec.zh if lang == "zh" else spec.en)
    try:
        bd.check_counties([(c.name, c.code) for c in ev.counties])   # a wrong code: said, with the nearest names
        return verdict_map_svg(scorecard_rows(results.scorecard, ev.counties, indicator), name, lang)
    except Exception as e:  # noqa: BLE001 - a map must never take the page down: say why in words
        from toolkit.errors import describe
        return tag("p", t("maps.map.unavailable", lang, reason=describe(e, lang)), class_="fe-map-empty")


def interviewer_map_svg(points: pd.DataFrame, flags: pd.DataFrame, enumerator: str, lang: str = "zh") -> Markup:
    """One interviewer's visits over the outlines of the counties they claim.
    ``points``: KEY, county_code, latitude, longitude (WGS-84); ``flags``: the
    location check's rows (KEY, problem, detail) — flagged points are red squares."""
    p = points.dropna(subset=["latitude", "longitude"]).reset_index(drop=True)
    if not len(p):
        return tag("p", t("maps.qmap.none", lang), class_="fe-qmap-empty")
    have = set(bd.county_index()["code"])
    codes = tuple(sorted(set(p["county_code"].astype(str)) & have))
    lon, lat = wgs84_to_gcj02(p["longitude"].to_numpy(float), p["latitude"].to_numpy(float))
    parts: list[Markup] = [tag("title", t("maps.qmap.title", lang, enumerator=enumerator))]
    outlines = shapely.simplify(bd.areas(codes).geoms, SIMPLIFY_DEG, preserve_topology=True) if codes else []
    # the frame holds the outlines and every point (a point far outside must stay on the map)
    gx0, gy0, gx1, gy1 = float(np.nanmin(lon)), float(np.nanmin(lat)), float(np.nanmax(lon)), float(np.nanmax(lat))
    if codes:
        bx0, by0, bx1, by1 = shapely.total_bounds(outlines)
        gx0, gy0, gx1, gy1 = min(gx0, bx0), min(gy0, by0), max(gx1, bx1), max(gy1, by1)
    pad = max(gx1 - gx0, gy1 - gy0, 0.01) * 0.02
    gx0, gy0, gx1, gy1 = gx0 - pad, gy0 - pad, gx1 + pad, gy1 + pad
    k = np.cos(np.radians((gy0 + gy1) / 2))
    sx = (W - 8) / max((gx1 - gx0) * k, 1e-6) * k
    sy = sx / k
    height = (gy1 - gy0) * sy + 8
    if codes:
        for g in outlines:
            d = []
            for poly in getattr(g, "geoms", [g]):
                if poly.geom_type != "Polygon":
                    continue
                xy = np.asarray(poly.exterior.coords)
                pts = np.char.add(np.char.add(np.char.mod("%.1f", (xy[:, 0] - gx0) * sx + 4), ","),
                                  np.char.mod("%.1f", (gy1 - xy[:, 1]) * sy + 4))
                d.append("M" + " L".join(pts) + " Z")
            parts.append(tag("path", d=" ".join(d), fill="#f4f4f4", stroke="#888", stroke_width=1, class_="fe-qmap-county"))
    px, py = (lon - gx0) * sx + 4, (gy1 - lat) * sy + 4
    why = flags.groupby("KEY")["detail"].agg(lambda s: "；".join(map(str, s))) if len(flags) else pd.Series(dtype=str)
    bad = p["KEY"].isin(why.index).to_numpy()
    for i in np.flatnonzero(~bad):   # points of one interviewer (tens to hundreds)
        parts.append(tag("circle", tag("title", t("maps.qmap.point_ok", lang, key=p.at[i, "KEY"])),
                         cx=f"{px[i]:.1f}", cy=f"{py[i]:.1f}", r=2.5, fill="#0072B2", fill_opacity=0.7,
                         class_="fe-qmap-point"))
    for i in np.flatnonzero(bad):
        parts.append(tag("rect", tag("title", f"{p.at[i, 'KEY']}：{why[p.at[i, 'KEY']]}"), x=f"{px[i] - 4:.1f}",
                         y=f"{py[i] - 4:.1f}", width=8, height=8, fill="#D55E00", stroke="#fff", stroke_width=1,
                         class_="fe-qmap-flag", data_key=p.at[i, "KEY"]))
    svg = tag("svg", *parts, xmlns="http://www.w3.org/2000/svg", viewbox=f"0 0 {W:.0f} {height:.0f}", role="img",
              aria_label=t("maps.qmap.title", lang, enumerator=enumerator), class_="fe-qmap",
              style="width:100%;max-width:540px;height:auto;display:block")
    return join(tag("h4", t("maps.qmap.title", lang, enumerator=enumerator)), svg,
                tag("div", t("maps.qmap.legend", lang), " ", t("maps.qmap.flags", lang, n=int(bad.sum())),
                    class_="fe-qmap-legend", style="font-size:85%;color:#444"))


def interviewer_map_html(main: pd.DataFrame, flags: pd.DataFrame | None, enumerator: str, lang: str = "zh",
                         point: str = "location") -> Markup:
    """The quality dashboard's hook: ``enumerator``'s points (the ``point`` geopoint's
    columns) and location flags (quality.xlsx's location sheet) as a map; a
    problem drawing it is said in words, never a traceback."""
    lat, lon = f"{point}_latitude", f"{point}_longitude"
    if lat not in main or lon not in main:
        return Markup("")
    m = main[main["enumerator"].astype(str) == str(enumerator)]
    pts = pd.DataFrame({"KEY": m["KEY"].astype(str).to_numpy(),
                        "county_code": m["county_code"].astype(str).to_numpy() if "county_code" in m else "",
                        "latitude": pd.to_numeric(m[lat], errors="coerce").to_numpy(),
                        "longitude": pd.to_numeric(m[lon], errors="coerce").to_numpy()})
    f = flags if flags is not None and len(flags) and {"KEY", "detail"} <= set(flags.columns) else \
        pd.DataFrame(columns=["KEY", "detail"])
    f = f[f["KEY"].astype(str).isin(set(pts["KEY"]))].assign(KEY=lambda x: x["KEY"].astype(str))
    try:
        return interviewer_map_svg(pts, f, str(enumerator), lang)
    except Exception as e:  # noqa: BLE001 - the page stays; the reason in words
        from toolkit.errors import describe
        return tag("p", t("maps.map.unavailable", lang, reason=describe(e, lang)), class_="fe-map-empty")
