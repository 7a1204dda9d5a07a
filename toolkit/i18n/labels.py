"""Words for codes (toolkit.labels): field names, verdicts, rule sentences, table headers.

Roster fields read in Chinese by their header in toolkit.roster.schema (one
truth for the zh word); the English names are here. Rule sentences have one
template per finding and case, filled with the evidence's numbers
(``{income}``, ``{threshold}`` in yuan per person per month, ``{months}``,
``{archive}``, ``{visit}``).
"""
from toolkit.i18n.ingest import MESSAGES as _INGEST
from toolkit.roster.schema import FIELDS

_FIELD_EN = {
    "archive_id": "Archive number", "level": "Archive level", "category": "Hardship category",
    "status": "Archive status", "registered_on": "Date registered", "exited_on": "Date exited",
    "name": "Name", "sex": "Sex", "birth_date": "Date of birth", "id_number": "ID number",
    "ethnicity": "Ethnicity", "county": "County", "county_code": "County code", "township": "Township",
    "address": "Address", "phone": "Phone", "bank_card": "Bank card", "health": "Health",
    "disability": "Disability", "work_status": "Work status of the head", "employer": "Employer",
    "housing": "Housing", "household_size": "Household size",
    "jobless_able_members": "Jobless able-bodied members", "household_income": "Household income (yuan a year)",
    "rigid_expenditure": "Rigid spending (yuan a year)", "income_per_capita": "Income per head a month",
    "main_cause": "Main cause of hardship", "secondary_causes": "Other causes", "key_group": "Priority group",
    "helper": "Helper", "helper_phone": "Helper's phone",
}
_FIELD_ZH = {"work_status": "户主就业状况", "housing": "住房"}  # the comparison's own words where they differ

