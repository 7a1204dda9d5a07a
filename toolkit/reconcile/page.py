"""The leadership dashboard's card "系统数据核对（无区间）": a county's data
consistency (tallies agreeing ÷ compared) beside the household indicators'
cards, with no interval (a full comparison). Empty when the project has no
reconciliation. Built through toolkit.html (escaped)."""
from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from toolkit.errors import UserError
from toolkit.html import tag
from toolkit.i18n import t
from toolkit.reconcile import outputs
from toolkit.reconcile.compare import ALL


def card_html(evaluation, county: str = ALL, lang: str = "zh",  # noqa: ANN001 - config.Evaluation
              consistency: pd.DataFrame | None = None) -> Markup:
    """The card for ``county`` (全市 by default), or an empty string.
    ``consistency``: the table as the leadership extract holds it (read
    without the project key); else the stage is read."""
    cons = consistency
    if cons is None or not len(cons):
        try:
            tables, _ = outputs.read(evaluation.path("output") / outputs.STAGE)
        except (OSError, ValueError, UserError):   # not checked yet, or sealed and no key here
            return Markup("")
        cons = tables.get("consistency")
    if cons is None or not len(cons) or county not in set(cons["county"]):
        return Markup("")
    row = cons[cons["county"] == county]
    share = outputs.pct(row["consistency"]).iloc[0]
    verdict = outputs.verdict_words(row.reset_index(drop=True), lang).iloc[0]
    bad = int(row["differs"].iloc[0] + row["not_reported"].iloc[0])
    col = "#2e7d32" if bad == 0 and int(row["compared"].iloc[0]) else "#c62828" if bad else "#555"
    small = "font-size:80%"
    card = tag("div",
               tag("div", t("recon.col.consistency", lang), style="font-size:90%"),
               tag("div", share, class_="fe-card-value", style="font-size:160%;font-weight:bold"),
               tag("div", t("recon.card_line", lang, agree=int(row["agree"].iloc[0]),
                              compared=int(row["compared"].iloc[0])), style=small),
               tag("div", t("recon.headline", lang), " · ", tag("span", verdict, style=f"color:{col}"), style=small),
               class_="fe-card", data_indicator="data_consistency", style=f"border-left:6px dashed {col}")
    return tag("div", card, class_="fe-card-row fe-recon")


__all__ = ["card_html"]
