"""Build the shipped XLSForms from this script, so every item is reviewable in one place.

Run:  .venv/bin/python questionnaires/build.py   (writes toolkit/questionnaires/household_visit.xlsx and satisfaction.xlsx, shipped as package data)

Labels are Chinese first (``label::中文 (zh)``), English second. Question
labels start with their paper code (A1, B2 ...): the paper render uses the
codes in skip instructions ("若 A8 选“否”，跳至 H1"). questionnaires/README.md
says what each item is for and which indicator uses it.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Font, PatternFill

HERE = Path(__file__).resolve().parent
ZH, EN = "中文 (zh)", "English (en)"
SURVEY_COLUMNS = [
    "type", "name", f"label::{ZH}", f"label::{EN}", f"hint::{ZH}", f"hint::{EN}", "required",
    f"required_message::{ZH}", f"required_message::{EN}", "relevant", "constraint",
    f"constraint_message::{ZH}", f"constraint_message::{EN}", "calculation", "default",
    "choice_filter", "appearance", "read_only", "repeat_count", "parameters",
    "min_seconds",   # paradata: fewest seconds an item can honestly take (toolkit.ingest.paradata)
]
CHOICE_COLUMNS = ["list_name", "name", f"label::{ZH}", f"label::{EN}"]
REQ_MSG = ("此题必答", "This question is required")
MONEY_MAX = 10_000_000


class Sheet:
    """Rows of a survey sheet under construction."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    def add(self, type_: str, name: str = "", zh: str = "", en: str = "", *, hint: tuple[str, str] = ("", ""),
            required: bool = False, relevant: str = "", constraint: str = "",
            msg: tuple[str, str] = ("", ""), calculation: str = "", default: str = "",
            appearance: str = "", repeat_count: str = "", choice_filter: str = "",
            parameters: str = "", min_seconds: str = "") -> None:
        row = {"min_seconds": min_seconds, "type": type_, "name": name, f"label::{ZH}": zh, f"label::{EN}": en,
               f"hint::{ZH}": hint[0], f"hint::{EN}": hint[1], "relevant": relevant,
               "constraint": constraint, f"constraint_message::{ZH}": msg[0],
               f"constraint_message::{EN}": msg[1], "calculation": calculation, "default": default,
               "appearance": appearance, "repeat_count": repeat_count, "choice_filter": choice_filter,
               "parameters": parameters}
        if required:
            row.update({"required": "yes", f"required_message::{ZH}": REQ_MSG[0],
                        f"required_message::{EN}": REQ_MSG[1]})
        self.rows.append(row)

    def begin(self, kind: str, name: str, zh: str, en: str, relevant: str = "", appearance: str = "") -> None:
        self.add(f"begin {kind}", name, zh, en, relevant=relevant, appearance=appearance)

    def end(self, kind: str) -> None:
        self.add(f"end {kind}")

    def check(self, code: str, name: str, zh: str, en: str, actual_type: str,
              actual_constraint: str = "", msg: tuple[str, str] = ("", ""), relevant: str = "") -> None:
        """An archive-check pair: same/different, then the actual value when different."""
        self.add("select_one same_diff", f"{name}_check", f"{code}. {zh}：与档案是否一致？",
                 f"{code}. {en}: same as the archive?", required=True, relevant=relevant,
                 hint=("请对照随身携带的档案摘要", "Compare with the archive extract you carry"))
        self.add(actual_type, f"{name}_actual", f"{code}a. {zh}：实际情况", f"{code}a. {en}: actual value",
                 required=True, relevant=f"${{{name}_check}} = 'different'",
                 constraint=actual_constraint, msg=msg)


def yes_no(sheet: Sheet, code: str, name: str, zh: str, en: str, **kw: object) -> None:
    sheet.add("select_one yes_no", name, f"{code}. {zh}", f"{code}. {en}", required=True, **kw)  # type: ignore[arg-type]


MONEY = (f". >= 0 and . < {MONEY_MAX}", ("金额应在 0 到 1000 万元之间", "Amount must be between 0 and 10 million yuan"))

