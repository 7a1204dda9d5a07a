"""The comparison singles out a fabricating interviewer across 100 small synthetic
cities (frame level, one pass), flags honest interviewers at no more than the
nominal rate, and shows the careless back-checker in the per-back-checker rates."""
from __future__ import annotations

import pandas as pd
import pytest
from bc_data import BACKCHECKERS, CARELESS, case

from toolkit.backcheck import stats
from toolkit.backcheck.compare import run
from toolkit.backcheck.settings import BackcheckSettings
from toolkit.backcheck.spec import form_path, read_items

CITIES = 100
SETTINGS = BackcheckSettings()


def _flags(fabricator: bool, seed: int, cities: int = CITIES) -> tuple[pd.DataFrame, pd.DataFrame, set]:
    c = case(seed, cases=cities, min_per=8, share=0.25, fabricator=fabricator)
    comp = run(c.visits, c.backchecks, read_items(form_path()), orig_members=c.visit_members,
               orig_payments=c.payments, bc_payments=c.bc_payments)
    tb = comp.table.assign(city=comp.table["enumerator"].str[:4])
    return (stats.flag_units(tb, SETTINGS, family="city"),
            stats.flag_units(tb, SETTINGS, "backchecker", family="city"),
            set((c.fabricator or "").split(",")) - {""})


@pytest.fixture(scope="module")
def planted() -> tuple[pd.DataFrame, pd.DataFrame, set]:
    return _flags(True, 2026)


def test_the_fabricator_is_flagged_in_at_least_95_of_100_cities(planted) -> None:
    enum, _, fabs = planted
    assert len(fabs) == CITIES
    fab = enum[enum["enumerator"].isin(fabs)]
    assert len(fab) == CITIES and fab["flagged"].sum() >= 95, fab["flagged"].sum()
    honest = enum[~enum["enumerator"].isin(fabs)]
    # each city is one family of tests at alpha = 0.05 (Holm): honest flags stay below the nominal rate
    assert honest["flagged"].mean() <= SETTINGS.alpha
    assert honest.groupby("city")["flagged"].any().mean() <= SETTINGS.alpha


def test_without_a_fabricator_honest_interviewers_are_flagged_at_most_at_the_nominal_rate() -> None:
    enum, _, fabs = _flags(False, 7, cities=60)
    assert not fabs
    cities_with_a_flag = enum.groupby("city")["flagged"].any()
    assert len(cities_with_a_flag) == 60
    # family-wise rate ≤ 5 %: allow the binomial 95 % upper bound for 60 cities (≤ 6)
    assert cities_with_a_flag.sum() <= 6


def test_the_careless_backchecker_shows_in_the_per_backchecker_rates(planted) -> None:
    _, bcs, _ = planted
    mean = bcs.groupby("backchecker")["error_rate_1"].mean()
    assert set(mean.index) == set(BACKCHECKERS)
    assert mean.idxmax() == CARELESS and mean[CARELESS] > 2 * mean.drop(CARELESS).max()
    flagged = bcs.groupby("backchecker")["flagged"].sum()
    assert flagged[CARELESS] >= 90 and flagged.drop(CARELESS).sum() <= 5
