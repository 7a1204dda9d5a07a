"""regex() over many values: the block-at-a-time search gives the per-value answers.

A column longer than one block, with one backtracking value in a later
block: that block is searched again value by value, so only that value is
"not judged" (2) and every other value is found (1) or not (0) as before.
"""
from __future__ import annotations

import numpy as np

import toolkit.forms.values as xv

SLOW = "^(a|aa)+$"


def test_one_slow_value_in_a_later_block_is_the_only_one_not_judged() -> None:
    n = 2 * xv._REGEX_BLOCK + 100
    values = ["aaaa" if i % 3 else "b" for i in range(n)]
    slow_at = xv._REGEX_BLOCK + 37
    values[slow_at] = "a" * 40 + "!"
    got = xv.regex_search_many(SLOW, values, budget=30, per_value=0.1)
    want = np.array([1 if i % 3 else 0 for i in range(n)], dtype=np.int8)
    want[slow_at] = 2
    assert got.tolist() == want.tolist()


def test_many_values_match_a_plain_search() -> None:
    rng = np.random.default_rng(5)
    values = ["".join(rng.choice(list("ab1 \n"), size=int(k))) for k in rng.integers(0, 12, 3000)]
    pattern = r"^[ab]{2,}\d?$"
    got = xv.regex_search_many(pattern, np.array(values, dtype=object))
    import re

    rx = re.compile(pattern)
    assert got.tolist() == [int(rx.search(v) is not None) for v in values]
