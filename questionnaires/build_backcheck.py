"""Build the back-check questionnaire (复核问卷): toolkit/questionnaires/backcheck.xlsx.

Run:  .venv/bin/python questionnaires/build_backcheck.py [OUT_DIR]   (build.py calls it too)

A short (about 10 minutes) independent re-interview of a household already
visited, by phone or in person, by a back-checker who is never the original
interviewer. The back-checker never sees the original answers (the preload
carries who and where, not what was answered).

Each compared item declares, in the form's own columns (ignored by ODK and
Kobo, read by ``toolkit.backcheck.spec`` through ``toolkit.forms``):

* ``bc_type``: 1 must not differ (an interviewer error), 2 may differ
  (respondent or form problem), 3 stability over time;
* ``bc_tolerance``: for numbers, ``500`` (yuan or persons, absolute) and/or
  ``20%`` (relative to the original answer), e.g. ``500 or 20%`` = the larger;
* ``bc_compare``: the household visit's column it is compared with (blank:
  the same name); ``_derived`` columns are computed from the visit by
  ``toolkit.backcheck.pairs``.
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from build import COMMON_CHOICES, MONEY, Sheet, write, yes_no  # noqa: E402

BC_COLUMNS = ("bc_type", "bc_tolerance", "bc_compare")


def _bc(sheet: Sheet, type_: int, tolerance: str = "", compare: str = "") -> None:
    """Mark the last added row as compared (see the module doc)."""
    sheet.rows[-1].update({"bc_type": str(type_), "bc_tolerance": tolerance, "bc_compare": compare})


def backcheck() -> tuple[list[dict[str, str]], list[tuple[str, str, str, str]], dict[str, str]]:
    """复核问卷: control, reach, the items that decide findings, G1."""
    s = Sheet()
    s.add("start", "start")
    s.add("end", "end")
    s.add("today", "today")
    s.add("deviceid", "deviceid")

    s.begin("group", "sec_r0", "R0. 复核信息", "R0. Back-check control")
    s.add("text", "archive_id", "R01. 档案编号", "R01. Archive ID", required=True,
          constraint="regex(., '^[A-Za-z0-9-]{4,32}$')",
          msg=("档案编号为 4–32 位字母、数字或连字符", "4–32 letters, digits or hyphens"),
          hint=("抄录复核名单上的档案编号", "Copy it from the back-check list"))
    s.add("text", "backchecker", "R02. 复核员编号", "R02. Back-checker ID", required=True,
          constraint="regex(., '^[A-Za-z0-9]{2,12}$')", msg=("复核员编号为 2–12 位字母或数字", "2–12 letters or digits"))
    s.add("select_one bc_mode", "bc_mode", "R03. 复核方式", "R03. Mode", required=True)
    s.add("select_one bc_reach", "bc_reach", "R04. 联系结果", "R04. Contact result", required=True)
    yes_no(s, "R05", "household_there", "该户是否确实居住在名单所列地址（或确系此电话的住户）？",
           "Does this household really live at the listed address (or answer this phone)?",
           relevant="${bc_reach} = 'reached' or ${bc_reach} = 'refused'")
    _bc(s, 1, compare="household_there_derived")
    yes_no(s, "R06", "bc_consent", "说明这是质量复核后，受访者是否同意回答几个问题（约 10 分钟）？",
           "After explaining this is a quality check, does the respondent agree to a few questions (about 10 minutes)?",
           relevant="${bc_reach} = 'reached'")
    s.end("group")

    ok = "${bc_consent} = 'yes'"
    s.begin("group", "sec_r1", "R1. 访问核实", "R1. Was the visit made?", relevant=ok)
    s.add("select_one yes_no_unsure", "visited_confirmed", "R11. 最近一个月内，是否有评估访员上门（或来电）访问过您家？",
          "R11. In the last month, did an evaluation interviewer visit (or call) your household?", required=True)
    _bc(s, 1, compare="visited_derived")
    s.end("group")

    s.begin("group", "sec_r2", "R2. 家庭与收入", "R2. Household and income", relevant=ok)
    s.add("integer", "hh_size", "R21. 目前家庭共同生活人口（人）", "R21. People living in the household now",
          required=True, constraint=". >= 1 and . <= 20", msg=("应在 1 到 20 之间", "Must be 1–20"))
    _bc(s, 1, compare="members_n")
    s.add("integer", "members_working", "R22. 其中目前在岗或灵活就业的人数", "R22. Of them, how many work now (incl. casual work)?",
          required=True, constraint=". >= 0 and . <= ${hh_size}", msg=("不能超过家庭人口", "Cannot exceed household size"))
    _bc(s, 1, compare="members_working_derived")
    yes_no(s, "R23", "serious_illness", "是否有家庭成员患重特大疾病？", "Does a member have a serious illness?")
    _bc(s, 2)
    yes_no(s, "R24", "disabled", "是否有家庭成员残疾？", "Is a member disabled?")
    _bc(s, 2)
    s.add("integer", "school_children", "R25. 在读子女人数", "R25. Children in school", required=True,
          constraint=". >= 0 and . <= 10", msg=("应在 0 到 10 之间", "Must be 0–10"))
    _bc(s, 1)
    s.add("integer", "homes_owned", "R26. 家庭拥有的住房套数", "R26. Homes owned by the household", required=True,
          constraint=". >= 0 and . <= 20", msg=("应在 0 到 20 之间", "Must be 0–20"))
    _bc(s, 1)
    yes_no(s, "R27", "car", "家庭是否拥有私家车？", "Does the household own a private car?")
    _bc(s, 1)
    yes_no(s, "R28", "shop_employer", "是否经营店铺、企业或雇用他人？", "Does the household own a shop/business or employ others?")
    _bc(s, 2)
    incomes = [("R29", "inc_wage", "工资性收入（含灵活就业）", "Wages (incl. casual work)"),
               ("R30", "inc_pension", "养老金、退休金", "Pensions"),
               ("R31", "inc_transfer", "低保金、救助金等政府转移性收入", "Government transfers"),
               ("R32", "inc_other", "赡养费、亲友资助及其他收入", "Support from relatives and other income")]
    for code, name, zh, en in incomes:
        s.add("decimal", name, f"{code}. 过去 12 个月{zh}（元/年）", f"{code}. {en}, last 12 months (yuan/year)",
              required=True, constraint=MONEY[0], msg=MONEY[1], hint=("没有填 0", "Enter 0 if none"))
        _bc(s, 2, "1000 or 20%")
    rigid = [("R33", "exp_medical", "自付医疗费用", "Out-of-pocket medical costs"),
             ("R34", "exp_school", "子女上学刚性支出", "Children's schooling (rigid costs)")]
    for code, name, zh, en in rigid:
        s.add("decimal", name, f"{code}. 过去 12 个月{zh}（元/年）", f"{code}. {en}, last 12 months (yuan/year)",
              required=True, constraint=MONEY[0], msg=MONEY[1], hint=("没有填 0", "Enter 0 if none"))
        _bc(s, 2, "1000 or 20%")
    s.end("group")

    s.begin("group", "sec_r3", "R3. 帮扶情况", "R3. Help received", relevant=ok)
    yes_no(s, "R41", "helper_known", "您是否知道您家的帮扶责任人是谁？", "Do you know who your assigned helper is?")
    _bc(s, 1)
    yes_no(s, "R42", "helper_contact_6m", "最近 6 个月帮扶责任人是否上门或联系过您家？",
           "Has the helper visited or contacted you in the last 6 months?", relevant="${helper_known} = 'yes'")
    _bc(s, 2)
    s.begin("repeat", "payment", "R43. 台账帮扶款（按复核名单逐笔询问）",
            "R43. Ledger payments (ask each one on the back-check list)")
    s.add("select_one help_item", "pay_item", "R43a. 帮扶项目", "R43a. Help item", required=True)
    s.add("integer", "pay_year", "R43b. 发放年份", "R43b. Year paid", required=True,
          constraint=". >= 2010 and . <= 2035", msg=("年份应在 2010 到 2035 之间", "Year must be 2010–2035"))
    s.add("select_one received", "pay_received", "R43c. 您家是否收到这笔款项？", "R43c. Did the household receive it?",
          required=True)
    _bc(s, 1)
    s.end("repeat")
    s.end("group")

    s.begin("group", "sec_r4", "R4. 满意度", "R4. Satisfaction", relevant=ok)
    s.add("select_one sat5", "sat_overall", "R51. 您对工会帮扶工作总体满意吗？",
          "R51. Overall, how satisfied are you with the union's help?", required=True,
          hint=("读出选项 1–5；8、9 不读出", "Read options 1–5; do not read 8 and 9"))
    _bc(s, 3)
    s.add("text", "bc_notes", "R52. 复核员备注", "R52. Back-checker's notes")
    s.end("group")

    choices = COMMON_CHOICES + [
        ("bc_mode", "phone", "电话复核", "By phone"), ("bc_mode", "visit", "上门复核", "In person"),
        ("bc_reach", "reached", "联系上本户", "Reached the household"),
        ("bc_reach", "not_reached", "多次联系未果", "Not reached after several tries"),
        ("bc_reach", "refused", "拒绝复核", "Refused the back-check"),
        ("bc_reach", "not_exist", "查无此户（空号、地址无此户）", "No such household (dead number, nobody at the address)"),
        ("received", "full", "全额收到", "Received in full"), ("received", "partial", "部分收到", "Received in part"),
        ("received", "none", "没有收到", "Not received"), ("received", "unsure", "记不清", "Cannot recall"),
    ]
    settings = {"form_title": "困难职工帮扶入户复核问卷", "form_id": "backcheck", "version": "2026113001",
                "default_language": "中文 (zh)", "instance_name": "concat('BC-', ${archive_id})"}
    return s.rows, choices, settings


def main(out_dir: Path) -> Path:
    """Write backcheck.xlsx into ``out_dir``; return its path."""
    path = out_dir / "backcheck.xlsx"
    write(path, *backcheck(), extra_columns=BC_COLUMNS)
    return path


if __name__ == "__main__":
    print("wrote", main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "toolkit" / "questionnaires"))
