"""The report section and the quality dashboard's pane read the stored
interviewer tables and say everything in words (no codes, True/False, NaN)."""
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from toolkit.config import init, load
from toolkit.ingest.fabrication import interviewer_signals
from toolkit.project.paths import ProjectPaths
from toolkit.report.interviewers import section
from toolkit.verify.interviewers import effects, icc_table
from toolkit.widgets.interviewers import pane

ENGLISH = re.compile(r"\b[a-z]{3,}\b")   # on a zh page a lower-case English word was never translated
CODES = re.compile(r"\b(True|False|NaN|nan|None|wrong_inclusion|straight_lined|heap_100|verdict_meets|chi2)\b")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("iv")
    init(root)
    paths = ProjectPaths.of(load(root))
    rng = np.random.default_rng(4)
    n = 240
    enum = np.repeat([f"T0{i}A" for i in range(6)], n // 6)
    start = pd.Timestamp("2026-06-01 09:00") + pd.to_timedelta(rng.integers(0, 86400 * 10, n), unit="s")
    mins = np.where(enum == "T03A", 8, 40)
    main = pd.DataFrame({"KEY": [f"uuid:{i}" for i in range(n)], "enumerator": enum, "consent": "yes",
                         "start": start, "end": start + pd.to_timedelta(mins, unit="m"),
                         "sat_overall": rng.integers(1, 6, n), "sat_fairness": rng.integers(1, 6, n),
                         "sat_cadres": rng.integers(1, 6, n),
                         "inc_wage": np.round(rng.lognormal(9, 1, n) / 10) * 10})
    sig = interviewer_signals(main)
    paths.ingest.mkdir(parents=True, exist_ok=True)
    paths.verify.mkdir(parents=True, exist_ok=True)
    sig.tests.to_parquet(paths.ingest / "interviewer_signals.parquet")
    sig.summary.to_parquet(paths.ingest / "interviewer_summary.parquet")
    h = pd.DataFrame({"KEY": main["KEY"], "enumerator": enum, "county": "甲县",
                      "wrong_inclusion": np.where(enum == "T03A", 0.0, (rng.random(n) < 0.3).astype(float))})
    sc = pd.DataFrame({"indicator": ["wrong_inclusion"], "county": "全市", "estimate": [0.25], "ci_low": [0.2],
                       "ci_high": [0.3]})
    effects(h).to_parquet(paths.verify / "interviewer_effects.parquet")
    icc_table(h, sc).to_parquet(paths.verify / "interviewer_icc.parquet")
    return root


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_section_in_words(project, lang: str) -> None:
    s = section(SimpleNamespace(evaluation=load(project)), lang)
    assert s is not None and "T03A" in " ".join(s.paragraphs)
    keys = [t.key for t in s.tables]
    assert keys == ["interviewer_icc", "interviewer_signals", "interviewer_effects"]
    for t in s.tables:
        text = t.frame.to_csv(index=False) + " ".join(map(str, t.frame.columns))
        assert not CODES.search(text), (t.key, CODES.search(text))
        assert lang == "en" or not ENGLISH.search(text), (t.key, ENGLISH.search(text))
    icc = s.tables[0].frame
    assert icc.iloc[0, 1] == "25.0%" and "20.0%" in icc.iloc[0, 2]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard_pane_in_words(project, lang: str) -> None:
    html = str(pane(project, lang))
    text = re.sub(r"<[^>]+>", " ", html)
    assert "T03A" in html and not CODES.search(text)
    assert lang == "en" or not ENGLISH.search(text), ENGLISH.search(text)
    assert "<script" not in html


def test_pane_without_stored_tables_says_so(tmp_path) -> None:
    init(tmp_path)
    html = str(pane(tmp_path, "en"))
    assert "Nothing to compute yet" in html
