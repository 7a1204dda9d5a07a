"""The roster's canonical fields and the Chinese headers they are exported under.

One row per household (一户一档). ``FIELDS`` lists each canonical field with
its preferred Chinese header (used when we write a roster), its aliases (what
union systems actually export), its kind and whether validation requires it.
Headers are matched after ``normalise_header``: full-width and half-width
brackets, spaces and case are equivalent.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """A canonical roster field.

    kind: ``text`` | ``id`` (kept as text, never a number) | ``int`` |
    ``number`` (yuan) | ``date`` | ``choice``.
    sensitive: personal information that must not leave the evaluator's store.
    """

    name: str
    header: str
    aliases: tuple[str, ...] = ()
    kind: str = "text"
    required: bool = False
    sensitive: bool = False


FIELDS: tuple[Field, ...] = (
    Field("archive_id", "档案编号", ("职工编号", "档案号", "困难职工档案编号", "编号", "对照户编号"), "id", True),
    Field("level", "档案级别", ("困难职工级别", "级别", "建档级别")),
    Field("category", "困难类别", ("困难类型", "困难程度"), "choice", True),
    Field("status", "档案状态", ("状态", "在档状态"), "choice", True),
    Field("registered_on", "建档日期", ("建档时间", "入档日期"), "date", True),
    Field("exited_on", "脱困日期", ("脱困时间", "解困日期", "退出日期"), "date"),
    Field("name", "姓名", ("职工姓名", "户主姓名", "困难职工姓名"), "text", True, True),
    Field("sex", "性别", (), "choice"),
    Field("birth_date", "出生日期", ("出生年月",), "date"),
    Field("id_number", "身份证号", ("身份证号码", "公民身份号码", "证件号码", "身份证"), "id", True, True),
    Field("ethnicity", "民族"),
    Field("county", "所属区县", ("区县", "县区", "所在区县", "县（市、区）"), "text", True),
    Field("county_code", "区县代码", ("行政区划代码", "区划代码"), "id"),
    Field("township", "街道（乡镇）", ("乡镇街道", "街道乡镇", "街道", "乡镇", "所属街道"), "text", True),
    Field("address", "家庭住址", ("住址", "家庭地址", "居住地址"), "text", False, True),
    Field("phone", "联系电话", ("手机", "手机号码", "电话", "联系方式"), "id", False, True),
    Field("bank_card", "银行卡号", ("银行账号", "社保卡号"), "id", False, True),
    Field("health", "健康状况"),
    Field("disability", "残疾情况", ("残疾状况",)),
    Field("work_status", "就业状况", ("工作状态", "就业状态")),
    Field("employer", "工作单位", ("单位名称", "所在单位")),
    Field("housing", "住房情况", ("住房类型",)),
    Field("household_size", "家庭人口", ("家庭人口数", "家庭人数", "家庭成员数"), "int", True),
    Field("jobless_able_members", "无业有劳动能力人数", ("有劳动能力未就业人数",), "int"),
    Field("household_income", "家庭年收入（元）", ("家庭年收入", "家庭年总收入", "年收入（元）"), "number", True),
    Field("rigid_expenditure", "刚性支出（元）", ("刚性支出", "年刚性支出（元）"), "number"),
    Field("income_per_capita", "家庭月人均收入", ("家庭月人均收入（元）", "月人均收入", "人均月收入"), "number"),
    Field("main_cause", "主要致困原因", ("致困原因",), "choice", True),
    Field("secondary_causes", "次要致困原因", ("其他致困原因",)),
    Field("key_group", "重点群体", ("五类重点群体",)),
    Field("helper", "帮扶责任人", ("结对帮扶人", "帮扶人"), "text", False, True),
    Field("helper_phone", "帮扶责任人电话", ("帮扶人电话",), "id", False, True),
)

BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
REQUIRED: tuple[str, ...] = tuple(f.name for f in FIELDS if f.required)
SENSITIVE: tuple[str, ...] = tuple(f.name for f in FIELDS if f.sensitive)

# Help records (帮扶记录): one row per payment, from a second sheet or file.
HELP_FIELDS: tuple[Field, ...] = (
    Field("archive_id", "档案编号", ("职工编号", "档案号"), "id", True),
    Field("item", "帮扶项目", ("救助项目", "项目"), "choice", True),
    Field("date", "发放日期", ("帮扶日期", "日期", "救助日期"), "date", True),
    Field("amount", "金额（元）", ("发放金额", "帮扶金额", "金额", "救助金额（元）"), "number", True),
    Field("fund_source", "资金来源", ("资金渠道",), "choice"),
)
HELP_BY_NAME: dict[str, Field] = {f.name: f for f in HELP_FIELDS}

CAUSES = ("无劳动能力", "有劳动能力未就业", "下岗失业", "未参加社保", "社保待遇落实不到位",
          "患重特大疾病", "自然灾害", "意外事故", "子女上学", "其他")
HELP_ITEMS = ("生活救助", "金秋助学", "医疗救助", "就业创业帮扶", "送温暖", "职工互助保险")
FUND_SOURCES = ("中央财政", "地方财政", "工会经费", "社会捐赠")
SEXES = ("男", "女")

_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "：": ":"})
_SPACE = re.compile(r"[\s\u3000]+")


def normalise_header(text: object) -> str:
    """Header text with NFKC width folding, ASCII brackets, no spaces, lower case."""
    s = unicodedata.normalize("NFKC", str(text)).translate(_BRACKETS)
    return _SPACE.sub("", s).lower()


def alias_table(fields: tuple[Field, ...] = FIELDS) -> dict[str, str]:
    """Normalised header -> canonical name, for the header and every alias.

    Also accepts the canonical English name itself and headers with the unit
    in brackets dropped ("家庭年收入（元）" ↔ "家庭年收入").
    """
    table: dict[str, str] = {}
    for f in fields:
        for h in (f.name, f.header, *f.aliases):
            n = normalise_header(h)
            table.setdefault(n, f.name)
            bare = re.sub(r"\((元|人|万元)\)$", "", n)
            table.setdefault(bare, f.name)
    return table


# Columns the reader adds (a workbook read sheet by sheet), by the names a person may use.
ADDED_COLUMNS: dict[str, tuple[str, ...]] = {"sheet": ("工作表", "工作表名", "表名")}


def _usable(columns: list[object]) -> list[str]:
    return [c for c in columns if isinstance(c, str) and c != "sheet_row"
            and not c.endswith(("_derived", "_excel_number")) and not c.startswith("__")]


def accepted_names(columns: list[object], lang: str | None = None) -> str:
    """The column names a person may give for a frame, in words:
    "所属区县（county）、街道（乡镇）（township）、…、备注"."""
    out = []
    for c in _usable(columns):
        if c in BY_NAME:
            out.append(f"{BY_NAME[c].header}（{c}）")
        elif c in ADDED_COLUMNS:
            out.append(f"{ADDED_COLUMNS[c][0]}（{c}）")
        else:
            out.append(c)
    return "、".join(out) or "—"


def resolve_column(name: str, columns: list[object]) -> str:
    """The frame column a person means by ``name``: the canonical name
    (``county``), the preferred header (所属区县), any alias a union exports
    (区县, 县区 …), or the header of a column kept as it was (备注). Compared
    after ``normalise_header``. UserError naming the accepted names otherwise."""
    from toolkit.errors import UserError

    cols = list(columns)
    text = str(name).strip()
    if text in cols:
        return text
    n = normalise_header(text)
    canon = alias_table().get(n)
    if canon and canon in cols:
        return canon
    for added, names in ADDED_COLUMNS.items():
        if added in cols and n in {normalise_header(x) for x in (added, *names)}:
            return added
    for c in _usable(cols):
        if normalise_header(c) == n:
            return c
    raise UserError("roster2.unknown_column", name=text, accepted=accepted_names(cols))
