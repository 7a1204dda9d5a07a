"""Selection: ticket rule, order independence, π per stage, reserves, bad input."""
import hashlib

import numpy as np
import pandas as pd
import pytest

from sampling_data import make_roster
from toolkit.errors import UserError
from toolkit.sampling import tickets as tk
from toolkit.sampling.select import Design, draw

DESIGNS = {
    "srswor": Design(seed="2024088", strata=("county", "status"), n=60, reserves=2),
    "systematic": Design(seed="2024088", strata=("county",), method="systematic", n=50,
                         sort_by=("township", "household_size"), reserves=2),
    "two_stage": Design(seed="2024088", strata=("county",), method="two_stage", psus_per_stratum=2,
                        per_psu=6, reserves=3),
}


def test_ticket_is_plain_sha256_of_seed_nul_id():
    t = tk.tickets(["340102A1", "x"], "福彩 2024-088")
    d = hashlib.sha256("福彩 2024-088".encode() + b"\x00" + b"340102A1").digest()
    assert int(t[0]) == int.from_bytes(d[:8], "big")
    assert tk.ticket_hex("340102A1", "福彩 2024-088") == d.hex()
    u = tk.uniform("s", "pps|A")
    assert 0 < u <= 1 and u == tk.uniform(" s ", "pps|A")


def test_ticket_ties_broken_by_id():
    order = tk.ticket_order(np.array([5, 3, 5, 1], dtype=np.uint64), ["b", "z", "a", "q"])
    assert order.tolist() == [3, 1, 2, 0]


@pytest.mark.parametrize("name", list(DESIGNS))
def test_same_seed_same_sample_after_shuffling(roster, name):
    a = draw(roster, DESIGNS[name])
    shuffled = roster.sample(frac=1.0, random_state=11)
    b = draw(shuffled, DESIGNS[name])
    pd.testing.assert_frame_equal(a.units.drop(columns="row"), b.units.drop(columns="row"))
    pd.testing.assert_frame_equal(a.reserves.drop(columns="row"), b.reserves.drop(columns="row"))
    c = draw(roster, DESIGNS[name].__class__(**{**DESIGNS[name].__dict__, "seed": "2024089"}))
    assert set(c.units["archive_id"]) != set(a.units["archive_id"])


def test_srswor_pi_and_smallest_tickets(roster):
    s = draw(roster, DESIGNS["srswor"])
    sizes = roster.groupby(["county", "status"]).size()
    assert len(s.units) == 60
    for (county, status), grp in s.units.groupby(s.units["stratum"].str.split("|", expand=True).apply(tuple, axis=1)):
        n_h = len(grp)
        assert np.allclose(grp["pi"], n_h / sizes[(county, status)])
        assert np.allclose(grp["weight"] * grp["pi"], 1)
        members = roster[(roster.county == county) & (roster.status == status)]["archive_id"].tolist()
        tix = tk.tickets(members, "2024088")
        best = {members[i] for i in np.argsort(tix)[:n_h]}
        assert set(grp["archive_id"]) == best
    # reserves are the next tickets, ranks 1..r per stratum
    assert (s.reserves.groupby("stratum")["reserve_rank"].apply(list) == [[1, 2]] * s.reserves["stratum"].nunique()).all()
    assert not set(s.reserves["archive_id"]) & set(s.units["archive_id"])


def test_systematic_takes_every_kth_in_stated_order(roster):
    s = draw(roster, DESIGNS["systematic"])
    for lab, grp in s.units.groupby("stratum"):
        frame = roster[roster.county == lab].sort_values(["township", "household_size", "archive_id"],
                                                         kind="mergesort")
        big_n, n = len(frame), len(grp)
        u = tk.uniform("2024088", f"systematic|{lab}")
        pos = np.ceil((np.arange(n) + u) * big_n / n).astype(int) - 1
        assert set(frame["archive_id"].iloc[pos]) == set(grp["archive_id"])
        assert np.allclose(grp["pi"], n / big_n)


def test_two_stage_probabilities(roster):
    s = draw(roster, DESIGNS["two_stage"])
    psus = s.psus
    assert (psus.groupby("stratum")["selected"].sum() == 2).all()
    assert np.allclose(psus.groupby("stratum")["pi1"].sum(), 2)
    m = s.units.merge(psus, on=["stratum", "psu"])
    assert np.allclose(m["pi1_x"], m["pi1_y"])
    assert np.allclose(m["pi2"], np.minimum(6, m["households"]) / m["households"])
    assert np.allclose(s.units["pi"], s.units["pi1"] * s.units["pi2"])
    assert (s.units.groupby(["stratum", "psu"]).size() == 6).all()
    assert (s.reserves.groupby(["stratum", "psu"])["reserve_rank"].max() == 3).all()


