"""The walkthrough's evidence pane (issue 15 item 5): photos of the visit as
inline thumbnails, "no photos" in words otherwise; the visit's GPS point, its
distances to the township's other visits (checked against a hand computation)
and the far-from-township flag; an offline SVG scatter."""
from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.i18n import t
from toolkit.widgets import evidence as EV

R = EV.EARTH_RADIUS_M
NORTH_M = 180.0 / math.pi / R   # degrees of latitude per metre along a meridian


def test_haversine_against_hand_computation() -> None:
    # along a meridian the haversine is exactly R * dphi
    assert EV.haversine_m(31.8, 117.2, 31.81, 117.2) == pytest.approx(R * math.radians(0.01), rel=1e-12)
    assert EV.haversine_m(31.8, 117.2, 31.81, 117.2) == pytest.approx(1111.95, abs=0.01)
    # along the equator R * dlambda: one degree is 6,371,008.8 x pi / 180 = 111,195.08 m
    assert EV.haversine_m(0.0, 0.0, 0.0, 1.0) == pytest.approx(111_195.08, abs=0.01)
    # anywhere: the spherical law of cosines, worked by hand
    la1, lo1, la2, lo2 = 31.82, 117.23, 31.86, 117.29
    p1, p2, dl = math.radians(la1), math.radians(la2), math.radians(lo2 - lo1)
    hand = R * math.acos(math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl))
    assert EV.haversine_m(la1, lo1, la2, lo2) == pytest.approx(hand, rel=1e-9)
    # vectorised: a column against a row gives the matrix
    m = EV.haversine_m(np.array([[0.0], [1.0]]), np.zeros((2, 1)), np.array([[0.0, 1.0]]), np.zeros((1, 2)))
    assert m.shape == (2, 2) and m[0, 0] == 0 and m[0, 1] == pytest.approx(R * math.radians(1.0))


def _township(north_m: list[float], ids: list[str] | None = None) -> pd.DataFrame:
    ids = ids or [f"A{i}" for i in range(len(north_m))]
    return pd.DataFrame({"archive_id": ids, "KEY": [f"k{i}" for i in ids], "county": "包河区", "township": "T1",
                         "lat": [31.8 + n * NORTH_M for n in north_m], "lon": 117.2})


def test_distances_and_far_flag_by_hand() -> None:
    # A at 0 m, B 100 m north, C 200 m, D 5,000 m. Median distance to the others:
    # A: {100, 200, 5000} -> 200; B: {100, 100, 4900} -> 100; C: {200, 100, 4800} -> 200;
    # D: {5000, 4900, 4800} -> 4900. Typical = median(200, 100, 200, 4900) = 200.
    pts = pd.concat([_township([0, 100, 200, 5000]), _township([0], ["X"]).assign(township="T2")],
                    ignore_index=True)
    d = EV.location_of(pts, "A3")
    assert d.others == 3
    assert d.median_m == pytest.approx(4900, abs=0.01)
    assert d.nearest_m == pytest.approx(4800, abs=0.01)
    assert d.typical_m == pytest.approx(200, abs=0.01)
    assert d.far   # 4900 > max(1000, 3 x 200)
    a = EV.location_of(pts, "A0")
    assert (a.median_m, a.nearest_m, a.far) == (pytest.approx(200, abs=0.01), pytest.approx(100, abs=0.01), False)
    assert len(a.township) == 4 and a.township["this"].sum() == 1   # the other township is not compared
    alone = EV.location_of(pts, "X")
    assert alone.others == 0 and not alone.far
    assert EV.location_of(pts, "nobody") is None
    # within FAR_MIN_M nothing is far, however tight the township
    tight = EV.location_of(_township([0, 1, 2, 900]), "A3")
    assert not tight.far


def test_location_words_and_scatter() -> None:
    pts = _township([0, 100, 200, 5000])
    html = EV.location_html(EV.location_of(pts, "A3"), "zh")
    assert "4.9 公里" in html and "4.8 公里" in html and "200 米" in html
    assert t("evidence.far", "zh", factor="3")[:10] in html and "fe-gps-far" in html
    assert "<svg" in html and html.count("<circle") == 4 and html.count("fe-gps-this") == 1
    assert "http" not in html   # no tiles, nothing fetched
    assert t("evidence.no_gps", "en") in EV.location_html(None, "en")


def test_gps_points_from_submissions() -> None:
    subs = pd.DataFrame({"KEY": ["k1", "k2", "k3", "k4"], "location_latitude": [31.8, None, 0.0, 95.0],
                         "location_longitude": [117.2, 117.2, 0.0, 117.2]})
    hh = pd.DataFrame({"archive_id": ["a1", "a2", "a3", "a4"], "KEY": ["k1", "k2", "k3", "k4"],
                       "county": "c", "township": "t"})
    got = EV.gps_points(subs, hh)
    assert got["archive_id"].tolist() == ["a1"]   # blank, 0/0 and impossible points left out
    assert EV.gps_points(subs.drop(columns=["location_latitude"]), hh).empty


