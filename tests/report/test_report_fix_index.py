"""The fix list's households per county and indicator, grouped once
(toolkit.report.fix_index), are the ones the per-row filter found: same
pseudonyms, sorted, once each."""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.report.fix_index import FlaggedIndex


def test_grouped_households_equal_the_row_filter():
    rng = np.random.default_rng(11)
    n = 3000
    ev = pd.DataFrame({"county": rng.choice(["瑶海区", "庐阳区", "长丰县", None], size=n),
                       "kind": rng.choice(["wrong_inclusion", "payment", "status", "identity"], size=n),
                       "pseudonym": [f"P{int(x):04X}" for x in rng.integers(0, 900, size=n)]})
    ev["county"] = ev["county"].astype("string[pyarrow]")
    ev["pseudonym"] = ev["pseudonym"].astype("string[pyarrow]")
    idx = FlaggedIndex(ev)
    for county in ["瑶海区", "庐阳区", "长丰县", "无人县"]:
        for kinds in [("wrong_inclusion",), ("payment", "status"), (), ("identity", "payment", "nothing")]:
            old = ev[(ev["county"] == county) & ev["kind"].isin(kinds)]["pseudonym"].drop_duplicates().sort_values()
            assert idx.households(county, kinds) == old.tolist(), (county, kinds)
    assert FlaggedIndex(ev.head(0)).households("瑶海区", ("payment",)) == []
