"""Monte-Carlo: the intervals do what they say on repeated samples.

A synthetic population of 10 strata × 40 PSUs × 50 households with a 5 %
rate (varying between PSUs, so the design effect is real) is sampled
repeatedly with a stratified two-stage design (6 PSUs per stratum, 10
households per PSU, fpc at both stages). The 95 % Korn–Graubard interval must
cover the population rate in 93–97 % of the samples. In a small county
sample of a rare event (0.5 %), most samples see no event at all: the
Korn–Graubard interval must then be [0, u] with u > 0 (never degenerate),
and still cover the truth at least 93 % of the time.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.survey import Design

H, PSUS, HH = 10, 40, 50
N_PSU, N_HH = 6, 10


def population(rate: float, rng: np.random.Generator) -> np.ndarray:
    """Event indicator, shape (H, PSUS, HH), PSU rates from a Beta around ``rate``."""
    conc = 60.0
    psu_rate = rng.beta(rate * conc, (1 - rate) * conc, size=(H, PSUS))
    return (rng.random((H, PSUS, HH)) < psu_rate[..., None]).astype(np.int8)


def draw(pop: np.ndarray, rng: np.random.Generator, n_strata: int) -> pd.DataFrame:
    h = np.repeat(np.arange(n_strata), N_PSU * N_HH)
    psus = np.argsort(rng.random((n_strata, PSUS)), axis=1)[:, :N_PSU]
    hhs = np.argsort(rng.random((n_strata, N_PSU, HH)), axis=2)[:, :, :N_HH]
    y = pop[np.arange(n_strata)[:, None, None], psus[:, :, None], hhs]
    return pd.DataFrame({
        "stratum": h,
        "psu": np.repeat(psus.ravel(), N_HH),
        "hh": hhs.ravel(),
        "N1": PSUS, "N2": HH,
        "y": y.ravel(),
    })


def run(rate: float, n_strata: int, reps: int, seed: int):
    rng = np.random.default_rng(seed)
    pop = population(rate, rng)[:n_strata]
    truth = pop.mean()
    covered = zero_events = 0
    degenerate = 0
    for _ in range(reps):
        d = Design(draw(pop, rng, n_strata), strata="stratum", psu="psu", ssu="hh",
                   fpc=["N1", "N2"])
        r = d.proportion("y").iloc[0]
        covered += r.ci_low <= truth <= r.ci_high
        if r.estimate == 0:
            zero_events += 1
            degenerate += not (r.ci_low == 0 and r.ci_high > 0)
    return covered / reps, zero_events, degenerate, truth


def test_korn_graubard_covers_a_5_percent_rate() -> None:
    coverage, _, _, truth = run(0.05, H, reps=1000, seed=11)
    assert 0.04 < truth < 0.06
    assert 0.93 <= coverage <= 0.97, coverage


def test_korn_graubard_never_degenerate_at_zero_events() -> None:
    # one stratum-pair county: 2 strata × 6 PSUs × 10 households = 120 visits
    coverage, zero_events, degenerate, _ = run(0.005, 2, reps=400, seed=5)
    assert zero_events > 100          # the case that matters actually happens
    assert degenerate == 0
    assert coverage >= 0.93, coverage