def _jpeg(size: tuple[int, int] = (900, 600)) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def test_photos_html_thumbnails_and_refusals(tmp_path: Path) -> None:
    ingest = tmp_path / "ingest"
    (ingest / "media" / "k1").mkdir(parents=True)
    (ingest / "media" / "k1" / "p.jpg").write_bytes(_jpeg())
    (ingest / "media" / "k1" / "page.jpg").write_bytes(b"<html><script>alert(1)</script>")
    (ingest / "secret.jpg").write_bytes(_jpeg())
    rows = pd.DataFrame({"KEY": "k1", "question": "evidence_photo",
                         "file": ["media/k1/p.jpg", "media/k1/page.jpg", "media/../secret.jpg"],
                         "bytes": 1, "sha256": ""})
    html = EV.photos_html(rows, ingest, "en")
    assert html.count("<img") == 1 and 'src="data:image/jpeg;base64,' in html
    assert html.count(t("evidence.cannot_show", "en")) == 2   # not a photo; outside media/
    assert "<script" not in html
    uri = EV.thumbnail_uri(ingest / "media" / "k1" / "p.jpg", ingest / "media")
    import base64
    import io

    from PIL import Image

    im = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert max(im.size) <= EV.THUMB_PX
    assert t("evidence.no_photos", "zh") in EV.photos_html(rows.iloc[0:0], ingest, "zh")


# --- on the demo project ------------------------------------------------------------------

def _with_and_without(project: Path) -> tuple[str, str, object]:
    from toolkit.widgets.data import load_results

    r = load_results(project)
    media = pd.read_parquet(project / "output" / "ingest" / "media.parquet")
    h = r.households.assign(KEY=r.households["KEY"].astype(str))
    has = h[h["KEY"].isin(media["KEY"])]["archive_id"].astype(str)
    without = h[~h["KEY"].isin(media["KEY"])]["archive_id"].astype(str)
    assert len(has) and len(without)
    return has.iloc[0], without.iloc[0], r


def test_demo_project_has_photos_and_gps(demo_project: Path) -> None:
    ingest = demo_project / "output" / "ingest"
    media = pd.read_parquet(ingest / "media.parquet")
    assert len(media) >= 2 and (media["bytes"] > 0).all()
    assert all((ingest / f).is_file() for f in media["file"])
    aid, _, r = _with_and_without(demo_project)
    pts = EV.gps_points(r.submissions, r.households)
    assert len(pts) == len(r.households)   # every completed demo visit has a point


def test_walkthrough_pane_shows_photos_or_says_none(project_copy: Path) -> None:
    from toolkit.widgets.walkthrough import Walkthrough

    with_photo, without, r = _with_and_without(project_copy)
    app = Walkthrough(r, project_copy, "zh")
    row = app.order[app.order["archive_id"] == with_photo].iloc[0]
    app.county.value, app.township.value, app.household.value = row["county"], str(row["township"]), with_photo
    html = app.evidence.value
    assert "<img" in html and "data:image/" in html and t("evidence.no_photos", "zh") not in html
    assert "<svg" in html and "米" in html
    row = app.order[app.order["archive_id"] == without].iloc[0]
    app.county.value, app.township.value, app.household.value = row["county"], str(row["township"]), without
    assert "<img" not in app.evidence.value and t("evidence.no_photos", "zh") in app.evidence.value


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists() and os.environ.get("CI") != "true",
                    reason="needs Debian chromium")
def test_walkthrough_shows_the_photo_in_chromium(demo_project: Path, tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    from dashboards_data import ARTIFACTS, Server, launch_browser, wait_rendered

    with_photo, _, _ = _with_and_without(demo_project)
    proj = tmp_path / "proj"
    shutil.copytree(demo_project, proj, ignore=shutil.ignore_patterns(".voila"))
    srv = Server(proj)
    try:
        with sync_api.sync_playwright() as pw:
            ctx = launch_browser(pw)
            page = ctx.new_page()
            page.goto(srv.page("walkthrough", f"lang=zh&household={with_photo}"), timeout=120_000)
            wait_rendered(page, 120_000)
            page.wait_for_selector(".fe-evidence-pane img.fe-photo", timeout=60_000)
            assert page.eval_on_selector(".fe-evidence-pane img.fe-photo", "e => e.naturalWidth") > 0
            assert page.is_visible(".fe-evidence-pane svg.fe-gps-map")
            page.screenshot(path=str(ARTIFACTS / "walkthrough_evidence.png"), full_page=True)
            ctx.close()
    finally:
        srv.stop()
