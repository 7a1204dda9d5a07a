"""The original visit in the back-check's terms: one row per household.

The back-check form asks some things the household form records another way;
these ``_derived`` columns are computed from the accepted submissions, on
whole columns:

* ``members_working_derived`` — members whose work status is 在岗 (employed)
  or 农民工/灵活就业 (migrant / casual work), from the member repeat;
* ``visited_derived`` — ``yes`` when the interviewer recorded meeting the
  household or a refusal at the door (someone of the household saw them);
  blank otherwise (nobody home: the household could not know);
* ``household_there_derived`` — ``yes`` for met / refused / nobody home (the
  interviewer says the household lives there), ``no`` for moved / not found.

Payments: one row per ledger payment checked, keyed by archive id, item, year
and the order among equal (item, year) — the same key the back-check's
payment repeat gets.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

WORKING = ("employed", "migrant")
THERE = {"met": "yes", "refused": "yes", "absent": "yes", "moved": "no", "not_found": "no"}
VISITED = {"met": "yes", "refused": "yes"}


def latest(subs: pd.DataFrame) -> pd.DataFrame:
    """The last submission per archive id (by ``end``, else file order)."""
    s = subs.copy()
    s["archive_id"] = s["archive_id"].astype(str)
    if "end" in s:
        s = s.assign(_end=pd.to_datetime(s["end"], errors="coerce")).sort_values("_end", kind="mergesort",
                                                                                   na_position="first")
    return s.drop_duplicates("archive_id", keep="last").drop(columns=["_end"], errors="ignore")


def original(subs: pd.DataFrame, members: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per household: the submission's columns plus the derived ones (module doc)."""
    s = latest(subs).reset_index(drop=True)
    vr = s["visit_result"].astype("string") if "visit_result" in s else pd.Series(pd.NA, index=s.index,
                                                                                    dtype="string")
    s["household_there_derived"] = vr.map(THERE).astype("string")
    s["visited_derived"] = vr.map(VISITED).astype("string")
    if members is not None and len(members) and {"PARENT_KEY", "m_work"} <= set(members.columns):
        work = members["m_work"].astype("string").isin(WORKING).fillna(False).astype(int)
        n = work.groupby(members["PARENT_KEY"].astype(str)).sum()
        has = members.groupby(members["PARENT_KEY"].astype(str)).size()
        s["members_working_derived"] = n.reindex(s["KEY"].astype(str)).to_numpy(dtype=float)
        s.loc[has.reindex(s["KEY"].astype(str)).isna().to_numpy(), "members_working_derived"] = np.nan
    else:
        s["members_working_derived"] = np.nan
    return s


def payment_key(frame: pd.DataFrame, archive_id: pd.Series) -> pd.Series:
    """``archive_id|item|year|k`` (k: order among the household's equal item-year pairs)."""
    item = frame["pay_item"].astype("string").fillna("")
    year = pd.to_numeric(frame["pay_year"], errors="coerce").astype("Int64").astype("string").fillna("")
    base = archive_id.astype(str).to_numpy() + "|" + item.to_numpy(dtype=object) + "|" + year.to_numpy(dtype=object)
    k = pd.Series(base).groupby(base).cumcount().to_numpy()
    return pd.Series(base + "|" + k.astype(str), index=frame.index)


def payments(rows: pd.DataFrame, subs: pd.DataFrame) -> pd.DataFrame:
    """Payment rows with ``archive_id`` (through PARENT_KEY → KEY) and ``pay_key``."""
    if rows is None or not len(rows) or "PARENT_KEY" not in rows:
        return pd.DataFrame(columns=["archive_id", "pay_key", "pay_item", "pay_year", "pay_received"])
    ids = subs.drop_duplicates("KEY").set_index(subs["KEY"].drop_duplicates().astype(str))["archive_id"]
    r = rows.copy()
    r["archive_id"] = ids.reindex(r["PARENT_KEY"].astype(str)).astype("string").to_numpy()
    r = r[r["archive_id"].notna()].reset_index(drop=True)
    r["pay_key"] = payment_key(r, r["archive_id"])
    return r


__all__ = ["original", "payments", "payment_key", "latest", "WORKING", "THERE", "VISITED"]
