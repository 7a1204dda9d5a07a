"""Evaluation rounds and the change since the last round (toolkit.project.rounds, toolkit.survey.change)."""

MESSAGES = {
    "rounds.help": ("评估轮次：基线与整改后复评", "evaluation rounds: baseline and follow-ups"),
    "rounds.help.start": ("结束本轮并开始新一轮（回访样本或重新抽样）",
                          "close this round and open the next (panel re-visit or fresh sample)"),
    "rounds.help.verify": ("复核本轮回访样本能否由种子重新推导", "re-derive this round's panel from its seed"),
    "rounds.help.status": ("各轮次与较上一轮的变化", "the rounds and the change since the last one"),
    "rounds.panel_or_fresh": ("请在 --panel 比例 与 --fresh 之中选一个：回访上一轮样本，或重新抽取独立样本。",
                              "Choose one of --panel SHARE and --fresh: re-visit the previous sample, or draw a "
                              "fresh one."),
    "rounds.bad_share": ("回访比例应在 0 到 1 之间（不含 0），现在是 {value}。",
                         "The panel share must be above 0 and at most 1; it is {value}."),
    "rounds.no_seed": ("请用 --seed 给出本轮抽样种子（记入抽样清单，供他人复核）。",
                       "Give this round's seed with --seed (it is recorded in the manifest for others to check)."),
    "rounds.name_used": ("轮次名称“{name}”已用过，请换一个名称。", "The round name \"{name}\" is taken; choose another."),
    "rounds.verify_first": ("本轮（{name}）的核查结果不是最新的：请先运行 fieldeval verify，再开始新一轮。",
                            "The results of this round ({name}) are out of date: run fieldeval verify first, "
                            "then open the next round."),
    "rounds.config_edit": ("无法在 {path} 中写入新的轮次名称，请手动编辑该文件，在项目设置一节写入本轮名称。",
                           "Could not write the new round's name into {path}; add round = \"NAME\" under "
                           "[project] by hand."),
    "rounds.not_panel": ("本轮（{name}）不是回访样本，没有可复核的回访抽样。",
                         "This round ({name}) is not a panel: there is no panel draw to re-derive."),
    "rounds.closed": ("已结束轮次“{name}”：估计所需的户级数据与各阶段文件保存在 {path}",
                      "Closed round \"{name}\": its household-level estimation data and stage files are kept in "
                      "{path}"),
    "rounds.opened_panel": ("已开始轮次“{name}”：回访上一轮受访户的 {share}（种子 {seed}），样本写入 {path}",
                            "Opened round \"{name}\": a panel re-visiting {share} of the previous round's "
                            "interviewed households (seed {seed}); sample in {path}"),
    "rounds.opened_fresh": ("已开始轮次“{name}”：重新抽取独立样本（种子 {seed}），样本写入 {path}",
                            "Opened round \"{name}\": a fresh independent sample (seed {seed}); sample in {path}"),
    "rounds.sample_verify_panel": ("这份样本是复评轮次的回访样本（从上一轮受访户中按种子 {seed} 抽取），按回访规则复核：",
                                   "This sample is a follow-up round's panel (drawn from the previous round's "
                                   "interviewed households with seed {seed}); checked by the panel rule:"),
    "rounds.verify_ok": ("回访样本与按种子重新推导的结果完全一致。",
                         "The panel sample is exactly what its seed re-derives."),
    "rounds.verify_failed": ("回访样本与按种子重新推导的结果不一致：", "The panel sample differs from its re-derivation:"),
    "rounds.verify_missing": ("应回访而不在样本中的 {n} 户：{ids}", "{n} households the rule picks are missing: {ids}"),
    "rounds.verify_extra": ("不应回访却在样本中的 {n} 户：{ids}", "{n} households in the sample the rule does not pick: {ids}"),
    "rounds.verify_reordered": ("替补顺序不符的 {n} 户：{ids}", "{n} reserves out of ticket order: {ids}"),
    "rounds.kind.baseline": ("基线评估", "Baseline"),
    "rounds.kind.panel": ("复评（回访样本）", "Follow-up (panel)"),
    "rounds.kind.fresh": ("复评（重新抽样）", "Follow-up (fresh sample)"),
    "rounds.sample.panel": ("回访样本", "a panel re-visit"),
    "rounds.sample.fresh": ("重新抽取的独立样本", "a fresh independent sample"),
    "rounds.after": ("继“{name}”之后", "after \"{name}\""),
    "rounds.no_change_yet": ("还没有与上一轮的比较（本轮核查后才有）。",
                             "No comparison with the last round yet (it comes with this round's verification)."),
    "rounds.verdict.improved": ("显著改善", "significant improvement"),
    "rounds.verdict.worsened": ("显著变差", "significant worsening"),
    "rounds.verdict.no_change": ("变化不显著", "no significant change"),
    "rounds.verdict.undetermined": ("无法判断", "cannot be judged"),
    "rounds.col.indicator": ("指标", "Indicator"),
    "rounds.col.county": ("区县", "County"),
    "rounds.col.before": ("上一轮", "Last round"),
    "rounds.col.after": ("本轮", "This round"),
    "rounds.col.change": ("变化（百分点）", "Change (points)"),
    "rounds.col.interval": ("变化的 95% 区间", "95 % interval of the change"),
    "rounds.col.households": ("受访户（上一轮 / 本轮）", "Households (last / this round)"),
    "rounds.col.verdict": ("结论", "Conclusion"),
    "rounds.report.title": ("较上一轮的变化", "Change since the last round"),
    "rounds.report.intro": ("本轮“{after}”（{kind}）与上一轮“{before}”相比，各指标的变化及其 95% 区间如下。{method}",
                            "This round, \"{after}\" ({kind}), compared with the last, \"{before}\": the change of "
                            "every indicator with its 95 % interval. {method}"),
    "rounds.report.method_panel": ("本轮回访上一轮的部分受访户，变化按配对设计估计：只用两轮都受访的住户，"
                                   "同一住户两轮的差异在同一乡镇（初级抽样单元）内线性化，住户自身的稳定状况相互抵消，"
                                   "区间因此更窄。",
                                   "This round re-visited part of the last round's households, so the change is "
                                   "estimated with the paired design: only households interviewed in both rounds, "
                                   "each household's two answers linearised together within its township (primary "
                                   "sampling unit), so a household's lasting state cancels and the interval is "
                                   "narrower."),
    "rounds.report.method_fresh": ("本轮重新抽取了独立样本，变化的方差为两轮设计方差之和。",
                                   "This round is a fresh independent sample: the variance of the change is the sum "
                                   "of the two rounds' design variances."),
    "rounds.report.counts": ("全市层面：{improved} 项指标显著改善，{worsened} 项显著变差，{same} 项变化不显著。",
                             "City-wide: {improved} indicators improved significantly, {worsened} worsened "
                             "significantly, {same} changed without significance."),
    "rounds.report.rule": ("区间不含 0 即为显著；对“越低越好”的比率（如错评率），下降为改善。",
                           "A change is significant when its interval excludes 0; for rates that should be low "
                           "(such as the wrong-inclusion rate) a fall is an improvement."),
    "rounds.report.table": ("各指标较上一轮的变化", "Change of every indicator since the last round"),
    "rounds.points": ("{value} 个百分点", "{value} points"),
    "rounds.dash.title": ("较上一轮的变化（{before} → {after}）", "Change since the last round ({before} → {after})"),
    "rounds.dash.none": ("本项目只有一轮评估，暂无变化可比。", "This project has one round so far: no change to show."),
    "rounds.demo_step": ("复评：整改期后回访一半样本户（两个区县有改善，一个没有），估计较基线的变化",
                         "Follow-up: half of the sample re-visited after the fix period (two counties improved, one "
                         "did not); the change since the baseline"),
    "rounds.demo_planted": ("植入的整改：{better} 有改善（核实致困原因、制定帮扶计划、帮扶人联系到户），{same} 没有改善。",
                            "Planted fixes: {better} improved (cause confirmed, a help plan, the helper in contact); "
                            "{same} did not."),
    "rounds.demo_line": ("{county}·{indicator}：{before} → {after}，变化 {change}（95% 区间 {low} 至 {high}），{verdict}",
                         "{county} · {indicator}: {before} → {after}, change {change} (95 % interval {low} to {high}), "
                         "{verdict}"),
}
