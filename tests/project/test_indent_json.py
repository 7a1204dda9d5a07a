"""``toolkit.project.indent_json.dumps`` writes exactly the text of
``json.dumps(obj, ensure_ascii=False, indent=2, default=str)``: nested and
flat containers, empty ones, tuples, Chinese and escaped text, special and
numpy floats, numpy ints and dates through ``default``, keys that are not
text, and a manifest-like list of drawn households."""
from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest

from toolkit.project.indent_json import dumps


def _want(o: object) -> str:
    return json.dumps(o, ensure_ascii=False, indent=2, default=str)


CASES = [
    {}, [], (), "x", 5, 2.5, None, True, float("nan"), -math.inf,
    {"a": 1, "b": [1, 2, {"c": []}], "d": {}, "e": ()},
    {"合肥": "东东075县", "q": 'quote " back \\ tab \t nl \n', "u": "\u2028\x00é"},
    {7: "int key", 2.5: "float key", True: "t", None: "n", "s": [None, False, 1e-05, 1e22, 0.1 + 0.2]},
    {"np": [np.float64(0.5), np.int64(3), np.bool_(True)], "when": dt.date(2026, 11, 30), "set": {1}},
    [[[]], [{}], [[1, [2, [3]]]], ({"k": (1, 2)},)],
    {"manifest": {"selected": [{"archive_id": f"DZ{i:06d}", "stratum": "comparison|东东075县", "rank": i,
                                "pi": 1 / (i + 3), "weight": (i + 3) * 1.0, "certainty": i % 2 == 0}
                               for i in range(300)], "counts": {"selected": 300}}},
]


@pytest.mark.parametrize("obj", CASES, ids=range(len(CASES)))
def test_same_text_as_json(obj) -> None:
    assert dumps(obj) == _want(obj)


def test_bad_key_refused_as_json_does() -> None:
    with pytest.raises(TypeError):
        _want({(1, 2): 1, "x": [1]})
    with pytest.raises(TypeError):
        dumps({(1, 2): 1, "x": [1]})
