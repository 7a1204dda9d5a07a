"""Roster rules and fields as words, for the problems file and the by-rule summary.

A rule's name is its catalogue sentence (roster.rule.* / roster2.rule.*)
without the per-row detail: "身份证号校验位错误（应为 {detail}）" names the rule
as "身份证号校验位错误"; the row's own message keeps the detail.
"""
from __future__ import annotations

import re

import pandas as pd

from toolkit.i18n import t
from toolkit.labels import field_labels, map_words

_MARK = "\x00"
_DETAIL = re.compile(r"\s*[（(][^（()）]*\x00[^（()）]*[）)]|[：:，,]?\s*\x00")


def rule_name(rule: str, lang: str = "zh") -> str:
    """The rule in words, without its per-row detail."""
    from toolkit.roster.validate import rule_key

    if rule == "not_household":
        return t("words2.rule.not_household", lang)
    text = t(rule_key(str(rule)), lang, detail=_MARK)
    return _DETAIL.sub("", text).replace(_MARK, "").strip()


def rule_names(rules: pd.Series, lang: str = "zh") -> pd.Series:
    """:func:`rule_name` of a column (one lookup per distinct rule)."""
    return map_words(rules, {str(r): rule_name(str(r), lang) for r in pd.unique(rules.dropna())})


def column_words(columns: pd.Series, lang: str = "zh") -> pd.Series:
    """Roster field codes (``household_size``) as words (家庭人口 / Household size)."""
    return field_labels(columns.fillna("—"), lang)


__all__ = ["column_words", "rule_name", "rule_names"]
