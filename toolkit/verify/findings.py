"""Findings: DOMAIN.md's verdicts for each visited household, with evidence.

``findings(visits, roster, evaluation)`` takes the accepted submissions (and
their member and payment repeats), the roster (canonical columns) and the
evaluation project; it returns :class:`Findings`:

``households``
    one row per interviewed household (visit_result = met and consent = yes):
    archive_id, KEY, county, township, sample_type, status (the archive's),
    enumerator; the recomputed income and every verdict as 1 / 0 / NaN
    (NaN: outside the verdict's denominator, or not determinable).
``evidence``
    one row per household × verdict in its denominator: finding, flagged,
    archive_value, visit_value, rule (audit text) and the numbers behind it
    (income, threshold, months, exclusion, should_exit, compare_type,
    compare_reason; see :data:`EVIDENCE_COLUMNS`).
``payments``
    one row per ledger payment checked at the visit, with its verdict.
``comparison``
    the archive-field :class:`~toolkit.verify.compare.Comparison`.

Income rule (DOMAIN.md), yuan per person per month::

    net_pc = (Σ inc_* − Σ exp_* + J × min_wage × 12) ÷ members ÷ 12

members = rows of the member repeat (the form's ``members_n``); J = members
aged 16–59, able-bodied (m_able = yes) and laid off or unemployed, each
counted at the county's minimum wage (yuan per month, evaluation.toml).
Lines (yuan per person per month): 深度困难 → the county's 低保; 相对困难
and 意外致困 → ``relative_hardship_multiple`` × 低保 (default 2).

Verdicts (flag = 1):

* wrong_inclusion (archive status 在档): an exclusion applies, or
  net_pc ≥ the category's line and the household is not a missed exit;
* missed_exit (在档): no exclusion, net_pc ≥ the category's line, income
  above the line in each of the last 6 months (F3 = 6) and the interviewer
  finds the rise came after registration (H3 verdict_should_exit = yes);
  otherwise an over-the-line household never qualified (wrong inclusion);
* wrong_exit (已脱困): net_pc ≤ 低保;
* missed (non-registered comparison household): net_pc < multiple × 低保
  and no exclusion (should have been registered);
* archive_mismatch: a key archive field differs from the visit beyond its
  tolerance (``archive_match`` = 1 − this; NaN when nothing was compared);
* cause_unconfirmed / needs_identified: needs_identified = the household
  confirms the archive's main cause (E2 = yes) and a help plan is on file
  (B8 = yes);
* helper: helper_coverage = the archive names a helper, the household knows
  them (E4) and had contact in the last 6 months (E6);
* payments: each ledger payment checked is received in full, short (part),
  not received, or not checked (cannot recall); per household pay_checked,
  pay_full, pay_ledger (yuan), pay_received (yuan);
* approval: sat_overall 5 or 4 among valid answers 1–5 (8, 9 not valid);
* precision_error: any of wrong_inclusion, missed_exit, wrong_exit, missed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.config import Evaluation
from toolkit.verify.compare import Comparison, FieldPair, compare
from toolkit.verify.load import VisitData
from toolkit.verify.text_in import positions

WORK_MAP = (("在岗", "employed"), ("下岗", "laid_off"), ("失业", "unemployed"), ("退休", "retired"),
            ("病休", "sick_leave"), ("农民工", "migrant"))
CATEGORY_MAP = (("深度困难", "deep"), ("相对困难", "relative"), ("意外致困", "accident"))
HOUSING_MAP = (("自有住房", "own"), ("租住公房", "public_rent"), ("廉租房", "public_rent"),
               ("租住私房", "private_rent"), ("借住亲友", "relatives"))
CAUSE_MAP = (("无劳动能力", "no_capacity"), ("有劳动能力未就业", "able_jobless"), ("下岗失业", "laid_off"),
             ("未参加社保", "no_insurance"), ("社保待遇落实不到位", "insurance_gap"), ("患重特大疾病", "illness"),
             ("自然灾害", "disaster"), ("意外事故", "accident"), ("子女上学", "schooling"), ("其他", "other"))
UNKNOWN = ("unknown", "8", "9", 8, 9)

PAIRS: tuple[FieldPair, ...] = (
    FieldPair("household_size", "household_size", "members_counted", type=1, kind="number", abs_tol=0,
              label_zh="家庭人口"),
    FieldPair("category", "category", "category_visit", type=1, kind="choice", value_map=CATEGORY_MAP,
              exclude=UNKNOWN, label_zh="困难类别"),
    FieldPair("work_status", "work_status", "head_work_visit", type=2, kind="choice", value_map=WORK_MAP,
              exclude=UNKNOWN, label_zh="户主就业状况"),
    FieldPair("health", "health", "health_visit", type=2, kind="text", exclude=UNKNOWN, label_zh="健康状况"),
    FieldPair("address", "address", "address_visit", type=3, kind="text", exclude=UNKNOWN, label_zh="住址"),
    FieldPair("housing", "housing", "housing_visit", type=3, kind="choice", value_map=HOUSING_MAP,
              exclude=UNKNOWN, label_zh="住房"),
    FieldPair("main_cause", "main_cause", "main_cause_visit", type=2, kind="choice", value_map=CAUSE_MAP,
              exclude=UNKNOWN, key=False, label_zh="主要致困原因"),
)
"""Default archive ↔ visit pairs. The B items record same/different and the
actual value only when different: the visit value is the archive's (mapped to
the form's code) when "same", the actual value when "different", nothing when
"unknown". Household size is compared with the member roster's count."""

