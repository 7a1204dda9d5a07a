"""Evidence beside the findings in the walkthrough: the visit's photos and where it took place.

Evaluator side (photos and GPS points identify a household). Pure functions
and HTML built through toolkit.html (escaped by construction):

* **Photos**: the files ``fieldeval ingest`` kept for the household's
  submission (toolkit.ingest.media: ``media.parquet`` and ``media/`` in the
  ingest folder, owner-only) as inline ``<img src="data:…">`` thumbnails, at
  most :data:`THUMB_PX` pixels a side, re-encoded with Pillow (JPEG, or PNG
  when the photo has transparency). A file is opened only when it lies inside
  the ingest folder's ``media/``, is at most :data:`MAX_FILE_BYTES`, starts
  with a JPEG/PNG/WebP signature and decodes to at most :data:`MAX_PIXELS`
  pixels; otherwise the pane says in words that it cannot be shown.
* **Location**: the form's geopoint (``<name>_latitude`` / ``_longitude``)
  and the great-circle (haversine) distance in metres to every other visit of
  the same township with a point: the median and the nearest. A visit is
  **far from its township** when its median distance is more than
  :data:`FAR_FACTOR` times the township's typical one (the median over its
  visits of their own median distances) and more than :data:`FAR_MIN_M`
  metres; with fewer than :data:`MIN_OTHERS` other points it is not judged.
  A small SVG scatter (local east/north metres, no map tiles, nothing from
  the internet) shows the township's visits, this one in red, with a scale bar.
"""
from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.html import Markup, join, tag
from toolkit.i18n import t
from toolkit.vault import read_bytes, source

try:   # imported with the module, so a preheated kernel has paid for it before the first household
    from PIL import Image, JpegImagePlugin, PngImagePlugin, WebPImagePlugin  # noqa: F401
except ImportError:   # without Pillow the pane says a photo cannot be shown
    Image = None

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), metres: the haversine's sphere."""
FAR_FACTOR = 3.0
FAR_MIN_M = 1_000.0
MIN_OTHERS = 2
THUMB_PX = 240
MAX_FILE_BYTES = 20 << 20
MAX_PIXELS = 50_000_000
SVG_PX = 220


