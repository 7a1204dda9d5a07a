"""Design behaviour beyond R's numbers: immutability, domains, errors,
post-stratification and non-response adjustment."""
from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import toolkit.scoring
import toolkit.survey
import toolkit.survey.ci
import toolkit.survey.design
import toolkit.survey.weighting
from toolkit.survey import Design, SurveyError, adjust_nonresponse


@pytest.fixture()
def design(sample: pd.DataFrame) -> Design:
    return Design(sample, strata="county", psu="township", weights="weight")


@pytest.mark.parametrize("mod", [toolkit.survey, toolkit.survey.ci, toolkit.survey.design,
                                 toolkit.survey.weighting, toolkit.scoring])
def test_docstring_examples_run(mod) -> None:
    failed, _ = doctest.testmod(mod)
    assert failed == 0


def test_result_is_tidy(design: Design) -> None:
    r = design.proportion("satisfied", by="county")
    assert list(r.columns) == ["county", "variable", "estimate", "se", "ci_low", "ci_high",
                               "df", "deff", "n", "n_eff", "ci_method"]
    assert len(r) == 6 and r.n.sum() == 258
    assert (r.ci_low < r.estimate).all() and (r.estimate < r.ci_high).all()
    assert set(r.ci_method) == {"korn-graubard"}


def test_design_is_immutable(design: Design, sample: pd.DataFrame) -> None:
    with pytest.raises(AttributeError):
        design._w = None
    with pytest.raises(ValueError):
        design.weights[0] = 1.0
    before = design.mean("satisfaction").estimate[0]
    sample2 = sample.copy()
    d2 = Design(sample2, strata="county", psu="township", weights="weight")
    sample2.loc[0, "satisfaction"] = 100
    assert d2.mean("satisfaction").estimate[0] == before


def test_subset_is_not_a_filter(design: Design, sample: pd.DataFrame) -> None:
    # a domain absent from the first township of every county
    first = sample.groupby("county").township.transform("min")
    mask = (sample.exited == 1) & (sample.township != first)
    dom = design.subset(mask)
    filtered = Design(sample[mask], strata="county", psu="township", weights="weight")
    a, b = dom.mean("wrong_exit").iloc[0], filtered.mean("wrong_exit").iloc[0]
    assert a.estimate == pytest.approx(b.estimate)
    assert a.se != pytest.approx(b.se, rel=1e-6)          # the domain keeps every PSU
    assert a.se > b.se                                    # ... so it sees the random domain size
    assert dom.n == int(mask.sum())
    # subset by column name and by Series give the same design
    assert design.subset("exited").mean("wrong_exit").se[0] == design.subset(
        sample.exited == 1).mean("wrong_exit").se[0]


def test_subset_of_by_equals_by(design: Design, sample: pd.DataFrame) -> None:
    by = design.mean("satisfaction", by="county").set_index("county")
    for county in by.index:
        one = design.subset(sample.county == county).mean("satisfaction").iloc[0]
        assert one.se == pytest.approx(by.loc[county, "se"], rel=1e-12)
        assert one.df == by.loc[county, "df"]


def test_two_by_columns(design: Design) -> None:
    r = design.mean("satisfaction", by=["county", "category"])
    assert {"county", "category"} <= set(r.columns)
    assert r.n.sum() == 258


def test_missing_values_leave_the_domain(design: Design, sample: pd.DataFrame) -> None:
    s = sample.copy()
    s.loc[:9, "satisfaction"] = np.nan
    d = Design(s, strata="county", psu="township", weights="weight")
    r = d.mean("satisfaction").iloc[0]
    ref = design.subset(~s.satisfaction.isna()).mean("satisfaction").iloc[0]
    assert r.n == 248 and r.estimate == pytest.approx(ref.estimate) and r.se == pytest.approx(ref.se)


@pytest.mark.parametrize("kwargs,key", [
    (dict(strata="nope"), "survey.unknown_columns"),
    (dict(strata="county", psu="township", lonely_psu="bogus"), "survey.bad_lonely_psu"),
    (dict(strata="county", weights="county"), "survey.not_numeric"),
    (dict(strata="county", psu="township", fpc=["weight"]), "survey.fpc_not_constant"),
    (dict(ssu="household_id"), "survey.ssu_without_psu"),
])
def test_design_errors(sample: pd.DataFrame, kwargs: dict, key: str) -> None:
    with pytest.raises(SurveyError) as e:
        Design(sample, **kwargs)
    assert e.value.key == key


def test_unknown_columns_are_listed(sample: pd.DataFrame) -> None:
    with pytest.raises(SurveyError) as e:
        Design(sample, strata="县", psu="乡镇")
    assert e.value.fields["columns"] == "县, 乡镇"
    assert "county" in e.value.fields["available"]


def test_lonely_psu_fail(sample: pd.DataFrame) -> None:
    s = sample[~((sample.county == "长丰县") & (sample.township != sample.township[sample.county == "长丰县"].iloc[0]))]
    with pytest.raises(SurveyError) as e:
        Design(s, strata="county", psu="township", weights="weight", lonely_psu="fail")
    assert e.value.key == "survey.lonely_psu" and e.value.fields["stratum"] == "长丰县"
    # a certainty stratum (fpc N = n) is not lonely
    s = s.assign(N=np.where(s.county == "长丰县", 1, 20))
    Design(s, strata="county", psu="township", fpc="N", lonely_psu="fail")