_B_ITEMS = {"category_visit": ("category_check", "category_actual", "category", CATEGORY_MAP),
            "head_work_visit": ("head_work_check", "head_work_actual", "work_status", WORK_MAP),
            "health_visit": ("health_check", "health_actual", "health", ()),
            "address_visit": ("address_check", "address_actual", "address", ()),
            "housing_visit": ("housing_check", "housing_actual", "housing", HOUSING_MAP),
            "main_cause_visit": ("main_cause_check", "main_cause_actual", "main_cause", CAUSE_MAP)}

VERDICTS = ("wrong_inclusion", "missed_exit", "wrong_exit", "missed", "archive_mismatch",
            "cause_unconfirmed", "no_help_plan", "helper_missing", "no_helper_contact", "payment_short")

RULES = {
    "wrong_inclusion": "在档 & (exclusion | net_pc ≥ line) & not missed_exit",
    "missed_exit": "在档 & no exclusion & net_pc ≥ line & months_above_line = 6 & H3 = yes",
    "wrong_exit": "已脱困 & net_pc ≤ 低保",
    "missed": "non-registered & net_pc < multiple × 低保 & no exclusion",
    "archive_mismatch": "a key archive field differs beyond tolerance",
    "cause_unconfirmed": "E2 main_cause_confirmed ≠ yes",
    "no_help_plan": "B8 plan_in_archive ≠ yes",
    "helper_missing": "archive helper blank or E4 helper_known ≠ yes",
    "no_helper_contact": "helper known & E6 helper_contact_6m ≠ yes",
    "payment_short": "E8 pay_received ∈ {partial, none}",
}


@dataclass(frozen=True, eq=False)
class Findings:
    """Verdicts per household (``households``), their evidence, payments and
    the archive-field comparison; see the module doc."""

    households: pd.DataFrame
    evidence: pd.DataFrame
    payments: pd.DataFrame
    comparison: Comparison


def _text(s: pd.Series) -> np.ndarray:
    return s.astype(object).where(s.notna(), None).to_numpy(dtype=object)


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    return frame[name] if name in frame else pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _yes(s: pd.Series) -> np.ndarray:
    return s.astype("string").eq("yes").fillna(False).to_numpy(dtype=bool)


