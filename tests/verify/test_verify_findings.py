"""Findings rules: each verdict fires when it should and not otherwise."""
import numpy as np
import pandas as pd
import pytest

from toolkit.config import DEFAULT_COUNTIES, Evaluation
from toolkit.verify.findings import findings, recompute_income
from toolkit.verify.load import VisitData

EV = Evaluation(name="t", language="zh", counties=DEFAULT_COUNTIES)
DIBAO = 880.0      # 瑶海区
WAGE = 2060.0


def _roster(**over):
    row = {"archive_id": "HF1", "status": "在档", "category": "深度困难", "county": "瑶海区",
           "county_code": "340102", "household_size": 2, "work_status": "在岗", "address": "合肥市瑶海区x路1号",
           "housing": "自有住房", "health": "健康", "main_cause": "患重特大疾病", "helper": "王某"}
    row.update(over)
    return pd.DataFrame([row])


def _visit(pc: float = 500.0, members: int = 2, **over):
    """One consenting visit whose recomputed net income is ``pc`` yuan/person/month."""
    sub = {"KEY": "k1", "archive_id": "HF1", "county_code": "340102", "township": "t", "sample_type": "in_roster",
           "interviewer_1": "T1", "interviewer_2": "T2", "visit_result": "met", "consent": "yes",
           "hh_size_check": "same", "category_check": "same", "head_work_check": "same", "main_cause_check": "same",
           "housing_check": "same", "address_check": "same", "health_check": "same", "plan_in_archive": "yes",
           "inc_wage": pc * members * 12, "inc_pension": 0.0, "inc_business": 0.0, "inc_property": 0.0,
           "inc_transfer": 0.0, "inc_union": 0.0, "inc_other": 0.0, "exp_medical": 0.0, "exp_disability": 0.0,
           "exp_school": 0.0, "homes_owned": 1.0, "shop_employer": "no", "private_school": None, "car": "no",
           "car_nonwork": None, "main_cause_confirmed": "yes", "helper_known": "yes", "helper_contact_6m": "yes",
           "months_above_line": 0.0, "verdict_should_exit": "no", "sat_overall": 5.0, "sat_fairness": 4.0}
    sub.update(over)
    mem = pd.DataFrame({"PARENT_KEY": ["k1"] * members, "KEY": [f"k1/m{i}" for i in range(members)],
                        "m_age": [45.0] * members, "m_able": ["yes"] * members, "m_work": ["employed"] * members})
    pay = over.pop("_payments", None)
    return VisitData(pd.DataFrame([sub]), mem, pay if pay is not None else
                     pd.DataFrame(columns=["PARENT_KEY", "KEY", "pay_item", "pay_year", "pay_ledger_amount",
                                           "pay_received", "pay_amount_received"]))


def _hh(visit, roster=None):
    return findings(visit, _roster() if roster is None else roster, EV).households.iloc[0]


def test_income_rule_counts_jobless_able_members_at_the_minimum_wage():
    v = _visit(pc=0.0, members=3, inc_wage=12000.0, exp_medical=2400.0)
    v.members.loc[0, "m_work"] = "unemployed"          # able, 45: counted at the minimum wage
    v.members.loc[1, "m_work"] = "laid_off"
    v.members.loc[1, "m_able"] = "no"                    # not able-bodied: not counted
    v.members.loc[2, "m_work"] = "unemployed"
    v.members.loc[2, "m_age"] = 62.0                     # not working age: not counted
    pc, m, J = recompute_income(v.submissions, v.members, np.array([WAGE]))
    assert m[0] == 3 and J[0] == 1
    assert pc[0] == pytest.approx((12000 - 2400 + WAGE * 12) / 3 / 12)


