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
