"""The evaluator's review decides the numbers (issue 17).

One small synthetic project, verified once; each test works on its own copy
of the project directory (store included). An overturned 错退 finding lowers
its county's 错退 estimate by exactly the household's weight over the
county's weighted 错退 denominator (hand computation below); the same
decision recorded through the walkthrough's logic, the CLI and the xlsx
round trip gives the same scorecard; a stale workbook row is refused in
words; a rejected submission leaves the sample as a non-response; the queue
is reproducible; every decision is in the append-only audit log.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from toolkit.cli import main
from toolkit.errors import UserError
from toolkit.i18n import t
from toolkit.project import Project
from toolkit.project import review as rv
from toolkit.sampling.select import Design
from toolkit.synthetic import make_city, write_city
from toolkit.synthetic_visits import simulate_visits, write_visits
from toolkit.verify.indicators import ALL

SEED = 7


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("review") / "p"
    d.mkdir()
    city = make_city(900, SEED)
    write_city(city, d)
    p = Project.open(d)
    design = Design(seed=str(SEED), seed_source="test", strata=("county",), method="two_stage", reserves=3,
                    psu="township", psus_per_stratum=2, per_psu=12)
    sample, _ = p.draw(design, comparison=d / "comparison.xlsx")
    visits = simulate_visits(city, sample.units, sample.reserves, seed=SEED)
    xlsx, _ = write_visits(visits, d / "field_export")
    p.save_dispositions(visits.dispositions)
    p.ingest([xlsx])
    p.verify()
    return d


def _copy(base: Path, tmp_path: Path) -> Project:
    d = tmp_path / "p"
    shutil.copytree(base, d)
    return Project.open(d)


def _wrong_exit(p: Project) -> tuple[str, str]:
    ev = p.results().evidence
    we = ev[(ev["finding"] == "wrong_exit") & ev["flagged"].astype(bool)].sort_values("archive_id")
    assert len(we), "the synthetic city plants wrong exits"
    return str(we["archive_id"].iloc[0]), str(we["county"].iloc[0])


def _card(r) -> pd.DataFrame:  # noqa: ANN001
    return r.scorecard.set_index(["indicator", "county"])


def test_as_found_equals_after_review_without_decisions(base: Path) -> None:
    card = Project.open(base).results().scorecard
    for a, b in (("estimate", "estimate_as_found"), ("ci_low", "ci_low_as_found"), ("ci_high", "ci_high_as_found")):
        assert np.allclose(card[a].to_numpy(float), card[b].to_numpy(float), equal_nan=True)
    assert (card["decisions"] == 0).all()


def test_overturned_wrong_exit_lowers_estimate_by_hand_computed_amount(base: Path, tmp_path: Path) -> None:
    p = _copy(base, tmp_path)
    before = p.results()
    aid, county = _wrong_exit(p)
    hh = before.households
    dom = hh[(hh["county"] == county) & hh["wrong_exit"].notna()].set_index("archive_id")
    # hand computation: a weighted share Σ w·y / Σ w; y of one household goes 1 → 0, weights unchanged
    expected_drop = dom.loc[aid, "_w"] / dom["_w"].sum()
    est0 = (dom["_w"] * dom["wrong_exit"]).sum() / dom["_w"].sum()
    assert _card(before).loc[("wrong_exit", county), "estimate"] == pytest.approx(est0)
    assert main(["review", "set", "--project", str(p.root), "--archive-id", aid, "--finding", "wrong_exit",
                 "--decision", "overturned", "--why", "低保 ledger shows a pension", "--who", "王评估"]) == 0
    assert p.is_stale()                                 # a new decision makes the results out of date
    after = p.results(refresh=True)
    row = _card(after).loc[("wrong_exit", county)]
    assert row["estimate"] == pytest.approx(est0 - expected_drop, abs=1e-12)
    assert row["estimate_as_found"] == pytest.approx(est0)
    assert row["decisions"] == 1
    # the household's other verdicts follow: precision recomputed
    h = after.households.set_index("archive_id").loc[aid]
    assert h["wrong_exit"] == 0 and h["precision_error"] == 0 and h["overall_precision"] == 1
    other = [c for c in before.scorecard["county"].unique() if c not in (county, ALL)][0]
    assert _card(after).loc[("wrong_exit", other), "decisions"] == 0
    assert _card(after).loc[("wrong_exit", other), "estimate"] == _card(before).loc[("wrong_exit", other), "estimate"]
    meta = after.review["meta"]
    assert meta["overturned"] == 1 and meta["decisions"] == 1
    assert after.review["overturned"]["archive_id"].tolist() == [aid]


def test_three_paths_give_the_same_scorecard(base: Path, tmp_path: Path) -> None:
    from toolkit.widgets.walkthrough import record_override

    cards = []
    # 1. the walkthrough's logic (its word for overturned is "rejected")
    p1 = _copy(base, tmp_path / "a")
    aid, _ = _wrong_exit(p1)
    record_override(p1.root, p1.results().evidence, aid, "wrong_exit", "rejected", "王评估", "pension on file")
    cards.append(p1.verify().scorecard)
    # 2. the command line
    p2 = _copy(base, tmp_path / "b")
    assert main(["review", "set", "--project", str(p2.root), "--archive-id", aid, "--finding", "wrong_exit",
                 "--decision", "overturned", "--why", "pension on file"]) == 0
    cards.append(p2.verify().scorecard)
    # 3. the xlsx round trip (the finding's name in words, as exported)
    p3 = _copy(base, tmp_path / "c")
    out = tmp_path / "queue.xlsx"
    assert main(["review", "export", "--project", str(p3.root), "--out", str(out)]) == 0
    _fill(out, aid, "错退", "推翻", "pension on file")
    assert main(["review", "import", str(out), "--project", str(p3.root), "--who", "李评估"]) == 0
    cards.append(p3.verify().scorecard)
    for c in cards[1:]:
        pd.testing.assert_frame_equal(cards[0], c)
    assert cards[0]["decisions"].sum() > 0


def _fill(path: Path, aid: str, finding_prefix: str, decision: str, reason: str) -> int:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    head = [c.value for c in ws[3]]
    col = {h: i + 1 for i, h in enumerate(head)}
    hit = 0
    for r in range(4, ws.max_row + 1):
        if ws.cell(r, col["档案号"]).value == aid and str(ws.cell(r, col["核查发现"]).value).startswith(finding_prefix):
            ws.cell(r, col["复核结论"], decision)
            ws.cell(r, col["理由"], reason)
            hit = r
    wb.save(path)
    assert hit
    return hit


def test_export_is_words_only_with_hash(base: Path, tmp_path: Path) -> None:
    p = _copy(base, tmp_path)
    path, rows, (done, total) = rv.export(p, tmp_path / "q.xlsx", "zh")
    assert rows == total and done == 0
    grid = pd.read_excel(path, header=2, dtype=str)
    grid = grid[grid["证据校验码"].notna()]          # the progress note sits under the table
    assert list(grid.columns)[:3] == ["档案号", "县区", "核查发现"]
    text = " ".join(grid.drop(columns=["档案号", "证据校验码"]).fillna("").astype(str).to_numpy().ravel())
    for code in ("wrong_exit", "net_pc", "True", "False", "nan", "archive_mismatch"):
        assert code not in text
    assert grid["证据校验码"].str.fullmatch(r"[0-9a-f]{16}").all()


def test_stale_row_is_refused_in_words(base: Path, tmp_path: Path, capsys) -> None:
    p = _copy(base, tmp_path)
    aid, _ = _wrong_exit(p)
    out = tmp_path / "queue.xlsx"
    rv.export(p, out, "zh")
    row = _fill(out, aid, "错退", "推翻", "pension on file")
    # the evidence changes after the export (a corrected visit, verified again)
    f = p.paths.verify / "findings.parquet"
    ev = pd.read_parquet(f)
    hit = (ev["archive_id"] == aid) & (ev["finding"] == "wrong_exit")
    ev.loc[hit, "visit_value"] = "net_pc=1.0"
    ev.to_parquet(f, index=False)
    assert main(["review", "import", str(out), "--project", str(p.root)]) == 1
    said = capsys.readouterr().out
    assert f"第 {row} 行" in said and aid in said and "证据已改变" in said
    assert len(p.decisions().findings) == 0
    res = rv.import_workbook(p, out, lang="en")
    assert res.recorded == 0 and "evidence changed since the export" in res.refused[0][1]


def test_bad_decision_and_unknown_finding_in_words(base: Path, tmp_path: Path) -> None:
    p = _copy(base, tmp_path)
    aid, _ = _wrong_exit(p)
    with pytest.raises(UserError) as e:
        rv.decide(p, aid, "wrong_exit", "maybe", "x", "me")
    assert "maybe" in e.value.message("en") and "confirmed" in e.value.message("en")
    with pytest.raises(UserError) as e:
        rv.decide(p, aid, "no_such_finding", "confirmed", "x", "me")
    assert aid in e.value.message("zh")


def test_rejected_submission_leaves_the_sample(base: Path, tmp_path: Path) -> None:
    p = _copy(base, tmp_path)
    before = p.results()
    hh = before.households
    aid = str(hh["archive_id"].iloc[0])
    psu = hh.loc[hh["archive_id"] == aid, ["_stratum", "_psu"]].iloc[0]
    same = (hh["_stratum"] == psu["_stratum"]) & (hh["_psu"] == psu["_psu"])
    total_w = hh.loc[same, "_w"].sum()
    completed0 = int(before.response.loc[before.response["county"] == ALL, "completed"].iloc[0])
    assert main(["review", "status", "--project", str(p.root), "--submission", aid, "--status", "rejected",
                 "--why", "interview not done in person", "--who", "王评估"]) == 0
    after = p.verify()
    h2 = after.households
    assert aid not in set(h2["archive_id"])
    assert after.interviewed == before.interviewed - 1
    same2 = (h2["_stratum"] == psu["_stratum"]) & (h2["_psu"] == psu["_psu"])
    if same2.any():       # the others in the PSU carry its weight (non-response within the PSU)
        assert h2.loc[same2, "_w"].sum() == pytest.approx(total_w)
    completed1 = int(after.response.loc[after.response["county"] == ALL, "completed"].iloc[0])
    assert completed1 == completed0 - 1
    assert after.review["meta"]["rejected"] == 1
    # the as-found figures still count it
    assert (after.scorecard["decisions"] > 0).any()


def test_queue_is_reproducible_and_counts_progress(base: Path, tmp_path: Path) -> None:
    p = _copy(base, tmp_path)
    q1, q2 = rv.current_queue(p), rv.current_queue(p)
    pd.testing.assert_frame_equal(q1, q2)
    ev = p.results().evidence
    flagged = set(ev.loc[ev["flagged"].astype(bool), "archive_id"])
    assert flagged <= set(q1["archive_id"])
    rest = set(ev["archive_id"]) - set(q1.loc[q1["why"] != "random", "archive_id"])
    rand = set(q1.loc[q1["why"] == "random", "archive_id"])
    assert len(rand) == int(np.ceil(0.10 * len(rest | rand)))
    assert rv.progress(q1) == (0, len(q1))
    aid, _ = _wrong_exit(p)
    rv.decide(p, aid, "wrong_exit", "confirmed", "seen the ledger", "王评估")
    done, total = rv.progress(rv.current_queue(p))
    assert (done, total) == (1, len(q1))


def test_random_pick_is_order_free() -> None:
    ids = pd.Series([f"H{i:03d}" for i in range(50)])
    a = rv.random_pick(ids, "seed", 0.1)
    b = rv.random_pick(ids.sample(frac=1, random_state=3), "seed", 0.1)
    assert a == b and len(a) == 5
    assert rv.random_pick(ids, "other", 0.1) != a


def test_platform_held_submission_enters_queue() -> None:
    ev = pd.DataFrame({"archive_id": ["A", "B", "C"], "county": "x", "finding": "wrong_exit",
                       "flagged": [True, False, False], "archive_value": "", "visit_value": "", "rule": ""})
    sub = pd.DataFrame({"KEY": ["k1", "k2", "k3"], "archive_id": ["A", "B", "C"],
                        "_review_state": ["received", "has_issues", "received"]})
    q = rv.queue(ev, sub, rv.empty_decisions(), seed="s", fraction=0.0, quality={"k3"})
    assert dict(zip(q["archive_id"], q["why"])) == {"A": "finding", "B": "platform", "C": "quality"}
    assert q.loc[q["archive_id"] == "B", "platform_state"].iloc[0] == "has_issues"


def test_audit_holds_every_decision_and_cannot_be_edited(base: Path, tmp_path: Path) -> None:
    from toolkit.store import open_store

    p = _copy(base, tmp_path)
    aid, _ = _wrong_exit(p)
    rv.decide(p, aid, "wrong_exit", "overturned", "first look", "王评估")
    rv.decide(p, aid, "wrong_exit", "confirmed", "second look", "李评估")
    rv.set_status(p, aid, "sent_back", "ask again about the pension", "王评估")
    with open_store(p.evaluation) as st:
        a = st.audit()
        dec = a[a["table_name"] == "findings"]
        assert dec["value_after"].tolist()[-2:] == ["overturned", "confirmed"]
        assert dec["who"].tolist()[-2:] == ["王评估", "李评估"]
        assert dec["value_before"].tolist()[-1] == "overturned"
        sr = a[a["table_name"] == "submission_reviews"]
        assert sr["value_after"].tolist() == ["sent_back"]
        assert st.decisions()["decision"].tolist()[-1] == "confirmed"        # the latest counts
        assert not any(hasattr(st, n) for n in ("update_audit", "delete_audit", "edit_decision"))
        with pytest.raises(sa.exc.DBAPIError):
            with st.engine.begin() as conn:
                conn.execute(sa.text("UPDATE audit_log SET who = 'x'"))
        with pytest.raises(sa.exc.DBAPIError):
            with st.engine.begin() as conn:
                conn.execute(sa.text("DELETE FROM audit_log"))
        s = st.submission_reviews()
        assert s["status"].tolist() == ["sent_back"] and s["comment"].tolist() == ["ask again about the pension"]


def test_rounds_are_kept_where_earlier_rounds_reads_them(base: Path, tmp_path: Path) -> None:
    p = _copy(base, tmp_path)
    kept = p.paths.rounds / "current" / "scorecard.parquet"
    assert kept.exists()
    pd.testing.assert_frame_equal(pd.read_parquet(kept), p.results().scorecard, check_dtype=False)
    toml = p.root / "evaluation.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[project]\nround = "2027"\n', encoding="utf-8")
    p2 = Project.open(p.root)
    assert p2.current_round() == "2027"
    assert "current" in p2.earlier_rounds()
    from toolkit.store import open_store

    with open_store(p.evaluation) as st:
        assert "current" in st.rounds()["name"].tolist()


def test_share_setting(base: Path, tmp_path: Path) -> None:
    p = _copy(base, tmp_path)
    assert rv.share(p.evaluation) == 0.10
    toml = p.root / "evaluation.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[review]\nshare = 25\n", encoding="utf-8")
    assert rv.share(Project.open(p.root).evaluation) == 0.25
    toml.write_text(toml.read_text(encoding="utf-8").replace("share = 25", 'share = "lots"'), encoding="utf-8")
    with pytest.raises(UserError) as e:
        rv.share(Project.open(p.root).evaluation)
    assert "lots" in e.value.message("en")


def test_report_states_rule_counts_and_lists_overturned_deidentified(base: Path, tmp_path: Path) -> None:
    from toolkit.report import content, gather
    from toolkit.roster.privacy import pseudonym

    p = _copy(base, tmp_path)
    aid, _ = _wrong_exit(p)
    rv.decide(p, aid, "wrong_exit", "overturned", "养老金已到账 13800138000", "王评估")
    res = p.verify()
    for lang, words in (("zh", ("复核规则", "推翻 1 项")), ("en", ("Review rule", "1 findings overturned"))):
        rep = content.build(gather.from_results(res), lang)
        method = next(s for s in rep.sections if s.key == "method")
        text = " ".join(method.paragraphs)
        assert all(w in text for w in words), text
        by_type = next(tb for tb in method.tables if tb.key == "review_by_type").frame
        assert by_type.iloc[:, 3].sum() == 1
        app = rep.sections[-1]
        assert app.key == "review_appendix"
        frame = app.tables[0].frame
        assert len(frame) == 1
        cells = " ".join(frame.astype(str).to_numpy().ravel())
        assert pseudonym(aid, p.evaluation.key()) in cells
        assert aid not in cells and "王评估" not in cells and "13800138000" not in cells
        # the scorecard table carries the as-found figures beside the after-review ones
        aspects = next(s for s in rep.sections if s.key == "aspects")
        full = next(tb for tb in aspects.tables if tb.key == "scorecard").frame
        assert t("review.col.as_found", lang) in full.columns and t("review.col.decisions", lang) in full.columns


def test_unrecognised_decision_word_refuses_that_row_only(base: Path, tmp_path: Path) -> None:
    p = _copy(base, tmp_path)
    aid, _ = _wrong_exit(p)
    out = tmp_path / "queue.xlsx"
    rv.export(p, out, "en")
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    head = {h: i + 1 for i, h in enumerate(c.value for c in ws[3])}
    rows = [r for r in range(4, ws.max_row + 1) if ws.cell(r, head["archive id"]).value == aid]
    assert len(rows) >= 2
    ws.cell(rows[0], head["decision"], "maybe")
    ws.cell(rows[0], head["reason"], "not sure")
    ws.cell(rows[1], head["decision"], "confirmed")
    ws.cell(rows[1], head["reason"], "seen")
    wb.save(out)
    res = rv.import_workbook(p, out, "王评估", "en")
    assert res.recorded == 1 and len(res.refused) == 1
    assert res.refused[0][0] == rows[0] and "maybe" in res.refused[0][1]
