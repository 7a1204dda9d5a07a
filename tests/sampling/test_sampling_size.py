"""Sample sizes against the worked examples of the issue."""
import math

import pytest

from toolkit.errors import UserError
from toolkit.sampling.size import proportion_size, zero_failure_size


def test_infinite_population_385():
    s = proportion_size(0.5, 0.05, 0.95)
    assert s.n == 385
    assert s.z == pytest.approx(1.959964, abs=1e-6)
    assert s.n0 == pytest.approx(384.146, abs=1e-3)
    assert s.n_fpc == s.n_deff == s.n0


def test_fpc_323():
    assert proportion_size(0.5, 0.05, 0.95, population=2000).n == 323


def test_deff_before_fpc_448():
    s = proportion_size(0.5, 0.05, 0.95, population=2000, deff=1.5)
    assert s.n == 448
    assert s.n_deff == pytest.approx(1.5 * s.n0)
    assert s.n_fpc == pytest.approx(s.n_deff / (1 + (s.n_deff - 1) / 2000))


def test_response_rate_inflates_draw():
    s = proportion_size(population=2000, response_rate=0.8)
    assert s.n == 323 and s.n_draw == math.ceil(323 / 0.8)
    assert proportion_size(population=300, response_rate=0.5).n_draw == 300   # never above N


def test_zero_failure_binomial_149():
    z = zero_failure_size(0.02, 0.95)
    assert z.n == 149 and z.method == "binomial"
    assert 0.98 ** 149 <= 0.05 < 0.98 ** 148


def test_zero_failure_hypergeometric_143():
    z = zero_failure_size(0.02, 0.95, population=2000)
    assert (z.n, z.defects, z.method) == (143, 40, "hypergeometric")
    assert z.miss_probability <= 0.05
    assert zero_failure_size(0.02, 0.95, population=2000, defects=40).n == 143


@pytest.mark.parametrize("kw", [dict(p=0), dict(p=1.2), dict(margin=0), dict(confidence=1), dict(deff=0),
                                dict(response_rate=0), dict(population=0)])
def test_bad_inputs(kw):
    with pytest.raises(UserError):
        proportion_size(**kw)
