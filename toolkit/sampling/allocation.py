"""Allocation of a total sample n across strata, with bounds and exact rounding.

Weights (w_h) per method, N_h the stratum's units:

* ``proportional``: w_h = N_h
* ``neyman``:       w_h = N_h · S_h, with S_h given, or S_h = √(p_h(1 − p_h))
                    from an anticipated share p_h
* ``equal``:        w_h = 1
* ``sqrt``:         w_h = √N_h   (square-root allocation, a compromise between
                    county estimates and the pooled estimate)

Bounds: lower_h = min(minimum, N_h) with minimum ≥ 2 so that every stratum has
a within-stratum variance; upper_h = min(maximum, N_h) (never more than the
stratum holds).

Continuous solution: x_h = clip(λ·w_h, lower_h, upper_h), with λ solved
exactly so that Σ x_h = n. This is the "cap and re-spread" rule: strata at a
bound keep it, and the rest of n is spread over the others by weight until no
stratum is out of bounds.

Rounding (largest remainder / Hamilton): n_h = ⌊x_h⌋, then the missing units go
one each to the strata with the largest fractional parts x_h − ⌊x_h⌋ among
those still below upper_h; ties go to the stratum that comes first in label
order (fractional parts equal up to 1e-9 are ties: λ·w_h carries floating-point
noise in the last bits, which must not decide). Hence Σ n_h = n exactly and
lower_h ≤ n_h ≤ upper_h.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.errors import UserError
from toolkit.sampling.sample_files import StratumWords

METHODS = ("proportional", "neyman", "equal", "sqrt")
MIN_PER_STRATUM = 2


@dataclass(frozen=True)
class StratumAllocation:
    """One stratum's row: units N_h, weight w_h, exact x_h, bounds and n_h."""

    stratum: str
    population: int
    weight: float
    exact: float
    lower: int
    upper: int
    n: int

    @property
    def fraction(self) -> float:
        """Sampling fraction f_h = n_h / N_h."""
        return self.n / self.population if self.population else 0.0


@dataclass(frozen=True)
class Allocation:
    """The allocation table; ``method`` is one of METHODS or ``per_stratum``."""

    method: str
    n: int
    strata: tuple[StratumAllocation, ...]

    def sizes(self) -> dict[str, int]:
        """Stratum label → n_h."""
        return {s.stratum: s.n for s in self.strata}

    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame (one row per stratum)."""
        return pd.DataFrame([{"stratum": s.stratum, "N_h": s.population, "weight": s.weight,
                              "exact": s.exact, "lower": s.lower, "upper": s.upper, "n_h": s.n,
                              "fraction": s.fraction} for s in self.strata])

    def as_dict(self) -> dict:
        return {"method": self.method, "n": self.n,
                "strata": [{"stratum": s.stratum, "N_h": s.population, "n_h": s.n}
                           for s in self.strata]}


def _check_sizes(sizes: Mapping[str, int]) -> list[tuple[str, int]]:
    items = sorted((str(k), int(v)) for k, v in sizes.items())
    if not items:
        raise UserError("sampling.no_strata")
    for label, big_n in items:
        if big_n < 2:
            raise UserError("sampling.stratum_too_small", stratum=StratumWords(label), size=big_n)
    return items


def _weights(items: list[tuple[str, int]], method: str, sd: Mapping[str, float] | None,
             p: Mapping[str, float] | None) -> np.ndarray:
    big_n = np.array([v for _, v in items], dtype=float)
    if method == "proportional":
        return big_n
    if method == "equal":
        return np.ones_like(big_n)
    if method == "sqrt":
        return np.sqrt(big_n)
    if method == "neyman":
        s = np.empty_like(big_n)
        for i, (label, _) in enumerate(items):
            if sd is not None and label in sd:
                v = float(sd[label])
            elif p is not None and label in p:
                ph = float(p[label])
                if not 0 <= ph <= 1:
                    raise UserError("sampling.bad_share", name=f"p[{label}]", value=ph)
                v = math.sqrt(ph * (1 - ph))
            else:
                raise UserError("sampling.neyman_missing", stratum=label)
            if not v >= 0 or math.isinf(v):
                raise UserError("sampling.bad_number", name=f"S[{label}]", value=v)
            s[i] = v
        return big_n * s
    raise UserError("sampling.bad_method", method=method, choices=", ".join(METHODS))


def solve_bounded(n: float, w: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                  fallback: np.ndarray | None = None) -> np.ndarray:
    """x = clip(λ·w, lo, hi) with Σ x = n (requires Σ lo ≤ n ≤ Σ hi).

    f(λ) = Σ clip(λ w_h, lo_h, hi_h) is continuous, non-decreasing and linear
    between the breakpoints lo_h/w_h, hi_h/w_h, so λ is found exactly by
    evaluating f at the breakpoints and interpolating on the crossing piece.
    Strata with w_h = 0 stay at lo_h unless the others are all at their upper
    bound; then they share the rest by ``fallback`` weights (N_h from
    ``allocate``; equal when None), which are also used when every w_h is 0.
    """
    w = np.asarray(w, dtype=float)
    lo = np.asarray(lo, dtype=float)
    hi = np.asarray(hi, dtype=float)
    fb = np.ones_like(w) if fallback is None else np.asarray(fallback, dtype=float)
    if not np.any(w > 0):
        w = fb
    pos = w > 0
    if n <= lo.sum():
        return lo.copy()
    full = np.where(pos, hi, lo)
    if n >= full.sum():
        if n == full.sum() or np.all(pos):
            return full
        # strata with weight 0 take what the others cannot hold, by the fallback weights
        rest = solve_bounded(int(round(n - hi[pos].sum())), fb[~pos], lo[~pos], hi[~pos])
        full[~pos] = rest
        return full
    bps = np.unique(np.concatenate([lo[pos] / w[pos], hi[pos] / w[pos]]))
    f = np.array([np.clip(b * w, lo, hi).sum() for b in bps])
    k = int(np.searchsorted(f, n, side="left"))   # f[k-1] < n <= f[k]
    if k == 0:
        lam = bps[0]
    else:
        a, b = bps[k - 1], bps[k]
        mid = (a + b) / 2
        interior = pos & (mid * w > lo) & (mid * w < hi)
        fixed = np.clip(mid * w, lo, hi)[~interior].sum()
        slope = w[interior].sum()
        lam = (n - fixed) / slope if slope > 0 else b
    return np.clip(lam * w, lo, hi)


#: fractional parts closer than this are equal (they differ only by floating-point rounding)
TIE_TOLERANCE = 1e-9


def _by_remainder(cand: np.ndarray, frac: np.ndarray, descending: bool) -> np.ndarray:
    """Candidate strata ordered by fractional part (largest first when
    ``descending``); parts equal up to ``TIE_TOLERANCE`` are a tie, broken by
    label order (the first label first). Exact fractions such as 4/7 come out
    of λ·w_h with last-bit differences, so comparing raw floats would decide
    ties by rounding noise."""
    f = frac[cand] if descending else -frac[cand]
    order = np.argsort(-f, kind="stable")
    fs = f[order]
    group = np.concatenate([[0], np.cumsum(-np.diff(fs) > TIE_TOLERANCE)])
    return cand[order[np.lexsort((cand[order], group))]]


def round_largest_remainder(n: int, x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Integers within [lo, hi] summing to n, by largest remainders (ties,
    up to ``TIE_TOLERANCE``: the first label)."""
    base = np.clip(np.floor(np.asarray(x, dtype=float) + TIE_TOLERANCE), lo, hi).astype(np.int64)
    frac = np.asarray(x, dtype=float) - base
    short = int(n - base.sum())
    idx = np.arange(len(base))
    if short > 0:
        pick = _by_remainder(idx[base < hi], frac, descending=True)[:short]
        base[pick] += 1
    elif short < 0:
        pick = _by_remainder(idx[base > lo], frac, descending=False)[:-short]
        base[pick] -= 1
    return base


