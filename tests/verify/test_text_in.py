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


def _old_positions(keys, values: pd.Series) -> np.ndarray:
    return pd.Index(values.astype(str).to_numpy(dtype=object)).get_indexer(np.asarray(keys, dtype=object))


def test_positions_equal_get_indexer() -> None:
    """positions() is pandas' get_indexer on the ids as text: Arrow and object
    ids, Chinese and edge spaces, missing ids and keys, absent keys, empty sides."""
    import pytest

    from toolkit.verify.text_in import positions

    rng = np.random.default_rng(3)
    ids = [f"HF{i:08d}" for i in rng.permutation(3000)] + ["合肥 01", " x", "x", ""]
    keys = [ids[i] for i in rng.integers(0, len(ids), 500)] + ["absent", "hf00000001", np.nan, " x", ""]
    columns = [pd.Series(ids, dtype="string[pyarrow]"), pd.Series(ids, dtype="str"), pd.Series(ids, dtype=object),
               pd.Series(ids + [None], dtype="string[pyarrow]"), pd.Series(ids, dtype="string[pyarrow]", index=range(5, 5 + len(ids))),
               pd.Series([], dtype="string[pyarrow]"), pd.Series(list(range(10)))]
    for values in columns:
        for k in (keys, [], ["a"], [np.nan]):
            want = _old_positions(k, values)
            got = positions(np.asarray(k, dtype=object), values)
            assert got.tolist() == want.tolist(), (values.dtype, k[:3])
    repeated = pd.Series(["a", "b", "a"], dtype="string[pyarrow]")   # pandas refuses; so does positions
    with pytest.raises(Exception) as old:
        _old_positions(["a"], repeated)
    with pytest.raises(type(old.value)):
        positions(np.asarray(["a"], dtype=object), repeated)


def test_unique_ids_through_hashes(monkeypatch) -> None:
    """``_unique`` says what Arrow's exact count says: repeats, one and two
    missing ids, and a forced collision of every hash (then the exact count)."""
    import polars as pl
    import pyarrow as pa
    import pyarrow.compute as pc

    from toolkit.verify import text_in as ti

    arrays = [pa.array(["a", "b", "c"]), pa.array(["a", "b", "a"]), pa.array(["a", None, "b"]),
              pa.array(["a", None, None]), pa.chunked_array([pa.array(["x", "y"]), pa.array(["y"])]),
              pa.chunked_array([pa.array(["x", "y"], pa.large_string()), pa.array(["z"], pa.large_string())]), pa.array([], pa.string())]
    for arr in arrays:
        assert ti._unique(arr) == (pc.count_distinct(arr, mode="all").as_py() == len(arr)), arr
    monkeypatch.setattr(pl.Series, "hash", lambda self, seed=0: pl.Series([0] * len(self), dtype=pl.UInt64))
    for arr in arrays:   # every hash equal: the exact count answers
        assert ti._unique_now(arr) == (pc.count_distinct(arr, mode="all").as_py() == len(arr)), arr
    kept = pa.array(["p", "q"])
    assert ti._unique(kept) is True and ti._SEEN[id(kept)][1] is True    # kept while the array lives
    key = id(kept)
    del kept
    assert key not in ti._SEEN
