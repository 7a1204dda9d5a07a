"""The shipped questionnaires: load cleanly here and in pyxform, carry what the
indicators need, are reproducible from build.py, and evaluate on submissions."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pyxform.xls2xform import convert

from toolkit.forms.fake import fake_submissions
from toolkit.forms.reader import read_xlsform
from toolkit.forms.run import check_columns, form_context

ROOT = Path(__file__).resolve().parents[2] / "toolkit" / "questionnaires"
HV, SAT = ROOT / "household_visit.xlsx", ROOT / "satisfaction.xlsx"


@pytest.mark.parametrize("path", [HV, SAT], ids=lambda p: p.name)
def test_loads_without_problems_here_and_in_pyxform(path: Path) -> None:
    form = read_xlsform(path)
    assert form.problems == ()
    assert form.languages == ("中文 (zh)", "English (en)") and form.default_language == "中文 (zh)"
    assert convert(xlsform=str(path), validate=False).warnings == []
    for q in form.questions:
        if q.type not in ("calculate", "start", "end", "today", "deviceid", "audit"):   # metadata: no label
            assert form.label(q, "zh") and form.label(q, "en"), q.name


def test_household_visit_collects_what_the_indicators_need() -> None:
    form = read_xlsform(HV)
    names = set(form.by_name())
    needed = {
        "archive_id", "county_code", "township", "interviewer_1", "interviewer_2", "start", "end", "consent",
        "sample_type", "inc_wage", "inc_union", "exp_medical", "exp_disability", "exp_school", "net_pc_month",
        "m_jobless_able", "jobless_able_n", "homes_owned", "shop_employer", "private_school", "car_nonwork",
        "main_cause_check", "main_cause_confirmed", "plan_in_archive", "helper_known", "helper_contact_6m",
        "pay_item", "pay_year", "pay_ledger_amount", "pay_received", "pay_amount_received",
        "sat_overall", "sat_fairness", "sat_exit", "sat_cadres", "verdict_eligible", "evidence",
    }
    assert needed <= names, needed - names
    assert [r.name for r in form.repeats] == ["member", "payment"]
    assert form.question("pay_amount_received").repeat == "payment"
    checks = [q.name for q in form.questions if q.name.endswith("_check")]
    assert len(checks) >= 7
    for c in checks:  # same/different + actual value
        actual = form.question(c.replace("_check", "_actual"))
        assert actual.relevant == f"${{{c}}} = 'different'"
    assert set(form.choice_labels("same_diff", "zh").values()) == {"一致", "不一致", "无法核实"}
    assert form.choice_labels("sat5", "zh") == {"5": "非常满意", "4": "满意", "3": "一般", "2": "不满意",
                                                "1": "非常不满意", "8": "不知道/说不清", "9": "拒绝回答"}


def test_satisfaction_items() -> None:
    form = read_xlsform(SAT)
    sat = [q for q in form.questions if q.list_name == "sat5"]
    assert {"sat_overall", "sat_fairness", "sat_exit", "sat_cadres"} <= {q.name for q in sat}
    assert len([q for q in sat if q.name.startswith("sat_item_")]) == 6
    rev = form.question("rev_burden")
    assert rev.list_name == "agree5" and "8" in form.choice_labels("agree5") and "9" in form.choice_labels("agree5")


def test_build_script_reproduces_the_committed_forms(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("qbuild", ROOT.parents[1] / "questionnaires" / "build.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    mod.main(tmp_path)
    for name in ("household_visit.xlsx", "satisfaction.xlsx"):
        a, b = read_xlsform(ROOT / name), read_xlsform(tmp_path / name)
        assert a.items == b.items and a.choices == b.choices and a.settings == b.settings


def test_skip_logic_and_constraints_on_submissions() -> None:
    form = read_xlsform(HV)
    main = pd.DataFrame({
        "visit_result": ["met", "met", "refused"], "consent": ["yes", "no", ""],
        "interviewer_1": ["I1", "I2", "I3"], "interviewer_2": ["I2", "I2", "I4"],
        "homes_owned": [1.0, 3.0, np.nan], "car": ["yes", "no", ""], "car_nonwork": ["no", "", ""],
        "sample_type": ["exited", "in_roster", "in_roster"], "helper_known": ["yes", "no", ""],
    })
    payments = pd.DataFrame({"pay_received": ["partial", "partial", "full"],
                             "pay_ledger_amount": [500.0, 500.0, 300.0],
                             "pay_amount_received": [200.0, 800.0, np.nan]})
    ctx = form_context(form, main, {"payment": (payments, np.array([0, 0, 1]))})
    res = {c.question.name: c for c in check_columns(form, ctx)}
    assert res["consent"].relevant.tolist() == [True, True, False]
    assert res["homes_owned"].relevant.tolist() == [True, False, False]  # group B–G need consent
    assert res["car_nonwork"].relevant.tolist() == [True, False, False]
    assert res["interviewer_2"].constraint_ok.tolist() == [True, False, True]
    assert res["pay_amount_received"].constraint_ok.tolist() == [True, False, True]
    assert res["pay_amount_received"].relevant.tolist() == [True, True, False]


def test_fake_submissions_cover_every_level() -> None:
    form = read_xlsform(HV)
    ctx = fake_submissions(form, 200, seed=3)
    assert ctx.n == 200 and set(ctx.rows.repeats) == {"member", "payment"}
    checks = list(check_columns(form, ctx))
    assert {c.question.repeat for c in checks} == {"", "member", "payment"}
