"""The quality page's back-check note: interviewers flagged by the back-check
comparison, each with their type-1 error rate and what to do (re-train,
re-visit their households). Built through toolkit.html (escaped); read from
``field/backchecks.parquet`` (toolkit.backcheck.outputs.field_table)."""
from __future__ import annotations

import pandas as pd

from toolkit.html import tag
from toolkit.i18n import t


def flagged_html(backchecks: pd.DataFrame, lang: str = "zh") -> str:
    """A short block in words: who is flagged and what to do, or that no one is."""
    b = backchecks
    if "flagged" not in b or "type" not in b:
        return ""
    t1 = b[b["type"].astype(int) == 1]
    res = t1["result"].astype(str)
    comp = res.isin(("same", "different")).groupby(t1["enumerator"].astype(str)).sum()
    diff = res.eq("different").groupby(t1["enumerator"].astype(str)).sum()
    flag = b["flagged"].astype(str).str.strip().str.lower().isin(("true", "1", "yes"))   # parquet or csv
    who = sorted(set(b.loc[flag.to_numpy(), "enumerator"].astype(str)))
    head = tag("h4", t("backcheck.page.title", lang))
    if not who:
        return str(tag("div", head, tag("p", t("backcheck.report.none_flagged", lang)),
                       class_="fe-backcheck-flags"))
    items = [tag("li", t("backcheck.page.line", lang, who=w, rate=f"{diff.get(w, 0) / max(comp.get(w, 0), 1):.1%}",
                         different=int(diff.get(w, 0)), compared=int(comp.get(w, 0)),
                         action=t("backcheck.flag_enumerator", lang))) for w in who]
    return str(tag("div", head, tag("ul", *items), class_="fe-backcheck-flags",
                   style="border-left:4px solid #e65100;padding-left:.6em"))
