"""The comparison summaries (``comparison_by_field.csv``, ``comparison_by_enumerator.csv``) in words.

Compared items by their labels (labels.field_label), the pair type as a
sentence (一类：不应有差异 …), the share differing as a percentage, headers
from the ``words2.col.*`` catalogue. The stored comparison (parquet) keeps the codes.
"""
from __future__ import annotations

import pandas as pd

from toolkit.i18n import t
from toolkit.labels import field_labels, percent
from toolkit.worded import with_headers


def comparison_words(rates: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A CompareResult.by_field()/by_enumerator() frame as a person reads it."""
    out = rates.copy()
    if "pair" in out:
        out["pair"] = field_labels(out["pair"], lang)
    if "type" in out:
        types = pd.to_numeric(out["type"], errors="coerce").astype("Int64")
        out["type"] = types.map({k: t(f"words2.compare_type.{k}", lang) for k in types.dropna().unique()}) \
            .astype(object).where(types.notna(), "")
    if "error_rate" in out:
        out["error_rate"] = percent(out["error_rate"])
    return with_headers(out, lang)


__all__ = ["comparison_words"]
