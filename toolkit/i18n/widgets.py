"""Messages of the dashboards (toolkit.widgets)."""
MESSAGES = {
    "widgets.no_visits": ("项目里还没有入户数据（找不到 submissions.parquet）：{path}。请先运行 fieldeval ingest。",
                          "No visits in the project yet (no submissions.parquet under {path}); run `fieldeval ingest` first."),
    "widgets.no_sample": ("找不到样本：{path}（请先运行 fieldeval sample draw）",
                          "No sample at {path} (run `fieldeval sample draw` first)"),
    "widgets.entry.constraint": ("答案不符合要求", "The answer is not allowed"),
    "widgets.entry.required": ("此题必答", "An answer is required"),
}
MESSAGES.update({
    "widgets.entry.title": ("入户录入", "Household visit entry"),
    "widgets.entry.save_draft": ("保存草稿", "Save draft"),
    "widgets.entry.submit": ("提交", "Submit"),
    "widgets.entry.new": ("新表", "New form"),
    "widgets.entry.drafts": ("草稿", "Drafts"),
    "widgets.entry.load_draft": ("打开草稿", "Open draft"),
    "widgets.entry.file_name": ("文件名", "file name"),
    "widgets.entry.add": ("添加：{what}", "Add: {what}"),
    "widgets.entry.remove": ("删除最后一条", "Remove the last"),
    "widgets.entry.draft_saved": ("草稿已保存（{id}）", "Draft saved ({id})"),
    "widgets.entry.not_submitted": ("未提交：{n} 处需要修改", "Not submitted: {n} answers need attention"),
    "widgets.entry.submitted": ("已提交：{key}", "Submitted: {key}"),
})