def test_estimator_errors(design: Design) -> None:
    with pytest.raises(SurveyError) as e:
        design.proportion("satisfaction")
    assert e.value.key == "survey.not_binary"
    with pytest.raises(SurveyError) as e:
        design.mean("category")
    assert e.value.key == "survey.not_numeric"
    with pytest.raises(SurveyError) as e:
        design.proportion("satisfied", ci="exact")
    assert e.value.key == "survey.bad_ci"
    with pytest.raises(SurveyError) as e:
        design.mean("satisfied", by="nope")
    assert e.value.key == "survey.unknown_columns"


def test_fpc_fraction_equals_counts(sample: pd.DataFrame) -> None:
    s = sample.assign(f1=sample.n_townships_sampled / sample.n_townships_in_county,
                      f2=sample.n_households_sampled / sample.n_households_in_township)
    a = Design(s, strata="county", psu="township", ssu="household_id",
               fpc=["n_townships_in_county", "n_households_in_township"]).mean("satisfied")
    b = Design(s, strata="county", psu="township", ssu="household_id", fpc=["f1", "f2"]).mean("satisfied")
    assert a.se[0] == pytest.approx(b.se[0], rel=1e-12)
    with pytest.raises(SurveyError) as e:
        Design(s.assign(f1=np.where(s.county == "长丰县", 30, s.f1)), strata="county",
               psu="township", fpc="f1")
    assert e.value.key == "survey.fpc_mixed"


def test_poststratify_hits_the_roster(design: Design) -> None:
    roster = {"意外致困": 3000, "深度困难": 2500, "相对困难": 6000}
    ps = design.poststratify("category", roster)
    tot = ps.total("satisfied", by="category")
    n_cat = ps.mean("satisfied", by="category")
    w = pd.Series(ps.weights).groupby(design.data["category"].to_numpy()).sum()
    assert w.to_dict() == pytest.approx(roster)
    assert len(tot) == len(n_cat) == 3
    with pytest.raises(SurveyError) as e:
        design.poststratify("category", {"意外致困": 3000, "深度困难": 2500})
    assert e.value.key == "survey.poststrata_missing"
    with pytest.raises(SurveyError) as e:
        design.poststratify("category", {**roster, "其他": 5})
    assert e.value.key == "survey.poststrata_absent"
    design.poststratify("category", {**roster, "其他": 5}, partial=True)


def test_nonresponse_weighting_classes() -> None:
    df = pd.DataFrame({
        "county": ["A"] * 6 + ["B"] * 4,
        "w": [10.0] * 6 + [20.0] * 4,
        "disp": ["1.1", "1.1", "2.11", "2.2", "3.2", "4.5", "1.0", "1.1", "2.1", "1.1"],
    })
    adj = adjust_nonresponse(df, "w", "disp", classes="county")
    # A: R=20, NR=20, U=10, IN=10 -> a = 60/50 = 1.2, b = 40/20 = 2 -> 10 × 2.4
    assert adj.weights.tolist()[:6] == pytest.approx([24, 24, 0, 0, 0, 0])
    # B: R=60, NR=20 -> b = 4/3
    assert adj.weights.tolist()[6:] == pytest.approx([80 / 3, 80 / 3, 0, 80 / 3])
    t = adj.table.set_index("class")
    assert t.loc["A", "a_unknown_eligibility"] == pytest.approx(1.2)
    assert t.n_respondent.sum() + t.n_nonrespondent.sum() + t.n_unknown.sum() + t.n_ineligible.sum() == 10
    # respondents carry the estimated eligible population: (R + NR) × a = 40 × 1.2
    assert t.loc["A", "w_adjusted_respondents"] == pytest.approx(48)
    kept = adjust_nonresponse(df, "w", "disp", classes="county", keep_ineligible=True)
    assert kept.weights[5] == pytest.approx(12)
    explicit = adjust_nonresponse(df.assign(code=df.disp.str[0]), "w", "code", classes="county",
                                  groups={"respondent": ["1"], "nonrespondent": ["2"],
                                          "unknown": ["3"], "ineligible": ["4"]})
    assert explicit.weights.tolist() == pytest.approx(adj.weights.tolist())
    with pytest.raises(SurveyError) as e:
        adjust_nonresponse(df.assign(disp=["9"] + df.disp.tolist()[1:]), "w", "disp")
    assert e.value.key == "survey.unknown_disposition"
    with pytest.raises(SurveyError) as e:
        adjust_nonresponse(df.assign(disp=["2.1"] * 6 + df.disp.tolist()[6:]), "w", "disp",
                           classes="county")
    assert e.value.key == "survey.class_without_respondents"


def test_zero_events_by_domain_stays_informative(design: Design, sample: pd.DataFrame) -> None:
    r = design.subset(sample.exited == 1).proportion("wrong_exit", by="county").set_index("county")
    zero = r[r.estimate == 0]
    assert len(zero) >= 1
    assert (zero.ci_low == 0).all() and (zero.ci_high > 0.02).all() and (zero.ci_high < 0.5).all()
    # at 0 events n_eff = n / deff₀ with deff₀ ≥ 1 borrowed from the whole sample
    assert (zero.n_eff <= zero.n).all() and (zero.n_eff < zero.n).any()
    nchs = design.subset(sample.exited == 1).proportion("wrong_exit", by="county", edge_deff=1.0)
    nchs = nchs.set_index("county").loc[zero.index]
    assert (nchs.n_eff == nchs.n).all() and (nchs.ci_high <= zero.ci_high).all()
