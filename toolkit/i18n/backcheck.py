"""Messages of the back-checks (复核, issue 18 part A): draw, lists, comparison, report."""

MESSAGES = {
    # settings and form
    "backcheck.bad_setting": ("evaluation.toml 的 [backcheck] 中“{key}”的值“{value}”无法使用：比例在 0 到 1 之间，权重大于 0",
                              "evaluation.toml [backcheck] \"{key}\" = \"{value}\" cannot be used: shares lie "
                              "between 0 and 1, weights above 0"),
    "backcheck.bad_tolerance": ("复核问卷 {where} 的容差“{value}”无法识别：请写如 500、20% 或 500 or 20%",
                                "Back-check form {where}: tolerance \"{value}\" is not understood; write e.g. 500, "
                                "20% or 500 or 20%"),
    "backcheck.bad_type": ("复核问卷 {where} 的比对类型“{value}”无法使用：填 1、2 或 3，且题目须存在",
                           "Back-check form {where}: comparison type \"{value}\" cannot be used; write 1, 2 or 3 "
                           "on an existing question"),
    "backcheck.no_items": ("复核问卷 {path} 没有标注比对题（bc_type 列）", "The back-check form {path} marks no "
                           "compared item (column bc_type)"),
    # draw
    "backcheck.bad_share": ("复核比例 {share} 无法使用：应大于 0 且不超过 1", "Back-check share {share} cannot be used: "
                            "it must be above 0 and at most 1"),
    "backcheck.no_backcheckers": ("没有复核员：请用 --backcheckers A,B 列出复核员编号",
                                  "No back-checker: list their IDs with --backcheckers A,B"),
    "backcheck.only_self": ("访员 {interviewer} 的住户找不到其他复核员（复核员不能是原访员）：请在 --backcheckers 中再加一人",
                            "No back-checker other than interviewer {interviewer} for their households (never the "
                            "original interviewer): add someone to --backcheckers"),
    "backcheck.no_visits": ("还没有可复核的访问：请先导入（fieldeval ingest）并核查（fieldeval verify）",
                            "No visits to back-check yet: ingest (fieldeval ingest) and verify (fieldeval verify) first"),
    "backcheck.other_sample": ("复核清单属于另一次抽样（主样本清单已变）：请换一个轮次名或删除 {path}",
                               "The back-check manifest belongs to another draw (the main manifest changed): use "
                               "another round or remove {path}"),
    "backcheck.drawn": ("第 {draw} 次抽取复核：新增 {new} 户，本轮共 {total} 户（完成访问与无应答 {population} 户中），"
                        "覆盖访员 {interviewers} 名；种子 {seed}",
                        "Back-check draw {draw}: {new} households added, {total} in this round (of {population} "
                        "completed visits and non-responses), {interviewers} interviewers covered; seed {seed}"),
    "backcheck.left_out": ("{n} 户无应答没有访员记录，未纳入复核抽样", "{n} non-responding households have no "
                           "interviewer recorded and were not in the back-check draw"),
    "backcheck.wrote": ("已写出：{path}", "Wrote: {path}"),
    "backcheck.manifest_unreadable": ("复核清单 {path} 无法读取", "The back-check manifest {path} cannot be read"),
    "backcheck.no_manifest": ("还没有复核抽样：请先运行 fieldeval backcheck draw", "No back-check draw yet: run "
                              "fieldeval backcheck draw first"),
    "backcheck.verify_ok": ("复核抽样核验通过：{draws} 次抽取、{picks} 户均可由清单重新推导",
                            "Back-check draw verified: {draws} draws and {picks} households re-derived from the manifest"),
    "backcheck.verify_algorithm": ("复核清单的算法“{found}”不是本工具的", "The manifest's algorithm \"{found}\" is not ours"),
    "backcheck.verify_main": ("复核清单记录的主样本清单与项目当前的不一致", "The main manifest recorded in the "
                              "back-check manifest differs from the project's"),
    "backcheck.verify_population": ("第 {draw} 次抽取的总体记录被改动（校验值不符）", "Draw {draw}: the population "
                                    "records were changed (checksum differs)"),
    "backcheck.verify_seed": ("第 {draw} 次抽取的抽签种子与记录的种子不符", "Draw {draw}: the ticket seed does not "
                              "follow from the recorded seed"),
    "backcheck.verify_picks": ("第 {draw} 次抽取无法重现：应抽 {expected} 户，清单记 {found} 户（首个不符：{id}）",
                               "Draw {draw} does not re-derive: {expected} households expected, {found} recorded "
                               "(first difference: {id})"),
    "backcheck.verify_unreadable": ("第 {draw} 次抽取的记录不完整，无法重现", "Draw {draw} is incomplete and cannot "
                                    "be re-derived"),
    "backcheck.verify_failed": ("复核抽样核验未通过：", "The back-check draw does not verify:"),
    # lists
    "backcheck.list.no": ("序号", "No."),
    "backcheck.list.county": ("区县", "County"),
    "backcheck.list.township": ("街道（乡镇）", "Township"),
    "backcheck.list.archive_id": ("档案编号", "Archive ID"),
    "backcheck.list.hh_name": ("户主姓名", "Head of household"),
    "backcheck.list.phone": ("联系电话", "Phone"),
    "backcheck.list.address": ("家庭住址", "Address"),
    "backcheck.list.payments": ("台账帮扶款（逐笔询问）", "Ledger payments (ask each)"),
    "backcheck.list.mode": ("复核方式（电话/上门）", "Mode (phone / in person)"),
    "backcheck.list.reach": ("联系结果", "Contact result"),
    "backcheck.list.date": ("复核日期", "Date"),
    "backcheck.list.notes": ("备注", "Notes"),
    "backcheck.list.sheet": ("复核名单", "Back-check list"),
    "backcheck.list.about": ("说明", "About"),
    "backcheck.list.about_item": ("项目", "Item"),
    "backcheck.list.about_value": ("内容", "Value"),
    "backcheck.list.about_draw": ("第 {n} 次抽取", "Draw {n}"),
    "backcheck.list.about_seed": ("种子 {seed}，比例 {share}，{n} 户", "seed {seed}, share {share}, {n} households"),
    "backcheck.list.about_main": ("主样本清单校验值", "Main manifest checksum"),
    "backcheck.list.about_algorithm": ("抽样算法", "Algorithm"),
    "backcheck.list.rules_title": ("复核规则", "Rules"),
    "backcheck.list.rules": ("独立复核：不要查看或询问原访问的答案；复核员不得复核本人访问过的住户；约 10 分钟，"
                             "可电话或上门；联系不上请如实记录联系结果",
                             "Independent: never look at or mention the original answers; never back-check a "
                             "household you interviewed; about 10 minutes, by phone or in person; record the "
                             "contact result as it was"),
    "backcheck.list.header": ("复核名单 · 复核员 {who}", "Back-check list · back-checker {who}"),
    "backcheck.reach.reached": ("联系上本户", "reached the household"),
    "backcheck.reach.not_reached": ("多次联系未果", "not reached after several tries"),
    "backcheck.reach.refused": ("拒绝复核", "refused the back-check"),
    "backcheck.reach.not_exist": ("查无此户", "no such household"),
    # comparison: words
    "backcheck.type.1": ("第一类（不应有差异：访员差错）", "type 1 (must not differ: interviewer error)"),
    "backcheck.type.2": ("第二类（可能有差异：受访者或问卷问题）", "type 2 (may differ: respondent or form)"),
    "backcheck.type.3": ("第三类（随时间稳定性）", "type 3 (stability over time)"),
    "backcheck.result.same": ("一致", "same"),
    "backcheck.result.different": ("不一致", "different"),
    "backcheck.result.not_compared": ("未比对", "not compared"),
    "backcheck.reason.equal": ("相同", "equal"),
    "backcheck.reason.within_tolerance": ("在容差内", "within tolerance"),
    "backcheck.reason.differs": ("不同", "differs"),
    "backcheck.reason.missing_archive": ("原访问无此答案", "no original answer"),
    "backcheck.reason.missing_visit": ("复核无此答案", "no back-check answer"),
    "backcheck.reason.excluded": ("一方答“不知道”", "one side did not know"),
    "backcheck.reason.duplicate": ("同一户的较早复核（只用最后一份）", "an earlier back-check of the same "
                                   "household (the last one is used)"),
    "backcheck.reason.no_original_visit": ("该户没有已接受的原访问", "no accepted original visit of this household"),
    "backcheck.test.t": ("配对 t 检验", "paired t-test"),
    "backcheck.test.wilcoxon": ("Wilcoxon 符号秩检验", "Wilcoxon signed-rank test"),
    "backcheck.test.mcnemar": ("McNemar 精确检验", "exact McNemar test"),
    "backcheck.flag_enumerator": ("第一类差错率高于阈值且显著高于其他访员：请重新培训，并重访其全部住户",
                                  "type-1 error rate above the threshold and significantly above the other "
                                  "interviewers: re-train them and re-visit all their households"),
    "backcheck.flag_backchecker": ("差异率显著高于其他复核员：请核查该复核员的工作（陪访或重复核）",
                                   "discrepancy rate significantly above the other back-checkers: check this "
                                   "back-checker's work (accompany them or back-check again)"),
    "backcheck.flag_none": ("—", "—"),
    "backcheck.all": ("全部", "all"),
    "backcheck.yes": ("是", "yes"),
    "backcheck.no": ("否", "no"),
    # comparison: sheets and headers
    "backcheck.sheet.summary": ("概要", "Summary"),
    "backcheck.sheet.enumerators": ("访员", "Interviewers"),
    "backcheck.sheet.backcheckers": ("复核员", "Back-checkers"),
    "backcheck.sheet.teams": ("小组", "Teams"),
    "backcheck.sheet.items": ("题目", "Items"),
    "backcheck.sheet.households": ("超阈值住户", "Households above threshold"),
    "backcheck.sheet.reliability": ("信度", "Reliability"),
    "backcheck.sheet.tests": ("稳定性检验", "Stability tests"),
    "backcheck.sheet.coverage": ("覆盖", "Coverage"),
    "backcheck.sheet.pairs": ("逐项比对", "Item pairs"),
    "backcheck.sheet.not_used": ("未使用的复核", "Back-checks not used"),
    "backcheck.col.enumerator": ("访员", "Interviewer"),
    "backcheck.col.backchecker": ("复核员", "Back-checker"),
    "backcheck.col.team": ("小组", "Team"),
    "backcheck.col.item": ("题目", "Item"),
    "backcheck.col.type": ("比对类型", "Comparison type"),
    "backcheck.col.id": ("档案编号", "Archive ID"),
    "backcheck.col.KEY": ("问卷编号", "Submission"),
    "backcheck.col.archive_id": ("档案编号", "Archive ID"),
    "backcheck.col.compared": ("比对项数", "Items compared"),
    "backcheck.col.different": ("不一致项数", "Items different"),
    "backcheck.col.error_rate": ("差错率", "Error rate"),
    "backcheck.col.compared_t": ("{type}比对项数", "{type}: items compared"),
    "backcheck.col.different_t": ("{type}不一致项数", "{type}: items different"),
    "backcheck.col.error_rate_t": ("{type}差错率", "{type}: error rate"),
    "backcheck.col.households": ("比对住户数（第一类）", "Households compared (type 1)"),
    "backcheck.col.households_different": ("有第一类差异的住户数", "Households with a type-1 difference"),
    "backcheck.col.p_value": ("p 值（单侧 Mann–Whitney 检验）", "p (one-sided Mann–Whitney)"),
    "backcheck.col.p_test": ("p 值（双侧）", "p (two-sided)"),
    "backcheck.col.p_holm": ("Holm 校正后 p 值", "p after Holm correction"),
    "backcheck.col.flagged": ("是否标记", "Flagged"),
    "backcheck.col.action": ("建议", "What to do"),
    "backcheck.col.over": ("超阈值的类型", "Types above threshold"),
    "backcheck.col.original": ("原访问答案", "Original answer"),
    "backcheck.col.backcheck": ("复核答案", "Back-check answer"),
    "backcheck.col.result": ("结果", "Result"),
    "backcheck.col.reason": ("说明", "Why"),
    "backcheck.col.n": ("配对数", "Pairs"),
    "backcheck.col.mean_original": ("原访问均值", "Original mean"),
    "backcheck.col.mean_backcheck": ("复核均值", "Back-check mean"),
    "backcheck.col.srv": ("简单响应方差 SRV", "Simple response variance (SRV)"),
    "backcheck.col.total_variance": ("总方差", "Total variance"),
    "backcheck.col.reliability": ("信度比", "Reliability ratio"),
    "backcheck.col.inconsistency": ("不一致指数", "Index of inconsistency"),
    "backcheck.col.test": ("检验", "Test"),
    "backcheck.col.shift": ("平均变化（复核 − 原访问）", "Mean shift (back-check − original)"),
    "backcheck.col.statistic": ("统计量", "Statistic"),
    "backcheck.col.visits": ("可复核访问数", "Visits to back-check"),
    "backcheck.col.target": ("应复核户数", "Target"),
    "backcheck.col.drawn": ("已抽户数", "Drawn"),
    "backcheck.col.checked": ("已复核户数", "Back-checked"),
    "backcheck.col.outside_draw": ("抽样外复核户数", "Back-checked outside the draw"),
    "backcheck.col.coverage": ("完成率（已复核 ÷ 应复核）", "Coverage (back-checked ÷ target)"),
    "backcheck.col.what": ("项目", "Item"),
    "backcheck.col.value": ("数值", "Value"),
    "backcheck.sum.households": ("已比对的复核住户", "Back-checked households compared"),
    "backcheck.sum.pairs": ("比对项（不含未比对）", "Item pairs compared"),
    "backcheck.sum.rate": ("{type}差错率", "{type} error rate"),
    "backcheck.sum.flagged": ("被标记的访员", "Interviewers flagged"),
    "backcheck.sum.flagged_bc": ("被标记的复核员", "Back-checkers flagged"),
    "backcheck.sum.over": ("超阈值住户", "Households above a threshold"),
    "backcheck.sum.not_used": ("未使用的复核问卷", "Back-check submissions not used"),
    "backcheck.sum.method": ("方法", "Method"),
    "backcheck.method": (
        "从已完成访问和无应答住户中按访员分层随机抽取约 {share} 进行独立复核（每名访员至少 {min} 户，有核查发现"
        "和无应答的住户抽中机会加倍，复核员不复核本人访问的住户），逐项比对：第一类差错率超过 {t1}、且其住户的第一类差错率经单侧 Mann–Whitney 检验（"
        "Holm 校正，α = {alpha}）显著高于其他住户的访员，标记为需重新培训并重访其住户。",
        "About {share} of completed visits and non-responses were drawn at random within each interviewer for an "
        "independent re-interview (at least {min} per interviewer, households with findings and non-responses "
        "twice as likely, never by the original interviewer) and compared item by item; an interviewer whose "
        "type-1 error rate exceeds {t1} and whose households' type-1 error rates are significantly above the "
        "other households' (one-sided Mann–Whitney test, Holm-corrected, α = {alpha}) is flagged for re-training "
        "and re-visits of their households."),
    "backcheck.compared": ("复核比对：{households} 户、{pairs} 项；第一类差错率 {rate1}；标记访员 {flagged} 名{names}",
                           "Back-check comparison: {households} households, {pairs} items; type-1 error rate "
                           "{rate1}; {flagged} interviewers flagged{names}"),
    "backcheck.no_export": ("没有复核数据：请给出复核问卷的导出文件（--export）", "No back-check data: give the "
                            "back-check form's export (--export)"),
    "backcheck.ingest_note": ("复核导出已导入 {path}：读取 {read}，接受 {accepted}，隔离 {quarantined}",
                              "Back-check export ingested into {path}: {read} read, {accepted} accepted, "
                              "{quarantined} quarantined"),
    "backcheck.demo_step": ("复核：抽取 15% 的访问独立复核并逐项比对（一名复核员粗心）",
                            "Back-checks: 15 % of visits re-interviewed and compared item by item (one careless "
                            "back-checker)"),
    # quality page
    "backcheck.page.title": ("复核发现的访员问题", "Interviewers flagged by the back-checks"),
    "backcheck.page.line": ("访员 {who}：第一类差错率 {rate}（{compared} 项中 {different} 项不一致）。{action}",
                            "Interviewer {who}: type-1 error rate {rate} ({different} of {compared} items "
                            "differ). {action}"),
    # report
    "backcheck.report.title": ("访员质量复核", "Back-checks of the field team"),
    "backcheck.report.coverage": ("复核 {checked} 户（应复核 {target} 户，完成 {coverage}），覆盖访员 {covered}/{interviewers} 名。",
                                  "{checked} households back-checked (target {target}, {coverage} done), "
                                  "{covered} of {interviewers} interviewers covered."),
    "backcheck.report.rates": ("各类差错率：{rates}。", "Error rates: {rates}."),
    "backcheck.report.flagged": ("需重新培训并重访其住户的访员：{names}。", "Interviewers to re-train and whose "
                                 "households to re-visit: {names}."),
    "backcheck.report.none_flagged": ("没有访员的差错率显著超过阈值。", "No interviewer's error rate is "
                                      "significantly above the threshold."),
    "backcheck.report.none": ("本轮尚未进行复核。", "No back-checks in this round yet."),
    # CLI help
    "backcheck.help": ("复核：抽取、比对访员质量", "back-checks: draw, compare the field team's accuracy"),
    "backcheck.help.draw": ("从已完成访问中抽取复核样本，写出复核名单和预载文件",
                            "draw back-checks from completed visits; write lists and the preload"),
    "backcheck.help.compare": ("导入复核导出并与原访问逐项比对", "ingest the back-check export and compare it "
                               "item by item"),
    "backcheck.help.verify": ("由复核清单重新推导抽样，核验未被改动", "re-derive the back-check draw from its manifest"),
}
