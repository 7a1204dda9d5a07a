"""The form-driven answer generator: seeded, relevance honoured, fixed answers kept."""
from __future__ import annotations

import numpy as np

from ingest_data import differences, form
from toolkit.synthetic_answers import answer_form


def test_same_seed_same_answers_other_seed_differs() -> None:
    a, b, c = (answer_form(form(), 25, s) for s in (9, 9, 10))
    assert differences(a.main, b.main, skip=()) == []
    assert differences(a.repeats["member"], b.repeats["member"], skip=()) == []
    assert differences(a.main, c.main, skip=()) != []


def test_relevance_blank_where_not_asked_and_fixed_values_kept() -> None:
    n = 40
    visit = np.where(np.arange(n) % 2 == 0, "met", "refused")
    s = answer_form(form(), n, 1, fixed={"visit_result": visit, "consent": "yes", "county_code": "340102"})
    m = s.main
    assert (m["county_code"] == "340102").all()
    assert m.loc[visit == "refused", "consent"].isna().all()          # consent asked only when met
    assert m.loc[visit == "refused", "inc_wage"].isna().all()         # sec_c needs consent
    assert m.loc[visit == "met", "inc_wage"].notna().all()
    asked_exit = m["sample_type"] == "exited"
    assert m.loc[~asked_exit, "sat_exit"].isna().all()
    assert (m["interviewer_1"] != m["interviewer_2"]).all()
    assert (m["enumerator"] == m["interviewer_1"]).all()
    members = s.repeats["member"]
    assert set(members["PARENT_KEY"]) <= set(m.loc[visit == "met", "KEY"])
    per = members.groupby("PARENT_KEY").size()
    assert per.between(1, 4).all()
    assert (m.set_index("KEY").loc[per.index, "members_n"].to_numpy() == per.to_numpy()).all()
    assert members.loc[members["m_age"] < 16, "m_work"].isna().all()