COMMON_CHOICES: list[tuple[str, str, str, str]] = [
    ("yes_no", "yes", "是", "Yes"), ("yes_no", "no", "否", "No"),
    ("yes_no_unsure", "yes", "是", "Yes"), ("yes_no_unsure", "no", "否", "No"),
    ("yes_no_unsure", "unsure", "无法判断", "Cannot tell"),
    ("same_diff", "same", "一致", "Same"), ("same_diff", "different", "不一致", "Different"),
    ("same_diff", "unknown", "无法核实", "Cannot verify"),
    ("sample_type", "in_roster", "在档困难职工户", "Household in the roster"),
    ("sample_type", "exited", "已脱困户", "Exited household"),
    ("sample_type", "cancelled", "已注销户", "Cancelled record"),
    ("sample_type", "non_registered", "非建档对照户", "Non-registered comparison household"),
    ("respondent", "head", "户主本人", "Household head"), ("respondent", "spouse", "配偶", "Spouse"),
    ("respondent", "adult", "其他成年家庭成员", "Other adult member"), ("respondent", "other", "其他人", "Someone else"),
    ("sat5", "5", "非常满意", "Very satisfied"), ("sat5", "4", "满意", "Satisfied"),
    ("sat5", "3", "一般", "Neutral"), ("sat5", "2", "不满意", "Dissatisfied"),
    ("sat5", "1", "非常不满意", "Very dissatisfied"), ("sat5", "8", "不知道/说不清", "Don't know"),
    ("sat5", "9", "拒绝回答", "Refused"),
    ("help_item", "living", "生活救助", "Living aid"), ("help_item", "school", "金秋助学", "School aid (Golden Autumn)"),
    ("help_item", "medical", "医疗救助", "Medical aid"), ("help_item", "jobs", "就业创业帮扶", "Job / start-up help"),
    ("help_item", "festival", "送温暖", "Festival visit (Song Wennuan)"),
    ("help_item", "insurance", "职工互助保险", "Workers' mutual insurance"),
    ("help_item", "other", "其他帮扶", "Other help"),
]


