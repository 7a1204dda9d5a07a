"""The document review rolled up: unmet items and a score per county and aspect.

Score rule (document-review score, 文件审查得分): for one county and one
aspect, over the items of that aspect that have been assessed and apply
(status other than 不适用 / not applicable),

    score = (items met + ½ · items partly met) ÷ items applicable

a share 0–1; an item not assessed yet does not count either way; an aspect
with no applicable item has no score (no row). It is a census of the
documents the team reviewed, not an estimate from a sample: it has no
interval, and the scorecard says so in words ("文件审查（无区间）") instead
of a verdict. 全市 pools the counties (points and applicable items summed).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.checklist.items import ASPECT_KEYS, as_project, load_items
from toolkit.checklist.store import entries
from toolkit.i18n import t

UNMET_COLUMNS = ["county", "aspect", "item_id", "item_zh", "item_en", "status", "note"]
SCORE_COLUMNS = ["county", "aspect", "score", "items_applicable"]
POINTS = {"met": 1.0, "partly": 0.5, "not_met": 0.0}


def status_words(status: pd.Series, lang: str = "zh") -> pd.Series:
    """Status codes (met, partly, not_met, not_applicable) as words: 符合 /
    部分符合 / 不符合 / 不适用 (Met / Partly met / Not met / Not applicable);
    not assessed yet → 未评定."""
    words = {s: t(f"checklist.status.{s}", lang) for s in POINTS.keys() | {"not_applicable"}}
    return status.map(words).fillna(t("checklist.status.none", lang)).astype(object)


def _assessed(project) -> pd.DataFrame:  # noqa: ANN001
    """The latest entries joined to their items (items no longer on the list dropped)."""
    items = load_items(project)
    e = entries(project)
    if not len(e):
        return pd.DataFrame(columns=[*UNMET_COLUMNS, "order", "document", "page", "photo"])
    return e.merge(items, on="item_id", how="inner")


def unmet(project) -> pd.DataFrame:  # noqa: ANN001
    """Every checklist item whose latest status in the project's current
    round is 不符合 (``not_met``) or 部分符合 (``partly``): columns county,
    aspect (a key of the six aspects), item_id, item_zh, item_en, status (the
    code, in words through :func:`status_words`), note. Empty frame with those
    columns when nothing is entered. Ordered by county, then the checklist's order."""
    p = as_project(project)
    a = _assessed(p)
    a = a[a["status"].isin(("not_met", "partly"))]
    order = {c.name: i for i, c in enumerate(p.evaluation.counties)}
    a = a.assign(_c=a["county"].map(order).fillna(len(order))).sort_values(["_c", "county", "order"])
    return a[UNMET_COLUMNS].reset_index(drop=True)


def tally(project) -> pd.DataFrame:  # noqa: ANN001
    """Per county and aspect: points (met 1, partly ½), items_applicable and
    items of each status (columns met, partly, not_met, not_applicable)."""
    p = as_project(project)
    a = _assessed(p)
    cols = ["county", "aspect", "points", "items_applicable", "met", "partly", "not_met", "not_applicable"]
    if not len(a):
        return pd.DataFrame(columns=cols)
    counts = pd.crosstab([a["county"], a["aspect"]], a["status"]).reindex(
        columns=["met", "partly", "not_met", "not_applicable"], fill_value=0)
    counts.columns.name = None
    out = counts.reset_index()
    out["points"] = out["met"] + 0.5 * out["partly"]
    out["items_applicable"] = out["met"] + out["partly"] + out["not_met"]
    order = {c.name: i for i, c in enumerate(p.evaluation.counties)}
    out = out.assign(_c=out["county"].map(order).fillna(len(order)),
                     _a=out["aspect"].map({k: i for i, k in enumerate(ASPECT_KEYS)}))
    return out.sort_values(["_c", "county", "_a"])[cols].reset_index(drop=True)


def scores(project) -> pd.DataFrame:  # noqa: ANN001
    """The document-review score per county and aspect (rule in the module
    doc): columns county, aspect, score (0–1), items_applicable. Aspects with
    no applicable item assessed are left out; empty (with the columns) when
    nothing is entered."""
    tl = tally(project)
    tl = tl[tl["items_applicable"] > 0]
    out = tl.assign(score=tl["points"] / tl["items_applicable"])
    out["items_applicable"] = out["items_applicable"].astype(np.int64)
    return out[SCORE_COLUMNS].reset_index(drop=True)


def with_all(tl: pd.DataFrame) -> pd.DataFrame:
    """Scores per county and aspect plus 全市 (toolkit.verify.indicators.ALL)
    pooled over the counties; columns county, aspect, score, items_applicable."""
    from toolkit.verify.indicators import ALL

    tl = tl[tl["items_applicable"] > 0]
    pooled = tl.groupby("aspect", sort=False)[["points", "items_applicable"]].sum().reset_index().assign(county=ALL)
    both = pd.concat([pooled, tl[["county", "aspect", "points", "items_applicable"]]], ignore_index=True)
    both["score"] = both["points"] / both["items_applicable"]
    both["items_applicable"] = both["items_applicable"].astype(np.int64)
    return both[SCORE_COLUMNS]


__all__ = ["unmet", "scores", "tally", "with_all", "status_words", "UNMET_COLUMNS", "SCORE_COLUMNS", "POINTS"]
