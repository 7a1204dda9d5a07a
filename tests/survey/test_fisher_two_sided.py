"""Two-sided Fisher's exact test on arrays (issue 21: thousands of
interviewer × indicator tables at national size) gives, table by table, the
very value of ``scipy.stats.fisher_exact`` (bit for bit)."""
from __future__ import annotations

import numpy as np
from scipy import stats

from toolkit.survey.interviewer import fisher_two_sided, table_tests


def _tables() -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(21)
    k = 150
    n = rng.integers(1, 40, k)
    rn = rng.integers(1, 400, k)
    h = (rng.random(k) * (n + 1)).astype(int).clip(0, n)
    rh = (rng.random(k) * rng.random(k) * (rn + 1)).astype(int).clip(0, rn)
    # at the mode, one-row tables, all hits, no hits, mirror images
    edge = np.array([[0, 1, 1, 1], [1, 2, 1, 2], [3, 3, 0, 3], [2, 5, 2, 5], [4, 8, 4, 8], [0, 5, 0, 7],
                     [5, 5, 7, 7], [1, 30, 29, 30], [29, 30, 1, 30], [0, 12, 40, 300], [12, 12, 3, 300]])
    return (np.r_[h, edge[:, 0]], np.r_[n, edge[:, 1]], np.r_[rh, edge[:, 2]], np.r_[rn, edge[:, 3]])


def test_equals_scipy_table_by_table() -> None:
    h, n, rh, rn = _tables()
    want = np.array([stats.fisher_exact([[h[i], n[i] - h[i]], [rh[i], rn[i] - rh[i]]], alternative="two-sided")[1]
                     for i in range(len(h))])
    got = fisher_two_sided(h, n, rh, rn)
    assert np.array_equal(got, want)
    assert (got < 1).any() and (got == 1).any()   # both branches and the mode case reached


def test_table_tests_two_sided_uses_it() -> None:
    h, n, rh, rn = _tables()
    p, test = table_tests(n, h, rn, rh, "two-sided")
    fisher = test == "fisher"
    assert fisher.any()
    want = [stats.fisher_exact([[h[i], n[i] - h[i]], [rh[i], rn[i] - rh[i]]], alternative="two-sided")[1]
            for i in np.flatnonzero(fisher)]
    assert np.array_equal(p[fisher], np.array(want))
