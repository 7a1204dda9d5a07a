"""Inclusion probabilities proportional to size, and systematic selection.

``inclusion_probabilities(a, n)`` matches R ``sampling::inclusionprobabilities``:
π_i = n·a_i/Σa; any π_i ≥ 1 is set to 1 (a certainty unit) and the remaining
n − (number of certainty units) is re-spread over the others in proportion to
a_i, repeating until no π exceeds 1. Σ π_i = n.

``systematic(pi, u)`` matches R ``sampling::UPsystematic`` given its random
start: units with π ≥ 1 − 1e-6 are taken with certainty and units with
π ≤ 1e-6 never; over the remaining ones in the given order, with cumulative
sums C_0 = 0, C_i = π_1 + … + π_i, unit i is selected when an integer lies in
(C_{i−1} − u, C_i − u], i.e. ⌊C_i − u⌋ > ⌊C_{i−1} − u⌋, for a start u ∈ (0, 1]
that toolkit.sampling derives from the seed. Each unit is then selected with
probability exactly π_i.

``systematic_equal(big_n, n, u)``: the equal-probability case with a
fractional interval k = N/n, computed without cumulative sums: the selected
1-based positions are ⌈(j + u)·N/n⌉ for j = 0 … n−1.
"""
from __future__ import annotations

import numpy as np

EPS = 1e-6  # as in R sampling


def inclusion_probabilities(a: np.ndarray, n: float) -> np.ndarray:
    """π ∝ size with certainty units capped at 1 and the rest re-spread."""
    a = np.asarray(a, dtype=float)
    if np.any(np.isnan(a)):
        raise ValueError("missing size measure")
    a = np.where(a < 0, 0.0, a)
    if not np.any(a > 0):
        return np.zeros_like(a)
    pik = n * a / a.sum()
    pos = pik > 0
    sub = pik[pos]
    cert = sub >= 1
    count = int(cert.sum())
    if count:
        prev = -1
        while count != prev:
            x = sub[~cert]
            sub[~cert] = (n - count) * x / x.sum() if x.sum() > 0 else 0.0
            sub[cert] = 1.0
            prev = count
            cert = sub >= 1
            count = int(cert.sum())
        pik[pos] = sub
    return pik


def systematic(pi: np.ndarray, u: float) -> np.ndarray:
    """Boolean selection by systematic sampling with unequal π (order as given)."""
    pi = np.asarray(pi, dtype=float)
    out = pi >= 1 - EPS
    mid = (pi > EPS) & ~out
    if np.any(mid):
        c = np.concatenate([[0.0], np.cumsum(pi[mid])])
        fl = np.floor(c - u)
        out[np.flatnonzero(mid)] = fl[1:] > fl[:-1]
    return out


def systematic_equal(big_n: int, n: int, u: float) -> np.ndarray:
    """0-based positions chosen by equal-probability systematic sampling.

    Interval k = N/n (fractional); positions ⌈(j + u)k⌉ − 1, j = 0 … n − 1,
    u ∈ (0, 1]. Every position has probability n/N.
    """
    if n <= 0:
        return np.empty(0, dtype=np.intp)
    j = np.arange(n, dtype=float)
    pos = np.ceil((j + u) * big_n / n).astype(np.intp) - 1
    return np.clip(pos, 0, big_n - 1)


__all__ = ["inclusion_probabilities", "systematic", "systematic_equal", "EPS"]