def test_wrong_inclusion_by_income_and_not():
    assert _hh(_visit(pc=DIBAO * 1.01))["wrong_inclusion"] == 1.0
    assert _hh(_visit(pc=DIBAO * 0.99))["wrong_inclusion"] == 0.0
    # 相对困难: the line is 2 × 低保
    r = _roster(category="相对困难")
    assert _hh(_visit(pc=DIBAO * 1.5), r)["wrong_inclusion"] == 0.0
    assert _hh(_visit(pc=DIBAO * 2.0), r)["wrong_inclusion"] == 1.0


@pytest.mark.parametrize("over", [{"homes_owned": 2.0}, {"shop_employer": "yes"},
                                  {"private_school": "yes"}, {"car": "yes", "car_nonwork": "yes"}])
def test_wrong_inclusion_by_exclusion(over):
    h = _hh(_visit(pc=300.0, **over))
    assert h["wrong_inclusion"] == 1.0 and h["exclusion"] == 1.0


def test_missed_exit_needs_months_and_the_interviewer_verdict():
    up = dict(pc=DIBAO * 1.2, months_above_line=6.0)
    h = _hh(_visit(verdict_should_exit="yes", **up))
    assert h["missed_exit"] == 1.0 and h["wrong_inclusion"] == 0.0
    h = _hh(_visit(verdict_should_exit="no", **up))      # never qualified: wrong inclusion
    assert h["missed_exit"] == 0.0 and h["wrong_inclusion"] == 1.0
    h = _hh(_visit(verdict_should_exit="yes", pc=DIBAO * 1.2, months_above_line=4.0))
    assert h["missed_exit"] == 0.0
    h = _hh(_visit(verdict_should_exit="yes", months_above_line=6.0, pc=DIBAO * 0.9))
    assert h["missed_exit"] == 0.0 and h["wrong_inclusion"] == 0.0


def test_wrong_exit_only_for_exited_households():
    r = _roster(status="已脱困")
    assert _hh(_visit(pc=DIBAO, sample_type="exited"), r)["wrong_exit"] == 1.0
    assert _hh(_visit(pc=DIBAO + 1, sample_type="exited"), r)["wrong_exit"] == 0.0
    h = _hh(_visit(pc=DIBAO * 0.5))
    assert np.isnan(h["wrong_exit"])
    assert np.isnan(_hh(_visit(pc=DIBAO * 0.5, sample_type="exited"), r)["wrong_inclusion"])


def test_missed_comparison_household():
    r = _roster(archive_id="OTHER")
    comp = dict(archive_id="DZ1", sample_type="non_registered")
    assert _hh(_visit(pc=DIBAO * 1.9, **comp), r)["missed"] == 1.0
    assert _hh(_visit(pc=DIBAO * 2.0, **comp), r)["missed"] == 0.0
    assert _hh(_visit(pc=DIBAO * 1.0, homes_owned=3.0, **comp), r)["missed"] == 0.0
    h = _hh(_visit(pc=DIBAO * 1.0, **comp), r)
    assert h["county"] == "瑶海区" and np.isnan(h["archive_match"])


def test_archive_match():
    assert _hh(_visit())["archive_match"] == 1.0
    assert _hh(_visit(members=3))["archive_match"] == 0.0            # roster says 2
    assert _hh(_visit(head_work_check="different", head_work_actual="unemployed"))["archive_match"] == 0.0
    assert _hh(_visit(head_work_check="different", head_work_actual="employed"))["archive_match"] == 1.0
    assert _hh(_visit(address_check="different", address_actual="合肥市 瑶海区x路１号"))["archive_match"] == 1.0
    assert _hh(_visit(address_check="different", address_actual="合肥市瑶海区y路9号"))["archive_match"] == 0.0
    # main cause is checked but is not a key field of the match rate
    assert _hh(_visit(main_cause_check="different", main_cause_actual="disaster"))["archive_match"] == 1.0


