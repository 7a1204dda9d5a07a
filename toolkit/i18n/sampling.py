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

# dispositions from the field (toolkit.sampling.field_dispositions)
MESSAGES.update({
    "sampling.field.too_many_rows": ("访问名单 {path} 的工作表“{sheet}”超过 {limit} 行，不像一份访问名单；请检查文件。",
                                     ("Sheet \"{sheet}\" of visit list {path} has more than {limit} rows; "
                                     "this is not a visit list. Check the file.")),
    "sampling.field.no_column": ("访问名单 {path} 的工作表“{sheet}”缺少列“{column}”；请使用 fieldeval sample draw 生成的名单，不要改动表头。",
                                 ("Sheet \"{sheet}\" of visit list {path} has no column \"{column}\"; use the list "
                                 "written by fieldeval sample draw and keep its headers.")),
    "sampling.field.unreadable": ("访问名单 {path} 无法读取（{detail}）；请另存为 .xlsx 后重试。",
                                  "Cannot read visit list {path} ({detail}); save it as .xlsx and try again."),
    "sampling.field.no_sheet": ("文件 {path} 中没有工作表 {sheets}，不是访问名单。",
                                "File {path} has no sheet {sheets}; it is not a visit list."),
    "sampling.field.list_blank_id": ("{file}“{sheet}”第 {row} 行填写了内容但没有档案编号；请补上档案编号。",
                                     ("{file}, sheet \"{sheet}\", row {row}: something is written but the archive id "
                                     "is empty; fill in the archive id.")),
    "sampling.field.unknown_code": (
        "{file}“{sheet}”第 {row} 行“结果代码”列的“{value}”无法识别；请改为以下之一：{choices}。",
        ("{file}, sheet \"{sheet}\", row {row}, column 结果代码 (result code): \"{value}\" is not a result code; "
        "write one of: {choices}.")),
    "sampling.field.list_outside": (
        "{file}“{sheet}”第 {row} 行的档案编号 {id} 不在本次抽中的样本或备用名单中：未计入，请核对编号。",
        ("{file}, sheet \"{sheet}\", row {row}: archive id {id} is not in the drawn sample or reserves; "
        "it is not counted. Check the id.")),
    "sampling.field.list_wrong_sheet": (
        "{file}“{sheet}”第 {row} 行：档案编号 {id} 在抽样结果中的身份与所在工作表不符（样本户/备用户）；按抽样结果处理。",
        ("{file}, sheet \"{sheet}\", row {row}: archive id {id} is on the wrong sheet (sampled vs reserve); "
        "the drawn sample decides.")),
    "sampling.field.list_conflict": (
        ("档案编号 {id} 在访问名单中有互相矛盾的结果代码（{value}，首见于 {file}“{sheet}”第 {row} 行）；"
        "在改正前按“尚无结果”处理。"),
        ("Archive id {id} has conflicting result codes on the visit lists ({value}; first at {file}, sheet "
        "\"{sheet}\", row {row}); it counts as having no disposition until corrected.")),
    "sampling.field.link_conflict": (
        "{file}“{sheet}”第 {row} 行：备用户 {reserve} 写明替换样本户 {id}，但该样本户写的是由 {other} 替换；请统一。",
        ("{file}, sheet \"{sheet}\", row {row}: reserve {reserve} says it replaced {id}, but {id} names {other} "
        "as its replacement; make them agree.")),
    "sampling.field.submission_outside": (
        "问卷 {key}（访员 {who}，{when}）的档案编号 {id} 不在本次抽中的样本或备用名单中：样本外访问，不计入任何结果。",
        ("Submission {key} (interviewer {who}, {when}): archive id {id} is not in the drawn sample or reserves; "
        "a visit outside the sample, not counted.")),
    "sampling.field.completed_conflict": (
        "档案编号 {id}：访问名单写“{code}”，但问卷 {key} 已完成访问；按已完成处理，请改正名单。",
        ("Archive id {id}: the visit list says \"{code}\" but submission {key} is a completed interview; "
        "it counts as completed. Correct the list.")),
    "sampling.field.result_differs": (
        "档案编号 {id}：访问名单写“{code}”，问卷 {key} 的访问结果为“{result}”；以名单为准，请核对。",
        ("Archive id {id}: the visit list says \"{code}\", submission {key} says \"{result}\"; the list is kept. "
        "Please check.")),
    "sampling.field.replaced_completed": (
        "样本户 {id} 已完成访问，却被备用户 {reserve} 替换；备用户只能替换未完成访问的户，已取消这一替换记录。",
        ("Household {id} was completed but is recorded as replaced by reserve {reserve}; a reserve may only "
        "replace a non-response. The replacement is not counted.")),
    "sampling.field.not_at_home_short": (
        "档案编号 {id} 记为三次未遇，但只记录了 {n} 次走访；请在“第1/2/3次走访”中补记日期或继续走访。在此之前按“尚无结果”处理。",
        ("Archive id {id} is recorded as not at home but only {n} visit(s) are recorded; fill in the dates of "
        "the three visits or keep visiting. Until then it has no disposition.")),
    "sampling.field.replaced_by_not_reserve": (
        "档案编号 {id} 写明由 {reserve} 替换，但 {reserve} 不是本次抽中的备用户；已取消这一替换记录。",
        ("Archive id {id} names {reserve} as its replacement, but {reserve} is not a drawn reserve; "
        "the replacement is not counted.")),
    "sampling.field.reserve_order": (
        ("层“{stratum}”的备用户 {id}（第 {rank} 号）未按顺序启用：应先启用第 {expected} 号备用户 {other}。"
        "该户不计入样本，请按备用顺序重新启用。"),
        ("Reserve {id} (#{rank}) of stratum \"{stratum}\" was released out of order: reserve #{expected} "
        "{other} comes first. It is not counted; release reserves in order.")),
    "sampling.field.replaced_other_group": (
        "备用户 {reserve} 替换了样本户 {id}，但两户不在同一层或同一抽样单元；备用户只能替换本层本单元的户。",
        ("Reserve {reserve} replaced household {id} of another stratum or PSU; a reserve may only replace a "
        "household of its own stratum and PSU.")),
    "sampling.field.replaced_without_code": (
        "样本户 {id} 已由备用户 {reserve} 替换，但没有记录未访成功的原因；请填写结果代码（如拒访、三次未遇）。",
        ("Household {id} was replaced by reserve {reserve} but has no non-response code; write its result "
        "(e.g. refused, not at home).")),
    "sampling.field.reserve_used_twice": (
        "备用户 {reserve} 被记为替换了多户（含 {id}）；一户备用户只能替换一户。",
        ("Reserve {reserve} is recorded as replacing more than one household (including {id}); a reserve "
        "replaces one household.")),
    "sampling.field.reserves_exceed": (
        "层“{stratum}”启用了 {released} 户备用户，但只有 {nonresponse} 户未访成功（最后启用的是 {id}）；备用户只能用于替换未访成功的户。",
        ("Stratum \"{stratum}\" released {released} reserves for only {nonresponse} non-responses (last released: "
        "{id}); reserves only replace non-responses.")),
    "sampling.field.replacement_inferred": (
        ("备用户 {reserve} 已启用，但名单上没有写明它替换了哪一户；暂按替换 {id}（同层同单元最早未访成功且尚无替换的户）处理。"
         "请在“替换的备用户档案编号”中写明。"),
        ("Reserve {reserve} was released but no list line says which household it replaced; it is taken as "
         "replacing {id} (the earliest non-response of its stratum and PSU without a replacement). Write it in "
         "替换的备用户档案编号 (replacing reserve).")),
    "sampling.field.set_aside_reason": ("未按备用顺序启用，不计入样本", "released out of reserve order; not counted"),
    "sampling.field.none_yet": (
        "尚无访问结果记录（访问名单未回填、也没有问卷）：应答率暂按已完成问卷的户计算。",
        ("No dispositions yet (no visit list filled in and no questionnaire): completed visits are taken as "
        "the respondents.")),
})
