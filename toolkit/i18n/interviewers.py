"""Interviewer effects, fabrication signals and paradata (issue 18)."""

MESSAGES = {
    "qpage.meta.audit": ("审计日志（作答过程记录）", "Audit log (how the form was filled in)"),
    # signal names
    "interviewers.signal.short": ("访问时长过短", "Interview too short"),
    "interviewers.signal.straight_lined": ("满意度各题答案完全相同", "Same answer to every satisfaction item"),
    "interviewers.signal.heap_10": ("金额尾数为 0", "Amounts ending in 0"),
    "interviewers.signal.heap_100": ("金额尾数为 00（整百）", "Amounts ending in 00 (whole hundreds)"),
    "interviewers.signal.heap_1000": ("金额尾数为 000（整千）", "Amounts ending in 000 (whole thousands)"),
    "interviewers.signal.income_fast": ("收入部分答题过快", "Income block answered too fast"),
    "interviewers.signal.verdict_fast": ("判定部分答题过快", "Verdict block answered too fast"),
    "interviewers.signal.changed_after_verdict": ("判定后又修改了前面的答案", "Answers changed after the verdict"),
    # indicator names for effects
    "interviewers.ind.wrong_inclusion": ("错评（不应建档）", "Wrong inclusion"),
    "interviewers.ind.wrong_exit": ("错退", "Wrong exit"),
    "interviewers.ind.missed_exit": ("漏退", "Missed exit"),
    "interviewers.ind.missed": ("漏评", "Missed household"),
    "interviewers.ind.archive_mismatch": ("档案信息不一致", "Archive mismatch"),
    "interviewers.ind.approval": ("满意（认可）", "Satisfied (approval)"),
    "interviewers.ind.verdict_meets": ("访员判定“符合建档标准”", "Interviewer's verdict: meets the criteria"),
    # column headers
    "interviewers.col.enumerator": ("访员", "Interviewer"),
    "interviewers.col.signal": ("信号", "Signal"),
    "interviewers.col.indicator": ("指标", "Indicator"),
    "interviewers.col.n": ("样本数", "Count"),
    "interviewers.col.rate": ("本访员比例", "This interviewer"),
    "interviewers.col.rest_rate": ("其余访员比例", "Rest of the team"),
    "interviewers.col.test": ("检验方法", "Test"),
    "interviewers.col.p_holm": ("校正后 P 值（Holm）", "Adjusted p-value (Holm)"),
    "interviewers.col.flagged": ("是否需要核查", "Needs checking"),
    "interviewers.col.interviews": ("完成访问数", "Completed interviews"),
    "interviewers.col.flagged_signals": ("异常信号数", "Signals flagged"),
    "interviewers.col.signals": ("异常信号", "Flagged signals"),
    "interviewers.col.estimate": ("估计值", "Estimate"),
    "interviewers.col.interval": ("95% 置信区间", "95% interval"),
    "interviewers.col.icc": ("访员组内相关系数", "Interviewer intra-class correlation"),
    "interviewers.col.deff": ("访员设计效应", "Interviewer design effect"),
    "interviewers.col.interviewers": ("访员数", "Interviewers"),
    "interviewers.col.m_bar": ("人均访问户数", "Households per interviewer"),
    "interviewers.col.key": ("提交编号", "Submission"),
    "interviewers.col.seconds": ("总用时（秒）", "Seconds in all"),
    "interviewers.col.income_seconds": ("收入部分用时（秒）", "Income block seconds"),
    "interviewers.col.income_min_seconds": ("收入部分最少应用时（秒）", "Income block minimum seconds"),
    "interviewers.col.verdict_seconds": ("判定部分用时（秒）", "Verdict block seconds"),
    "interviewers.col.verdict_min_seconds": ("判定部分最少应用时（秒）", "Verdict block minimum seconds"),
    "interviewers.col.income_fast": ("收入部分过快", "Income block too fast"),
    "interviewers.col.verdict_fast": ("判定部分过快", "Verdict block too fast"),
    "interviewers.col.changed_after_verdict": ("判定后修改的答案数", "Answers changed after the verdict"),
    "interviewers.col.events": ("日志事件数", "Log events"),
    "interviewers.col.section": ("{section} 部分用时（秒）", "Seconds in {section}"),
    "interviewers.test.chi2": ("卡方检验", "Chi-squared test"),
    "interviewers.test.fisher": ("Fisher 精确检验", "Fisher's exact test"),
    "interviewers.test.none": ("无法检验（无差异）", "No test (no variation)"),
    "interviewers.yes": ("是", "Yes"),
    "interviewers.no": ("否", "No"),
    "interviewers.none": ("无", "none stood out"),
    "interviewers.blank": ("—", "—"),
    "interviewers.sheet.summary": ("访员汇总", "Interviewers"),
    "interviewers.sheet.signals": ("造假信号", "Fabrication signals"),
    "interviewers.sheet.paradata": ("答题日志", "Audit log"),
    "interviewers.sheet.effects": ("访员效应", "Interviewer effects"),
    "interviewers.sheet.icc": ("访员相关与设计效应", "Interviewer ICC and design effect"),
    # pages and report
    "interviewers.title": ("访员效应与造假信号", "Interviewer effects and fabrication signals"),
    "interviewers.signals_title": ("答题模式信号（每次导入时计算）", "Answer-pattern signals (computed at every ingest)"),
    "interviewers.effects_title": ("核查结果的访员效应（每次核查时计算）",
                                   "Interviewer effects on the findings (computed at every verification)"),
    "interviewers.icc_title": ("访员组内相关与设计效应", "Interviewer intra-class correlation and design effect"),
    "interviewers.method": (
        "每位访员与其余访员逐项比较：期望频数均不少于 5 时用卡方检验，否则用 Fisher 精确检验；"
        "同一次计算中所有“访员 × 信号”的 P 值一起用 Holm 法校正，使任何一位如实访问的访员被误标的概率"
        "不超过 {alpha}。被标出的访员应安排复核：重新访问其部分住户，核对答案。",
        "Each interviewer is compared with the rest of the team, item by item: a chi-squared test when every "
        "expected count is at least 5, Fisher's exact test otherwise; every interviewer × signal p-value of the "
        "run is adjusted together by Holm's method, so the chance of flagging any honest interviewer stays at "
        "or below {alpha}. A flagged interviewer's households should be back-checked: re-visit some of them "
        "and compare the answers."),
    "interviewers.icc_note": (
        "访员组内相关系数（方差分析估计，先去除区县均值）表示同一访员的住户答案相似的程度；"
        "设计效应 = 1 +（人均访问户数 − 1）× 相关系数。设计效应明显大于 1 时，区间偏窄约为其平方根倍。",
        "The interviewer intra-class correlation (ANOVA estimator, county means taken out first) says how alike "
        "one interviewer's households answer; design effect = 1 + (households per interviewer − 1) × correlation. "
        "When it is well above 1 the interval is too narrow by about its square root."),
    "interviewers.flagged_list": ("需要核查的访员：{names}。", "Interviewers to back-check: {names}."),
    "interviewers.none_flagged": ("没有访员被标出。", "No interviewer was flagged."),
    "interviewers.no_data": ("尚无可计算的数据。", "Nothing to compute yet."),
    "interviewers.dash_hint": (
        "下表每位访员一行，列出相对其余访员明显偏高的答题模式信号（Holm 校正后）。",
        "One row per interviewer, listing the answer patterns clearly above the rest of the team (after Holm's "
        "correction)."),
    "interviewers.paradata_none": ("导出文件中没有答题日志，未检查答题速度和修改。",
                                   "The exports hold no audit logs: answer speed and changes were not checked."),
    "interviewers.paradata_count": ("已读取 {n} 份问卷的答题日志。", "Audit logs read for {n} submissions."),
}
