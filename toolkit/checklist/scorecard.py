"""The document-review scores in the scorecard, beside the household indicators.

One row per aspect and county (and 全市) in the scorecard's own columns
(toolkit.verify.scorecard.presentable): the indicator "文件审查得分（查阅档案资料）",
the score in percent, no interval, the applicable items as n, and in place
of a verdict "文件审查（无区间）" — a census of documents, never pass or fail
against an interval. The rows follow the household rows of their aspect.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.checklist.rollup import tally, with_all
from toolkit.i18n import t


def rows(project, lang: str = "zh") -> pd.DataFrame:  # noqa: ANN001
    """The document-review rows in the scorecard's columns (empty when
    nothing is entered); a hidden-free frame: aspect words, county, score %."""
    from toolkit.verify.indicators import ALL, ASPECTS

    s = with_all(tally(project))
    zh = lang == "zh"
    county = s["county"].where(s["county"] != ALL, t("verify.all_counties", lang))
    return pd.DataFrame({
        t("verify.col.aspect", lang): s["aspect"].map({k: v[0 if zh else 1] for k, v in ASPECTS.items()}),
        t("verify.col.indicator", lang): t("checklist.indicator", lang),
        t("verify.col.county", lang): county,
        t("verify.col.estimate", lang): (s["score"].astype(float) * 100).round(1),
        t("verify.col.ci_low", lang): np.nan, t("verify.col.ci_high", lang): np.nan,
        t("verify.col.n", lang): s["items_applicable"].astype(np.int64),
        t("verify.col.threshold", lang): "",
        t("verify.col.verdict", lang): t("checklist.no_interval", lang)})


def beside(table: pd.DataFrame, extra: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A presentable scorecard (``table``) with the document-review rows
    ``extra`` placed after the household rows of their aspect (aspects the
    table lacks at the end); columns the extra rows lack are left blank."""
    if not len(extra):
        return table
    col = t("verify.col.aspect", lang)
    parts = []
    for aspect, grp in table.groupby(col, sort=False):
        parts += [grp, extra[extra[col] == aspect]]
    parts.append(extra[~extra[col].isin(set(table[col]))])
    out = pd.concat([p for p in parts if len(p)], ignore_index=True)
    for c in table.columns:   # counts stay whole numbers; the document rows' blanks stay blank
        if pd.api.types.is_integer_dtype(table[c].dtype):
            out[c] = out[c].astype("Int64")
    return out[list(table.columns)] if set(table.columns) >= set(extra.columns) else out


def write_beside(project, scorecard: pd.DataFrame, folder: Path, lang: str = "zh") -> None:  # noqa: ANN001
    """Rewrite ``scorecard.csv`` / ``.xlsx`` in ``folder`` with the
    document-review rows beside the household indicators (nothing to do
    when no checklist entry exists)."""
    from toolkit.tables import write_table
    from toolkit.verify import scorecard as sc

    extra = rows(project, lang)
    if not len(extra):
        return
    table = beside(sc.presentable(scorecard, lang), extra, lang)
    write_table(table, Path(folder) / "scorecard.csv")
    write_table(table, Path(folder) / "scorecard.xlsx", sheet=t("verify.sheet", lang))


__all__ = ["rows", "beside", "write_beside"]