MESSAGES = {f"labels.field.{f.name}": (_FIELD_ZH.get(f.name, f.header), _FIELD_EN[f.name]) for f in FIELDS}
MESSAGES.update({
    "labels.field.income_per_capita_derived": ("家庭月人均收入（按规则计算）", "Income per head a month (by the rule)"),
    "labels.field.KEY": ("问卷编号", "Submission number"),
    "labels.field.members_counted": ("家庭成员数（入户登记）", "Members listed at the visit"),
    # --- marks, booleans, blanks
    "labels.yes": ("是", "Yes"),
    "labels.no": ("否", "No"),
    "labels.unknown": ("不详", "unknown"),
    "labels.flagged": ("有问题", "Problem found"),
    "labels.clear": ("无问题", "No problem"),
    "labels.date": ("{y}年{m}月{d}日", "{d} {mon} {y}"),
    "labels.datetime": ("{date} {hm}", "{date}, {hm}"),
    # --- comparisons
    "labels.compare.equal": ("一致", "Same"),
    "labels.compare.within_tolerance": ("差异在容差内，视为一致", "Within tolerance: counted as the same"),
    "labels.compare.differs.1": ("不一致：关键信息，不应有差异", "Differs: a key item that should never differ"),
    "labels.compare.differs.2": ("不一致：较难核实的信息，差异可能属实", "Differs: hard to ask, the difference may be honest"),
    "labels.compare.differs.3": ("不一致：可能已发生变化", "Differs: may have changed since"),
    "labels.compare.differs": ("不一致", "Differs"),
    # --- rule sentences: one per finding and case
    "labels.rule.wrong_inclusion.exclusion": (
        "在档但符合排除条件（两套及以上住房、开店或雇工、子女自费读私立学校、非工作用车之一）",
        "In the roster but an exclusion applies (two or more homes, a shop or employees, a private school "
        "paid for, or a car not used for work)"),
    "labels.rule.wrong_inclusion.exclusion_income": (
        "在档但符合排除条件（两套及以上住房、开店或雇工、子女自费读私立学校、非工作用车之一）；核实收入 {income} 元，类别标准线 {threshold} 元",
        "In the roster but an exclusion applies (two or more homes, a shop or employees, a private school "
        "paid for, or a car not used for work); verified income {income} yuan, category line {threshold} yuan"),
    "labels.rule.wrong_inclusion.over": ("在档但核实收入 {income} 元 ≥ 类别标准线 {threshold} 元",
                                         "In the roster but verified income {income} yuan ≥ category line {threshold} yuan"),
    "labels.rule.wrong_inclusion.exit": ("核实收入 {income} 元 ≥ 类别标准线 {threshold} 元，已按漏退计",
                                         "Verified income {income} yuan ≥ category line {threshold} yuan: counted as a missed exit"),
    "labels.rule.wrong_inclusion.ok": ("核实收入 {income} 元 < 类别标准线 {threshold} 元，无排除条件",
                                       "Verified income {income} yuan < category line {threshold} yuan, no exclusion"),
    "labels.rule.missed_exit.flagged": (
        "核实收入 {income} 元 ≥ 类别标准线 {threshold} 元，近 6 个月均高于标准线，访员判断应脱困：应退未退",
        "Verified income {income} yuan ≥ category line {threshold} yuan, above it in each of the last 6 months, "
        "and the interviewer finds the household should exit: not exited"),
    "labels.rule.missed_exit.exclusion": ("符合排除条件，已按错评计（不属漏退）",
                                          "An exclusion applies: counted as a wrong inclusion, not a missed exit"),
    "labels.rule.missed_exit.below": ("核实收入 {income} 元 < 类别标准线 {threshold} 元，未达到脱困条件",
                                      "Verified income {income} yuan < category line {threshold} yuan: not ready to exit"),
    "labels.rule.missed_exit.months": (
        "核实收入 {income} 元 ≥ 类别标准线 {threshold} 元，但近 6 个月只有 {months} 个月高于标准线，已按错评计",
        "Verified income {income} yuan ≥ category line {threshold} yuan but above it in only {months} of the last "
        "6 months: counted as a wrong inclusion"),
    "labels.rule.missed_exit.judged": (
        "核实收入 {income} 元 ≥ 类别标准线 {threshold} 元，但访员未判断为应脱困，已按错评计",
        "Verified income {income} yuan ≥ category line {threshold} yuan but the interviewer did not find it should "
        "exit: counted as a wrong inclusion"),
    "labels.rule.wrong_exit.flagged": ("已脱困但核实收入 {income} 元 ≤ 低保 {threshold} 元",
                                       "Exited but verified income {income} yuan ≤ dibao {threshold} yuan"),
    "labels.rule.wrong_exit.ok": ("已脱困，核实收入 {income} 元 > 低保 {threshold} 元",
                                  "Exited, verified income {income} yuan > dibao {threshold} yuan"),
    "labels.rule.missed.flagged": ("未建档但核实收入 {income} 元 < 困难标准线 {threshold} 元，且无排除条件：应建档",
                                   "Not registered but verified income {income} yuan < hardship line {threshold} yuan "
                                   "and no exclusion: should be registered"),
    "labels.rule.missed.exclusion": ("未建档，符合排除条件，不属漏评",
                                     "Not registered and an exclusion applies: not a missed household"),
    "labels.rule.missed.exclusion_income": ("未建档，符合排除条件，不属漏评（核实收入 {income} 元，困难标准线 {threshold} 元）",
                                            "Not registered and an exclusion applies: not a missed household "
                                            "(verified income {income} yuan, hardship line {threshold} yuan)"),
    "labels.rule.missed.ok": ("未建档，核实收入 {income} 元 ≥ 困难标准线 {threshold} 元",
                              "Not registered, verified income {income} yuan ≥ hardship line {threshold} yuan"),
    "labels.rule.cause_unconfirmed.flagged": ("受访户未确认档案记载的主要致困原因（{archive}）（E2）",
                                              "The household did not confirm the archive's main cause ({archive}) (E2)"),
    "labels.rule.cause_unconfirmed.ok": ("受访户确认档案记载的主要致困原因（{archive}）（E2）",
                                         "The household confirmed the archive's main cause ({archive}) (E2)"),
    "labels.rule.no_help_plan.flagged": ("档案中没有本户的帮扶计划（B8）", "The archive holds no help plan for the household (B8)"),
    "labels.rule.no_help_plan.ok": ("档案中有本户的帮扶计划（B8）", "The archive holds a help plan for the household (B8)"),
    "labels.rule.helper_missing.none": ("档案未登记帮扶责任人", "The archive names no helper"),
    "labels.rule.helper_missing.flagged": ("档案登记了帮扶责任人，但受访户不知道是谁（E4）",
                                           "The archive names a helper but the household does not know them (E4)"),
    "labels.rule.helper_missing.ok": ("档案登记了帮扶责任人，受访户知道是谁（E4）",
                                      "The archive names a helper and the household knows them (E4)"),
    "labels.rule.no_helper_contact.flagged": ("近 6 个月帮扶责任人没有上门或联系（E6）",
                                              "The helper has not visited or called in the last 6 months (E6)"),
    "labels.rule.no_helper_contact.ok": ("近 6 个月帮扶责任人上门或联系过（E6）",
                                         "The helper visited or called in the last 6 months (E6)"),
    "labels.rule.payment_short.flagged": ("台账资金未足额到户", "Ledger aid not received in full"),
    "labels.rule.payment_short.ok": ("台账资金足额到户", "Ledger aid received in full"),
    "labels.rule.other.flagged": ("有问题", "Problem found"),
    "labels.rule.other.ok": ("无问题", "No problem"),
    # --- ledger payments
    "labels.pay.in_full": ("全额到户", "Received in full"),
    "labels.pay.short": ("未足额到户", "Received in part"),
    "labels.pay.not_received": ("没有收到", "Not received"),
    "labels.pay.not_checked": ("未能核实（记不清）", "Not checked (cannot recall)"),
    # --- table headers of the walkthrough
    "labels.col.finding": ("核查项目", "Check"),
    "labels.col.verdict": ("结论", "Verdict"),
    "labels.col.reason": ("依据", "Why"),
    "labels.col.item": ("帮扶项目", "Help item"),
    "labels.col.year": ("发放年份", "Year"),
    "labels.col.ledger_amount": ("台账金额（元）", "Ledger amount (yuan)"),
    "labels.col.received": ("是否收到", "Received?"),
    "labels.col.amount_received": ("收到金额（元）", "Amount received (yuan)"),
    "labels.col.pay_verdict": ("核实结果", "Result"),
    "labels.col.at": ("时间", "When"),
    "labels.col.who": ("评估员", "Evaluator"),
    "labels.col.what": ("内容", "What"),
    "labels.col.why": ("理由", "Why"),
    "labels.col.problem": ("问题", "Problem"),
    "labels.history.override": ("{finding}：改判为“{verdict}”", "{finding}: verdict changed to “{verdict}”"),
    "labels.verdict.flagged": ("有问题", "problem found"),
    "labels.verdict.clear": ("无问题", "no problem"),
    "labels.verdict.confirmed": ("确认问题", "confirmed"),
    "labels.verdict.rejected": ("不成立", "rejected"),
    "labels.verdict.unclear": ("待查", "unclear"),
    "labels.walk.why_default": ("入户核查", "household review"),
})

# quality checks (the sheets of quality.xlsx): the zh word is ingest's sheet title
_CHECK_EN = {"duplicates": "Duplicate submissions", "duration": "Interview length", "outliers": "Unusual values",
             "missingness": "Missing answers", "dont_know": "Don't know / refused", "other_specify": "“Other” answers",
             "form_versions": "Form versions", "gps": "GPS location", "start_end": "Start after end",
             "field_period": "Dates outside the field period", "devices": "Devices used by several people",
             "enumerators": "Per interviewer"}
MESSAGES.update({f"labels.check.{k}": (_INGEST[f"ingest.check.{k}"][0], en) for k, en in _CHECK_EN.items()})
