"""The households to re-check per county and finding kind, indexed once.

The fix list (toolkit.report.content.fix_list) names, for every county ×
indicator that failed, the pseudonyms of the county's flagged households
with a finding of the indicator's kinds. Filtering the whole evidence table
once per row was 300 counties × ~10 indicators × ~30,000 findings at
national size (minutes); here the evidence is grouped once and each row is a
union of small sets. Same households, same order (sorted text, no repeats).
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


class FlaggedIndex:
    """{(county, kind): set of pseudonyms} built from the flagged evidence
    (columns county, kind, pseudonym)."""

    def __init__(self, ev: pd.DataFrame) -> None:
        self._sets: dict[tuple[str, str], set[str]] = {}
        if len(ev):
            g = ev[["county", "kind", "pseudonym"]].astype(object).groupby(["county", "kind"], sort=False,
                                                                            dropna=False)["pseudonym"]
            self._sets = {k: set(v) for k, v in g}

    def households(self, county: str, kinds: Iterable[str]) -> list[str]:
        """The pseudonyms of ``county``'s households flagged with any of ``kinds``, sorted, once each."""
        out: set[str] = set()
        for k in kinds:
            out |= self._sets.get((county, k), set())
        return sorted(out)


__all__ = ["FlaggedIndex"]
