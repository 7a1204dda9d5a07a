"""Item-by-item comparison of the back-checks with the original visits.

The semantics are :mod:`toolkit.verify.compare`'s (type 1/2/3, tolerances,
text normalisation, "not known" answers not compared): the original visit
stands where the archive stands there (tolerances are relative to the
original answer), the back-check where the visit stands. Top-level items
pair on archive id; ledger payments on (archive id, item, year, order).

A back-check is used once per household (the last by ``end``); an earlier
duplicate, or a back-check of a household without an accepted original visit,
is listed in ``not_used`` with its reason — nothing is silently dropped.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.backcheck import pairs as pr
from toolkit.backcheck.spec import Item
from toolkit.verify.compare import compare

TABLE_COLUMNS = ("id", "team", "enumerator", "backchecker", "item", "type", "kind", "original", "backcheck",
                 "result", "reason")


@dataclass(frozen=True, eq=False)
class BackcheckComparison:
    """``table``: one row per household × item (TABLE_COLUMNS; ``enumerator`` is
    the original interviewer); ``households``: the back-checks used (archive_id,
    KEY, backchecker, enumerator, team, bc_reach); ``not_used``: back-check
    submissions not compared (KEY, archive_id, reason)."""

    table: pd.DataFrame
    households: pd.DataFrame
    not_used: pd.DataFrame
    items: tuple[Item, ...]


def run(orig_subs: pd.DataFrame, bc_subs: pd.DataFrame, items: tuple[Item, ...], *,
        orig_members: pd.DataFrame | None = None, orig_payments: pd.DataFrame | None = None,
        bc_payments: pd.DataFrame | None = None, teams: pd.Series | None = None) -> BackcheckComparison:
    """Compare (module doc). ``teams``: team per archive id (default the
    original's county code)."""
    bc_all = bc_subs.assign(archive_id=bc_subs["archive_id"].astype(str))
    # only the back-checked households' original visits are needed (15 % of them)
    wanted = orig_subs["archive_id"].astype(str).isin(set(bc_all["archive_id"])).to_numpy()
    orig_subs = orig_subs[wanted]
    if orig_members is not None and len(orig_members) and "PARENT_KEY" in orig_members:
        orig_members = orig_members[orig_members["PARENT_KEY"].astype(str).isin(set(orig_subs["KEY"].astype(str)))]
    orig = pr.original(orig_subs, orig_members)
    bc = pr.latest(bc_all)
    dup = bc_all[~bc_all["KEY"].astype(str).isin(set(bc["KEY"].astype(str)))]
    enum = orig.set_index("archive_id")["interviewer_1"].astype("string")
    bc["enumerator"] = enum.reindex(bc["archive_id"]).to_numpy()
    orphan = bc[bc["enumerator"].isna()]
    bc = bc[bc["enumerator"].notna()].reset_index(drop=True)
    if teams is None:
        teams = orig.set_index("archive_id")["county_code"].astype("string") if "county_code" in orig \
            else pd.Series(dtype="string")
    bc["team"] = teams.reindex(bc["archive_id"]).fillna("").to_numpy()
    bc["backchecker"] = bc["backchecker"].astype("string").fillna("") if "backchecker" in bc else ""
    not_used = pd.concat([
        pd.DataFrame({"KEY": dup["KEY"].astype(str), "archive_id": dup["archive_id"], "reason": "duplicate"}),
        pd.DataFrame({"KEY": orphan["KEY"].astype(str), "archive_id": orphan["archive_id"],
                      "reason": "no_original_visit"})], ignore_index=True)
    orig, bc = orig.copy(), bc.copy()
    for i in items:
        if i.kind == "choice" and not i.repeat:
            if i.compare in orig:
                orig[i.compare] = codes(orig[i.compare])
            if i.name in bc:
                bc[i.name] = codes(bc[i.name])
    parts = []
    top = [i for i in items if not i.repeat]
    if top:
        c = compare(orig, bc, [i.pair() for i in top], id_column="archive_id", county="team",
                    enumerator="enumerator")
        parts.append(_shape(c.table, bc.set_index("archive_id")["backchecker"], items))
    for rep in sorted({i.repeat for i in items if i.repeat}):
        its = [i for i in items if i.repeat == rep]
        po = pr.payments(orig_payments, orig)
        pb = pr.payments(bc_payments, bc)
        if not len(pb):
            continue
        meta = bc.set_index("archive_id")
        pb["enumerator"] = meta["enumerator"].reindex(pb["archive_id"]).to_numpy()
        pb["team"] = meta["team"].reindex(pb["archive_id"]).to_numpy()
        c = compare(po, pb, [i.pair() for i in its], id_column="pay_key", county="team", enumerator="enumerator")
        t = c.table.copy()
        t["id"] = t["id"].astype(str).str.split("|", n=1).str[0]
        parts.append(_shape(t, meta["backchecker"], items))
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(TABLE_COLUMNS))
    keep = [c for c in ("archive_id", "KEY", "backchecker", "enumerator", "team", "bc_reach", "bc_mode")
            if c in bc]
    return BackcheckComparison(table, bc[keep].reset_index(drop=True), not_used, tuple(items))


def codes(s: pd.Series) -> pd.Series:
    """Choice codes as text, a code read as a number written as one ("4.0" → "4"),
    so an export that typed a 1–5 scale as numbers still matches."""
    vals = pd.unique(s.dropna())
    if not len(vals):
        return s.astype(object).where(s.notna(), None)
    num = pd.to_numeric(pd.Series(vals, dtype=object), errors="coerce").to_numpy(dtype=float)
    words = [str(int(n)) if not np.isnan(n) and n == round(n) else (v if isinstance(v, str) else str(v))
             for v, n in zip(vals, num)]   # one decision per distinct value, then a hash lookup per row
    return s.map(dict(zip(vals, words))).astype(object).where(s.notna(), None)


def _shape(t: pd.DataFrame, backchecker: pd.Series, items: tuple[Item, ...]) -> pd.DataFrame:
    kinds = {i.name: i.kind for i in items}
    out = pd.DataFrame({
        "id": t["id"].astype(str), "team": t["county"].astype(object), "enumerator": t["enumerator"].astype(str),
        "backchecker": backchecker.reindex(t["id"].astype(str)).astype(object).to_numpy(),
        "item": t["pair"].astype(str), "type": t["type"].astype(np.int64),
        "kind": t["pair"].map(kinds).astype(object), "original": t["archive_value"], "backcheck": t["visit_value"],
        "result": t["result"].astype(str), "reason": t["reason"].astype(str)})
    return out


__all__ = ["BackcheckComparison", "run", "TABLE_COLUMNS"]
