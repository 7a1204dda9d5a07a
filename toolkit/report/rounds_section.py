"""The change since the last round in words: the report's section and the
table the leadership dashboard and ``fieldeval round status`` show.

Reads the change table the verification stored (toolkit.project.rounds.
read_change); never recomputes. Estimates as percentages, the change in
percentage points with its 95 % interval, and the conclusion in words
(toolkit.i18n.rounds).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.i18n import t
from toolkit.report.model import Section, Table

ALL = "全市"


def round_name(name: str, lang: str) -> str:
    """A round's name as people read it: the unnamed first round ("current",
    toolkit.project.Project.current_round) is the baseline."""
    return t("rounds.kind.baseline", lang) if str(name) in ("", "current") else str(name)


def _pct(x: float) -> str:
    return "–" if x is None or not np.isfinite(x) else f"{x * 100:.1f}%"


def _pts(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    return "0.0" if round(x * 100, 1) == 0 else f"{x * 100:+.1f}"


def change_words(change: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The change table as people read it (headers and values in words)."""
    from toolkit.verify.indicators import INDICATORS

    spec = {i.name: (i.zh if lang == "zh" else i.en) for i in INDICATORS}
    c = change
    county = c["county"].astype(str).map(lambda v: t("verify.all_counties", lang) if v == ALL else v)
    low, high = c["ci_low"].astype(float), c["ci_high"].astype(float)
    interval = [("–" if not (np.isfinite(a) and np.isfinite(b)) else f"{_pts(a)} ~ {_pts(b)}")
                for a, b in zip(low, high)]
    return pd.DataFrame({
        t("rounds.col.indicator", lang): c["indicator"].map(spec).fillna(c["indicator"]),
        t("rounds.col.county", lang): county,
        t("rounds.col.before", lang): c["before"].astype(float).map(_pct),
        t("rounds.col.after", lang): c["after"].astype(float).map(_pct),
        t("rounds.col.change", lang): c["change"].astype(float).map(_pts),
        t("rounds.col.interval", lang): interval,
        t("rounds.col.households", lang): c["n_before"].astype(int).astype(str) + " / " + c["n_after"].astype(int).astype(str),
        t("rounds.col.verdict", lang): c["verdict"].map(lambda v: t(f"rounds.verdict.{v}", lang)),
    })


def section(change: pd.DataFrame | None, lang: str) -> Section | None:
    """The report's section, or None in a project's first round."""
    if change is None or not len(change):
        return None
    first = change.iloc[0]
    paired = bool(first["paired"])
    kind = t("rounds.sample.panel" if paired else "rounds.sample.fresh", lang)
    method = t("rounds.report.method_panel" if paired else "rounds.report.method_fresh", lang)
    whole = change[change["county"] == ALL]["verdict"].value_counts()
    paras = (t("rounds.report.intro", lang, before=round_name(first["before_round"], lang),
               after=round_name(first["after_round"], lang), kind=kind,
               method=method),
             t("rounds.report.counts", lang, improved=int(whole.get("improved", 0)),
               worsened=int(whole.get("worsened", 0)), same=int(whole.get("no_change", 0))),
             t("rounds.report.rule", lang))
    table = Table("rounds_change", t("rounds.report.table", lang), change_words(change, lang))
    return Section("rounds", t("rounds.report.title", lang), paras, (table,))


def extend(sections: tuple[Section, ...], inputs, lang: str) -> tuple[Section, ...]:  # noqa: ANN001
    """The sections with the change section right after the indicators by aspect."""
    from toolkit.project.rounds import read_change

    sec = section(read_change(inputs.evaluation), lang)
    if sec is None:
        return sections
    out: list[Section] = []
    for s in sections:
        out.append(s)
        if s.key == "aspects":
            out.append(sec)
    return tuple(out) if sec in out else tuple(out) + (sec,)


__all__ = ["change_words", "section", "extend", "round_name"]