def household_visit() -> tuple[list[dict[str, str]], list[tuple[str, str, str, str]], dict[str, str]]:
    """入户核查表: outline A–H of DOMAIN.md."""
    s = Sheet()
    s.add("start", "start")
    s.add("end", "end")
    s.add("today", "today")
    s.add("deviceid", "deviceid")
    s.add("audit", "audit", parameters="track-changes=true")   # paradata: time per question, changes

    # A control
    s.begin("group", "sec_a", "A. 基本信息", "A. Control")
    s.add("text", "archive_id", "A1. 档案编号", "A1. Archive ID", required=True,
          constraint="regex(., '^[A-Za-z0-9-]{4,32}$')",
          msg=("档案编号为 4–32 位字母、数字或连字符", "4–32 letters, digits or hyphens"),
          hint=("抄录访问名单上的档案编号", "Copy it from the visit list"))
    s.add("text", "county_code", "A2. 区县代码", "A2. County code", required=True,
          constraint="regex(., '^[0-9]{6}$')", msg=("区县代码为 6 位数字", "A county code has 6 digits"))
    s.add("text", "township", "A3. 乡镇（街道）", "A3. Township (street)", required=True)
    s.add("select_one sample_type", "sample_type", "A4. 样本类型", "A4. Sample type", required=True,
          hint=("按访问名单填写", "As printed on the visit list"))
    s.add("text", "interviewer_1", "A5. 访员 1 编号", "A5. Interviewer 1 ID", required=True,
          constraint="regex(., '^[A-Za-z0-9]{2,12}$')", msg=("访员编号为 2–12 位字母或数字", "2–12 letters or digits"))
    s.add("text", "interviewer_2", "A6. 访员 2 编号", "A6. Interviewer 2 ID", required=True,
          constraint=". != ${interviewer_1} and regex(., '^[A-Za-z0-9]{2,12}$')",
          msg=("两名访员编号不能相同", "The two interviewers must differ"))
    s.add("select_one visit_result", "visit_result", "A7. 访问结果", "A7. Visit result", required=True)
    yes_no(s, "A8", "consent", "向受访者宣读知情同意书后，受访者是否同意接受访问？",
           "After reading the consent statement, does the respondent agree to the interview?",
           relevant="${visit_result} = 'met'")
    s.add("select_one respondent", "respondent_type", "A9. 受访者身份", "A9. Respondent", required=True,
          relevant="${consent} = 'yes'")
    s.end("group")

    ok = "${consent} = 'yes'"
    # B archive check
    s.begin("group", "sec_b", "B. 档案信息核对", "B. Archive check", relevant=ok)
    s.check("B1", "hh_size", "家庭人口数", "Household size", "integer", ". >= 1 and . <= 20",
            ("家庭人口应在 1 到 20 之间", "Household size must be 1–20"))
    s.check("B2", "category", "困难类别", "Hardship category", "select_one category")
    s.check("B3", "head_work", "户主就业状况", "Work status of the head", "select_one work_status")
    s.check("B4", "main_cause", "主要致困原因", "Main cause of hardship", "select_one cause")
    s.check("B5", "housing", "住房类型", "Housing type", "select_one housing")
    s.check("B6", "address", "居住地址", "Address", "text")
    s.check("B7", "health", "家庭成员健康与残疾情况", "Health and disability of members", "text")
    yes_no(s, "B8", "plan_in_archive", "（访员查阅档案）档案中是否记录了针对本户的帮扶计划或措施？",
           "(Interviewer, from the archive) Does the archive record a help plan for this household?")
    s.end("group")

    # C members, incomes and rigid expenditures
    s.begin("group", "sec_c", "C. 家庭成员、收入与刚性支出（过去 12 个月）",
            "C. Members, income and rigid expenditure (last 12 months)", relevant=ok)
    s.begin("repeat", "member", "C1. 家庭成员（每人一份）", "C1. Household members (one entry each)")
    s.add("text", "m_label", "C1a. 称呼（如“户主”“妻子”，不记姓名）", "C1a. How to call them (e.g. 'head', no name)",
          required=True)
    s.add("select_one relation", "m_relation", "C1b. 与户主关系", "C1b. Relation to the head", required=True)
    s.add("select_one sex", "m_sex", "C1c. 性别", "C1c. Sex", required=True)
    s.add("integer", "m_age", "C1d. 年龄（周岁）", "C1d. Age (years)", required=True,
          constraint=". >= 0 and . <= 110", msg=("年龄应在 0 到 110 之间", "Age must be 0–110"))
    s.add("select_one work_status", "m_work", "C1e. 就业状况", "C1e. Work status", required=True,
          relevant="${m_age} >= 16")
    s.add("select_one yes_no", "m_able", "C1f. 是否有劳动能力", "C1f. Able to work?", required=True,
          relevant="${m_age} >= 16 and ${m_age} < 60")
    s.add("calculate", "m_jobless_able", calculation=(
        "if(${m_age} >= 16 and ${m_age} < 60 and ${m_able} = 'yes' and "
        "(${m_work} = 'laid_off' or ${m_work} = 'unemployed'), 1, 0)"))
    s.end("repeat")
    s.add("calculate", "members_n", calculation="count(${m_age})")
    s.add("calculate", "jobless_able_n", calculation="sum(${m_jobless_able})")
    s.add("note", "c_members_note", "C2. 已登记 ${members_n} 名家庭成员，其中有劳动能力未就业 ${jobless_able_n} 人。",
          "C2. ${members_n} members recorded; ${jobless_able_n} able-bodied and jobless.")
    incomes = [
        ("C3", "inc_wage", "工资性收入（含灵活就业）", "Wages (incl. casual work)"),
        ("C4", "inc_pension", "养老金、退休金", "Pensions"),
        ("C5", "inc_business", "经营、种养殖净收入", "Net business / farming income"),
        ("C6", "inc_property", "财产性收入（租金、利息等）", "Property income (rent, interest)"),
        ("C7", "inc_transfer", "低保金、救助金等政府转移性收入", "Government transfers (dibao, assistance)"),
        ("C8", "inc_union", "工会帮扶资金（计入收入）", "Union aid received (counts as income)"),
        ("C9", "inc_other", "赡养费、亲友资助及其他收入", "Support from relatives and other income"),
    ]
    for code, name, zh, en in incomes:
        s.add("decimal", name, f"{code}. {zh}（元/年）", f"{code}. {en} (yuan/year)", required=True,
              constraint=MONEY[0], msg=MONEY[1], hint=("没有填 0", "Enter 0 if none"), min_seconds="4")
    rigid = [
        ("C10", "exp_medical", "自付医疗费用（患病）", "Out-of-pocket medical costs (illness)"),
        ("C11", "exp_disability", "残疾康复、护理支出", "Disability rehabilitation and care"),
        ("C12", "exp_school", "子女上学刚性支出", "Children's schooling (rigid costs)"),
    ]
    for code, name, zh, en in rigid:
        s.add("decimal", name, f"{code}. {zh}（元/年）", f"{code}. {en} (yuan/year)", required=True,
              constraint=MONEY[0], msg=MONEY[1], hint=("没有填 0", "Enter 0 if none"), min_seconds="4")
    s.add("calculate", "income_total", calculation=" + ".join(f"${{{n}}}" for _, n, _, _ in incomes))
    s.add("calculate", "rigid_total", calculation=" + ".join(f"${{{n}}}" for _, n, _, _ in rigid))
    s.add("calculate", "net_pc_month",
          calculation="round((${income_total} - ${rigid_total}) div ${members_n} div 12, 2)")
    s.add("note", "c_net_note", "C13. 核算家庭人均月收入：${net_pc_month} 元（未计入无业劳动力的最低工资折算）。",
          "C13. Net income per person per month: ${net_pc_month} yuan (before minimum-wage imputation).")
    s.end("group")

    # D conditions and exclusions
    s.begin("group", "sec_d", "D. 家庭状况", "D. Household conditions", relevant=ok)
    s.add("select_multiple medical_cover", "medical_cover", "D1. 家庭成员参加的医疗保障（可多选）",
          "D1. Medical cover of the members (all that apply)", required=True,
          constraint="not(selected(., 'none') and count-selected(.) > 1)",
          msg=("“无”不能与其他选项同选", "'None' cannot be combined with others"))
    yes_no(s, "D2", "serious_illness", "是否有家庭成员患重特大疾病？", "Does a member have a serious illness?")
    yes_no(s, "D3", "disabled", "是否有家庭成员残疾？", "Is a member disabled?")
    s.add("integer", "school_children", "D4. 在读子女人数", "D4. Children in school", required=True,
          constraint=". >= 0 and . <= 10", msg=("应在 0 到 10 之间", "Must be 0–10"))
    yes_no(s, "D5", "private_school", "是否有子女就读高收费私立学校或自费出国留学？",
           "Is a child in a high-fee private school or self-funded study abroad?",
           relevant="${school_children} > 0")
    s.add("select_one housing", "housing_now", "D6. 现住房类型", "D6. Current housing", required=True)
    s.add("integer", "homes_owned", "D7. 家庭拥有的住房套数", "D7. Homes owned by the household", required=True,
          constraint=". >= 0 and . <= 20", msg=("应在 0 到 20 之间", "Must be 0–20"))
    yes_no(s, "D8", "shop_employer", "是否经营店铺、企业或雇用他人？", "Does the household own a shop/business or employ others?")
    yes_no(s, "D9", "car", "家庭是否拥有私家车？", "Does the household own a private car?")
    yes_no(s, "D10", "car_nonwork", "该车是否用于非工作用途（如家庭出行）？", "Is the car used for non-work purposes?",
           relevant="${car} = 'yes'")
    s.add("calculate", "exclusion_any", calculation=(
        "if(${homes_owned} >= 2 or ${shop_employer} = 'yes' or ${private_school} = 'yes' "
        "or ${car_nonwork} = 'yes', 1, 0)"))
    s.end("group")

    # E help received
    s.begin("group", "sec_e", "E. 帮扶情况", "E. Help received", relevant=ok)
    s.add("select_multiple help_item_none", "help_items", "E1. 过去 12 个月收到过哪些帮扶？（可多选）",
          "E1. Which help did you receive in the last 12 months? (all that apply)", required=True,
          constraint="not(selected(., 'none') and count-selected(.) > 1)",
          msg=("“没有收到”不能与其他选项同选", "'None' cannot be combined with others"))
    s.add("select_one yes_no", "main_cause_confirmed", "E2. 受访者认为家庭的主要困难原因与档案记录一致吗？",
          "E2. Does the respondent confirm the main cause of hardship recorded in the archive?", required=True)
    yes_no(s, "E3", "plan_discussed", "是否有人与您家商量过帮扶计划或措施？",
           "Has anyone discussed a help plan with your household?")
    yes_no(s, "E4", "helper_known", "您是否知道您家的帮扶责任人是谁？", "Do you know who your assigned helper is?")
    s.add("select_one same_diff", "helper_match", "E5. 受访者说出的帮扶责任人与档案是否一致？",
          "E5. Is the helper named by the respondent the one in the archive?", required=True,
          relevant="${helper_known} = 'yes'")
    yes_no(s, "E6", "helper_contact_6m", "最近 6 个月帮扶责任人是否上门或联系过您家？",
           "Has the helper visited or contacted you in the last 6 months?", relevant="${helper_known} = 'yes'")
    s.add("integer", "helper_visits_6m", "E7. 最近 6 个月联系或上门次数", "E7. Contacts or visits in the last 6 months",
          required=True, relevant="${helper_contact_6m} = 'yes'", constraint=". >= 1 and . <= 60",
          msg=("应在 1 到 60 之间", "Must be 1–60"))
    s.begin("repeat", "payment", "E8. 台账帮扶款核对（每笔一份，按访问名单所列逐笔核对）",
            "E8. Ledger payments checked (one entry per payment on the visit list)")
    s.add("select_one help_item", "pay_item", "E8a. 帮扶项目", "E8a. Help item", required=True)
    s.add("integer", "pay_year", "E8b. 发放年份", "E8b. Year paid", required=True,
          constraint=". >= 2010 and . <= 2035", msg=("年份应在 2010 到 2035 之间", "Year must be 2010–2035"))
    s.add("decimal", "pay_ledger_amount", "E8c. 台账金额（元）", "E8c. Amount in the ledger (yuan)", required=True,
          constraint=". > 0 and . < 1000000", msg=("金额应大于 0 且小于 100 万元", "Must be above 0 and below 1 million"))
    s.add("select_one received", "pay_received", "E8d. 受访户是否收到这笔款项？", "E8d. Did the household receive it?",
          required=True)
    s.add("decimal", "pay_amount_received", "E8e. 实际收到金额（元）", "E8e. Amount actually received (yuan)",
          required=True, relevant="${pay_received} = 'partial'",
          constraint=". > 0 and . < ${pay_ledger_amount}",
          msg=("部分收到时金额应大于 0 且小于台账金额", "A partial amount is above 0 and below the ledger amount"))
    s.add("calculate", "pay_amount_effective", calculation=(
        "if(${pay_received} = 'full', ${pay_ledger_amount}, "
        "if(${pay_received} = 'partial', ${pay_amount_received}, if(${pay_received} = 'none', 0, '')))"))
    s.end("repeat")
    s.add("calculate", "payments_n", calculation="count(${pay_item})")
    s.end("group")

    # F outcomes
    s.begin("group", "sec_f", "F. 帮扶成效", "F. Outcomes", relevant=ok)
    s.add("select_one change", "situation_change", "F1. 与建档时相比，家庭生活状况有何变化？",
          "F1. Compared with registration, how has the household's situation changed?", required=True)
    s.add("select_one stability", "income_stability", "F2. 最近 6 个月家庭收入是否稳定？",
          "F2. Was household income stable over the last 6 months?", required=True)
    s.add("integer", "months_above_line", "F3. 最近 6 个月中，有几个月家庭人均收入高于当地低保标准？",
          "F3. In how many of the last 6 months was income per person above the local dibao line?",
          required=True, constraint=". >= 0 and . <= 6", msg=("应在 0 到 6 之间", "Must be 0–6"))
    yes_no(s, "F4", "exit_informed", "您家是否被告知已脱困并经过您家确认？",
           "Was the household told of, and did it agree to, the exit decision?",
           relevant="${sample_type} = 'exited'")
    s.add("select_multiple needs", "needs_now", "F5. 目前最需要的帮扶（可多选）", "F5. Help most needed now (all that apply)",
          required=True, constraint="not(selected(., 'none') and count-selected(.) > 1)",
          msg=("“不需要”不能与其他选项同选", "'None' cannot be combined with others"))
    s.end("group")

    # G satisfaction
    s.begin("group", "sec_g", "G. 满意度", "G. Satisfaction", relevant=ok)
    sat = [
        ("G1", "sat_overall", "您对工会帮扶工作总体满意吗？", "Overall, how satisfied are you with the union's help?", ""),
        ("G2", "sat_fairness", "您对困难职工认定（评定）的公平性满意吗？",
         "How satisfied are you with the fairness of hardship identification?", ""),
        ("G3", "sat_exit", "您对本户脱困认定满意吗？", "How satisfied are you with the exit decision for your household?",
         "${sample_type} = 'exited'"),
        ("G4", "sat_cadres", "您对工会干部的工作作风满意吗？", "How satisfied are you with the union cadres' conduct?", ""),
    ]
    for code, name, zh, en, rel in sat:
        s.add("select_one sat5", name, f"{code}. {zh}", f"{code}. {en}", required=True, relevant=rel,
              appearance="", hint=("读出选项 1–5；8、9 不读出", "Read options 1–5; do not read 8 and 9"))
    s.end("group")

    # H verdict
    s.begin("group", "sec_h", "H. 访员判定与佐证", "H. Interviewer verdict and evidence")
    s.add("select_one eligibility", "verdict_eligible", "H1. 访员判定：本户是否符合困难职工建档标准？",
          "H1. Verdict: does the household meet the hardship criteria?", required=True, relevant=ok,
          min_seconds="5")
    s.add("select_one yes_no_unsure", "verdict_exit_wrong", "H2. 本户是否属于“不应脱困却被认定脱困”？",
          "H2. Was this household exited although still in hardship?", required=True,
          relevant=f"{ok} and ${{sample_type}} = 'exited'", min_seconds="5")
    s.add("select_one yes_no_unsure", "verdict_should_exit", "H3. 本户是否已达到脱困标准但仍在档？",
          "H3. Does this household already meet the exit rule while still in the roster?", required=True,
          relevant=f"{ok} and ${{sample_type}} = 'in_roster'", min_seconds="5")
    s.add("select_multiple evidence", "evidence", "H4. 判定依据（可多选）", "H4. Evidence seen (all that apply)",
          required=True, relevant=ok)
    s.add("image", "evidence_photo", "H5. 佐证照片（不拍人脸与证件号码）", "H5. Evidence photo (no faces or ID numbers)",
          parameters="max-pixels=1600")
    s.add("geopoint", "location", "H6. 访问地点", "H6. Visit location")
    s.add("text", "notes", "H7. 访员备注", "H7. Interviewer notes")
    s.end("group")

    choices = COMMON_CHOICES + [
        ("visit_result", "met", "见到受访户", "Met the household"),
        ("visit_result", "absent", "多次上门无人", "Nobody home after repeated visits"),
        ("visit_result", "moved", "已搬迁", "Moved away"),
        ("visit_result", "not_found", "查无此户", "Household not found"),
        ("visit_result", "refused", "拒绝访问", "Refused"),
        ("category", "deep", "深度困难", "Deep hardship"), ("category", "relative", "相对困难", "Relative hardship"),
        ("category", "accident", "意外致困", "Hardship from accident or sudden illness"),
        ("category", "none", "不属于困难职工", "Not in hardship"),
        ("work_status", "employed", "在岗", "Employed"), ("work_status", "laid_off", "下岗", "Laid off"),
        ("work_status", "unemployed", "失业", "Unemployed"), ("work_status", "retired", "退休", "Retired"),
        ("work_status", "sick_leave", "病休", "On sick leave"), ("work_status", "migrant", "农民工/灵活就业", "Migrant / casual work"),
        ("work_status", "student", "在校学生", "Student"), ("work_status", "other", "其他", "Other"),
        ("cause", "no_capacity", "无劳动能力", "Unable to work"),
        ("cause", "able_jobless", "有劳动能力未就业", "Able to work but jobless"),
        ("cause", "laid_off", "下岗失业", "Laid off / unemployed"),
        ("cause", "no_insurance", "未参加社保", "No social insurance"),
        ("cause", "insurance_gap", "社保待遇落实不到位", "Social insurance benefits not delivered"),
        ("cause", "illness", "患重特大疾病", "Serious illness"), ("cause", "disaster", "自然灾害", "Natural disaster"),
        ("cause", "accident", "意外事故", "Accident"), ("cause", "schooling", "子女上学", "Children's schooling"),
        ("cause", "other", "其他", "Other"),
        ("housing", "own", "自有住房", "Own home"), ("housing", "public_rent", "公租房/廉租房", "Public rental"),
        ("housing", "private_rent", "租住私房", "Private rental"), ("housing", "relatives", "借住亲友家", "With relatives"),
        ("housing", "dorm", "单位宿舍", "Employer dormitory"), ("housing", "other", "其他", "Other"),
        ("relation", "head", "户主", "Head"), ("relation", "spouse", "配偶", "Spouse"), ("relation", "child", "子女", "Child"),
        ("relation", "parent", "父母", "Parent"), ("relation", "grandchild", "孙子女", "Grandchild"),
        ("relation", "other", "其他", "Other"),
        ("sex", "1", "男", "Male"), ("sex", "2", "女", "Female"),
        ("medical_cover", "employee", "职工基本医疗保险", "Employee medical insurance"),
        ("medical_cover", "resident", "城乡居民医疗保险", "Resident medical insurance"),
        ("medical_cover", "critical", "大病保险", "Critical-illness insurance"),
        ("medical_cover", "mutual", "职工互助保险", "Workers' mutual insurance"),
        ("medical_cover", "none", "无", "None"),
        ("received", "full", "全额收到", "Received in full"), ("received", "partial", "部分收到", "Received in part"),
        ("received", "none", "没有收到", "Not received"), ("received", "unsure", "记不清", "Cannot recall"),
        ("change", "much_better", "明显改善", "Much better"), ("change", "better", "有所改善", "Better"),
        ("change", "same", "没有变化", "No change"), ("change", "worse", "有所变差", "Worse"),
        ("change", "much_worse", "明显变差", "Much worse"),
        ("stability", "stable", "稳定", "Stable"), ("stability", "unstable", "时有时无", "Irregular"),
        ("stability", "falling", "持续下降", "Falling"),
        ("needs", "jobs", "就业", "Jobs"), ("needs", "medical", "医疗", "Medical care"), ("needs", "school", "子女上学", "Schooling"),
        ("needs", "living", "基本生活", "Basic living"), ("needs", "housing", "住房", "Housing"),
        ("needs", "none", "不需要", "None"),
        ("eligibility", "meets", "符合", "Meets the criteria"), ("eligibility", "income_above", "不符合：收入超标", "No: income above the line"),
        ("eligibility", "excluded", "不符合：有排除情形", "No: an exclusion applies"),
        ("eligibility", "unsure", "无法判断", "Cannot tell"),
        ("evidence", "income_docs", "收入证明", "Income documents"), ("evidence", "bank", "银行流水/存折", "Bank records"),
        ("evidence", "medical_docs", "医疗票据", "Medical bills"), ("evidence", "observation", "实地观察", "Observation"),
        ("evidence", "neighbours", "邻里访谈", "Neighbours"), ("evidence", "cadres", "社区/工会干部", "Community / union cadres"),
        ("evidence", "none", "无", "None"),
    ] + [("help_item_none",) + c[1:] for c in COMMON_CHOICES if c[0] == "help_item"] + [
        ("help_item_none", "none", "没有收到任何帮扶", "No help received")]
    settings = {"form_title": "困难职工帮扶入户核查表", "form_id": "household_visit", "version": "2026050101",
                "default_language": ZH, "instance_name": "concat('HV-', ${archive_id})"}
    return s.rows, choices, settings


