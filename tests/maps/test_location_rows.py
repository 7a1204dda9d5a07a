"""The location check's per-county row groups (one grouping) are the rows the
per-county comparison gave, in the same order; unknown codes are found by hashing."""
from __future__ import annotations

import numpy as np

from toolkit.maps.location import _rows_by_value


def test_rows_by_value_is_the_per_value_comparison() -> None:
    rng = np.random.default_rng(7)
    values = rng.choice(np.array(["110101", "110102", "", "999999"], dtype=object), 2000)
    mask = rng.random(2000) < 0.6
    groups = _rows_by_value(values, mask)
    assert set(groups) == set(values[mask])
    for v in set(values[mask]):
        assert np.array_equal(groups[v], np.flatnonzero(mask & (values == v)))
    assert _rows_by_value(values, np.zeros(2000, bool)) == {}
