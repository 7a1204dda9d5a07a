"""Scorecard verdicts, layout, translations and de-identification."""
import numpy as np
import pandas as pd

from toolkit.config import Thresholds
from toolkit.verify import scorecard as sc
from toolkit.verify.indicators import ALL, INDICATORS


def test_verdict_max_direction():
    v = sc.verdict([0.01, 0.03, 0.02, 0.05], [0.0, 0.025, 0.01, 0.02], [0.019, 0.05, 0.03, 0.02],
                   [0.02] * 4, ["max"] * 4)
    assert list(v) == ["pass", "fail", "inconclusive", "fail"]


def test_verdict_min_direction():
    v = sc.verdict([0.95, 0.85, 0.91, 0.9], [0.91, 0.80, 0.88, 0.9], [0.99, 0.89, 0.95, 0.9],
                   [0.90] * 4, ["min"] * 4)
    assert list(v) == ["pass", "fail", "inconclusive", "pass"]


def test_verdict_info_and_no_data():
    v = sc.verdict([0.5, np.nan], [0.4, np.nan], [0.6, np.nan], [np.nan, 0.9], ["min", "min"])
    assert list(v) == ["info", "no_data"]


def _estimates():
    rows = []
    for ind in INDICATORS:
        for county in (ALL, "甲"):
            rows.append((ind.name, county, 0.5, 0.1, 0.4, 0.6, 50, 10.0, "design"))
    return pd.DataFrame(rows, columns=["indicator", "county", "estimate", "se", "ci_low", "ci_high", "n", "df",
                                       "method"])


def test_build_has_every_indicator_and_county_in_order():
    est = _estimates()
    est = est[~((est.indicator == "missed") & (est.county == "甲"))]
    card = sc.build(est, Thresholds(), ["甲", "乙"])
    assert list(card["indicator"].unique()) == [i.name for i in INDICATORS]
    assert len(card) == len(INDICATORS) * 3
    row = card[(card.indicator == "missed") & (card.county == "甲")].iloc[0]
    assert row["verdict"] == "no_data" and row["n"] == 0
    we = card[(card.indicator == "wrong_exit") & (card.county == ALL)].iloc[0]
    assert we["threshold"] == 0.02 and we["direction"] == "max" and we["verdict"] == "fail"
    ap = card[(card.indicator == "approval") & (card.county == ALL)].iloc[0]
    assert ap["threshold"] == 0.90 and ap["verdict"] == "fail"


def test_written_scorecard_is_translated_and_deidentified(tmp_path):
    card = sc.build(_estimates(), Thresholds(), ["甲"])
    csv, xlsx = sc.write(card, tmp_path, "zh")
    zh = pd.read_csv(csv)
    assert "指标" in zh.columns and "错退率" in set(zh["指标"]) and "综合精准率" in set(zh["指标"])
    assert "全市" in set(zh["区县"])
    assert pd.read_excel(xlsx).shape == zh.shape
    en_dir = tmp_path / "en"
    csv_en, _ = sc.write(card, en_dir, "en")
    en = pd.read_csv(csv_en)
    assert "Indicator" in en.columns and "Wrong-exit rate" in set(en["Indicator"])
    text = zh.to_csv() + en.to_csv()
    for banned in ("archive_id", "name", "id_number", "phone", "address", "HF3"):
        assert banned not in text


def test_render_with_planted_truth():
    card = sc.build(_estimates(), Thresholds(), ["甲"])
    planted = pd.DataFrame({"county": ["甲"], "indicator": ["wrong_exit"], "rate": [0.031]})
    out = sc.render(card, "en", planted)
    assert "Wrong-exit rate" in out and "3.1%" in out and "planted" in out
