"""Interviewer effects on the findings and the ICC beside each indicator
(toolkit.verify.interviewers), on small frames checked by hand."""
import numpy as np
import pandas as pd
import pytest

from toolkit.survey.interviewer import icc_anova
from toolkit.verify.interviewers import effects, icc_table


def _households(seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    enum = np.repeat([f"E{i}" for i in range(8)], 40)
    wi = (rng.random(len(enum)) < 0.1).astype(float)
    wi[enum == "E3"] = 0.0                                  # E3 never finds a wrong inclusion
    wi[(enum == "E5")] = (rng.random(40) < 0.6).astype(float)   # E5 finds far too many
    appr = (rng.random(len(enum)) < 0.9).astype(float)
    county = np.where(np.isin(enum, ["E0", "E1", "E2", "E3"]), "甲县", "乙县")
    return pd.DataFrame({"KEY": [f"k{i}" for i in range(len(enum))], "enumerator": enum, "county": county,
                         "wrong_inclusion": wi, "approval": appr, "wrong_exit": np.nan})


def test_effects_flag_the_odd_interviewer_both_ways() -> None:
    h = _households()
    subs = pd.DataFrame({"KEY": h["KEY"], "verdict_eligible": np.where(h["enumerator"] == "E3", "meets",
                                                                       np.where(np.arange(len(h)) % 3, "meets",
                                                                                "income_above"))})
    e = effects(h, subs)
    flagged = set(zip(e.loc[e["flagged"], "enumerator"], e.loc[e["flagged"], "indicator"]))
    assert ("E5", "wrong_inclusion") in flagged       # too many findings
    assert ("E3", "verdict_meets") in flagged         # says "meets" every time
    assert not any(i == "approval" for _, i in flagged)
    assert "wrong_exit" not in set(e["indicator"])    # nothing in its denominator
    row = e[(e["enumerator"] == "E5") & (e["indicator"] == "wrong_inclusion")].iloc[0]
    rest = h[h["enumerator"] != "E5"]["wrong_inclusion"]
    assert row["rest_rate"] == pytest.approx(rest.mean())
    assert (e["p_holm"] >= e["p"]).all()


def test_icc_beside_the_scorecard_interval() -> None:
    h = _households()
    sc = pd.DataFrame({"indicator": ["wrong_inclusion", "approval"], "county": "全市", "estimate": [0.12, 0.9],
                       "ci_low": [0.09, 0.87], "ci_high": [0.15, 0.93]})
    icc = icc_table(h, sc).set_index("indicator")
    assert icc.loc["wrong_inclusion", "ci_low"] == 0.09
    ref = icc_anova(h["wrong_inclusion"], h["enumerator"], h["county"])
    assert icc.loc["wrong_inclusion", "icc"] == pytest.approx(round(ref.icc, 4))
    assert icc.loc["wrong_inclusion", "deff"] == pytest.approx(round(1 + (40 - 1) * ref.icc, 3), abs=1e-3)
    assert icc.loc["wrong_inclusion", "icc"] > 0.05 and icc.loc["wrong_inclusion", "m_bar"] == 40
