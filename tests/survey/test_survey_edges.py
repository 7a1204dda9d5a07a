"""Issue 13: right numbers at the edges.

R's numbers come from tests/fixtures/survey/r_edges.R (committed r_edges.json).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.survey import Design, ci
from toolkit.survey.errors import SurveyError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "survey"

R = json.loads((FIXTURES / "r_edges.json").read_text(encoding="utf-8"))
M = np.array([150.0, 210.0, 95.0, 180.0])


def county(events: list[int]) -> pd.DataFrame:
    """The issue's county: 4 townships × 25 households, w = M / (π1 · 25) with
    π1 = 4M/2777 (equal in theory, unequal in the last bits)."""
    pi1 = 4 * M / 2777
    y = np.zeros(100)
    for i, e in enumerate(events):
        y[i * 25:i * 25 + e] = 1
    return pd.DataFrame({"town": np.repeat([f"T{i + 1}" for i in range(4)], 25),
                         "w": np.repeat(M / (pi1 * 25), 25), "y": y})


def test_the_weights_really_differ_in_the_last_bits() -> None:
    w = county([1, 1, 1, 1]).w.unique()
    assert len(w) > 1 and np.ptp(w) < 1e-12


@pytest.mark.parametrize("method", ["wilson", "korn-graubard", "likelihood"])
def test_variance_zero_up_to_rounding_never_collapses_the_interval(method: str) -> None:
    d = Design(county([1, 1, 1, 1]), psu="town", weights="w")
    r = d.proportion("y", ci=method).iloc[0]
    want = R["issue_county"]["equal"]
    assert r.estimate == pytest.approx(want["estimate"], rel=1e-12)
    assert want["se"][0][0] < 1e-15            # R: zero up to rounding, and so KG is NaN there
    assert r.se == 0.0 and r.n_eff == pytest.approx(100)
    assert r.ci_low < 0.02 and r.ci_high > 0.12       # never [4 %, 4 %]
    # the same interval as a sample whose townships differ (n_eff capped at n = 100)
    moved = Design(county([2, 1, 1, 0]), psu="town", weights="w").proportion("y", ci=method).iloc[0]
    if method != "korn-graubard":
        assert (r.ci_low, r.ci_high) == pytest.approx((moved.ci_low, moved.ci_high), rel=1e-9)


def test_wilson_numbers_of_the_issue_county() -> None:
    # n_eff = n = 100, t_3 = 3.182: Wilson [0.94 %, 15.5 %] at p̂ = 4 %
    r = Design(county([1, 1, 1, 1]), psu="town", weights="w").proportion("y", ci="wilson").iloc[0]
    t = 3.182446305284263
    t2n = t * t / 100
    centre = (0.04 + t2n / 2) / (1 + t2n)
    half = t / (1 + t2n) * math.sqrt(0.04 * 0.96 / 100 + t2n / 400)
    assert (r.ci_low, r.ci_high) == pytest.approx((centre - half, centre + half), rel=1e-9)
    assert round(r.ci_low, 4) == 0.0094 and round(r.ci_high, 3) == 0.155


def test_korn_graubard_equals_r_when_the_townships_differ() -> None:
    r = Design(county([2, 1, 1, 0]), psu="town", weights="w").proportion("y").iloc[0]
    want = R["issue_county"]["moved"]
    assert r.se == pytest.approx(want["se"][0][0], rel=1e-9)
    assert r.ci_low == pytest.approx(want["beta"]["lower"], rel=1e-6)
    assert r.ci_high == pytest.approx(want["beta"]["upper"], rel=1e-6)


def test_clean_variance_scale() -> None:
    # binomial scale p(1−p)/n: 3.84e-4 at 4 % of 100, 2.5e-3 at 50 %
    v = ci.clean_variance(np.array([0.04, 0.04, 0.5, 0.5, np.nan]),
                          np.array([1e-36, 1e-8, 2e-9, 3e-9, 1.0]), np.array([100] * 5))
    assert v.tolist()[:4] == [0.0, 1e-8, 0.0, 3e-9] and v[4] == 1.0


def test_nan_variance_stays_nan_with_a_reason(r_data: pd.DataFrame) -> None:
    # two-stage fpc design, S3-P1 holds a single household: "average" makes
    # the stage-2 variance undefined (R: NA); no interval, whatever the method
    d = Design(r_data, strata="stratum", psu="psu", ssu="hh", fpc=["N1", "N2"], lonely_psu="average")
    for method in ("korn-graubard", "wilson", "likelihood"):
        r = d.proportion("b", ci=method).iloc[0]
        assert math.isfinite(r.estimate) and math.isnan(r.se)
        assert math.isnan(r.ci_low) and math.isnan(r.ci_high) and math.isnan(r.n_eff)
    reason = ci.no_interval_reason([r.estimate, 0.2, np.nan], [r.se, 0.1, np.nan], [r.df, 0, 5])
    assert list(reason) == ["survey.no_interval.variance", "survey.no_interval.df",
                            "survey.no_interval.no_data"]


def test_zero_events_borrow_the_design_effect_of_the_whole_sample() -> None:
    # 3 counties × 4 townships × 25: county A has no event; B and C are clustered
    rng = np.random.default_rng(3)
    rows = []
    for c, rates in (("A", [0, 0, 0, 0]), ("B", [0.0, 0.24, 0.0, 0.04]), ("C", [0.2, 0.0, 0.08, 0.0])):
        for i, rate in enumerate(rates):
            y = np.zeros(25)
            y[:round(rate * 25)] = 1
            rows.append(pd.DataFrame({"county": c, "town": f"{c}{i}", "w": 10.0, "y": rng.permutation(y)}))
    d = Design(pd.concat(rows, ignore_index=True), strata="county", psu="town", weights="w")
    whole = d.proportion("y").iloc[0]
    deff_up = whole.se ** 2 / (whole.estimate * (1 - whole.estimate) / whole.n)
    assert deff_up > 1.5
    r = d.proportion("y", by="county", ci="wilson").set_index("county")
    assert r.loc["A", "estimate"] == 0
    assert r.loc["A", "n_eff"] == pytest.approx(100 / deff_up, rel=1e-12)
    t = 3.182446305284263
    ne = 100 / deff_up
    assert r.loc["A", "ci_high"] == pytest.approx(t * t / (ne + t * t), rel=1e-9)
    nchs = d.proportion("y", by="county", ci="wilson", edge_deff=1.0).set_index("county")
    assert nchs.loc["A", "n_eff"] == 100 and nchs.loc["A", "ci_high"] < r.loc["A", "ci_high"]
    # the whole sample has nothing above it: Kish's weighting effect, at least 1
    assert d.proportion("y", ci="wilson").n_eff.iloc[0] <= 300
    with pytest.raises(SurveyError):
        d.proportion("y", edge_deff="guess")


@pytest.mark.parametrize("name", ["whole", "dom_a"])
def test_likelihood_interval_matches_r(r_data: pd.DataFrame, name: str) -> None:
    d = Design(r_data, strata="stratum", psu="psu", weights="wj")
    if name == "dom_a":
        d = d.subset(r_data.dom == "a")
    r = d.proportion("b", ci="likelihood").iloc[0]
    want = R["likelihood"][name]
    assert r.se == pytest.approx(want["se"][0][0], rel=1e-7)
    # R finds the roots by a spline through a coarse profile: ~1e-4
    assert r.ci_low == pytest.approx(want["lower"], rel=5e-4)
    assert r.ci_high == pytest.approx(want["upper"], rel=5e-4)


def test_likelihood_at_zero_events_is_never_degenerate() -> None:
    lo, hi = ci.likelihood(np.array([0.0]), np.array([0.0]), np.array([100]), np.array([3]))
    t = 3.182446305284263
    assert lo[0] == 0 and hi[0] == pytest.approx(1 - math.exp(-t * t * 100 / 99 / 200), rel=1e-9)


@pytest.mark.parametrize("key", sorted(R["domain_lonely"]))
def test_adjust_domain_lonely_matches_r(r_data: pd.DataFrame, key: str) -> None:
    want = R["domain_lonely"][key]
    dom = r_data.psu.isin(["S1-P1", "S2-P2", "S2-P3", "S3-P2", "S3-P3", "S4-P1", "S5-P1", "S5-P2"])
    opts = {"lonely_psu": want["rule"], "adjust_domain_lonely": want["option"]}
    wr = Design(r_data, strata="stratum", psu="psu", weights="wj", **opts).subset(dom).mean("x").iloc[0]
    fp = Design(r_data, strata="stratum", psu="psu", ssu="hh", fpc=["N1", "N2"], **opts).subset(dom)
    fp = fp.mean("x").iloc[0]
    assert wr.estimate == pytest.approx(want["wr"]["estimate"], rel=1e-9)
    assert wr.se == pytest.approx(want["wr"]["se"][0][0], rel=1e-7)
    assert fp.se == pytest.approx(want["fpc"]["se"][0][0], rel=1e-7)


def test_adjust_domain_lonely_changes_something() -> None:
    on, off = R["domain_lonely"]["adjust_on"], R["domain_lonely"]["adjust_off"]
    assert on["wr"]["se"][0][0] > off["wr"]["se"][0][0] * 1.1
