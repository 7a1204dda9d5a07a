"""Location integrity at ingest and the maps in the report (issue 22).

One small synthetic project (600 households; its counties carry Hefei's real
area codes), field work simulated with points inside the county polygons and
a few planted problems (truth_locations.csv), ingested and verified once.
The planted problems are all found and no other visit is flagged; the report
(docx, xlsx) carries the verdict map.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from toolkit.maps.location import LocationSettings, check
from toolkit.maps.boundaries import read_geojson
from toolkit.maps.synthetic import write_truth
from toolkit.project import Project
from toolkit.sampling.select import Design
from toolkit.synthetic import make_city, write_city
from toolkit.synthetic_visits import simulate_visits, write_visits
from toolkit.widgets.quality import read_checks

SEED = 11


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("maps") / "p"
    d.mkdir()
    city = make_city(600, SEED)
    write_city(city, d)
    p = Project.open(d)
    design = Design(seed=str(SEED), seed_source="test", strata=("county",), method="two_stage", reserves=3,
                    psu="township", psus_per_stratum=2, per_psu=12)
    sample, _ = p.draw(design, comparison=d / "comparison.xlsx")
    visits = simulate_visits(city, sample.units, sample.reserves, seed=SEED)
    write_truth(visits, d)
    xlsx, _ = write_visits(visits, d / "field_export")
    p.save_dispositions(visits.dispositions)
    p.ingest([xlsx])
    return d


def _flags(project: Path) -> pd.DataFrame:
    return read_checks(project / "output" / "ingest" / "quality.xlsx")["location"]


def test_planted_location_problems_all_found_and_no_clean_visit_flagged(project: Path) -> None:
    truth = pd.read_csv(project / "truth_locations.csv", dtype=str)
    assert set(truth["rule"]) == {"outside", "reused", "accuracy", "speed"}, truth
    flags = _flags(project)
    found = set(zip(flags["KEY"], flags["rule"]))
    planted = set(zip(truth["KEY"], truth["rule"]))
    assert planted <= found, planted - found
    assert set(flags["KEY"]) <= set(truth["KEY"]), set(flags["KEY"]) - set(truth["KEY"])
    subs = pd.read_parquet(project / "output" / "ingest" / "submissions.parquet")
    assert subs["location_latitude"].notna().sum() > 60     # enough clean visits for "none flagged" to mean something
    out = flags[flags["rule"] == "outside"]
    assert (out["distance_m"].astype(float) > 1000).all() and (out["distance_m"].astype(float) < 6000).all()
    assert out["detail"].str.contains("边界外").all() and out["detail"].str.contains("公里").all()
    sp = flags[flags["rule"] == "speed"]
    assert sp["detail"].str.contains("公里/小时").all()


def test_report_carries_the_verdict_map(project: Path) -> None:
    p = Project.open(project)
    p.verify()
    from toolkit.cli import main

    assert main(["report", "--project", str(project), "--format", "docx,xlsx", "--lang", "en"]) == 0
    rep = project / "output" / "report"
    docx = next(rep.glob("*.docx"))
    with zipfile.ZipFile(docx) as z:
        body = z.read("word/document.xml").decode()
    assert "Verdict maps of the headline indicators by county" in body
    assert body.count("<pic:pic") >= 1
    wb = openpyxl.load_workbook(next(rep.glob("*.xlsx")))
    with_image = [ws.title for ws in wb if ws._images]
    assert len(with_image) == 1
    ws = wb[with_image[0]]
    assert ws._images[0].anchor._from.col > ws.max_column - 1     # beside the table, not over it
    names = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert "包河区" in names


# --------------------------------------------------------------------------- the rules on hand-made visits

def _visits(**cols) -> pd.DataFrame:
    n = len(cols["lat"])
    base = {"KEY": [f"k{i}" for i in range(n)], "enumerator": ["A"] * n, "archive_id": [f"h{i}" for i in range(n)],
            "county_code": ["340111"] * n, "township": ["t"] * n,
            "start": pd.date_range("2026-03-01 09:00", periods=n, freq="2h"),
            "location_accuracy": [5.0] * n}
    base.update({k: v for k, v in cols.items() if k not in ("lat", "lon")})
    return pd.DataFrame({**base, "location_latitude": cols["lat"], "location_longitude": cols["lon"]})


# 包河区 (340111) in WGS-84: a point well inside, and one ~10 km east of its eastern edge in 肥东/巢湖
INSIDE = (31.79, 117.31)


def test_rules_each_flag_only_their_visits() -> None:
    lat = [INSIDE[0], INSIDE[0] + 0.002, INSIDE[0] + 0.002, 31.79, INSIDE[0] - 0.003]
    lon = [INSIDE[1], INSIDE[1] + 0.002, INSIDE[1] + 0.002, 117.80, INSIDE[1]]
    v = _visits(lat=lat, lon=lon, location_accuracy=[5.0, 5.0, 5.0, 5.0, 120.0])
    v.loc[3, "start"] = v.loc[2, "start"] + pd.Timedelta(minutes=10)   # ~47 km in 10 minutes
    f = check(v, "location", LocationSettings())
    got = set(zip(f["KEY"], f["rule"]))
    assert got == {("k1", "reused"), ("k2", "reused"), ("k3", "outside"), ("k3", "speed"), ("k4", "accuracy")}, got
    # k4 comes back ~47 km in 3 h 50 min: plausible… unless the limit is lowered below ~12 km/h
    assert check(v, "location", LocationSettings(max_speed_kmh=10))["rule"].eq("speed").sum() == 2
    assert f.loc[f["rule"] == "outside", "distance_m"].iloc[0] > 5000
    from toolkit.maps.location import summary_line

    assert summary_line(f, "zh") == ("定位核查：不在所报区县内 1，定位精度差 1，不同家庭同一坐标 2，移动速度不可能 1"
                                     "（见 quality.xlsx 的“定位核查”表）")
    assert summary_line(f.iloc[0:0], "en") == ""


def test_speed_limit_and_accuracy_come_from_settings() -> None:
    s = LocationSettings.from_mapping({"max_speed_kmh": 500, "gps_accuracy_m": 200})
    lat = [INSIDE[0], 31.79, INSIDE[0] - 0.003]
    lon = [INSIDE[1], 117.80, INSIDE[1]]
    v = _visits(lat=lat, lon=lon, location_accuracy=[5.0, 5.0, 120.0])
    v.loc[1, "start"] = v.loc[0, "start"] + pd.Timedelta(minutes=10)
    assert set(check(v, "location", s)["rule"]) == {"outside"}
    from toolkit.errors import UserError

    with pytest.raises(UserError) as e:
        LocationSettings.from_mapping({"max_speed_kmh": "fast"})
    assert "max_speed_kmh" in e.value.message("en")


def test_township_layer_flags_points_outside_their_township(tmp_path: Path) -> None:
    square = [[[117.30, 31.78], [117.32, 31.78], [117.32, 31.80], [117.30, 31.80], [117.30, 31.78]]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "骆岗街道"}, "geometry": {"type": "Polygon", "coordinates": square}}]}
    path = tmp_path / "townships.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    layer = read_geojson(path)
    v = _visits(lat=[31.79, 31.79, 31.79], lon=[117.31, 117.33, 117.31], township=["骆岗街道", "骆岗街道", "不存在街道"])
    v["archive_id"] = ["a", "b", "c"]
    v.loc[2, "location_latitude"] = 31.791
    f = check(v, "location", LocationSettings(), townships=layer)
    tw = f[f["rule"] == "township"]
    assert tw["KEY"].tolist() == ["k1"]
    assert 900 < float(tw["distance_m"].iloc[0]) < 1000        # 0.01° of longitude at 31.79°N ≈ 946 m
    assert f[f["rule"] == "unknown"]["KEY"].tolist() == ["k2"]
    assert np.isfinite(f["latitude"]).all()
