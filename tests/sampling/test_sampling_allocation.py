"""Allocation: Σ n_h = n exactly, bounds respected, every method and edge case."""
import math

import pytest
from hypothesis import given, settings, strategies as st

from toolkit.errors import UserError
from toolkit.sampling.allocation import METHODS, allocate, per_stratum


def test_proportional_largest_remainder():
    a = allocate({"a": 500, "b": 300, "c": 200}, 10)
    assert a.sizes() == {"a": 5, "b": 3, "c": 2}
    a = allocate({"c": 10, "a": 10, "b": 10}, 7, "equal")    # equal remainders: first label wins
    assert a.sizes() == {"a": 3, "b": 2, "c": 2}


def test_minimum_two_and_respread():
    a = allocate({"big": 10_000, "tiny": 3, "small": 40}, 50)
    assert a.sizes()["tiny"] == 2 and a.sizes()["small"] >= 2
    assert sum(a.sizes().values()) == 50


def test_cap_at_stratum_size_respreads():
    a = allocate({"a": 5, "b": 1000, "c": 1000}, 100, "equal")
    assert a.sizes() == {"a": 5, "b": 48, "c": 47}


def test_neyman_from_p_and_sd():
    a = allocate({"x": 1000, "y": 1000}, 100, "neyman", p={"x": 0.5, "y": 0.1})
    # 0.5 : 0.3 → 62.5 : 37.5, a tie (√0.09 is 0.30000000000000004 as a float): first label
    assert a.sizes() == {"x": 63, "y": 37}
    b = allocate({"x": 1000, "y": 1000}, 100, "neyman", sd={"x": 2.0, "y": 1.0})
    assert b.sizes() == {"x": 67, "y": 33}
    with pytest.raises(UserError) as e:
        allocate({"x": 10, "y": 10}, 6, "neyman", p={"x": 0.5})
    assert e.value.fields["stratum"] == "y"


def test_sqrt():
    a = allocate({"a": 100, "b": 400}, 30, "sqrt")
    assert a.sizes() == {"a": 10, "b": 20}


@pytest.mark.parametrize("sizes,n,key", [
    ({"a": 10, "b": 1}, 4, "sampling.stratum_too_small"),
    ({"a": 10, "b": 0}, 4, "sampling.stratum_too_small"),
    ({"a": 10, "b": 5}, 16, "sampling.n_exceeds_frame"),
    ({"a": 10, "b": 5, "c": 5}, 5, "sampling.n_below_minimum"),
    ({}, 1, "sampling.no_strata"),
])
def test_bad(sizes, n, key):
    with pytest.raises(UserError) as e:
        allocate(sizes, n)
    assert e.value.key == key
    if key == "sampling.stratum_too_small":
        assert e.value.fields["stratum"] == "b"


def test_min_below_two_refused():
    with pytest.raises(UserError):
        allocate({"a": 10, "b": 10}, 4, min_per_stratum=1)


def test_per_stratum():
    assert per_stratum({"a": 10, "b": 5}, 5).sizes() == {"a": 5, "b": 5}
    with pytest.raises(UserError) as e:
        per_stratum({"a": 10, "b": 4}, 5)
    assert e.value.fields["stratum"] == "b"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(2, 5000), min_size=1, max_size=12), st.data(),
       st.sampled_from(METHODS), st.integers(2, 6), st.one_of(st.none(), st.integers(2, 400)))
def test_sum_is_n_and_bounds_hold(big_ns, data, method, minimum, maximum):
    sizes = {f"s{i:02d}": v for i, v in enumerate(big_ns)}
    lo = sum(min(minimum, v) for v in big_ns)
    hi = sum(max(min(maximum if maximum else v, v), min(minimum, v)) for v in big_ns)
    n = data.draw(st.integers(lo, hi))
    p = {k: data.draw(st.floats(0, 1)) for k in sizes} if method == "neyman" else None
    a = allocate(sizes, n, method, p=p, min_per_stratum=minimum, max_per_stratum=maximum)
    assert sum(a.sizes().values()) == n
    for s in a.strata:
        assert s.lower <= s.n <= s.upper <= s.population
        assert abs(s.n - s.exact) < 1 + 1e-9          # rounding moves a stratum by less than one
    assert math.isclose(sum(s.exact for s in a.strata), n, rel_tol=1e-9, abs_tol=1e-6)


def test_exact_tie_goes_to_the_first_label_not_to_rounding_noise():
    # 300 × 1200/2800 and 300 × 500/2800 both leave 4/7; as floats C's part is
    # larger in the last bit. The documented rule gives the unit to A.
    a = allocate({"A": 1200, "B": 800, "C": 500, "D": 300}, 300)
    assert [s.n for s in a.strata] == [129, 86, 53, 32]


def test_tie_when_taking_units_back_goes_to_the_first_label():
    from toolkit.sampling.allocation import round_largest_remainder
    import numpy as np
    x = np.array([1 + 4 / 7, 2 + 4 / 7 * (1 - 1e-15), 3 + 5 / 7])
    # floors sum to 6; n = 5 takes one unit back from the smallest part (a tie → first)
    out = round_largest_remainder(5, x, np.zeros(3), np.full(3, 10))
    assert out.tolist() == [0, 2, 3]
