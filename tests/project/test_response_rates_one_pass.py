"""RR1 per county in one pass (toolkit.project.summaries.response_rates) gives
what ``response_rate`` gives on each county's own units, reserves and
dispositions: released reserves, replacements named in ``replaced_by``,
repeated dispositions (the last counts) and undisposed units included; a
disposition table the per-county checks refused is still refused."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from toolkit.errors import UserError
from toolkit.project.summaries import response_rates
from toolkit.sampling import manifest as mf
from toolkit.sampling.reserves import response_rate
from toolkit.sampling.select import Design, Sample, draw

COUNTIES = ("瑶海区", "庐阳区", "长丰县", "无人县")


@pytest.fixture(scope="module")
def drawn():
    rng = np.random.default_rng(7)
    n = 900
    county = rng.choice(COUNTIES[:3], size=n, p=[0.5, 0.3, 0.2])
    roster = pd.DataFrame({"archive_id": [f"340{i:07d}" for i in range(n)], "county": county,
                           "township": [f"{c[:2]}街道{k}" for c, k in zip(county, rng.integers(1, 4, size=n))],
                           "status": "在档", "household_size": rng.integers(1, 6, size=n)},
                          index=pd.RangeIndex(2, n + 2, name="row"))
    s = draw(roster, Design(seed="rr1", strata=("county",), n=90, reserves=3))
    return s, mf.build(s, roster)


def _dispositions(s: Sample) -> pd.DataFrame:
    units = s.units.reset_index(drop=True)
    codes = np.array(["completed", "refused", "moved", "not_eligible", "completed", "deceased"], dtype=object)
    d = pd.DataFrame({"archive_id": units["archive_id"].astype(str), "code": codes[np.arange(len(units)) % 6]})
    d = d.iloc[: len(d) - 7].copy()                 # seven units never disposed: unknown eligibility
    d["replaced_by"] = ""
    first = s.reserves[s.reserves["reserve_rank"] == 1].reset_index(drop=True)
    for k, (_, r) in enumerate(first.iterrows()):  # each stratum's first reserve replaces a moved household
        moved = d.index[(d["code"] == "moved")
                        & d["archive_id"].isin(units.loc[units["stratum"] == r["stratum"], "archive_id"])]
        d.loc[moved[0], "replaced_by"] = r["archive_id"]
        if k == 0:                                  # one replacement interviewed, once refused then completed
            d = pd.concat([d, pd.DataFrame({"archive_id": [r["archive_id"]] * 2, "code": ["refused", "completed"],
                                            "replaced_by": ["", ""]})], ignore_index=True)
    return d


def test_one_pass_equals_each_countys_own_rate(drawn):
    s, man = drawn
    d = _dispositions(s)
    table = response_rates(man, d, list(COUNTIES)).set_index("county")
    county = s.units["stratum"].astype(str).str.split("|").str[-1]
    r_county = s.reserves["stratum"].astype(str).str.split("|").str[-1]
    d_county = d["archive_id"].map(pd.concat([
        pd.Series(county.to_numpy(), index=s.units["archive_id"]),
        pd.Series(r_county.to_numpy(), index=s.reserves["archive_id"])]))
    whole = response_rate(s, d)
    cols = ["released", "completed", "refused", "non_contact", "other", "not_eligible", "unknown"]
    first = table.iloc[0]
    assert [int(first[c]) for c in cols] == [getattr(whole, c) for c in cols]
    assert first["rr1"] == pytest.approx(whole.rr1)
    assert int(first["unknown"]) >= 7 and int(first["other"]) > 0
    for c in COUNTIES:
        one = Sample(design=s.design, allocation=None, units=s.units[county == c],
                     reserves=s.reserves[r_county == c], psus=None, population=0)
        rr = response_rate(one, d[d_county == c])
        row = table.loc[c]
        assert [int(row[k]) for k in cols] == [getattr(rr, k) for k in cols], c
        if rr.rr1 is None:
            assert np.isnan(row["rr1"]) and c == "无人县"
        else:
            assert row["rr1"] == pytest.approx(rr.rr1)


def test_replacement_from_another_county_is_refused(drawn):
    s, man = drawn
    d = _dispositions(s)
    units = s.units.set_index("archive_id")
    moved = d.index[d["code"] == "refused"][0]
    own = str(units.loc[d.at[moved, "archive_id"], "stratum"])
    other = s.reserves[(s.reserves["stratum"] != own) & (s.reserves["reserve_rank"] == 1)]["archive_id"].iloc[0]
    d.loc[d["replaced_by"] == other, "replaced_by"] = ""
    d.at[moved, "replaced_by"] = other
    with pytest.raises(UserError):
        response_rates(man, d, list(COUNTIES))
