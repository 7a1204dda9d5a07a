"""Escape by construction: markup in roster or visit text arrives as text in
every HTML the toolkit builds (dashboard panes, the paper form, the report)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from toolkit import html as H

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>window.__xss=1</script>"
ATTR = "x' onmouseover='alert(1)"
PAYLOADS = (IMG, SCRIPT, ATTR)
RAW = re.compile(r"<\s*(img|script)", re.IGNORECASE)


class _Live(HTMLParser):
    """Collects what a browser would run: img/script elements and on* attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("img", "script"):
            self.live.append(tag)
        self.live += [k for k, _ in attrs if k.startswith("on")]


def assert_escaped(markup: str) -> None:
    """No live tag or handler from the payloads, and the text is still there (escaped)."""
    parser = _Live()
    parser.feed(markup)
    assert parser.live == [], (parser.live, markup[:400])
    assert not RAW.search(markup), markup[:400]
    assert "&lt;img src=x onerror=alert(1)&gt;" in markup or "&lt;script&gt;" in markup, markup[:400]


def test_helpers() -> None:
    assert H.esc(IMG) == "&lt;img src=x onerror=alert(1)&gt;"
    assert H.esc(None) == "" and H.esc(float("nan")) == "" and H.esc(pd.NA) == ""
    assert H.tag("td", IMG, class_=ATTR) == ('<td class="x&#x27; onmouseover=&#x27;alert(1)">'
                                            "&lt;img src=x onerror=alert(1)&gt;</td>")
    assert H.join(H.tag("b", "x"), SCRIPT) == "<b>x</b>&lt;script&gt;window.__xss=1&lt;/script&gt;"
    with pytest.raises(ValueError):
        H.tag("img", onerror="alert(1)")
    with pytest.raises(ValueError):
        H.tag("img src=x", "")
    assert_escaped(H.table(pd.DataFrame({IMG: [SCRIPT, None]})))


def _evidence() -> pd.DataFrame:
    return pd.DataFrame({"archive_id": ["A1"] * 3,
                         "finding": ["archive_mismatch:address", "wrong_inclusion", f"archive_mismatch:{IMG}"],
                         "archive_value": [IMG, SCRIPT, ATTR], "visit_value": [SCRIPT, IMG, IMG],
                         "flagged": [True, False, True], "rule": [ATTR, IMG, "r"]})


def test_walkthrough_panes() -> None:
    from toolkit.errors import UserError
    from toolkit.widgets import walkthrough as wt

    ev = _evidence()
    for lang in ("zh", "en"):
        out = wt.compare_html(wt.side_by_side(ev, "A1"), lang)
        assert_escaped(out)
        assert out.count("fe-diff") == 2
        # the findings pane says each rule in a sentence; the archive's free text (here its main cause) goes in it
        cause = pd.DataFrame({"archive_id": ["A1"], "finding": ["cause_unconfirmed"], "archive_value": [IMG],
                              "visit_value": [SCRIPT], "flagged": [True], "rule": [ATTR]})
        assert_escaped(wt.findings_html(wt.findings_of(pd.concat([ev, cause], ignore_index=True), "A1"), lang))
        pay = pd.DataFrame({"archive_id": ["A1"], "item": [IMG], "year": [2025], "ledger_amount": [100.0],
                            "received": [SCRIPT], "amount_received": [50.0], "verdict": [ATTR]})
        p, tot = wt.ledger(pay, "A1")
        assert_escaped(wt.ledger_html(p, tot, lang))
        hist = pd.DataFrame({"at": ["2026-01-01"], "who": [IMG], "what": [SCRIPT], "why": [ATTR]})
        assert_escaped(wt.history_html(hist, lang))
        assert_escaped(wt.error_html(UserError("common.file_not_found", path=IMG), lang))
        assert_escaped(wt.error_html(ValueError(IMG), lang))


