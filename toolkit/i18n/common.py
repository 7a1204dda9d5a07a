"""Messages shared by every command."""
MESSAGES = {
    "common.file_not_found": ("找不到文件：{path}", "File not found: {path}"),
    "common.dir_not_found": ("找不到目录：{path}", "Directory not found: {path}"),
    "common.wrote": ("已写出：{path}", "Wrote: {path}"),
    "common.error_prefix": ("错误：", "Error: "),
    "common.warning_prefix": ("警告：", "Warning: "),
    "common.interrupted": ("已中断，未写出任何文件。", "Interrupted; nothing was written."),
    "common.unexpected": (
        "内部错误（不是您的输入问题），请把以下信息报告给开发者：{detail}",
        "Internal error (not a problem with your input); please report: {detail}",
    ),
}
