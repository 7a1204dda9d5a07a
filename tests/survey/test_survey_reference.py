"""Every number in shared/reference/survey-estimates/expected.json (R survey 4.1.1).

Estimates to 1e-9 relative, standard errors to 1e-7, CI bounds to 1e-6.
The three designs of the README: two-stage with fpc (weights derived from the
fpc, as R), ultimate cluster with weights, stratified SRS with weights.
"""
from __future__ import annotations

import math

import pandas as pd
import pytest

from toolkit.survey import Design

DESIGNS = {
    "two_stage_fpc": dict(strata="county", psu="township", ssu="household_id",
                          fpc=["n_townships_in_county", "n_households_in_township"]),
    "ultimate_cluster": dict(strata="county", psu="township", weights="weight"),
    "stratified_srs": dict(strata="county", weights="weight"),
}
CI = {"logit": "logit", "beta": "korn-graubard", "xlogit": "xlogit", "asin": "asin"}


def est(got: float, want: float) -> None:
    assert math.isclose(got, want, rel_tol=1e-9), (got, want)


def se(got: float, want: float) -> None:
    assert math.isclose(got, want, rel_tol=1e-7), (got, want)


def bound(got: float, want: float) -> None:
    assert math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9), (got, want)


@pytest.fixture(scope="module", params=sorted(DESIGNS))
def case(request, sample: pd.DataFrame, expected: dict):
    name = request.param
    design = Design(sample, lonely_psu=expected["lonely_psu"], **DESIGNS[name])
    return design, expected["designs"][name], sample


def test_degf(case) -> None:
    design, want, _ = case
    assert design.degf == want["degf"]


def test_fpc_weights_equal_the_file_weights(sample: pd.DataFrame) -> None:
    d = Design(sample, **DESIGNS["two_stage_fpc"])
    assert d.weights == pytest.approx(sample["weight"].to_numpy(), rel=1e-12)


@pytest.mark.parametrize("var,key", [("satisfied", "mean_satisfied"),
                                     ("satisfaction", "mean_satisfaction")])
def test_mean(case, var: str, key: str) -> None:
    design, want, _ = case
    row = design.mean(var).iloc[0]
    est(row.estimate, want[key]["estimate"])
    se(row.se, want[key]["se"])
    if "deff" in want[key]:
        se(row.deff, want[key]["deff"])
    assert row.df == want["degf"] and row.n == 258


def test_total(case) -> None:
    design, want, _ = case
    row = design.total("wrong_exit").iloc[0]
    est(row.estimate, want["total_wrong_exit"]["estimate"])
    se(row.se, want["total_wrong_exit"]["se"])


def test_ratio(case) -> None:
    design, want, _ = case
    row = design.ratio("aid_received", "aid_ledger").iloc[0]
    est(row.estimate, want["ratio_received_to_ledger"]["estimate"])
    se(row.se, want["ratio_received_to_ledger"]["se"])


def test_domain_by_subset(case) -> None:
    design, want, data = case
    row = design.subset(data["exited"] == 1).mean("wrong_exit").iloc[0]
    est(row.estimate, want["wrong_exit_rate_among_exited"]["estimate"])
    se(row.se, want["wrong_exit_rate_among_exited"]["se"])


@pytest.mark.parametrize("r_method", sorted(CI))
def test_ciprop(case, r_method: str) -> None:
    design, want, data = case
    w = want[f"ciprop_wrong_exit_{r_method}"]
    row = design.subset(data["exited"] == 1).proportion("wrong_exit", ci=CI[r_method]).iloc[0]
    # R's logit estimate is svyglm's IRLS result: equal to the mean to ~1e-14
    est(row.estimate, w["estimate"])
    bound(row.ci_low, w["lower"])
    bound(row.ci_high, w["upper"])
    assert row.ci_method == CI[r_method]


@pytest.mark.parametrize("var,by,key", [("satisfied", "county", "satisfied_by_county"),
                                        ("satisfaction", "category", "satisfaction_by_category")])
def test_by_domain(case, var: str, by: str, key: str) -> None:
    design, want, _ = case
    got = design.mean(var, by=by).set_index(by)
    assert len(got) == len(want[key])
    for w in want[key]:
        est(got.loc[w[by], "estimate"], w["estimate"])
        se(got.loc[w[by], "se"], w["se"])