def satisfaction() -> tuple[list[dict[str, str]], list[tuple[str, str, str, str]], dict[str, str]]:
    """满意度问卷: 5-point items, one reverse-worded, with don't-know (8) and refuse (9)."""
    s = Sheet()
    s.add("start", "start")
    s.add("end", "end")
    s.add("today", "today")
    s.begin("group", "sec_s0", "S0. 基本信息", "S0. Control")
    s.add("text", "archive_id", "S01. 档案编号", "S01. Archive ID", required=True,
          constraint="regex(., '^[A-Za-z0-9-]{4,32}$')", msg=("档案编号为 4–32 位字母、数字或连字符", "4–32 letters, digits or hyphens"))
    s.add("text", "county_code", "S02. 区县代码", "S02. County code", required=True,
          constraint="regex(., '^[0-9]{6}$')", msg=("区县代码为 6 位数字", "A county code has 6 digits"))
    s.add("select_one sample_type", "sample_type", "S03. 样本类型", "S03. Sample type", required=True)
    s.add("text", "interviewer_1", "S04. 访员编号", "S04. Interviewer ID", required=True)
    s.add("select_one respondent", "respondent_type", "S05. 受访者身份", "S05. Respondent", required=True)
    yes_no(s, "S06", "consent", "受访者是否同意回答满意度问题？", "Does the respondent agree to answer?")
    s.end("group")
    ok = "${consent} = 'yes'"
    hint = ("读出 1–5 选项；8、9 不读出", "Read options 1–5; do not read 8 and 9")
    s.begin("group", "sec_s1", "S1. 满意度", "S1. Satisfaction", relevant=ok)
    s.add("select_one sat5", "sat_overall", "S11. 您对工会帮扶工作总体满意吗？",
          "S11. Overall, how satisfied are you with the union's help?", required=True, hint=hint)
    s.add("select_multiple help_item_none", "items_received", "S12. 过去 12 个月您家收到过哪些帮扶？（可多选）",
          "S12. Which help did your household receive in the last 12 months?", required=True,
          constraint="not(selected(., 'none') and count-selected(.) > 1)",
          msg=("“没有收到”不能与其他选项同选", "'None' cannot be combined with others"))
    items = [("living", "生活救助", "living aid"), ("school", "金秋助学", "school aid"),
             ("medical", "医疗救助", "medical aid"), ("jobs", "就业创业帮扶", "job help"),
             ("festival", "送温暖慰问", "festival visits"), ("insurance", "职工互助保险", "mutual insurance")]
    for i, (code, zh, en) in enumerate(items, start=1):
        s.add("select_one sat5", f"sat_item_{code}", f"S13{chr(96 + i)}. 您对{zh}满意吗？",
              f"S13{chr(96 + i)}. How satisfied are you with the {en}?", required=True, hint=hint,
              relevant=f"selected(${{items_received}}, '{code}')")
    s.add("select_one sat5", "sat_fairness", "S14. 您对困难职工认定（评定）的公平性满意吗？",
          "S14. How satisfied are you with the fairness of hardship identification?", required=True, hint=hint)
    s.add("select_one sat5", "sat_exit", "S15. 您对本户脱困认定满意吗？",
          "S15. How satisfied are you with the exit decision for your household?", required=True, hint=hint,
          relevant="${sample_type} = 'exited'")
    s.add("select_one sat5", "sat_cadres", "S16. 您对工会干部的工作作风满意吗？",
          "S16. How satisfied are you with the union cadres' conduct?", required=True, hint=hint)
    s.add("select_one agree5", "rev_burden", "S17. “申请帮扶的手续繁琐，让人不想申请。”您是否同意这种说法？",
          "S17. 'Applying for help is so burdensome that people give up.' Do you agree?", required=True,
          hint=("反向题：同意程度越高表示评价越低，计分时反转（6 − 分值）",
                "Reverse-worded: more agreement means a worse rating; scored as 6 − value"))
    s.add("text", "comments", "S18. 您对帮扶工作还有什么意见或建议？", "S18. Any other comments or suggestions?")
    s.end("group")
    choices = COMMON_CHOICES + [
        ("agree5", "5", "非常同意", "Strongly agree"), ("agree5", "4", "同意", "Agree"),
        ("agree5", "3", "一般", "Neither"), ("agree5", "2", "不同意", "Disagree"),
        ("agree5", "1", "非常不同意", "Strongly disagree"), ("agree5", "8", "不知道/说不清", "Don't know"),
        ("agree5", "9", "拒绝回答", "Refused"),
    ] + [("help_item_none",) + c[1:] for c in COMMON_CHOICES if c[0] == "help_item"] + [
        ("help_item_none", "none", "没有收到任何帮扶", "No help received")]
    settings = {"form_title": "困难职工帮扶满意度问卷", "form_id": "satisfaction", "version": "2026050101",
                "default_language": ZH, "instance_name": "concat('SAT-', ${archive_id})"}
    return s.rows, choices, settings


