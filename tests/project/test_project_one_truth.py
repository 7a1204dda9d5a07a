"""One evaluation, one truth: a project whose visits include households outside
the drawn sample (and a comparison frame) shows the same household counts,
rates and intervals in scorecard.csv, the report's docx/xlsx, the fix list, the
leadership dashboard's data and ``fieldeval estimate``; outside visits appear
only in their own table and never reach a number."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.cli import main
from toolkit.project import Project
from toolkit.sampling.select import Design
from toolkit.synthetic import make_city, write_city
from toolkit.synthetic_visits import simulate_visits, write_visits
from toolkit.verify.indicators import ALL

SEED = 7
OUTSIDE_N = 12


def _add_outside_visits(xlsx: Path, roster: pd.DataFrame, population: set[str], comparison: pd.DataFrame) -> list[str]:
    """Copy completed submissions onto households that were never drawn
    (roster households and comparison households): ``OUTSIDE_N`` extra visits."""
    sheets = pd.read_excel(xlsx, sheet_name=None, dtype={"archive_id": str})
    sub = sheets["submissions"]
    met = sub[sub["visit_result"] == "met"].head(OUTSIDE_N).copy()
    never = [a for a in roster["archive_id"].astype(str) if a not in population][: OUTSIDE_N - 2]
    never += [a for a in comparison["comparison_id"].astype(str) if a not in population][:2]
    assert len(never) == OUTSIDE_N
    old_keys = met["KEY"].tolist()
    met["archive_id"] = never
    met["KEY"] = [f"uuid:outside-{i:04d}" for i in range(OUTSIDE_N)]
    key_map = dict(zip(old_keys, met["KEY"]))
    sheets["submissions"] = pd.concat([sub, met], ignore_index=True)
    for rep in ("member", "payment"):
        r = sheets[rep]
        extra = r[r["PARENT_KEY"].isin(key_map)].copy()
        extra["PARENT_KEY"] = extra["PARENT_KEY"].map(key_map)
        extra["KEY"] = extra["PARENT_KEY"] + "/" + rep + "[" + extra.groupby("PARENT_KEY").cumcount().add(1).astype(str) + "]"
        sheets[rep] = pd.concat([r, extra], ignore_index=True)
    with pd.ExcelWriter(xlsx, engine="openpyxl") as xw:
        for name, frame in sheets.items():
            frame.to_excel(xw, index=False, sheet_name=name)
    return never


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("onetruth")
    city = make_city(900, SEED)
    write_city(city, d)
    p = Project.open(d)
    design = Design(seed=str(SEED), seed_source="test", strata=("county",), method="two_stage", reserves=3,
                    psu="township", psus_per_stratum=2, per_psu=12)
    sample, _ = p.draw(design, comparison=d / "comparison.xlsx")
    visits = simulate_visits(city, sample.units, sample.reserves, seed=SEED)
    xlsx, _ = write_visits(visits, d / "field_export")
    p.save_dispositions(visits.dispositions)
    population = set(sample.units["archive_id"].astype(str)) | set(sample.reserves["archive_id"].astype(str))
    outside = _add_outside_visits(xlsx, city.roster, population, city.comparison)
    p.ingest([xlsx])
    results = p.verify(lang="zh")
    return {"dir": d, "project": p, "results": results, "outside": outside, "visits": visits}


def test_outside_visits_are_listed_never_counted(project):
    r = project["results"]
    assert sorted(r.outside["archive_id"]) == sorted(project["outside"])
    assert not set(project["outside"]) & set(r.households["archive_id"])
    assert not set(project["outside"]) & set(r.evidence["archive_id"])
    assert not set(project["outside"]) & set(r.submissions["archive_id"].astype(str))
    completed = int((project["visits"].dispositions["code"] == "completed").sum())
    assert r.interviewed == completed          # every completed sampled visit, nothing else


def test_scorecard_counts_are_the_sampled_households(project):
    r = project["results"]
    card = r.scorecard
    hh = r.households
    wi = card[(card["indicator"] == "wrong_inclusion")].set_index("county")
    # the interval's n is the number of sampled households in the indicator's denominator
    expect = hh[hh["wrong_inclusion"].notna()].groupby("county").size()
    for county, n in expect.items():
        assert int(wi.loc[county, "n"]) == n
    assert int(wi.loc[ALL, "n"]) == int(expect.sum())
    # the findings table counts the same households as the estimate's numerator
    fb = r.findings.set_index(["finding", "county"])
    flagged = int(hh["wrong_inclusion"].eq(1).sum())
    assert int(fb.loc[("wrong_inclusion", ALL), "flagged"]) == flagged


def test_stored_scorecard_csv_equals_the_results(project):
    from toolkit.verify import scorecard as sc

    r = project["results"]
    csv = pd.read_csv(project["project"].paths.verify / "scorecard.csv", dtype=str, keep_default_na=False)
    again = sc.presentable(r.scorecard, "zh").astype(str).replace({"nan": ""})
    assert csv.shape == again.shape


def test_report_shows_the_same_households_and_rates(project):
    from docx import Document

    from toolkit.report import build_report

    d, r = project["dir"], project["results"]
    files = build_report(d, ("docx", "xlsx"), "zh")
    text = "\n".join(p.text for p in Document(files["docx"]).paragraphs)
    assert f"{r.interviewed} 户" in text
    assert f"样本外走访 {len(r.outside)} 份" in text
    xl = pd.read_excel(files["xlsx"], sheet_name=None)
    # the outside table lists every outside visit once, by pseudonym, and no other table names them
    from toolkit.roster.privacy import pseudonyms

    key = project["project"].evaluation.key()
    outside_ps = set(pseudonyms(pd.Series(project["outside"]), key))
    outside_sheets = [name for name, f in xl.items() if f.astype(str).isin(outside_ps).any().any()]
    assert len(outside_sheets) == 1
    sheet = xl[outside_sheets[0]]
    assert sheet.astype(str).isin(outside_ps).sum().sum() == len(outside_ps)
    # the scorecard sheet shows the stored estimate (percent, one decimal) for every county
    from toolkit.verify import scorecard as sc

    from toolkit.i18n import t

    pres = sc.presentable(r.scorecard, "zh")
    sheet_card = pd.read_excel(files["xlsx"], sheet_name=t("report.table.scorecard", "zh")[:31], header=2,
                               nrows=len(pres))   # a note follows the table
    assert list(sheet_card.columns) == list(pres.columns) and len(sheet_card) == len(pres)
    est = pres.columns[3]
    assert np.allclose(sheet_card[est].to_numpy(float), pres[est].to_numpy(float), equal_nan=True)


def test_fix_list_names_only_sampled_households(project):
    from toolkit.report.content import fix_list
    from toolkit.report.gather import from_project
    from toolkit.roster.privacy import pseudonyms

    inputs = from_project(project["dir"])
    fl = fix_list(inputs, "zh")
    named = set("、".join(fl.iloc[:, 6].astype(str)).split("、")) - {""}
    key = project["project"].evaluation.key()
    assert not named & set(pseudonyms(pd.Series(project["outside"]), key))
    sampled = set(pseudonyms(project["results"].households["archive_id"].astype(str), key))
    assert named <= sampled
    # an indicator at 0 % has no household to fix, and the households listed
    # under an indicator are exactly its flagged sampled households
    for row in fl.itertuples(index=False):
        county, households = row[0], row[6]
        if row[2] == 0.0:
            assert households == ""
        assert county in {c.name for c in project["project"].evaluation.counties}


def test_leadership_data_equals_the_scorecard(project):
    from toolkit.widgets.data import load_results
    from toolkit.widgets.leadership import cards, finding_counts

    lr = load_results(project["dir"])
    r = project["results"]
    pd.testing.assert_frame_equal(lr.scorecard.reset_index(drop=True), r.scorecard.reset_index(drop=True))
    c = cards(lr.scorecard, ALL, "zh")
    assert len(c)
    fc = finding_counts(lr.households, ALL, "zh", lr.small_cell)
    n = int(r.households["wrong_exit"].eq(1).sum())
    row = fc.iloc[2]   # 错退 in FINDING_FLAGS order
    assert row["households"] == (str(n) if n == 0 or n >= lr.small_cell else f"<{lr.small_cell}")
    assert not set(project["outside"]) & set(lr.households["archive_id"])


def test_estimate_command_gives_the_scorecard_interval(project, tmp_path, capsys):
    r = project["results"]
    data = tmp_path / "households.parquet"
    hh = r.households
    hh[hh["wrong_inclusion"].notna()].to_parquet(data)
    assert main(["estimate", str(data), "--strata", "_stratum", "--psu", "_psu", "--weights", "_w",
                 "--proportion", "wrong_inclusion", "--by", "county", "--project", str(project["dir"]),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ci"] == "wilson"
    card = r.scorecard[r.scorecard["indicator"] == "wrong_inclusion"].set_index("county")
    for rec in out["results"]:
        row = card.loc[str(rec["county"])]
        assert rec["estimate"] == pytest.approx(row["estimate"], abs=1e-12)
        assert rec["ci_low"] == pytest.approx(row["ci_low"], abs=1e-9)
        assert rec["ci_high"] == pytest.approx(row["ci_high"], abs=1e-9)


def test_rr1_from_the_field_equals_a_hand_count(project):
    r = project["results"]
    d = project["visits"].dispositions
    completed = int((d["code"] == "completed").sum())
    ineligible = int(d["code"].isin(["deceased", "not_eligible"]).sum())
    released = len(set(d["archive_id"]))
    whole = r.response.set_index("county").loc[ALL]
    assert whole["rr1"] == pytest.approx(completed / (released - ineligible))


def test_results_are_private_and_no_pickle(project):
    folder = project["project"].paths.verify
    assert folder.stat().st_mode & 0o777 == 0o700
    for f in folder.iterdir():
        assert f.stat().st_mode & 0o077 == 0, f
        assert f.suffix != ".pickle"


def test_stale_results_are_refreshed_for_the_report(project):
    p = project["project"]
    assert not p.is_stale()
    ev = p.evaluation
    cfg = ev.root / "evaluation.toml"
    text = cfg.read_text(encoding="utf-8")
    try:
        cfg.write_text(text + "\n[estimation]\nci = \"korn-graubard\"\n", encoding="utf-8")
        p2 = Project.open(ev.root)
        assert p2.is_stale()
        r2 = p2.results(refresh=True)
        assert r2.ci == "korn-graubard" and not p2.is_stale()
        w = project["results"].scorecard
        k = r2.scorecard
        assert np.allclose(w["estimate"].to_numpy(float), k["estimate"].to_numpy(float), equal_nan=True)
    finally:
        cfg.write_text(text, encoding="utf-8")
        Project.open(ev.root).verify(record=False)
