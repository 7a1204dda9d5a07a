"""Messages of rosters as union offices keep them (several sheets, totals and
signature rows, 一人多档), of column names given in words, and of `fieldeval init`."""
MESSAGES = {
    # validation rules added with office workbooks
    "roster2.rule.one_person_many_archives": (
        "同一身份证号还登记在档案 {detail}（一人多档）：请核实后只保留一份档案",
        "the same ID number is also on archive {detail} (one person, several archives): check and keep one archive"),
    "roster2.rule.duplicate_archive_id_at": ("档案编号重复（另见 {detail}）", "duplicate archive id (also at {detail})"),
    # rows that are not households
    "roster2.kind.blank": ("空行", "blank row"),
    "roster2.kind.header": ("重复的表头", "repeated header"),
    "roster2.kind.total": ("合计/小计行", "total or subtotal row"),
    "roster2.kind.signature": ("签名盖章栏（填表人、审核人、日期等）", "signature block (prepared by, checked by, date…)"),
    "roster2.kind.note": ("注释说明", "note"),
    # sheets not read as the roster
    "roster2.skip.empty": ("空白工作表", "empty sheet"),
    "roster2.skip.no_header": ("没有档案表头（如填表说明、汇总页），不是名册", "no roster header (instructions, a summary): not a roster"),
    "roster2.skip.help_records": ("帮扶记录表，已作为帮扶记录读取", "help records: read as help records"),
    "roster2.skip.other_header": ("表头与第一张名册不同（多出：{extra}；缺少：{lack}）。如只读这一张表，请用 --sheet 指定",
                                  "its header differs from the first roster sheet (extra: {extra}; missing: {lack}). "
                                  "To read this sheet alone, give --sheet"),
    # roster check
    "roster2.check.sheets": ("已把 {count} 个表头相同的工作表合并为一份名册：{sheets}（工作表名记在“工作表”列，行号为各表内的行号）",
                             "{count} sheets with the same header read as one roster: {sheets} (the sheet name is "
                             "kept in the column 'sheet'; row numbers are those within each sheet)"),
    "roster2.check.skipped": ("未作为名册读取的工作表“{sheet}”：{reason}", "Sheet '{sheet}' not read as roster: {reason}"),
    "roster2.check.rows": ("共读取 {read} 行：档案户 {households} 户，另有 {other} 行不是档案户（{kinds}），未计入名册：",
                           "{read} rows read: {households} households, and {other} rows that are not households "
                           "({kinds}), not counted in the roster:"),
    "roster2.check.kind_count": ("{kind} {count} 行", "{kind}: {count}"),
    "roster2.check.row_line": ("  {where}：{kind}（“{text}”）", "  {where}: {kind} ('{text}')"),
    "roster2.check.row_line_blank": ("  {where}：{kind}", "  {where}: {kind}"),
    "roster2.check.more_rows": ("  ……另有 {count} 行，见问题清单", "  … {count} more, see the problems file"),
    "roster2.where.row": ("第 {row} 行", "row {row}"),
    "roster2.where.sheet_row": ("工作表“{sheet}”第 {row} 行", "sheet '{sheet}' row {row}"),
    "roster2.not_household": ("不是档案户，未计入名册：{kind}", "not a household, not counted in the roster: {kind}"),
    "roster2.severity.note": ("说明", "note"),
    "roster2.col.sheet": ("工作表", "sheet"),
    "roster2.col.sheet_row": ("表内行号", "row in sheet"),
    # column names given on the command line (--strata, --psu, --sort-by)
    "roster2.unknown_column": ("名册中没有“{name}”这一列。可用的列名（表头、中文名或内部名均可）：{accepted}",
                               "The roster has no column '{name}'. Names you can use (the header, the Chinese "
                               "name or the internal name): {accepted}"),
    # the draw: households left out
    "roster2.excluded.blank_id": ("档案编号为空：无法走访或追溯，不参加抽样", "archive id blank: cannot be visited or traced, not drawn"),
    "roster2.excluded.summary": ("有 {count} 户未参加抽样（{reason}）：{where}。清单：{path}",
                                 "{count} households were not drawn ({reason}): {where}. List: {path}"),
    "roster2.excluded.not_households": ("名册中另有 {count} 行不是档案户（合计、空行、签名栏等），未参加抽样；用 fieldeval roster check 可列出。",
                                        "The roster also has {count} rows that are not households (totals, blank rows, "
                                        "signature lines…), not drawn; `fieldeval roster check` lists them."),
    "roster2.excluded.col.source": ("来源", "source"),
    "roster2.excluded.col.where": ("位置", "where"),
    "roster2.excluded.col.reason": ("原因", "reason"),
    "roster2.source.roster": ("名册", "roster"),
    "roster2.source.comparison": ("对照户框", "comparison frame"),
    # fieldeval init
    "roster2.init.ask_name": ("评估项目名称（如 合肥市2026年困难职工帮扶第三方评估）：",
                              "Name of the evaluation (e.g. Hefei 2026 hardship relief evaluation): "),
    "roster2.init.ask_counties": ("被评估的区县，逗号分隔，每个写 名称:6位区划代码（如 瑶海区:340102,庐阳区:340103）：",
                                  "Counties evaluated, comma separated, each as name:6-digit area code "
                                  "(e.g. 瑶海区:340102,庐阳区:340103): "),
    "roster2.init.ask_lines": ("低保标准和最低工资标准（元/人/月，逗号分隔，如 880,2060）：",
                               "低保 line and minimum wage (yuan per person per month, comma separated, e.g. 880,2060): "),
    "roster2.init.ask_roster": ("名册文件路径（工会导出的 Excel 或 CSV 文件）：", "Path of the roster file (the union's Excel/CSV export): "),
    "roster2.init.missing": ("新建评估项目还缺少：{flags}。请在命令行给出（如 fieldeval init 目录 --name 名称 "
                             "--counties 瑶海区:340102,庐阳区:340103 --lines 880,2060 --roster 名册.xlsx），"
                             "或在终端中运行以逐项回答。",
                             "Creating the project still needs: {flags}. Give them on the command line (e.g. fieldeval "
                             "init DIR --name NAME --counties 瑶海区:340102,庐阳区:340103 --lines 880,2060 --roster "
                             "roster.xlsx), or run it in a terminal to be asked."),
    "roster2.init.flag.name": ("--name（评估项目名称）", "--name (evaluation name)"),
    "roster2.init.flag.counties": ("--counties（区县）", "--counties (counties)"),
    "roster2.init.flag.lines": ("--lines（低保标准和最低工资）", "--lines (低保 line and minimum wage)"),
    "roster2.init.flag.roster": ("--roster（名册文件）", "--roster (roster file)"),
    "roster2.init.bad_county": ("区县“{value}”写法不对：应为 名称:6位区划代码，可再加 :低保:最低工资（如 长丰县:340121:850:1930）",
                                "County '{value}' is not written right: use name:6-digit area code, optionally "
                                ":低保:minimum wage (e.g. 长丰县:340121:850:1930)"),
    "roster2.init.bad_lines": ("“{value}”不是两个正数：请写 低保标准,最低工资标准（元/人/月，如 880,2060）",
                               "'{value}' is not two positive numbers: give 低保 line,minimum wage (yuan per person "
                               "per month, e.g. 880,2060)"),
    "roster2.init.no_lines": ("区县“{county}”没有低保标准和最低工资：请用 --lines 给出，或写成 {county}:代码:低保:最低工资",
                              "County '{county}' has no 低保 line and minimum wage: give --lines, or write "
                              "{county}:code:低保:minimum wage"),
    "roster2.init.empty_name": ("评估项目名称不能为空", "The evaluation name cannot be empty"),
    "roster2.init.roster_missing": ("提示：名册文件 {path} 目前还不存在；放到该位置后即可运行 fieldeval roster check 和 fieldeval verify。",
                                    "Note: the roster file {path} does not exist yet; put it there before roster check and verify."),
    "roster2.init.summary": ("评估项目“{name}”：{count} 个区县（{counties}），名册 {roster}",
                             "Evaluation '{name}': {count} counties ({counties}), roster {roster}"),
}