def write(path: Path, rows: list[dict[str, str]], choices: list[tuple[str, str, str, str]],
          settings: dict[str, str], extra_columns: tuple[str, ...] = ()) -> None:
    """Write one XLSForm workbook (survey, choices, settings), headers bold and frozen;
    ``extra_columns``: the form's own survey columns after the standard ones."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    columns = SURVEY_COLUMNS + list(extra_columns)
    ws.append(columns)
    for r in rows:
        ws.append([r.get(c, "") or None for c in columns])
    ch = wb.create_sheet("choices")
    ch.append(CHOICE_COLUMNS)
    for c in choices:
        ch.append(list(c))
    st = wb.create_sheet("settings")
    st.append(list(settings))
    st.append(list(settings.values()))
    head = PatternFill("solid", fgColor="DDEBF7")
    for sheet in (ws, ch, st):
        sheet.freeze_panes = "A2"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = head
        for col in sheet.columns:
            width = max(len(str(c.value or "")) for c in col[:200])
            sheet.column_dimensions[col[0].column_letter].width = min(60, max(10, width + 2))
    wb.properties.creator = "fieldeval questionnaires/build.py"
    wb.save(path)


def main(out_dir: Path = HERE) -> None:
    """Write both questionnaires into ``out_dir`` (default: this folder)."""
    write(out_dir / "household_visit.xlsx", *household_visit())
    write(out_dir / "satisfaction.xlsx", *satisfaction())
    import sys

    sys.path.insert(0, str(HERE))                   # build_backcheck.py sits beside this script
    __import__("build_backcheck").main(out_dir)   # backcheck.xlsx (复核问卷)
    print(f"wrote {out_dir / 'household_visit.xlsx'} and {out_dir / 'satisfaction.xlsx'}")


if __name__ == "__main__":
    import sys

    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "toolkit" / "questionnaires")
