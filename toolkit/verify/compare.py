"""The comparison engine: archive fields against what a visit found.

Modelled on IPA's back-check tool (``ipabcstats``). Each :class:`FieldPair`
names an archive column and a visit column and how to compare them:

* ``type`` — 1: must never differ (household size, category: an error of the
  archive or the interviewer), 2: hard to ask (work status, health: differences
  can be honest), 3: stability only (address, housing: may have changed);
* ``kind`` — ``number``, ``text`` or ``choice``;
* numbers are *same* when ``|archive − visit| ≤ max(abs_tol, rel_tol × |archive|)``
  (units of the field: persons, yuan …);
* text is normalised before comparing (Unicode NFKC so full-width digits and
  letters become half-width, every whitespace removed, lower case), unless
  ``normalise=False``;
* choice values are mapped through ``value_map`` (archive label → visit code,
  e.g. 在岗 → employed) before comparing;
* ``exclude`` lists values that mean "not known" (``unknown``, 8, 9 …): a pair
  where either side holds one is *not compared*, as is a pair with a missing
  side.

Result: one row per household × pair with ``result`` ∈ {same, different,
not_compared} and ``reason`` (equal | within_tolerance | differs | missing_archive |
missing_visit | excluded). Error rates (``different ÷ compared``) by household,
field, enumerator and county. Everything runs on whole columns: one pass per
pair, no per-row Python.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import numpy as np
import pandas as pd

from toolkit.verify.text_in import positions

RESULTS = ("same", "different", "not_compared")
KINDS = ("number", "text", "choice")


@dataclass(frozen=True)
class FieldPair:
    """One archive field ↔ visit field comparison (see the module doc).

    ``key``: the pair counts in the archive match rate (建档信息比对率).
    """

    name: str
    archive: str
    visit: str
    type: int = 1
    kind: str = "text"
    abs_tol: float = 0.0
    rel_tol: float = 0.0
    normalise: bool = True
    exclude: tuple = ()
    value_map: tuple[tuple[str, str], ...] = ()
    key: bool = True
    label_zh: str = ""

    def __post_init__(self) -> None:
        if self.type not in (1, 2, 3):
            raise ValueError(f"pair {self.name}: type must be 1, 2 or 3, not {self.type!r}")
        if self.kind not in KINDS:
            raise ValueError(f"pair {self.name}: kind must be one of {KINDS}, not {self.kind!r}")
        if self.abs_tol < 0 or self.rel_tol < 0:
            raise ValueError(f"pair {self.name}: tolerances must be ≥ 0")


@dataclass(frozen=True, eq=False)
class Comparison:
    """All compared pairs: ``table`` has one row per unit × pair with columns
    id, county, enumerator, pair, type, key, archive_value, visit_value, result,
    reason."""

    table: pd.DataFrame
    pairs: tuple[FieldPair, ...] = field(default=())

    def _rates(self, by: list[str], only_key: bool = False) -> pd.DataFrame:
        t = self.table
        if only_key:
            t = t[t["key"]]
        g = pd.DataFrame({**{b: t[b] for b in by},
                          "compared": (t["result"] != "not_compared").astype(np.int64),
                          "different": (t["result"] == "different").astype(np.int64),
                          "not_compared": (t["result"] == "not_compared").astype(np.int64)})
        out = g.groupby(by, sort=True, dropna=False)[["compared", "different", "not_compared"]].sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            out["error_rate"] = out["different"] / out["compared"].where(out["compared"] > 0)
        return out.reset_index()

    def by_field(self) -> pd.DataFrame:
        """Per pair: compared, different, not_compared, error_rate (different ÷ compared)."""
        return self._rates(["pair", "type"])

    def by_enumerator(self) -> pd.DataFrame:
        """Per enumerator and pair type."""
        return self._rates(["enumerator", "type"])

    def by_county(self) -> pd.DataFrame:
        """Per county and pair."""
        return self._rates(["county", "pair"])

    def by_household(self, only_key: bool = True) -> pd.DataFrame:
        """Per unit: compared, different, error_rate and ``match`` (1 when every
        compared key pair is same, 0 when one differs, NaN when none compared)."""
        out = self._rates(["id"], only_key=only_key)
        out["match"] = np.where(out["compared"] > 0, (out["different"] == 0).astype(float), np.nan)
        return out


def normalise_text(s: pd.Series) -> pd.Series:
    """NFKC (full-width → half-width), every whitespace removed (incl. U+3000), lower case."""
    s = s.astype("object").where(s.notna(), None)
    t = pd.Series(s, dtype="string").str.normalize("NFKC").str.replace(r"\s+", "", regex=True).str.lower()
    return t


def _number(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)


def _excluded(s: pd.Series, values: Iterable) -> np.ndarray:
    vals = list(values)
    if not vals:
        return np.zeros(len(s), dtype=bool)
    as_text = {str(v) for v in vals}
    num = {float(v) for v in vals if isinstance(v, (int, float)) and not isinstance(v, bool)}
    hit = s.astype("string").isin(as_text).fillna(False).to_numpy(dtype=bool)
    if num:
        hit = hit | _number_in(s, list(num))
    return hit


def _number_in(s: pd.Series, num: list[float]) -> np.ndarray:
    """``np.isin(_number(s), num)``, parsing each distinct value once: a
    text column (names, answers) parsed as numbers value by value cost
    seconds per pair at 30,000 visits; numeric columns are parsed as they are."""
    if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        return np.isin(_number(s), num)
    codes, distinct = pd.factorize(s.reset_index(drop=True), use_na_sentinel=True)
    if not len(distinct):
        return np.zeros(len(s), dtype=bool)
    per = np.isin(_number(pd.Series(np.asarray(distinct, dtype=object), dtype=object)), num)
    return np.where(codes >= 0, per[np.maximum(codes, 0)], False)


def compare_pair(archive: pd.Series, visit: pd.Series, pair: FieldPair) -> tuple[np.ndarray, np.ndarray]:
    """Compare two aligned columns; return (result, reason) arrays."""
    n = len(archive)
    a = archive.reset_index(drop=True)
    v = visit.reset_index(drop=True)
    if pair.value_map:
        mapped = a.map(dict(pair.value_map))
        a = mapped.where(mapped.notna(), a)
    excl = _excluded(a, pair.exclude) | _excluded(v, pair.exclude)
    miss_a = np.array(a.isna().to_numpy(), dtype=bool)
    miss_v = np.array(v.isna().to_numpy(), dtype=bool)
    if pair.kind == "number":
        x, y = _number(a), _number(v)
        miss_a = miss_a | np.isnan(x)
        miss_v = miss_v | np.isnan(y)
        with np.errstate(invalid="ignore"):
            d = np.abs(x - y)
            tol = np.maximum(pair.abs_tol, pair.rel_tol * np.abs(x))
            equal = d == 0
            same = d <= tol + 1e-9
    else:
        if pair.normalise:
            x, y = normalise_text(a), normalise_text(v)
        else:
            x, y = a.astype("string"), v.astype("string")
        miss_a = miss_a | (x == "").fillna(True).to_numpy(dtype=bool)
        miss_v = miss_v | (y == "").fillna(True).to_numpy(dtype=bool)
        equal = (x == y).fillna(False).to_numpy(dtype=bool)
        raw_equal = (a.astype("string") == v.astype("string")).fillna(False).to_numpy(dtype=bool)
        same = equal
        equal = raw_equal
    result = np.where(same, "same", "different").astype(object)
    reason = np.where(equal, "equal", np.where(same, "within_tolerance", "differs")).astype(object)
    for mask, why in ((excl, "excluded"), (miss_v, "missing_visit"), (miss_a, "missing_archive")):
        result = np.where(mask, "not_compared", result)
        reason = np.where(mask, why, reason)
    assert len(result) == n
    return result, reason


def compare(archive: pd.DataFrame, visits: pd.DataFrame, pairs: Iterable[FieldPair], *,
            id_column: str = "archive_id", county: str | None = "county",
            enumerator: str | None = "interviewer_1") -> Comparison:
    """Compare every pair for every visited unit.

    ``archive`` and ``visits`` are joined on ``id_column`` (visits' rows are
    kept in order; a visit without an archive record compares as
    missing_archive). ``county`` and ``enumerator`` name columns of
    ``visits`` (or of the archive for county) used in the error-rate tables.
    """
    pairs = tuple(pairs)
    ids = visits[id_column].astype(str).to_numpy(dtype=object)
    pos = positions(ids, archive[id_column])   # pd.Index(archive ids as text).get_indexer(ids), in Arrow
    found = pos >= 0
    take = np.where(found, pos, 0)
    n = len(ids)

    def archive_col(name: str) -> pd.Series:
        if name not in archive:
            return pd.Series([None] * n, dtype=object)
        s = archive[name].reset_index(drop=True).take(take).reset_index(drop=True)
        return s.where(found, None) if s.dtype == object else s.mask(~found)

    def visit_col(name: str) -> pd.Series:
        if name not in visits:
            return pd.Series([None] * n, dtype=object)
        return visits[name].reset_index(drop=True)

    if county and county in visits:
        cty = visit_col(county).astype(object).to_numpy()
    elif county and county in archive:
        cty = archive_col(county).astype(object).to_numpy()
    else:
        cty = np.full(n, "", dtype=object)
    enum = visit_col(enumerator).astype(object).to_numpy() if enumerator else np.full(n, "", dtype=object)
    parts = []
    for p in pairs:
        a, v = archive_col(p.archive), visit_col(p.visit)
        res, why = compare_pair(a, v, p)
        parts.append(pd.DataFrame({
            "id": ids, "county": cty, "enumerator": enum, "pair": p.name, "type": p.type, "key": p.key,
            "archive_value": a.astype(object).where(a.notna(), None).to_numpy(),
            "visit_value": v.astype(object).where(v.notna(), None).to_numpy(),
            "result": res, "reason": why}))
    if parts:
        table = pd.concat(parts, ignore_index=True)
    else:
        table = pd.DataFrame(columns=["id", "county", "enumerator", "pair", "type", "key", "archive_value",
                                      "visit_value", "result", "reason"])
    return Comparison(table=table, pairs=pairs)


__all__ = ["FieldPair", "Comparison", "compare", "compare_pair", "normalise_text", "RESULTS", "KINDS"]
