"""``data_completeness`` counts the roster's counties in their own (Arrow)
dtype and finds the county of each problem row by position (issue 21,
seventh session): the same table as the object-column version, for Arrow,
``str`` and object counties, missing counties, ties in the counts, problem
rows outside the roster and a roster not on its default index."""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.verify.indicators import ALL, ESTIMATE_COLUMNS, data_completeness


def _old(roster: pd.DataFrame, problems: pd.DataFrame, required: tuple[str, ...]) -> pd.DataFrame:
    req = list(required)
    p = problems[(problems["severity"] == "error") & problems["column"].isin(req)]
    p = p.drop_duplicates(["row", "column"])
    county = roster["county"].astype(object) if "county" in roster else pd.Series("", index=roster.index)
    bad_rows = pd.Series(p["row"].to_numpy()).map(pd.Series(county.to_numpy(), index=roster.index))
    bad = bad_rows.fillna("?").value_counts()
    hh = county.value_counts()
    rows = [(c, 1.0 - bad.get(c, 0) / (n * len(req)), int(n)) for c, n in hh.items()]
    total = len(roster) * len(req)
    rows.append((ALL, 1.0 - len(p) / total if total else np.nan, len(roster)))
    out = pd.DataFrame(rows, columns=["county", "estimate", "n"])
    out.insert(0, "indicator", "data_completeness")
    out["se"] = 0.0
    out["ci_low"] = out["estimate"]
    out["ci_high"] = out["estimate"]
    out["df"] = np.nan
    out["method"] = "census"
    return out[ESTIMATE_COLUMNS]


def test_same_table_as_object_counties() -> None:
    rng = np.random.default_rng(7)
    n = 3000
    names = np.array(["甲县", "乙县", "丙县", "丁县"], dtype=object)
    county = names[rng.integers(0, 4, n)].astype(object)
    county[:2] = ["戊县", "己县"]           # two counties of one household each: a tie
    county[rng.integers(0, n, 40)] = None
    req = ("archive_id", "name", "id_number")
    rows = np.concatenate([rng.integers(0, n, 700), [n + 5, -1]])    # two labels outside the roster
    problems = pd.DataFrame({"row": rows, "column": rng.choice(["name", "id_number", "phone"], len(rows)),
                             "severity": rng.choice(["error", "warning"], len(rows), p=[0.8, 0.2])})
    for dtype in ("string[pyarrow]", "str", object):
        for index in (pd.RangeIndex(n), pd.RangeIndex(10, 10 + n), pd.Index(rng.permutation(n))):
            roster = pd.DataFrame({"county": pd.Series(county, dtype=dtype)}).set_axis(index)
            want, got = _old(roster, problems, req), data_completeness(roster, problems, req)
            pd.testing.assert_frame_equal(got, want, check_exact=True)
    empty = pd.DataFrame({"county": pd.Series([], dtype="string[pyarrow]")})
    pd.testing.assert_frame_equal(data_completeness(empty, problems.iloc[:0], req), _old(empty, problems.iloc[:0], req),
                                  check_exact=True)
