"""``_number_in`` (each distinct value parsed once; issue 21, seventh
session) answers as ``np.isin(_number(s), num)`` did: text, Arrow text,
mixed objects, numbers, booleans, missing values, repeated values."""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.verify.compare import _number, _number_in


def test_same_as_parsing_every_value() -> None:
    rng = np.random.default_rng(4)
    pool = ["99", "99.0", " 99 ", "不清楚", "", None, np.nan, 99, 99.0, True, "1e2", "-1", "0x10", "１２"]
    cols = [pd.Series(rng.choice(np.array(pool, dtype=object), 500), dtype=object),
            pd.Series(rng.choice(["99", "不清楚", "-1", None], 300), dtype="string"),
            pd.Series(rng.choice(["99", "不清楚", "-1", None], 300), dtype="str"),
            pd.Series(rng.integers(-2, 100, 200)), pd.Series(rng.random(50) * 100),
            pd.Series([True, False, True]), pd.Series([], dtype=object),
            pd.Series([None, None], dtype=object).set_axis([5, 9])]
    for s in cols:
        for num in ([99.0], [-1.0, 100.0], [1.0]):
            want = np.isin(_number(s), num)
            got = _number_in(s, num)
            assert got.dtype == bool and got.tolist() == want.tolist(), (s.dtype, num)
