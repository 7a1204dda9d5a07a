"""Interviewer statistics against hand computation (toolkit.survey.interviewer)."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from toolkit.survey.interviewer import compare_to_rest, holm, icc_anova, table_tests


def test_icc_and_deff_by_hand() -> None:
    # three interviewers, sizes 2, 3, 3 (unbalanced), y below
    y = np.array([1, 3, 2, 4, 6, 7, 8, 9], float)
    g = np.array(["a", "a", "b", "b", "b", "c", "c", "c"])
    # means: a = 2, b = 4, c = 8; grand mean = 40 / 8 = 5
    ssb = 2 * (2 - 5) ** 2 + 3 * (4 - 5) ** 2 + 3 * (8 - 5) ** 2          # 18 + 3 + 27 = 48
    ssw = (1 + 1) + (4 + 0 + 4) + (1 + 0 + 1)                               # 2 + 8 + 2 = 12
    msb, msw = ssb / 2, ssw / 5                                             # 24, 2.4
    m0 = (8 - (4 + 9 + 9) / 8) / 2                                          # (8 − 2.75) / 2 = 2.625
    rho = (msb - msw) / (msb + (m0 - 1) * msw)                              # 21.6 / 27.9
    r = icc_anova(y, g)
    assert (r.interviewers, r.n) == (3, 8)
    assert r.msb == pytest.approx(24.0) and r.msw == pytest.approx(2.4)
    assert r.icc == pytest.approx(rho) and r.icc == pytest.approx(21.6 / 27.9)
    assert r.deff == pytest.approx(1 + (8 / 3 - 1) * rho)


def test_nested_icc_by_hand() -> None:
    # two strata; interviewers a, b in S1 and c, d in S2; strata differ a lot, interviewers within little
    y = np.array([1, 2, 2, 3, 11, 12, 12, 13], float)
    g = np.array(["a", "a", "b", "b", "c", "c", "d", "d"])
    s = np.array(["S1"] * 4 + ["S2"] * 4)
    # stratum means 2 and 12; interviewer means 1.5, 2.5, 11.5, 12.5
    ssb = 2 * 0.25 * 4                        # each interviewer 0.5 from its stratum mean: 2 · 0.25 · 4 = 2
    ssw = 4 * 0.5                             # each pair (x ± 0.5): 0.25 + 0.25 per interviewer = 2
    msb, msw = ssb / (4 - 2), ssw / (8 - 4)   # 1, 0.5
    m0 = (8 - (4 / 4 + 4 / 4 + 4 / 4 + 4 / 4)) / (4 - 2)   # (8 − 4) / 2 = 2
    rho = (msb - msw) / (msb + (m0 - 1) * msw)             # 0.5 / 1.5 = 1/3
    r = icc_anova(y, g, s)
    assert r.msb == pytest.approx(msb) and r.msw == pytest.approx(msw) and r.icc == pytest.approx(rho)
    # without the strata the county difference would pass for an interviewer effect
    assert icc_anova(y, g).icc > 0.9


def test_icc_is_zero_when_interviewers_do_not_differ_and_ignores_blanks() -> None:
    y = pd.Series([1, 0, 1, 0, np.nan, 1, 0, 1, 0])
    g = ["a", "a", "b", "b", "b", "c", "c", "d", "d"]
    r = icc_anova(y, g)
    assert r.n == 8 and r.icc == 0.0 and r.deff == 1.0   # negative estimate truncated at 0


def test_holm_by_hand() -> None:
    p = np.array([0.01, 0.04, np.nan, 0.03, 0.005])
    # sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → monotone 0.06
    assert np.allclose(holm(p), [0.03, 0.06, np.nan, 0.06, 0.02], equal_nan=True)


def test_tests_match_scipy() -> None:
    # big table: z² equals Pearson's χ² without continuity correction
    n, h, rn, rh = 80, 30, 400, 100
    p, test = table_tests(np.array([n]), np.array([h]), np.array([rn]), np.array([rh]), "two-sided")
    chi2 = stats.chi2_contingency([[h, n - h], [rh, rn - rh]], correction=False)
    assert test[0] == "chi2" and p[0] == pytest.approx(chi2.pvalue)
    # small table: Fisher's exact test
    p, test = table_tests(np.array([6]), np.array([5]), np.array([40]), np.array([4]), "greater")
    assert test[0] == "fisher"
    assert p[0] == pytest.approx(stats.fisher_exact([[5, 1], [4, 36]], alternative="greater")[1])
    # nobody has it: no test
    p, test = table_tests(np.array([6]), np.array([0]), np.array([40]), np.array([0]))
    assert test[0] == "none" and np.isnan(p[0])


def test_compare_to_rest_counts() -> None:
    f = pd.DataFrame({"e": ["a"] * 4 + ["b"] * 6, "x": [1, 1, 1, np.nan, 0, 0, 1, 0, 0, 0]})
    out = compare_to_rest(f, "e", ["x"]).set_index("group")
    assert out.loc["a", "n"] == 3 and out.loc["a", "hits"] == 3 and out.loc["a", "rest_hits"] == 1
    assert out.loc["b", "rate"] == pytest.approx(1 / 6) and out.loc["b", "rest_rate"] == 1.0