def test_certainty_psu_capped_and_respread():
    roster = make_roster(300, townships=3)
    roster.loc[roster.county == "瑶海区", "township"] = np.where(
        np.arange((roster.county == "瑶海区").sum()) % 10 < 8, "大镇", "小镇A")
    roster.loc[(roster.county == "瑶海区") & (roster.index % 7 == 0), "township"] = "小镇B"
    d = Design(seed="s", strata=("county",), method="two_stage", psus_per_stratum=2, per_psu=4)
    s = draw(roster, d)
    p = s.psus[s.psus.stratum == "瑶海区"].set_index("psu")
    assert p.loc["大镇", "certainty"] and p.loc["大镇", "pi1"] == 1 and p.loc["大镇", "selected"]
    assert p["pi1"].sum() == pytest.approx(2)


def test_comparison_frame_is_its_own_stratum(roster):
    comp = pd.DataFrame({"archive_id": [f"C{i:03d}" for i in range(40)],
                         "county": ["瑶海区"] * 20 + ["庐阳区"] * 20})
    s = draw(roster, Design(seed="x", strata=("county", "status"), per_stratum=2), comparison=comp)
    c = s.units[s.units.source == "comparison"]
    assert set(c["stratum"]) == {"comparison|瑶海区|非建档", "comparison|庐阳区|非建档"}
    assert len(c) == 4 and np.allclose(c["pi"], 2 / 20)


def _key(exc):
    return exc.value.key, exc.value.fields


@pytest.mark.parametrize("change,key,field", [
    (dict(n=10_000), "sampling.n_exceeds_frame", None),
    (dict(seed=""), "sampling.seed_missing", None),
    (dict(seed="   "), "sampling.seed_missing", None),
    (dict(n=None, per_stratum=None), "sampling.size_missing", None),
    (dict(n=None, per_stratum=500), "sampling.n_exceeds_frame", "stratum"),
    (dict(strata=("county", "nope")), "sampling.missing_column", "column"),
])
def test_bad_design(roster, change, key, field):
    d = Design(**{**Design(seed="s", strata=("county",), n=30).__dict__, **change})
    with pytest.raises(UserError) as e:
        draw(roster, d)
    assert e.value.key == key
    if field:
        assert e.value.fields[field]


def test_stratum_with_one_or_zero_units(roster):
    r = roster.copy()
    r.loc[r.index[0], "county"] = "孤县"
    with pytest.raises(UserError) as e:
        draw(r, Design(seed="s", strata=("county",), n=30))
    assert e.value.key == "sampling.stratum_too_small" and e.value.fields["stratum"] == "孤县"
    with pytest.raises(UserError) as e:
        draw(roster, Design(seed="s", strata=("county",), n=30, required_strata=("蜀山区",)))
    assert e.value.fields == {"stratum": "蜀山区", "size": 0}


def test_duplicate_and_blank_ids(roster):
    r = roster.copy()
    r.loc[r.index[5], "archive_id"] = r.loc[r.index[9], "archive_id"]
    with pytest.raises(UserError) as e:
        draw(r, Design(seed="s", n=30))
    assert e.value.key == "sampling.duplicate_id" and e.value.fields["id"] == r.loc[r.index[9], "archive_id"]
    r = roster.copy()
    r.loc[r.index[3], "archive_id"] = None
    with pytest.raises(UserError) as e:
        draw(r, Design(seed="s", n=30))
    assert e.value.key == "sampling.blank_id" and e.value.fields["row"] == r.index[3]


def test_psu_problems(roster):
    d = Design(seed="s", strata=("county",), method="two_stage", psus_per_stratum=5, per_psu=3)
    with pytest.raises(UserError) as e:
        draw(roster, d)
    assert e.value.key == "sampling.psus_exceed" and e.value.fields["available"] == 4
    sizes = tuple((p, 10) for p in sorted(roster.township.unique())) + (("幽灵街道", 10),)
    d = Design(seed="s", strata=("county",), method="two_stage", psus_per_stratum=2, per_psu=3, psu_sizes=sizes)
    with pytest.raises(UserError) as e:
        draw(roster, d)
    assert e.value.key == "sampling.psu_empty" and e.value.fields["psu"] == "幽灵街道"
    r = roster.copy()
    r.loc[r.index[2], "township"] = "  "
    with pytest.raises(UserError) as e:
        draw(r, Design(seed="s", strata=("county",), method="two_stage", psus_per_stratum=2, per_psu=3))
    assert e.value.key == "sampling.blank_stratum" and e.value.fields["row"] == r.index[2]


def test_ids_normalised_so_format_does_not_matter(roster):
    r = roster.copy()
    r["archive_id"] = " " + r["archive_id"] + " "
    a = draw(roster, Design(seed="s", n=30))
    b = draw(r, Design(seed="s", n=30))
    assert a.units["archive_id"].tolist() == b.units["archive_id"].tolist()


def test_two_stage_stratum_with_one_household(roster):
    r = roster.copy()
    r.loc[r.index[0], "county"] = "孤县"
    with pytest.raises(UserError) as e:
        draw(r, Design(seed="s", strata=("county",), method="two_stage", psus_per_stratum=1, per_psu=2))
    assert e.value.fields == {"stratum": "孤县", "size": 1}
