"""What the union reports: tally kinds, their columns, how headers are
recognised, and the tolerances of the comparison.

Three kinds of tally, one sheet each:

=============  ==============================================  ==============================
kind           one row per                                      measures
=============  ==============================================  ==============================
``category``   county × hardship category (在档 households)     households (户), persons (人)
``status``     county × archive status (在档/已脱困/已解困/注销)  households (户)
``payments``   county × help item × year                        payments (笔), amount (元)
=============  ==============================================  ==============================

Archive side (toolkit.reconcile.archive): ``category`` counts roster rows
with status 在档 and sums their 家庭人口; ``status`` counts every roster
row; ``payments`` counts ledger rows and sums their amounts by the year of
the payment date, the county being the household's in the roster.

Tolerances (evaluation.toml ``[reconcile]``): ``count_tolerance`` (default
0: counts must be equal) and ``amount_tolerance`` (yuan, default 0.5). An
amount reported in 万元 also gets half a unit of its last reported digit
(12.35 万元 may stand for anything within ±50 元), recorded per tally.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from toolkit.config import CATEGORIES, STATUSES, Evaluation
from toolkit.errors import UserError
from toolkit.roster.schema import HELP_ITEMS

KINDS = ("category", "status", "payments")
MEASURES = {"category": ("households", "persons"), "status": ("households",), "payments": ("payments", "amount")}
GROUPS = {"category": CATEGORIES, "status": STATUSES, "payments": HELP_ITEMS}
COUNT_MEASURES = ("households", "persons", "payments")

# Header recognition: a (combined) header cell is normalised (NFKC, no spaces,
# ASCII brackets, lower case) and tested against these fragments in this order
# (笔数 before 资金, so "帮扶资金笔数" is a count).
HEADER_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("payments", ("笔数", "人次", "次数", "payments", "numberofpayments")),
    ("amount", ("金额", "资金", "amount", "yuan")),
    ("households", ("户数", "在档户", "households")),
    ("persons", ("人数", "人口", "persons", "people")),
    ("year", ("年度", "年份", "year")),
    ("county", ("区县", "县区", "县(市", "地区", "区划", "单位名称", "county")),
    ("category", ("困难类别", "类别", "困难类型", "困难程度", "category")),
    ("status", ("档案状态", "状态", "status")),
    ("item", ("帮扶项目", "救助项目", "项目", "item")),
)
GROUP_FIELD = {"category": "category", "status": "status", "payments": "item"}
TEN_THOUSAND = ("万元", "10kyuan", "10,000yuan", "tenthousandyuan", "万")

TOTAL_WORDS = ("合计", "小计", "总计", "累计", "全市", "总数", "total", "subtotal")
NOTE_WORDS = ("填表人", "填报人", "审核人", "负责人", "制表", "填报日期", "填表日期", "日期", "盖章", "备注", "说明",
              "注:", "注：", "单位负责人", "联系电话", "note")
DASHES = ("-", "—", "–", "－", "——", "/", "／", "无")
"""Cells that mean "none" in a Chinese statistical table (统计表中“—”表示无): read as 0."""

_BRACKETS = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ","})
_SPACE = re.compile(r"[\s\u3000]+")


def norm(text: object) -> str:
    """Text compared: NFKC width folding, ASCII brackets and colon, no spaces, lower case."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).translate(_BRACKETS)
    return _SPACE.sub("", s).lower()


def header_field(text: object) -> str | None:
    """The field a header cell names (see HEADER_RULES), or None."""
    n = norm(text)
    if not n:
        return None
    for name, frags in HEADER_RULES:
        if any(f in n for f in frags):
            return name
    return None


KNOWN = "count_tolerance, amount_tolerance"


@dataclass(frozen=True)
class Settings:
    """Tolerances of the comparison (``[reconcile]`` in evaluation.toml):
    counts within ``count_tolerance`` (households, persons, payments), amounts
    within ``amount_tolerance`` yuan."""

    count_tolerance: float = 0.0
    amount_tolerance: float = 0.5

    @classmethod
    def of(cls, evaluation: Evaluation) -> Settings:
        """The project's settings; UserError naming the key for a bad value."""
        raw = evaluation.extra.get("reconcile", {}) if isinstance(evaluation.extra, dict) else {}
        if not isinstance(raw, dict):
            raw = {}
        out = {}
        for key in ("count_tolerance", "amount_tolerance"):
            if key in raw:
                v = raw[key]
                if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                    raise UserError("recon.bad_setting", key=key, value=v, known=KNOWN)
                out[key] = float(v)
        unknown = sorted(set(raw) - {"count_tolerance", "amount_tolerance"})
        if unknown:
            raise UserError("recon.bad_setting", key=unknown[0], value=raw[unknown[0]], known=KNOWN)
        return cls(**out)


__all__ = ["KINDS", "MEASURES", "GROUPS", "GROUP_FIELD", "COUNT_MEASURES", "HEADER_RULES", "TOTAL_WORDS",
           "NOTE_WORDS", "DASHES", "TEN_THOUSAND", "Settings", "norm", "header_field"]
