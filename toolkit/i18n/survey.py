"""Messages of the survey engine (toolkit.survey), satisfaction scales
(toolkit.scoring) and the ``fieldeval estimate`` command."""
MESSAGES = {
    # design specification
    "survey.not_a_frame": ("数据必须是表格（DataFrame），收到的是 {type}。",
                           "The data must be a table (DataFrame), got {type}."),
    "survey.empty": ("数据没有任何行，无法估计。", "The data has no rows; nothing to estimate."),
    "survey.unknown_columns": ("数据中没有这些列：{columns}。现有的列：{available}",
                               "No such column(s) in the data: {columns}. Columns present: {available}"),
    "survey.bad_lonely_psu": ("单个 PSU 层的处理方式“{value}”无效，可选：{allowed}。",
                              "Unknown lonely-PSU rule '{value}'; use one of: {allowed}."),
    "survey.ssu_without_psu": ("给了二阶段单位列“{ssu}”，但没有给一阶段 PSU 列（--psu）。",
                               "A second-stage unit column ('{ssu}') needs a PSU column (--psu) too."),
    "survey.fpc_stages": ("有限总体校正给了 {given} 列，但设计只有 {stages} 个抽样阶段。",
                          "{given} fpc column(s) given but the design has {stages} stage(s)."),
    "survey.design_missing": ("设计变量“{column}”有 {rows} 行缺失值；层、PSU、权重和 fpc 不能缺失。",
                              "Design column '{column}' is missing in {rows} row(s); strata, PSUs, "
                              "weights and fpc must be complete."),
    "survey.fpc_invalid": ("有限总体校正列“{column}”必须全为正数。",
                           "The fpc column '{column}' must be positive."),
    "survey.fpc_mixed": ("有限总体校正列（{columns}）混用了总体数（>1）和抽样比（<1），请统一。",
                         "The fpc columns ({columns}) mix population counts (>1) and sampling "
                         "fractions (<1); use one or the other."),
    "survey.fpc_not_constant": ("有限总体校正列“{column}”在同一个“{within}”内取值不一致。",
                                "The fpc column '{column}' varies within '{within}'; it must be "
                                "constant there."),
    "survey.fpc_too_small": ("有限总体校正列“{column}”说明总体比样本还小（{group}）：请检查总体数。",
                             "The fpc column '{column}' is smaller than the number sampled "
                             "({group}); check the population counts."),
    "survey.negative_weights": ("权重列“{column}”有负值。", "The weight column '{column}' has negative values."),
    "survey.lonely_psu": ("层“{stratum}”在第 {stage} 阶段只抽到 1 个单位（共 {count} 个这样的层），"
                          "当前设定为 fail。可改用 adjust、average、certainty 或 remove。",
                          "Stratum '{stratum}' has a single sampled unit at stage {stage} ({count} "
                          "such strata) and lonely_psu is 'fail'; use adjust, average, certainty "
                          "or remove instead."),
    "survey.bad_mask": ("子总体条件的长度（{got}）与数据行数（{expected}）不一致。",
                        "The subset mask has {got} values but the data has {expected} rows."),
    "survey.already_poststratified": ("该设计已经事后分层过一次。", "This design is already post-stratified."),
    "survey.poststratify_subset": ("请先对完整设计做事后分层，再取子总体。",
                                   "Post-stratify the full design first, then take subsets."),
    "survey.poststrata_missing": ("样本中的事后分层类别在总体数中找不到：{levels}",
                                  "Post-strata in the sample but not in the population counts: {levels}"),
    "survey.poststrata_absent": ("总体数中有样本里没有的事后分层类别：{levels}（如可忽略，请用 partial=True）",
                                 "Population post-strata absent from the sample: {levels} "
                                 "(use partial=True to ignore them)"),
    "survey.population_shape": ("总体数表应包含分层列和一列计数，现有列：{columns}",
                                "The population table needs the post-stratum columns and one count "
                                "column; it has: {columns}"),
    "survey.population_counts": ("总体数必须是非负数。", "Population counts must be non-negative numbers."),
    # estimation
    "survey.not_numeric": ("变量“{column}”不是数值（类型 {dtype}，例如：{examples}）。",
                           "Variable '{column}' is not numeric (type {dtype}; e.g. {examples})."),
    "survey.not_binary": ("比例估计要求变量“{column}”只取 0/1，但出现了：{examples}。",
                          "A proportion needs '{column}' coded 0/1; found: {examples}."),
    "survey.bad_ci": ("置信区间方法“{value}”无效，可选：{allowed}。",
                      "Unknown interval method '{value}'; use one of: {allowed}."),
    "survey.bad_edge_deff": ("边界设计效应“{value}”无效：请用 borrow（借用上一级的设计效应）或一个数（如 1）。",
                             "Unknown edge design effect '{value}'; use 'borrow' (from the level above) "
                             "or a number such as 1."),
    # why a proportion has no interval
    "survey.no_interval.no_data": ("该范围内没有有效观测，无法估计。",
                                   "No valid observation in this domain; nothing to estimate."),
    "survey.no_interval.variance": ("方差无法估计：有的层（或乡镇）只抽到 1 个单位，且单位处理方式为 average。",
                                    "The variance cannot be estimated: a stratum (or township) has a "
                                    "single sampled unit and the lonely-unit rule is 'average'."),
    "survey.no_interval.df": ("自由度为 0：每层只有 1 个抽样单位，无法计算置信区间。",
                              "No degrees of freedom: every stratum has a single sampled unit, so "
                              "no interval can be computed."),
    # non-response
    "survey.bad_disposition_groups": ("处置码分组名无效：{groups}；可用：{allowed}。",
                                      "Unknown disposition group(s): {groups}; use: {allowed}."),
    "survey.unknown_disposition": ("列“{column}”中有 {rows} 行处置码无法归类：{codes}。",
                                   "{rows} row(s) of '{column}' have disposition codes that fit no "
                                   "group: {codes}."),
    "survey.class_without_respondents": ("加权组“{cls}”有未应答者但没有应答者，无法调整；请合并加权组。",
                                         "Weighting class '{cls}' has non-respondents but no "
                                         "respondent; collapse classes first."),
    # scales
    "survey.scale_items": ("量表“{scale}”的题目列表为空或有重复。",
                           "Scale '{scale}' has no items or repeats an item."),
    "survey.scale_reverse": ("量表“{scale}”的反向题不在题目列表中：{items}",
                             "Reverse items of scale '{scale}' are not among its items: {items}"),
    "survey.scale_range": ("量表“{scale}”的取值范围无效：{low}–{high}。",
                           "Scale '{scale}' has an invalid range {low}–{high}."),
    "survey.scale_top": ("量表“{scale}”的满意框宽度 {top} 无效。", "Scale '{scale}': invalid top-box width {top}."),
    "survey.scale_min_answered": ("量表“{scale}”的最少作答题数 {value} 应在 1 到 {k} 之间。",
                                  "Scale '{scale}': minimum answered items {value} must be between 1 and {k}."),
    "survey.scale_unit": ("得分单位“{value}”无效，可选 1-5 或 0-100。",
                          "Unknown score unit '{value}'; use 1-5 or 0-100."),
    # command line
    "survey.cli_format": ("不支持的数据格式“{suffix}”，请用 .csv、.xlsx、.parquet、.sav 或 .dta。",
                          "Unsupported data format '{suffix}'; use .csv, .xlsx, .parquet, .sav or .dta."),
    "survey.cli_unreadable": ("无法读取数据文件 {path}：{detail}", "Cannot read data file {path}: {detail}"),
    "survey.cli_help": ("设计估计：均值、总量、比例或比率，含标准误、置信区间和设计效应",
                        "Design-based estimate: mean, total, proportion or ratio with SE, CI and deff"),
    "survey.cli_design": ("抽样设计：{design}", "Design: {design}"),
    "survey.cli_statistic": ("统计量：{stat}（{var}）", "Statistic: {stat} ({var})"),
    "survey.cli_stat_mean": ("均值", "mean"),
    "survey.cli_stat_total": ("总量", "total"),
    "survey.cli_stat_proportion": ("比例", "proportion"),
    "survey.cli_stat_ratio": ("比率", "ratio"),
    "survey.col_domain": ("子总体", "domain"),
    "survey.col_estimate": ("估计值", "estimate"),
    "survey.col_se": ("标准误", "SE"),
    "survey.col_ci": ("{level}% 置信区间", "{level}% CI"),
    "survey.col_df": ("自由度", "df"),
    "survey.col_deff": ("设计效应", "deff"),
    "survey.col_n": ("样本量", "n"),
    "survey.col_n_eff": ("有效样本量", "n_eff"),
    "survey.cli_ci_method": ("区间方法：{method}", "Interval: {method}"),
}
