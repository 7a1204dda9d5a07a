"""The quality page's per-interviewer row, from hand-made submissions whose flags are known.

Three interviewers, five submissions, a four-question form (two yes/no/don't
know questions):

* E1: k1 lasts 5 minutes (short: the limit is 15), k2 30 minutes; of their
  six answers (q1, q2, members_n: the check counts numeric questions too)
  one is "don't know" → rate 1/6 = 16.67 %;
* E2: k3 and k4 visit the same archive household (both are duplicates);
  every answer "yes" → 0 %;
* E3: one clean interview.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from toolkit.html import tag
from toolkit.widgets import quality as Q

HOSTILE = "<img src=x onerror=alert(1)>"
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
RAW = re.compile(r"\b(True|False|NaN|nan|None)\b")


def _form(path: Path):  # noqa: ANN202 - toolkit.forms.model.Form
    from openpyxl import Workbook

    from toolkit.forms import read_xlsform

    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label::中文 (zh)", "label::English (en)"])
    ws.append(["start", "start", "", ""])
    ws.append(["end", "end", "", ""])
    ws.append(["text", "archive_id", "档案编号", "Archive id"])
    ws.append(["select_one ynd", "q1", "问题一", "Question one"])
    ws.append(["select_one ynd", "q2", "问题二", "Question two"])
    ws.append(["integer", "members_n", "家庭人口", "Household members"])
    ch = wb.create_sheet("choices")
    ch.append(["list_name", "name", "label::中文 (zh)", "label::English (en)"])
    ch.append(["ynd", "yes", "是", "yes"])
    ch.append(["ynd", "no", "否", "no"])
    ch.append(["ynd", "dont_know", "不知道", "don't know"])
    st = wb.create_sheet("settings")
    st.append(["form_title", "form_id", "version"])
    st.append(["测试", "qtest", "1"])
    wb.save(path)
    return read_xlsform(path)


def _subs(enumerator_e3: str = "E3"):  # noqa: ANN202 - Submissions
    from toolkit.ingest.model import Submissions

    t0 = pd.Timestamp("2026-05-01 09:00")
    start = [t0, t0 + pd.Timedelta(hours=1), t0, t0 + pd.Timedelta(hours=2), t0 + pd.Timedelta(days=1)]
    length = [5, 30, 30, 30, 40]
    main = pd.DataFrame({
        "KEY": ["k1", "k2", "k3", "k4", "k5"], "enumerator": ["E1", "E1", "E2", "E2", enumerator_e3],
        "device_id": ["d1", "d1", "d2", "d2", "d3"], "submitted_at": start, "form_version": "1",
        "start": start, "end": [s + pd.Timedelta(minutes=m) for s, m in zip(start, length)],
        "today": [s.normalize() for s in start],
        "archive_id": ["a1", "a2", "a3", "a3", "a5"], "township": ["t1", "t1", "t2", "t2", "t3"],
        "q1": ["dont_know", "no", "yes", "yes", "yes"], "q2": ["yes", "yes", "yes", "yes", "yes"],
        "members_n": [3, 3, 3, 3, 3], "visit_result": "met", "_status": "accepted"})
    return Submissions("qtest", main)


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    from toolkit.ingest.quality import run_all

    form = _form(tmp_path_factory.mktemp("qform") / "form.xlsx")
    subs = _subs()
    return subs, form, run_all(subs, form)


def test_one_row_per_interviewer_with_the_known_flags(case) -> None:  # noqa: ANN001
    subs, _, checks = case
    f = Q.interviewer_flags(subs.main, checks).set_index("enumerator")
    assert list(f.index) == ["E1", "E2", "E3"]
    assert "backcheck_error_rate" not in f.columns            # no back-checks: no column
    assert f["interviews"].tolist() == [2, 2, 1]
    assert f["short"].tolist() == [1, 0, 0]                    # k1: 5 minutes
    assert f["dont_know_rate"].tolist() == [0.1667, 0.0, 0.0]  # 1 of E1's 6 answers
    assert f["duplicates"].tolist() == [0, 2, 0]               # k3 and k4: one household twice
    assert f["gps"].tolist() == [0, 0, 0] and f["outliers"].tolist() == [0, 0, 0]
    assert Q.worst(f.reset_index()) == {"short": 1.0, "dont_know_rate": 0.1667, "duplicates": 2.0}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_row_is_the_same_read_back_from_ingests_workbook(case, tmp_path: Path, lang: str) -> None:  # noqa: ANN001
    from toolkit.ingest.quality import write_quality_xlsx

    subs, _, checks = case
    write_quality_xlsx(checks, tmp_path / "quality.xlsx", lang)
    back = Q.read_checks(tmp_path / "quality.xlsx")
    assert set(back) == set(checks)
    pd.testing.assert_frame_equal(Q.interviewer_flags(subs.main, back), Q.interviewer_flags(subs.main, checks),
                                  check_dtype=False)
    assert Q.read_checks(tmp_path / "absent.xlsx") is None
    # today's ingest: the workbook in words, the machine frames beside it; the page reads the same rows
    from toolkit.ingest.quality_words import write_quality

    write_quality(checks, tmp_path / "now", lang)
    back = Q.read_checks(tmp_path / "now" / "quality.xlsx")
    pd.testing.assert_frame_equal(Q.interviewer_flags(subs.main, back), Q.interviewer_flags(subs.main, checks),
                                  check_dtype=False)


def test_backcheck_column_only_with_backchecks(case) -> None:  # noqa: ANN001
    subs, _, checks = case
    bc = pd.DataFrame({"enumerator": ["E1", "E1", "E1", "E2"],
                       "result": ["same", "different", "not_compared", "same"]})
    f = Q.interviewer_flags(subs.main, checks, bc).set_index("enumerator")
    assert f.loc["E1", "backcheck_error_rate"] == 0.5 and f.loc["E2", "backcheck_error_rate"] == 0.0
    assert pd.isna(f.loc["E3", "backcheck_error_rate"])       # nothing compared: unknown, not 0
    shown = Q.flags_display(f.reset_index(), "en")
    assert "Back-check error rate" in shown.columns
    assert shown.iloc[0, -1] == tag("span", "50%", class_="fe-worst", title="worst in this column",
                                      style="background:#ffb74d;font-weight:bold;padding:0 .3em")
    assert shown.iloc[2, -1] == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_display_in_words_worst_marked_and_escaped(tmp_path: Path, lang: str) -> None:
    from toolkit.ingest.quality import run_all

    form = _form(tmp_path / "f.xlsx")
    subs = _subs(HOSTILE)
    f = Q.interviewer_flags(subs.main, run_all(subs, form))
    shown = Q.flags_display(f, lang)
    text = " ".join(map(str, [*shown.columns, *shown.to_numpy().ravel()]))
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert text.count("fe-worst") == 3                       # short, don't-know rate, duplicates
    assert "16.7%" in text and not RAW.search(text)
    assert not SNAKE.search(re.sub(r"<[^>]+>", " ", text))   # no code words outside the markup


@pytest.mark.parametrize("lang,short,dup", [("zh", "访问过短", "重复提交"), ("en", "too short", "duplicate")])
def test_click_through_lists_that_interviewers_submissions(case, lang: str, short: str, dup: str) -> None:  # noqa: ANN001
    subs, form, checks = case
    rows = Q.submissions_of(subs.main, "E1", checks, lang, {"met": "见到受访户"})
    assert len(rows) == 2
    flags = dict(zip(rows.iloc[:, 0], rows.iloc[:, -1]))
    assert flags == {"k1": short, "k2": ""}
    assert set(rows.iloc[:, 4]) == {"见到受访户"}
    two = Q.submissions_of(subs.main, "E2", checks, lang)
    assert set(two.iloc[:, -1]) == {dup}
    assert Q.submissions_of(subs.main, "nobody", checks, lang).empty


def test_checks_in_words(case) -> None:  # noqa: ANN001
    _, form, checks = case
    s = Q.checks_summary(checks, "en")
    assert s.iloc[:, 0].tolist()[:3] == ["Duplicate submissions", "Interview length", "Start after end"]
    for name, frame in checks.items():
        shown = Q.check_words(name, frame, "en", {q.name: q.name.upper() for q in form.questions})
        text = " ".join(map(str, [*shown.columns, *shown.astype(str).to_numpy().ravel()]))
        assert not RAW.search(text), (name, text)
        cells = set(shown.astype(str).to_numpy().ravel())
        assert not cells & {"too_short", "too_long", "household", "key", "iqr", "sd"}, (name, cells)


def test_charts_are_inline_vector_svg(case) -> None:  # noqa: ANN001
    subs, _, _ = case
    for svg in (Q.per_day_svg(subs.main, "zh"), Q.duration_svg(Q.minutes_of(subs.main), 15, "en")):
        assert svg.startswith('<div class="fe-chart"') and "<svg" in svg and "<image" not in svg
        assert "<!--" not in svg and "<?xml" not in svg
    assert "<svg" not in Q.per_day_svg(subs.main.iloc[0:0], "zh")


def test_backchecks_are_read_from_the_field_folder(tmp_path: Path) -> None:
    assert Q.read_backchecks(tmp_path) is None
    pd.DataFrame({"enumerator": ["E1"], "wrong": ["same"]}).to_csv(tmp_path / "backchecks.csv", index=False)
    assert Q.read_backchecks(tmp_path) is None                 # not a comparison table: ignored
    pd.DataFrame({"enumerator": ["E1"], "result": ["different"]}).to_csv(tmp_path / "backchecks.csv", index=False)
    assert Q.read_backchecks(tmp_path)["result"].tolist() == ["different"]


def test_a_submission_without_interviewer_is_a_blank_row_not_nan(tmp_path: Path) -> None:
    from toolkit.ingest.quality import run_all, write_quality_xlsx

    form = _form(tmp_path / "f.xlsx")
    subs = _subs(None)   # k5 names no interviewer
    checks = run_all(subs, form)
    write_quality_xlsx(checks, tmp_path / "quality.xlsx", "zh")
    for c in (checks, Q.read_checks(tmp_path / "quality.xlsx")):
        f = Q.interviewer_flags(subs.main, c)
        assert f["enumerator"].tolist() == ["", "E1", "E2"] and f["interviews"].tolist() == [1, 2, 2]
    assert len(Q.submissions_of(subs.main, "", checks, "zh")) == 1
