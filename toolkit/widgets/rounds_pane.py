"""The leadership dashboard's change since the last round (issue 19).

Reads the change table the verification stored (toolkit.project.rounds.
read_change) — never recomputes — and shows, for the chosen county, every
indicator's last-round and current estimates, the change in percentage points
with its 95 % interval and the conclusion in words (toolkit.report.
rounds_section.change_words). Aggregates only: no household appears. A
change whose rounds interviewed fewer than k households in the county is
shown as "cannot be judged" (the project's small-cell rule).
"""
from __future__ import annotations

import pandas as pd

from toolkit.html import Markup, join, tag
from toolkit.html import table as html_table
from toolkit.i18n import t

ALL = "全市"


def change_rows(change: pd.DataFrame | None, county: str = ALL, k: int = 5) -> pd.DataFrame | None:
    """The change rows of ``county`` (small rounds marked undetermined)."""
    if change is None or not len(change):
        return None
    c = change[change["county"].astype(str) == str(county)].copy()
    small = (c["n_before"].astype(int) < k) | (c["n_after"].astype(int) < k)
    c.loc[small, "verdict"] = "undetermined"
    for col in ("change", "ci_low", "ci_high", "before", "after"):
        c.loc[small, col] = float("nan")
    return c


def change_html(results, county: str = ALL, lang: str = "zh", k: int = 5) -> Markup:  # noqa: ANN001
    """The pane (empty Markup when the project has one round only)."""
    from toolkit.project.rounds import read_change
    from toolkit.report.rounds_section import change_words, round_name

    ch = getattr(results, "change", None)   # the leadership extract's copy (no key needed), else the stored one
    ch = ch if ch is not None and len(ch) else read_change(results.evaluation)
    rows = change_rows(ch, county, k)
    if rows is None or not len(rows):
        return join()
    first = rows.iloc[0]
    shown = change_words(rows, lang).drop(columns=[t("rounds.col.county", lang)])
    return join(tag("h4", t("rounds.dash.title", lang, before=round_name(first["before_round"], lang),
                                   after=round_name(first["after_round"], lang))),
                tag("div", html_table(shown, "fe-change", border=0), class_="fe-table-box"))


__all__ = ["change_html", "change_rows"]