def test_leadership_panes() -> None:
    from toolkit.verify.indicators import ALL
    from toolkit.widgets import leadership as ld

    sc = pd.DataFrame({"county": [ALL, IMG], "indicator": ["wrong_inclusion"] * 2, "aspect": ["targeting"] * 2,
                       "estimate": [0.1, 0.2], "ci_low": [0.05, 0.1], "ci_high": [0.15, 0.3], "n": [100, 50],
                       "threshold": [0.05] * 2, "direction": ["max"] * 2, "verdict": ["fail", SCRIPT]})
    hh = pd.DataFrame({"county": [IMG, IMG], "wrong_inclusion": [1, 0]})
    sat = pd.DataFrame({"item": ["sat_overall"], "county": [IMG], "answer": [5], "count": [1], "share": [1.0]})
    for lang in ("zh", "en"):
        for c in (ALL, IMG):
            cards = ld.cards_html(sc, c, lang)
            assert not RAW.search(cards)
        assert_escaped(ld.cards_html(sc, IMG, lang) + H.esc(IMG))
        row = ld.cards(sc, IMG, lang).iloc[0].copy()
        row["indicator"] = ATTR
        row["name"] = IMG
        assert_escaped(ld.card_html(row, lang))
        assert_escaped(ld.drill_html(hh, sat, {"r1": sc, "r2": sc}, IMG, lang))


def test_quality_panes() -> None:
    from toolkit.widgets import quality as q

    days = pd.DataFrame({"enumerator": [IMG], "day": [SCRIPT], "interviews": [3]})
    assert_escaped(q.days_html(days))
    assert_escaped(q.check_html(pd.DataFrame({"key": [IMG], "detail": [SCRIPT]})))
    assert "<i>" in q.check_html(pd.DataFrame())


def test_entry_panes() -> None:
    from toolkit.widgets import entry

    assert_escaped(entry.head_html(IMG, SCRIPT, True))
    assert "color:#b00" in entry.head_html("q", "", True)
    assert_escaped(entry.error_line_html(IMG))
    assert entry.error_line_html("") == ""
    assert_escaped(entry.status_html(SCRIPT))
    assert_escaped(entry.status_html(IMG, ok=False))


def _xlsform(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label", "hint", "relevant", "constraint"])
    ws.append(["begin_group", "g1", f"组 {IMG}", "", "", ""])
    ws.append(["select_one yn", "q1", f"问题 {SCRIPT}", IMG, "", ""])
    ws.append(["integer", "q2", IMG, "", "${q1} = 'yes'", ". < 10"])
    ws.append(["text", "q3", ATTR, "", "", ""])
    ws.append(["end_group", "", "", "", "", ""])
    ch = wb.create_sheet("choices")
    ch.append(["list_name", "name", "label"])
    ch.append(["yn", "yes", f"是 {IMG}"])
    ch.append(["yn", "no", SCRIPT])
    st = wb.create_sheet("settings")
    st.append(["form_title", "form_id"])
    st.append([f"问卷 {SCRIPT}", "payload"])
    wb.save(path)
    return path


def test_paper_form(tmp_path: Path) -> None:
    from toolkit.forms import read_xlsform
    from toolkit.forms.render import render_html

    form = read_xlsform(_xlsform(tmp_path / "payload.xlsx"))
    for lang in ("zh", "en"):
        out = render_html(form, lang)
        assert_escaped(out)
        assert "&lt;script&gt;" in out


def test_report_html() -> None:
    from toolkit.report.model import Report, Section, Table
    from toolkit.report.render import html

    tb = Table(IMG, f"表 {SCRIPT}", pd.DataFrame({IMG: [SCRIPT, ATTR], "结论": [IMG, "达标"]}), note=IMG)
    rep = Report(title=f"报告 {SCRIPT}", subtitle=(IMG,), lang="zh",
                 sections=(Section(ATTR, IMG, (SCRIPT, ATTR), (tb,), (), (Section("s2", SCRIPT, (IMG,)),)),))
    assert_escaped(html(rep))