def test_needs_and_helper():
    assert _hh(_visit())["needs_identified"] == 1.0
    assert _hh(_visit(main_cause_confirmed="no"))["needs_identified"] == 0.0
    assert _hh(_visit(plan_in_archive="no"))["needs_identified"] == 0.0
    assert _hh(_visit())["helper_coverage"] == 1.0
    assert _hh(_visit(helper_contact_6m="no"))["helper_coverage"] == 0.0
    assert _hh(_visit(helper_known="no", helper_contact_6m=None))["helper_coverage"] == 0.0
    assert _hh(_visit(), _roster(helper=None))["helper_coverage"] == 0.0


def test_payments():
    pay = pd.DataFrame({"PARENT_KEY": ["k1"] * 4, "KEY": list("abcd"), "pay_item": ["living"] * 4,
                        "pay_year": [2025.0] * 4, "pay_ledger_amount": [1000.0, 500.0, 800.0, 300.0],
                        "pay_received": ["full", "partial", "none", "unsure"],
                        "pay_amount_received": [np.nan, 200.0, np.nan, np.nan]})
    f = findings(_visit(_payments=pay), _roster(), EV)
    h = f.households.iloc[0]
    assert (h["pay_checked"], h["pay_full"]) == (3.0, 1.0)
    assert h["pay_ledger"] == 2300.0 and h["pay_received"] == 1200.0
    assert list(f.payments["verdict"]) == ["in_full", "short", "not_received", "not_checked"]


def test_approval_valid_answers_only():
    assert _hh(_visit(sat_overall=4.0))["approval"] == 1.0
    assert _hh(_visit(sat_overall=3.0))["approval"] == 0.0
    assert np.isnan(_hh(_visit(sat_overall=8.0))["approval"])
    assert np.isnan(_hh(_visit(sat_overall=9.0))["approval"])


def test_non_response_and_refusals_are_not_households():
    assert len(findings(_visit(consent="no"), _roster(), EV).households) == 0
    assert len(findings(_visit(visit_result="absent", consent=None), _roster(), EV).households) == 0


def test_evidence_rows_carry_values_and_rules():
    f = findings(_visit(pc=DIBAO * 1.3, address_check="different", address_actual="新地址"), _roster(), EV)
    e = f.evidence.set_index("finding")
    assert bool(e.loc["wrong_inclusion", "flagged"]) is True
    assert "net_pc=" in e.loc["wrong_inclusion", "visit_value"] and "line=880" in e.loc["wrong_inclusion", "archive_value"]
    assert bool(e.loc["archive_mismatch:address", "flagged"]) is True
    assert e.loc["archive_mismatch:address", "visit_value"] == "新地址"
    assert e["rule"].str.len().min() > 0


def test_simulated_visits_recover_every_planted_flag():
    """On simulated visits every verdict equals the planted truth of that household."""
    from verify_data import city, visits_for
    from toolkit.verify.load import from_layout
    from toolkit.synthetic_visits import parquet_layout

    c = city(77, 1500)
    v, _, _ = visits_for(c, 3)
    h = findings(from_layout(parquet_layout(v)), c.roster, c.evaluation).households
    tr = c.truth.set_index("archive_id")
    r = h[h["status"] != "非建档"].set_index("archive_id")
    t = tr.loc[r.index]
    inr = r["status"] == "在档"
    assert (r.loc[inr, "wrong_inclusion"] == t.loc[inr, "wrongly_included"]).all()
    assert (r.loc[inr, "missed_exit"] == t.loc[inr, "missed_exit"]).all()
    ex = r["status"] == "已脱困"
    assert (r.loc[ex, "wrong_exit"] == t.loc[ex, "wrongly_exited"]).all()
    assert (r["helper_coverage"] == t["helper_contact"]).all()
    assert (r["needs_identified"] == (t["cause_confirmed"] & t["help_plan"])).all()
    tc = c.truth_comparison.set_index("comparison_id")
    cm = h[h["status"] == "非建档"].set_index("archive_id")
    assert (cm["missed"] == tc.loc[cm.index, "meets_criteria"]).all()
