"""Sample sizes: a proportion with a margin of error, and zero-failure checks.

Proportion (Cochran)::

    z      = Φ⁻¹(1 − (1 − confidence)/2)                  (two-sided)
    n0     = z² · p(1 − p) / e²                            simple random sample, infinite N
    n_deff = n0 · deff                                     design effect applied FIRST
    n_fpc  = n_deff / (1 + (n_deff − 1)/N)                 Cochran's finite-population correction
    n      = ⌈n_fpc⌉                                       completed interviews needed
    n_draw = min(N, ⌈n / response_rate⌉)                   households to draw

p, e and the response rate are shares (0–1); N is a count of households.
Convention: the design effect is applied before the finite-population
correction (the FPC then acts on the effective size). Worked examples:
p = .5, e = .05, 95 % → 385; with N = 2000 → 323; with N = 2000 and
deff = 1.5 → 448.

Zero-failure (acceptance) size: the smallest n such that, if the true
failure share were p0, a sample of n would show at least one failure with
probability ≥ confidence; so seeing 0 failures in n bounds the share below
p0 (one-sided). Binomial (N infinite): (1 − p0)ⁿ ≤ 1 − confidence, n =
⌈ln(1 − c)/ln(1 − p0)⌉; p0 = 2 %, 95 % → 149. Hypergeometric (finite N with
D = ⌈p0·N⌉ failures): C(N − D, n)/C(N, n) ≤ 1 − c; N = 2000, D = 40 → 143.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from toolkit.errors import UserError

_EPS = 1e-9  # rounding guard: 323.0000000001 is 323, not 324


def _ceil(x: float) -> int:
    return int(math.ceil(x - _EPS))


def _share(name: str, value: float, *, open_low: bool = True, allow_one: bool = False) -> float:
    v = float(value)
    ok = (0 < v if open_low else 0 <= v) and (v <= 1 if allow_one else v < 1)
    if not ok or math.isnan(v):
        raise UserError("sampling.bad_share", name=name, value=value)
    return v


@dataclass(frozen=True)
class ProportionSize:
    """Each part of the proportion sample-size formula (see module doc)."""

    p: float
    margin: float
    confidence: float
    z: float
    deff: float
    population: int | None
    response_rate: float
    n0: float
    n_deff: float
    n_fpc: float
    n: int
    n_draw: int

    def as_dict(self) -> dict[str, float | int | None]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def proportion_size(p: float = 0.5, margin: float = 0.05, confidence: float = 0.95, *,
                    deff: float = 1.0, population: int | None = None,
                    response_rate: float = 1.0) -> ProportionSize:
    """Households needed to estimate a share p within ± margin (see module doc)."""
    p = _share("p", p)
    margin = _share("margin", margin)
    confidence = _share("confidence", confidence)
    response_rate = _share("response_rate", response_rate, allow_one=True)
    if not deff or deff < 1e-12 or math.isnan(float(deff)):
        raise UserError("sampling.bad_number", name="deff", value=deff)
    if population is not None and int(population) < 1:
        raise UserError("sampling.bad_number", name="population", value=population)
    from scipy.stats import norm   # here, not at import: toolkit.sampling is read by every dashboard kernel

    z = float(norm.ppf(1 - (1 - confidence) / 2))
    n0 = z * z * p * (1 - p) / (margin * margin)
    n_deff = n0 * float(deff)
    n_fpc = n_deff if population is None else n_deff / (1 + (n_deff - 1) / int(population))
    n = max(1, _ceil(n_fpc))
    n_draw = _ceil(n / response_rate)
    if population is not None:
        n = min(n, int(population))
        n_draw = min(n_draw, int(population))
    return ProportionSize(p, margin, confidence, z, float(deff),
                          None if population is None else int(population), response_rate,
                          n0, n_deff, n_fpc, n, n_draw)


@dataclass(frozen=True)
class ZeroFailureSize:
    """Zero-failure size: n, the model used and P(0 failures in n | share p0).

    ``method`` is "binomial" (population None) or "hypergeometric";
    ``defects`` is D = ⌈p0·N⌉ for the hypergeometric case.
    """

    p0: float
    confidence: float
    population: int | None
    defects: int | None
    method: str
    n: int
    miss_probability: float


def zero_failure_size(p0: float, confidence: float = 0.95, *, population: int | None = None,
                      defects: int | None = None) -> ZeroFailureSize:
    """Smallest n with P(no failure seen | share p0) ≤ 1 − confidence (module doc)."""
    p0 = _share("p0", p0)
    confidence = _share("confidence", confidence)
    alpha = 1 - confidence
    if population is None:
        n = _ceil(math.log(alpha) / math.log1p(-p0))
        while n > 1 and (1 - p0) ** (n - 1) <= alpha:   # guard the float rounding
            n -= 1
        while (1 - p0) ** n > alpha:
            n += 1
        return ZeroFailureSize(p0, confidence, None, None, "binomial", n, (1 - p0) ** n)
    big_n = int(population)
    if big_n < 1:
        raise UserError("sampling.bad_number", name="population", value=population)
    d = _ceil(p0 * big_n) if defects is None else int(defects)
    if not 1 <= d <= big_n:
        raise UserError("sampling.bad_number", name="defects", value=d)
    i = np.arange(big_n - d + 1, dtype=np.float64)
    # log P(X = 0 | n) = Σ_{i<n} log((N − D − i)/(N − i)), for n = 1 … N − D + 1
    with np.errstate(divide="ignore"):  # the last term is log 0 = −inf: n = N − D + 1 always works
        logp = np.cumsum(np.log((big_n - d - i) / (big_n - i)))
    n = int(np.argmax(logp <= math.log(alpha))) + 1
    return ZeroFailureSize(p0, confidence, big_n, d, "hypergeometric", n, float(math.exp(logp[n - 1])))


__all__ = ["ProportionSize", "proportion_size", "ZeroFailureSize", "zero_failure_size"]
