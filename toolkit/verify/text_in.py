"""Membership of a text column in a set of ids, without pandas' slow path.

pandas 3 keeps text in Arrow; ``Series.isin(values)`` on such a column builds
Arrow's value set from the Python values in a way that costs ~0.4 s per
30,000 values whatever the column's length (measured 2026-11-30, pandas
3.1.1), and verify asks it a dozen times (households of the sample, outside
visits, the review queue, the roster rows of the sample). :func:`text_in`
gives the same answer through ``pyarrow.compute.is_in`` with the value set
built once as an Arrow array (~0.04 s); any other column, or values that are
not all text (a missing value in the set matches missing cells in pandas),
go through ``Series.isin`` as before.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def text_in(s: pd.Series, values: Iterable) -> pd.Series:
    """``s.isin(values)`` as a bool Series on ``s``'s index (module doc)."""
    vals = values if isinstance(values, set | frozenset) else set(values)
    arr = getattr(s.array, "_pa_array", None)
    if arr is None or not all(isinstance(v, str) for v in vals):
        return s.isin(vals).fillna(False).astype(bool)
    import pyarrow as pa
    import pyarrow.compute as pc

    hit = pc.is_in(arr, value_set=pa.array(list(vals), type=arr.type))
    out = np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool) if len(s) else np.zeros(0, dtype=bool)
    return pd.Series(out, index=s.index, dtype=bool)


def positions(keys: np.ndarray, values: pd.Series) -> np.ndarray:
    """``pd.Index(values.astype(str).to_numpy(dtype=object)).get_indexer(keys)``:
    the position of each key (text, or NaN for a missing one) among
    ``values``, -1 where absent.

    Why: at national size ``values`` is the roster's 5.5 million ids; pandas
    turns them into Python strings and hashes them for every look-up (~8 s
    each, twice per verify). An Arrow text column is looked up in Arrow
    instead (``pyarrow.compute.index_in``; a missing key finds a missing id,
    as in pandas). Ids that are not unique, other columns and keys that are
    not all text go the pandas way, which raises as before on ids that are
    not unique."""
    arr = getattr(values.array, "_pa_array", None)
    keys = np.asarray(keys, dtype=object)

    def pandas_way() -> np.ndarray:
        return pd.Index(values.astype(str).to_numpy(dtype=object)).get_indexer(keys)

    if arr is None or not len(keys) or not len(values):
        return pandas_way()
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return pandas_way()
    missing = pd.isna(keys)
    if not all(isinstance(k, str) for k in keys[~missing]):
        return pandas_way()
    vs = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    if pc.count_distinct(vs, mode="all").as_py() != len(vs):    # pandas refuses a look-up in ids that repeat
        return pandas_way()
    k = pa.array(np.where(missing, None, keys), type=vs.type)
    return np.asarray(pc.index_in(k, value_set=vs).fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.intp)


__all__ = ["text_in", "positions"]
