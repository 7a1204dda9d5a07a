"""The archive's side of the reconciliation: the same tallies the union
reports, counted from the roster and the payment ledger (long format).

Columns of a tally frame: ``kind``, ``county``, ``group`` (category word,
status word or help item), ``year`` (Int64; payments only), ``measure``
(households / persons / payments / amount) and ``value`` (float; yuan for
amounts). Roster rows or ledger rows that cannot be placed (county not one
of the project's, blank category or status, a payment whose archive id is
not in the roster, a blank date or amount) are returned in ``unplaced`` with
their row and reason: never silently dropped.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from toolkit.reconcile.spec import GROUPS

TALLY_COLUMNS = ["kind", "county", "group", "year", "measure", "value"]
UNPLACED_COLUMNS = ["source", "row", "archive_id", "column", "value", "rule"]


@dataclass(frozen=True, eq=False)
class ArchiveTallies:
    """Tallies from the archive and the rows that could not be counted."""

    tallies: pd.DataFrame
    unplaced: pd.DataFrame
    roster_rows: int
    ledger_rows: int | None


def _county_names(county: pd.Series, counties: list[tuple[str, str]]) -> pd.Series:
    """Roster county cells (a name or an area code) as the project's county name; NA when unknown."""
    m = {}
    for name, code in counties:
        m[name] = name
        m[code] = name
    return county.astype("string").str.strip().map(m).astype("string")


def _long(frame: pd.DataFrame, kind: str, measures: dict[str, str]) -> pd.DataFrame:
    out = frame.melt(id_vars=["county", "group", "year"], value_vars=list(measures), var_name="measure",
                     value_name="value")
    out.insert(0, "kind", kind)
    out["value"] = out["value"].astype(float)
    return out[TALLY_COLUMNS]


def _unplaced(source: str, rows: pd.DataFrame, column: str, rule: str, values: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"source": source, "row": rows.index.astype("int64"),
                         "archive_id": rows["archive_id"].astype("string") if "archive_id" in rows else pd.NA,
                         "column": column, "value": values.astype("string"), "rule": rule})


def tallies(roster: pd.DataFrame, ledger: pd.DataFrame | None, counties: list[tuple[str, str]]) -> ArchiveTallies:
    """The archive's tallies (see the module doc). ``roster``: the roster frame
    (toolkit.roster.read_roster().frame, indexed by spreadsheet row);
    ``ledger``: the help records (archive_id, item, date, amount) or None;
    ``counties``: the project's (name, area code) pairs."""
    r = roster.copy()
    r["_county"] = _county_names(r["county"], counties)
    cat = r["category"].astype("string").str.strip()
    st = r["status"].astype("string").str.strip()
    size = pd.to_numeric(r.get("household_size"), errors="coerce")
    unplaced = [
        _unplaced("roster", r[r["_county"].isna()], "county", "unknown_county", r.loc[r["_county"].isna(), "county"]),
        _unplaced("roster", r[r["_county"].notna() & ~st.isin(GROUPS["status"])], "status", "unknown_status",
                  st[r["_county"].notna() & ~st.isin(GROUPS["status"])]),
    ]
    current = r["_county"].notna() & (st == "在档")
    bad_cat = current & ~cat.isin(GROUPS["category"])
    unplaced.append(_unplaced("roster", r[bad_cat], "category", "unknown_category", cat[bad_cat]))
    no_size = current & ~bad_cat & size.isna()
    unplaced.append(_unplaced("roster", r[no_size], "household_size", "no_household_size",
                              r.loc[no_size, "household_size"] if "household_size" in r else pd.Series(
                                  pd.NA, index=r.index[no_size])))
    ok = current & ~bad_cat
    c = pd.DataFrame({"county": r.loc[ok, "_county"], "group": cat[ok], "persons": size[ok].fillna(0)})
    by_cat = c.groupby(["county", "group"]).agg(households=("persons", "size"), persons=("persons", "sum")).reset_index()
    by_cat["year"] = pd.array([pd.NA] * len(by_cat), dtype="Int64")
    okst = r["_county"].notna() & st.isin(GROUPS["status"])
    by_st = pd.DataFrame({"county": r.loc[okst, "_county"], "group": st[okst]}).groupby(
        ["county", "group"]).size().rename("households").reset_index()
    by_st["year"] = pd.array([pd.NA] * len(by_st), dtype="Int64")
    parts = [_long(by_cat, "category", {"households": "", "persons": ""}),
             _long(by_st, "status", {"households": ""})]
    ledger_rows = None
    if ledger is not None:
        ledger_rows = len(ledger)
        lg = ledger.copy()
        where = r.loc[r["_county"].notna()].drop_duplicates("archive_id").set_index(
            r.loc[r["_county"].notna()].drop_duplicates("archive_id")["archive_id"].astype("string"))["_county"]
        lg["_county"] = lg["archive_id"].astype("string").str.strip().map(where)
        item = lg["item"].astype("string").str.strip()
        date = pd.to_datetime(lg["date"], errors="coerce")
        amount = pd.to_numeric(lg["amount"], errors="coerce")
        no_home = lg["_county"].isna()
        unplaced.append(_unplaced("ledger", lg[no_home], "archive_id", "payment_without_archive",
                                  lg.loc[no_home, "archive_id"]))
        bad_item = ~no_home & ~item.isin(GROUPS["payments"])
        unplaced.append(_unplaced("ledger", lg[bad_item], "item", "unknown_item", item[bad_item]))
        no_date = ~no_home & ~bad_item & date.isna()
        unplaced.append(_unplaced("ledger", lg[no_date], "date", "no_date", lg.loc[no_date, "date"].astype("string")))
        no_amount = ~no_home & ~bad_item & ~no_date & amount.isna()
        unplaced.append(_unplaced("ledger", lg[no_amount], "amount", "no_amount",
                                  lg.loc[no_amount, "amount"].astype("string")))
        okp = ~(no_home | bad_item | no_date | no_amount)
        p = pd.DataFrame({"county": lg.loc[okp, "_county"], "group": item[okp],
                          "year": date[okp].dt.year.astype("Int64"), "amount": amount[okp]})
        by_pay = p.groupby(["county", "group", "year"]).agg(payments=("amount", "size"),
                                                            amount=("amount", "sum")).reset_index()
        parts.append(_long(by_pay, "payments", {"payments": "", "amount": ""}))
    out = pd.concat(parts, ignore_index=True)
    out["county"] = out["county"].astype("string")
    out["group"] = out["group"].astype("string")
    out["year"] = out["year"].astype("Int64")
    un = [u for u in unplaced if len(u)]
    unplaced_frame = pd.concat(un, ignore_index=True) if un else pd.DataFrame(columns=UNPLACED_COLUMNS)
    return ArchiveTallies(out, unplaced_frame.reset_index(drop=True), len(roster), ledger_rows)


__all__ = ["ArchiveTallies", "tallies", "TALLY_COLUMNS", "UNPLACED_COLUMNS"]
