"""Reserves released strictly in order; disposition codes; AAPOR RR1."""
import pandas as pd
import pytest

from toolkit.errors import UserError
from toolkit.sampling.reserves import DISPOSITIONS, check_dispositions, next_reserve, response_rate
from toolkit.sampling.select import Design, draw


@pytest.fixture
def sample(roster):
    return draw(roster, Design(seed="r", strata=("county",), n=30, reserves=3))


def _stratum_reserves(sample, stratum):
    return sample.reserves[sample.reserves.stratum == stratum].sort_values("reserve_rank")["archive_id"].tolist()


def test_next_reserve_in_order(sample):
    lab = sample.units["stratum"].iloc[0]
    order = _stratum_reserves(sample, lab)
    assert next_reserve(sample, [], lab)["archive_id"] == order[0]
    assert next_reserve(sample, order[:1], lab)["archive_id"] == order[1]
    assert next_reserve(sample, order, lab) is None


def test_response_rate_rr1(sample):
    ids = sample.units["archive_id"].tolist()
    lab = sample.units.set_index("archive_id").at[ids[1], "stratum"]
    res = _stratum_reserves(sample, lab)
    d = pd.DataFrame([
        {"archive_id": ids[0], "code": "completed"},
        {"archive_id": ids[1], "code": "refused", "replaced_by": res[0]},
        {"archive_id": res[0], "code": "completed"},
        {"archive_id": ids[2], "code": "not_at_home", "visits": 3},
        {"archive_id": ids[3], "code": "deceased"},
        {"archive_id": ids[4], "code": "moved"},
    ])
    rr = response_rate(sample, d)
    assert rr.released == 31 and rr.completed == 2 and rr.not_eligible == 1
    assert (rr.refused, rr.non_contact, rr.other) == (1, 1, 1)
    assert rr.unknown == 31 - 6
    assert rr.rr1 == pytest.approx(2 / (2 + 1 + 1 + 1 + 25))
    assert "RR1" in rr.definition


def test_reserve_out_of_order_refused(sample):
    lab = sample.units["stratum"].iloc[0]
    res = _stratum_reserves(sample, lab)
    d = pd.DataFrame([{"archive_id": sample.units["archive_id"].iloc[0], "code": "refused",
                       "replaced_by": res[1]}])
    with pytest.raises(UserError) as e:
        check_dispositions(sample, d)
    assert e.value.key == "sampling.reserve_order" and e.value.fields["expected"] == 1


def test_bad_records(sample):
    sid = sample.units["archive_id"].iloc[0]
    for rec, key in [({"archive_id": "nobody", "code": "completed"}, "sampling.unknown_unit"),
                     ({"archive_id": sid, "code": "gone fishing"}, "sampling.bad_disposition"),
                     ({"archive_id": sid, "code": "not_at_home", "visits": 2}, "sampling.bad_disposition"),
                     ({"archive_id": sid, "code": "completed", "replaced_by": sample.reserves["archive_id"].iloc[0]},
                      "sampling.replaced_completed")]:
        with pytest.raises(UserError) as e:
            check_dispositions(sample, pd.DataFrame([rec]))
        assert e.value.key == key


def test_codes_cover_the_issue():
    assert set(DISPOSITIONS) == {"completed", "refused", "not_at_home", "moved", "deceased", "not_eligible",
                                 "replaced"}
