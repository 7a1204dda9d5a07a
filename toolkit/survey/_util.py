"""Small vectorised helpers shared by the design and its estimators.

Nothing here loops over rows or PSUs in Python: group sums are
``np.bincount`` passes over integer codes, and distinct-pair counts use an
occupancy table (or one sort when the table would be too large).
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .errors import SurveyError

#: Largest dense (domain × unit) table built with one bincount; beyond it we
#: sort the occupied keys instead (same result, bounded memory).
DENSE_LIMIT = 4_000_000


def as_list(x: str | Sequence[str] | None) -> list[str]:
    """``None`` → ``[]``, ``"a"`` → ``["a"]``, a sequence → a list."""
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    return list(x)


def check_columns(data: pd.DataFrame, cols: Iterable[str]) -> None:
    """Raise ``survey.unknown_columns`` naming every column not in ``data``."""
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise SurveyError(
            "survey.unknown_columns",
            columns=", ".join(map(str, missing)),
            available=", ".join(map(str, data.columns)),
        )


def numeric(data: pd.DataFrame, col: str) -> np.ndarray:
    """Column ``col`` as float64 with NaN for missing; booleans become 0/1.

    Raises ``survey.not_numeric`` for text or other non-numeric columns.
    """
    s = data[col]
    if pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype):
        return s.to_numpy(dtype=float, na_value=np.nan)
    if s.dtype == object:
        # an object column holding only booleans/numbers (e.g. True/False/None)
        vals = pd.to_numeric(s, errors="coerce")
        if vals.notna().sum() == s.notna().sum():
            return vals.to_numpy(dtype=float, na_value=np.nan)
    bad = s[s.notna()].astype(str).drop_duplicates().head(3).tolist()
    raise SurveyError("survey.not_numeric", column=col, dtype=str(s.dtype), examples=", ".join(bad))


def compress(codes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Renumber non-negative ``codes`` (all < ``size``) to ``0..k-1`` in
    ascending order; returns ``(new_codes, present_old_codes)``."""
    if size <= DENSE_LIMIT * 4:
        occ = np.bincount(codes, minlength=size) > 0
        present = np.flatnonzero(occ)
        remap = np.cumsum(occ) - 1
        return remap[codes], present
    present, inv = np.unique(codes, return_inverse=True)
    return inv.reshape(-1), present


def factorize_sorted(s: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Sorted integer codes of a column (−1 for missing) and its levels."""
    if isinstance(s.dtype, np.dtype) and s.dtype.kind in "iu" and len(s):
        v = s.to_numpy()
        lo, hi = int(v.min()), int(v.max())
        if hi - lo < 4 * DENSE_LIMIT:           # small integer codes: no sort needed
            shifted = (v - lo).astype(np.int64)
            occ = np.bincount(shifted, minlength=hi - lo + 1) > 0
            remap = np.cumsum(occ) - 1
            return remap[shifted], pd.Index(np.flatnonzero(occ) + lo, dtype=s.dtype)
    codes, uniques = pd.factorize(s, sort=True, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), pd.Index(uniques)


def cells(dom: np.ndarray, unit: np.ndarray, x: np.ndarray, n_dom: int, n_unit: int
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum ``x`` within each occupied (domain, unit) cell.

    Returns ``(cell_domain, cell_unit, cell_sum)`` for cells holding at least
    one row (a row with ``x = 0`` still occupies its cell).
    """
    key = dom.astype(np.int64) * n_unit + unit
    size = n_dom * n_unit
    if size <= DENSE_LIMIT:
        t = np.bincount(key, weights=x, minlength=size)
        occ = np.bincount(key, minlength=size)
        idx = np.flatnonzero(occ)
        return idx // n_unit, idx % n_unit, t[idx]
    uniq, inv = np.unique(key, return_inverse=True)
    t = np.bincount(inv.reshape(-1), weights=x, minlength=len(uniq))
    return uniq // n_unit, uniq % n_unit, t


def count_distinct(dom: np.ndarray, unit: np.ndarray, n_dom: int, n_unit: int) -> np.ndarray:
    """For each domain, how many distinct units have a row in it."""
    key = dom.astype(np.int64) * n_unit + unit
    size = n_dom * n_unit
    if size <= DENSE_LIMIT:
        occ = np.bincount(key, minlength=size) > 0
        return occ.reshape(n_dom, n_unit).sum(axis=1)
    uniq = np.unique(key)
    return np.bincount(uniq // n_unit, minlength=n_dom)
