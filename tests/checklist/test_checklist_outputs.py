"""The document review where people read it: scorecard rows beside each
aspect marked "文件审查（无区间）", the report's aspect text with the forum
quotes and its own section (free text scrubbed), results made stale by a new
entry, and the ``fieldeval checklist|forum`` verbs (exit codes, words)."""
from __future__ import annotations

import io
from contextlib import redirect_stdout
from types import SimpleNamespace

import pandas as pd
import pytest

from toolkit.checklist import fingerprint, save_entries
from toolkit.checklist.store import save_statements


def cli(*argv: str) -> tuple[int, str]:
    from toolkit.cli import main

    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(list(argv))
    return code, buf.getvalue()


def fill(project) -> None:  # noqa: ANN001
    save_entries(project, pd.DataFrame({
        "county": ["长丰县", "长丰县", "长丰县", "肥东县"], "item_id": ["T1", "T2", "F2", "T1"],
        "status": ["met", "not_met", "partly", "met"], "document": ["档案", None, "对账单", "档案"],
        "note": [None, "张三家的信息比对晚于建档", "一半", None]}), "甲", "test")
    save_statements(project, pd.DataFrame({
        "forum_id": ["ZT-01"], "seq": [1], "county": ["长丰县"], "held_on": ["2026-05-12"],
        "roles": ["工会干部、困难职工代表"], "aspect": ["targeting"], "finding_type": [None],
        "stance": ["contradicts"], "text": ["有的户建档时没有公示，张三就是"]}), "甲", "test")


def empty_scorecard(project) -> pd.DataFrame:  # noqa: ANN001
    from toolkit.verify import scorecard as sc
    from toolkit.verify.indicators import ESTIMATE_COLUMNS

    ev = project.evaluation
    return sc.build(pd.DataFrame(columns=ESTIMATE_COLUMNS), ev.thresholds, [c.name for c in ev.counties])


def test_scorecard_rows_follow_their_aspect(project, tmp_path) -> None:
    from toolkit.checklist.scorecard import write_beside

    card = empty_scorecard(project)
    write_beside(project, card, tmp_path)
    assert not (tmp_path / "scorecard.csv").exists()         # nothing entered: the verify's own file stays
    fill(project)
    write_beside(project, card, tmp_path)
    table = pd.read_csv(tmp_path / "scorecard.csv", dtype=str, keep_default_na=False)
    doc = table[table["结论"] == "文件审查（无区间）"]
    assert doc["指标"].unique().tolist() == ["文件审查得分（查阅档案资料）"]
    assert doc[["方面", "区县", "估计值(%)", "样本量"]].values.tolist() == [
        ["帮扶对象准不准", "全市", "66.7", "3"], ["帮扶对象准不准", "长丰县", "50.0", "2"],
        ["帮扶对象准不准", "肥东县", "100.0", "1"], ["资金使用准不准", "全市", "50.0", "1"],
        ["资金使用准不准", "长丰县", "50.0", "1"]]
    assert (doc["95%置信区间下限(%)"] == "").all() and (doc["标准"] == "").all()
    # each block sits right after the household rows of its aspect
    aspects = table["方面"].tolist()
    first_doc = doc.index[0]
    assert aspects[first_doc - 1] == "帮扶对象准不准" and aspects[doc.index[2] + 1] != "帮扶对象准不准"
    assert len(pd.read_excel(tmp_path / "scorecard.xlsx", engine="openpyxl")) == len(table)


