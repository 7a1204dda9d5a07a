"""The planted fabricator is singled out across 100 synthetic field teams, and
honest interviewers are flagged no more often than the test's nominal rate.

One small synthetic city is simulated once (honest field work); each case
then deals its completed interviews to the interviewers afresh (seeded) and
plants a fabricator (toolkit.synthetic_fabrication) before the signals run
(toolkit.ingest.fabrication). Without a fabricator, the same cases measure
how often any honest interviewer is flagged (Holm keeps it at or below α)."""
import numpy as np
import pandas as pd
import pytest

from toolkit.ingest.fabrication import ALPHA, interviewer_signals
from toolkit.sampling import Design, draw
from toolkit.synthetic import make_city
from toolkit.synthetic_fabrication import plant_fabricator
from toolkit.synthetic_visits import simulate_visits

CASES = 100


@pytest.fixture(scope="module")
def honest() -> pd.DataFrame:
    c = make_city(1000, 18)
    s = draw(c.roster, Design(seed="18", strata=("county",), method="srswor", n=360, allocation="proportional"))
    v = simulate_visits(c, s.units, s.reserves, seed=18)
    assert v.interviewers is None   # no fabricator unless asked for
    keep = [c for c in v.submissions.columns if c in ("KEY", "interviewer_1", "consent", "start", "end", "members_n")
            or c.startswith(("sat_", "inc_", "exp_", "verdict_"))]
    return v.submissions[keep]      # what the signals and the plant touch: each case stays cheap


def _deal(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 99])
    f = frame.copy()
    f["interviewer_1"] = rng.permutation(f["interviewer_1"].to_numpy())
    return f


def test_planted_fabricator_is_found_and_honest_ones_are_not(honest: pd.DataFrame) -> None:
    found = honest_flagged_cases = 0
    honest_flags = honest_total = 0
    for seed in range(CASES):
        f, truth = plant_fabricator(_deal(honest, seed), seed)
        fab = truth.loc[truth["role"] == "fabricator", "enumerator"].iloc[0]
        sig = interviewer_signals(f.rename(columns={"interviewer_1": "enumerator"}))
        flagged = set(sig.flagged())
        found += fab in flagged
        others = flagged - {fab}
        honest_flagged_cases += bool(others)
        honest_flags += len(others)
        honest_total += len(truth) - 1
    assert found >= 95, found
    assert honest_flags / honest_total <= ALPHA
    assert honest_flagged_cases <= 9, honest_flagged_cases   # family-wise ≤ α (binomial slack, 100 cases)


def test_honest_teams_alone_stay_within_the_nominal_rate(honest: pd.DataFrame) -> None:
    cases = 0
    for seed in range(1000, 1050):   # 50 teams with nobody fabricating
        sig = interviewer_signals(_deal(honest, seed).rename(columns={"interviewer_1": "enumerator"}))
        cases += bool(sig.flagged())
    assert cases <= 6, cases   # family-wise ≤ α = 0.05 (binomial slack, 50 teams)


def test_plant_is_seeded_and_truth_names_one(honest: pd.DataFrame) -> None:
    a, ta = plant_fabricator(honest, 5)
    b, tb = plant_fabricator(honest, 5)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(ta, tb)
    assert (ta["role"] == "fabricator").sum() == 1
    fab = ta.loc[ta["role"] == "fabricator", "enumerator"].iloc[0]
    rows = a[(a["interviewer_1"] == fab) & (a["consent"] == "yes")]
    assert len(rows) and (rows["verdict_eligible"] == "meets").all()
    assert (pd.to_numeric(rows["inc_wage"]).fillna(0) % 100 == 0).all()
