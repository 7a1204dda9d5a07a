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
    "paper.consent": (
        "您好！我们是受委托开展“{evaluation}”第三方评估的调查员。本次访问是为了了解困难职工帮扶政策的落实情况，"
        "大约需要 30 分钟。是否接受访问完全自愿，您可以拒绝回答任何问题，也可以随时停止，这不会影响您家享受的任何帮扶。"
        "您的回答只用于统计分析，报告中不会出现您的姓名、电话或身份证号，调查员也不会把您的回答告诉村（社区）或工会干部。"
        "如有疑问，可以向调查员索取评估组的联系电话。您是否同意接受访问？",
        "Hello. We are interviewers of the independent evaluation \"{evaluation}\". This visit is to learn how the "
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
}
