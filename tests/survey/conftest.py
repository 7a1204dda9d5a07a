"""Shared fixtures for the survey engine tests: the committed R oracle files."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "survey"


@pytest.fixture(scope="session")
def sample() -> pd.DataFrame:
    """shared/reference/survey-estimates/sample.csv, copied beside the tests."""
    return pd.read_csv(FIXTURES / "sample.csv")


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def r_data() -> pd.DataFrame:
    """Data written by r_cases.R (lonely PSUs, certainty strata, domains...)."""
    return pd.read_csv(FIXTURES / "r_cases.csv")
