"""Every high-frequency check: one case that fires and one that must stay silent."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ingest_data import answers, form
from toolkit.errors import UserError
from toolkit.ingest import quality as Q
from toolkit.ingest import validate

S = Q.QualitySettings()


@pytest.fixture(scope="module")
def clean():
    subs = answers(80, seed=21)
    m = subs.main.copy()
    m["archive_id"] = [f"HF{i:05d}" for i in range(len(m))]   # one visit per household
    return replace(subs, main=m)


def _with(subs, **cols):
    m = subs.main.copy()
    for k, v in cols.items():
        m[k] = v
    return replace(subs, main=m)


def test_duplicates(clean) -> None:
    assert Q.duplicates(clean, form(), S).empty
    m = clean.main.copy()
    m.loc[3, "KEY"] = m.loc[2, "KEY"]
    m.loc[9, "archive_id"] = m.loc[8, "archive_id"]
    out = Q.duplicates(replace(clean, main=m), form(), S)
    assert out.groupby("kind").size().to_dict() == {"household": 2, "key": 2}
    assert set(out["count"]) == {2}


def test_duration_too_short_and_too_long(clean) -> None:
    assert Q.duration(clean, form(), S).empty
    end = clean.main["end"].copy()
    end[0] = clean.main["start"][0] + pd.Timedelta(minutes=5)
    end[1] = clean.main["start"][1] + pd.Timedelta(hours=5)
    out = Q.duration(_with(clean, end=end), form(), S)
    assert out["flag"].tolist() == ["too_short", "too_long"]
    assert out["minutes"].tolist() == [5.0, 300.0]


def test_start_after_end(clean) -> None:
    assert Q.start_after_end(clean, form(), S).empty
    end = clean.main["end"].copy()
    end[4] = clean.main["start"][4] - pd.Timedelta(minutes=1)
    out = Q.start_after_end(_with(clean, end=end), form(), S)
    assert out["KEY"].tolist() == [clean.main["KEY"][4]]


def test_outliers_iqr_sd_and_within_groups(clean) -> None:
    flat = clean.main.copy()
    flat["inc_wage"] = np.where(flat["inc_wage"].notna(), 1000.0 + np.arange(len(flat)) % 7, np.nan)
    base = replace(clean, main=flat)
    out = Q.outliers(base, form(), S)
    assert "inc_wage" not in set(out["field"])
    spiked = flat.copy()
    i = int(np.flatnonzero(flat["inc_wage"].notna().to_numpy())[0])
    spiked.loc[i, "inc_wage"] = 900000.0
    out = Q.outliers(replace(clean, main=spiked), form(), S)
    hit = out[out["field"] == "inc_wage"]
    assert set(hit["method"]) == {"iqr", "sd"} and set(hit["value"]) == {900000.0}
    # within groups: 1,500 is ordinary overall but extreme for its own county
    g = spiked.copy()
    g["county_code"] = np.where(np.arange(len(g)) % 2 == 0, "340102", "340103")
    g["inc_wage"] = np.where(g["inc_wage"].notna(), np.where(np.arange(len(g)) % 2 == 0, 1000.0, 2000.0)
                             + np.arange(len(g)) % 3, np.nan)
    j = int(np.flatnonzero((g["inc_wage"].notna() & (g["county_code"] == "340102")).to_numpy())[0])
    g.loc[j, "inc_wage"] = 1500.0
    overall = Q.outliers(replace(clean, main=g), form(), S, group="")
    assert j not in set(overall.loc[overall["field"] == "inc_wage", "KEY"].map(dict(zip(g["KEY"], g.index))))
    within = Q.outliers(replace(clean, main=g), form(), S, group="county_code")
    w = within[(within["field"] == "inc_wage") & (within["method"] == "iqr")]
    assert w["KEY"].tolist() == [g.loc[j, "KEY"]] and w["group"].tolist() == ["340102"]


def test_missingness(clean) -> None:
    out = Q.missingness(clean, form(), S)
    assert not out["flag"].any()
    m = clean.main.copy()
    m.loc[: len(m) // 2, "township"] = None
    out = Q.missingness(replace(clean, main=m), form(), S).set_index("field")
    assert out.loc["township", "flag"] and out.loc["township", "blank_share"] > 0.5
    assert out["flag"].sum() == 1
    assert bool(out.loc["inc_wage", "conditional"])   # in a group asked only with consent


def test_dont_know_and_refusal_rates(clean) -> None:
    sat = np.where(clean.main["sat_overall"].notna(), "4", None)
    out = Q.dont_know(_with(clean, sat_overall=sat), form(), S).set_index("field")
    assert not out.loc["sat_overall", "flag"]
    sat2 = sat.copy()
    answered = np.flatnonzero(pd.notna(sat2))
    sat2[answered[:10]] = "8"
    sat2[answered[10:15]] = "9"
    out = Q.dont_know(_with(clean, sat_overall=sat2), form(), S).set_index("field")
    assert out.loc["sat_overall", "dont_know"] == 10 and out.loc["sat_overall", "refused"] == 5
    assert out.loc["sat_overall", "flag"]


def test_other_specify_listing(clean) -> None:
    m = clean.main.copy()
    for c in ("respondent_type", "head_work_actual", "housing_actual", "main_cause_actual", "housing_now"):
        m[c] = m[c].where(m[c] != "other", None)
    m["help_items"] = m["help_items"].where(~m["help_items"].fillna("").str.contains("other"), "living")
    m["head_work_check"] = "same"
    reps = {k: v.copy() for k, v in clean.repeats.items()}
    reps["member"]["m_relation"] = reps["member"]["m_relation"].where(reps["member"]["m_relation"] != "other",
                                                                      "child")
    reps["member"]["m_work"] = reps["member"]["m_work"].where(reps["member"]["m_work"] != "other", "retired")
    reps["payment"]["pay_item"] = reps["payment"]["pay_item"].where(reps["payment"]["pay_item"] != "other",
                                                                    "living")
    quiet = replace(clean, main=m, repeats=reps)
    assert Q.other_specify(quiet, form(), S).empty
    m2 = m.copy()
    m2.loc[0, "help_items"] = "living other"
    out = Q.other_specify(replace(quiet, main=m2), form(), S)
    assert out[["KEY", "field", "value"]].values.tolist() == [[m2.loc[0, "KEY"], "help_items", "living other"]]


def test_form_versions(clean) -> None:
    out = Q.form_versions(clean, form(), S)
    assert out["outdated"].tolist() == [False]
    v = clean.main["form_version"].copy()
    v[:5] = "2025120101"
    out = Q.form_versions(_with(clean, form_version=v), form(), S)
    assert out.set_index("form_version").loc["2025120101", "submissions"] == 5
    assert out["outdated"].sum() == 1
    # a version not recorded (a Kobo export: __version__ is the deployment id) is not "outdated"
    v[5:8] = None
    out = Q.form_versions(_with(clean, form_version=v), form(), S)
    assert out["outdated"].sum() == 1 and not out.set_index("form_version").loc["", "outdated"]
    from toolkit.ingest.quality_words import check_words

    shown = check_words("form_versions", out, "zh")
    assert "未记录" in set(shown["问卷版本"]) and set(shown["已过时"]) == {"是", "否"}


def test_gps_accuracy_and_distance(clean) -> None:
    cent = pd.DataFrame({"township": clean.main["township"].dropna().unique()})
    cent["latitude"], cent["longitude"] = 31.82, 117.23
    assert Q.gps(clean, form(), S, cent).empty
    m = clean.main.copy()
    m.loc[0, "location_accuracy"] = 350.0
    m.loc[1, "location_latitude"] = 32.9   # ~120 km north
    out = Q.gps(replace(clean, main=m), form(), S, cent)
    assert out["flag"].tolist() == ["accuracy", "distance"]
    assert out["distance_km"].iloc[1] > 100


def test_field_period(clean) -> None:
    s = Q.QualitySettings(field_start=date(2026, 5, 4), field_end=date(2026, 5, 31))
    assert Q.field_period(clean, form(), s).empty
    start = clean.main["start"].copy()
    start[2] = pd.Timestamp("2026-04-30 10:00")
    out = Q.field_period(_with(clean, start=start), form(), s)
    assert out[["field", "flag"]].values.tolist() == [["start", "before_start"]]


def test_devices_shared_by_enumerators(clean) -> None:
    assert Q.devices(clean, form(), S).empty
    dev = clean.main["device_id"].copy()
    other = clean.main["enumerator"] != clean.main["enumerator"][0]
    k = int(np.flatnonzero(other.to_numpy())[0])
    dev[k] = dev[0]
    out = Q.devices(_with(clean, device_id=dev), form(), S)
    assert out["device_id"].tolist() == [dev[0]] and out["n_enumerators"].tolist() == [2]


def test_enumerator_table(clean) -> None:
    out, issues = validate(clean, form())
    table = Q.enumerators(out, form(), S, issues)
    assert table["interviews"].sum() == len(clean.main)
    assert (table["issues"] == 0).all() and (table["issues_per_interview"] == 0).all()
    m = clean.main.copy()
    e0 = m["enumerator"][0]
    rows = np.flatnonzero(((m["enumerator"] == e0) & (m["visit_result"] == "met")).to_numpy())
    m.loc[rows, "housing_now"] = "castle"
    out, issues = validate(replace(clean, main=m), form())
    table = Q.enumerators(out, form(), S, issues).set_index("enumerator")
    assert table.loc[e0, "issues"] == len(rows) and table.loc[e0, "quarantined"] == len(rows)
    assert table.drop(index=e0)["issues"].sum() == 0
    assert table.loc[e0, "median_minutes"] > 0


def test_settings_from_evaluation_toml_table() -> None:
    s = Q.QualitySettings.from_mapping({"min_minutes": 20, "field_start": "2026-05-01",
                                        "field_end": date(2026, 6, 1), "gps_accuracy_m": 30})
    assert s.min_minutes == 20.0 and s.field_start == date(2026, 5, 1) and s.gps_accuracy_m == 30.0
    assert Q.QualitySettings.from_mapping(None) == Q.QualitySettings()
    with pytest.raises(UserError):
        Q.QualitySettings.from_mapping({"min_minutes": "soon"})
    with pytest.raises(UserError):
        Q.QualitySettings.from_mapping({"min_minutes": 90, "max_minutes": 60})


def test_quality_workbook_one_sheet_per_check(clean, tmp_path: Path) -> None:
    out, issues = validate(clean, form())
    res = Q.run_all(out, form(), S, issues=issues)
    assert tuple(res) == Q.CHECKS
    p = Q.write_quality_xlsx(res, tmp_path / "quality.xlsx", lang="en")
    sheets = pd.ExcelFile(p).sheet_names
    assert len(sheets) == len(Q.CHECKS) and "enumerators" in sheets
