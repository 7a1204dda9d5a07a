"""Messages of the system-data reconciliation (查看系统数据, issue 19 item 2)."""

MESSAGES = {
    # errors
    "recon.bad_setting": ("evaluation.toml 的 [reconcile] 中“{key}”的值“{value}”无法使用：可设的只有 {known}（依次为户数、人数、"
                          "笔数的容差，默认 0；金额容差，元，默认 0.5），须为不小于 0 的数",
                          "evaluation.toml [reconcile] \"{key}\" = \"{value}\" cannot be used: only count_tolerance "
                          "(households, persons, payments; default 0) and amount_tolerance (yuan, default 0.5) are "
                          "known ({known}), each a number of at least 0"),
    "recon.no_file": ("找不到工会上报的统计表 {path}：请给出填好的统计表（fieldeval reconcile template 生成空表）",
                      "The union's report {path} was not found: give the filled workbook (fieldeval reconcile "
                      "template writes a blank one)"),
    "recon.not_xlsx": ("统计表 {path} 不是 .xlsx 文件：请在 Excel 或 WPS 中另存为 .xlsx 后再核对",
                       "The report {path} is not an .xlsx file: save it as .xlsx in Excel or WPS and check again"),
    "recon.unreadable": ("无法读取统计表 {path}（{detail}）：请确认文件完整、未加密，另存为 .xlsx 后再试",
                         "Cannot read the report {path} ({detail}): check that it is whole and not password-"
                         "protected, save it as .xlsx and try again"),
    "recon.too_many_rows": ("统计表的工作表“{sheet}”有 {rows} 行，超过上限 {limit} 行：统计表按区县汇总，请只上报汇总数",
                            "Sheet \"{sheet}\" of the report has {rows} rows, above the limit of {limit}: the report "
                            "holds totals per county, not household rows"),
    "recon.no_tallies": ("统计表 {path} 中没有找到统计数：需要一行表头含“区县”、分组列（困难类别、档案状态或帮扶项目）"
                         "和数字列（户数、人数、笔数或金额）",
                         "No tallies found in {path}: a sheet needs a header row with 区县 (county), a group column "
                         "(category, status or help item) and a number column (households, persons, payments or "
                         "amount)"),
    "recon.no_roster": ("找不到档案文件 {path}（evaluation.toml 的 {setting}）：核对需要档案",
                        "The roster {path} ({setting} in evaluation.toml) was not found: reconciliation needs it"),
    "recon.no_ledger": ("找不到帮扶发放台账 {path}（evaluation.toml 的 {setting}）：帮扶资金一表不核对，只核对户数、人数",
                        "The payment ledger {path} ({setting} in evaluation.toml) was not found: the payments sheet is not "
                        "reconciled, households and persons are"),
    "recon.no_result": ("还没有系统数据核对结果：请先运行 fieldeval reconcile check --project 项目目录 --report 统计表.xlsx",
                        "No reconciliation yet: run fieldeval reconcile check --project DIR --report FILE.xlsx"),
    # command output
    "recon.template_written": ("已生成统计表模板：{path}（{counties} 个区县，年度 {years}）",
                               "Template written: {path} ({counties} counties, years {years})"),
    "recon.read_summary": ("读取统计表 {path}：数据行 {read} 行 = 采用 {accepted} 行 + 未采用 {excluded} 行；另有 {cells} 个"
                           "数字格未采用（原因见结果表）",
                           "Read {path}: {read} data rows = {accepted} accepted + {excluded} excluded; {cells} more "
                           "number cells not used (reasons in the result workbook)"),
    "recon.sheet_line": ("  工作表“{sheet}”（{kind}）：表头在第 {header} 行，读取 {read} 行，采用 {accepted}，未采用 {excluded}",
                         "  sheet \"{sheet}\" ({kind}): header in row {header}, {read} rows read, {accepted} "
                         "accepted, {excluded} excluded"),
    "recon.sheet_skipped": ("  工作表“{sheet}”未读取：{reason}", "  sheet \"{sheet}\" not read: {reason}"),
    "recon.summary": ("核对 {compared} 项统计数：一致 {agree} 项，不一致 {differs} 项，未上报 {not_reported} 项",
                      "{compared} tallies compared: {agree} agree, {differs} differ, {not_reported} not reported"),
    "recon.county_line": ("  {county}：数据一致率 {share}（{agree}/{compared}）", "  {county}: data consistency {share} "
                          "({agree}/{compared})"),
    "recon.card_line": ("{agree}/{compared} 项一致", "{agree} of {compared} tallies agree"),
    "recon.difference_line": ("  {county} · {kind} · {group} · {measure}：上报 {reported}，存档 {archive}，差 {difference}",
                              "  {county} · {kind} · {group} · {measure}: reported {reported}, archive {archive}, "
                              "difference {difference}"),
    "recon.kind_unreported": ("统计表没有上报“{kind}”，该项不核对", "The report has no \"{kind}\": not reconciled"),
    "recon.years": ("帮扶资金核对年度：{years}", "Payment years compared: {years}"),
    "recon.unplaced": ("档案或台账中有 {n} 行无法计入统计（原因见结果表“未计入的档案行”）",
                       "{n} roster or ledger rows could not be counted (see the sheet of archive rows not counted)"),
    "recon.written": ("已写出：{path}", "Written: {path}"),
    "recon.demo_step": ("系统数据核对：工会上报的统计表（含埋设的差异）与档案、台账比对",
                        "System-data reconciliation: the union's report (with planted differences) against the roster "
                        "and ledger"),
    "recon.headline": ("系统数据核对（无区间）", "System-data reconciliation (no interval)"),
    # kinds, measures, statuses
    "recon.kind.category": ("在档户数人数（按困难类别）", "Registered households and persons by category"),
    "recon.kind.status": ("户数（按档案状态）", "Households by archive status"),
    "recon.kind.payments": ("帮扶资金（按项目和年度）", "Payments by help item and year"),
    "recon.measure.households": ("户数", "households"),
    "recon.measure.persons": ("人数", "persons"),
    "recon.measure.payments": ("笔数", "payments"),
    "recon.measure.amount": ("金额（元）", "amount (yuan)"),
    "recon.status.agree": ("一致", "agrees"),
    "recon.status.differs": ("不一致", "differs"),
    "recon.status.not_reported": ("未上报", "not reported"),
    "recon.scope.row": ("整行", "whole row"),
    "recon.scope.cell": ("单元格", "cell"),
    "recon.verdict.all_agree": ("全部一致", "all agree"),
    "recon.verdict.some_differ": ("{n} 项不一致", "{n} differ"),
    "recon.verdict.nothing": ("未核对", "nothing compared"),
    # rules: the union's file
    "recon.rule.blank_row": ("空行", "blank row"),
    "recon.rule.total_row": ("合计或小计行：不作为统计数核对", "total or subtotal row: not a tally"),
    "recon.rule.note_row": ("填表说明或签字行", "note or signature row"),
    "recon.rule.repeated_header": ("重复的表头行", "repeated header row"),
    "recon.rule.no_county": ("区县为空", "county blank"),
    "recon.rule.unknown_county": ("区县不是本项目的区县（本项目：{counties}）", "not a county of this project ({counties})"),
    "recon.rule.no_category": ("困难类别为空", "category blank"),
    "recon.rule.unknown_category": ("困难类别应为 深度困难、相对困难 或 意外致困",
                                    "category must be 深度困难 (deep hardship), 相对困难 (relative hardship) or 意外致困 (accident)"),
    "recon.rule.no_status": ("档案状态为空", "status blank"),
    "recon.rule.unknown_status": ("档案状态应为 在档、已脱困、已解困 或 注销", "status must be 在档 (registered), 已脱困 (exited), 已解困 (relieved) or 注销 (cancelled)"),
    "recon.rule.no_item": ("帮扶项目为空", "help item blank"),
    "recon.rule.unknown_item": ("帮扶项目应为 生活救助、金秋助学、医疗救助、就业创业帮扶、送温暖 或 职工互助保险",
                                "help item must be one of the six help items (生活救助 (living aid) … 职工互助保险 (mutual insurance))"),
    "recon.rule.no_year": ("没有年度列", "no year column"),
    "recon.rule.bad_year": ("年度应为四位年份，如 2025", "year must be four digits, e.g. 2025"),
    "recon.rule.no_measure": ("没有数字列", "no number column"),
    "recon.rule.no_number": ("这一行没有可用的数字", "no usable number in this row"),
    "recon.rule.duplicate_row": ("同一统计数重复上报：已采用第 {first} 行", "the same tally again: row {first} was used"),
    "recon.rule.not_a_number": ("不是数字", "not a number"),
    "recon.rule.negative": ("负数", "negative"),
    "recon.rule.not_whole": ("户数、人数、笔数应为整数", "households, persons and payments must be whole numbers"),
    "recon.rule.formula_no_value": ("公式没有保存计算结果：请在 Excel 或 WPS 中打开并保存后再交",
                                    "formula without a saved value: open and save the file in Excel or WPS"),
    "recon.rule.no_tally_header": ("没有统计表头（说明页或其他表）", "no tally header (notes or another table)"),
    "recon.rule.empty": ("空工作表", "empty sheet"),
    # rules: the archive side
    "recon.arule.unknown_county": ("档案的区县不是本项目的区县", "the archive's county is not one of this project's"),
    "recon.arule.unknown_status": ("档案状态为空或无法识别", "archive status blank or unknown"),
    "recon.arule.unknown_category": ("在档户的困难类别为空或无法识别", "category of a registered household blank or unknown"),
    "recon.arule.no_household_size": ("家庭人口为空：计入户数，人数按 0 计", "household size blank: counted as a "
                                      "household, with 0 persons"),
    "recon.arule.payment_without_archive": ("发放记录的档案编号不在档案中", "the payment's archive id is not in the roster"),
    "recon.arule.unknown_item": ("帮扶项目为空或无法识别", "help item blank or unknown"),
    "recon.arule.no_date": ("发放日期为空或无法识别", "payment date blank or unknown"),
    "recon.arule.no_amount": ("金额为空或无法识别", "amount blank or unknown"),
    "recon.source.roster": ("档案", "roster"),
    "recon.source.ledger": ("帮扶发放台账", "payment ledger"),
    # columns of the result workbook
    "recon.col.county": ("区县", "County"),
    "recon.col.kind": ("统计表", "Tally"),
    "recon.col.group": ("类别/状态/项目", "Category / status / item"),
    "recon.col.year": ("年度", "Year"),
    "recon.col.measure": ("统计项", "Measure"),
    "recon.col.reported": ("上报数", "Reported"),
    "recon.col.archive": ("存档数", "Archive"),
    "recon.col.difference": ("差额（上报−存档）", "Difference (reported − archive)"),
    "recon.col.share": ("差额占存档数", "Difference ÷ archive"),
    "recon.col.tolerance": ("容差", "Tolerance"),
    "recon.col.status": ("核对结果", "Result"),
    "recon.col.sheet": ("工作表", "Sheet"),
    "recon.col.row": ("行号", "Row"),
    "recon.col.scope": ("范围", "Scope"),
    "recon.col.column": ("列", "Column"),
    "recon.col.value": ("填写内容", "Value"),
    "recon.col.rule": ("未采用原因", "Reason not used"),
    "recon.col.compared": ("核对项数", "Tallies compared"),
    "recon.col.agree": ("一致", "Agree"),
    "recon.col.differs": ("不一致", "Differ"),
    "recon.col.not_reported": ("未上报", "Not reported"),
    "recon.col.consistency": ("数据一致率", "Data consistency"),
    "recon.col.verdict": ("结论", "Conclusion"),
    "recon.col.source": ("来源", "Source"),
    "recon.col.archive_id": ("档案编号", "Archive id"),
    "recon.col.header_row": ("表头行", "Header row"),
    "recon.col.read": ("读取行数", "Rows read"),
    "recon.col.accepted": ("采用", "Accepted"),
    "recon.col.excluded": ("未采用", "Excluded"),
    "recon.col.reason": ("说明", "Note"),
    "recon.none": ("—", "—"),
    # sheets of the result workbook
    "recon.out.sheet.consistency": ("数据一致率", "Consistency"),
    "recon.out.sheet.differences": ("差异清单", "Differences"),
    "recon.out.sheet.compared": ("全部核对项", "All tallies compared"),
    "recon.out.sheet.excluded": ("未采用的行和格", "Rows and cells not used"),
    "recon.out.sheet.sheets": ("读取情况", "Sheets read"),
    "recon.out.sheet.unplaced": ("未计入的档案行", "Archive rows not counted"),
    "recon.out.title": ("系统数据核对：工会上报统计数与档案、台账比对（{path}）",
                        "System-data reconciliation: the union's reported tallies against the roster and ledger ({path})"),
    "recon.out.note": ("差额 = 上报数 − 存档数；户数、人数、笔数容差 {count}，金额容差 {amount} 元（以万元上报的金额另加末位半个单位）。"
                       "数据一致率 = 一致项 ÷ 核对项，为全数比对，无抽样误差、无置信区间。",
                       "Difference = reported − archive; tolerance {count} for households, persons and payments, "
                       "{amount} yuan for amounts (plus half a unit of the last digit for amounts reported in units of 10,000 yuan). "
                       "Data consistency = tallies in agreement ÷ tallies compared: a full comparison, no sampling "
                       "error, no interval."),
    # template
    "recon.tpl.title": ("困难职工帮扶统计表（工会填报，供第三方评估核对系统数据）",
                        "Hardship-relief tallies (filled in by the union for the evaluators' system-data check)"),
    "recon.tpl.col.notes": ("填表说明", "How to fill in"),
    "recon.tpl.note1": ("每个区县按困难类别、档案状态、帮扶项目和年度各填一行；数字按截至填报日的帮扶管理系统数据填写。",
                        "One row per county and category, status, help item and year; numbers as in the help-"
                        "management system on the reporting date."),
    "recon.tpl.note2": ("“在档户数人数”只统计档案状态为“在档”的户；人数为这些户的家庭人口之和。",
                        "\"Registered households and persons\" counts households with status 在档 (registered) only; persons is "
                        "the sum of their household sizes."),
    "recon.tpl.note3": ("“户数（按档案状态）”统计全部档案：在档、已脱困、已解困、注销。",
                        "\"Households by archive status\" counts every archive, whatever its status."),
    "recon.tpl.note4": ("“帮扶资金”按发放日期所在年度统计笔数和金额；金额以元为单位，若以万元填写，请在表头写明“（万元）”。",
                        "\"Payments\" counts payments and amounts by the year of the payment date; amounts in yuan — "
                        "if you write units of 10,000 yuan, say so in the header."),
    "recon.tpl.note5": ("没有的填 0 或“—”；不要填合计行（如需合计请另起一表），不要改动区县、类别名称。",
                        "Write 0 or \"—\" for none; no total rows (put totals elsewhere); keep the county and category "
                        "names as they are."),
    "recon.tpl.note6": ("可以增加行；区县、类别、项目请从下拉列表中选择。",
                        "You may add rows; choose county, category and item from the drop-down lists."),
    "recon.tpl.note7": ("评估组读取时：合计、小计、签字、说明和空行会列出并说明未采用，不会计入。",
                        "When read: total, subtotal, signature, note and blank rows are listed as not used, never "
                        "counted."),
    "recon.tpl.note8": ("评估组将每个数与档案和帮扶发放台账逐项比对，列出全部差异（上报数、存档数、差额）。",
                        "The evaluators compare each number with the roster and the payment ledger and list every "
                        "difference (reported, archive, difference)."),
    "recon.tpl.sheet.notes": ("填表说明", "How to fill in"),
    "recon.tpl.sheet.category": ("在档户数人数", "Households by category"),
    "recon.tpl.sheet.status": ("户数按档案状态", "Households by status"),
    "recon.tpl.sheet.payments": ("帮扶资金", "Payments"),
    "recon.tpl.sheet.lists": ("选项", "Lists"),
    "recon.tpl.col.county": ("区县", "County"),
    "recon.tpl.col.category": ("困难类别", "Category"),
    "recon.tpl.col.status": ("档案状态", "Status"),
    "recon.tpl.col.item": ("帮扶项目", "Help item"),
    "recon.tpl.col.year": ("年度", "Year"),
    "recon.tpl.col.households": ("户数（户）", "Households"),
    "recon.tpl.col.persons": ("人数（人）", "Persons"),
    "recon.tpl.col.payments": ("发放笔数（笔）", "Payments"),
    "recon.tpl.col.amount": ("发放金额（元）", "Amount (yuan)"),
    "recon.tpl.dv_title": ("填写有误", "Not accepted"),
    "recon.tpl.dv_list": ("请从下拉列表中选择", "Choose from the list"),
    "recon.tpl.dv_year": ("年度为四位年份，如 2025", "A four-digit year, e.g. 2025"),
    "recon.tpl.dv_amount": ("金额为不小于 0 的数", "An amount of at least 0"),
    "recon.tpl.dv_count": ("请填不小于 0 的整数", "A whole number of at least 0"),
    # report
    "recon.report.title": ("系统数据核对（无区间）", "System-data reconciliation (no interval)"),
    "recon.report.intro": ("评估组将工会上报的统计数（{kinds}）与档案和帮扶发放台账逐项比对。{summary}",
                           "The union's reported tallies ({kinds}) were compared one by one with the roster and the "
                           "payment ledger. {summary}"),
    "recon.report.method": ("数据一致率 = 在容差内一致的统计数 ÷ 核对的统计数；为全数比对，没有抽样误差，因此没有置信区间，"
                            "与入户核查的指标分开列示。户数、人数、笔数容差 {count}，金额容差 {amount} 元。",
                            "Data consistency = tallies agreeing within tolerance ÷ tallies compared; a full "
                            "comparison with no sampling error, hence no interval, shown apart from the household "
                            "indicators. Tolerance {count} for counts, {amount} yuan for amounts."),
    "recon.report.rows": ("统计表数据行 {read} 行：采用 {accepted} 行，未采用 {excluded} 行（合计行、说明行、空行等，逐行列明原因）。",
                          "{read} data rows in the report: {accepted} accepted, {excluded} not used (totals, notes, "
                          "blank rows …, each with its reason)."),
    "recon.report.table.consistency": ("各区县数据一致率（系统数据核对，无区间）",
                                       "Data consistency by county (system-data check, no interval)"),
    "recon.report.table.differences": ("上报数与存档数的差异", "Differences between reported and archive figures"),
    "recon.report.no_differences": ("全部统计数一致。", "Every tally agrees."),
}
