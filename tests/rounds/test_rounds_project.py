"""Rounds on a small synthetic project: baseline → panel follow-up (fixes planted
in two counties) → a fresh follow-up; the stored change table, the panel's
re-derivation (a changed pick is detected), the paired interval narrower than
the independent one, the report section and the leadership pane in words."""
from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from toolkit.cli import main
from toolkit.errors import UserError
from toolkit.project import Project
from toolkit.project import rounds
from toolkit.sampling.select import Design
from toolkit.survey.change import change
from toolkit.synthetic import make_city, write_city
from toolkit.synthetic_rounds import improved_city, planted_counties, play_round

SEED = 5


@pytest.fixture(scope="module")
def proj(tmp_path_factory) -> dict:
    d = tmp_path_factory.mktemp("rounds")
    city = make_city(600, SEED)
    write_city(city, d)
    p = Project.open(d)
    design = Design(seed=str(SEED), seed_source="test", strata=("county",), method="two_stage", reserves=3,
                    psu="township", psus_per_stratum=3, per_psu=12)
    p.draw(design, comparison=d / "comparison.xlsx")
    base = play_round(p, city, seed=SEED, ingest=False, record=False)
    r = rounds.start(p, "follow", seed="s2", panel=0.5)   # (planted counties chosen from the baseline below)
    p = Project.open(d)
    counties = tuple(c.name for c in p.evaluation.counties)
    better, same = planted_counties(base.scorecard, counties)
    after = play_round(p, improved_city(city, better, share=0.95, seed=SEED), seed=SEED, ingest=False,
                       record=False)
    return {"dir": d, "city": city, "base": base, "after": after, "info": r, "counties": counties,
            "better": better, "same": same}


def test_closed_round_is_kept(proj):
    d = proj["dir"]
    p = Project.open(d)
    assert p.current_round() == "follow"
    kept = p.paths.rounds / "current"
    assert (kept / "stages" / "sample" / "manifest.json").exists()
    assert (kept / "stages" / "verify" / "meta.json").exists()
    frame = rounds.read_frame(p, "current")
    assert {"_stratum", "_psu", "_w", "_fpc", "county", "needs_identified", "pay_full"} <= set(frame.columns)
    assert len(frame) == len(proj["base"].households)
    assert rounds.info(p).kind == "panel" and rounds.info(p).previous == "current"


def test_panel_is_half_of_each_township(proj):
    p = Project.open(proj["dir"])
    base = proj["base"].households
    s = p.sample()
    got = (s.units["stratum"] + "/" + s.units["psu"]).value_counts()
    from toolkit.project.sample import read_sample

    old = read_sample(p.paths.rounds / "current" / "stages" / "sample")
    both = pd.concat([old.units, old.reserves])
    psu = (both["stratum"] + "/" + both["psu"]).set_axis(both["archive_id"])
    n = base["archive_id"].map(psu).value_counts()
    assert (got == np.ceil(0.5 * n.reindex(got.index))).all()
    assert set(s.units["archive_id"]) <= set(base["archive_id"])


def test_change_stored_paired(proj):
    ch = rounds.read_change(proj["after"].evaluation)
    assert ch is not None and len(ch)
    assert ch["paired"].all()
    assert set(ch["before_round"]) == {"current"} and set(ch["after_round"]) == {"follow"}
    assert {"全市", *proj["counties"]} == set(ch["county"])
    w = ch[ch["county"] == "全市"].set_index("indicator")
    assert (w["ci_low"] <= w["change"]).all() and (w["change"] <= w["ci_high"]).all()


def test_planted_improvements_show(proj):
    ch = rounds.read_change(proj["after"].evaluation).set_index(["indicator", "county"])
    good, none = proj["better"], proj["same"]
    moved = sum(ch.loc[("needs_identified", c), "change"] + ch.loc[("helper_coverage", c), "change"] for c in good)
    assert moved > 0.05
    assert abs(ch.loc[("needs_identified", none), "change"]) < 0.02


def test_paired_narrower_than_independent(proj):
    p = Project.open(proj["dir"])
    before, after = rounds.read_frame(p, "current"), proj["after"].households
    paired = change(before, after, paired=True, measures=rounds.measures()).set_index(["indicator", "county"])
    indep = change(before, after, paired=False, measures=rounds.measures()).set_index(["indicator", "county"])
    for ind in ("needs_identified", "helper_coverage"):   # a household's lasting state: correlated rounds
        assert paired.loc[(ind, "全市"), "se"] < indep.loc[(ind, "全市"), "se"]


