"""The satisfaction distribution by county from sorted slices (issue 21,
seventh session) is the masked loop's, bit for bit: counts and shares for
every item × county × answer, with missing answers, answers outside 1–5,
a county with no valid answer, weights that do not add up exactly."""
from __future__ import annotations

import numpy as np

from toolkit.project.summaries import _distribution
from toolkit.verify.indicators import ALL


def _old(item, v, w, county):
    out = []
    for name in [ALL, *sorted(set(county))]:
        m = ~np.isnan(v) & ((county == name) if name != ALL else True)
        tw = w[m].sum()
        for code in range(1, 6):
            hit = m & (v == code)
            out.append((item, name, code, int(hit.sum()), float(w[hit].sum() / tw) if tw > 0 else np.nan))
    return out


def test_same_rows_bit_for_bit() -> None:
    rng = np.random.default_rng(11)
    for n, k in ((2000, 37), (300, 1), (50, 12)):
        county = np.array([f"县{i:03d}" for i in rng.integers(0, k, n)], dtype=object)
        v = rng.choice([1, 2, 3, 4, 5, 0, 6, 2.5, np.nan], n).astype(float)
        v[county == county[0]] = np.nan          # a county nobody answered
        w = rng.gamma(2.0, 37.3, n) * (1 + 1e-9 * rng.random(n))
        want, got = _old("sat_x", v, w, county), _distribution("sat_x", v, w, county)
        assert len(got) == len(want)
        for a, b in zip(got, want):
            assert a[:4] == b[:4]
            assert (np.isnan(a[4]) and np.isnan(b[4])) or a[4] == b[4], (a, b)
