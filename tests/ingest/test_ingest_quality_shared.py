"""run_all shares one factorisation of each select column between checks and
computes the overall outlier fences per field: its tables must be exactly
what each check gives on its own (no shared state), on answers with planted
outliers, don't-knows, refusals and blanks."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from ingest_data import answers, form
from toolkit.ingest import quality as Q
from toolkit.ingest.model import value_questions

S = Q.QualitySettings()


def _planted():
    f = form()
    subs = answers(120, seed=33)
    m = subs.main.copy()
    nums = [q.name for q in value_questions(f, "") if q.type in ("integer", "decimal") and q.name in m.columns]
    sel = [q.name for q in value_questions(f, "") if q.type == "select_one" and q.name in m.columns]
    assert nums and sel   # the fixture form has both kinds
    for k, c in enumerate(nums):
        m[c] = m[c].astype(float)
        m.loc[(5 + k) % len(m), c] = 1e6           # far outside every fence
        m.loc[(7 + k) % len(m), c] = -9.0          # refusal code: left out of the fences
        m.loc[(11 + k) % len(m), c] = np.nan
    for k, c in enumerate(sel):
        m.loc[(13 + k) % len(m), c] = None
    return f, replace(subs, main=m), nums


def test_run_all_equals_each_check_alone() -> None:
    f, subs, nums = _planted()
    together = Q.run_all(subs, f, S)
    alone = {
        "missingness": Q.missingness(subs, f, S),
        "dont_know": Q.dont_know(subs, f, S),
        "other_specify": Q.other_specify(subs, f, S),
        "outliers": Q.outliers(subs, f, S),
        "enumerators": Q.enumerators(subs, f, S),
    }
    for name, frame in alone.items():
        pd.testing.assert_frame_equal(together[name], frame, obj=name)
    assert (together["missingness"]["blank"] > 0).any()
    hit = together["outliers"]
    assert set(nums) <= set(hit["field"]) and (hit["value"] == 1e6).any()
    assert not (hit["value"] == -9.0).any()


def test_overall_fences_are_the_pandas_statistics() -> None:
    f, subs, nums = _planted()
    out = Q.outliers(subs, f, S)
    x = subs.main[nums[0]].astype(float)
    x = x.mask(x.isin(Q.NUMERIC_DK + Q.NUMERIC_REFUSE))
    q1, q3 = x.quantile(0.25), x.quantile(0.75)
    iqr = q3 - q1
    row = out[(out["field"] == nums[0]) & (out["method"] == "iqr")].iloc[0]
    assert row["low"] == round(q1 - S.outlier_iqr * iqr, 2) and row["high"] == round(q3 + S.outlier_iqr * iqr, 2)
    want = x[(x < q1 - S.outlier_iqr * iqr) | (x > q3 + S.outlier_iqr * iqr)]
    got = out[(out["field"] == nums[0]) & (out["method"] == "iqr")]
    assert sorted(got["value"].tolist()) == sorted(want.tolist())
    assert (got["group"] == "").all()
