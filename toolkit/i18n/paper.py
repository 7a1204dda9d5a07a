"""Messages of the printed instruments (paper questionnaire, visit lists),
the report's print layout and the ingest checks added for field use.

Keys are prefixed ``paper.``.
"""
MESSAGES = {
    # --- paper questionnaire
    "paper.form.blank": ("{blank}（{meaning}）", "{blank} ({meaning})"),
    "paper.form.count": ("{table} 表中填写的行数", "rows filled in table {table}"),
    "paper.form.sum": ("{table} 表中各行 {what} 之和", "sum of {what} over the rows of table {table}"),
    "paper.form.sum_rows": ("{table} 表中逐行计算后合计", "counted row by row in table {table}"),
    "paper.form.total_of": ("{first} 至 {last} 合计", "total of {first} to {last}"),
    "paper.form.computed": ("由前面的回答计算", "computed from earlier answers"),
    "paper.form.page": ("第 {page} 页 共 {pages} 页", "Page {page} of {pages}"),
    "paper.form.page_words": ("第 | 页 共 | 页", "Page | of | "),
    "paper.form.legend": ("（在表格中填写选项前的数字）", "(write the number of the answer in the table)"),
    "paper.form.cover_title": ("问卷封面", "Cover"),
    "paper.form.consent_title": ("知情同意", "Consent"),
    "paper.cover.number": ("问卷编号", "Questionnaire no."),
    "paper.cover.number_blank": ("＿＿＿＿＿＿＿＿＿＿", "__________________"),
    "paper.cover.date": ("访问日期", "Date of visit"),
    "paper.cover.date_blank": ("＿＿＿＿ 年 ＿＿ 月 ＿＿ 日", "____ / ____ / ________ (day / month / year)"),
    "paper.cover.interviewer": ("访员", "Interviewer(s)"),
    "paper.cover.interviewer_blank": ("＿＿＿＿＿＿  ＿＿＿＿＿＿", "____________  ____________"),
    "paper.cover.signature": ("受访人签名", "Respondent's signature"),
    "paper.cover.signature_blank": ("＿＿＿＿＿＿＿＿＿＿（不愿签名的，由访员注明“口头同意”）",
                                    "__________________ (if the respondent prefers not to sign, the interviewer "
                                    "writes \"consent given orally\")"),
    "paper.consent.who_named": ("“{evaluation}”第三方评估", "the independent evaluation \"{evaluation}\""),
    "paper.consent.who_generic": ("困难职工帮扶工作第三方评估", "an independent evaluation of the hardship relief for workers"),
    "paper.consent": (
        "您好！我们是受委托开展{who}的调查员。本次访问是为了了解困难职工帮扶政策的落实情况，"
        "大约需要 30 分钟。是否接受访问完全自愿，您可以拒绝回答任何问题，也可以随时停止，这不会影响您家享受的任何帮扶。"
        "您的回答只用于统计分析，报告中不会出现您的姓名、电话或身份证号，调查员也不会把您的回答告诉村（社区）或工会干部。"
        "如有疑问，可以向调查员索取评估组的联系电话。您是否同意接受访问？",
        "Hello. We are interviewers of {who}. This visit is to learn how the "
        "hardship relief policy for workers is carried out and takes about 30 minutes. Taking part is voluntary: you "
        "may refuse any question or stop at any time, and this will not affect any help your household receives. "
        "Your answers are used only for statistics; your name, phone and ID number never appear in a report, and we do "
        "not tell community or union officials what you said. Ask the interviewer for the evaluation team's phone "
        "number if you have questions. Do you agree to the interview?"),
    # --- visit lists: result codes as printed (numbered in toolkit.sampling.field_dispositions.CODE_NUMBERS)
    "paper.disposition.completed": ("见到并完成访问", "met and interviewed"),
    "paper.disposition.refused": ("拒绝访问", "refused"),
    "paper.disposition.not_at_home": ("三次上门未遇", "nobody home after 3 visits"),
    "paper.disposition.moved": ("已搬迁或查无此户", "moved or not found"),
    "paper.disposition.deceased": ("户主已故、户已消亡", "household no longer exists (deceased)"),
    "paper.disposition.not_eligible": ("不符合调查条件", "not eligible"),
    "paper.disposition.replaced": ("已由备用户替换", "replaced by a reserve"),
    "paper.lists.codes": ("结果代码：{codes}", "Result codes: {codes}"),
    "paper.lists.header": ("入户名单 · {team}（含姓名、电话、住址，仅供评估组入户使用，勿外传）",
                           "Visit list · {team} (names, phones and addresses: for the evaluation team only)"),
    "paper.lists.reserve_header": ("备用名单 · {team}（按备用顺序启用，不得跳号或以邻居代替）",
                                   "Reserves · {team} (release strictly in order; never a neighbour)"),
    "paper.lists.page": ("第 &P 页 共 &N 页", "Page &P of &N"),
    "paper.lists.codes_title": ("结果代码（在“结果代码”栏填写数字或文字）", "Result codes (write the number or the words in \"Result\")"),
    "paper.lists.reserves_rule": ("必须按“备用顺序”依次启用，不得跳号或以邻居代替。",
                                  "Release reserves strictly in their order; never skip one or take a neighbour."),
    "paper.lists.about.seed": ("抽样种子", "Seed"),
    "paper.lists.about.seed_source": ("种子来源", "Seed source"),
    "paper.lists.about.method": ("抽样方法", "Method"),
    "paper.lists.about.strata": ("分层", "Strata"),
    "paper.lists.about.roster": ("名册指纹 SHA-256", "Roster fingerprint SHA-256"),
    "paper.lists.about.algorithm": ("抽样算法", "Algorithm"),
    "paper.lists.about.reserves": ("备用户", "Reserves"),
    "paper.lists.about.privacy": ("隐私", "Privacy"),
    "paper.lists.privacy": ("本名单含住户姓名、电话和住址，是评估组的工作文件：仅供入户使用，不得交给被评估单位或领导，访问结束后交回评估组。",
                            "This list holds names, phones and addresses: it is the evaluation team's working file, "
                            "for visits only; never give it to the evaluated union or to leadership; return it after the fieldwork."),
    # --- ingest: wrong form, missing repeat table, corrections template
    "paper.ingest.form_mismatch": (
        "导出文件与问卷不匹配：{path} 的列与问卷“{form}”（{form_id}）对不上，问卷的 {expected} 道题只找到 {matched} 道。"
        "导出文件有、问卷没有的列（{n_extra} 列）：{extra}；问卷有、导出文件没有的题（{n_missing} 道）：{missing}。"
        "请用这份数据对应的问卷（--form），或按题目名称（XML 名称）重新导出。",
        "The export does not match the form: the columns of {path} do not fit the form \"{form}\" ({form_id}); "
        "only {matched} of its {expected} questions were found. Columns only in the export ({n_extra}): {extra}; "
        "questions only in the form ({n_missing}): {missing}. Use the form these data were collected with (--form), "
        "or export again with question names (XML names)."),
    "paper.not_read.missing_repeat": (
        "错误：输入中缺少问卷声明的重复组数据表 {file}，该表没有读入，数据不完整。请一并给出：ODK Central 压缩包"
        "（含 {form_id}-{name}.csv），或 KoboToolbox 的 XLSX 导出（每个重复组一个工作表），或与主表一起给出该重复组的 CSV。",
        "Error: the repeat table {file} that the form declares is missing from the input; it was not read and the "
        "data are incomplete. Give it too: the ODK Central zip (with {form_id}-{name}.csv), the KoboToolbox XLSX "
        "export (one sheet per repeat), or the repeat's CSV beside the main file."),
    # --- corrections workbook template (fieldeval ingest template corrections)
    "paper.corrections.about.sheet": ("工作表", "Sheet"),
    "paper.corrections.about.column": ("列名", "Column"),
    "paper.corrections.about.meaning": ("含义与填写方法", "What to write"),
    "paper.corrections.about.example": ("示例", "Example"),
    "paper.corrections.about.rules": ("使用规则", "Rules"),
    "paper.corrections.col.key": ("提交编号（KEY）：要更正的那份问卷的编号；重复组的题目填该行的编号，如 uuid:…/member[2]",
                                  "The submission's KEY; for a repeat question the row's KEY, e.g. uuid:…/member[2]"),
    "paper.corrections.col.field": ("题目名称（问卷 name 列，如 inc_wage）", "The question's name (the form's name column, e.g. inc_wage)"),
    "paper.corrections.col.old_value": ("数据中现在的值（照抄；原来为空就留空）。数据已不是这个值时，该行不执行并列为“已拒绝”",
                                        "The value the data hold now (copy it; blank if blank). If the data no longer hold it, the row is refused"),
    "paper.corrections.col.new_value": ("改成的值（选择题填选项名称，如 yes；数字只填数字）", "The value to write (a choice's name such as yes; numbers as numbers)"),
    "paper.corrections.col.reason": ("更正原因与核实方式（如电话回访）", "Why, and how it was checked (e.g. phone call back)"),
    "paper.corrections.col.initials": ("更正人姓名或缩写", "Who made the correction (initials)"),
    "paper.corrections.col.date": ("更正日期", "Date of the correction"),
    "paper.corrections.col.source_file": ("重复的那一份来自哪个导出文件（可空）", "The export file the copy came from (may be blank)"),
    "paper.corrections.col.source_row": ("该份在导出文件中的行号（见 issues 或质量报告）", "The copy's row in that file (see the issues or quality report)"),
    "paper.corrections.col.action": ("处理：保留 / 剔除 / 改编号（也可写 keep / drop / new_id）", "Action: keep / drop / new_id"),
    "paper.corrections.col.new_key": ("处理为“改编号”时的新编号（不能与已有编号相同）", "The new KEY when the action is new_id (must not exist yet)"),
    "paper.corrections.example.corrections.key": ("uuid:6f1c2a90-3b1d-4c55-9a0e-2d8f7b1e4c11", "uuid:6f1c2a90-3b1d-4c55-9a0e-2d8f7b1e4c11"),
    "paper.corrections.example.corrections.field": ("inc_wage", "inc_wage"),
    "paper.corrections.example.corrections.old_value": ("12000", "12000"),
    "paper.corrections.example.corrections.new_value": ("21000", "21000"),
    "paper.corrections.example.corrections.reason": ("录入时数字颠倒，经电话回访核实", "digits swapped at entry; checked by phone"),
    "paper.corrections.example.corrections.initials": ("张丽", "ZL"),
    "paper.corrections.example.corrections.date": ("2026-05-12", "2026-05-12"),
    "paper.corrections.example.duplicates.key": ("uuid:6f1c2a90-3b1d-4c55-9a0e-2d8f7b1e4c11", "uuid:6f1c2a90-3b1d-4c55-9a0e-2d8f7b1e4c11"),
    "paper.corrections.example.duplicates.source_file": ("household_visit.csv", "household_visit.csv"),
    "paper.corrections.example.duplicates.source_row": ("37", "37"),
    "paper.corrections.example.duplicates.action": ("剔除", "drop"),
    "paper.corrections.example.duplicates.new_key": ("（处理为“改编号”时才填）", "(only for new_id)"),
    "paper.corrections.example.duplicates.reason": ("同一户上传了两次，第二份为空白重传", "the household was sent twice; the second copy is a blank resend"),
    "paper.corrections.example.duplicates.initials": ("张丽", "ZL"),
    "paper.corrections.example.duplicates.date": ("2026-05-12", "2026-05-12"),
    "paper.corrections.rule.replay": ("本表每次运行 fieldeval ingest 时都会重新执行：原始导出文件永远不改，所有更正都记在这里。",
                                      "The workbook is applied again on every fieldeval ingest run: the raw exports are never edited; every change is recorded here."),
    "paper.corrections.rule.old_value": ("只有数据中仍是“原值”时才执行；否则该行列为“已拒绝”，需要有人重新核对。",
                                         "A row is applied only while the data still hold the old value; otherwise it is refused and someone must look again."),
    "paper.corrections.rule.order": ("同一编号同一题目有多行时按行的顺序执行（A 改为 B，再把 B 改为 C）。",
                                     "Several rows on the same key and question apply in order (A to B, then B to C)."),
    "paper.corrections.rule.actions": ("“重复”表的处理只能是：保留、剔除、改编号。", "A duplicate decision is one of: keep, drop, new_id."),
    "paper.corrections.rule.drop": ("剔除的那一份不参与核验，但会保留在隔离数据中并注明原因。",
                                    "A dropped copy is left out of validation but kept, quarantined, with the reason."),
    "paper.corrections.rule.new_id": ("改编号用于两户误用同一编号的情况：给其中一份一个新编号。",
                                      "new_id is for two households sent under one KEY: give one copy a new KEY."),
    "paper.corrections.rule.never_raw": ("“说明”和“规则”两个工作表不会被读取，可以保留。", "The about and rules sheets are not read; keep them."),
    "paper.corrections.wrote": ("已写出更正表模板：{path}（填写“更正”和“重复”两个工作表，说明见“说明”表）",
                                "Wrote the corrections template: {path} (fill in the corrections and duplicates sheets; see the about sheet)"),
    "paper.template.unknown": ("未知的模板“{what}”，可选：corrections", "Unknown template \"{what}\"; choose: corrections"),
    "paper.template.need_out": ("请用 --out 指定模板文件（.xlsx）", "Give the template file with --out (.xlsx)"),
    # --- report: method in words, reliability call-out
    "paper.report.unit.county": ("区县", "county"),
    "paper.report.unit.township": ("街道（乡镇）", "township (street)"),
    "paper.report.method.srswor": ("分层简单随机抽样", "stratified simple random sampling"),
    "paper.report.method.systematic": ("分层系统抽样", "stratified systematic sampling"),
    "paper.report.method.two_stage": ("两阶段分层抽样", "two-stage stratified sampling"),
    "paper.report.ticket_rule": (
        "每户的签号由公开的随机种子和档案编号用 SHA-256 算出（种子、一个分隔字节、档案编号依次相连后取哈希值的前 8 个字节）；"
        "在每层（两阶段设计中为每个被抽中的街道（乡镇））内按签号从小到大排序，排在前面的住户入样，其后依次为备用户；"
        "系统抽样和按规模成比例抽样的随机起点也由同一种子以同样方法算出。任何人用同一份档案和种子都能算出完全相同的样本。",
        "Each household's ticket is computed from the public random seed and its archive number with SHA-256 (the seed, "
        "a separator byte and the archive number joined, the first 8 bytes of the hash); within each stratum (in a "
        "two-stage design, each selected township) households are sorted by ticket and the first ones are drawn, the "
        "next ones are the reserves in order; the random starts of systematic and PPS selection come from the same seed "
        "in the same way. Anyone with the same roster and seed gets exactly the same sample."),
    "paper.report.alpha_low": (
        "注意：Cronbach's α = {alpha}，低于 {line}，满意度量表不可靠——各题的回答彼此不够一致，合并后的满意率和 0–100 分不能当作一个整体指标来读。"
        "请逐题解读下表各题的结果，并检查题目是否被误解或需要反向计分。",
        "Caution: Cronbach's alpha = {alpha}, below {line}: the satisfaction scale is unreliable. The items do not agree "
        "with one another, so the pooled approval rate and 0–100 score must not be read as one measure. Read the items "
        "one by one in the table below, and check whether an item was misunderstood or needs reverse scoring."),
    "paper.report.alpha_negative": (
        "注意：Cronbach's α = {alpha} 为负数（低于 {line}），满意度量表不可靠——各题的回答方向相互矛盾（常见原因：某题被误解、反向计分或录入编码颠倒）。"
        "合并后的满意率和 0–100 分没有意义，请逐题解读下表各题的结果，并先核查问卷编码。",
        "Caution: Cronbach's alpha = {alpha} is negative (below {line}): the satisfaction scale is unreliable. The items "
        "point in opposite directions (often an item misunderstood, reverse-scored or with its codes swapped at entry). "
        "The pooled approval rate and 0–100 score mean nothing here: read the items one by one in the table below, and "
        "check the coding first."),
}
