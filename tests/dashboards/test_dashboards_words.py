"""Words, not codes: every dashboard, in zh and en, shows no snake_case
identifier, True/False, NaN, None, <NA> or object repr, and a zh page no
untranslated English word (issue 15, item 1).

Each shipped notebook (toolkit/dashboards/*.ipynb, new ones included) runs
under nbclient in both languages on the demo project and the text of every
widget on its page is checked (tests/dashboards/visible_text.py). The
walkthrough and the entry form are also driven in the test process through
the cases a page load does not reach: every kind of finding, flagged and not,
a note and a verdict override in the history, repeat instances of the form.
"""
from __future__ import annotations

from pathlib import Path

import ipywidgets as W
import pandas as pd
import pytest

from visible_text import SUSPECT, dashboards, render_notebook, suspects, widget_texts


def _form_words() -> set[str]:
    """Option labels the questionnaire's authors wrote that look like a code
    (the English choice "None" = none of these): words on purpose."""
    from toolkit.labels import household_form

    f = household_form()
    labels = {f.text(c.labels, lang) for cs in f.choices.values() for c in cs for lang in ("zh", "en")}
    return {s for s in labels if s and SUSPECT.fullmatch(s)}


@pytest.mark.parametrize("name", dashboards())
def test_dashboard_page_in_words(name: str, demo_project: Path) -> None:
    pages = render_notebook(name, demo_project, ("zh", "en"))
    allow = _form_words()
    problems = []
    for lang, texts in pages.items():
        assert "".join(texts).strip(), f"{name} ({lang}) shows nothing"
        bad = suspects(texts, allow=allow, lang=lang)
        if bad:
            problems.append(f"{name} ({lang}) shows codes:\n" + "\n".join(bad[:40]))
    assert not problems, "\n".join(problems)


def _cases(evidence: pd.DataFrame) -> list[str]:
    """Households that between them show every finding flagged and not flagged."""
    e = evidence.drop_duplicates(["finding", "flagged"])
    return list(dict.fromkeys(e["archive_id"].astype(str)))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_walkthrough_every_case_in_words(lang: str, project_copy: Path) -> None:
    from toolkit.widgets.data import load_results
    from toolkit.widgets.walkthrough import Walkthrough

    r = load_results(project_copy)
    app = Walkthrough(r, project_copy, lang)
    ids = _cases(r.evidence)
    assert len(ids) >= 3
    seen: list[str] = []
    for i, aid in enumerate(ids):
        row = app.order[app.order["archive_id"] == aid]
        if row.empty:
            continue
        app.county.value, app.township.value = row["county"].iloc[0], str(row["township"].iloc[0])
        app.household.value = aid
        if i == 0:  # a note and an override in the history
            app.who.value = "Li"
            app.note.value = "看过存折"
            app.save_note()
            app.finding.value = app.finding.options[0][1]
            app.verdict.value = "overturned"
            app.save_override()
        seen += widget_texts(app.widget)
    text = "\n".join(seen)
    bad = suspects(seen, allow=_form_words(), lang=lang)
    assert not bad, f"walkthrough ({lang}) shows codes:\n" + "\n".join(bad[:40])
    words = {"zh": ("家庭人口", "困难类别", "元", "改判为", "年"),
             "en": ("Household size", "Hardship category", "yuan", "verdict changed", "overturned")}
    for w in words[lang]:
        assert w in text, f"walkthrough ({lang}) lacks {w!r}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_entry_form_in_words(lang: str, project_copy: Path) -> None:
    from toolkit.widgets.entry import EntryForm

    app = EntryForm(project_copy, lang)
    for b in [w for w in _walk(app.widget) if isinstance(w, W.Button) and "fe-add" in " ".join(w._dom_classes)]:
        b.click()  # one instance of every repeat: its questions are on the page too
    app.submit()  # every error line shown
    bad = suspects(widget_texts(app.widget), allow=_form_words(), lang=lang)
    assert not bad, f"entry ({lang}) shows codes:\n" + "\n".join(bad[:40])


def _walk(w: W.Widget) -> list[W.Widget]:
    out, stack = [], [w]
    while stack:
        x = stack.pop()
        out.append(x)
        stack += list(getattr(x, "children", ()) or ())
    return out


def test_detector_sees_codes() -> None:
    """The check itself: codes in any widget kind are caught, words are not."""
    page = W.VBox([W.HTML("<b>household_size</b><style>.fe_x{}</style>"), W.Label("True"),
                   W.Dropdown(options=[("nan", 1), ("好", 2)]), W.Button(description="<NA>"),
                   W.Label("<toolkit.widgets.walkthrough.Walkthrough object at 0x7f>"), W.Text(value="None"),
                   W.HTML("已脱困但核实收入 845.83 元 ≤ 低保 880 元")])
    found = " ".join(suspects(widget_texts(page)))
    for code in ("household_size", "True", "nan", "<NA>", "object at 0x", "None"):
        assert repr(code) in found, (code, found)
    assert "fe_x" not in found
    assert suspects(["Exited but verified income 845.83 yuan ≤ dibao 880 yuan", "2026年11月30日"]) == []
    assert suspects(["发现问题的户数", "HF340111-2022-00022", "GPS"], lang="zh") == []
    assert "'households'" in " ".join(suspects(["finding households"], lang="zh"))
