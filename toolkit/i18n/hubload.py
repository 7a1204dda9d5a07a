"""Words of the leadership extract and the hub's load figures (issue 20, third session). Prefix ``hubload.``."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "hubload.no_extract": (
        "领导看板的去标识化汇总（{path}）还没有生成，而本账户没有项目密钥，不能从加密的核查结果生成它。"
        "请评估人员在有密钥的电脑上运行：fieldeval verify --project {project}",
        "The leadership dashboard's de-identified summary ({path}) has not been written yet, and this account "
        "has no project key to make it from the encrypted results. Ask an evaluator with the key to run: "
        "fieldeval verify --project {project}"),
}
