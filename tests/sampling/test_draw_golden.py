"""The draw's results pinned byte for byte: manifest text and unit, reserve
and PSU tables of two-stage (PSUs by ticket and by label) and stratified
draws, with and without a comparison frame, on object and Arrow text. The
digests were computed with the code before the national-scale changes
(commit 6a64554); a faster path that changes a ticket, a PSU, a weight or a
digest fails here."""
from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from sampling_data import make_roster
from toolkit.sampling import manifest as mf
from toolkit.sampling.select import Design, draw

DESIGNS = {
    "ticket": Design(seed="2026", strata=("county",), method="two_stage", reserves=3, psu="township",
                     psus_per_stratum=2, per_psu=6, psu_order="ticket"),
    "label": Design(seed="2026", strata=("county",), method="two_stage", reserves=3, psu="township",
                    psus_per_stratum=3, per_psu=4, psu_order="label"),
    "srswor": Design(seed="s", strata=("county", "status"), method="srswor", reserves=2, per_stratum=5),
}
# (design, with comparison) -> (manifest digest, tables digest): first 16 hex of SHA-256
PINNED = {
    ("ticket", False): ("608c55290a33de8f", "f65b8e592fadea22"),
    ("ticket", True): ("e52983dd9a16c787", "5d6bf56d1e17cbaa"),
    ("label", False): ("e8538cab54393ca4", "ddf2f0e0f718b6d5"),
    ("label", True): ("bbc25b8584b2e714", "9b4a514b0ad9e570"),
    ("srswor", False): ("3ac6eb7c4f669c68", "408405edcccfcdbe"),
    ("srswor", True): ("1792d6cd77be53df", "786129a13f335531"),
}


def _frames(arrow: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    r = make_roster(1500, seed=7, townships=7)
    r.loc[5, "name"] = ' "引号" \\ \t'
    r.loc[9, "address"] = "e\u0301\u3000"
    r.loc[11, "township"] = " " + r.loc[11, "township"]
    c = make_roster(400, seed=8, townships=7)[["archive_id", "county", "township", "name"]]
    c["archive_id"] = "C" + c["archive_id"]
    if arrow:
        for f in (r, c):
            for col in f.columns:
                if f[col].dtype == object:
                    f[col] = f[col].astype("string[pyarrow]")
    return r, c


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@pytest.mark.parametrize("arrow", [False, True])
def test_draws_are_byte_identical_to_the_pinned_results(arrow):
    r, c = _frames(arrow)
    got = {}
    for name, d in DESIGNS.items():
        for comp in (None, c):
            s = draw(r, d, comparison=comp)
            m = mf.dumps(mf.build(s, r, comparison=comp, created="X"))
            t = s.units.to_csv() + s.reserves.to_csv() + (s.psus.to_csv() if s.psus is not None else "")
            got[(name, comp is not None)] = (_digest(m), _digest(t))
    assert got == PINNED
