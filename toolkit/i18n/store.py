"""Messages of the evaluation store (toolkit.store)."""
MESSAGES = {
    "store.bad_url": ("不是数据库地址：{url}", "Not a database URL: {url}"),
    "store.unsupported_url": (
        "不支持的数据库类型 {scheme}（{url}）；请用 sqlite:/// 或 postgresql://",
        "Unsupported database type {scheme} ({url}); use sqlite:/// or postgresql://",
    ),
    "store.cannot_open": ("无法打开评估数据库 {url}：{detail}", "Cannot open the evaluation store {url}: {detail}"),
    "store.schema_newer": (
        "评估数据库 {url} 的结构版本 {found} 比本程序认识的最新版本 {known} 更新；请升级 fieldeval 后再打开，数据库未作任何改动。",
        "The evaluation store {url} has schema version {found}, newer than the newest this program "
        "knows ({known}); upgrade fieldeval to open it. The database was not changed.",
    ),
    "store.not_a_frame": ("{table}：需要一个表格（DataFrame），收到的是 {got}",
                          "{table}: expected a table (DataFrame), got {got}"),
    "store.missing_column": ("{table}：缺少列 {column}", "{table}: column {column} is missing"),
    "store.duplicate_rows": ("{table}：同一键 {key} 出现多次（共 {n} 行）",
                             "{table}: the key {key} appears more than once ({n} rows)"),
    "store.no_round": ("评估轮次 {round_id} 不存在", "Evaluation round {round_id} does not exist"),
    "store.no_manifest": ("抽样清单 {manifest_id} 不存在", "Sample manifest {manifest_id} does not exist"),
    "store.not_a_manifest": ("不是 fieldeval 抽样清单：{detail}", "Not a fieldeval sample manifest: {detail}"),
    "store.bad_sha256": ("不是 SHA-256 指纹：{value}", "Not a SHA-256 fingerprint: {value}"),
    "store.bad_status": ("提交 {key} 的状态 {value} 无效；可用：{choices}",
                         "Submission {key}: status {value} is not one of {choices}"),
    "store.who_why_required": ("修改、备注和更正必须写明操作人和理由",
                               "Overrides, notes and corrections need who made them and why"),
    "store.empty_note": ("备注内容为空", "The note is empty"),
    "store.no_finding": ("找不到档案 {archive_id} 的发现 {finding_type}（轮次 {round_id}）",
                         "No finding {finding_type} for archive {archive_id} (round {round_id})"),
}
