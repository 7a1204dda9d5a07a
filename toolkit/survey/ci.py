"""Confidence intervals for design-based proportions, vectorised over domains.

Every function takes arrays (one element per domain) of the estimate ``p``,
its design-based variance ``var``, the unweighted number of observations
``n`` and the design degrees of freedom ``df``, and returns ``(low, high)``.

Methods (``level`` = 1 − α, ``t`` = Student quantile ``t_{df, 1−α/2}``):

``korn-graubard`` (R ``svyciprop(method="beta")``)
    Clopper–Pearson interval at the effective sample size
    ``n* = n_eff × (t_{n−1, α/2} / t_{df, α/2})²``:
    ``low = B⁻¹(α/2; n*p, n*(1−p)+1)``, ``high = B⁻¹(1−α/2; n*p+1, n*(1−p))``.
    Korn & Graubard (1998), *Survey Methodology* 24:193–201.
``likelihood`` (R ``method="likelihood"``)
    Rao–Scott scaled profile likelihood: the p₀ where the binomial
    log-likelihood ratio ``2 n (p log(p/p₀) + (1−p) log((1−p)/(1−p₀)))``
    divided by the design effect ``n/n_eff`` and the quasi-binomial
    dispersion ``n/(n−1)`` equals ``t_{df}²`` (R profiles the same deviance
    of ``svyglm``; see :func:`likelihood`).
``logit`` / ``xlogit`` (R ``method="logit"`` / ``"xlogit"``)
    ``expit(logit(p) ± t · se / (p(1−p)))``.
``asin`` (R ``method="asin"``)
    ``sin²(asin(√p) ± t · se / (2√(p(1−p))))``; the angle is clipped to
    ``[0, π/2]`` so that the bounds stay ordered (R does not clip, which only
    matters when its lower angle is negative).
``wilson``
    Wilson score interval at the effective sample size ``n_eff`` with
    critical value ``t_{df}``.
``wald`` (R ``method="mean"``)
    ``p ± t · se``, not clipped to [0, 1] (as R).

Effective sample size (:func:`effective_n`, households). Wilson and
Korn–Graubard rest on ``n_eff = p(1−p)/var``, which fails at the edges:

* **Zero up to rounding.** A self-weighting two-stage sample has weights that
  are equal in theory but differ in the last bits; when every PSU has the same
  number of events the variance comes out ~1e-36 instead of 0 and
  ``p(1−p)/var`` is astronomically large (a point interval). A variance
  below ``ZERO_VARIANCE_REL · p(1−p)/n`` (1e-6 of the binomial variance at
  the actual n, i.e. a design effect below one in a million) is zero
  (:func:`clean_variance`). Real differences between PSUs are whole events
  and give design effects of order 1/m or more (m households per PSU);
  below 1e-6 there is only rounding.
* **Capped at n** (Wilson, likelihood and every edge case):
  ``n_eff = min(p(1−p)/var, n)``: a clustered sample of n households never
  carries more information on a share than n independent ones, and a design
  effect below 1 from 4 PSUs is mostly chance. Korn–Graubard keeps R's
  uncapped value inside (0, 1) so that it equals R's ``svyciprop``.
* **p̂ = 0, p̂ = 1 or a zero variance** (the variance carries no information):
  R's formula is ``0/0``. The NCHS standard (Parker et al. 2017, *Vital
  Health Stat* 2(175)) uses the actual n, which ignores clustering (in the
  issue's simulations a city-wide ``[0, u]`` covered a true 1 % rate in
  29–40 % of cases). We use ``n_eff = n / deff₀`` with
  a design effect ``deff₀ ≥ 1`` supplied by the caller —
  :meth:`toolkit.survey.Design.proportion` borrows it from the same
  variable one level up (the whole design for a ``by`` estimate), floored
  at Kish's weighting effect ``n Σw² / (Σw)²`` of the domain and at 1 — so
  ``n_eff ≤ n`` always. ``deff₀ = 1`` is the NCHS rule. Why borrow (bench,
  ICC 0.05, 25 households per township): with 10 townships per county
  (df 9, 300 replicates) the county intervals at p̂ = 0 covered a true 2 %
  in 98.4 % of cases for both Wilson and Korn–Graubard against 93.7 % and
  88.9 % with the actual n; with 4 townships (df 3, 1,000 replicates) the
  t₃ quantile alone already makes them cover (100 % either way at 1–5 %;
  at 10 %: 100 % against 67 %, 6 cases). City-wide there is nothing above
  to borrow from: p̂ = 0 at a true 1 % (2 % of replicates) is covered in
  ~38 % of cases (Wilson), a limit of the design, not of the rule.
* **Undefined variance** (NaN: a stratum or PSU with a single sampled unit
  under the ``average`` rule, as R) or no degrees of freedom: no interval
  (NaN bounds), never a substitute. :func:`no_interval_reason` says why.

Where we differ from R (everything else equals R ``survey`` 4.1 to ~1e-9,
the likelihood interval to ~1e-4 because R interpolates a coarse profile):

* p̂ = 0/1 and zero variances: R's Korn–Graubard is NaN (0/0); ours is the
  design-aware rule above (``edge_deff=1`` in
  :meth:`~toolkit.survey.Design.proportion` gives the NCHS rule).
* Wilson and likelihood cap ``n_eff`` at n (R has no Wilson; its likelihood
  interval does not cap), so they equal R's only when the design effect is
  at least 1.
* In a domain of a *post-stratified* design, R's ``svyciprop`` keeps every
  row of the sample (a calibrated subset only zeroes weights), so its
  Korn–Graubard ``t_{n−1}`` factor and its likelihood dispersion count the
  whole sample's rows. We count the domain's rows, as R itself does for a
  domain of a design that is not post-stratified: the same domain gets the
  same interval whether or not the weights were calibrated. Equality with R
  is claimed for the other cases only.

>>> import numpy as np
>>> lo, hi = korn_graubard(np.array([0.0]), np.array([0.0]), np.array([120]), np.array([20]))
>>> float(lo[0]), round(float(hi[0]), 4)
(0.0, 0.0335)
"""
from __future__ import annotations

