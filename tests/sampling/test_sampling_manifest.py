"""Manifest and verify: re-derivation catches every kind of tampering."""
import json

import numpy as np
import pandas as pd
import pytest

import toolkit
from toolkit.sampling import manifest as mf
from toolkit.sampling.select import Design, draw

DESIGN = Design(seed="2024-05-01 福彩3D 417", seed_source="福彩3D 2024-05-01 开奖号码", strata=("county",),
                method="two_stage", psus_per_stratum=2, per_psu=5, reserves=2)


@pytest.fixture
def manifest(roster):
    return json.loads(mf.dumps(mf.build(draw(roster, DESIGN), roster)))


def test_manifest_contents(manifest, roster):
    assert manifest["software"]["version"] == toolkit.__version__
    assert manifest["seed"] == {"value": DESIGN.seed, "source": DESIGN.seed_source}
    assert manifest["design"]["method"] == "two_stage" and "seed" not in manifest["design"]
    assert len(manifest["roster"]["sha256"]) == 64 and manifest["roster"]["rows"] == len(roster)
    assert manifest["counts"]["selected"] == len(manifest["selected"]) == 30
    u = manifest["selected"][0]
    assert u["weight"] == 1 / u["pi"] and u["pi"] == u["pi1"] * u["pi2"]
    assert mf.design_of(manifest) == DESIGN


def test_verify_identical_after_shuffle(manifest, roster):
    assert mf.verify(manifest, roster.sample(frac=1, random_state=5)).ok


def test_fingerprint_independent_of_format_and_order(roster):
    a = mf.fingerprint(roster)
    r = roster.sample(frac=1, random_state=2).copy()
    r["household_size"] = r["household_size"].astype(float)      # 3 vs 3.0 (Excel)
    r["phone"] = r["phone"].astype("string")
    r.index = pd.RangeIndex(100, 100 + len(r), name="row")          # other row numbers
    assert mf.fingerprint(r) == a


def test_verify_catches_changed_row(manifest, roster):
    r = roster.copy()
    r.loc[r.index[17], "address"] = "另一个地址"
    v = mf.verify(manifest, r)
    assert not v.ok
    assert [(d.what, d.key) for d in v.differences] == [("roster_column", "address")]


def test_verify_catches_swapped_household(manifest, roster):
    r = roster.copy()
    chosen = manifest["selected"][0]["archive_id"]
    r.loc[r.archive_id == chosen, "archive_id"] = "9999999999"     # one household swapped for another
    v = mf.verify(manifest, r)
    whats = {d.what for d in v.differences}
    assert "roster_column" in whats and "selected_missing" in whats
    assert any(d.key == chosen for d in v.differences)


def test_verify_catches_changed_seed(manifest, roster):
    manifest["seed"]["value"] = "2024-05-01 福彩3D 418"
    v = mf.verify(manifest, roster)
    assert not v.ok and {"selected_missing", "selected_extra"} & {d.what for d in v.differences}


def test_verify_catches_edited_weight(manifest, roster):
    manifest["selected"][3]["weight"] *= 1.01
    v = mf.verify(manifest, roster)
    assert [(d.what, d.key.split(".")[-1]) for d in v.differences] == [("selected_value", "weight")]
    assert "weight" in v.differences[0].message("en")


def test_verify_catches_edited_reserve_order_and_algorithm(manifest, roster):
    manifest["reserves"][0]["reserve_rank"], manifest["reserves"][1]["reserve_rank"] = \
        manifest["reserves"][1]["reserve_rank"], manifest["reserves"][0]["reserve_rank"]
    manifest["algorithm"] = "fieldeval-sampling/0"
    whats = [d.what for d in mf.verify(manifest, roster).differences]
    assert whats.count("reserve_value") == 2 and "algorithm" in whats


def test_verify_reports_draw_failure(manifest, roster):
    v = mf.verify(manifest, roster[roster.county != "长丰县"])
    assert any(d.what == "draw" for d in v.differences) or not v.ok


def test_fingerprint_dates_and_missing():
    a = pd.DataFrame({"archive_id": ["1", "2"], "registered_on": pd.to_datetime(["2020-01-02", None]),
                      "household_income": [1000.5, np.nan]})
    b = pd.DataFrame({"archive_id": ["2", "1"], "registered_on": [None, "2020-01-02"],
                      "household_income": [None, 1000.5]})
    assert mf.fingerprint(a) == mf.fingerprint(b)
