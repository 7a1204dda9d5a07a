"""An aspect's county chart at provincial or national size draws the whole area
and the counties not passing, not 300 rows (issue 21: one chart was 21,421 px
tall and took 80 s); a city's chart draws every county, as before."""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.report.content import CHART_COUNTIES, chart_rows
from toolkit.verify.indicators import ALL


def card(counties: int, fails: set[int], inconclusive: set[int] = frozenset()) -> pd.DataFrame:
    rows = []
    for ind in ("wrong_exit", "missed"):
        rows.append({"indicator": ind, "county": ALL, "verdict": "pass", "estimate": 0.02})
        for i in range(counties):
            v = "fail" if i in fails else "inconclusive" if i in inconclusive else "pass"
            rows.append({"indicator": ind, "county": f"县{i:03d}", "verdict": v, "estimate": 0.01 * (i % 7)})
    return pd.DataFrame(rows)


def test_a_city_chart_draws_every_county() -> None:
    part = card(12, {3})
    drawn, total = chart_rows(part)
    assert total == 12 and drawn.equals(part)


def test_a_national_chart_draws_the_whole_area_and_the_counties_not_passing() -> None:
    part = card(301, fails={5, 100, 250}, inconclusive={7, 8})
    drawn, total = chart_rows(part)
    assert total == 301
    for ind, g in drawn.groupby("indicator"):
        assert g["county"].iloc[0] == ALL                       # the whole area first, as in the scorecard
        assert set(g["county"]) == {ALL, "县005", "县100", "县250", "县007", "县008"}
        assert list(g["county"]) == [ALL, "县005", "县007", "县008", "县100", "县250"]   # scorecard order kept


def test_at_most_cap_counties_worst_first() -> None:
    part = card(301, fails=set(range(0, 300, 10)), inconclusive=set(range(1, 300, 10)))   # 30 fail + 30 inconclusive
    drawn, _ = chart_rows(part)
    for _, g in drawn.groupby("indicator"):
        counties = g[g["county"] != ALL]
        assert len(counties) == CHART_COUNTIES
        assert (counties["verdict"] == "fail").sum() == 30       # every failing county is drawn
        assert np.isin(g["county"], [ALL]).sum() == 1
