"""Inclusion probabilities and PPS-systematic selection against R `sampling`.

The cases and R's answers are in tests/fixtures/sampling/r_oracle.json,
produced by r_oracle.R next to it (R is not needed to run these tests).
"""
import json
from pathlib import Path

import numpy as np
import pytest

from toolkit.sampling.pps import inclusion_probabilities, systematic, systematic_equal

ORACLE = json.loads((Path(__file__).parents[1] / "fixtures" / "sampling" / "r_oracle.json").read_text())


@pytest.mark.parametrize("case", ORACLE["inclusionprobabilities"], ids=lambda c: f"n{c['n']}-{len(c['a'])}")
def test_inclusionprobabilities_matches_r(case):
    pik = inclusion_probabilities(np.array(case["a"], dtype=float), case["n"])
    np.testing.assert_allclose(pik, case["pik"], rtol=1e-12, atol=1e-14)
    assert pik.max() <= 1 and pik.sum() == pytest.approx(case["n"])


@pytest.mark.parametrize("case", ORACLE["UPsystematic"], ids=lambda c: f"u{c['u']:.4f}")
def test_upsystematic_matches_r_given_start(case):
    sel = systematic(np.array(case["pik"]), case["u"])
    assert sel.astype(int).tolist() == case["selected"]
    assert sel.sum() == round(sum(case["pik"]))


def test_strata_srswor_prob_matches_r():
    """R's Prob column of strata(srswor) is n_h / N_h, which is what draw records as π."""
    r = ORACLE["strata_srswor"]
    for (label, big_n, n) in zip("ABC", r["N"], r["n"]):
        assert n / big_n == pytest.approx(r["prob"][label], rel=1e-12)


def test_systematic_equal_fractional_interval():
    pos = systematic_equal(10, 3, 0.5)          # k = 10/3: positions ⌈(j + .5)k⌉ − 1
    assert pos.tolist() == [1, 4, 8]
    for u in (1e-9, 0.3, 1.0):
        p = systematic_equal(7, 7, u)
        assert p.tolist() == list(range(7))
