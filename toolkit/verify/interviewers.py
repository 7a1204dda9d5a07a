"""Interviewer effects on the findings, computed at every verification.

Two tables, written into the results stage (``output/verify/``) by
toolkit.project:

``interviewer_effects`` (one row per interviewer × indicator)
    Each interviewer's rate of a household-level verdict (错评 wrong
    inclusion, 错退 wrong exit, 漏退 missed exit, 漏评 missed, archive
    mismatch, approval = satisfaction, and the interviewer's own eligibility
    verdict H1 "meets the criteria") against the rest of the team: n, hits,
    rate, the rest's rate, the test (χ² or Fisher's exact, two-sided: an
    interviewer may find too few problems or too many), p, Holm-adjusted p
    over every interviewer × indicator of the run (toolkit.survey.interviewer
    says why Holm), and ``flagged`` (adjusted p < alpha, default 0.05).
    Unweighted: this asks whether the interviewer's households look
    different, not what the city's rate is.

``interviewer_icc`` (one row per scorecard indicator measured on households)
    The indicator's city estimate and interval (the scorecard's, unchanged)
    beside the interviewer intra-class correlation of its 0/1 variable and
    the design effect it implies, 1 + (m̄ − 1)·ρ (ANOVA estimator,
    toolkit.survey.interviewer.icc_anova). Interviewers work inside one county
    and counties are strata, so interviewers are compared within their county
    (nested ANOVA, k − c degrees of freedom): ρ measures interviewers, not
    counties. A deff above
    1 says the interval, which treats households as independent within
    PSUs, is too narrow by about √deff when interviewers are not nested in
    PSUs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.survey.interviewer import compare_to_rest, holm, icc_anova

EFFECT_INDICATORS = ("wrong_inclusion", "wrong_exit", "missed_exit", "missed", "archive_mismatch", "approval",
                     "verdict_meets")
ALPHA = 0.05
EFFECT_COLUMNS = ("enumerator", "indicator", "n", "hits", "rate", "rest_rate", "test", "p", "p_holm", "flagged")
ICC_COLUMNS = ("indicator", "estimate", "ci_low", "ci_high", "interviewers", "n", "m_bar", "icc", "deff")


def _with_verdict(households: pd.DataFrame, submissions: pd.DataFrame | None) -> pd.DataFrame:
    """Households with ``verdict_meets`` (H1 = meets → 1, another verdict → 0) from their submission."""
    h = households.copy()
    if submissions is not None and len(submissions) and "verdict_eligible" in submissions and "KEY" in h:
        v = submissions.drop_duplicates("KEY").set_index(submissions.drop_duplicates("KEY")["KEY"].astype(str))
        ve = v["verdict_eligible"].reindex(h["KEY"].astype(str)).astype(object).to_numpy()
        known = pd.notna(ve) & (pd.Series(ve).astype(str).isin(["meets", "income_above", "excluded"]).to_numpy())
        h["verdict_meets"] = np.where(known, (pd.Series(ve).astype(str) == "meets").to_numpy().astype(float), np.nan)
    return h


def effects(households: pd.DataFrame, submissions: pd.DataFrame | None = None, *,
            alpha: float = ALPHA) -> pd.DataFrame:
    """``interviewer_effects`` (module doc)."""
    if not len(households) or "enumerator" not in households:
        return pd.DataFrame(columns=list(EFFECT_COLUMNS))
    h = _with_verdict(households, submissions)
    h["enumerator"] = h["enumerator"].astype(object).fillna("").astype(str)
    cols = [c for c in EFFECT_INDICATORS if c in h]
    out = compare_to_rest(h, "enumerator", cols, alternative="two-sided").rename(
        columns={"group": "enumerator", "signal": "indicator"})
    if not len(out):
        return pd.DataFrame(columns=list(EFFECT_COLUMNS))
    out["p_holm"] = holm(out["p"].to_numpy(float))
    out["flagged"] = out["p_holm"] < alpha
    return out[list(EFFECT_COLUMNS)].reset_index(drop=True)


def icc_table(households: pd.DataFrame, scorecard: pd.DataFrame | None = None, *,
              within: str = "county", city: str = "全市") -> pd.DataFrame:
    """``interviewer_icc`` (module doc): one row per proportion indicator of
    the scorecard whose variable the households frame holds."""
    from toolkit.verify.indicators import INDICATORS

    rows = []
    if not len(households) or "enumerator" not in households:
        return pd.DataFrame(columns=list(ICC_COLUMNS))
    g = households["enumerator"].astype(object).fillna("").astype(str)
    sc = scorecard[scorecard["county"].astype(str) == city].set_index("indicator") \
        if scorecard is not None and len(scorecard) and "county" in scorecard else pd.DataFrame()
    for ind in INDICATORS:
        if ind.kind != "proportion" or ind.var not in households:
            continue
        y = pd.to_numeric(households[ind.var], errors="coerce")
        if ind.domain and ind.domain in households:
            y = y.where(households[ind.domain].astype(bool))
        r = icc_anova(y, g, households[within].astype(str) if within and within in households else None)
        est = sc.loc[ind.name] if ind.name in sc.index else None
        rows.append({"indicator": ind.name,
                     "estimate": float(est["estimate"]) if est is not None else np.nan,
                     "ci_low": float(est["ci_low"]) if est is not None else np.nan,
                     "ci_high": float(est["ci_high"]) if est is not None else np.nan,
                     "interviewers": r.interviewers, "n": r.n, "m_bar": round(r.m_bar, 1) if r.n else np.nan,
                     "icc": round(r.icc, 4) if not np.isnan(r.icc) else np.nan,
                     "deff": round(r.deff, 3) if not np.isnan(r.deff) else np.nan})
    return pd.DataFrame(rows, columns=list(ICC_COLUMNS))


def tables(households: pd.DataFrame, submissions: pd.DataFrame | None, scorecard: pd.DataFrame | None
           ) -> dict[str, pd.DataFrame]:
    """Both tables, named as the results stage stores them."""
    return {"interviewer_effects": effects(households, submissions),
            "interviewer_icc": icc_table(households, scorecard)}


def load(folder) -> dict[str, pd.DataFrame]:  # noqa: ANN001 - a results folder (Path)
    """Both tables back from a results stage folder ({} for a stage written before them)."""
    from pathlib import Path

    from toolkit.vault import source   # sealed with the results stage when the project has a key

    out = {}
    for name in ("interviewer_effects", "interviewer_icc"):
        p = Path(folder) / f"{name}.parquet"
        if p.is_file():
            out[name] = pd.read_parquet(source(p))
    return out


__all__ = ["ALPHA", "EFFECT_COLUMNS", "ICC_COLUMNS", "effects", "icc_table", "load", "tables"]
