"""Messages of toolkit.sampling and ``fieldeval sample``."""
MESSAGES = {
    # bad input (UserError, exit code 2)
    "sampling.bad_share": ("{name} 应在 0 到 1 之间，实际为 {value}", "{name} must lie between 0 and 1, got {value}"),
    "sampling.bad_number": ("{name} 的取值无效：{value}", "Invalid value for {name}: {value}"),
    "sampling.no_strata": ("抽样框中没有任何单位。", "The sampling frame holds no units."),
    "sampling.stratum_too_small": (
        "层“{stratum}”只有 {size} 个单位；每层至少要有 2 个单位才能抽样并估计方差。请合并该层或把它移出分层。",
        "Stratum \"{stratum}\" has only {size} unit(s); a stratum needs at least 2 units to be sampled "
        "with a variance. Merge it with another stratum or leave it out."),
    "sampling.neyman_missing": (
        "奈曼分配需要层“{stratum}”的标准差 S_h 或预期比例 p_h。",
        "Neyman allocation needs S_h or an anticipated p_h for stratum \"{stratum}\"."),
    "sampling.bad_method": ("未知的方法“{method}”，可选：{choices}", "Unknown method \"{method}\"; choose one of: {choices}"),
    "sampling.min_per_stratum": ("每层最少样本量应不小于 2，实际为 {value}",
                                 "The minimum per stratum must be at least 2, got {value}"),
    "sampling.n_exceeds_frame": (
        "要求抽取 {n} 个单位，但“{stratum}”只有 {size} 个（* 表示整个抽样框）。",
        "Asked for {n} units but \"{stratum}\" holds only {size} (* means the whole frame)."),
    "sampling.n_exceeds_maximum": ("要求抽取 {n} 个单位，但各层上限之和只有 {maximum}。",
                                   "Asked for {n} units but the per-stratum maximums add up to {maximum}."),
    "sampling.n_below_minimum": (
        "总样本量 {n} 小于 {strata} 层 × 每层最少 {per} 个 = {minimum}。",
        "Total sample {n} is below {strata} strata × at least {per} each = {minimum}."),
    "sampling.seed_missing": (
        "没有给出随机种子。请用 --seed 输入一个公开、事先无法预知的数（例如某期福利彩票开奖号码），并用 --seed-source 写明来源和日期。",
        "No seed given. Pass --seed with a public number nobody could know in advance (e.g. a lottery draw) "
        "and say where it came from with --seed-source."),
    "sampling.seed_bad": ("随机种子“{seed}”不能包含控制字符。", "The seed \"{seed}\" must not contain control characters."),
    "sampling.missing_column": ("{source} 中缺少列“{column}”。", "Column \"{column}\" is missing from the {source} frame."),
    "sampling.blank_id": ("{source} 第 {row} 行的 {column} 为空。", "{source} row {row}: {column} is empty."),
    "sampling.duplicate_id": ("档案编号 {id} 重复出现（{rows}）；每户只能有一条记录。",
                              "Archive id {id} appears more than once ({rows}); one record per household."),
    "sampling.blank_stratum": ("第 {row} 行（档案编号 {id}）的“{column}”为空，无法确定所属层或抽样单元。",
                               "Row {row} (archive id {id}): \"{column}\" is empty, so its stratum or PSU is unknown."),
    "sampling.size_both": ("--n 与 --per-stratum 只能给一个。", "Give either --n or --per-stratum, not both."),
    "sampling.size_missing": ("请用 --n 给出总样本量，或用 --per-stratum 给出每层样本量。",
                              "Give the total sample with --n or the per-stratum sample with --per-stratum."),
    "sampling.two_stage_sizes": ("两阶段抽样需要 --psus-per-stratum 和 --per-psu。",
                                 "A two-stage draw needs --psus-per-stratum and --per-psu."),
    "sampling.psu_empty": ("抽样单元“{psu}”（层 {stratum}）在名册中没有任何户。",
                           "PSU \"{psu}\" (stratum {stratum}) has no households in the roster."),
    "sampling.psu_no_size": ("抽样单元“{psu}”没有规模（户数）。", "PSU \"{psu}\" has no size (household count)."),
    "sampling.psus_exceed": ("层“{stratum}”只有 {available} 个一级抽样单元，不够抽 {k} 个。",
                             "Stratum \"{stratum}\" has only {available} PSUs; cannot select {k}."),
    "sampling.reserve_order": (
        "层“{stratum}”{psu} 的备用户必须按顺序启用：应先启用第 {expected} 号，实际启用了第 {got} 号（{id}）。",
        "Reserves of stratum \"{stratum}\" {psu} must be released in order: expected #{expected}, got #{got} ({id})."),
    "sampling.unknown_unit": ("档案编号 {id} 不在样本或备用名单中。", "Archive id {id} is neither in the sample nor on the reserve list."),
    "sampling.bad_disposition": ("档案编号 {id} 的结果代码“{code}”无效，可选：{choices}",
                                 "Archive id {id}: unknown disposition \"{code}\"; choose one of: {choices}"),
    "sampling.replaced_completed": ("档案编号 {id} 已完成访问，不能再被备用户替换。",
                                    "Archive id {id} was completed and cannot be replaced by a reserve."),
    "sampling.manifest_bad": ("抽样清单 {path} 无法读取：{detail}", "Cannot read the sample manifest {path}: {detail}"),
    "sampling.out_exists": ("输出目录 {path} 已存在且不为空；请换一个目录或先删除它。",
                            "Output directory {path} exists and is not empty; choose another or remove it."),
    "sampling.strata_needed": ("请用 --strata 给出分层变量，或用 --strata none 不分层。",
                               "Give the stratification with --strata (or --strata none)."),
    # verify differences
    "sampling.diff_header": ("与抽样清单不一致之处（共 {count} 处）：", "Differences from the manifest ({count}):"),
    "sampling.diff_line": ("  - {what}：{key}：清单为 {expected}，重新推导为 {found}",
                           "  - {what}: {key}: manifest {expected}, re-derived {found}"),
    "sampling.verify_ok": ("验证通过：名册指纹、设计、分配、样本、备用名单与权数均可由种子重新推导且完全一致。",
                           "Verified: roster fingerprint, design, allocation, sample, reserves and weights re-derive identically."),
    # command output
    "sampling.plan_size": (
        "样本量：z = {z:.4f}，n0 = {n0:.2f}，乘设计效应 {deff} 后 {n_deff:.2f}，有限总体校正后 {n_fpc:.2f} → 需完成 {n} 户；"
        "按应答率 {rr:.0%} 需抽取 {n_draw} 户。",
        "Sample size: z = {z:.4f}, n0 = {n0:.2f}, × deff {deff} = {n_deff:.2f}, after the FPC {n_fpc:.2f} → "
        "{n} completed households; at a response rate of {rr:.0%}, draw {n_draw}."),
    "sampling.plan_zero_failure": (
        "零失败样本量（p0 = {p0:.1%}，{method}）：{n} 户；若真实比例为 p0，抽到 0 个问题户的概率为 {miss:.3f}。",
        "Zero-failure size (p0 = {p0:.1%}, {method}): {n} households; P(0 failures | p0) = {miss:.3f}."),
    "sampling.plan_table": ("分层分配（{method}，总计 {n}）：", "Allocation ({method}, total {n}):"),
    "sampling.drawn": ("已抽取 {n} 户（{strata} 层），备用户 {reserves} 户；种子 {seed}。",
                       "Drew {n} households in {strata} strata, {reserves} reserves; seed {seed}."),
    "sampling.progress_tickets": ("计算抽签号", "Computing tickets"),
    "sampling.roster_reader_missing": ("名册读取模块尚不可用：{detail}", "The roster reader is not available yet: {detail}"),
    # visit lists (column headers and sheet names)
    "sampling.sheet_sample": ("入户名单", "Sample"),
    "sampling.sheet_reserves": ("备用名单", "Reserves"),
    "sampling.sheet_about": ("说明", "About"),
}

