"""Field progress against the sample equals a hand count on a small project."""
from __future__ import annotations

import pandas as pd

from toolkit.project.progress import field_progress


def test_progress_is_the_hand_count():
    units = pd.DataFrame({"archive_id": ["a1", "a2", "a3", "b1", "b2"],
                          "stratum": ["roster|东区"] * 3 + ["roster|西区"] * 2,
                          "psu": ["t1", "t1", "t2", "t3", "t3"]})
    reserves = pd.DataFrame({"archive_id": ["r1", "r2", "r3"], "stratum": ["roster|东区", "roster|东区", "roster|西区"],
                             "psu": ["t1", "t1", "t3"], "reserve_rank": [1, 2, 1]})
    disp = pd.DataFrame({"archive_id": ["a1", "a2", "r1", "a3", "b1"],
                         "code": ["completed", "refused", "completed", "not_at_home", "moved"],
                         "role": ["selected", "selected", "reserve", "selected", "selected"],
                         "replaced_by": ["", "r1", "", "", ""]})
    subs = pd.DataFrame({"archive_id": ["a1", "r1", "a2"], "visit_result": ["met", "met", "refused"],
                         "today": ["2026-05-01", "2026-05-02", "2026-05-01"]})
    outside = pd.DataFrame({"KEY": ["k9"], "archive_id": ["zz"], "county": ["东区"], "township": ["t1"],
                            "enumerator": ["E1"], "visit_date": ["2026-05-02"], "visit_result": ["met"]})
    pr = field_progress(units, reserves, disp, subs, outside, {"东区": "第一组"})
    t = pr.table.set_index(["county", "township"])
    assert t.loc[("东区", "t1")][["assigned", "reserves_released", "recorded", "completed", "refused",
                                  "outstanding"]].tolist() == [2, 1, 3, 2, 1, 0]
    assert t.loc[("东区", "t2")][["assigned", "not_at_home", "outstanding"]].tolist() == [1, 1, 0]
    assert t.loc[("西区", "t3")][["assigned", "other", "outstanding"]].tolist() == [2, 1, 1]   # b2: nothing yet
    assert t.loc[("东区", "")]["team"] == "第一组" and t.loc[("西区", "")]["team"] == "西区"
    assert t.loc[("全市", "")][["assigned", "completed", "outstanding"]].tolist() == [5, 2, 1]
    assert pr.daily["cumulative"].tolist() == [1, 2] and pr.daily["target"].iat[0] == 5
    assert pr.outside["archive_id"].tolist() == ["zz"]
    assert pr.reserves.set_index("archive_id").loc["r1", "replaces"] == "a2"
