"""Messages of toolkit.synthetic and ``fieldeval synth``."""
MESSAGES = {
    "synthetic.bad_households": ("户数应为 1 到 {limit} 之间的整数，实际为 {value}",
                                 "the number of households must be between 1 and {limit}, got {value}"),
    "synthetic.households_positive": ("户数应为正整数，实际为 {value}",
                                      "the number of households must be a positive integer, got {value}"),
    "synthetic.no_counties": ("至少需要一个区县", "at least one county is needed"),
    "synthetic.out_not_dir": ("输出位置 {path} 已存在且不是目录", "Output {path} exists and is not a directory"),
    "synthetic.too_many_rows": ("{path} 有 {rows} 行，超过 Excel 单个工作表的上限 {limit} 行；请减少户数",
                                "{path} would hold {rows} rows, more than an Excel sheet's limit of {limit}; "
                                "use fewer households"),
    "synthetic.built": ("已生成合成城市（种子 {seed}）：{households} 户档案，{counties} 个区县，"
                        "帮扶记录 {records} 条，对照户 {comparison} 户，用时 {seconds:.1f} 秒",
                        "Built a synthetic city (seed {seed}): {households} registered households in "
                        "{counties} counties, {records} help records, {comparison} comparison households, "
                        "in {seconds:.1f} s"),
    "synthetic.file": ("  {path}（{rows} 行）", "  {path} ({rows} rows)"),
    "synthetic.file_plain": ("  {path}", "  {path}"),
    "synthetic.truth_note": ("truth*.parquet 与 truth_rates.csv 是植入的“真相”，仅供检验评估方法，切勿交给被评估方。",
                             "truth*.parquet and truth_rates.csv hold the planted truth, for checking the "
                             "evaluation method only; never hand them to the evaluated union."),
}