MESSAGES.update({
    "sampling.what_algorithm": ("算法版本", "algorithm version"),
    "sampling.what_roster_rows": ("名册行数", "roster rows"),
    "sampling.what_roster_column": ("名册列指纹（该列内容有变）", "roster column digest (its contents changed)"),
    "sampling.what_roster_sha256": ("名册指纹", "roster fingerprint"),
    "sampling.what_comparison": ("对照框指纹", "comparison frame fingerprint"),
    "sampling.what_design": ("抽样设计", "design"),
    "sampling.what_draw": ("重新抽样失败", "re-drawing failed"),
    "sampling.what_allocation": ("样本分配", "allocation"),
    "sampling.what_psu": ("一级抽样单元", "PSU"),
    "sampling.what_selected_missing": ("清单中的样本户未被重新抽中", "listed household not re-drawn"),
    "sampling.what_selected_extra": ("重新抽中但清单中没有的户", "re-drawn household missing from the manifest"),
    "sampling.what_selected_value": ("样本户的取值", "sample value"),
    "sampling.what_reserve_missing": ("清单中的备用户未被重新抽中", "listed reserve not re-drawn"),
    "sampling.what_reserve_extra": ("重新抽中但清单中没有的备用户", "re-drawn reserve missing from the manifest"),
    "sampling.what_reserve_value": ("备用户的取值", "reserve value"),
    "sampling.what_counts": ("计数", "counts"),
})