import numpy as np

CI_METHODS = ("korn-graubard", "likelihood", "logit", "xlogit", "asin", "wilson", "wald")


def _stats():  # noqa: ANN202 - scipy.stats, imported when a quantile is first needed
    """scipy.stats on first use: importing it costs 1–3 s, and a dashboard kernel that only
    reads stored results never needs it (issue 15, first render)."""
    from scipy import stats

    return stats


def _tcrit(df: np.ndarray, level: float) -> np.ndarray:
    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        out = _stats().t.ppf(1 - (1 - level) / 2, np.where(df > 0, df, np.nan))
    return out


#: a variance below this share of the binomial variance p(1−p)/n is zero up to rounding
ZERO_VARIANCE_REL = 1e-6


def clean_variance(p, var, n) -> np.ndarray:
    """``var`` with values that are zero up to rounding set to exactly 0.

    Scale: the binomial variance at the actual sample size, ``p(1−p)/n``
    (share², same units as ``var``); below ``ZERO_VARIANCE_REL`` of it the
    variance is floating-point noise (weights equal in theory, unequal in the
    last bits). NaN stays NaN.
    """
    p = np.asarray(p, dtype=float)
    var = np.asarray(var, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.abs(p * (1 - p)) / np.where(n > 0, n, np.nan)
        tiny = np.abs(var) <= ZERO_VARIANCE_REL * np.where(np.isfinite(scale), scale, 0.0)
    return np.where(tiny, 0.0, var)


def effective_n(p, var, n, deff0=None, cap: bool = True) -> np.ndarray:
    """Effective sample size of a proportion (households), see the module doc.

    * ``min(p(1−p)/var, n)`` when ``0 < p < 1`` and the variance is positive
      (``p(1−p)/var`` uncapped with ``cap=False``, as R's Korn–Graubard);
    * ``n / max(deff0, 1)`` when ``p`` is 0 or 1 or the variance is zero up to
      rounding (``deff0``: a design effect borrowed from elsewhere; default 1,
      the NCHS rule);
    * NaN when the variance (or ``p``) is undefined: never a substitute.
    """
    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)
    var = clean_variance(p, var, n)
    d0 = np.ones_like(n) if deff0 is None else np.asarray(deff0, dtype=float)
    d0 = np.where(np.isfinite(d0) & (d0 > 1), d0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ne = p * (1 - p) / var
        if cap:
            ne = np.minimum(ne, n)
    edge = (p <= 0) | (p >= 1) | (var == 0)
    out = np.where(edge, n / d0, ne)
    return np.where(np.isnan(var) | np.isnan(p), np.nan, out)


#: why a proportion has no interval (i18n keys, toolkit.i18n.survey)
NO_INTERVAL_REASONS = ("survey.no_interval.no_data", "survey.no_interval.variance",
                       "survey.no_interval.df")


def no_interval_reason(p, se, df) -> np.ndarray:
    """Per domain, the i18n key saying why the interval is undefined, or
    ``""`` when it is defined: no observation (``p`` NaN), an undefined
    variance (``se`` NaN: a stratum or PSU with a single sampled unit under
    the ``average`` rule) or no degrees of freedom (one PSU per stratum)."""
    p = np.asarray(p, dtype=float)
    se = np.asarray(se, dtype=float)
    df = np.asarray(df, dtype=float)
    out = np.where(np.isnan(p), NO_INTERVAL_REASONS[0],
                   np.where(np.isnan(se), NO_INTERVAL_REASONS[1],
                            np.where(~(df > 0), NO_INTERVAL_REASONS[2], "")))
    return out.astype(object)


def korn_graubard(p, var, n, df, level: float = 0.95, n_rows=None, deff0=None):
    """Korn–Graubard (Clopper–Pearson at the df-adjusted effective n).

    ``n_rows`` (default ``n``) is the number of domain rows used in the
    ``t_{n−1}`` factor; R counts rows whose variable is missing there too
    (``nrow(design)``), and so do we when the design passes it. ``deff0``:
    design effect at the edges (see :func:`effective_n`). Inside (0, 1) the
    effective n is R's, not capped at n, so that the interval equals R's.
    """
    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)
    n_rows = n if n_rows is None else np.asarray(n_rows, dtype=float)
    df = np.asarray(df, dtype=float)
    alpha = 1 - level
    ne = effective_n(p, var, n, deff0, cap=False)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = _stats().t.ppf(alpha / 2, np.where(n_rows > 1, n_rows - 1, np.nan)) / _stats().t.ppf(
            alpha / 2, np.where(df > 0, df, np.nan))
        ne = ne * ratio ** 2
        a_lo, b_lo = ne * p, ne * (1 - p) + 1
        a_hi, b_hi = ne * p + 1, ne * (1 - p)
        lo = np.where(p <= 0, 0.0, _stats().beta.ppf(alpha / 2, np.where(a_lo > 0, a_lo, np.nan), b_lo))
        hi = np.where(p >= 1, 1.0, _stats().beta.ppf(1 - alpha / 2, a_hi, np.where(b_hi > 0, b_hi, np.nan)))
    bad = ~np.isfinite(ne)
    return np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)


