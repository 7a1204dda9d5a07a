"""The manifest's fast JSON text equals json.dumps(..., ensure_ascii=False, indent=1) byte for byte."""
from __future__ import annotations

import json

import pytest

from toolkit.sampling.manifest_text import dumps_indent1

ODD = ['q"uote', "back\\slash", "新\n行", "\x00\x1f", "\u2028", "😀", "%s %d %%", "", " "]
CASES = [
    {},
    {"a": []},
    {"a": {}, "b": None, "c": [1, [2, {"x": []}]], "d": {"e": {"f": ODD}}},
    {"selected": [{"archive_id": s, "pi": 0.1 + i, "rank": i, "ok": i % 2 == 0, "none": None}
                  for i, s in enumerate(ODD)],
     "psus": [{"psu": "%(x)s", "size": 3.0}, {"psu": "b", "size": 1e-300}],
     "mixed": [{"a": 1}, {"b": 2}],
     "nested": [{"a": [1]}],
     "floats": [{"v": float("nan")}, {"v": float("inf")}, {"v": -float("inf")}, {"v": -0.0}, {"v": 1e22}],
     "ints": [{"v": True}, {"v": 2 ** 70}, {"v": -3}],
     "%key\"": [{"k%": "v"}],
     "scalars": "中文", "n": 3, "f": 0.1},
]


@pytest.mark.parametrize("case", CASES)
def test_same_bytes_as_json_dumps(case):
    assert dumps_indent1(case) == json.dumps(case, ensure_ascii=False, indent=1)
