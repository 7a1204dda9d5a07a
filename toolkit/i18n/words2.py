"""Words for tables and messages that still showed codes (issue 16 item 4): headers of
sample/psu/reserve lists, ingest issues, comparison summaries, the report index, the demo's seed."""
MESSAGES = {
    "words2.demo_seed_source": ("演示用固定种子，并非公开抽签", "demo: fixed seed, not a public draw"),
    "words2.report_index": ("目录", "Contents"),
    "words2.col.sheet": ("工作表", "Sheet"),
    "words2.col.title": ("标题", "Title"),
    "words2.roster_problems_sheet": ("问题清单", "Problems"),
    "words2.roster_rule_line": ("  {severity}：{count} 条，{text}", "  {severity}: {count}, {text}"),
    # comparison summaries (verify)
    "words2.col.pair": ("比对项目", "Compared item"),
    "words2.col.type": ("比对类型", "Comparison type"),
    "words2.col.enumerator": ("访员", "Interviewer"),
    "words2.col.county": ("区县", "County"),
    "words2.col.compared": ("已比对户数", "Households compared"),
    "words2.col.different": ("不一致户数", "Households differing"),
    "words2.col.not_compared": ("未比对户数", "Households not compared"),
    "words2.col.error_rate": ("不一致率", "Share differing"),
    "words2.compare_type.1": ("一类：不应有差异（人口、类别等）", "Type 1: should never differ"),
    "words2.compare_type.2": ("二类：较难核实，差异可能属实", "Type 2: hard to ask, a difference may be honest"),
    "words2.compare_type.3": ("三类：可能已发生变化（住址、住房等）", "Type 3: may have changed since"),
}
MESSAGES.update({
    "words2.rule.not_household": ("不是住户（合计、空白、签名或说明行）", "not a household (total, blank, signature or note row)"),
})

# ingest issues (issues.csv, the by-rule lines of `fieldeval ingest`)
MESSAGES.update({
    "words2.col.key": ("提交编号", "Submission"),
    "words2.col.field": ("题目", "Question"),
    "words2.col.value": ("值", "Value"),
    "words2.col.rule": ("规则", "Rule"),
    "words2.col.severity": ("严重程度", "Severity"),
    "words2.col.message": ("说明", "What to do"),
    "words2.col.repeat_key": ("重复组行", "Repeat row"),
    "words2.ingest_rule.type": ("答案与题型不符", "answer does not fit the question type"),
    "words2.ingest_rule.choice": ("答案不在选项中", "answer is not one of the choices"),
    "words2.ingest_rule.required": ("必答题未作答", "required question left blank"),
    "words2.ingest_rule.constraint": ("不满足约束条件", "breaks its constraint"),
    "words2.ingest_rule.not_relevant": ("按跳转不应作答却有答案", "answered where the skip rule says not asked"),
    "words2.ingest_rule.form_version": ("问卷版本不同或缺失", "form version differs or is missing"),
    "words2.ingest_rule.duplicate_key": ("提交编号重复", "duplicate submission id"),
    "words2.ingest_rule.missing_key": ("缺少提交编号", "submission id missing"),
    "words2.ingest_rule.orphan_repeat": ("重复组行找不到所属提交", "repeat row without its submission"),
    "words2.ingest_rule.expression": ("问卷表达式无法计算", "form expression could not be computed"),
    "words2.ingest_rule.correction": ("更正未应用", "correction not applied"),
    "words2.ingest_rule.garbled": ("文字乱码", "garbled text"),
    "words2.ingest_rule.duplicate_dropped": ("重复提交，已按决定删除", "duplicate dropped by decision"),
    "words2.ingest_rule.regex_timeout": ("约束中的正则表达式超时", "constraint's pattern timed out"),
    "words2.ingest_rule.duplicate_column": ("同一题有两列且值不一致", "two columns of one question disagree"),
    "words2.ingest_rule.review_rejected": ("平台审核已驳回", "rejected in the platform's review"),
    "words2.ingest_rule.review_held": ("平台审核未通过或待审", "held in the platform's review"),
    "words2.ingest_rule.media_unsafe_name": ("照片文件名不安全", "unsafe photo file name"),
    "words2.ingest_rule.media_missing": ("照片不在导出文件中", "photo missing from the export"),
    "words2.ingest_rule.media_too_large": ("照片超过大小上限", "photo over the size limit"),
    "words2.ingest_rule.media_over_total": ("照片合计超过上限", "photos over the total limit"),
    "words2.ingest_rule.media_not_image": ("文件不是照片", "file is not a photo"),
    "words2.ingest_rule_line": ("  {rule}（{severity}）：{count} 条", "  {rule} ({severity}): {count}"),
})

# quality.xlsx
MESSAGES.update({
    "words2.version_not_recorded": ("未记录", "not recorded"),
    "words2.other": ("其他", "other"),
})
MESSAGES.update({
    "words2.qcol.n_enumerators": ("访员数", "Number of interviewers"),
})

# sample.csv / reserves.csv / psus.csv
MESSAGES.update({
    "words2.col.archive_id": ("档案编号", "Archive ID"),
    "words2.col.stratum": ("层", "Stratum"),
    "words2.col.psu": ("初级抽样单位（街道/乡镇）", "Primary unit (township)"),
    "words2.col.pi": ("入样概率", "Inclusion probability"),
    "words2.col.weight": ("抽样权数", "Sampling weight"),
    "words2.col.pi1": ("第一阶段入样概率", "First-stage probability"),
    "words2.col.pi2": ("第二阶段入样概率", "Second-stage probability"),
    "words2.col.rank": ("抽签顺序", "Draw order"),
    "words2.col.source": ("名单来源", "List"),
    "words2.col.reserve_rank": ("备用顺序", "Reserve order"),
    "words2.col.households": ("档案户数", "Households on file"),
    "words2.col.size": ("规模（用于按规模抽取）", "Size measure"),
    "words2.col.certainty": ("必选单位", "Taken with certainty"),
    "words2.col.selected": ("是否抽中", "Selected"),
    "words2.col.m": ("抽取户数", "Households drawn"),
    "words2.source.roster": ("档案户", "registered"),
    "words2.source.comparison": ("对照户（未建档）", "comparison (not registered)"),
})
MESSAGES.update({
    "words2.summary_repeat": ("  重复组“{label}”：读取 {read} 行，接受 {accepted} 行，隔离 {quarantined} 行。",
                              "  Repeat '{label}': read {read} rows, {accepted} accepted, {quarantined} quarantined."),
})

# `fieldeval sample plan`'s allocation table
MESSAGES.update({
    "words2.alloc.proportional": ("按规模比例分配", "proportional to size"),
    "words2.alloc.neyman": ("奈曼最优分配", "Neyman (optimal)"),
    "words2.alloc.equal": ("各层等量分配", "equal per stratum"),
    "words2.alloc.sqrt": ("按规模平方根分配", "proportional to the square root of size"),
    "words2.col.N_h": ("层内户数", "Households in stratum"),
    "words2.col.exact": ("按比例应抽（未取整）", "Exact share (before rounding)"),
    "words2.col.n_h": ("抽取户数", "Households to draw"),
    "words2.col.fraction": ("抽样比", "Sampling fraction"),
})
