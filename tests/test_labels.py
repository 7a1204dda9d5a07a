"""toolkit.labels: codes become words, in zh and en, on whole columns."""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit import labels as L
from toolkit.i18n import catalog
from toolkit.verify.findings import PAIRS, RULES

CODE = r"\b[a-z]+_[a-z_]+\b"


def test_field_labels_from_schema_catalogue_and_form() -> None:
    assert L.field_label("household_size", "zh") == "家庭人口"
    assert L.field_label("household_size", "en") == "Household size"
    assert L.field_label("category", "en") == "Hardship category"
    assert L.field_label("pay_received", "zh").startswith("E8d.")          # a visit question: the form's label
    assert "receive" in L.field_label("pay_received", "en")
    assert L.field_label("no_such_column", "en") == "no such column"        # never a snake_case name
    for p in PAIRS:
        for lang in ("zh", "en"):
            assert not pd.Series([L.field_label(p.name, lang)]).str.contains(CODE).any(), p.name


def test_both_sides_of_a_comparison_in_the_same_words() -> None:
    archive = pd.Series(["深度困难", "意外致困", None, "相对困难"], dtype="string")
    visit = pd.Series(["deep", "accident", "unknown", "relative"], dtype="string")
    for lang in ("zh", "en"):
        a, v = L.value_words(archive, "category", lang), L.value_words(visit, "category", lang)
        assert a[0] == v[0] and a[1] == v[1] and a[3] == v[3]
        assert a[2] == "" and v[2] not in ("unknown", "")
    assert L.value_words(visit, "category", "zh").tolist()[:2] == ["深度困难", "意外致困"]
    assert L.value_words(pd.Series(["private_rent", "租住私房"]), "housing", "en").nunique() == 1
    assert L.value_words(pd.Series(["2.0", "3"]), "household_size", "zh").tolist() == ["2", "3"]
    assert L.value_words(pd.Series(["合肥市 1 号"]), "address", "en").tolist() == ["合肥市 1 号"]  # free text as is
    assert L.value_words(pd.Series(["full", "none"]), "pay_received", "zh").tolist() == ["全额收到", "没有收到"]


def _evidence() -> pd.DataFrame:
    return pd.DataFrame({
        "archive_id": ["a"] * 6, "county": ["c"] * 6,
        "finding": ["wrong_exit", "wrong_inclusion", "missed_exit", "cause_unconfirmed",
                    "archive_mismatch:household_size", "archive_mismatch:housing"],
        "flagged": [True, False, False, True, True, False],
        "archive_value": ["低保=880.0", "line=1760.0", "line=880.0", "意外事故", "3", "自有住房"],
        "visit_value": ["net_pc=845.83", "net_pc=1546.67", "net_pc=950.0; months=4.0; H3≠yes", "no", "2.0", "own"],
        "rule": [RULES["wrong_exit"], RULES["wrong_inclusion"], RULES["missed_exit"], RULES["cause_unconfirmed"],
                 "type 1: differs", "type 3: equal"],
        "income": [845.83, 1546.67, 950.0, np.nan, np.nan, np.nan],
        "threshold": [880.0, 1760.0, 880.0, np.nan, np.nan, np.nan],
        "months": [np.nan, np.nan, 4.0, np.nan, np.nan, np.nan],
        "exclusion": pd.array([False, False, False, False, pd.NA, pd.NA], dtype="boolean"),
        "should_exit": pd.array([False, False, False, False, pd.NA, pd.NA], dtype="boolean"),
        "compare_type": [np.nan, np.nan, np.nan, np.nan, 1.0, 3.0],
        "compare_reason": pd.array([pd.NA] * 4 + ["differs", "equal"], dtype="string")})


def test_rules_as_sentences_with_their_numbers() -> None:
    ev = _evidence()
    zh, en = L.rule_sentences(ev, "zh"), L.rule_sentences(ev, "en")
    assert zh[0] == "已脱困但核实收入 845.83 元 ≤ 低保 880 元"
    assert en[0] == "Exited but verified income 845.83 yuan ≤ dibao 880 yuan"
    assert zh[1] == "核实收入 1546.67 元 < 类别标准线 1760 元，无排除条件"
    assert "只有 4 个月" in zh[2] and "only 4 of the last 6 months" in en[2]
    assert zh[3] == "受访户未确认档案记载的主要致困原因（意外事故）（E2）"
    assert "(Accident)" in en[3] or "accident" in en[3].lower()
    assert zh[4].startswith("不一致") and zh[5] == "一致"
    for s in (zh, en):
        assert not s.str.contains(CODE).any() and not s.str.contains("True|False|nan|None").any()
        assert (s != "").all()


