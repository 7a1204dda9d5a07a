"""The back-check sample: who is re-interviewed, and by whom.

Population: the households of the drawn sample the field has finished with —
completed visits (accepted submissions) and non-response dispositions
(refused, not at home, moved: "was the household really there?") — each with
the original interviewer (``interviewer_1`` of its submission). A household
whose interviewer is unknown (a non-response recorded without a submission)
is left out and listed with that reason (:class:`Population.left_out`).

Draw (algorithm ``fieldeval-backcheck/1``):

* tickets are the project's hash tickets (``toolkit.sampling.tickets``) with
  the seed ``"backcheck/1|" + SEED``: a different seed text from any main
  draw, so even the main sample's seed gives another order;
* u = (ticket + 0.5) / 2⁶⁴ ∈ (0, 1), weight w = ``weight_finding`` if the
  household has a finding × ``weight_nonresponse`` if it is non-response
  (1 otherwise), key = ln(u) / w (Efraimidis–Spirakis weighted sampling
  without replacement: the n largest keys are a weighted random draw);
* stratified by interviewer: interviewer i with m_i households gets
  n_i = min(m_i, max(min_per_enumerator, ⌈share × m_i⌉)) — the n_i largest
  keys (ties by archive id);
* a top-up (a later draw in the same round) keeps every earlier pick and adds,
  per interviewer, the largest keys among the households not yet picked until
  n_i of the current population is reached;
* back-checkers: the new picks in order (interviewer, rank) each go to the
  eligible back-checker — never the original interviewer — with the fewest
  households so far (earlier draws counted), ties in the order given. Without
  a list, the interviewers themselves back-check one another.

Everything above is re-derived by :func:`toolkit.backcheck.manifest.verify`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.errors import UserError
from toolkit.sampling.tickets import iter_ids, tickets

ALGORITHM = "fieldeval-backcheck/1"
SEED_PREFIX = "backcheck/1|"
NONRESPONSE = ("refused", "not_at_home", "moved")
POPULATION_COLUMNS = ("archive_id", "interviewer", "team", "disposition", "finding")
PICK_COLUMNS = ("archive_id", "interviewer", "team", "disposition", "finding", "weight", "key", "rank",
                "backchecker", "draw")


@dataclass(frozen=True, eq=False)
class Population:
    """``frame``: archive_id, interviewer, team, disposition, finding (bool);
    ``left_out``: households not in it, with ``reason``."""

    frame: pd.DataFrame
    left_out: pd.DataFrame


def ticket_seed(seed: str) -> str:
    """The seed text of the back-check tickets (module doc)."""
    return SEED_PREFIX + str(seed).strip()


def keys(frame: pd.DataFrame, seed: str, weight_finding: float, weight_nonresponse: float) -> pd.DataFrame:
    """``frame`` with ``weight`` and ``key`` = ln(u) / w (module doc), on whole columns."""
    ids = iter_ids(frame["archive_id"])
    tix = tickets(ids, ticket_seed(seed))
    u = (tix.astype(np.float64) + 0.5) / 2.0 ** 64
    finding = frame["finding"].astype(bool).to_numpy()
    nonresp = frame["disposition"].astype(str).isin(NONRESPONSE).to_numpy()
    w = np.where(finding, weight_finding, 1.0) * np.where(nonresp, weight_nonresponse, 1.0)
    return frame.assign(archive_id=ids, weight=w, key=np.log(u) / w)


def targets(frame: pd.DataFrame, share: float, min_per: int) -> pd.Series:
    """n_i per interviewer: min(m_i, max(min_per, ⌈share × m_i⌉))."""
    m = frame.groupby("interviewer", sort=True).size()
    n = np.maximum(min_per, np.ceil(share * m.to_numpy() - 1e-9)).astype(int)
    return pd.Series(np.minimum(m.to_numpy(), n), index=m.index, name="target")


def draw(population: pd.DataFrame, *, seed: str, share: float, min_per: int, weight_finding: float,
         weight_nonresponse: float, backcheckers: list[str] | None, earlier: pd.DataFrame | None = None,
         draw_no: int = 1) -> pd.DataFrame:
    """The new picks of one draw (PICK_COLUMNS), earlier picks kept (module doc).

    ``earlier``: the picks of earlier draws in the round (PICK_COLUMNS) or None.
    """
    if not 0 < share <= 1:
        raise UserError("backcheck.bad_share", share=share)
    pop = population[list(POPULATION_COLUMNS)].copy()
    pop["interviewer"] = pop["interviewer"].astype(str)
    pop = keys(pop, seed, weight_finding, weight_nonresponse)
    target = targets(pop, share, min_per)
    done = set() if earlier is None or not len(earlier) else set(earlier["archive_id"].astype(str))
    have = (pop[pop["archive_id"].isin(done)].groupby("interviewer").size()
            .reindex(target.index, fill_value=0))
    need = (target - have).clip(lower=0)
    cand = pop[~pop["archive_id"].isin(done)].sort_values(["interviewer", "key", "archive_id"],
                                                          ascending=[True, False, True], kind="mergesort")
    cand = cand.assign(rank=cand.groupby("interviewer").cumcount() + 1)
    new = cand[cand["rank"].to_numpy() <= need.reindex(cand["interviewer"]).to_numpy()].copy()
    new["draw"] = draw_no
    new["backchecker"] = assign(new, backcheckers or sorted(pop["interviewer"].unique()), earlier)
    return new[list(PICK_COLUMNS)].reset_index(drop=True)


def assign(picks: pd.DataFrame, backcheckers: list[str], earlier: pd.DataFrame | None) -> list[str]:
    """A back-checker for each pick in order: the least loaded one that is not
    the original interviewer (ties in list order). One decision per household
    picked (a few hundred), not per data row."""
    names = [str(b).strip() for b in backcheckers if str(b).strip()]
    if not names:
        raise UserError("backcheck.no_backcheckers")
    load = {b: 0 for b in names}
    if earlier is not None and len(earlier):
        for b, n in earlier["backchecker"].astype(str).value_counts().items():
            if b in load:
                load[b] = int(n)
    out = []
    for enum in picks["interviewer"].astype(str):
        ok = [b for b in names if b != enum]
        if not ok:
            raise UserError("backcheck.only_self", interviewer=enum)
        best = min(ok, key=lambda b: load[b])   # min keeps the first of equals: list order
        load[best] += 1
        out.append(best)
    return out


def population(results: object) -> Population:
    """The back-check population of a stored verification (toolkit.project Results):
    completed visits and non-response dispositions with their interviewer and
    whether the household has a finding; teams are the counties (the visit lists'
    teams)."""
    subs = results.submissions
    if subs is None or not len(subs):
        raise UserError("backcheck.no_visits")
    s = subs.copy()
    order = "end" if "end" in s else s.columns[0]
    s = s.sort_values(order, kind="mergesort").drop_duplicates("archive_id", keep="last")
    enum = s.set_index(s["archive_id"].astype(str))["interviewer_1"].astype("string")
    county = results.households.set_index(results.households["archive_id"].astype(str))["county"] \
        if len(results.households) and "county" in results.households else pd.Series(dtype=object)
    disp = results.dispositions
    if disp is not None and len(disp):
        d = disp[["archive_id", "code"]].astype({"archive_id": str})
        d = d[d["code"].isin(("completed",) + NONRESPONSE)]
    else:
        d = pd.DataFrame({"archive_id": results.households["archive_id"].astype(str), "code": "completed"})
    frame = pd.DataFrame({"archive_id": d["archive_id"].to_numpy(), "disposition": d["code"].to_numpy()})
    frame["interviewer"] = enum.reindex(frame["archive_id"]).to_numpy()
    team = county.reindex(frame["archive_id"]).astype("string")
    if "county_code" in s:   # households without a completed visit: their county through its code
        cc = s.set_index(s["archive_id"].astype(str))["county_code"].astype("string")
        names = {str(c.code): c.name for c in getattr(results.evaluation, "counties", ())}
        team = team.fillna(cc.reindex(frame["archive_id"]).map(lambda c: names.get(str(c), c) if pd.notna(c) else c))
    frame["team"] = team.fillna("").to_numpy()
    ev = results.evidence
    flagged = set(ev.loc[ev["flagged"].astype(bool), "archive_id"].astype(str)) if len(ev) else set()
    frame["finding"] = frame["archive_id"].isin(flagged)
    missing = frame["interviewer"].isna() | (frame["interviewer"].astype("string").str.strip() == "")
    left = frame[missing.to_numpy()].assign(reason="no_interviewer")
    keep = frame[~missing.to_numpy()].reset_index(drop=True)
    keep["interviewer"] = keep["interviewer"].astype(str).str.strip()
    return Population(keep[list(POPULATION_COLUMNS)], left.reset_index(drop=True))


def share_of(n: int, m: int) -> float:
    """n ÷ m, NaN for m = 0."""
    return n / m if m else math.nan


__all__ = ["ALGORITHM", "SEED_PREFIX", "NONRESPONSE", "Population", "POPULATION_COLUMNS", "PICK_COLUMNS",
           "ticket_seed", "keys", "targets", "draw", "assign", "population"]
