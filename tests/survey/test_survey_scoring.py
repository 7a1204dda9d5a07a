"""Satisfaction scales: cleaning, scores, top-two-box, Cronbach's alpha
(textbook LSAT example and psych::alpha) and design-based estimates (R survey)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.scoring import Scale, cronbach_alpha
from toolkit.survey import Design, SurveyError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "survey"
SCALE = Scale("help", items=("q1", "q2", "q3", "q4", "q5r"), reverse=("q5r",), min_answered=3)


@pytest.fixture(scope="module")
def oracle() -> dict:
    return json.loads((FIXTURES / "r_scoring.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "r_scoring.csv")


def lsat() -> np.ndarray:
    """LSAT Section VI, 5 items × 1000 examinees, as response-pattern counts
    (patterns 00000 … 11111 in binary order): Bock & Lieberman (1970),
    Psychometrika 35:179–197, Table 1; reprinted in Bartholomew, Steele,
    Moustaki & Galbraith, *Analysis of Multivariate Social Science Data*
    (2nd ed., 2008), ch. 8."""
    freq = [3, 6, 2, 11, 1, 1, 3, 4, 1, 8, 0, 16, 0, 3, 2, 15,
            10, 29, 14, 81, 3, 28, 15, 80, 16, 56, 21, 173, 11, 61, 28, 298]
    pats = [[int(c) for c in format(i, "05b")] for i in range(32)]
    return np.repeat(np.array(pats, float), freq, axis=0)


def test_cronbach_alpha_textbook_lsat() -> None:
    x = lsat()
    assert x.shape == (1000, 5)
    # the published item difficulties (proportions correct)
    assert x.mean(axis=0).tolist() == pytest.approx([0.924, 0.709, 0.553, 0.763, 0.870])
    # alpha (= KR-20 for binary items) = 0.295, as printed for these data by
    # ltm::cronbach.alpha(LSAT) (Rizopoulos 2006, J Stat Softw 17(5))
    assert round(cronbach_alpha(x), 3) == 0.295
    rel = Scale("lsat", items=tuple(f"i{j}" for j in range(5)), low=0, high=1, top=1,
                missing_codes=()).reliability(pd.DataFrame(x, columns=[f"i{j}" for j in range(5)]))
    assert rel.alpha == pytest.approx(0.2949971922, abs=1e-9) and rel.n == 1000


def test_reliability_matches_psych(answers: pd.DataFrame, oracle: dict) -> None:
    want = oracle["reliability"]
    rel = SCALE.reliability(answers)
    assert rel.n == want["n"] and rel.k == 5
    assert rel.alpha == pytest.approx(want["alpha"], rel=1e-9)
    assert rel.standardized_alpha == pytest.approx(want["std_alpha"], rel=1e-9)
    items = rel.items.set_index("item")
    for w in want["items"]:
        assert items.loc[w["item"], "item_total_r"] == pytest.approx(w["r_drop"], rel=1e-9)
        assert items.loc[w["item"], "alpha_if_deleted"] == pytest.approx(w["alpha_if_deleted"], rel=1e-9)
        assert items.loc[w["item"], "mean"] == pytest.approx(w["mean"], rel=1e-12)
        assert items.loc[w["item"], "sd"] == pytest.approx(w["sd"], rel=1e-12)


def test_estimates_match_r_survey(answers: pd.DataFrame, oracle: dict) -> None:
    design = Design(answers, strata="county", psu="township", weights="w")
    got = SCALE.estimate(design, by="county")
    for measure, key in [("score", "score_by_county"), ("top_box", "top_box_by_county"),
                         ("top_box:q1", "top_box_q1_by_county")]:
        part = got[got.measure == measure].set_index("county")
        for w in oracle[key]:
            row = part.loc[w["county"]]
            assert row.estimate == pytest.approx(w["estimate"], rel=1e-9)
            assert row.se == pytest.approx(w["se"], rel=1e-7)
            if "lower" in w:
                assert row.ci_low == pytest.approx(w["lower"], rel=1e-6)
                assert row.ci_high == pytest.approx(w["upper"], rel=1e-6)
    assert set(got.measure) == {"score", "score_100", "top_box"} | {f"top_box:{i}" for i in SCALE.items}
    s100 = got[got.measure == "score_100"].set_index("county").estimate
    s15 = got[got.measure == "score"].set_index("county").estimate
    assert s100.to_numpy() == pytest.approx(((s15 - 1) / 4 * 100).to_numpy())


def test_cleaning_and_audit(answers: pd.DataFrame) -> None:
    audit = SCALE.audit(answers).set_index("item")
    assert (audit[["valid", "dont_know_refused", "blank", "invalid"]].sum(axis=1) == len(answers)).all()
    assert audit.loc["q2", "blank"] == 3 and audit.loc["q1", "dont_know_refused"] == 8
    clean = SCALE.clean(answers)
    raw = answers.q5r.where(answers.q5r <= 5)
    assert clean.q5r.equals(6 - raw)                        # reversed
    assert clean.max().max() <= 5 and clean.min().min() >= 1
    assert SCALE.item_scores(answers, "0-100").max().max() == 100


def test_scores_and_min_answered() -> None:
    s = Scale("s", items=("a", "b", "c", "d"), reverse=("d",))
    assert s.min_answered == 2
    df = pd.DataFrame({"a": [5, 9, 1], "b": [4, 8, 1], "c": [5, 3, 7], "d": [1, 9, 5]})
    sc = s.scores(df)
    assert sc.answered.tolist() == [4, 1, 3]               # 9, 8 and 7 are not answers
    assert sc.score.iloc[0] == pytest.approx(4.75) and math.isnan(sc.score.iloc[1])
    assert sc.score.iloc[2] == 1                            # d = 5 reversed to 1
    assert sc.top_answers.tolist() == [4, 0, 0]
    tb = s.top_box(df).set_index("item")
    assert tb.loc["(all)", "valid"] == 8 and tb.loc["(all)", "top"] == 4


@pytest.mark.parametrize("kwargs,key", [
    (dict(items=()), "survey.scale_items"),
    (dict(items=("a", "a")), "survey.scale_items"),
    (dict(items=("a",), reverse=("b",)), "survey.scale_reverse"),
    (dict(items=("a",), low=5, high=1), "survey.scale_range"),
    (dict(items=("a", "b"), min_answered=3), "survey.scale_min_answered"),
])
def test_scale_declaration_errors(kwargs: dict, key: str) -> None:
    with pytest.raises(SurveyError) as e:
        Scale("x", **kwargs)
    assert e.value.key == key


def test_scale_is_frozen() -> None:
    with pytest.raises(AttributeError):
        SCALE.low = 0  # type: ignore[misc]
    assert math.isnan(cronbach_alpha(np.ones((5, 3))))
