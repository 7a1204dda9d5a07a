"""Words of the fix list (整改清单, issue 19 item 4) and of the previous round's fixes verified."""
from __future__ import annotations

MESSAGES = {
    # statuses (the only values the status column takes)
    "fixes.status.open": ("未开始", "open"),
    "fixes.status.in_progress": ("整改中", "in progress"),
    "fixes.status.done": ("已完成", "done"),
    "fixes.status.verified": ("已核实", "verified"),
    # kinds of item
    "fixes.kind.indicator": ("指标未达标或无法判断", "indicator failed or inconclusive"),
    "fixes.kind.finding": ("核实确认的问题", "confirmed finding"),
    "fixes.kind.checklist": ("档案资料检查未达标", "document-review item not met"),
    # what, in words
    "fixes.what.indicator": ("{indicator}：估计值 {estimate}（95% 区间 {low}–{high}），标准 {threshold}，结论：{verdict}",
                             "{indicator}: estimate {estimate} (95% interval {low}–{high}), threshold {threshold}, "
                             "verdict: {verdict}"),
    "fixes.what.finding": ("{finding}：经评估人员复核后确认 {n} 户",
                           "{finding}: {n} households confirmed after the evaluators' review"),
    "fixes.what.checklist": ("{aspect} · {item}：{status}{note}", "{aspect} · {item}: {status}{note}"),
    "fixes.checklist.partly": ("部分达到", "partly met"),
    "fixes.checklist.not_met": ("未达到", "not met"),
    "fixes.no_interval": ("无区间", "no interval"),
    # columns of the workbook and the document
    "fixes.col.item_id": ("整改项编号", "Item number"),
    "fixes.col.county": ("区县", "County"),
    "fixes.col.kind": ("类别", "Kind"),
    "fixes.col.what": ("问题", "Problem"),
    "fixes.col.n_households": ("涉及户数", "Households concerned"),
    "fixes.col.households": ("涉及档案编号", "Archive numbers concerned"),
    "fixes.col.unit": ("责任单位", "Responsible unit"),
    "fixes.col.person": ("责任人（职务）", "Person in charge (role or title)"),
    "fixes.col.deadline": ("整改时限", "Deadline"),
    "fixes.col.status": ("整改状态", "Status"),
    "fixes.col.evidence": ("整改佐证材料", "Evidence of the fix"),
    "fixes.col.note": ("说明", "Note"),
    "fixes.sheet": ("整改清单", "Fix list"),
    "fixes.sheet_help": ("填写说明", "How to fill in"),
    "fixes.title": ("{name} · 整改清单（{round}）", "{name} · fix list ({round})"),
    "fixes.note": ("请为每一项填写责任单位、责任人（填职务，不填姓名）、整改时限（晚于今天的日期）和整改状态；"
                   "整改状态只能向前推进：未开始 → 整改中 → 已完成 → 已核实。整改项编号请勿修改。",
                   "For every item fill in the responsible unit, the person in charge (a role or title, never a "
                   "name), a deadline (a date after today) and the status; a status only moves forward: open → "
                   "in progress → done → verified. Do not change the item numbers."),
    "fixes.help.1": ("本清单由评估结果生成：每个未达标或无法判断的指标、每类经复核确认的问题、每个档案资料检查未达标项各为一项。",
                     "This list is generated from the evaluation's results: every indicator that failed or could "
                     "not be judged, every finding type confirmed after review, every document-review item not "
                     "met is one item."),
    "fixes.help.2": ("“涉及档案编号”是贵单位自己的档案编号，便于逐户整改；清单不含姓名、身份证号、电话和住址。",
                     "The archive numbers concerned are your own archive numbers, so that each household can be "
                     "acted on; the list holds no names, ID numbers, phones or addresses."),
    "fixes.help.3": ("整改时限写成 2027-03-31 这样的日期；整改状态从下拉列表中选择。",
                     "Write deadlines as dates like 2027-03-31; choose the status from the drop-down list."),
    "fixes.help.4": ("填好后交回评估组，由评估组用 fieldeval fixes import 读入；有错的行会逐行说明原因。",
                     "Return the filled list to the evaluation team, who read it with fieldeval fixes import; "
                     "every row with a mistake is reported with its reason."),
    "fixes.doc_intro": ("共 {n} 项整改任务，涉及 {counties} 个区县。", "{n} items to fix in {counties} counties."),
    "fixes.doc_county": ("{county}：{n} 项", "{county}: {n} items"),
    "fixes.none": ("评估结果中没有需要整改的问题。", "The results hold nothing to fix."),
    "fixes.exported": ("已写出整改清单 {n} 项：{paths}", "Fix list written, {n} items: {paths}"),
    # import: reasons per row
    "fixes.err.unknown_id": ("整改项编号不在本轮整改清单中", "this item number is not in this round's fix list"),
    "fixes.err.duplicate_id": ("同一整改项编号出现多次", "the same item number appears more than once"),
    "fixes.err.no_unit": ("缺少责任单位", "the responsible unit is missing"),
    "fixes.err.no_person": ("缺少责任人（职务）", "the person in charge is missing"),
    "fixes.err.no_deadline": ("缺少整改时限", "the deadline is missing"),
    "fixes.err.bad_deadline": ("整改时限不是日期（请写成 2027-03-31）", "the deadline is not a date (write 2027-03-31)"),
    "fixes.err.past_deadline": ("整改时限 {value} 不晚于今天（{today}）", "the deadline {value} is not after today ({today})"),
    "fixes.err.personal": ("含有个人信息（姓名、电话、身份证号、银行卡号或住址）：请填职务和材料名称",
                           "holds personal data (a name, phone, ID number, bank card or address): give a role "
                           "and the document's name"),
    "fixes.err.bad_status": ("整改状态应为：未开始、整改中、已完成或已核实", "the status must be open, in progress, done or verified"),
    "fixes.err.backwards": ("整改状态不能倒退：已记录为“{stored}”", "a status cannot move backwards: already recorded as “{stored}”"),
    "fixes.err.line": ("{path} 第 {row} 行，“{column}”列，值“{value}”：{reason}",
                       "{path} row {row}, column “{column}”, value “{value}”: {reason}"),
    "fixes.err.blank": ("（空）", "(blank)"),
    "fixes.col.row": ("行号", "Row"),
    "fixes.col.column": ("列", "Column"),
    "fixes.col.value": ("值", "Value"),
    "fixes.col.reason": ("原因", "Reason"),
    "fixes.import_refused": ("整改计划有 {n} 处错误，未保存任何内容；改正后重新导入，或加 --accept-valid 只保存无误的行。",
                             "The fix plan has {n} mistakes; nothing was stored. Correct them and import again, or "
                             "add --accept-valid to store only the rows without a mistake."),
    "fixes.import_done": ("已保存整改计划 {stored} 项（{who}，{at}）；有错未保存 {refused} 项。",
                          "Fix plan stored: {stored} items ({who}, {at}); {refused} items with mistakes not stored."),
    "fixes.import_no_header": ("{path}：找不到整改清单的表头（应含“整改项编号”“整改状态”等列）。",
                               "{path}: no fix-list header found (it should have columns such as "
                               "“Item number” and “Status”)."),
    "fixes.import_missing_columns": ("{path}：缺少列 {columns}。", "{path}: missing columns {columns}."),
    "fixes.no_items": ("本轮还没有导出过整改清单：先运行 fieldeval fixes export。",
                       "No fix list has been exported in this round yet: run fieldeval fixes export first."),
    # previous round verified
    "fixes.prev.sec": ("上一轮整改核实", "Fixes of the previous round verified"),
    "fixes.prev.intro": ("上一轮（{round}）整改清单共 {n} 项：已核实 {verified} 项，已完成 {done} 项，"
                         "整改中 {progress} 项，未开始 {open} 项。下表列出每项最后登记的状态和佐证材料，"
                         "以及该项应当改善的指标在上一轮与本轮的估计值。",
                         "The previous round ({round}) had {n} fix items: {verified} verified, {done} done, "
                         "{progress} in progress, {open} open. The table gives each item's last recorded status "
                         "and evidence, and the indicator it was meant to move, last round and now."),
    "fixes.prev.none": ("上一轮没有登记整改清单。", "No fix list was recorded in the previous round."),
    "fixes.prev.table": ("上一轮整改项的核实", "The previous round's fix items verified"),
    "fixes.prev.col.indicator": ("应改善的指标", "Indicator to move"),
    "fixes.prev.col.before": ("上一轮", "Last round"),
    "fixes.prev.col.now": ("本轮", "This round"),
    "fixes.prev.col.change": ("变化（百分点）", "Change (points)"),
    "fixes.prev.col.verdict_before": ("上一轮结论", "Verdict last round"),
    "fixes.prev.col.verdict_now": ("本轮结论", "Verdict now"),
    "fixes.prev.col.at": ("最后登记时间", "Last recorded"),
    "fixes.prev.no_indicator": ("（无对应的抽样指标）", "(no sampled indicator)"),
    "fixes.prev.not_estimated": ("未估计", "not estimated"),
    "fixes.prev.written": ("已写出上一轮整改核实表：{path}", "Previous round's fixes verified: {path}"),
    "fixes.prev.no_round": ("没有上一轮的结果（rounds/ 下没有较早的轮次）。",
                            "There is no earlier round (nothing under rounds/)."),
    # demo
    "fixes.demo.step": ("整改清单：导出 → 工会填写 → 导入（含故意埋入的错误）",
                        "Fix list: export → filled in by the union → import (with planted mistakes)"),
    "fixes.demo.planted": ("埋入的错误：{what}", "Planted mistakes: {what}"),
    "fixes.demo.planted_one": ("第 {row} 行“{column}”", "row {row} “{column}”"),
    "fixes.bad_today": ("--today 的值“{value}”不是日期（请写成 2026-11-30）。",
                        "--today “{value}” is not a date (write 2026-11-30)."),
    "fixes.round_unnamed": ("未命名轮次", "unnamed round"),
    "fixes.sep": ("、", ", "),
    "fixes.demo.refused_ok": ("导入逐行拒绝了全部 {n} 处埋入的错误。", "The import refused each of the {n} planted mistakes by row."),
    "fixes.who_default": ("工会（整改计划）", "union (fix plan)"),
}
