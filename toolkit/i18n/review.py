"""Messages of the evaluator's review (issue 17): platform review states at
ingest, the review queue, decisions and their effect on the numbers."""

MESSAGES = {
    # platform review states (toolkit.ingest.review_state)
    "review.state.received": ("已接收（未审核）", "received (not reviewed)"),
    "review.state.edited": ("已修改", "edited"),
    "review.state.approved": ("已通过", "approved"),
    "review.state.has_issues": ("有问题", "has issues"),
    "review.state.on_hold": ("暂缓", "on hold"),
    "review.state.unknown": ("无法识别的审核状态", "an unrecognised review state"),
    "review.state.rejected": ("已驳回", "rejected"),
    "review.ingest.review_rejected": (
        "平台审核状态为“{state}”（原文：{value}），该问卷不进入核查，按无应答处理",
        "The platform's review state is \"{state}\" (as written: {value}); this submission is not verified "
        "and counts as a non-response"),
    "review.ingest.review_held": (
        "平台审核状态为“{state}”（原文：{value}），已接收，并列入复核清单",
        "The platform's review state is \"{state}\" (as written: {value}); accepted and put in the review queue"),
    "review.ingest.excluded": ("因平台审核驳回而排除：{n} 份", "Excluded because the platform rejected them: {n}"),
    # decisions and submission statuses
    "review.decision.confirmed": ("确认", "confirmed"),
    "review.decision.overturned": ("推翻", "overturned"),
    "review.decision.unclear": ("存疑", "unclear"),
    "review.status.to_review": ("待复核", "to review"),
    "review.status.approved": ("已通过", "approved"),
    "review.status.rejected": ("已驳回", "rejected"),
    "review.status.sent_back": ("退回重访", "sent back to the field"),
    "review.bad_decision": ("复核结论“{value}”无法识别：请用 确认 / 推翻 / 存疑（confirmed / overturned / unclear）",
                            "Decision \"{value}\" not recognised: use confirmed, overturned or unclear"),
    "review.bad_status": ("问卷复核状态“{value}”无法识别：请用 待复核 / 已通过 / 已驳回 / 退回重访",
                          "Submission status \"{value}\" not recognised: use to review, approved, rejected or "
                          "sent back"),
    "review.comment_required": ("退回重访需要写明说明（--why）", "Sending a submission back needs a comment (--why)"),
    "review.no_finding": ("档案号 {archive_id} 没有“{finding}”这一核查发现（在最近一次核查结果中）；请先运行 fieldeval verify，"
                          "并检查档案号和发现名称",
                          "Household {archive_id} has no finding \"{finding}\" in the latest verification; run "
                          "fieldeval verify first and check the archive id and the finding's name"),
    "review.no_submission": ("没有档案号或问卷编号为 {value} 的问卷（在最近一次核查结果中）",
                             "No submission with archive id or key {value} in the latest verification"),
    "review.no_results": ("还没有核查结果：请先运行 fieldeval verify --project {path}",
                          "No verification yet: run fieldeval verify --project {path} first"),
    "review.progress": ("已复核 {done} / {total}", "reviewed {done} of {total}"),
    "review.recorded": ("已记录：{archive_id} 的“{finding}”→ {decision}（{who}，{why}）",
                        "Recorded: {archive_id}, \"{finding}\" → {decision} ({who}: {why})"),
    "review.recorded_status": ("已记录：问卷 {key} → {status}（{who}，{why}）",
                               "Recorded: submission {key} → {status} ({who}: {why})"),
    "review.bad_share": ("evaluation.toml 的 [review] share 应为 0 到 1 之间的比例（或 0 到 100 的百分数），实际为“{value}”",
                         "[review] share in evaluation.toml must be a share from 0 to 1 (or a percent up to 100), "
                         "got \"{value}\""),
    # the workbook (fieldeval review export / import)
    "review.sheet": ("复核清单", "Review queue"),
    "review.sheet_title": ("复核清单：每户每项核查发现一行；请在“复核结论”和“理由”两列填写，不要修改其他列",
                           "Review queue: one row per household and finding; fill in \"decision\" and \"reason\" "
                           "only, leave the other columns as they are"),
    "review.col.archive_id": ("档案号", "archive id"),
    "review.col.county": ("县区", "county"),
    "review.col.finding": ("核查发现", "finding"),
    "review.col.finding_code": ("发现代码", "finding code"),
    "review.col.flagged": ("是否判定有问题", "flagged"),
    "review.col.evidence": ("证据", "evidence"),
    "review.col.why_queued": ("列入原因", "why in the queue"),
    "review.col.current": ("当前结论", "current decision"),
    "review.col.decision": ("复核结论", "decision"),
    "review.col.reason": ("理由", "reason"),
    "review.col.hash": ("证据校验码", "evidence hash"),
    "review.yes": ("是", "yes"),
    "review.no": ("否", "no"),
    "review.why.finding": ("有核查发现", "has a finding"),
    "review.why.quality": ("质量检查存疑", "held by a quality check"),
    "review.why.platform": ("平台审核状态：{state}", "platform review state: {state}"),
    "review.why.random": ("随机抽查", "random check"),
    "review.evidence": ("档案：{archive}；入户：{visit}；规则：{rule}", "archive: {archive}; visit: {visit}; rule: {rule}"),
    "review.import_missing_columns": ("{path} 缺少列：{columns}；请使用 fieldeval review export 导出的文件",
                                      "{path} lacks the columns {columns}; use the file fieldeval review export wrote"),
    "review.import_stale": ("{path} 第 {row} 行（档案号 {archive_id}，“{finding}”）：导出后证据已改变，该行不予导入；"
                            "请重新导出后再复核",
                            "{path} row {row} (household {archive_id}, \"{finding}\"): the evidence changed since "
                            "the export; the row is refused. Export again and review it afresh"),
    "review.import_unknown": ("{path} 第 {row} 行：档案号 {archive_id} 的“{finding}”不在当前核查结果中，该行不予导入",
                              "{path} row {row}: household {archive_id}, \"{finding}\" is not in the current "
                              "verification; the row is refused"),
    "review.import_no_reason": ("{path} 第 {row} 行：填写了复核结论但没有理由，该行不予导入",
                                "{path} row {row}: a decision without a reason; the row is refused"),
    "review.import_done": ("导入 {n} 条复核结论；拒绝 {refused} 行", "Imported {n} decisions; refused {refused} rows"),
    "review.exported": ("复核清单已写入 {path}：{rows} 行，{done}", "Review queue written to {path}: {rows} rows, {done}"),
    # the scorecard and report
    "review.col.as_found": ("复核前估计", "estimate as found"),
    "review.col.as_found_ci": ("复核前区间", "interval as found"),
    "review.col.decisions": ("复核改动户数", "households changed by review"),
    "review.method": (
        "复核规则：所有有核查发现的户、质量检查存疑或平台审核状态为“有问题/暂缓”的问卷，以及其余问卷中按抽样票号随机抽取的 "
        "{share}，均由评估人员复核。复核结论为“推翻”的发现不再计入相应指标；平台或评估人员驳回的问卷按无应答处理，"
        "权重随之调整。记分卡的主要数字为复核后结果，复核前结果并列。",
        "Review rule: every household with a finding, every submission held by a quality check or by its platform "
        "state (has issues / on hold), and a random {share} of the rest drawn with the sample's tickets are reviewed "
        "by an evaluator. A finding overturned on review no longer counts in its indicator; a submission rejected "
        "by the platform or the evaluator counts as a non-response, and the weights follow. The scorecard's main "
        "figures are after review, beside the figures as found."),
    "review.method_counts": ("复核情况：共 {total} 项待复核，已复核 {reviewed} 项，推翻 {overturned} 项，驳回问卷 {rejected} 份。",
                             "Review: {total} items in the queue, {reviewed} reviewed, {overturned} findings "
                             "overturned, {rejected} submissions rejected."),
    "review.table_title": ("各类核查发现的复核情况", "Review by finding type"),
    "review.col.flagged_n": ("判定有问题", "flagged"),
    "review.col.reviewed_n": ("已复核", "reviewed"),
    "review.col.overturned_n": ("推翻", "overturned"),
    "review.appendix_title": ("附录：复核中推翻的核查发现", "Appendix: findings overturned on review"),
    "review.appendix_none": ("复核中没有推翻任何核查发现。", "No finding was overturned on review."),
    "review.col.pseudonym": ("化名编号", "pseudonym"),
    "review.col.role": ("复核人身份", "reviewer's role"),
    "review.col.date": ("日期", "date"),
    "review.role": ("评估人员", "evaluator"),
    "review.after_review": ("复核后", "after review"),
    "review.demo_step": ("评估人员复核（推翻一项发现、驳回一份问卷），复核后重新核算",
                         "The evaluator's review (one finding overturned, one submission rejected), then the "
                         "figures again"),
    "review.demo_why_overturn": ("演示：复核台账后认定收入已超过低保标准", "demo: the ledger shows income above the line"),
    "review.demo_why_confirm": ("演示：复核后确认", "demo: confirmed on review"),
    "review.demo_why_reject": ("演示：问卷未经入户完成，驳回", "demo: not completed in person, rejected"),
    "review.demo_line": ("  {indicator}（{county}）：复核前 {before} → 复核后 {after}（改动 {n} 户）",
                         "  {indicator} ({county}): as found {before} → after review {after} ({n} households changed)"),
    "review.demo_done": ("复核：记录了 {n} 条复核结论（推翻 {overturned} 项发现，驳回 {rejected} 份问卷）；记分卡为复核后结果",
                         "Review: {n} decisions recorded ({overturned} findings overturned, {rejected} submissions "
                         "rejected); the scorecard is after review"),
}
