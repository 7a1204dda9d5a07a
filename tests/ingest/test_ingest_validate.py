"""Validation against the form: each rule fires where it should and nowhere else."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from ingest_data import SAT_PATH, answers, form
from toolkit.ingest import validate
from toolkit.ingest.validate import ISSUE_COLUMNS


@pytest.fixture(scope="module")
def clean():
    return answers(60, seed=5)


def _edit(subs, **cells):
    m = subs.main.copy()
    for spec, value in cells.items():
        col, row = spec.rsplit("__", 1)
        m.loc[int(row), col] = value
    return replace(subs, main=m)


def test_generated_answers_are_valid(clean) -> None:
    out, issues = validate(clean, form())
    assert list(issues.columns) == list(ISSUE_COLUMNS)
    assert issues.empty
    assert (out.main["_status"] == "accepted").all()
    assert all((r["_status"] == "accepted").all() for r in out.repeats.values())


def test_each_rule_fires_on_its_own_row(clean) -> None:
    m = clean.main
    met = np.flatnonzero((m["visit_result"] == "met").to_numpy())
    absent = np.flatnonzero((m["visit_result"] == "absent").to_numpy())
    r_choice, r_req, r_con, r_cross, r_dup = met[:5]
    bad = m.copy()
    bad.loc[r_choice, "housing_now"] = "castle"
    bad.loc[r_req, "inc_wage"] = np.nan
    bad.loc[r_con, "school_children"] = 11.0
    bad.loc[r_cross, "interviewer_2"] = bad.loc[r_cross, "interviewer_1"]
    bad.loc[absent[0], "sat_overall"] = "4"          # answered where consent is not asked
    bad.loc[r_dup, "KEY"] = bad.loc[met[6], "KEY"]
    bad.loc[met[7], "form_version"] = "2025010101"
    out, issues = validate(replace(clean, main=bad), form(), lang="zh")
    by = issues.groupby("rule")["key"].apply(set)
    keys = bad["KEY"].to_numpy()
    assert by["choice"] == {keys[r_choice]}
    assert set(issues.loc[issues["rule"] == "required", "field"]) == {"inc_wage"}
    con = issues[issues["rule"] == "constraint"].set_index("field")
    assert con.loc["school_children", "message"] == "应在 0 到 10 之间"
    assert con.loc["interviewer_2", "message"] == "两名访员编号不能相同"
    assert by["not_relevant"] >= {keys[absent[0]]}
    assert by["duplicate_key"] == {keys[met[6]]}
    assert by["form_version"] == {keys[met[7]]}
    sev = issues.drop_duplicates("rule").set_index("rule")["severity"]
    assert sev["not_relevant"] == "warning" and sev["form_version"] == "warning"
    quarantined = set(out.main.loc[out.main["_status"] == "quarantined", "KEY"])
    assert quarantined == {keys[r_choice], keys[r_req], keys[r_con], keys[r_cross], keys[met[6]]}
    assert (out.main["_status"] == "accepted").sum() + len(quarantined) + 1 == len(m)  # r_dup shares a key


def test_english_messages_use_the_forms_english_text(clean) -> None:
    i = int(np.flatnonzero((clean.main["visit_result"] == "met").to_numpy())[0])
    _, issues = validate(_edit(clean, **{f"homes_owned__{i}": 25.0}), form(), lang="en")
    assert issues["message"].tolist() == ["Must be 0–20"]


def test_required_only_when_relevant(clean) -> None:
    m = clean.main
    i = int(np.flatnonzero(((m["car"] == "yes") & m["car_nonwork"].notna()).to_numpy())[0])
    j = int(np.flatnonzero((m["car"] == "no").to_numpy())[0])
    _, issues = validate(_edit(clean, **{f"car_nonwork__{i}": None}), form())
    assert issues[["field", "rule"]].values.tolist() == [["car_nonwork", "required"]]
    assert m.loc[j, "car_nonwork"] is None or pd.isna(m.loc[j, "car_nonwork"])


def test_select_multiple_tokens_and_constraint(clean) -> None:
    i = int(np.flatnonzero((clean.main["visit_result"] == "met").to_numpy())[0])
    _, issues = validate(_edit(clean, **{f"medical_cover__{i}": "employee none"}), form())
    assert issues["rule"].tolist() == ["constraint"]
    _, issues = validate(_edit(clean, **{f"medical_cover__{i}": "employee ufo"}), form())
    assert issues["rule"].tolist() == ["choice"]


def test_repeat_rows_are_checked_in_their_context(clean) -> None:
    reps = {k: v.copy() for k, v in clean.repeats.items()}
    reps["member"].loc[0, "m_age"] = 130.0
    pay = reps["payment"]
    k = int(np.flatnonzero((pay["pay_received"] == "partial").to_numpy())[0])
    pay.loc[k, "pay_amount_received"] = pay.loc[k, "pay_ledger_amount"] + 1
    orphan = reps["member"].iloc[[1]].assign(PARENT_KEY="uuid:nobody", KEY="uuid:nobody/member[1]")
    reps["member"] = pd.concat([reps["member"], orphan], ignore_index=True)
    out, issues = validate(replace(clean, repeats=reps), form())
    con = issues[issues["rule"] == "constraint"]
    assert set(con["field"]) == {"m_age", "pay_amount_received"}
    row = con[con["field"] == "m_age"].iloc[0]
    assert row["key"] == reps["member"].loc[0, "PARENT_KEY"]
    assert row["repeat_key"] == reps["member"].loc[0, "KEY"]
    assert issues[issues["rule"] == "orphan_repeat"]["repeat_key"].tolist() == ["uuid:nobody/member[1]"]
    assert out.main.loc[out.main["KEY"] == row["key"], "_status"].item() == "quarantined"
    mem = out.repeats["member"]
    assert (mem.loc[mem["PARENT_KEY"] == row["key"], "_status"] == "quarantined").all()


def test_counts_in_equal_accepted_plus_quarantined(clean) -> None:
    m = clean.main.copy()
    m.loc[::7, "township"] = None
    out, _ = validate(replace(clean, main=m), form())
    counts = out.main["_status"].value_counts()
    assert counts.sum() == len(m) and set(counts.index) <= {"accepted", "quarantined"}
    assert counts["quarantined"] == len(m.index[::7])


def test_missing_key_is_quarantined(clean) -> None:
    out, issues = validate(_edit(clean, KEY__0=None), form())
    assert "missing_key" in set(issues["rule"])
    assert out.main.loc[0, "_status"] == "quarantined"


def test_satisfaction_form_too() -> None:
    from toolkit.forms.reader import read_xlsform
    from toolkit.synthetic_answers import answer_form

    sat = read_xlsform(SAT_PATH)
    subs = answer_form(sat, 50, seed=3, fixed={"consent": "yes"})
    _, issues = validate(subs, sat)
    assert issues[issues["severity"] == "error"].empty
