"""Comparison details: duplicates and orphans listed (nothing silently lost),
choice codes typed as numbers still match, tolerances relative to the original."""
from __future__ import annotations

import pandas as pd
from bc_data import case

from toolkit.backcheck.compare import codes, run
from toolkit.backcheck.spec import form_path, read_items


def test_duplicates_and_orphans_are_listed_and_codes_match() -> None:
    c = case(3, interviewers=4, per=12, min_per=4, share=0.3, fabricator=False)
    items = read_items(form_path())
    bc = c.backchecks.copy()
    dup = bc.iloc[[0]].assign(KEY="uuid:dup", end=bc["end"].iloc[0] - pd.Timedelta(days=1))
    orphan = bc.iloc[[1]].assign(KEY="uuid:orphan", archive_id="HF-NOT-VISITED")
    comp = run(c.visits, pd.concat([bc, dup, orphan], ignore_index=True), items, orig_members=c.visit_members,
               orig_payments=c.payments, bc_payments=c.bc_payments)
    nu = comp.not_used.set_index("KEY")["reason"]
    assert nu.to_dict() == {"uuid:dup": "duplicate", "uuid:orphan": "no_original_visit"}
    assert len(comp.households) == len(bc)
    # every back-check item of every household used appears once (top-level items)
    top = [i.name for i in items if not i.repeat]
    assert len(comp.table[comp.table["item"].isin(top)]) == len(bc) * len(top)
    sat = comp.table[comp.table["item"] == "sat_overall"]
    assert (sat["result"] != "not_compared").any()
    honest = sat[sat["backchecker"] != "B3"]
    assert (honest["result"] == "different").mean() < 0.1       # 4.0 in the visit == "4" in the back-check
    assert codes(pd.Series([4.0, "5", None, "yes"])).tolist() == ["4", "5", None, "yes"]


def test_amounts_within_the_forms_tolerance_are_the_same() -> None:
    c = case(4, interviewers=3, per=10, min_per=10, share=1.0, fabricator=False)
    items = read_items(form_path())
    bc = c.backchecks.copy()
    v = c.visits.copy()
    v["inc_wage"] = 10_000.0
    bc["inc_wage"] = 11_900.0            # within 20 % of the original (2,000 yuan) → same
    bc.loc[bc.index[:3], "inc_wage"] = 12_500.0   # 25 % → different
    comp = run(v, bc, items, orig_members=c.visit_members)
    w = comp.table[(comp.table["item"] == "inc_wage") & (comp.table["result"] != "not_compared")]
    assert set(w.loc[w["reason"] == "within_tolerance", "id"]) | set(w.loc[w["result"] == "different", "id"]) == set(w["id"])
    assert (w["result"] == "different").sum() == len(set(bc["archive_id"].iloc[:3]) & set(w["id"]))
