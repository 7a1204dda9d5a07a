"""Fixtures of the sampling tests."""
from __future__ import annotations

import pandas as pd
import pytest

from sampling_data import make_roster


@pytest.fixture
def roster() -> pd.DataFrame:
    return make_roster()
