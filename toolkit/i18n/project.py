"""Messages of the evaluation project layer (toolkit.project)."""
MESSAGES = {
    "project.stage_incomplete": (
        "{path} 不完整（上次写出时被中断，或由旧版本写出）。请重新运行生成它的步骤（例如 fieldeval verify）。",
        "{path} is incomplete (its last write was interrupted, or an older version wrote it). "
        "Run the step that makes it again (for example fieldeval verify)."),
    "project.no_results": (
        "还没有核查结果（{path}）。请先运行 fieldeval verify --project 项目目录。",
        "There are no verification results yet ({path}). Run fieldeval verify --project DIR first."),
    "project.bad_ci": (
        "evaluation.toml 的 [estimation] ci = “{value}” 不是可用的区间方法；可选：{choices}。",
        "[estimation] ci = \"{value}\" in evaluation.toml is not an interval method; choose one of: {choices}."),
    "project.bad_small_cell": (
        "evaluation.toml 的 [privacy] small_cell = “{value}” 不是正整数；请写一个整数，例如 5。",
        "[privacy] small_cell = \"{value}\" in evaluation.toml is not a positive whole number; write e.g. 5."),
    "project.no_exports": (
        "没有要导入的数据：未给出导出文件，录入看板也还没有提交（{path}）。",
        "Nothing to ingest: no export file was given and the entry dashboard has no submissions yet ({path})."),
    "project.no_visits_yet": (
        "还没有导入任何入户数据（{path}）。请先运行 fieldeval ingest 导入问卷数据，或在录入看板提交问卷。",
        "No visits have been ingested yet ({path}). Run fieldeval ingest on the questionnaire export, "
        "or submit visits in the entry dashboard, first."),
    "project.no_respondents": (
        "抽中样本中还没有完成的入户调查（{path}；样本外走访 {outside} 份，不计入）。完成入户并导入后再运行核查。",
        "No household of the drawn sample has a completed visit yet ({path}; {outside} visits outside the "
        "sample, not counted). Ingest completed visits, then verify again."),
    "project.outside_title": ("样本外走访（不计入任何指标）", "Visits outside the sample (not counted in any number)"),
    "project.no_dispositions": (
        "尚无实地处置记录（入户名单结果代码、问卷访问结果）：应答率无法计算，以完成的入户作为应答户。",
        "No field dispositions yet (visit-list result codes, questionnaire visit result): no response rate; "
        "completed visits are taken as the respondents."),
    "project.stale": (
        "核查结果早于最新的输入（档案、样本、入户数据或设置已改动）。请重新运行 fieldeval verify。",
        "The verification results are older than the latest inputs (roster, sample, visits or settings changed). "
        "Run fieldeval verify again."),
}
