"""``ids``, ``texts`` and ``mask_digits`` take text columns as a whole
(issue 21, seventh session): the same values as one Python call per value,
for text, numbers, missing values, edge spaces and long digit runs."""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.store import frames as F


def _old_ids(s: pd.Series) -> pd.Series:
    out = s.astype(object).where(s.notna(), None)
    return out.map(lambda v: None if v is None else str(v).strip())


def _old_texts(s: pd.Series) -> pd.Series:
    return s.astype(object).where(s.notna(), None).map(lambda v: None if v is None else str(v))


def _old_mask(s: pd.Series) -> pd.Series:
    out = s.astype(object)
    has = out.notna()
    out[has] = out[has].astype(str).str.replace(F._LONG_DIGITS, F.MASK, regex=True)
    return out


def test_same_values() -> None:
    cols = [pd.Series([" a1 ", "b", None, "合肥 ", "\u3000x\u3000", ""], dtype=object),
            pd.Series(["13812345678", "tel 13812345678x", None, "110101199001011234", "1234567890"], dtype="string"),
            pd.Series([1, 2.5, None, "x", np.nan], dtype=object),
            pd.Series([" A ", None, "B"], dtype="str"),
            pd.Series([], dtype=object), pd.Series([None, None], dtype=object)]
    for s in cols + [c.rename("named") for c in cols]:
        for old, new in ((_old_ids, F.ids), (_old_texts, F.texts), (_old_mask, F.mask_digits)):
            a, b = old(s), new(s)
            pd.testing.assert_series_equal(b, a, check_exact=True)
            assert [type(x) for x in a] == [type(x) for x in b], (new.__name__, s.tolist())