def allocate(sizes: Mapping[str, int], n: int, method: str = "proportional", *,
             sd: Mapping[str, float] | None = None, p: Mapping[str, float] | None = None,
             min_per_stratum: int = MIN_PER_STRATUM,
             max_per_stratum: int | Mapping[str, int] | None = None) -> Allocation:
    """Allocate n across strata (label → N_h); see the module doc for the rules.

    Raises UserError for a stratum with fewer than 2 units, n larger than the
    frame, n smaller than the sum of the minimums, a minimum below 2, or a
    Neyman stratum with neither S_h nor p_h.
    """
    items = _check_sizes(sizes)
    n = int(n)
    if int(min_per_stratum) < MIN_PER_STRATUM:
        raise UserError("sampling.min_per_stratum", value=min_per_stratum)
    total = sum(v for _, v in items)
    if n > total:
        raise UserError("sampling.n_exceeds_frame", n=n, size=total, stratum="*")
    big_n = np.array([v for _, v in items], dtype=np.int64)
    lo = np.minimum(int(min_per_stratum), big_n)
    if max_per_stratum is None:
        hi = big_n.copy()
    elif isinstance(max_per_stratum, Mapping):
        hi = np.array([min(int(max_per_stratum.get(k, v)), v) for k, v in items], dtype=np.int64)
    else:
        hi = np.minimum(int(max_per_stratum), big_n)
    hi = np.maximum(hi, lo)
    if n < lo.sum():
        raise UserError("sampling.n_below_minimum", n=n, minimum=int(lo.sum()),
                        strata=len(items), per=int(min_per_stratum))
    if n > hi.sum():
        raise UserError("sampling.n_exceeds_maximum", n=n, maximum=int(hi.sum()))
    w = _weights(items, method, sd, p)
    x = solve_bounded(n, w, lo, hi, fallback=big_n.astype(float))
    n_h = round_largest_remainder(n, x, lo, hi)
    assert int(n_h.sum()) == n
    return Allocation(method, n, tuple(
        StratumAllocation(label, int(big_n[i]), float(w[i]), float(x[i]), int(lo[i]), int(hi[i]), int(n_h[i]))
        for i, (label, _) in enumerate(items)))


def per_stratum(sizes: Mapping[str, int], n_each: int) -> Allocation:
    """The same n_each in every stratum; a stratum holding fewer is an error."""
    items = _check_sizes(sizes)
    n_each = int(n_each)
    if n_each < 1:
        raise UserError("sampling.bad_number", name="per_stratum", value=n_each)
    for label, big_n in items:
        if n_each > big_n:
            raise UserError("sampling.n_exceeds_frame", n=n_each, size=big_n, stratum=StratumWords(label))
    return Allocation("per_stratum", n_each * len(items), tuple(
        StratumAllocation(label, v, 1.0, float(n_each), n_each, n_each, n_each) for label, v in items))


__all__ = ["METHODS", "MIN_PER_STRATUM", "Allocation", "StratumAllocation", "allocate",
           "per_stratum", "solve_bounded", "round_largest_remainder"]