def test_every_sentence_template_has_both_languages_and_known_fields() -> None:
    import string

    keys = [k for k in catalog() if k.startswith("labels.rule.")]
    assert {k.split(".")[2] for k in keys} >= set(RULES) - {"archive_mismatch"}
    for k in keys:
        for text in catalog()[k]:
            names = {n for _, n, _, _ in string.Formatter().parse(text) if n}
            assert names <= {"income", "threshold", "months", "archive", "visit"}, k


def test_older_results_without_number_columns_still_read_in_words() -> None:
    ev = _evidence()[["archive_id", "county", "finding", "flagged", "archive_value", "visit_value", "rule"]]
    s = L.rule_sentences(ev, "zh")
    assert s[0] == "已脱困但核实收入 不详 元 ≤ 低保 不详 元"
    assert not s.str.contains("line=|net_pc|type 1").any()


def test_names_verdicts_booleans_percent_dates() -> None:
    f = pd.Series(["wrong_exit", "archive_mismatch:housing", "wrong_exit"])
    assert L.finding_names(f, "zh").tolist()[1] == "档案信息不符：住房"
    assert L.finding_names(f, "en")[0] == "Wrong exit"
    assert L.verdict_words(pd.Series([True, False]), "zh").tolist() == ["有问题", "无问题"]
    assert L.verdict_words(pd.Series(["rejected", "clear"]), "en").tolist() == ["rejected", "no problem"]
    assert L.yes_no(pd.Series([True, False, None], dtype="boolean"), "zh").tolist() == ["是", "否", ""]
    assert L.marks(pd.Series([True, False])).tolist() == ["✓", "✗"]
    assert L.percent(pd.Series([0.0411, 1.0, np.nan])).tolist() == ["4.1%", "100%", ""]
    assert L.number_text(pd.Series([880.0, 845.83, 1e-9, np.nan])).tolist() == ["880", "845.83", "0", ""]
    d = pd.Series(["2026-11-30T09:05:00+00:00", None, "not a date"])
    assert L.date_text(d, "zh").tolist() == ["2026年11月30日", "", ""]
    assert L.date_text(d, "en").tolist()[0] == "30 Nov 2026"
    assert L.date_text(d, "zh", time=True)[0] == "2026年11月30日 09:05"


def test_findings_evidence_carries_the_numbers() -> None:
    """The sentence's numbers are the verification's own (households.net_pc and
    the county's 低保), carried in evidence columns, not parsed from rule text."""
    from toolkit.config import DEFAULT_COUNTIES, Evaluation
    from toolkit.verify.findings import EVIDENCE_COLUMNS, findings
    from toolkit.verify.load import VisitData

    ev = Evaluation(name="t", language="zh", counties=DEFAULT_COUNTIES)
    roster = pd.DataFrame([{"archive_id": "HF1", "status": "已脱困", "category": "深度困难", "county": "瑶海区",
                            "county_code": "340102", "household_size": 2, "main_cause": "意外事故", "helper": "王"}])
    sub = pd.DataFrame([{"KEY": "k1", "archive_id": "HF1", "county_code": "340102", "township": "t",
                         "sample_type": "exited", "interviewer_1": "T1", "visit_result": "met", "consent": "yes",
                         "inc_wage": 845.83 * 2 * 12, **dict.fromkeys(
                             ("inc_pension", "inc_business", "inc_property", "inc_transfer", "inc_union", "inc_other",
                              "exp_medical", "exp_disability", "exp_school"), 0.0),
                         "homes_owned": 1.0, "shop_employer": "no", "main_cause_confirmed": "no",
                         "plan_in_archive": "yes", "helper_known": "yes", "helper_contact_6m": "yes"}])
    mem = pd.DataFrame({"PARENT_KEY": ["k1"] * 2, "KEY": ["k1/m0", "k1/m1"], "m_age": [45.0] * 2,
                        "m_able": ["yes"] * 2, "m_work": ["employed"] * 2})
    pay = pd.DataFrame(columns=["PARENT_KEY", "KEY", "pay_item", "pay_year", "pay_ledger_amount", "pay_received",
                                "pay_amount_received"])
    f = findings(VisitData(sub, mem, pay), roster, ev)
    assert list(f.evidence.columns) == list(EVIDENCE_COLUMNS)
    e = f.evidence.set_index("finding")
    assert e.loc["wrong_exit", "income"] == f.households["net_pc"].iloc[0] == 845.83
    assert e.loc["wrong_exit", "threshold"] == f.households["dibao"].iloc[0] == 880.0
    zh = L.rule_sentences(f.evidence, "zh")
    assert "已脱困但核实收入 845.83 元 ≤ 低保 880 元" in zh.tolist()
    assert "受访户未确认档案记载的主要致困原因（意外事故）（E2）" in zh.tolist()
