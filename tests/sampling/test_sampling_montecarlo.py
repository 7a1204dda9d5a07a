"""Monte-Carlo: over many seeds, each unit is selected with frequency π.

Pearson statistic Σ (c_i − Rπ_i)² / (Rπ_i(1 − π_i)) over units with 0 < π < 1,
compared with χ²(df = number of units) at p = 0.001. Seeds are fixed, so the
test is deterministic; with a fixed sample size the counts are negatively
correlated and the statistic is, if anything, smaller (the test is conservative
against false alarms, and still catches any unit with a wrong π).
"""
import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2

from sampling_data import make_roster
from toolkit.sampling.select import Design, draw


def _frame() -> pd.DataFrame:
    r = make_roster(48, seed=5, townships=3)
    r.loc[r.index[:3], "county"] = "长丰县"     # make sure every stratum has a few units
    return r


CASES = {
    "srswor": (Design(strata=("county",), n=12), 500),
    "systematic": (Design(strata=("county",), method="systematic", n=12, sort_by=("township",)), 500),
    "two_stage": (Design(strata=("county",), method="two_stage", psus_per_stratum=2, per_psu=3), 300),
}


@pytest.mark.parametrize("method", list(CASES))
def test_selection_frequencies_match_pi(method):
    frame = _frame()
    base, reps = CASES[method]
    counts = pd.Series(0, index=frame["archive_id"])
    pi = None
    for k in range(reps):
        s = draw(frame, Design(**{**base.__dict__, "seed": f"mc-{method}-{k}"}))
        counts[s.units["archive_id"]] += 1
        if method != "two_stage" and pi is None:
            pi = s.units.set_index("archive_id")["pi"]
    if method == "two_stage":
        # π_i = π1(psu) · m/M: from the PSU table of any draw (it does not depend on the seed)
        ps = s.psus.set_index(["stratum", "psu"])
        key = list(zip(frame["county"], frame["township"]))
        pi = pd.Series([ps.loc[k, "pi1"] * min(3, ps.loc[k, "households"]) / ps.loc[k, "households"]
                        for k in key], index=frame["archive_id"])
    else:
        sizes = frame.groupby("county").size()
        n_h = s.units.groupby("stratum").size()
        pi = pd.Series((n_h[frame["county"]] / sizes[frame["county"]]).to_numpy(), index=frame["archive_id"])
    p = pi.reindex(counts.index).to_numpy()
    c = counts.to_numpy()
    mid = (p > 0) & (p < 1)
    stat = ((c[mid] - reps * p[mid]) ** 2 / (reps * p[mid] * (1 - p[mid]))).sum()
    assert chi2.sf(stat, df=int(mid.sum())) > 0.001, (method, stat, int(mid.sum()))
    assert np.all(c[p >= 1] == reps)