def _kl(p: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Binomial Kullback–Leibler divergence ``p log(p/μ) + (1−p) log((1−p)/(1−μ))``
    (0 · log 0 = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(p > 0, p * np.log(p / mu), 0.0)
        b = np.where(p < 1, (1 - p) * np.log((1 - p) / (1 - mu)), 0.0)
    return a + b


def likelihood(p, var, n, df, level: float = 0.95, deff0=None):
    """Rao–Scott scaled likelihood-ratio interval (R ``svyciprop(method="likelihood")``).

    The bounds are the two shares μ where the binomial deviance of the
    intercept-only model, divided by the design effect ``λ = n/n_eff`` (R:
    ``cov.unscaled / naive.cov`` of ``svyglm``) and by the quasi-binomial
    dispersion ``φ = n/(n−1)`` (``summary.svyglm``: the design-weighted
    variance of the Pearson residuals), reaches ``t_{df}²``::

        2 · n_eff · (p log(p/μ) + (1−p) log((1−p)/(1−μ))) = t_{df, 1−α/2}² · n/(n−1)

    with ``n_eff`` from :func:`effective_n` (so the edges behave as Wilson's:
    at p̂ = 0 the upper bound is ``1 − exp(−t²/(2 n_eff))``). R locates the
    same roots by a spline through a coarse profile (MASS ``profile.glm``), so
    its bounds agree with ours to about 1e-4, not to machine precision.
    Solved by bisection on the logit scale, vectorised over domains.
    """
    p = np.asarray(p, dtype=float)
    t = _tcrit(df, level)
    n = np.asarray(n, dtype=float)
    ne = effective_n(p, var, n, deff0)
    with np.errstate(divide="ignore", invalid="ignore"):
        target = t * t * (n / np.where(n > 1, n - 1, np.nan)) / (2 * ne)
    ok = np.isfinite(target) & np.isfinite(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = np.where(ok, np.log(p / (1 - p)), 0.0)
    centre = np.clip(centre, -800.0, 800.0)
    out = []
    for side in (-1.0, 1.0):
        inner = centre.copy()                    # g < 0 here (at the estimate)
        outer = np.full_like(centre, 800.0 * side)
        for _ in range(110):
            mid = (inner + outer) / 2
            g = _kl(p, _expit(mid)) - target
            inside = g < 0
            inner = np.where(inside, mid, inner)
            outer = np.where(inside, outer, mid)
        b = _expit((inner + outer) / 2)
        edge = (p <= 0) if side < 0 else (p >= 1)
        b = np.where(edge, 0.0 if side < 0 else 1.0, b)
        out.append(np.where(ok, b, np.nan))
    return out[0], out[1]


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


def wilson(p, var, n, df, level: float = 0.95, deff0=None):
    """Wilson score interval at the effective sample size, critical value
    ``t_{df}``; NaN where the variance or the degrees of freedom are undefined."""
    p = np.asarray(p, dtype=float)
    t = _tcrit(df, level)
    ne = effective_n(p, var, n, deff0)
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
    "likelihood": likelihood,
    "logit": logit,
    "xlogit": logit,
    "asin": asin,
    "wilson": wilson,
    "wald": wald,
}


def proportion_ci(method: str, p, var, n, df, level: float = 0.95, n_rows=None, deff0=None):
    """Dispatch to one of :data:`CI_METHODS`; returns ``(low, high)`` arrays.

    ``deff0`` (design effect at p̂ = 0/1 or a zero variance) is used by the
    effective-n methods (``korn-graubard``, ``wilson``); the others follow R.
    """
    if method == "korn-graubard":
        return korn_graubard(p, var, n, df, level, n_rows=n_rows, deff0=deff0)
    if method in ("wilson", "likelihood"):
        return _FUNCS[method](p, var, n, df, level, deff0=deff0)
    return _FUNCS[method](p, var, n, df, level)