def test_panel_verifies_and_a_changed_pick_is_detected(proj, tmp_path, capsys):
    assert rounds.verify_panel(Project.open(proj["dir"])).ok
    assert main(["round", "verify", "--project", str(proj["dir"]), "--lang", "en"]) == 0
    d = tmp_path / "copy"
    shutil.copytree(proj["dir"], d)
    from toolkit.sampling.sample_files import read_sample_table, write_sample_table

    p = Project.open(d)
    units = read_sample_table(p.paths.sample / "sample.csv")
    res = read_sample_table(p.paths.sample / "reserves.csv")
    swap_out, swap_in = units["archive_id"].iloc[0], res["archive_id"].iloc[0]
    units.loc[0, "archive_id"], res.loc[0, "archive_id"] = swap_in, swap_out
    write_sample_table(units, p.paths.sample / "sample.csv")
    write_sample_table(res, p.paths.sample / "reserves.csv")
    c = rounds.verify_panel(p)
    assert not c.ok and swap_out in c.missing and swap_in in c.extra
    capsys.readouterr()
    assert main(["round", "verify", "--project", str(d), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert swap_out in out and "differs" in out
    # fieldeval sample verify on a panel's manifest checks it by the panel rule, not the main draw's
    for where, rc in ((proj["dir"], 0), (d, 1)):
        m = Project.open(where).paths.sample / "manifest.json"
        assert main(["sample", "verify", str(m), "--roster", str(m), "--lang", "en"]) == rc
    out = capsys.readouterr().out
    assert "panel" in out and swap_out in out


def test_start_refuses_mistakes(proj, tmp_path):
    d = tmp_path / "copy2"
    shutil.copytree(proj["dir"], d)
    p = Project.open(d)
    with pytest.raises(UserError):
        rounds.start(p, "x", seed="1", panel=0.5, fresh=True)
    with pytest.raises(UserError):
        rounds.start(p, "x", seed="1", panel=1.5)
    with pytest.raises(UserError):
        rounds.start(p, "current", seed="1", panel=0.5)   # a closed round's name
    (p.paths.ingest / "meta.json").touch()                  # an input changed: results out of date
    import os
    os.utime(p.paths.ingest / "submissions.parquet", ns=(1, 1))
    with pytest.raises(UserError) as e:
        rounds.start(p, "x", seed="1", panel=0.5)
    assert e.value.key == "rounds.verify_first"


def test_status_shows_change_in_words(proj, capsys):
    capsys.readouterr()
    assert main(["round", "status", "--project", str(proj["dir"]), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "95 % interval of the change" in out and "Needs identification rate" in out


def test_report_and_dashboard_show_change_in_words(proj):
    from toolkit.report.rounds_section import section
    from toolkit.widgets.rounds_pane import change_html

    res = proj["after"]
    sec = section(rounds.read_change(res.evaluation), "en")
    tab = sec.tables[0].frame
    text = " ".join(sec.paragraphs) + tab.to_csv()
    assert "paired design" in text
    for code in ("no_change", "undetermined", "nan", "NaN", "True", "False", "needs_identified"):
        assert code not in text
    assert set(tab["Conclusion"]) <= {"significant improvement", "significant worsening", "no significant change",
                                      "cannot be judged"}
    html = str(change_html(res, proj["counties"][0], "zh"))
    assert "较上一轮的变化" in html and "需求识别准确率" in html and "archive_id" not in html


def test_fresh_round_draws_anew(proj, capsys):
    """Last: it moves the fixture project on to a third round."""
    d = proj["dir"]
    before = set(Project.open(d).sample().units["archive_id"])
    assert main(["round", "start", "--project", str(d), "--name", "third", "--fresh", "--seed", "99",
                 "--comparison", str(d / "comparison.xlsx"), "--lang", "en"]) == 0
    p = Project.open(d)
    assert p.current_round() == "third" and rounds.info(p).kind == "fresh" and rounds.info(p).previous == "follow"
    s = p.sample()
    assert s.manifest["seed"]["value"] == "99" and "panel" not in s.manifest
    assert set(s.units["archive_id"]) != before
    assert rounds.read_frame(p, "follow") is not None
    capsys.readouterr()
    assert main(["round", "status", "--project", str(d), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Baseline" in out and "Follow-up (panel)" in out and "Follow-up (fresh sample)" in out