def haversine_m(lat1: np.ndarray | float, lon1: np.ndarray | float, lat2: np.ndarray | float,
                lon2: np.ndarray | float) -> np.ndarray:
    """Great-circle distance in metres between points given in degrees
    (numpy broadcasting: pass columns against a row for a matrix).
    d = 2 R asin(√(sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2))), R = EARTH_RADIUS_M."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def geopoint_columns(frame: pd.DataFrame) -> tuple[str, str] | None:
    """(latitude, longitude) column names of the first geopoint in ``frame``."""
    for c in frame.columns:
        if str(c).endswith("_latitude") and f"{str(c)[:-9]}_longitude" in frame.columns:
            return str(c), f"{str(c)[:-9]}_longitude"
    return None


def gps_points(submissions: pd.DataFrame, households: pd.DataFrame) -> pd.DataFrame:
    """Visits with a usable point: archive_id, KEY, county, township, lat, lon
    (degrees; latitude within ±90, longitude within ±180, not 0/0)."""
    cols = ["archive_id", "KEY", "county", "township", "lat", "lon"]
    geo = geopoint_columns(submissions)
    if geo is None or "KEY" not in submissions or not {"archive_id", "KEY", "county", "township"} <= set(households):
        return pd.DataFrame(columns=cols)
    s = pd.DataFrame({"KEY": submissions["KEY"].astype(str),
                      "lat": pd.to_numeric(submissions[geo[0]], errors="coerce"),
                      "lon": pd.to_numeric(submissions[geo[1]], errors="coerce")})
    ok = s["lat"].between(-90, 90) & s["lon"].between(-180, 180) & ~((s["lat"] == 0) & (s["lon"] == 0))
    h = households[["archive_id", "KEY", "county", "township"]].astype({"KEY": str, "township": str})
    return h.merge(s[ok], on="KEY", how="inner")[cols].reset_index(drop=True)


@dataclass(frozen=True)
class Location:
    """One visit's point and its distances (metres) to its township's other visits."""

    lat: float
    lon: float
    others: int
    median_m: float
    nearest_m: float
    typical_m: float
    far: bool
    township: pd.DataFrame   # the township's points: archive_id, lat, lon, this (bool)


def location_of(points: pd.DataFrame, archive_id: str) -> Location | None:
    """The Location of ``archive_id`` (None without a usable point); see the module doc."""
    me = points[points["archive_id"].astype(str) == str(archive_id)]
    if not len(me):
        return None
    row = me.iloc[0]
    tw = points[(points["county"] == row["county"]) & (points["township"] == row["township"])].reset_index(drop=True)
    lat, lon = tw["lat"].to_numpy(float), tw["lon"].to_numpy(float)
    d = haversine_m(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    np.fill_diagonal(d, np.nan)
    i = int(np.flatnonzero(tw["archive_id"].astype(str).to_numpy() == str(archive_id))[0])
    others = len(tw) - 1
    if others == 0:
        return Location(float(row["lat"]), float(row["lon"]), 0, math.nan, math.nan, math.nan, False,
                        tw.assign(this=tw.index == i)[["archive_id", "lat", "lon", "this"]])
    med = np.nanmedian(d, axis=1)
    typical = float(np.median(med))
    far = others >= MIN_OTHERS and bool(med[i] > max(FAR_MIN_M, FAR_FACTOR * typical))
    return Location(float(row["lat"]), float(row["lon"]), others, float(med[i]), float(np.nanmin(d[i])), typical,
                    far, tw.assign(this=tw.index == i)[["archive_id", "lat", "lon", "this"]])


def _nice(length: float) -> float:
    """The largest 1, 2 or 5 × 10^k not above ``length`` (a scale bar)."""
    if length <= 0:
        return 0.0
    k = 10 ** math.floor(math.log10(length))
    return max(m * k for m in (1, 2, 5) if m * k <= length)


def metres(v: float, lang: str) -> str:
    """A distance in words: metres below 1 km, else km with one decimal."""
    if v < 1000:
        return t("evidence.m", lang, v=f"{v:,.0f}")
    return t("evidence.km", lang, v=f"{v / 1000:,.1f}")


def scatter_svg(loc: Location, lang: str = "zh", size: int = SVG_PX) -> Markup:
    """The township's visits in local east/north metres (equirectangular about
    their median point), this visit red, others grey, a scale bar; offline SVG."""
    tw = loc.township
    lat0, lon0 = float(tw["lat"].median()), float(tw["lon"].median())
    x = np.radians(tw["lon"].to_numpy(float) - lon0) * math.cos(math.radians(lat0)) * EARTH_RADIUS_M
    y = np.radians(tw["lat"].to_numpy(float) - lat0) * EARTH_RADIUS_M
    pad = 14
    span = max(float(np.ptp(x)), float(np.ptp(y)), 50.0)
    k = (size - 2 * pad) / span
    px = pad + (x - x.min()) * k + ((size - 2 * pad) - np.ptp(x) * k) / 2
    py = size - pad - (y - y.min()) * k - ((size - 2 * pad) - np.ptp(y) * k) / 2
    this = tw["this"].to_numpy(bool)
    dots = [tag("circle", cx=f"{a:.1f}", cy=f"{b:.1f}", r="3", fill="#888", fill_opacity="0.7")
            for a, b in zip(px[~this], py[~this])]
    dots += [tag("circle", cx=f"{a:.1f}", cy=f"{b:.1f}", r="6", fill="#d62728", stroke="#fff", class_="fe-gps-this")
             for a, b in zip(px[this], py[this])]
    bar_m = _nice(span / 3)
    bar = bar_m * k
    scale = join(tag("line", x1=str(pad), y1=str(size - 5), x2=f"{pad + bar:.1f}", y2=str(size - 5),
                     stroke="#333", stroke_width="2"),
                 tag("text", metres(bar_m, lang), x=f"{pad + bar + 4:.1f}", y=str(size - 2), font_size="10",
                     fill="#333"))
    return tag("svg", tag("title", t("evidence.scatter_title", lang)),
               tag("rect", x="0", y="0", width=str(size), height=str(size), fill="#fafafa", stroke="#ccc"),
               *dots, scale, width=str(size), height=str(size), role="img", class_="fe-gps-map",
               aria_label=t("evidence.scatter_title", lang))


def location_html(loc: Location | None, lang: str = "zh") -> Markup:
    """The location part of the pane, in words (and the scatter)."""
    if loc is None:
        return tag("p", t("evidence.no_gps", lang), class_="fe-no-gps")
    lines = [tag("p", t("evidence.point", lang, lat=f"{loc.lat:.5f}", lon=f"{loc.lon:.5f}"))]
    if loc.others == 0:
        lines.append(tag("p", t("evidence.alone", lang)))
    else:
        lines.append(tag("p", t("evidence.distances", lang, n=loc.others, median=metres(loc.median_m, lang),
                                nearest=metres(loc.nearest_m, lang), typical=metres(loc.typical_m, lang))))
    if loc.far:
        lines.append(tag("p", t("evidence.far", lang, factor=f"{FAR_FACTOR:g}"), class_="fe-gps-far",
                         style="color:#b00;font-weight:bold"))
    elif loc.others < MIN_OTHERS and loc.others > 0:
        lines.append(tag("p", t("evidence.too_few", lang)))
    return join(*lines, scatter_svg(loc, lang) if loc.others else "")


# --- photos ----------------------------------------------------------------------------

def thumbnail_uri(path: Path, media_root: Path, max_px: int = THUMB_PX) -> str | None:
    """A ``data:`` URI of the photo at ``path`` scaled to ``max_px`` a side, or
    None when it may not be shown (outside ``media_root``, too big, not a
    JPEG/PNG/WebP, undecodable)."""
    from toolkit.photos import sniff

    try:
        p = Path(path).resolve(strict=True)
        p.relative_to(Path(media_root).resolve())
        if not p.is_file() or p.stat().st_size > MAX_FILE_BYTES:
            return None
        raw = read_bytes(p)
    except (OSError, ValueError):
        return None
    if sniff(raw[:16]) is None:
        return None
    if Image is None:
        return None
    try:
        with Image.open(io.BytesIO(raw), formats=["JPEG", "PNG", "WEBP"]) as im:
            if im.width * im.height > MAX_PIXELS:
                return None
            im.draft("RGB", (max_px, max_px))
            im.thumbnail((max_px, max_px))
            alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
            out = io.BytesIO()
            if alpha:
                im.convert("RGBA").save(out, "PNG", optimize=True)
                mime = "image/png"
            else:
                im.convert("RGB").save(out, "JPEG", quality=80)
                mime = "image/jpeg"
    except Exception:  # noqa: BLE001 - a broken or hostile file is "cannot be shown", never a traceback
        return None
    return f"data:{mime};base64,{base64.b64encode(out.getvalue()).decode('ascii')}"


def photos_of(media: pd.DataFrame, key: str) -> pd.DataFrame:
    """The media rows (KEY, question, file, bytes, sha256) of one submission."""
    if not len(media):
        return media
    return media[media["KEY"].astype(str) == str(key)].reset_index(drop=True)


def photos_html(rows: pd.DataFrame, ingest_dir: Path, lang: str = "zh") -> Markup:
    """The photos part of the pane: numbered thumbnails ("佐证照片 1" …),
    "no photos" in words when there are none. (The form is not read here: the
    pane stays fast on the first household.)"""
    if not len(rows):
        return tag("p", t("evidence.no_photos", lang), class_="fe-no-photos")
    from toolkit.photos import MEDIA_DIR

    root = Path(ingest_dir) / MEDIA_DIR
    figs = []
    for i, r in enumerate(rows.itertuples(index=False), 1):
        uri = thumbnail_uri(Path(ingest_dir) / str(r.file), root)
        cap = t("evidence.photo_n", lang, n=i)
        body = tag("img", src=uri, alt=cap, class_="fe-photo", style="max-width:100%;height:auto") if uri \
            else tag("span", t("evidence.cannot_show", lang), style="color:#b00")
        figs.append(tag("figure", body, tag("figcaption", cap), style="display:inline-block;margin:4px;max-width:260px"))
    return tag("div", *figs, class_="fe-photos")


# --- the pane ----------------------------------------------------------------------------
_CACHE: dict = {}


def _media_table(ingest_dir: Path) -> pd.DataFrame:
    """``media.parquet`` of the ingest folder (read once per change; empty when absent)."""
    from toolkit.photos import MEDIA_COLUMNS, MEDIA_TABLE

    p = ingest_dir / MEDIA_TABLE
    key = ("media", str(p), p.stat().st_mtime_ns if p.exists() else 0)
    if key not in _CACHE:
        _CACHE[key] = pd.read_parquet(source(p)) if p.is_file() else pd.DataFrame(columns=list(MEDIA_COLUMNS))
    return _CACHE[key]


def _points(results) -> pd.DataFrame:  # noqa: ANN001 - toolkit.widgets.data.Results
    key = ("points", id(results.submissions), id(results.households))
    if key not in _CACHE:
        _CACHE[key] = gps_points(results.submissions, results.households)
    return _CACHE[key]


def pane(results, archive_id: str, lang: str = "zh") -> Markup:  # noqa: ANN001 - Results
    """The walkthrough's evidence pane for one household: photos, then location."""
    from toolkit.project.paths import ProjectPaths

    ingest = ProjectPaths.of(results.evaluation).ingest
    h = results.households
    keys = h.loc[h["archive_id"].astype(str) == str(archive_id), "KEY"].astype(str)
    key = keys.iloc[0] if len(keys) else ""
    photos = photos_html(photos_of(_media_table(ingest), key), ingest, lang)
    return tag("div", photos, location_html(location_of(_points(results), archive_id), lang), class_="fe-evidence")


__all__ = ["EARTH_RADIUS_M", "FAR_FACTOR", "FAR_MIN_M", "Location", "gps_points", "geopoint_columns", "haversine_m",
           "location_html", "location_of", "metres", "pane", "photos_html", "photos_of", "scatter_svg", "thumbnail_uri"]
