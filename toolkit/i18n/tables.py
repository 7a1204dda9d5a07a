"""Messages of toolkit.tables."""
MESSAGES = {
    "tables.bad_suffix": ("只能写成 .csv 或 .xlsx：{path}", "Only .csv or .xlsx can be written: {path}"),
}
