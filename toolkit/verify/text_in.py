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

import weakref
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

    Why: at national size ``values`` is the roster's 5.5 million ids and the
    keys the ~30,000 visited households. pandas turns the ids into Python
    strings and hashes them for every look-up (~8 s each); Arrow's
    ``index_in`` with the ids as its value set still hashes all of them, and
    checking that they are unique (pandas refuses a look-up in ids that
    repeat) hashed them a second time (``count_distinct``: 6 s of CPU at
    5.5M). Here the look-up runs the other way: the distinct keys are the
    value set and every id is probed against it (``pyarrow.compute.index_in``,
    0.3 s of CPU at 5.5M against 30,000 keys); the ids are known unique when
    their 64-bit hashes are (:func:`_unique`). A missing key finds a missing
    id, as in pandas. Ids that repeat, other columns and keys that are not
    all text go the pandas way, which raises as before on ids that repeat."""
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
    if not _unique(arr):    # pandas refuses a look-up in ids that repeat
        return pandas_way()
    codes, distinct = pd.factorize(keys[~missing])
    wanted = list(distinct) + ([None] if missing.any() else [])   # a missing key: the missing id, if any
    hit = pc.index_in(arr, value_set=pa.array(wanted, type=arr.type))   # per id: which key it is, or null
    valid = pc.is_valid(hit)
    rows = np.flatnonzero(np.asarray(valid.to_numpy(zero_copy_only=False), dtype=bool))
    which = np.asarray(pc.filter(hit, valid).to_numpy(zero_copy_only=False), dtype=np.intp)
    at = np.full(len(wanted), -1, dtype=np.intp)
    at[which] = rows                       # ids are unique: each key is found at one row at most
    out = np.full(len(keys), -1, dtype=np.intp)
    out[~missing] = at[codes]
    if missing.any():
        out[missing] = at[-1]
    return out


_SEEN: dict[int, tuple[weakref.ref, bool]] = {}   # id of an Arrow array -> (the array, unique?)


def _unique(arr: object) -> bool:
    """True when the Arrow text ``arr`` holds no value twice (a missing value
    counts as a value, as ``count_distinct(mode="all")``). Through polars'
    64-bit hash of each value (0.45 s of CPU at 5.5M ids): distinct hashes
    mean distinct values; when two hashes are equal (a repeat, or a rare
    collision) Arrow counts the distinct values exactly. Arrow arrays do not
    change: the answer is kept while the array lives (verify looks up the
    roster's ids twice)."""
    kept = _SEEN.get(id(arr))
    if kept is not None and kept[0]() is arr:
        return kept[1]
    answer = _unique_now(arr)
    try:
        key = id(arr)
        _SEEN[key] = (weakref.ref(arr, lambda _r, key=key: _SEEN.pop(key, None)), answer)
    except TypeError:   # pragma: no cover - an array that takes no weak reference
        pass
    return answer


def _unique_now(arr: object) -> bool:
    import polars as pl
    import pyarrow.compute as pc

    n = len(arr)
    if arr.null_count > 1:
        return False
    s = pl.from_arrow(arr)
    if not isinstance(s, pl.Series):
        s = s.to_series()
    s = s.drop_nulls()
    if s.hash(seed=0).n_unique() == len(s):
        return True
    return pc.count_distinct(arr, mode="all").as_py() == n


__all__ = ["text_in", "positions"]
