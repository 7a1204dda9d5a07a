"""Comparison engine: tolerances, normalisation, excluded and missing values, error rates."""
import numpy as np
import pandas as pd
import pytest

from toolkit.verify.compare import FieldPair, compare, compare_pair


def _res(a, v, pair):
    r, why = compare_pair(pd.Series(a, dtype=object), pd.Series(v, dtype=object), pair)
    return list(r), list(why)


def test_absolute_tolerance():
    p = FieldPair("size", "a", "v", kind="number", abs_tol=1)
    r, why = _res([3, 3, 3, 3], [3, 4, 5, 2], p)
    assert r == ["same", "same", "different", "same"]
    assert why == ["equal", "within_tolerance", "differs", "within_tolerance"]


def test_relative_tolerance_uses_the_archive_value():
    p = FieldPair("income", "a", "v", kind="number", rel_tol=0.10)
    r, _ = _res([1000.0, 1000.0, 1000.0, 0.0], [1100.0, 1100.01, 900.0, 0.0], p)
    assert r == ["same", "different", "same", "same"]


def test_larger_of_the_two_tolerances():
    p = FieldPair("x", "a", "v", kind="number", abs_tol=50, rel_tol=0.01)
    r, _ = _res([100.0, 10000.0, 10000.0], [149.0, 10099.0, 10101.0], p)
    assert r == ["same", "same", "different"]


def test_numbers_as_text_are_parsed():
    p = FieldPair("x", "a", "v", kind="number")
    r, _ = _res(["3", " 4 "], [3.0, "4"], p)
    assert r == ["same", "same"]


def test_text_normalisation_full_width_and_spaces():
    p = FieldPair("address", "a", "v", kind="text")
    r, why = _res(["合肥市 蜀山区12号", "ABC", "合肥市"], ["合肥市蜀山区１２号 ", "abc", "合肥县"], p)
    assert r == ["same", "same", "different"]
    assert why[0] == "within_tolerance"


def test_without_normalisation_spaces_differ():
    p = FieldPair("address", "a", "v", kind="text", normalise=False)
    r, _ = _res(["合肥市 蜀山区"], ["合肥市蜀山区"], p)
    assert r == ["different"]


def test_value_map_maps_archive_labels_to_form_codes():
    p = FieldPair("work", "a", "v", kind="choice", value_map=(("在岗", "employed"), ("失业", "unemployed")))
    r, _ = _res(["在岗", "失业", "在岗"], ["employed", "employed", "retired"], p)
    assert r == ["same", "different", "different"]


def test_missing_values_are_not_compared():
    p = FieldPair("x", "a", "v", kind="number")
    r, why = _res([None, 3, np.nan, 3], [3, None, 3, np.nan], p)
    assert r == ["not_compared"] * 4
    assert why == ["missing_archive", "missing_visit", "missing_archive", "missing_visit"]
    t = FieldPair("t", "a", "v", kind="text")
    r, why = _res(["", "x", "  "], ["x", "", "y"], t)
    assert r == ["not_compared"] * 3


def test_excluded_values_either_side():
    p = FieldPair("x", "a", "v", kind="choice", exclude=("unknown", 8, 9))
    r, why = _res(["a", "unknown", "a", "a", "a"], ["unknown", "a", 8, "9", "b"], p)
    assert r == ["not_compared"] * 4 + ["different"]
    assert why[:4] == ["excluded"] * 4


def test_bad_pair_declarations():
    with pytest.raises(ValueError):
        FieldPair("x", "a", "v", type=4)
    with pytest.raises(ValueError):
        FieldPair("x", "a", "v", kind="date")
    with pytest.raises(ValueError):
        FieldPair("x", "a", "v", abs_tol=-1)


def _frames():
    archive = pd.DataFrame({"archive_id": ["A", "B", "C", "D"], "size": [3, 4, 2, None],
                            "addr": ["x路1号", "y路2号", "z路3号", "w路"], "county": ["甲", "甲", "乙", "乙"]})
    visits = pd.DataFrame({"archive_id": ["A", "B", "C", "D", "E"], "size_v": [3, 5, 2, 2, 1],
                           "addr_v": ["x路１号", "y路2号", "q路", None, "v"], "interviewer_1": ["T1", "T1", "T2", "T2", "T2"]})
    pairs = (FieldPair("size", "size", "size_v", type=1, kind="number"),
             FieldPair("addr", "addr", "addr_v", type=3, kind="text"))
    return archive, visits, pairs


def test_compare_tables_and_error_rates():
    archive, visits, pairs = _frames()
    c = compare(archive, visits, pairs, county="county")
    t = c.table
    assert len(t) == 10
    got = dict(zip(zip(t["id"], t["pair"]), t["result"]))
    assert got[("A", "size")] == "same" and got[("A", "addr")] == "same"
    assert got[("B", "size")] == "different"
    assert got[("C", "addr")] == "different"
    assert got[("D", "size")] == "not_compared" and got[("D", "addr")] == "not_compared"
    assert got[("E", "size")] == "not_compared"          # no archive record
    f = c.by_field().set_index("pair")
    assert f.loc["size", "compared"] == 3 and f.loc["size", "different"] == 1
    assert f.loc["size", "error_rate"] == pytest.approx(1 / 3)
    e = c.by_enumerator().set_index(["enumerator", "type"])
    assert e.loc[("T1", 1), "different"] == 1 and e.loc[("T2", 3), "different"] == 1
    h = c.by_household().set_index("id")
    assert h.loc["A", "match"] == 1.0 and h.loc["B", "match"] == 0.0 and h.loc["C", "match"] == 0.0
    assert np.isnan(h.loc["D", "match"]) and np.isnan(h.loc["E", "match"])
    k = c.by_county().set_index(["county", "pair"])
    assert k.loc[("甲", "size"), "error_rate"] == 0.5


def test_non_key_pairs_stay_out_of_the_household_match():
    archive, visits, pairs = _frames()
    pairs = (pairs[0], FieldPair("addr", "addr", "addr_v", type=3, kind="text", key=False))
    h = compare(archive, visits, pairs, county="county").by_household().set_index("id")
    assert h.loc["C", "match"] == 1.0
