"""Reported tallies against the archive's: every difference with both numbers.

The compared grid is, per tally kind the union reported at all, the union of
the reported tallies and the archive's (for payments: the years the union
reported, its reporting period). Each cell:

* ``agree``: |reported − archive| ≤ tolerance (counts: ``count_tolerance``;
  amounts: max(``amount_tolerance``, the 万元 rounding allowance));
* ``differs``: otherwise (an archive without such households counts 0);
* ``not_reported``: the archive has some and the union's file gives no number (no row, or a blank cell).

difference = reported − archive; share = difference ÷ archive (none when
the archive is 0). The data-consistency indicator of a county is the share
of its compared tallies that agree (agree ÷ (agree + differs +
not_reported)); it is a census comparison: no sampling, no interval.
Kinds the union did not report at all are listed in ``unreported_kinds``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.reconcile.archive import ArchiveTallies
from toolkit.reconcile.read import Reported
from toolkit.reconcile.spec import COUNT_MEASURES, KINDS, Settings

ALL = "全市"
KEY = ["kind", "county", "group", "year", "measure"]
COMPARED_COLUMNS = KEY + ["reported", "archive", "difference", "share", "tolerance", "status", "sheet", "row"]
CONSISTENCY_COLUMNS = ["county", "compared", "agree", "differs", "not_reported", "consistency"]


@dataclass(frozen=True, eq=False)
class Reconciliation:
    """compared: every compared tally (COMPARED_COLUMNS); differences: those
    not in agreement; consistency: per county and 全市 (CONSISTENCY_COLUMNS);
    unreported_kinds: kinds with no row in the union's file."""

    compared: pd.DataFrame
    differences: pd.DataFrame
    consistency: pd.DataFrame
    unreported_kinds: tuple[str, ...]
    years: tuple[int, ...]


def _order(frame: pd.DataFrame, counties: list[str]) -> pd.DataFrame:
    from toolkit.reconcile.spec import GROUPS

    kind_rank = frame["kind"].map({k: i for i, k in enumerate(KINDS)})
    county_rank = frame["county"].map({c: i for i, c in enumerate(counties)}).fillna(len(counties))
    group_rank = pd.Series(
        [list(GROUPS[k]).index(g) if g in GROUPS[k] else 99 for k, g in zip(frame["kind"], frame["group"])],
        index=frame.index, dtype="int64")
    meas_rank = frame["measure"].map({m: i for i, m in enumerate(("households", "persons", "payments", "amount"))})
    o = pd.DataFrame({"k": kind_rank, "c": county_rank, "g": group_rank, "y": frame["year"].fillna(0).astype("int64"),
                      "m": meas_rank}).sort_values(["k", "c", "g", "y", "m"]).index
    return frame.loc[o].reset_index(drop=True)


def reconcile(reported: Reported, archive: ArchiveTallies, counties: list[str],
              settings: Settings = Settings()) -> Reconciliation:
    """Compare (see the module doc). ``counties``: the project's county names, in order."""
    rep = reported.tallies.copy()
    arc = archive.tallies.copy()
    kinds = [k for k in KINDS if (rep["kind"] == k).any()]
    years = tuple(sorted(int(y) for y in rep.loc[rep["kind"] == "payments", "year"].dropna().unique()))
    arc = arc[arc["kind"].isin(kinds)]
    arc = arc[(arc["kind"] != "payments") | arc["year"].isin(years)]
    for f in (rep, arc):
        f["year"] = f["year"].astype("Int64")
        f["county"] = f["county"].astype("string")
        f["group"] = f["group"].astype("string")
    m = rep[KEY + ["value", "allowance", "sheet", "row"]].rename(columns={"value": "reported"}).merge(
        arc[KEY + ["value"]].rename(columns={"value": "archive"}), on=KEY, how="outer")
    m["archive"] = m["archive"].fillna(0.0).astype(float)
    m["reported"] = m["reported"].astype(float)
    count = m["measure"].isin(COUNT_MEASURES)
    m["tolerance"] = np.where(count, settings.count_tolerance,
                              np.maximum(settings.amount_tolerance, m["allowance"].astype(float).fillna(0.0)))
    m["difference"] = (m["reported"] - m["archive"]).round(6)
    with np.errstate(divide="ignore", invalid="ignore"):
        m["share"] = np.where(m["archive"] != 0, m["difference"] / m["archive"], np.nan)
    m["status"] = np.where(m["reported"].isna(), "not_reported",
                           np.where(m["difference"].abs() <= m["tolerance"] + 1e-9, "agree", "differs"))
    m = m[~(m["reported"].isna() & (m["archive"] == 0))].copy()
    m["row"] = pd.to_numeric(m["row"], errors="coerce").astype("Int64")
    compared = _order(m[COMPARED_COLUMNS], counties)
    differences = compared[compared["status"] != "agree"].reset_index(drop=True)
    return Reconciliation(compared, differences, consistency(compared, counties), tuple(k for k in KINDS
                                                                                         if k not in kinds), years)


def consistency(compared: pd.DataFrame, counties: list[str]) -> pd.DataFrame:
    """Per county and 全市 (first): tallies compared, in agreement, differing,
    not reported, and the share in agreement (NaN when nothing was compared)."""
    c = compared.assign(n=1)
    tab = pd.crosstab(c["county"], c["status"]).reindex(index=counties, columns=["agree", "differs", "not_reported"],
                                                        fill_value=0)
    tab.loc[ALL] = tab.sum()
    tab = tab.reindex([ALL, *counties])
    tab["compared"] = tab[["agree", "differs", "not_reported"]].sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        tab["consistency"] = np.where(tab["compared"] > 0, tab["agree"] / tab["compared"], np.nan)
    out = tab.reset_index().rename(columns={"index": "county"})
    out.columns.name = None
    out = out.rename(columns={out.columns[0]: "county"})
    for k in ("compared", "agree", "differs", "not_reported"):
        out[k] = out[k].astype("int64")
    return out[CONSISTENCY_COLUMNS]


__all__ = ["Reconciliation", "reconcile", "consistency", "ALL", "COMPARED_COLUMNS", "CONSISTENCY_COLUMNS"]

