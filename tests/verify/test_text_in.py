"""``text_in`` answers exactly what ``Series.isin`` answered (issue 21: the
fast path through Arrow's own value set), for Arrow and object text,
missing cells, missing values in the set, and empty inputs."""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.verify.text_in import text_in


def test_same_answer_as_isin() -> None:
    cols = [pd.Series(["a", "b", None, "c", " a"], dtype="string"),
            pd.Series(["a", "b", None, "c"], dtype=object).astype(str),
            pd.Series(["a", None, np.nan], dtype=object),
            pd.Series([], dtype="string"),
            pd.Series(["x1", "x2"], dtype="string", index=[7, 3])]
    sets = [{"a", "c"}, set(), {"a", None}, ["b", "b"], pd.Index(["a"]), frozenset({"x2"}), {"a", 1}]
    for s in cols:
        for v in sets:
            want = s.isin(v).fillna(False).astype(bool)
            got = text_in(s, v)
            assert got.dtype == bool
            assert got.index.equals(s.index)
            assert got.tolist() == want.tolist(), (s.tolist(), v)


def test_large_column() -> None:
    s = pd.Series([f"{i:018d}" for i in range(5000)], dtype="string")
    v = {f"{i:018d}" for i in range(0, 10000, 3)}
    assert text_in(s, v).tolist() == s.isin(v).tolist()
