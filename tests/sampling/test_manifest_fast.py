"""The roster fingerprint's text on Arrow gives the same strings as the value-by-value rule.

Existing manifests must keep verifying: every value of a column of text goes
through ``_col_text``'s fast path and must equal ``_value_text`` of it (NFC,
Python's strip, missing → ""), including edge whitespace of every kind
Python strips, composed/decomposed accents, compatibility ideographs and
values that are not text (the fast path declines those).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from toolkit.sampling import manifest as mf

SPACES = [chr(i) for i in range(0x3001) if chr(i).isspace()]


def _slow(s: pd.Series) -> list[str]:
    return [mf._value_text(v) for v in s.astype(object)]


def _values(n: int, seed: int) -> list[object]:
    rng = np.random.default_rng(seed)
    pieces = ["张三", "e\u0301", "é", "\uf900", "A", "合肥市包河区", "x y", "", "\u200b", "Å", "A\u030a",
              "'=1+1", "\n", "ｅ", "\U0002a6d6"]
    out: list[object] = []
    for _ in range(n):
        k = rng.integers(0, 4)
        v = "".join(pieces[j] for j in rng.integers(0, len(pieces), k))
        if rng.random() < 0.3:
            v = SPACES[rng.integers(len(SPACES))] + v
        if rng.random() < 0.3:
            v = v + SPACES[rng.integers(len(SPACES))]
        out.append(v)
    out[::17] = [None] * len(out[::17])
    out[5::23] = [np.nan] * len(out[5::23])
    out[7::29] = [pd.NA] * len(out[7::29])
    return out


@pytest.mark.parametrize("dtype", [object, "string", "str"])
def test_text_fast_path_equals_value_rule(dtype):
    s = pd.Series(_values(4000, 1), dtype=dtype)
    fast = mf._text_fast(s)
    assert fast is not None
    assert fast == _slow(s)
    assert mf._col_text(s) == _slow(s)


def test_columns_that_are_not_text_keep_the_value_rule():
    mixed = pd.Series(["a", 1, 2.5, None, True, pd.Timestamp("2024-01-02")], dtype=object)
    assert mf._text_fast(mixed) is None
    assert mf._col_text(mixed) == ["a", "1", "2.5", "", "true", "2024-01-02"]


@pytest.mark.parametrize("series", [
    pd.Series([1, -2, 0, 3_000_000_000_000], dtype="int64"),
    pd.Series([1, None, -7], dtype="Int64"),
    pd.Series([3, 4], dtype="uint8"),
    pd.Series([True, None, False], dtype="boolean"),
    pd.Series([True, False], dtype=bool),
])
def test_integer_and_boolean_columns_match_the_value_rule(series):
    assert mf._col_text(series) == _slow(series)
