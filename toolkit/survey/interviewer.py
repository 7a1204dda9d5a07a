"""Interviewer statistics: each interviewer against the rest of the team, the
multiple-comparison correction, and the interviewer intra-class correlation.

Pure numpy / scipy / pandas (no project imports): used at ingest for the
answer-pattern signals (toolkit.ingest.fabrication) and at verify for the
finding-based ones (toolkit.verify.interviewers).

**One interviewer against the rest.** For a yes/no outcome (a verdict, a
straight-lined satisfaction block, an income amount ending in 00), the 2 × 2
table (this interviewer / everyone else) × (yes / no). When every expected
count is at least 5, Pearson's χ² (1 degree of freedom, no continuity
correction) on whole columns at once; otherwise Fisher's exact test
(``scipy.stats.fisher_exact``; one call per small table only). ``alternative``
"greater" asks "does this interviewer have MORE of it than the rest" (a
fabrication signal: rounding, straight-lining, short interviews); "two-sided"
asks "different from the rest" (finding rates: a fabricator may find fewer
problems or more). One-sided χ² p = Φ(−z) with z the signed difference of
proportions over its pooled standard error (z² = χ²).

**Correction: Holm.** Every interviewer × signal tested in one run is one
family; Holm's step-down method keeps the chance of flagging ANY honest
interviewer at or below α (the family-wise error rate), with no assumption on
how the tests depend on each other. Benjamini–Hochberg would control only the
expected share of false flags among the flags; since a flag names a person
and sends supervisors to re-visit their households, we choose the stricter
guarantee. Holm is uniformly more powerful than Bonferroni.

**Intra-class correlation (one-way ANOVA estimator).** For an outcome y with
interviewer groups i = 1..k of sizes n_i (N = Σ n_i)::

    MSB = Σ n_i (ȳ_i − ȳ)² / (k − 1)
    MSW = Σ Σ (y_ij − ȳ_i)² / (N − k)
    m₀  = (N − Σ n_i² / N) / (k − 1)
    ρ   = (MSB − MSW) / (MSB + (m₀ − 1) · MSW)     (set to 0 when negative)

(with interviewers nested in strata, ȳ is each stratum's mean and k − 1
becomes k − c: see :func:`icc_anova`)

and the design effect the interviewers add to an estimate,
``deff = 1 + (m̄ − 1) · ρ`` with m̄ = N / k the mean interviews per
interviewer (Kish 1962): the variance of a mean is deff times what it would
be if each interviewer's households were independent.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

TEST_COLUMNS = ("group", "signal", "n", "hits", "rate", "rest_n", "rest_hits", "rest_rate", "test", "p")


def compare_to_rest(frame: pd.DataFrame, group: str, outcomes: list[str], *,
                    alternative: str = "greater") -> pd.DataFrame:
    """Each ``group`` value against the rest, for each 0/1 column of ``outcomes``
    (NaN: not in that outcome's denominator). One row per group × outcome:
    TEST_COLUMNS (test = "chi2" or "fisher"). Groups with no valid value for an
    outcome, or outcomes with no variation in the rest, get p = NaN."""
    outcomes = [c for c in outcomes if c in frame]
    if not outcomes or not len(frame):
        return pd.DataFrame(columns=list(TEST_COLUMNS))
    col = frame[group]
    codes, names = pd.factorize(col if isinstance(col.dtype, pd.CategoricalDtype) else col.astype(str), sort=True)
    names = np.asarray(names, dtype=object).astype(str)
    k, m = len(names), len(outcomes)
    n = np.zeros((k, m))
    h = np.zeros((k, m))
    for j, c in enumerate(outcomes):   # one bincount per outcome, never per row
        y = pd.to_numeric(frame[c], errors="coerce").to_numpy(float)
        ok = ~np.isnan(y)
        n[:, j] = np.bincount(codes[ok], minlength=k)
        h[:, j] = np.bincount(codes[ok], weights=(y[ok] > 0).astype(float), minlength=k)
    rn, rh = n.sum(axis=0) - n, h.sum(axis=0) - h
    out = pd.DataFrame({"group": np.repeat(np.asarray(names, dtype=object), m), "signal": np.tile(np.asarray(outcomes), k),
                        "n": n.ravel().astype(int), "hits": h.ravel().astype(int),
                        "rest_n": rn.ravel().astype(int), "rest_hits": rh.ravel().astype(int)})
    out = out[out["n"] > 0].reset_index(drop=True)
    out["rate"] = out["hits"] / out["n"]
    out["rest_rate"] = (out["rest_hits"] / out["rest_n"].where(out["rest_n"] > 0)).astype(float)
    p, test = table_tests(out["n"].to_numpy(), out["hits"].to_numpy(), out["rest_n"].to_numpy(),
                          out["rest_hits"].to_numpy(), alternative)
    out["test"], out["p"] = test, p
    return out[list(TEST_COLUMNS)]


def table_tests(n: np.ndarray, h: np.ndarray, rn: np.ndarray, rh: np.ndarray,
                alternative: str = "greater") -> tuple[np.ndarray, np.ndarray]:
    """p-values of the 2 × 2 tables [[h, n − h], [rh, rn − rh]] (module doc):
    χ² where every expected count ≥ 5, Fisher's exact test elsewhere."""
    n, h, rn, rh = (np.asarray(a, float) for a in (n, h, rn, rh))
    tot, hits = n + rn, h + rh
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.stack([n * hits / tot, n * (tot - hits) / tot, rn * hits / tot, rn * (tot - hits) / tot])
        big = (e >= 5).all(axis=0)
        p1, p2, pp = h / n, rh / rn, hits / tot
        se = np.sqrt(pp * (1 - pp) * (1 / n + 1 / rn))
        z = (p1 - p2) / se
    if alternative == "greater":
        pz = stats.norm.sf(z)
    elif alternative == "less":
        pz = stats.norm.cdf(z)
    else:
        pz = 2 * stats.norm.sf(np.abs(z))
    p = np.where(big, pz, np.nan)
    test = np.where(big, "chi2", "fisher").astype(object)
    undefined = (n <= 0) | (rn <= 0) | (hits <= 0) | (hits >= tot)
    small = np.flatnonzero(~big & ~undefined)
    if alternative in ("greater", "less") and len(small):   # one-sided Fisher = a hypergeometric tail, vectorised
        M, K, N, x = tot[small], hits[small], n[small], h[small]
        p[small] = stats.hypergeom.sf(x - 1, M, K, N) if alternative == "greater" else stats.hypergeom.cdf(x, M, K, N)
    elif len(small):   # two-sided Fisher: scipy's own steps for every table at once (same values)
        p[small] = fisher_two_sided(h[small], n[small], rh[small], rn[small])
    p[undefined] = np.nan
    test[undefined] = "none"
    return p, test


def fisher_two_sided(h: np.ndarray, n: np.ndarray, rh: np.ndarray, rn: np.ndarray) -> np.ndarray:
    """Two-sided p of Fisher's exact test for the 2 × 2 tables
    [[h, n − h], [rh, rn − rh]], each equal to
    ``scipy.stats.fisher_exact(table, "two-sided").pvalue``: the same steps
    (scipy 1.17's: the mode, the observed table's probability times
    1 + 1e-14, the tail on the observed side plus the tail beyond the first
    table on the other side that is no more probable, found by binary
    search) done on arrays, each hypergeometric probability by the same
    scipy function, so every table gets the value its own call gave, without
    a Python call per table (~2 ms each; thousands of interviewer ×
    indicator tables at national size). Tables with an empty row or column
    give 1, as scipy's do."""
    hg = stats.hypergeom
    x, n1 = np.asarray(h, float).astype(np.int64), np.asarray(n, float).astype(np.int64)
    n2 = np.asarray(rn, float).astype(np.int64)
    nn = x + np.asarray(rh, float).astype(np.int64)
    M = n1 + n2
    out = np.ones(len(x))
    live = (n1 > 0) & (n2 > 0) & (nn > 0) & (nn < M) & (np.asarray(rh) >= 0)
    i = np.flatnonzero(live)
    if not len(i):
        return out
    x, n1, M, nn = x[i], n1[i], M[i], nn[i]
    mode = ((nn + 1) * (n1 + 1) / (M + 2)).astype(np.int64)
    pexact, pmode = hg.pmf(x, M, n1, nn), hg.pmf(mode, M, n1, nn)
    gamma = 1 + 1e-14
    p = np.ones(len(x))
    at_mode = np.abs(pexact - pmode) / np.maximum(pexact, pmode) <= 1e-14
    low = ~at_mode & (x < mode)
    high = ~at_mode & ~low
    if low.any():
        j = np.flatnonzero(low)
        plower = hg.cdf(x[j], M[j], n1[j], nn[j])
        stop = hg.pmf(nn[j], M[j], n1[j], nn[j]) > pexact[j] * gamma
        p[j] = plower
        k = j[~stop]
        if len(k):
            guess = _search(lambda v, at: -hg.pmf(v, M[at], n1[at], nn[at]), -pexact[k] * gamma, mode[k], nn[k], k)
            p[k] = plower[~stop] + hg.sf(guess, M[k], n1[k], nn[k])
    if high.any():
        j = np.flatnonzero(high)
        pupper = hg.sf(x[j] - 1, M[j], n1[j], nn[j])
        stop = hg.pmf(np.zeros(len(j), np.int64), M[j], n1[j], nn[j]) > pexact[j] * gamma
        p[j] = pupper
        k = j[~stop]
        if len(k):
            guess = _search(lambda v, at: hg.pmf(v, M[at], n1[at], nn[at]), pexact[k] * gamma,
                            np.zeros(len(k), np.int64), mode[k], k)
            p[k] = pupper[~stop] + hg.cdf(guess, M[k], n1[k], nn[k])
    out[i] = np.minimum(p, 1.0)
    return out


def _search(a, d: np.ndarray, lo: np.ndarray, hi: np.ndarray, at: np.ndarray) -> np.ndarray:  # noqa: ANN001
    """scipy's ``_binary_search`` (stats._stats_py) on arrays: per element the
    index i in [lo, hi] with a(i) <= d < a(i + 1), a ascending there.
    ``a(values, rows)`` evaluates the function of the tables ``rows``."""
    lo, hi = lo.copy(), hi.copy()
    found = np.full(len(lo), -1, np.int64)
    active = lo < hi
    while active.any():
        w = np.flatnonzero(active)
        mid = lo[w] + (hi[w] - lo[w]) // 2
        val = a(mid, at[w])
        less, more = val < d[w], val > d[w]
        lo[w[less]] = mid[less] + 1
        hi[w[more]] = mid[more] - 1
        eq = ~less & ~more
        found[w[eq]] = mid[eq]
        active[w[eq]] = False
        active &= lo < hi
    rest = found < 0
    if rest.any():
        w = np.flatnonzero(rest)
        found[w] = np.where(a(lo[w], at[w]) <= d[w], lo[w], lo[w] - 1)
    return found


def holm(p: np.ndarray | pd.Series) -> np.ndarray:
    """Holm-adjusted p-values (module doc); NaN stays NaN and is not counted."""
    p = np.asarray(p, float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(~np.isnan(p))
    m = len(ok)
    if not m:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    adj = np.maximum.accumulate(np.minimum((m - np.arange(m)) * p[order], 1.0))
    out[order] = adj
    return out


@dataclass(frozen=True)
class ICC:
    """Interviewer intra-class correlation of one outcome (module doc):
    ``interviewers`` k, ``n`` N, ``m_bar`` N / k, ``icc`` ρ (≥ 0), ``deff``
    1 + (m̄ − 1) ρ; ``msb``/``msw`` the mean squares."""

    interviewers: int
    n: int
    m_bar: float
    icc: float
    deff: float
    msb: float
    msw: float


def icc_anova(y: pd.Series | np.ndarray, group: pd.Series | np.ndarray,
              within: pd.Series | np.ndarray | None = None) -> ICC:
    """The ANOVA estimator of the interviewer ICC of ``y`` (NaN rows left out).

    ``within``: the stratum of each row (interviewers nested in strata, e.g.
    counties). Then the between-interviewer sum of squares is taken about
    each stratum's mean, with k − c degrees of freedom (c strata), and
    m₀ = (N − Σ_s Σ_{i∈s} n_i² / N_s) / (k − c): differences between strata
    are not counted as interviewer effects."""
    y = pd.to_numeric(pd.Series(np.asarray(y)), errors="coerce").to_numpy(float)
    gc = pd.factorize(pd.Series(np.asarray(group, dtype=object)).astype(str))[0]
    sc = pd.factorize(pd.Series(np.asarray(within, dtype=object)).astype(str))[0] if within is not None \
        else np.zeros(len(y), dtype=np.int64)
    ok = ~np.isnan(y)
    y, gc, sc = y[ok], gc[ok], sc[ok]
    N = len(y)
    if N == 0:
        return ICC(0, 0, float("nan"), float("nan"), float("nan"), float("nan"), float("nan"))
    cell, cell_of = np.unique(sc.astype(np.int64) * (gc.max() + 1) + gc, return_inverse=True)   # stratum × interviewer
    ni = np.bincount(cell_of).astype(float)
    cmean = np.bincount(cell_of, weights=y) / ni
    cell_stratum = cell // (gc.max() + 1)
    s_codes, cell_s = np.unique(cell_stratum, return_inverse=True)
    row_s = np.searchsorted(s_codes, sc)
    s_n = np.bincount(row_s).astype(float)
    s_mean = np.bincount(row_s, weights=y) / s_n
    k, c = len(cell), len(s_codes)
    m_bar = N / k
    if k - c < 1 or N <= k:
        return ICC(k, N, m_bar, float("nan"), float("nan"), float("nan"), float("nan"))
    ssb = float((ni * (cmean - s_mean[cell_s]) ** 2).sum())
    ssw = float(((y - cmean[cell_of]) ** 2).sum())
    msb, msw = ssb / (k - c), ssw / (N - k)
    m0 = (N - float((ni ** 2 / s_n[cell_s]).sum())) / (k - c)
    den = msb + (m0 - 1) * msw
    rho = (msb - msw) / den if den > 0 else float("nan")
    rho = max(rho, 0.0) if not np.isnan(rho) else rho
    return ICC(k, N, m_bar, rho, 1 + (m_bar - 1) * rho if not np.isnan(rho) else float("nan"), msb, msw)


__all__ = ["ICC", "TEST_COLUMNS", "compare_to_rest", "holm", "icc_anova", "table_tests"]