def test_report_quotes_forums_beside_the_aspect_and_scrubs_names(project) -> None:
    from toolkit.checklist import report
    from toolkit.report.model import Section, Table
    from toolkit.verify import scorecard as sc

    fill(project)
    card = empty_scorecard(project)
    part = card[card["aspect"] == "targeting"]

    def sections_in(lang: str) -> tuple:
        return (Section("method", "方法"),
                Section("aspects", "六个方面", (), (Table("scorecard", "记分卡", sc.presentable(card, lang)),),
                        (), (Section("aspect_targeting", "帮扶对象准不准", ("错评率……",),
                                     (Table("aspect_targeting", "帮扶对象准不准", sc.presentable(part, lang)),)),)),
                Section("definitions", "定义"))

    sections = sections_in("zh")
    inputs = SimpleNamespace(evaluation=project.evaluation, private_names=("张三",), private_addresses=())
    out = report.extend(sections, inputs, "zh")
    assert [s.key for s in out] == ["method", "aspects", "document_review", "definitions"]
    sub = out[1].subsections[0]
    text = " ".join(sub.paragraphs)
    assert "文件审查得分（无区间）：全市 66.7%（适用 3 项）" in text
    assert "座谈会（长丰县，2026-05-12，工会干部、困难职工代表）" in text and "与入户核查证据矛盾" in text
    assert "张三" not in text and "＊＊＊" in text
    assert (sub.tables[0].frame["结论"] == "文件审查（无区间）").sum() == 3
    assert (out[1].tables[0].frame["结论"] == "文件审查（无区间）").sum() == 5
    sec = out[2]
    assert [tb.key for tb in sec.tables] == ["document_review_scores", "forum_statements"]
    scores = sec.tables[0].frame.set_index("区县")
    assert scores.loc["全市", "帮扶对象准不准"] == 66.7 and scores.loc["长丰县", "资金使用准不准"] == 50.0
    county = {s.key: s for s in sec.subsections}["document_review_长丰县"]
    notes = " ".join(county.tables[0].frame["说明"].astype(str))
    assert "张三" not in notes and "不符合" in set(county.tables[0].frame["评定"])
    assert "2 项不符合或部分符合" in county.paragraphs[0]
    en = report.extend(sections_in("en"), inputs, "en")
    assert "Document review score (no interval)" in " ".join(en[1].subsections[0].paragraphs)
    assert (en[1].subsections[0].tables[0].frame["Verdict"] == "Document review (no interval)").sum() == 3


def test_nothing_entered_changes_nothing(project) -> None:
    from toolkit.checklist import report

    sections = ()
    inputs = SimpleNamespace(evaluation=project.evaluation, private_names=(), private_addresses=())
    assert report.extend(sections, inputs, "zh") == ()
    assert fingerprint(project) == "none"


def test_a_new_entry_makes_results_stale(project) -> None:
    fill(project)
    before = fingerprint(project)
    assert before != "none" and fingerprint(project) == before
    save_entries(project, pd.DataFrame({"county": ["长丰县"], "item_id": ["T2"], "status": ["partly"],
                                        "document": ["比对报告"], "note": ["部分补做"]}), "乙", "test")
    assert fingerprint(project) != before
    stamp = project.inputs_fingerprint()
    save_entries(project, pd.DataFrame({"county": ["长丰县"], "item_id": ["T2"], "status": ["met"],
                                        "document": ["比对报告"]}), "乙", "test")
    assert project.inputs_fingerprint() != stamp


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_verbs(project, lang: str) -> None:
    root = str(project.root)
    code, out = cli("checklist", "show", "--project", root, "--lang", lang)
    assert code == 0 and ("尚未录入" in out if lang == "zh" else "No document review" in out)
    code, out = cli("checklist", "export", "--project", root, "--county", "长丰县", "--lang", lang)
    assert code == 0
    from openpyxl import load_workbook

    path = next((project.root / "output" / "checklist").glob("*长丰县.xlsx"))
    book = load_workbook(path)
    ws = book.worksheets[0]
    ws.cell(4, 6, "符合" if lang == "zh" else "Met")          # T1 met, no document: refused
    ws.cell(5, 6, "不符合" if lang == "zh" else "Not met")
    ws.cell(5, 10, "无比对报告")
    book.save(path)
    code, out = cli("checklist", "import", str(path), "--project", root, "--who", "甲", "--lang", lang)
    assert code == 1
    assert ("第 4 行" in out if lang == "zh" else "row 4" in out) and ("1 行" in out or "1 rows" in out)
    code, out = cli("checklist", "show", "--project", root, "--lang", lang)
    assert code == 0 and ("无比对报告" in out) and ("0.0%" in out)
    code, out = cli("forum", "export", "--project", root, "--lang", lang)
    assert code == 0
    code, out = cli("forum", "show", "--project", root, "--lang", lang)
    assert code == 0 and ("尚未录入座谈会记录" in out if lang == "zh" else "No forum notes" in out)
    for line in out.splitlines():
        assert not any(w in line for w in ("nan", "None", "True", "False", "_id"))
