"""Satisfaction scales: declared once, scored, checked for reliability, estimated.

A :class:`Scale` names its items, which of them are reverse-worded, the valid
answer range (1–5: 非常不满意 … 非常满意), the codes that mean "don't know" /
"refused" (treated as missing, and counted), and how many items a respondent
must have answered for a scale score. From it:

* :meth:`Scale.clean` — items as numbers, codes → missing, reversed items
  flipped (``low + high − x``) so that high always means satisfied.
* :meth:`Scale.scores` — per respondent: answered items, scale score (mean of
  the answered items, 1–5), the same on 0–100 (``(score − low)/(high − low)
  × 100``), top-box answers.
* :meth:`Scale.top_box` — the top-two-box rate per item and pooled:
  (非常满意 + 满意) ÷ valid answers.
* :meth:`Scale.reliability` — Cronbach's alpha
  ``α = k/(k−1) · (1 − Σ s²_i / s²_total)`` on complete cases, standardised
  alpha, corrected item–total correlations and alpha-if-item-deleted.
* :meth:`Scale.estimate` — design-based estimates with confidence intervals
  by domain through :class:`toolkit.survey.Design` (weighted mean scores,
  the pooled top-two-box rate as a ratio of totals, each item's rate as a
  proportion with a Korn–Graubard interval).

Example
-------
>>> import pandas as pd
>>> s = Scale("help", items=("g1", "g2", "g3"), reverse=("g3",), min_answered=2)
>>> df = pd.DataFrame({"g1": [5, 4, 9], "g2": [4, 2, 8], "g3": [1, 4, 2]})
>>> s.scores(df)[["answered", "score", "score_100"]].round(2).to_dict("list")
{'answered': [3, 3, 1], 'score': [4.67, 2.67, nan], 'score_100': [91.67, 41.67, nan]}
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from toolkit.survey import Design, SurveyError
from toolkit.survey._util import check_columns, numeric


@dataclass(frozen=True)
class Reliability:
    """Internal consistency of a scale (complete cases only).

    alpha : Cronbach's alpha on the raw (reversed) item scores.
    standardized_alpha : ``k r̄ / (1 + (k−1) r̄)`` with ``r̄`` the mean
        inter-item correlation.
    n : respondents who answered every item. k : number of items.
    items : per item: mean, sd, ``item_total_r`` (correlation with the sum
        of the *other* items) and ``alpha_if_deleted``.
    """

    alpha: float
    standardized_alpha: float
    n: int
    k: int
    items: pd.DataFrame


def cronbach_alpha(x: np.ndarray) -> float:
    """``k/(k−1) · (1 − Σ var(item) / var(total))`` for an (n, k) array
    without missing values (sample variances, ddof = 1)."""
    x = np.asarray(x, dtype=float)
    k = x.shape[1]
    if k < 2 or x.shape[0] < 2:
        return float("nan")
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var))


@dataclass(frozen=True)
class Scale:
    """A multi-item rating scale, declared once.

    Parameters
    ----------
    name : short identifier used in result tables.
    items : item columns, in questionnaire order.
    reverse : items worded the other way round (agreeing = dissatisfied).
    low, high : valid answer range (1 and 5 for the 5-point scale).
    missing_codes : answers meaning don't know / refused (e.g. 8, 9): missing.
        Any other answer outside ``[low, high]`` is also missing, counted
        as invalid in :meth:`audit`.
    min_answered : fewest answered items for a scale score; default: at
        least half of the items (rounded up).
    top : width of the top box: 2 counts the two highest answers
        (非常满意 + 满意).
    """

    name: str
    items: tuple[str, ...]
    reverse: tuple[str, ...] = ()
    low: int = 1
    high: int = 5
    missing_codes: tuple[float, ...] = (8, 9)
    min_answered: int | None = None
    top: int = 2

    def __post_init__(self) -> None:
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "reverse", tuple(self.reverse))
        object.__setattr__(self, "missing_codes", tuple(self.missing_codes))
        if not self.items or len(set(self.items)) != len(self.items):
            raise SurveyError("survey.scale_items", scale=self.name)
        stray = [r for r in self.reverse if r not in self.items]
        if stray:
            raise SurveyError("survey.scale_reverse", scale=self.name, items=", ".join(stray))
        if not self.low < self.high:
            raise SurveyError("survey.scale_range", scale=self.name, low=self.low, high=self.high)
        if not 1 <= self.top <= self.high - self.low:
            raise SurveyError("survey.scale_top", scale=self.name, top=self.top)
        m = self.min_answered if self.min_answered is not None else math.ceil(len(self.items) / 2)
        if not 1 <= m <= len(self.items):
            raise SurveyError("survey.scale_min_answered", scale=self.name, value=m, k=len(self.items))
        object.__setattr__(self, "min_answered", m)

    # -- cleaning ------------------------------------------------------
    def _raw(self, data: pd.DataFrame) -> np.ndarray:
        check_columns(data, self.items)
        return np.column_stack([numeric(data, c) for c in self.items])

    def clean(self, data: pd.DataFrame) -> pd.DataFrame:
        """Items as float on ``[low, high]``, missing where blank, a
        don't-know/refuse code or out of range; reversed items flipped."""
        x = self._raw(data)
        valid = (x >= self.low) & (x <= self.high)
        x = np.where(valid, x, np.nan)
        rev = np.isin(np.array(self.items), np.array(self.reverse))
        x[:, rev] = self.low + self.high - x[:, rev]
        return pd.DataFrame(x, columns=list(self.items), index=data.index)

    def audit(self, data: pd.DataFrame) -> pd.DataFrame:
        """Per item: valid answers, don't-know/refuse codes, blanks and other
        out-of-range values. The four counts add up to the rows."""
        x = self._raw(data)
        blank = np.isnan(x)
        code = np.isin(x, np.array(self.missing_codes, dtype=float))
        valid = (x >= self.low) & (x <= self.high)
        return pd.DataFrame({
            "item": list(self.items),
            "reversed": [i in self.reverse for i in self.items],
            "valid": valid.sum(axis=0),
            "dont_know_refused": (code & ~valid).sum(axis=0),
            "blank": blank.sum(axis=0),
            "invalid": (~blank & ~code & ~valid).sum(axis=0),
        })

    def item_scores(self, data: pd.DataFrame, unit: str = "1-5") -> pd.DataFrame:
        """Cleaned item scores on the answer scale (``"1-5"``) or on 0–100."""
        x = self.clean(data)
        if unit == "0-100":
            return (x - self.low) / (self.high - self.low) * 100
        if unit != "1-5":
            raise SurveyError("survey.scale_unit", value=unit)
        return x

    # -- scores ----------------------------------------------------------
    def scores(self, data: pd.DataFrame) -> pd.DataFrame:
        """Per respondent: ``answered`` items, ``score`` (mean of answered
        items, on the answer scale; missing when fewer than
        ``min_answered``), ``score_100`` (0–100), ``top_answers`` (answers in
        the top box) and ``valid_answers``."""
        x = self.clean(data).to_numpy()
        answered = (~np.isnan(x)).sum(axis=1)
        with np.errstate(invalid="ignore"):
            mean = np.nanmean(np.where(answered[:, None] > 0, x, 0.0), axis=1)
        score = np.where(answered >= self.min_answered, mean, np.nan)
        top = (x >= self.high - self.top + 1).sum(axis=1)
        return pd.DataFrame({
            "answered": answered,
            "score": score,
            "score_100": (score - self.low) / (self.high - self.low) * 100,
            "top_answers": top,
            "valid_answers": answered,
        }, index=data.index)

    def top_box(self, data: pd.DataFrame) -> pd.DataFrame:
        """Unweighted top-box rate per item and pooled over items:
        answers in the top ``top`` categories ÷ valid answers."""
        x = self.clean(data).to_numpy()
        valid = ~np.isnan(x)
        topm = x >= self.high - self.top + 1
        out = pd.DataFrame({"item": list(self.items), "valid": valid.sum(axis=0),
                            "top": topm.sum(axis=0)})
        out.loc[len(out)] = ["(all)", int(valid.sum()), int(topm.sum())]
        with np.errstate(invalid="ignore", divide="ignore"):
            out["rate"] = out["top"] / out["valid"]
        return out

    # -- reliability -------------------------------------------------------
    def reliability(self, data: pd.DataFrame) -> Reliability:
        """Cronbach's alpha, standardised alpha, corrected item–total
        correlations and alpha-if-item-deleted, on complete cases."""
        x = self.clean(data).to_numpy()
        x = x[~np.isnan(x).any(axis=1)]
        n, k = x.shape
        total = x.sum(axis=1)
        rows = []
        for j, item in enumerate(self.items):  # k items: a small loop
            rest = total - x[:, j]
            with np.errstate(invalid="ignore", divide="ignore"):
                r = np.corrcoef(x[:, j], rest)[0, 1] if n > 1 else np.nan
            rows.append({"item": item, "mean": x[:, j].mean() if n else np.nan,
                         "sd": x[:, j].std(ddof=1) if n > 1 else np.nan,
                         "item_total_r": r,
                         "alpha_if_deleted": cronbach_alpha(np.delete(x, j, axis=1)) if k > 2 else np.nan})
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = np.corrcoef(x, rowvar=False) if n > 1 else np.full((k, k), np.nan)
            rbar = (corr.sum() - k) / (k * (k - 1)) if k > 1 else np.nan
        return Reliability(alpha=cronbach_alpha(x) if n else float("nan"),
                           standardized_alpha=float(k * rbar / (1 + (k - 1) * rbar)),
                           n=int(n), k=int(k), items=pd.DataFrame(rows))

    # -- design-based estimates --------------------------------------------
    def estimate(self, design: Design, by: str | Sequence[str] | None = None,
                 ci: str = "korn-graubard", level: float = 0.95) -> pd.DataFrame:
        """Weighted estimates with confidence intervals, one row per
        (measure, domain), from a :class:`~toolkit.survey.Design` whose data
        holds the items.

        Measures: ``score`` and ``score_100`` (weighted means, t interval),
        ``top_box`` (pooled rate: Σw·top answers ÷ Σw·valid answers, a
        ratio estimate), ``top_box:<item>`` (each item's rate, a proportion
        with the ``ci`` interval).
        """
        sc = self.scores(design.data)
        x = self.clean(design.data).to_numpy()
        prefix = f"__{self.name}__"
        cols = {prefix + "score": sc["score"].to_numpy(),
                prefix + "score_100": sc["score_100"].to_numpy(),
                prefix + "top": sc["top_answers"].to_numpy(dtype=float),
                prefix + "valid": sc["valid_answers"].to_numpy(dtype=float)}
        for j, item in enumerate(self.items):
            cols[prefix + "top:" + item] = np.where(np.isnan(x[:, j]), np.nan,
                                                    (x[:, j] >= self.high - self.top + 1).astype(float))
        d = design.with_columns(cols)
        parts = [
            d.mean(prefix + "score", by=by, level=level).assign(measure="score"),
            d.mean(prefix + "score_100", by=by, level=level).assign(measure="score_100"),
            d.ratio(prefix + "top", prefix + "valid", by=by, level=level).assign(measure="top_box"),
        ]
        for item in self.items:
            parts.append(d.proportion(prefix + "top:" + item, by=by, ci=ci, level=level)
                         .assign(measure=f"top_box:{item}"))
        out = pd.concat(parts, ignore_index=True)
        out["scale"] = self.name
        out = out.drop(columns="variable")
        front = ["scale", "measure"]
        return out[front + [c for c in out.columns if c not in front]]
