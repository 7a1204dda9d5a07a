"""The demo's filled checklist and forum notes (toolkit.synthetic_checklist)
go through the xlsx round trips and leave exactly the planted unmet items;
a project's own checklist.toml replaces the shipped list, and a broken one is
refused naming the file and the item."""
from __future__ import annotations

import pytest

from toolkit.checklist import load_items, scores, unmet
from toolkit.errors import UserError


def test_demo_data_plants_exactly_the_unmet_items(project) -> None:
    from toolkit.forums import current
    from toolkit.synthetic_checklist import fill_checklist, fill_forums, planted

    res = fill_checklist(project, "演示评估员")
    assert len(res.problems) == 0 and res.added == 6 * len(load_items(project))
    fres = fill_forums(project, "演示评估员")
    assert len(fres.problems) == 0
    want = planted(project)
    want = want[want["status"].isin(("not_met", "partly"))]
    got = unmet(project)
    assert sorted(zip(got["county"], got["item_id"], got["status"])) == \
        sorted(zip(want["county"], want["item_id"], want["status"]))
    s = scores(project)
    low = set(s.loc[s["score"] < 1, "county"])
    assert low == set(want["county"]) and len(low) == 3
    o3 = s[(s["county"] == "蜀山区") & (s["aspect"] == "outcomes")]
    assert o3["items_applicable"].tolist() == [2]                  # O3 not applicable there
    f = current(project)
    assert f["forum_id"].nunique() == 6 and set(f["stance"]) >= {"supports", "contradicts"}
    assert not f["roles"].str.contains("张|王|李").any()


def test_a_projects_own_checklist_replaces_the_shipped_one(project) -> None:
    (project.root / "checklist.toml").write_text(
        '[[item]]\nid = "X1"\naspect = "funds"\nzh = "资金台账"\nen = "Fund ledger"\n', encoding="utf-8")
    assert load_items(project)["item_id"].tolist() == ["X1"]
    (project.root / "checklist.toml").write_text(
        '[[item]]\nid = "X1"\naspect = "money"\nzh = "资金台账"\nen = "Fund ledger"\n', encoding="utf-8")
    with pytest.raises(UserError) as e:
        load_items(project)
    assert e.value.key == "checklist.items_aspect" and "checklist.toml" in e.value.message("en")
    assert "money" in e.value.message("zh")
    (project.root / "checklist.toml").write_text(
        '[[item]]\nid = "X1"\naspect = "funds"\nzh = "a"\nen = "a"\n[[item]]\nid = "X1"\naspect = "data"\n'
        'zh = "b"\nen = "b"\n', encoding="utf-8")
    with pytest.raises(UserError) as e:
        load_items(project)
    assert e.value.key == "checklist.items_duplicate" and e.value.fields["n"] == 2
