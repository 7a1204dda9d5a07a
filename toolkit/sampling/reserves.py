"""Reserves, disposition codes and the response rate.

Reserves are pre-drawn: for each stratum (one-stage designs) or each selected
PSU (two-stage) the units with the next tickets after the selected ones, with
``reserve_rank`` 1, 2, …. When a sampled household cannot be interviewed, it
keeps its own disposition (it is a non-response, never "the neighbour") and
the next unreleased reserve of the same stratum/PSU is released: strictly in
rank order, whatever the reason and whoever asks.

Disposition codes (one per released household)
----------------------------------------------
=============== ======== ================================== ============
code            中文      meaning                            AAPOR class
=============== ======== ================================== ============
completed       完成      interview completed                I  (1.1)
refused         拒访      household refused                  R  (2.11)
not_at_home     三次未遇  no contact after 3 visits          NC (2.2)
moved           搬迁      moved, could not be reached        O  (2.3)
deceased        死亡      the household no longer exists     NE (4.x)
not_eligible    不符合    not part of the target population  NE (4.x)
replaced        已替换    replaced by reserve N, reason      O
                          not recorded
=============== ======== ================================== ============

A record may carry ``replaced_by`` (the archive id of the reserve that took
its place) whatever its code, except ``completed``.

Response rate (AAPOR RR1, minimum response rate)::

    RR1 = I / (I + P + R + NC + O + UH + UO)

over every *released* unit: all originally selected units plus the reserves
released so far. P (partials) is 0 here; UH/UO (unknown eligibility) are
released units with no disposition yet. NE units are left out of the
denominator. "moved" is counted as eligible non-response (O): the household
is still on the roster, so this is the conservative reading; a household
that no longer exists at all is "deceased".
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.errors import UserError
from toolkit.sampling.sample_files import StratumWords
from toolkit.sampling.select import Sample

DISPOSITIONS: dict[str, tuple[str, str, str]] = {
    # code: (zh label, English label, AAPOR class)
    "completed": ("完成", "completed", "I"),
    "refused": ("拒访", "refused", "R"),
    "not_at_home": ("三次未遇", "not at home after 3 visits", "NC"),
    "moved": ("搬迁", "moved", "O"),
    "deceased": ("死亡", "deceased", "NE"),
    "not_eligible": ("不符合条件", "not eligible", "NE"),
    "replaced": ("已由备用户替换", "replaced by reserve", "O"),
}
MIN_VISITS_NOT_AT_HOME = 3
RR_DEFINITION = ("AAPOR RR1 = I / (I + P + R + NC + O + UH + UO) over all released units "
                 "(selected + released reserves); P = 0; undisposed released units count as "
                 "unknown eligibility (UH); not-eligible and deceased are excluded.")


@dataclass(frozen=True)
class ResponseRate:
    """Counts by AAPOR class and RR1 (a share, 0–1; None with no released unit)."""

    released: int
    completed: int
    refused: int
    non_contact: int
    other: int
    not_eligible: int
    unknown: int
    rr1: float | None
    definition: str = RR_DEFINITION


def next_reserve(sample: Sample, released: Iterable[str], stratum: str, psu: str | None = None) -> dict | None:
    """The next reserve to release in ``stratum`` (and ``psu`` for two-stage), or None.

    ``released``: archive ids of reserves already released.
    """
    done = set(released)
    r = sample.reserves
    sel = r["stratum"] == stratum
    if sample.design.method == "two_stage":
        sel &= r["psu"] == psu
    cand = r[sel & ~r["archive_id"].isin(done)].sort_values("reserve_rank")
    return None if cand.empty else cand.iloc[0].to_dict()


def check_dispositions(sample: Sample, dispositions: pd.DataFrame) -> pd.DataFrame:
    """Validate disposition records; return them with ``role``/``aapor`` columns.

    ``dispositions`` has archive_id and code, optionally visits and
    replaced_by. Raises UserError for an unknown id or code, a completed
    household that was replaced, or reserves released out of order
    (every released reserve, whether it has a disposition or is named in
    ``replaced_by``, must be rank 1 … k of its stratum/PSU with no gap).
    """
    d = dispositions.copy()
    d["archive_id"] = d["archive_id"].astype(str).str.strip()
    ids = d["archive_id"].astype(object)   # object look-ups: Arrow's isin builds its value set slowly
    role = pd.Series("", index=d.index)
    role[ids.isin(set(sample.units["archive_id"].astype(object)))] = "selected"
    role[ids.isin(set(sample.reserves["archive_id"].astype(object)))] = "reserve"
    for i in d.index[role == ""]:
        raise UserError("sampling.unknown_unit", id=d.at[i, "archive_id"])
    bad = ~d["code"].isin(list(DISPOSITIONS))   # the first unknown code, in row order
    for i in d.index[bad.to_numpy()][:1]:
        raise UserError("sampling.bad_disposition", id=d.at[i, "archive_id"], code=d.at[i, "code"],
                        choices=", ".join(DISPOSITIONS))
    d["role"] = role
    d["aapor"] = d["code"].map({code: v[2] for code, v in DISPOSITIONS.items()})
    if "visits" in d:
        short = (d["code"] == "not_at_home") & (pd.to_numeric(d["visits"], errors="coerce").fillna(0)
                                                 < MIN_VISITS_NOT_AT_HOME)
        for i in d.index[short]:
            raise UserError("sampling.bad_disposition", id=d.at[i, "archive_id"],
                            code=f"not_at_home (visits={d.at[i, 'visits']} < 3)", choices=", ".join(DISPOSITIONS))
    released = set(d.loc[role == "reserve", "archive_id"])
    if "replaced_by" in d:
        rep = d["replaced_by"].dropna().astype(str).str.strip()
        rep = rep[rep != ""]
        reserve_ids = set(sample.reserves["archive_id"])      # once, not per replaced household
        done = (d.loc[rep.index, "code"] == "completed").to_numpy(dtype=bool)
        unknown = ~rep.astype(object).isin(reserve_ids).to_numpy(dtype=bool)
        for j in np.flatnonzero(done | unknown)[:1]:   # the first replaced row at fault
            if done[j]:
                raise UserError("sampling.replaced_completed", id=d.at[rep.index[j], "archive_id"])
            raise UserError("sampling.unknown_unit", id=rep.iloc[j])
        released |= set(rep)
    res = sample.reserves.set_index("archive_id")
    two = sample.design.method == "two_stage"
    rel = res[res.index.isin(released)].copy()
    rel["group_psu"] = rel["psu"] if two else ""
    _check_reserve_order(rel, two)
    return d


def _check_reserve_order(rel: pd.DataFrame, two: bool) -> None:
    """UserError for the first stratum/PSU (in sorted order, as groupby
    gives them) whose released reserves are not ranks 1 … k: the first rank
    out of place and the first reserve (in ``rel``'s order) holding it. All
    groups at once (one sort, a count within each group), not a Python loop
    over thousands of groups."""
    keys = ["stratum", "group_psu"]
    srt = rel.reset_index()[[*keys, "reserve_rank", "archive_id"]].dropna(subset=keys)   # groupby drops them
    if not len(srt):
        return
    srt = srt.sort_values([*keys, "reserve_rank"], kind="stable")
    expected = srt.groupby(keys, sort=False).cumcount().to_numpy() + 1
    ranks = srt["reserve_rank"].to_numpy()
    wrong = np.flatnonzero(ranks != expected)
    if not len(wrong):
        return
    k = wrong[0]   # sorted by group then rank: the first group at fault, at its first rank out of place
    stratum, psu, got = srt["stratum"].iloc[k], srt["group_psu"].iloc[k], ranks[k]
    got = got.item() if isinstance(got, np.generic) else got   # a Python number in the message
    grp = rel[(rel["stratum"] == stratum) & (rel["group_psu"] == psu)]
    rid = grp.index[grp["reserve_rank"] == got][0]
    raise UserError("sampling.reserve_order", stratum=StratumWords(stratum), psu=psu if two else "",
                    expected=int(expected[k]), got=got, id=rid)


def response_rate(sample: Sample, dispositions: pd.DataFrame) -> ResponseRate:
    """RR1 over the released units (see module doc); validates first."""
    d = check_dispositions(sample, dispositions)
    released = set(sample.units["archive_id"]) | set(d.loc[d["role"] == "reserve", "archive_id"])
    if "replaced_by" in d:
        rep = d["replaced_by"].dropna().astype(str).str.strip()
        released |= set(rep[rep != ""])
    cls = d.drop_duplicates("archive_id", keep="last").set_index("archive_id")["aapor"]
    counts = cls.value_counts()
    i, r, nc, o, ne = (int(counts.get(k, 0)) for k in ("I", "R", "NC", "O", "NE"))
    unknown = len(released - set(cls.index))
    denom = i + r + nc + o + unknown
    return ResponseRate(len(released), i, r, nc, o, ne, unknown, (i / denom) if denom else None)


__all__ = ["DISPOSITIONS", "RR_DEFINITION", "ResponseRate", "next_reserve", "check_dispositions",
           "response_rate", "MIN_VISITS_NOT_AT_HOME"]
