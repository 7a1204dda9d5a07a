"""RR1 per county (toolkit.project.summaries.response_rates) equals the
response rate of each county's own units and dispositions: the counties'
units are found once (national size), the figures are what each county's
own response_rate gives."""
from __future__ import annotations

import numpy as np
import pandas as pd
from sampling_data import COUNTIES, make_roster

from toolkit.project.summaries import response_rates
from toolkit.sampling import manifest as mf
from toolkit.sampling.reserves import response_rate
from toolkit.sampling.select import Design, Sample, draw


def test_rr1_per_county_is_each_countys_own_rate():
    roster = make_roster(900, seed=3)
    s = draw(roster, Design(seed="rr", strata=("county",), n=90, reserves=1))
    man = mf.build(s, roster)
    ids = s.units["archive_id"].astype(str).to_numpy()
    codes = np.array(["completed", "refused", "moved", "not_eligible", "completed"], dtype=object)
    disp = pd.DataFrame({"archive_id": ids[:80], "code": codes[np.arange(80) % len(codes)]})
    table = response_rates(man, disp, list(COUNTIES)).set_index("county")
    assert len(table) == len(COUNTIES) + 1
    county = s.units["stratum"].astype(str).str.split("|").str[-1]
    r_county = s.reserves["stratum"].astype(str).str.split("|").str[-1]
    for c in COUNTIES:
        u = s.units[county == c]
        one = Sample(design=s.design, allocation=None, units=u, reserves=s.reserves[r_county == c], psus=None,
                     population=0)
        rr = response_rate(one, disp[disp["archive_id"].isin(set(u["archive_id"]))])
        row = table.loc[c]
        assert (row["released"], row["completed"], row["refused"], row["unknown"]) == \
            (rr.released, rr.completed, rr.refused, rr.unknown)
        assert row["rr1"] == rr.rr1
    assert table.loc[table.index[0], "released"] == len(s.units)
