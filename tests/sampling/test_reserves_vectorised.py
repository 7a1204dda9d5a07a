"""``check_dispositions`` without a Python loop per row or per PSU (issue 21,
seventh session) answers exactly as the loops did: the same frame back, or
the same refusal (key and fields) for the first record at fault, on many
random disposition tables of a two-stage and a one-stage sample."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from toolkit.errors import UserError
from toolkit.sampling.reserves import DISPOSITIONS, MIN_VISITS_NOT_AT_HOME, check_dispositions
from toolkit.sampling.sample_files import StratumWords
from toolkit.sampling.select import Design, draw


def _old_check(sample, dispositions: pd.DataFrame) -> pd.DataFrame:
    """The loops as they were (2026-11-30, before the seventh session)."""
    d = dispositions.copy()
    d["archive_id"] = d["archive_id"].astype(str).str.strip()
    role = pd.Series("", index=d.index)
    role[d["archive_id"].isin(sample.units["archive_id"])] = "selected"
    role[d["archive_id"].isin(sample.reserves["archive_id"])] = "reserve"
    for i in d.index[role == ""]:
        raise UserError("sampling.unknown_unit", id=d.at[i, "archive_id"])
    for i in d.index:
        if d.at[i, "code"] not in DISPOSITIONS:
            raise UserError("sampling.bad_disposition", id=d.at[i, "archive_id"], code=d.at[i, "code"],
                            choices=", ".join(DISPOSITIONS))
    d["role"] = role
    d["aapor"] = d["code"].map(lambda c: DISPOSITIONS[c][2])
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
        reserve_ids = set(sample.reserves["archive_id"])
        for i, rid in rep.items():
            if d.at[i, "code"] == "completed":
                raise UserError("sampling.replaced_completed", id=d.at[i, "archive_id"])
            if rid not in reserve_ids:
                raise UserError("sampling.unknown_unit", id=rid)
        released |= set(rep)
    res = sample.reserves.set_index("archive_id")
    two = sample.design.method == "two_stage"
    rel = res[res.index.isin(released)].copy()
    rel["group_psu"] = rel["psu"] if two else ""
    for (stratum, psu), grp in rel.groupby(["stratum", "group_psu"]):
        ranks = sorted(grp["reserve_rank"].tolist())
        for expected, got in zip(range(1, len(ranks) + 1), ranks):
            if expected != got:
                rid = grp.index[grp["reserve_rank"] == got][0]
                raise UserError("sampling.reserve_order", stratum=StratumWords(stratum), psu=psu if two else "",
                                expected=expected, got=got, id=rid)
    return d


def _outcome(fn, sample, d):
    try:
        return "ok", fn(sample, d)
    except UserError as e:
        return "refused", (e.key, {k: str(v) for k, v in e.fields.items()})


@pytest.fixture(scope="module")
def samples(request):
    from tests.sampling.sampling_data import make_roster

    roster = make_roster()
    two = draw(roster, Design(seed="v7", strata=("county",), method="two_stage", psu="township",
                              psus_per_stratum=2, per_psu=5, reserves=4))
    one = draw(roster, Design(seed="v7", strata=("county",), n=40, reserves=4))
    return [two, one]


def _table(sample, rng: np.random.Generator, faults: bool) -> pd.DataFrame:
    units = sample.units["archive_id"].tolist()
    res = sample.reserves.sort_values(["stratum", "reserve_rank"])
    picked = rng.choice(len(units), size=min(len(units), 60), replace=False)
    rows = []
    for j in picked:
        code = str(rng.choice(["completed", "refused", "not_at_home", "moved", "deceased"]))
        rec = {"archive_id": units[j], "code": code, "visits": int(rng.integers(3, 6))}
        if code != "completed" and rng.random() < 0.3:
            stratum = sample.units["stratum"].iloc[j]
            own = res[res["stratum"] == stratum]
            if len(own):
                rec["replaced_by"] = own["archive_id"].iloc[int(rng.integers(0, min(len(own), 2)))]
        rows.append(rec)
    d = pd.DataFrame(rows)
    if faults:
        k = int(rng.integers(0, len(d)))
        what = int(rng.integers(0, 6))
        if what == 0:
            d.loc[k, "archive_id"] = "nobody"
        elif what == 1:
            d.loc[k, "code"] = "gone fishing"
        elif what == 2:
            d.loc[k, "replaced_by"] = "no such reserve"
        elif what == 3:
            d.loc[k, "code"] = "completed"
            d.loc[k, "replaced_by"] = res["archive_id"].iloc[0]
        elif what == 4:
            d.loc[k, ["code", "visits"]] = ["not_at_home", 1]
        else:   # a reserve of a later rank released with no earlier one
            late = res[res["reserve_rank"] >= 2]
            extra = {"archive_id": late["archive_id"].iloc[int(rng.integers(0, len(late)))], "code": "refused",
                     "visits": 3}
            d = pd.concat([d, pd.DataFrame([extra])], ignore_index=True)
    if "replaced_by" not in d:
        d["replaced_by"] = None
    return d


def test_same_answers_as_the_loops(samples) -> None:
    rng = np.random.default_rng(21)
    seen = set()
    for sample in samples:
        for i in range(25):
            d = _table(sample, rng, faults=i % 2 == 1)
            old, new = _outcome(_old_check, sample, d), _outcome(check_dispositions, sample, d)
            assert old[0] == new[0], (old, new)
            if old[0] == "ok":
                pd.testing.assert_frame_equal(new[1], old[1], check_exact=True)
            else:
                assert new[1] == old[1]
            seen.add(old[0] if old[0] == "ok" else old[1][0])
    assert {"ok", "sampling.reserve_order", "sampling.unknown_unit", "sampling.bad_disposition",
            "sampling.replaced_completed"} <= seen   # every path was taken
