"""Participant roles, never names.

A forum's participants are written as roles (工会干部、帮扶责任人、困难职工代表
3 名 …). A role is a word the evaluation knows (:data:`ROLES`) or a title
ending like one (…干部, …代表, …主席, …书记, …主任, …负责人, …人员, …员, …长 …);
counts such as "3 名" or "（2人）" are allowed after it. Anything else of
two to four Chinese characters reads like a personal name, and a Latin token
without a role word likewise: such a row is refused, in words. A column whose
header asks for names (姓名, 发言人, name …) is not read at all.
"""
from __future__ import annotations

import re

import pandas as pd

ROLES = ("工会干部", "帮扶责任人", "困难职工代表", "困难职工", "职工代表", "社区干部", "街道干部", "企业工会主席",
         "工会主席", "财务人员", "经审人员", "民政部门", "人社部门", "帮扶中心工作人员", "乡镇工会干部", "企业负责人",
         "农民工代表", "家属代表", "志愿者")
SUFFIXES = ("工作人员", "干部", "代表", "主席", "书记", "主任", "负责人", "人员", "员", "长", "工作者", "责任人", "帮扶人", "职工",
            "家属", "居民", "部门", "会计", "出纳", "志愿者", "农民工", "委员", "专干", "干事")
LATIN_ROLES = ("cadre", "helper", "representative", "chair", "staff", "officer", "accountant", "worker", "member",
               "secretary", "director", "head", "resident", "volunteer", "official", "department", "manager", "family")
NAME_HEADERS = re.compile(r"姓名|名字|名单|发言人|签名|^name|names$|speaker|signature", re.IGNORECASE)
_SPLIT = re.compile(r"[、,，;；/|\n]+")
_COUNT = re.compile(r"[\s（(]*\d+\s*(名|人|位|个)?[）)]?\s*$|[\s（(]*[一二三四五六七八九十两]+\s*(名|人|位)[）)]?\s*$")


SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
               "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
"""Common surnames: "王主任" (a surname and a title) names a person, so it is refused like a name."""


def tokens(roles: str) -> list[str]:
    """The role words of one cell, as written (blank pieces dropped)."""
    return [p.strip() for p in _SPLIT.split(str(roles)) if p.strip()]


def _is_role(token: str) -> bool:
    core = _COUNT.sub("", token).strip()
    if not core:
        return False
    if re.search(r"[A-Za-z]", core):
        low = core.lower()
        return any(w in low for w in LATIN_ROLES)
    if core in ROLES:
        return True
    for suf in SUFFIXES:
        if core.endswith(suf):
            head = core[: -len(suf)]
            return not (len(head) <= 2 and head[:1] in SURNAMES and len(core) <= 4 and head not in ("工会", "社区"))
    return False


def name_like(roles: pd.Series) -> pd.Series:
    """For each cell, the first piece that is not a role (a possible name), or ""."""
    def first(cell: object) -> str:
        if cell is None or (isinstance(cell, float) and pd.isna(cell)):
            return ""
        for tok in tokens(str(cell)):
            if not _is_role(tok):
                return tok
        return ""
    return roles.astype(object).map(first)


def normalise(roles: pd.Series) -> pd.Series:
    """Role cells joined with "、" (the pieces as written)."""
    return roles.astype(object).map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v))
                                    else "、".join(tokens(str(v))) or None)


def name_headers(headers: list[str]) -> list[str]:
    """The headers that ask for personal names."""
    return [h for h in headers if NAME_HEADERS.search(str(h))]


__all__ = ["ROLES", "SUFFIXES", "name_like", "normalise", "name_headers", "tokens"]