def _f(mask: np.ndarray, domain: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
    """1/0 inside the domain (NaN outside it or where not ``known``)."""
    out = np.where(mask, 1.0, 0.0)
    ok = domain if known is None else domain & known
    return np.where(ok, out, np.nan)


def recompute_income(sub: pd.DataFrame, members: pd.DataFrame, min_wage: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(net_pc, members, jobless_able) per submission row (see module doc).

    net_pc is NaN when an income or expenditure item or the member count is missing.
    """
    keys = pd.Index(sub["KEY"].astype(str).to_numpy(dtype=object))
    parent = keys.get_indexer(members["PARENT_KEY"].astype(str).to_numpy(dtype=object)) \
        if len(members) else np.array([], dtype=np.int64)
    ok = parent >= 0
    n = len(sub)
    cnt = np.bincount(parent[ok], minlength=n).astype(float)
    age = pd.to_numeric(members["m_age"], errors="coerce").to_numpy(dtype=float) if len(members) else np.array([])
    able = _yes(members["m_able"]) if len(members) else np.array([], dtype=bool)
    work = members["m_work"].astype("string").isin(["laid_off", "unemployed"]).fillna(False).to_numpy(bool) \
        if len(members) else np.array([], dtype=bool)
    jl = (age >= 16) & (age < 60) & able & work
    J = np.bincount(parent[ok], weights=jl[ok].astype(float), minlength=n)
    fallback = pd.to_numeric(_col(sub, "members_n"), errors="coerce").to_numpy(dtype=float)
    m = np.where(cnt > 0, cnt, fallback)
    inc = sum(pd.to_numeric(_col(sub, c), errors="coerce").to_numpy(dtype=float)
              for c in ("inc_wage", "inc_pension", "inc_business", "inc_property", "inc_transfer",
                        "inc_union", "inc_other"))
    exp = sum(pd.to_numeric(_col(sub, c), errors="coerce").to_numpy(dtype=float)
              for c in ("exp_medical", "exp_disability", "exp_school"))
    with np.errstate(invalid="ignore", divide="ignore"):
        pc = (inc - exp + J * min_wage * 12.0) / m / 12.0
    pc = np.where(m > 0, pc, np.nan)
    return pc, m, J


def _b_value(sub: pd.DataFrame, archive: pd.DataFrame, pos: np.ndarray, found: np.ndarray,
             check: str, actual: str, arch: str, vmap: tuple) -> np.ndarray:
    """Visit value of a B item: the archive's value (as the form's code) when
    "same", the actual value when "different", None otherwise."""
    chk = sub[check].astype("string").to_numpy(dtype=object) if check in sub else np.full(len(sub), None)
    a = archive[arch].reset_index(drop=True).take(np.where(found, pos, 0)).reset_index(drop=True) \
        if arch in archive else pd.Series([None] * len(sub), dtype=object)
    if vmap:
        mapped = a.map(dict(vmap))
        a = mapped.where(mapped.notna(), a)
    a = _text(a)
    act = _text(_col(sub, actual).reset_index(drop=True))
    return np.where(chk == "same", np.where(found, a, None),
                    np.where(chk == "different", act, np.where(chk == "unknown", "unknown", None)))


def findings(visits: VisitData, roster: pd.DataFrame, evaluation: Evaluation, *,
             pairs: tuple[FieldPair, ...] = PAIRS, evidence: bool = True) -> Findings:
    """Verdicts for every interviewed household (see the module doc);
    ``evidence=False`` skips the long evidence table (left empty)."""
    sub_all = visits.submissions
    done = (sub_all["visit_result"].astype("string").eq("met").fillna(False)
            & sub_all["consent"].astype("string").eq("yes").fillna(False)).to_numpy(dtype=bool)
    sub = sub_all[done].reset_index(drop=True)
    n = len(sub)
    th = evaluation.thresholds
    ids = sub["archive_id"].astype(str).str.strip().to_numpy(dtype=object)
    pos = positions(ids, roster["archive_id"])   # pd.Index(roster ids as text).get_indexer(ids), in Arrow
    found = pos >= 0
    take = np.where(found, pos, 0)

    def arch(name: str) -> np.ndarray:
        if name not in roster:
            return np.full(n, None, dtype=object)
        v = roster[name].take(take).to_numpy(dtype=object) if len(roster) else np.full(n, None, dtype=object)
        return np.where(found, v, None)

    stype = _text(_col(sub, "sample_type").astype("string"))
    status = np.where(found, arch("status"), np.where(stype == "non_registered", "非建档", None))
    by_code = {c.code: c for c in evaluation.counties}
    by_name = {c.name: c for c in evaluation.counties}
    code = _text(_col(sub, "county_code").astype("string").str.strip())
    county = np.where(found, arch("county"), pd.Series(code, dtype=object).map(
        {k: v.name for k, v in by_code.items()}).to_numpy(dtype=object))
    cs = pd.Series(county, dtype=object)
    dibao = cs.map({k: v.dibao for k, v in by_name.items()}).to_numpy(dtype=float)
    wage = cs.map({k: v.min_wage for k, v in by_name.items()}).to_numpy(dtype=float)
    mult = th.relative_hardship_multiple
    category = arch("category")
    line = np.where(category == "深度困难", dibao, mult * dibao)
    line = np.where(status == "非建档", mult * dibao, line)

    pc, members_n, J = recompute_income(sub, visits.members, wage)
    known_pc = ~np.isnan(pc)
    homes = pd.to_numeric(_col(sub, "homes_owned"), errors="coerce").to_numpy(dtype=float)
    excl = ((homes >= 2) | _yes(_col(sub, "shop_employer")) | _yes(_col(sub, "private_school"))
            | _yes(_col(sub, "car_nonwork")))
    months = pd.to_numeric(_col(sub, "months_above_line"), errors="coerce").to_numpy(dtype=float)
    h3 = _yes(_col(sub, "verdict_should_exit"))

    in_roster = status == "在档"
    exited = status == "已脱困"
    comp = status == "非建档"
    registered = found
    with np.errstate(invalid="ignore"):
        over = known_pc & (pc >= line)
        m_exit = ~excl & over & (months >= 6) & h3
        w_inc = excl | (over & ~m_exit)
        w_exit = known_pc & (pc <= dibao)
        missed = known_pc & (pc < mult * dibao) & ~excl
    determinable = known_pc | excl

    # archive fields
    vis = sub.copy()
    vis["members_counted"] = members_n
    vis["county"] = county
    for col, (chk, act, a_name, vmap) in _B_ITEMS.items():
        vis[col] = _b_value(sub, roster, pos, found, chk, act, a_name, vmap)
    cmp_ = compare(roster, vis[registered].reset_index(drop=True), pairs, county="county")
    hh = cmp_.by_household(only_key=True).set_index("id")
    match = pd.Series(ids).map(hh["match"]).to_numpy(dtype=float)
    match = np.where(registered, match, np.nan)

    cause_ok = _yes(_col(sub, "main_cause_confirmed"))
    plan_ok = _yes(_col(sub, "plan_in_archive"))
    cause_known = _col(sub, "main_cause_confirmed").notna().to_numpy() & _col(sub, "plan_in_archive").notna().to_numpy()
    helper_arch = pd.Series(arch("helper"), dtype=object).astype("string").str.strip().fillna("").ne("").to_numpy()
    known = _yes(_col(sub, "helper_known"))
    contact = _yes(_col(sub, "helper_contact_6m"))

    # payments
    pay = visits.payments
    keys = pd.Index(sub["KEY"].astype(str).to_numpy(dtype=object))
    pp = keys.get_indexer(pay["PARENT_KEY"].astype(str).to_numpy(dtype=object)) if len(pay) else np.array([], int)
    pay = pay[pp >= 0].reset_index(drop=True)
    pp = pp[pp >= 0]
    rec = pay["pay_received"].astype("string").fillna("").to_numpy(dtype=object) if len(pay) else np.array([], object)
    ledger = pd.to_numeric(pay["pay_ledger_amount"], errors="coerce").to_numpy(dtype=float) if len(pay) else np.array([])
    part = pd.to_numeric(pay["pay_amount_received"], errors="coerce").to_numpy(dtype=float) if len(pay) else np.array([])
    checked = np.isin(rec, ("full", "partial", "none")) & ~np.isnan(ledger)
    got = np.select([rec == "full", rec == "partial", rec == "none"], [ledger, part, np.zeros(len(rec))], np.nan)
    checked &= ~np.isnan(got)
    pay_verdict = np.select([~checked, rec == "full", rec == "partial"], ["not_checked", "in_full", "short"],
                            "not_received").astype(object)
    pay_checked = np.bincount(pp, weights=checked.astype(float), minlength=n)
    pay_full = np.bincount(pp, weights=(checked & (rec == "full")).astype(float), minlength=n)
    pay_ledger = np.bincount(pp, weights=np.where(checked, ledger, 0.0), minlength=n)
    pay_got = np.bincount(pp, weights=np.where(checked, got, 0.0), minlength=n)
    pay_sq = np.bincount(pp, weights=np.where(checked, ledger * ledger, 0.0), minlength=n)

    sat = pd.to_numeric(_col(sub, "sat_overall"), errors="coerce").to_numpy(dtype=float)
    valid = (sat >= 1) & (sat <= 5)
    fair = pd.to_numeric(_col(sub, "sat_fairness"), errors="coerce").to_numpy(dtype=float)
    fvalid = (fair >= 1) & (fair <= 5)

    f_wi = _f(w_inc, in_roster, determinable)
    f_me = _f(m_exit, in_roster, determinable)
    f_we = _f(w_exit, exited, known_pc)
    f_mi = _f(missed, comp, determinable)
    parts = np.vstack([np.where(in_roster, np.fmax(f_wi, f_me), np.nan), f_we, f_mi])
    err = np.nanmax(np.where(np.isnan(parts), -1, parts), axis=0)
    undetermined = (in_roster & ~determinable) | (exited & ~known_pc) | (comp & ~determinable)
    precision_error = np.where(undetermined, np.nan, np.where(err > 0, 1.0, 0.0))

    households = pd.DataFrame({
        "archive_id": ids, "KEY": sub["KEY"].to_numpy(dtype=object), "county": county,
        "county_code": code, "township": _text(_col(sub, "township")), "sample_type": stype,
        "status": status, "category": category,
        "enumerator": _text(_col(sub, "interviewer_1")), "enumerator_2": _text(_col(sub, "interviewer_2")),
        "members": members_n, "jobless_able": J, "dibao": dibao, "min_wage": wage, "line": line,
        "net_pc": np.round(pc, 2), "exclusion": excl.astype(float), "months_above_line": months,
        "wrong_inclusion": f_wi, "missed_exit": f_me, "wrong_exit": f_we, "missed": f_mi,
        "archive_match": match,
        "needs_identified": _f(cause_ok & plan_ok, registered, cause_known),
        "cause_confirmed": _f(cause_ok, registered), "help_plan": _f(plan_ok, registered),
        "helper_coverage": _f(helper_arch & known & contact, registered),
        "helper_assigned": _f(helper_arch, registered),
        "pay_checked": np.where(registered, pay_checked, np.nan),
        "pay_full": np.where(registered, pay_full, np.nan),
        "pay_ledger": np.where(registered, pay_ledger, np.nan),
        "pay_received": np.where(registered, pay_got, np.nan),
        "pay_ledger_sq": np.where(registered, pay_sq, np.nan),
        "approval": _f(sat >= 4, registered, valid),
        "fairness": _f(fair >= 4, registered, fvalid),
        "precision_error": precision_error,
        "overall_precision": 1.0 - precision_error,
    })

    ev = _evidence(households, pc, line, dibao, mult, excl, months, h3, cmp_, sub, arch,
                   helper_arch, known, contact) if evidence else _evidence_empty()
    pay_table = pd.DataFrame({
        "archive_id": ids[pp] if len(pp) else np.array([], object),
        "county": county[pp] if len(pp) else np.array([], object),
        "item": _text(pay["pay_item"]) if len(pay) else np.array([], object),
        "year": pd.to_numeric(pay["pay_year"], errors="coerce").to_numpy() if len(pay) else np.array([]),
        "ledger_amount": ledger, "received": rec, "amount_received": got, "verdict": pay_verdict})
    return Findings(households, ev, pay_table, cmp_)


EVIDENCE_COLUMNS = ("archive_id", "county", "finding", "flagged", "archive_value", "visit_value", "rule",
                    "income", "threshold", "months", "exclusion", "should_exit", "compare_type", "compare_reason")
"""The evidence table's columns. ``archive_value``/``visit_value``/``rule`` are
the audit text; the rest carry the numbers a reader's sentence is made of
(toolkit.labels.rule_sentences): ``income`` the verified net income per head
per month and ``threshold`` the line it is held against (yuan, rounded to
fen), ``months`` F3 (months above the line of the last 6), ``exclusion`` an
exclusion applies, ``should_exit`` H3 = yes; for archive comparisons
``compare_type`` (1–3) and ``compare_reason`` (equal | within_tolerance | differs)."""


def _evidence_empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in EVIDENCE_COLUMNS})


def _evidence(hh: pd.DataFrame, pc, line, dibao, mult, excl, months, h3, cmp_: Comparison,
              sub: pd.DataFrame, arch, helper_arch, known, contact) -> pd.DataFrame:
    """Long evidence table: one row per household × verdict in its denominator."""
    ids = hh["archive_id"].to_numpy(dtype=object)
    county = hh["county"].to_numpy(dtype=object)
    pc_txt = pd.Series(np.round(pc, 2)).astype("string").fillna("").to_numpy(dtype=object)
    line_txt = pd.Series(np.round(line, 2)).astype("string").fillna("").to_numpy(dtype=object)
    dib_txt = pd.Series(np.round(dibao, 2)).astype("string").fillna("").to_numpy(dtype=object)
    ex_txt = np.where(excl, "exclusion", "")
    mo_txt = pd.Series(months).astype("string").fillna("").to_numpy(dtype=object)

    nan = np.full(len(ids), np.nan)

    def part(finding: str, flag: np.ndarray, archive_value, visit_value, income=nan, threshold=nan,
             months_=nan) -> pd.DataFrame | None:
        dom = ~np.isnan(flag)
        if not dom.any():
            return None
        av = np.broadcast_to(np.asarray(archive_value, dtype=object), ids.shape)
        vv = np.broadcast_to(np.asarray(visit_value, dtype=object), ids.shape)
        num = {k: np.broadcast_to(np.asarray(v, dtype=float), ids.shape)[dom]
               for k, v in (("income", income), ("threshold", threshold), ("months", months_))}
        return pd.DataFrame({"archive_id": ids[dom], "county": county[dom], "finding": finding,
                             "flagged": flag[dom] > 0, "archive_value": av[dom], "visit_value": vv[dom],
                             "rule": RULES[finding], **num, "exclusion": excl[dom].astype(bool),
                             "should_exit": np.asarray(h3, dtype=bool)[dom]})

    inc_txt = "net_pc=" + pc_txt + np.where(excl, "; exclusion", "")
    pc2, line2, dib2 = np.round(pc, 2), np.round(line, 2), np.round(dibao, 2)
    ps = [
        part("wrong_inclusion", hh["wrong_inclusion"].to_numpy(), "line=" + line_txt, inc_txt, pc2, line2),
        part("missed_exit", hh["missed_exit"].to_numpy(), "line=" + line_txt,
             inc_txt + "; months=" + mo_txt + np.where(h3, "; H3=yes", "; H3≠yes"), pc2, line2, months),
        part("wrong_exit", hh["wrong_exit"].to_numpy(), "低保=" + dib_txt, "net_pc=" + pc_txt, pc2, dib2),
        part("missed", hh["missed"].to_numpy(), f"{mult}×低保=" + pd.Series(np.round(mult * dibao, 2))
             .astype("string").fillna("").to_numpy(dtype=object), inc_txt, pc2, np.round(mult * dibao, 2)),
        part("cause_unconfirmed", 1.0 - hh["cause_confirmed"].to_numpy(), arch("main_cause"),
             _text(_col(sub, "main_cause_confirmed"))),
        part("no_help_plan", 1.0 - hh["help_plan"].to_numpy(), "", _text(_col(sub, "plan_in_archive"))),
        part("helper_missing", np.where(hh["helper_assigned"].notna(),
                                        (~(helper_arch & known)).astype(float), np.nan),
             np.where(helper_arch, "helper on file", "no helper on file"), _text(_col(sub, "helper_known"))),
        part("no_helper_contact", np.where(hh["helper_assigned"].notna() & helper_arch & known,
                                           (~contact).astype(float), np.nan),
             "helper on file", _text(_col(sub, "helper_contact_6m"))),
    ]
    del ex_txt
    t = cmp_.table
    diff = t[t["result"] != "not_compared"]
    if len(diff):
        ps.append(pd.DataFrame({
            "archive_id": diff["id"].to_numpy(dtype=object), "county": diff["county"].to_numpy(dtype=object),
            "finding": "archive_mismatch:" + diff["pair"].astype(str),
            "flagged": (diff["result"] == "different").to_numpy(),
            "archive_value": diff["archive_value"].astype(object).to_numpy(),
            "visit_value": diff["visit_value"].astype(object).to_numpy(),
            "rule": "type " + diff["type"].astype(str) + ": " + diff["reason"].astype(str),
            "compare_type": diff["type"].astype(float).to_numpy(), "compare_reason": diff["reason"].astype(str)
            .to_numpy(dtype=object)}))
    ps = [p for p in ps if p is not None]
    if not ps:
        return _evidence_empty()
    out = pd.concat(ps, ignore_index=True).reindex(columns=list(EVIDENCE_COLUMNS))
    out["archive_value"] = out["archive_value"].astype("string")
    out["visit_value"] = out["visit_value"].astype("string")
    out["exclusion"] = out["exclusion"].astype("boolean")
    out["should_exit"] = out["should_exit"].astype("boolean")
    out["compare_reason"] = out["compare_reason"].astype("string")
    return out


__all__ = ["Findings", "findings", "recompute_income", "PAIRS", "VERDICTS", "RULES", "EVIDENCE_COLUMNS"]
