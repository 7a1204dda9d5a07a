"""Confidence intervals for design-based proportions, vectorised over domains.

Every function takes arrays (one element per domain) of the estimate ``p``,
its design-based variance ``var``, the unweighted number of observations
``n`` and the design degrees of freedom ``df``, and returns ``(low, high)``.

Methods (``level`` = 1 − α, ``t`` = Student quantile ``t_{df, 1−α/2}``):

``korn-graubard`` (R ``svyciprop(method="beta")``, the default)
    Clopper–Pearson interval at the effective sample size
    ``n* = p(1−p)/var × (t_{n−1, α/2} / t_{df, α/2})²``:
    ``low = B⁻¹(α/2; n*p, n*(1−p)+1)``, ``high = B⁻¹(1−α/2; n*p+1, n*(1−p))``.
    Korn & Graubard (1998), *Survey Methodology* 24:193–201. At ``p = 0`` or
    ``1`` (or when ``var = 0``) the variance carries no information, and R's
    formula degenerates to ``0/0``. We follow the NCHS data presentation
    standard for proportions (Parker et al. 2017, *Vital Health Stat* 2(175)):
    the effective sample size is then the actual ``n`` (before the degrees of
    freedom factor), so ``p̂ = 0`` out of 120 gives an upper bound near 3 %,
    not a degenerate ``[0, 0]``.
``logit`` / ``xlogit`` (R ``method="logit"`` / ``"xlogit"``)
    ``expit(logit(p) ± t · se / (p(1−p)))``.
``asin`` (R ``method="asin"``)
    ``sin²(asin(√p) ± t · se / (2√(p(1−p))))``; the angle is clipped to
    ``[0, π/2]`` so that the bounds stay ordered (R does not clip, which only
    matters when its lower angle is negative).
``wilson``
    Wilson score interval at the effective sample size ``n = p(1−p)/var``
    (``n`` at ``p`` = 0 or 1) with critical value ``t``.
``wald`` (R ``method="mean"``)
    ``p ± t · se``, not clipped to [0, 1] (as R).

>>> import numpy as np
>>> lo, hi = korn_graubard(np.array([0.0]), np.array([0.0]), np.array([120]), np.array([20]))
>>> float(lo[0]), round(float(hi[0]), 4)
(0.0, 0.0335)
"""
from __future__ import annotations

import numpy as np
from scipy import stats

CI_METHODS = ("korn-graubard", "logit", "xlogit", "asin", "wilson", "wald")


def _tcrit(df: np.ndarray, level: float) -> np.ndarray:
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        out = stats.t.ppf(1 - (1 - level) / 2, np.where(df > 0, df, np.nan))
    return out


def effective_n(p: np.ndarray, var: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Effective sample size of a proportion, ``p(1−p)/var``; ``n`` when
    ``p`` is 0 or 1 or the variance is zero (NCHS rule)."""
    p = np.asarray(p, dtype=float)
    var = np.asarray(var, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ne = p * (1 - p) / var
    degenerate = (p <= 0) | (p >= 1) | ~np.isfinite(ne) | (ne <= 0)
    return np.where(degenerate & np.isfinite(p), n, ne)


def korn_graubard(p, var, n, df, level: float = 0.95, n_rows=None):
    """Korn–Graubard (Clopper–Pearson at the df-adjusted effective n).

    ``n_rows`` (default ``n``) is the number of domain rows used in the
    ``t_{n−1}`` factor; R counts rows whose variable is missing there too
    (``nrow(design)``), and so do we when the design passes it.
    """
    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)
    n_rows = n if n_rows is None else np.asarray(n_rows, dtype=float)
    df = np.asarray(df, dtype=float)
    alpha = 1 - level
    ne = effective_n(p, var, n)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = stats.t.ppf(alpha / 2, np.where(n_rows > 1, n_rows - 1, np.nan)) / stats.t.ppf(
            alpha / 2, np.where(df > 0, df, np.nan))
        ne = ne * ratio ** 2
        a_lo, b_lo = ne * p, ne * (1 - p) + 1
        a_hi, b_hi = ne * p + 1, ne * (1 - p)
        lo = np.where(p <= 0, 0.0, stats.beta.ppf(alpha / 2, np.where(a_lo > 0, a_lo, np.nan), b_lo))
        hi = np.where(p >= 1, 1.0, stats.beta.ppf(1 - alpha / 2, a_hi, np.where(b_hi > 0, b_hi, np.nan)))
    bad = ~np.isfinite(p)
    return np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)


def logit(p, var, n, df, level: float = 0.95):
    """Logit-transformed Wald interval (R ``logit``/``xlogit``)."""
    p = np.asarray(p, dtype=float)
    t = _tcrit(df, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = np.log(p / (1 - p))
        half = t * np.sqrt(var) / (p * (1 - p))
        return _expit(centre - half), _expit(centre + half)


def _expit(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def asin(p, var, n, df, level: float = 0.95):
    """Arcsine-square-root transformed interval (R ``asin``)."""
    p = np.asarray(p, dtype=float)
    t = _tcrit(df, level)
    with np.errstate(divide="ignore", invalid="ignore"):
        angle = np.arcsin(np.sqrt(p))
        half = t * np.sqrt(var) / (2 * np.sqrt(p * (1 - p)))
        lo = np.clip(angle - half, 0, np.pi / 2)
        hi = np.clip(angle + half, 0, np.pi / 2)
        return np.sin(lo) ** 2, np.sin(hi) ** 2


def wilson(p, var, n, df, level: float = 0.95):
    """Wilson score interval at the effective sample size."""
    p = np.asarray(p, dtype=float)
    t = _tcrit(df, level)
    ne = effective_n(p, var, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        t2n = t * t / ne
        centre = (p + t2n / 2) / (1 + t2n)
        half = t / (1 + t2n) * np.sqrt(p * (1 - p) / ne + t2n / (4 * ne))
        return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def wald(p, var, n, df, level: float = 0.95):
    """Symmetric interval ``p ± t·se`` (R ``method="mean"``); not clipped."""
    p = np.asarray(p, dtype=float)
    half = _tcrit(df, level) * np.sqrt(var)
    return p - half, p + half


_FUNCS = {
    "korn-graubard": korn_graubard,
    "logit": logit,
    "xlogit": logit,
    "asin": asin,
    "wilson": wilson,
    "wald": wald,
}


def proportion_ci(method: str, p, var, n, df, level: float = 0.95, n_rows=None):
    """Dispatch to one of :data:`CI_METHODS`; returns ``(low, high)`` arrays."""
    if method == "korn-graubard":
        return korn_graubard(p, var, n, df, level, n_rows=n_rows)
    return _FUNCS[method](p, var, n, df, level)
