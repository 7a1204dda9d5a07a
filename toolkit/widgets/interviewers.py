"""The quality dashboard's pane on interviewer effects and fabrication signals (issue 18).

Shows what ingest and verify stored (toolkit.report.interviewers.stored):
one row per interviewer with the answer-pattern signals that stand out
(Holm-corrected), the finding-rate effects that stand out, the interviewer
design effect beside each indicator's interval, and whether audit logs
(paradata) were read. HTML through toolkit.html (escaped); words only.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.html import Markup, join, tag
from toolkit.html import table as html_table
from toolkit.i18n import t


def pane(root: Path, lang: str = "zh") -> Markup:
    """The pane for the project at ``root`` (a note in words when nothing is stored yet)."""
    from toolkit.config import load
    from toolkit.ingest.fabrication import ALPHA, summary_display, tests_display
    from toolkit.project.paths import ProjectPaths
    from toolkit.report.interviewers import flagged_names, icc_display, stored

    ev = load(root)
    tables = stored(ev)
    parts = [tag("h3", t("interviewers.title", lang))]
    if not any(len(v) for v in tables.values()):
        return join(*parts, tag("p", t("interviewers.no_data", lang), class_="fe-note"))
    names = flagged_names(tables)
    sep = "、" if lang == "zh" else ", "
    parts.append(tag("p", t("interviewers.flagged_list", lang, names=sep.join(names)) if names
                     else t("interviewers.none_flagged", lang), class_="fe-iv-flagged"))
    parts.append(tag("p", t("interviewers.method", lang, alpha=ALPHA), class_="fe-note"))
    if len(tables["summary"]):
        parts += [tag("h4", t("interviewers.signals_title", lang)), tag("p", t("interviewers.dash_hint", lang)),
                  html_table(summary_display(tables["summary"], lang), "fe-iv-summary")]
        sig = tables["signals"]
        if len(sig) and sig["flagged"].astype(bool).any():
            parts.append(html_table(tests_display(sig[sig["flagged"].astype(bool)], lang), "fe-iv-signals"))
    para = ProjectPaths.of(ev).ingest / "paradata.parquet"
    from toolkit.vault import source   # the ingest stage is encrypted when the project has a key

    n = len(pd.read_parquet(source(para), columns=["KEY"])) if para.is_file() else 0
    parts.append(tag("p", t("interviewers.paradata_count", lang, n=n) if n else t("interviewers.paradata_none", lang),
                     class_="fe-note"))
    e = tables["effects"]
    if len(e):
        shown = e[e["flagged"].astype(bool)]
        parts.append(tag("h4", t("interviewers.effects_title", lang)))
        parts.append(html_table(tests_display(shown, lang, name_col="indicator", prefix="interviewers.ind."),
                                "fe-iv-effects") if len(shown) else tag("p", t("interviewers.none_flagged", lang)))
    if len(tables["icc"]):
        parts += [tag("h4", t("interviewers.icc_title", lang)), tag("p", t("interviewers.icc_note", lang)),
                  html_table(icc_display(tables["icc"], lang), "fe-iv-icc")]
    return join(*parts)


def safe_pane(root: Path, lang: str = "zh") -> Markup:
    """:func:`pane`, or the problem in words (the rest of the page stays)."""
    from toolkit.widgets.dashboard import error_html

    try:
        return pane(root, lang)
    except Exception as e:  # noqa: BLE001 - shown on the page in words
        return join(tag("h3", t("interviewers.title", lang)), Markup(error_html(e, lang)))


__all__ = ["pane", "safe_pane"]
