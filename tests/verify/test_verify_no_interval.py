"""An estimate without an interval is never pass or fail (issue 13)."""
import numpy as np
import pandas as pd

from toolkit.config import Thresholds
from toolkit.verify import scorecard as sc
from toolkit.verify.indicators import ALL


def _card(se: float, df: float, lo: float, hi: float) -> pd.DataFrame:
    est = pd.DataFrame([("wrong_exit", ALL, 0.04, se, lo, hi, 100, df, "design:wilson"),
                        ("wrong_exit", "甲", 0.005, 0.002, 0.001, 0.015, 100, 3.0, "design:wilson")],
                       columns=["indicator", "county", "estimate", "se", "ci_low", "ci_high", "n", "df",
                                "method"])
    return sc.build(est, Thresholds(), ["甲"])


def test_nan_interval_is_no_interval_with_a_reason() -> None:
    card = _card(np.nan, 3.0, np.nan, np.nan)
    row = card[(card.indicator == "wrong_exit") & (card.county == ALL)].iloc[0]
    assert row.verdict == "no_interval" and row.reason == "survey.no_interval.variance"
    other = card[(card.indicator == "wrong_exit") & (card.county == "甲")].iloc[0]
    assert other.verdict == "pass" and other.reason == ""
    zh = sc.presentable(card[card.indicator == "wrong_exit"], "zh")
    text = zh["结论"].tolist()
    assert text[0].startswith("无法判断（无区间）：方差无法估计") and text[1] == "达标"
    en = sc.presentable(card[card.indicator == "wrong_exit"], "en")
    assert en["Verdict"].iloc[0].startswith("no interval: The variance cannot be estimated")
    assert "无法判断（无区间）" in sc.render(card[card.indicator == "wrong_exit"], "zh")


def test_no_degrees_of_freedom_reason() -> None:
    card = _card(0.01, 0.0, np.nan, np.nan)
    row = card[(card.indicator == "wrong_exit") & (card.county == ALL)].iloc[0]
    assert row.verdict == "no_interval" and row.reason == "survey.no_interval.df"


def test_verdict_function_never_passes_a_nan_interval() -> None:
    v = sc.verdict([0.04, 0.95], [np.nan, np.nan], [np.nan, np.nan], [0.05, 0.9], ["max", "min"])
    assert list(v) == ["no_interval", "no_interval"]


def test_issue_county_through_the_scorecard() -> None:
    # the issue's county (p̂ = 4 %, equal weights up to rounding) used to print
    # [4.0 %, 4.0 %] and pass against a 5 % maximum
    from toolkit.survey import Design
    M = np.array([150.0, 210.0, 95.0, 180.0])
    y = np.zeros(100)
    y[[0, 25, 50, 75]] = 1
    d = Design(pd.DataFrame({"town": np.repeat(list("ABCD"), 25),
                             "w": np.repeat(M / (4 * M / 2777 * 25), 25), "y": y}), psu="town", weights="w")
    r = d.proportion("y", ci="wilson").iloc[0]
    v = sc.verdict([r.estimate], [r.ci_low], [r.ci_high], [0.05], ["max"])
    assert v[0] == "inconclusive"


def test_county_with_one_township_reaches_the_scorecard_as_no_interval() -> None:
    # county 甲 has a single sampled township: 0 degrees of freedom, no interval
    from toolkit.verify.indicators import INDICATORS, design_weights, estimate
    towns = [("甲", "T1"), ("乙", "T2"), ("乙", "T3"), ("乙", "T4")]
    hh = pd.DataFrame([{"archive_id": f"{t}-{i}", "county": c, "wrong_exit": float(i == 0)}
                       for c, t in towns for i in range(25)])
    units = pd.DataFrame({"archive_id": hh.archive_id, "stratum": hh.county,
                          "psu": hh.archive_id.str.split("-").str[0]})
    psus = pd.DataFrame({"stratum": [c for c, _ in towns], "psu": [t for _, t in towns],
                         "households": [200, 150, 180, 220], "pi1": [0.2, 0.3, 0.3, 0.3]})
    frame = design_weights(hh, units, psus=psus)
    ind = tuple(i for i in INDICATORS if i.name == "wrong_exit")
    card = sc.build(estimate(frame, ind), Thresholds(), ["甲", "乙"], ind)
    row = card[card.county == "甲"].iloc[0]
    assert row.estimate == 0.04 and np.isnan(row.ci_low)
    assert row.verdict == "no_interval" and row.reason == "survey.no_interval.df"
    assert card[card.county == "乙"].iloc[0].verdict in ("inconclusive", "fail", "pass")
    assert "自由度为 0" in sc.presentable(card, "zh")["结论"].iloc[1]
