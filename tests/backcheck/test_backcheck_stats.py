"""Rates, SRV and reliability by hand, the vectorised Mann–Whitney and Holm
against scipy, paired tests, the household threshold list."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from toolkit.backcheck import stats
from toolkit.backcheck.settings import BackcheckSettings
from toolkit.errors import UserError


def _table(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "team", "enumerator", "backchecker", "item", "type", "kind",
                                       "original", "backcheck", "result", "reason"])


def test_srv_and_reliability_ratio_match_hand_computation() -> None:
    # four households, one numeric item: x1 = 2, 3, 4, 5; x2 = 2, 4, 4, 7
    x1, x2 = [2, 3, 4, 5], [2, 4, 4, 7]
    rows = [(f"h{i}", "T", "E1", "B1", "hh_size", 1, "number", a, b, "same" if a == b else "different", "")
            for i, (a, b) in enumerate(zip(x1, x2))]
    rel = stats.reliability(_table(rows)).iloc[0]
    # SRV = Σ(x1−x2)²/(2n) = (0 + 1 + 0 + 4) / 8 = 0.625
    assert rel["srv"] == pytest.approx(0.625)
    # s1² = var(2,3,4,5) = 5/3; s2² = var(2,4,4,7) = 12.75/3 = 4.25; total = (5/3 + 4.25)/2 = 2.958333
    assert rel["total_variance"] == pytest.approx((5 / 3 + 4.25) / 2)
    # reliability ratio = 1 − 0.625 / 2.958333 = 0.788732
    assert rel["reliability"] == pytest.approx(0.788732, abs=1e-6)
    assert rel["inconsistency"] == pytest.approx(0.211268, abs=1e-6)
    assert rel["n"] == 4 and rel["mean_original"] == pytest.approx(3.5) and rel["mean_backcheck"] == pytest.approx(4.25)


def test_rates_split_by_type_and_skip_pairs_not_compared() -> None:
    rows = [("h1", "T", "E1", "B1", "a", 1, "choice", "yes", "no", "different", "differs"),
            ("h1", "T", "E1", "B1", "b", 1, "choice", "yes", "yes", "same", "equal"),
            ("h1", "T", "E1", "B1", "c", 2, "choice", "yes", None, "not_compared", "missing_visit"),
            ("h2", "T", "E2", "B2", "c", 2, "choice", "no", "no", "same", "equal"),
            ("h2", "T", "E2", "B2", "d", 3, "choice", "4", "2", "different", "differs")]
    r = stats.rates(_table(rows), ["enumerator"]).set_index("enumerator")
    assert r.loc["E1", "compared"] == 2 and r.loc["E1", "different"] == 1 and r.loc["E1", "error_rate"] == 0.5
    assert r.loc["E1", "error_rate_1"] == 0.5 and np.isnan(r.loc["E1", "error_rate_2"])
    assert r.loc["E2", "error_rate_3"] == 1.0 and r.loc["E2", "error_rate_2"] == 0.0
    whole = stats.rates(_table(rows), []).iloc[0]
    assert whole["compared"] == 4 and whole["different"] == 2
    over = stats.households_above(_table(rows), BackcheckSettings())
    assert set(over["id"]) == {"h1", "h2"} and over.set_index("id").loc["h2", "over"] == "3"


def test_mann_whitney_and_holm_agree_with_scipy() -> None:
    rng = np.random.default_rng(3)
    v = np.round(rng.random(60), 1)          # ties on purpose
    g = np.repeat(["a", "b", "c", "d"], 15)
    mw = stats.mann_whitney_greater(v, g)
    for k in "abcd":
        ref = sps.mannwhitneyu(v[g == k], v[g != k], alternative="greater", method="asymptotic")
        assert mw.loc[(0, k), "p"] == pytest.approx(ref.pvalue, rel=1e-9)
    p = np.array([0.01, 0.04, 0.03, np.nan, 0.5])
    # Holm: sorted 0.01, 0.03, 0.04, 0.5 × 4, 3, 2, 1 → 0.04, 0.09, 0.09 (running max), 0.5
    np.testing.assert_allclose(stats.holm(p), [0.04, 0.09, 0.09, np.nan, 0.5])
    two = stats.holm(np.array([0.01, 0.04, 0.01, 0.04]), np.array(["x", "x", "y", "y"]))
    np.testing.assert_allclose(two, [0.02, 0.04, 0.02, 0.04])


def test_paired_tests_are_scipys() -> None:
    x1 = [3, 4, 5, 2, 4, 3, 5, 4]
    x2 = [4, 4, 5, 3, 5, 4, 5, 5]
    rows = [(f"h{i}", "T", "E1", "B1", "sat_overall", 3, "choice", str(a), str(b),
             "same" if a == b else "different", "") for i, (a, b) in enumerate(zip(x1, x2))]
    yn = [("yes", "no"), ("yes", "no"), ("no", "no"), ("yes", "yes"), ("no", "yes"), ("yes", "no")]
    rows += [(f"h{i}", "T", "E1", "B1", "car", 1, "choice", a, b, "same" if a == b else "different", "")
             for i, (a, b) in enumerate(yn)]
    te = stats.paired_tests(_table(rows)).set_index(["item", "test"])
    d = np.array(x2) - np.array(x1)
    assert te.loc[("sat_overall", "t"), "p_value"] == pytest.approx(sps.ttest_rel(x2, x1).pvalue)
    assert te.loc[("sat_overall", "wilcoxon"), "p_value"] == pytest.approx(sps.wilcoxon(d[d != 0]).pvalue)
    # McNemar: yes→no 3 times, no→yes once: exact binomial on 4 discordant pairs
    assert te.loc[("car", "mcnemar"), "p_value"] == pytest.approx(sps.binomtest(1, 4, 0.5).pvalue)


def test_settings_from_evaluation_toml_are_checked() -> None:
    s = BackcheckSettings.from_mapping({"threshold_type1": 0.2, "min_per_enumerator": 3})
    assert s.threshold(1) == 0.2 and s.min_per_enumerator == 3 and s.threshold(2) == 0.20
    with pytest.raises(UserError):
        BackcheckSettings.from_mapping({"threshold": 0.1})
    with pytest.raises(UserError):
        BackcheckSettings.from_mapping({"share": 1.5})
