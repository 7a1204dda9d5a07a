"""A synthetic Hefei-like city with a planted truth, for demos and tests.

``make_city(households, seed)`` builds, from ``np.random.default_rng(seed)``
alone, everything an evaluation meets in the field:

* ``roster``: the union's register of hardship households (one row per
  household, canonical field names of ``toolkit.roster.schema``);
* ``help_records``: the help ledger (one row per payment);
* ``comparison``: non-registered households of the same townships (the frame
  for the 漏评率 indicator);
* the planted truth: ``truth`` (one row per roster household, same order),
  ``truth_help`` (one row per ledger payment, same order), ``truth_comparison``
  (one row per comparison household) and ``rates`` (what was planted, per
  county and indicator);
* the ``Evaluation`` project the files belong to.

``write_city(city, out_dir)`` writes them as ``roster.xlsx`` (Chinese headers,
sheet 困难职工档案), ``help_records.xlsx``, ``comparison.xlsx``,
``truth.parquet``, ``truth_help.parquet``, ``truth_comparison.parquet``,
``truth_rates.csv`` and ``evaluation.toml``. The same seed gives
byte-identical files: nothing depends on the clock, the locale or the
machine (the workbooks are written by a small deterministic writer, with
every zip and document timestamp set to the city's reference date; the
compressed bytes assume the same zlib and pyarrow versions).

Money is yuan. ``income_per_capita`` and every income line are yuan per
person per month, computed by DOMAIN.md's rule::

    (household_income − rigid_expenditure + jobless_able_members × min_wage × 12)
        ÷ household_size ÷ 12

Each category has a line (yuan per person per month): 深度困难 → the county's
低保; 相对困难 and 意外致困 → ``relative_hardship_multiple`` (2) × 低保. A
registered household (在档, 已解困, 注销) has an archive income below its
category's line; an exited household (已脱困) has the exit-time income, above
its category's line (the exit rule).
"""
from __future__ import annotations

import hashlib
import os
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from toolkit import config
from toolkit.config import (CATEGORIES, DEFAULT_COUNTIES, LEVELS, STATUSES, County,
                            Evaluation, Thresholds)
from toolkit.errors import UserError
from toolkit.roster.idcard import CHECK_CHARS, check_chars
from toolkit.roster.schema import (CAUSES, FIELDS, FUND_SOURCES, HELP_FIELDS,
                                   HELP_ITEMS)

AS_OF = date(2025, 12, 31)
"""Default reference date of a synthetic city (the day the evaluation looks from)."""

EXCLUSIONS = ("两套及以上住房", "经营店铺或雇工", "子女就读高收费私立学校或自费留学", "拥有非营运私家车")
"""DOMAIN.md's exclusions: a household meeting one is not eligible whatever its income."""

MISMATCH_FIELDS = ("household_size", "phone", "work_status", "address")
"""Archive fields a visit can find different (``truth.mismatch_fields``)."""

WORK_STATUSES = ("在岗", "下岗", "失业", "退休", "病休", "农民工")
KEY_GROUPS = ("零就业家庭", "单亲家庭", "大病家庭", "重度残疾家庭", "子女上学家庭")
MAX_XLSX_ROWS = 1_048_575  # data rows under the header row

# --- indicators planted per county ---------------------------------------------
# name: (low, high, zh label, denominator). Rates are spread over the counties
# from low to high (a bad county stays bad across indicators, with noise).
INDICATORS: dict[str, tuple[float, float, str, str]] = {
    "wrong_inclusion": (0.01, 0.08, "错评（不符合条件仍在档）", "在档户"),
    "missed_exit": (0.01, 0.06, "漏退（已符合脱困条件仍在档）", "在档户"),
    "wrong_exit": (0.01, 0.08, "错退（已脱困但收入不高于低保）", "已脱困户"),
    "missed": (0.01, 0.06, "漏评（对照户符合条件未建档）", "对照户"),
    "archive_mismatch": (0.03, 0.15, "档案信息与实际不符", "档案户"),
    "cause_unconfirmed": (0.03, 0.15, "主要致困原因未获核实", "档案户"),
    "no_help_plan": (0.02, 0.10, "无帮扶计划", "档案户"),
    "helper_missing": (0.005, 0.04, "未落实帮扶责任人", "档案户"),
    "no_helper_contact": (0.02, 0.15, "近6个月与帮扶人无实际联系", "有帮扶责任人的档案户"),
    "payment_short": (0.005, 0.06, "帮扶款未足额到户", "帮扶记录"),
    "phone_missing": (0.002, 0.012, "联系电话缺失", "档案户"),
    "id_bad_check": (0.001, 0.005, "身份证号校验位错误", "档案户"),
    "household_size_blank": (0.001, 0.008, "家庭人口空白", "档案户"),
}

# --- name and place pools --------------------------------------------------------
_SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于"
                  "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹"
                  "薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_MALE_CHARS = tuple("伟强军勇杰涛斌超明刚平辉鹏华飞鑫波宁磊建国志海林峰东文俊亮成龙浩宇德永春庆兵立"
                    "新洪金良荣祥发忠胜江山卫正义保安学家振培云根生福长")
_FEMALE_CHARS = tuple("芳娜敏静丽艳娟霞秀英玲兰萍红燕梅琴云莲凤洁琳素慧婷雪倩玉珍桂翠月华佳颖丹"
                      "春秀美惠淑琼晓荣娣")
_PHONE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
                   "152", "153", "155", "156", "157", "158", "159", "166", "173", "177", "180",
                   "181", "182", "183", "185", "186", "187", "188", "189", "191", "199")
_CARD_BINS = ("621700", "622202", "622848", "623058", "621799", "622700")

_TOWNSHIPS: dict[str, tuple[str, ...]] = {
    "340102": ("明光路街道", "胜利路街道", "三里街街道", "铜陵路街道", "七里站街道", "红光街道",
               "和平路街道", "城东街道", "方庙街道", "长淮街道", "大兴镇", "龙岗街道"),
    "340103": ("亳州路街道", "双岗街道", "杏花村街道", "海棠街道", "林店街道", "逍遥津街道",
               "杏林街道", "三孝口街道", "大杨镇", "三十岗乡", "庐阳工业园街道"),
    "340104": ("三里庵街道", "稻香村街道", "琥珀街道", "南七街道", "西园街道", "五里墩街道",
               "笔架山街道", "荷叶地街道", "井岗镇", "南岗镇", "小庙镇", "高刘街道"),
    "340111": ("芜湖路街道", "包公街道", "望湖街道", "常青街道", "同安街道", "骆岗街道",
               "义城街道", "烟墩街道", "万年埠街道", "宁国路街道", "淝河镇", "大圩镇"),
    "340121": ("水湖镇", "庄墓镇", "杨庙镇", "吴山镇", "岗集镇", "双墩镇", "下塘镇", "朱巷镇",
               "杜集镇", "左店镇", "造甲乡", "罗塘乡", "义井乡"),
    "340122": ("店埠镇", "撮镇镇", "梁园镇", "桥头集镇", "长临河镇", "石塘镇", "古城镇", "八斗镇",
               "元疃镇", "白龙镇", "包公镇", "众兴乡", "张集乡", "马湖乡", "杨店乡", "响导乡"),
}
_PLACE_SYLLABLES = tuple("东西南北新和平安康宁兴华庆丰乐民泰福寿双河桥岗集店湖山林塘")
_ROADS = ("长江东路", "淮河路", "临泉路", "大通路", "铜陵路", "和平路", "胜利路", "明光路",
          "站前路", "凤阳路", "蒙城路", "阜阳路", "亳州路", "濉溪路", "肥西路", "金寨路",
          "潜山路", "黄山路", "望江路", "合作化路", "宿松路", "徽州大道", "马鞍山路", "包河大道",
          "芜湖路", "屯溪路", "繁华大道", "紫云路", "长丰路", "清溪路")
_ESTATES = ("幸福苑", "和平小区", "梅园新村", "东方花园", "金色家园", "阳光小区", "翠竹园",
            "安居苑", "南苑新村", "锦绣花园", "红星小区", "工人新村", "机械厂宿舍", "纺织厂宿舍",
            "铁路新村", "化工厂宿舍", "青年公寓", "城南家园")
_VILLAGES = ("张洼", "李圩", "王岗", "双河", "新集", "大郢", "高塘", "桥头", "刘岗", "陈湾", "黄郢",
             "朱庄", "周圩", "吴店", "孙岗", "马集", "胡郢", "郭湾", "何圩", "前进", "光明", "团结",
             "红旗", "新华", "永安", "三合", "五星", "复兴")
_FIRM_WORDS = ("恒达", "华信", "鑫源", "永安", "佳禾", "宏图", "振兴", "明珠", "安泰", "中和", "金鼎",
               "瑞丰", "长城", "庐州", "淝河", "巢湖", "江淮", "徽商", "天成", "顺达")
_FIRM_TRADES = ("机械制造", "纺织", "建筑工程", "物业管理", "商贸", "食品", "物流", "电子科技",
                "环卫服务", "餐饮管理", "汽车配件", "印刷", "保安服务", "家政服务")

# --- probabilities ---------------------------------------------------------------
_STATUS_P = (0.56, 0.33, 0.05, 0.06)                     # 在档 已脱困 已解困 注销
_CATEGORY_P = {"在档": (0.35, 0.50, 0.15), "已脱困": (0.25, 0.60, 0.15),
               "已解困": (0.70, 0.10, 0.20), "注销": (0.35, 0.50, 0.15)}
_LEVEL_P = (0.06, 0.14, 0.35, 0.30, 0.15)
_CAUSE_P = (0.15, 0.08, 0.15, 0.05, 0.05, 0.25, 0.02, 0.05, 0.12, 0.08)
_ACCIDENT_CAUSES = ("患重特大疾病", "意外事故", "自然灾害")
_SIZE_P = (0.10, 0.20, 0.38, 0.20, 0.08, 0.04)          # 1..6 members
_ITEM_WEIGHTS = np.array([0.45, 0.06, 0.10, 0.04, 0.30, 0.05])  # HELP_ITEMS order
_FUND_P = {  # HELP_ITEMS -> probabilities over FUND_SOURCES
    "生活救助": (0.35, 0.35, 0.25, 0.05), "金秋助学": (0.20, 0.20, 0.40, 0.20),
    "医疗救助": (0.30, 0.30, 0.30, 0.10), "就业创业帮扶": (0.0, 0.40, 0.60, 0.0),
    "送温暖": (0.30, 0.20, 0.35, 0.15), "职工互助保险": (0.0, 0.0, 1.0, 0.0),
}
_EPOCH = np.datetime64("1899-12-30", "D")  # Excel's day 0
_PANDAS3 = int(pd.__version__.split(".")[0]) >= 3


@dataclass(frozen=True, eq=False)
class City:
    """A synthetic city: what the evaluator receives, and the planted truth.

    Frames the evaluator sees: ``roster`` (canonical field names, one row per
    household), ``help_records`` (archive_id, item, date, amount yuan,
    fund_source) and ``comparison`` (non-registered households). The truth:
    ``truth`` (row i ↔ roster row i), ``truth_help`` (row i ↔ help_records
    row i), ``truth_comparison`` (row i ↔ comparison row i) and ``rates`` (one
    row per county × indicator: what was planted).

    ``truth`` columns (incomes in yuan per person per month):
    archive_id, county, status, category; line (the category's line: 低保 for
    深度困难, 2 × 低保 otherwise), dibao, min_wage; archive_income_per_capita
    (= roster income_per_capita), true_income_per_capita (what a visit
    verifies); exclusion (an EXCLUSIONS entry or blank); months_above_line
    (consecutive months the true income has been at/above the line);
    wrongly_included (在档 and not eligible: true income ≥ line or an
    exclusion); missed_exit (在档, eligible when registered, true income ≥
    line for ≥ 6 months; never also wrongly_included); wrongly_exited
    (已脱困 and true income ≤ 低保); true_main_cause, cause_confirmed (the
    archive's main cause is the true one); help_plan (a help plan is on file);
    helper_assigned (the roster names a helper), helper_contact (assigned and
    real contact in the last 6 months); archive_match / mismatch_fields ("|"
    list of MISMATCH_FIELDS that differ) with true_household_size,
    true_phone, true_work_status, true_address; true_id_number (the valid
    ID); dq_phone_missing, dq_id_bad_check, dq_household_size_blank (planted
    data-quality problems in the roster).

    ``truth_help``: record_no, archive_id, county, item, date, amount,
    received_amount (yuan actually received), received_in_full.
    ``truth_comparison``: comparison_id, county, dibao, true_income_per_capita,
    exclusion, meets_criteria (true income < 2 × 低保 and no exclusion: should
    have been registered), category_if_registered.
    ``rates``: county, county_code, indicator, label_zh, denominator,
    target_rate, units, planted, rate (= planted ÷ units).
    """

    roster: pd.DataFrame
    help_records: pd.DataFrame
    comparison: pd.DataFrame
    truth: pd.DataFrame
    truth_help: pd.DataFrame
    truth_comparison: pd.DataFrame
    rates: pd.DataFrame
    evaluation: Evaluation
    seed: int
    as_of: date = AS_OF


@dataclass(frozen=True)
class WrittenFile:
    """One file ``write_city`` wrote and how many data rows it holds (None for
    evaluation.toml)."""

    path: Path
    rows: int | None


# =================================================================================
# small vectorised helpers
# =================================================================================

def _pick(rng: np.random.Generator, n: int, values: tuple | list, p=None) -> np.ndarray:
    """n draws from ``values`` (object array)."""
    arr = np.array(values, dtype=object)
    return arr[rng.choice(len(arr), size=n, p=None if p is None else np.asarray(p) / np.sum(p))]


def _digits(mat: np.ndarray) -> np.ndarray:
    """Rows of a 0-9 integer matrix as digit strings (object array)."""
    if mat.shape[0] == 0:
        return np.array([], dtype=object)
    raw = (np.ascontiguousarray(mat) + 48).astype(np.uint8).tobytes()
    return np.frombuffer(raw, dtype=f"S{mat.shape[1]}").astype(f"U{mat.shape[1]}").astype(object)


def _zpad(values: np.ndarray, width: int) -> np.ndarray:
    """Non-negative integers as zero-padded strings (object array)."""
    return np.char.zfill(np.asarray(values, dtype=np.int64).astype(str), width).astype(object)


def _ladder(rng: np.random.Generator, n: int, low: float, high: float,
            quality: np.ndarray) -> np.ndarray:
    """n rates spread from low to high, ordered by county ``quality`` plus noise."""
    if n == 1:
        return np.array([(low + high) / 2])
    order = np.argsort(np.argsort(quality + rng.normal(0.0, 1.0, n), kind="stable"), kind="stable")
    return low + (high - low) * order / (n - 1)


def _plant(rng: np.random.Generator, group: np.ndarray, eligible: np.ndarray,
           k: np.ndarray) -> np.ndarray:
    """Flag exactly ``k[g]`` eligible units at random in each group g."""
    keys = rng.random(len(group))
    idx = np.flatnonzero(eligible)
    order = idx[np.lexsort((keys[idx], group[idx]))]
    g = group[order]
    counts = np.bincount(g, minlength=len(k))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.arange(len(order)) - starts[g]
    out = np.zeros(len(group), dtype=bool)
    out[order[rank < np.minimum(k, counts)[g]]] = True
    return out


def _round_to(x: np.ndarray, step: float) -> np.ndarray:
    return np.round(np.asarray(x, dtype=float) / step) * step


def _days(d: date) -> int:
    return int(np.datetime64(d, "D").astype(np.int64))


_NODAY = -(10 ** 9)  # "no date" in day-number arrays


def _dates(days: np.ndarray) -> pd.Series:
    """Day numbers (days since 1970-01-01; ``_NODAY`` = missing) as datetime64[ns]."""
    d = np.asarray(days, dtype=np.int64)
    miss = d <= _NODAY
    out = np.where(miss, 0, d).astype("datetime64[D]").astype("datetime64[ns]")
    out[miss] = np.datetime64("NaT")
    return pd.Series(out)


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    y = d.astype("datetime64[Y]").astype(np.int64) + 1970
    m = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dd = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return y, m, dd


def _text(values: np.ndarray) -> pd.Series:
    """An object array with None for blanks as a pandas string column."""
    import pyarrow as pa

    values = np.asarray(values, dtype=object)
    if not _PANDAS3:  # pandas 2: plain object columns (dtype "str" would turn None into "None")
        return pd.Series(values, dtype=object)
    return pd.Series(pa.array(values, type=pa.large_string()), dtype="str")


# =================================================================================
# people and places
# =================================================================================

def _townships(rng: np.random.Generator, counties: tuple[County, ...]) -> list[tuple[str, ...]]:
    """6–12 townships per county: real names for Hefei's codes, made-up ones otherwise."""
    out = []
    for c in counties:
        pool = _TOWNSHIPS.get(c.code)
        if pool is None:
            syl = np.array(_PLACE_SYLLABLES, dtype=object)
            names = syl[rng.choice(len(syl), 40)] + syl[rng.choice(len(syl), 40)]
            suffix = _pick(rng, 40, ("街道", "镇", "乡"), (0.5, 0.35, 0.15))
            pool = tuple(dict.fromkeys(names + suffix))
        k = int(min(rng.integers(6, 13), len(pool)))
        chosen = np.sort(rng.choice(len(pool), k, replace=False))
        out.append(tuple(pool[i] for i in chosen))
    return out


def _names(rng: np.random.Generator, male: np.ndarray) -> np.ndarray:
    """Chinese names: a common surname (Zipf-like) + one or two given characters."""
    n = len(male)
    w = 1.0 / np.arange(1, len(_SURNAMES) + 1) ** 0.9
    sur = np.array(_SURNAMES, dtype=object)[rng.choice(len(_SURNAMES), n, p=w / w.sum())]
    mc, fc = np.array(_MALE_CHARS, dtype=object), np.array(_FEMALE_CHARS, dtype=object)
    g1 = np.where(male, mc[rng.integers(0, len(mc), n)], fc[rng.integers(0, len(fc), n)])
    g2 = np.where(male, mc[rng.integers(0, len(mc), n)], fc[rng.integers(0, len(fc), n)])
    two = rng.random(n) < 0.7
    return sur + g1 + np.where(two, g2, "")


def _phones(rng: np.random.Generator, n: int) -> np.ndarray:
    """11-digit mobile numbers."""
    pre = np.array(_PHONE_PREFIXES, dtype=object)[rng.integers(0, len(_PHONE_PREFIXES), n)]
    return pre + _digits(rng.integers(0, 10, (n, 8)))


def _bank_cards(rng: np.random.Generator, n: int) -> np.ndarray:
    """19-digit bank card numbers with a valid Luhn check digit."""
    bins = np.array([[int(ch) for ch in b] for b in _CARD_BINS])[rng.integers(0, len(_CARD_BINS), n)]
    payload = np.concatenate([bins.reshape(n, 6), rng.integers(0, 10, (n, 12))], axis=1)
    doubled = (np.arange(18)[::-1] % 2) == 0          # rightmost payload digit is doubled
    d = np.where(doubled, payload * 2, payload)
    d = np.where(d > 9, d - 9, d)
    check = (10 - d.sum(axis=1) % 10) % 10
    return _digits(np.concatenate([payload, check[:, None]], axis=1))


def _id_numbers(rng: np.random.Generator, area: np.ndarray, birth_days: np.ndarray,
                male: np.ndarray) -> np.ndarray:
    """Valid, unique GB 11643 ID numbers: area + birth date + sequence (17th digit
    odd for men, even for women) + check character."""
    y, m, d = _ymd(birth_days)
    ymd = (y * 10000 + m * 100 + d).astype(str).astype(object)
    n = len(area)
    seq = rng.integers(1, 100, n) * 10 + rng.integers(0, 5, n) * 2 + male.astype(int)
    first = area + ymd + _zpad(seq, 3)
    for _ in range(50):  # re-draw the sequence of the rare duplicates
        dup = pd.Series(first).duplicated().to_numpy()
        if not dup.any():
            break
        k = int(dup.sum())
        seq[dup] = rng.integers(1, 100, k) * 10 + rng.integers(0, 5, k) * 2 + male[dup].astype(int)
        first[dup] = area[dup] + ymd[dup] + _zpad(seq[dup], 3)
    return first + check_chars(pd.Series(first)).to_numpy(dtype=object)


def _addresses(rng: np.random.Generator, county: np.ndarray, township: np.ndarray) -> np.ndarray:
    """合肥市 + county + township + street address (街道) or village group (镇/乡)."""
    n = len(county)
    rural = pd.Series(township, dtype=object).str.endswith(("镇", "乡")).to_numpy(dtype=bool)
    road = _pick(rng, n, _ROADS)
    estate = _pick(rng, n, _ESTATES)
    num = rng.integers(1, 400, n).astype(str).astype(object)
    bldg = rng.integers(1, 30, n).astype(str).astype(object)
    room = (rng.integers(1, 8, n) * 100 + rng.integers(1, 5, n)).astype(str).astype(object)
    urban = road + num + "号" + estate + bldg + "栋" + room + "室"
    village = _pick(rng, n, _VILLAGES)
    group = rng.integers(1, 16, n).astype(str).astype(object)
    country = village + "村" + group + "组" + rng.integers(1, 120, n).astype(str).astype(object) + "号"
    return "合肥市" + county + township + np.where(rural, country, urban)


@dataclass(frozen=True)
class _People:
    county_idx: np.ndarray
    township: np.ndarray
    male: np.ndarray
    birth_days: np.ndarray
    age: np.ndarray
    name: np.ndarray
    id_number: np.ndarray
    phone: np.ndarray
    address: np.ndarray
    size: np.ndarray


def _place(rng: np.random.Generator, n: int, weights: np.ndarray,
           towns: list[tuple[str, ...]], town_w: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """County index and township name for n households."""
    cidx = rng.choice(len(weights), n, p=weights)
    town = np.empty(n, dtype=object)
    u = rng.random(n)
    for i, (names, w) in enumerate(zip(towns, town_w)):
        sel = cidx == i
        j = np.minimum(np.searchsorted(np.cumsum(w), u[sel], side="right"), len(names) - 1)
        town[sel] = np.array(names, dtype=object)[j]
    return cidx, town


def _people(rng: np.random.Generator, cidx: np.ndarray, town: np.ndarray,
            counties: tuple[County, ...], as_of_days: int) -> _People:
    """Heads of households: sex, age, birth date, name, ID, phone, address, size."""
    n = len(cidx)
    names = np.array([c.name for c in counties], dtype=object)
    codes = np.array([c.code for c in counties], dtype=object)
    male = rng.random(n) < 0.52
    age = np.clip(rng.normal(49.0, 9.0, n), 24.0, 75.0)
    birth = as_of_days - np.round(age * 365.25).astype(np.int64) + rng.integers(-150, 150, n)
    age_years = (as_of_days - birth) / 365.25
    size = rng.choice(np.arange(1, 7), n, p=np.array(_SIZE_P) / sum(_SIZE_P))
    return _People(
        county_idx=cidx, township=town, male=male, birth_days=birth, age=age_years,
        name=_names(rng, male), id_number=_id_numbers(rng, codes[cidx], birth, male),
        phone=_phones(rng, n), address=_addresses(rng, names[cidx], town), size=size)


def _work_status(rng: np.random.Generator, cause: np.ndarray, age: np.ndarray,
                 male: np.ndarray) -> np.ndarray:
    """在岗/下岗/失业/退休/病休/农民工, following the main cause and the age."""
    n = len(cause)
    u = rng.random(n)
    retired = ((male & (age >= 60)) | (~male & (age >= 50))) & (u < 0.85)
    conds = [retired,
             cause == "下岗失业",
             cause == "有劳动能力未就业",
             cause == "无劳动能力",
             cause == "患重特大疾病"]
    choices = [np.full(n, "退休", dtype=object),
               np.where(rng.random(n) < 0.5, "下岗", "失业").astype(object),
               np.full(n, "失业", dtype=object),
               np.full(n, "病休", dtype=object),
               np.where(rng.random(n) < 0.5, "病休", "在岗").astype(object)]
    default = np.where(rng.random(n) < 0.72, "在岗", "农民工").astype(object)
    return np.select(conds, choices, default).astype(object)


def _employers(rng: np.random.Generator, work: np.ndarray) -> np.ndarray:
    """An employer name, or None for the jobless (下岗/失业)."""
    n = len(work)
    pool = ("合肥" + _pick(rng, 80, _FIRM_WORDS) + _pick(rng, 80, _FIRM_TRADES) + "有限公司")
    firm = pool[rng.integers(0, len(pool), n)]
    return np.where(np.isin(work, ("下岗", "失业")), None, firm)


# =================================================================================
# the city
# =================================================================================

def make_city(households: int, seed: int, counties: tuple[County, ...] = DEFAULT_COUNTIES, *,
              as_of: date = AS_OF, comparison_share: float = 0.10) -> City:
    """Build a synthetic city of ``households`` registered households from ``seed``.

    ``as_of`` is the reference date (help records fall in the two years before
    it); ``comparison_share`` sizes the comparison frame (non-registered
    households) relative to the roster, at least 10 per county.
    """
    if households < 1:
        raise UserError("synthetic.households_positive", value=households)
    if not counties:
        raise UserError("synthetic.no_counties")
    counties = tuple(counties)
    rng = np.random.default_rng(seed)
    th = Thresholds()
    nc = len(counties)
    n = int(households)
    m = max(10 * nc, int(round(comparison_share * n)))
    as_of_days = _days(as_of)
    dibao = np.array([c.dibao for c in counties])
    wage = np.array([c.min_wage for c in counties])
    cnames = np.array([c.name for c in counties], dtype=object)
    ccodes = np.array([c.code for c in counties], dtype=object)

    # -- places: uneven counties and townships ---------------------------------
    county_w = rng.dirichlet(np.full(nc, 6.0))
    towns = _townships(rng, counties)
    town_w = [rng.dirichlet(np.full(len(t), 1.5)) for t in towns]
    cidx_all, town_all = _place(rng, n + m, county_w, towns, town_w)
    ppl = _people(rng, cidx_all, town_all, counties, as_of_days)

    # roster households are the first n people; the comparison frame the rest
    R = slice(0, n)
    cidx = cidx_all[R]
    L = dibao[cidx]
    W = wage[cidx]

    # -- archive attributes -----------------------------------------------------
    status = _pick(rng, n, STATUSES, _STATUS_P)
    category = np.empty(n, dtype=object)
    u = rng.random(n)
    for s, p in _CATEGORY_P.items():
        sel = status == s
        cum = np.cumsum(p) / sum(p)
        category[sel] = np.array(CATEGORIES, dtype=object)[
            np.minimum(np.searchsorted(cum, u[sel], side="right"), 2)]
    level = _pick(rng, n, LEVELS, _LEVEL_P)
    mult = th.relative_hardship_multiple
    line = np.where(category == "深度困难", L, mult * L)

    start = _days(date(2016, 1, 1))
    latest = as_of_days - 200
    reg = start + np.floor(rng.random(n) * (latest - start)).astype(np.int64)
    exited = np.isin(status, ("已脱困", "已解困"))
    ex_lo = reg + 180
    ex = np.where(exited, ex_lo + np.floor(rng.random(n) * (as_of_days - ex_lo)).astype(np.int64), _NODAY)

    # causes: accident-type for 意外致困, otherwise the general mix
    main_cause = _pick(rng, n, CAUSES, _CAUSE_P)
    acc = category == "意外致困"
    main_cause[acc] = _pick(rng, int(acc.sum()), _ACCIDENT_CAUSES, (0.55, 0.35, 0.10))
    cause_keys = rng.random((n, len(CAUSES)))
    cause_keys[np.arange(n), pd.Index(CAUSES).get_indexer(main_cause)] = 2.0
    order = np.argsort(cause_keys, axis=1)
    k_sec = rng.choice(4, n, p=(0.35, 0.35, 0.20, 0.10))
    cz = np.array(CAUSES, dtype=object)
    sec = np.full(n, "", dtype=object)
    for j in range(3):
        part = cz[order[:, j]]
        sec = np.where(k_sec > j, np.where(j == 0, part, sec + "、" + part), sec)
    secondary = np.where(k_sec > 0, sec, None)
    has_school = (main_cause == "子女上学") | pd.Series(sec).str.contains("子女上学").to_numpy()

    age = ppl.age[R]
    male = ppl.male[R]
    work = _work_status(rng, main_cause, age, male)
    employer = _employers(rng, work)
    health = np.select(
        [main_cause == "患重特大疾病", main_cause == "无劳动能力"],
        [np.full(n, "患重特大疾病", dtype=object),
         np.where(rng.random(n) < 0.5, "残疾", "长期慢性病").astype(object)],
        np.where(rng.random(n) < 0.75, "健康", "长期慢性病").astype(object)).astype(object)
    disability = np.where(health == "残疾",
                          _pick(rng, n, ("肢体残疾二级", "肢体残疾三级", "视力残疾二级", "精神残疾二级",
                                         "听力残疾三级", "智力残疾二级")), "无").astype(object)
    ethnicity = _pick(rng, n, ("汉族", "回族", "满族", "壮族", "土家族"), (0.985, 0.01, 0.002, 0.002, 0.001))
    housing = _pick(rng, n, ("自有住房", "租住公房", "租住私房", "廉租房", "借住亲友"),
                    (0.45, 0.20, 0.20, 0.10, 0.05))

    size = ppl.size[R].copy()
    single_parent = rng.random(n) < 0.06
    jobless_p = np.where(np.isin(main_cause, ("有劳动能力未就业", "下岗失业")), 0.6, 0.08)
    jobless = np.where(rng.random(n) < jobless_p, np.where(rng.random(n) < 0.85, 1, 2), 0)
    jobless = np.minimum(jobless, np.maximum(size - 1, 0))  # the head is counted separately
    jobless = np.where(np.isin(work, ("下岗", "失业")) & (jobless == 0) & (rng.random(n) < 0.5)
                       & (size >= 2), 1, jobless)

    kg_conds = [(main_cause == "患重特大疾病") & (rng.random(n) < 0.6),
                (health == "残疾") & (rng.random(n) < 0.5),
                has_school & (rng.random(n) < 0.6),
                np.isin(work, ("下岗", "失业")) & (rng.random(n) < 0.4),
                single_parent]
    key_group = np.select(kg_conds, [np.full(n, g, dtype=object) for g in
                                     ("大病家庭", "重度残疾家庭", "子女上学家庭", "零就业家庭", "单亲家庭")],
                          None).astype(object)

    # -- incomes (yuan; per-capita in yuan per person per month) ----------------
    lo = np.select([category == "深度困难", category == "相对困难"], [0.30 * L, 1.03 * L], 0.30 * L)
    hi = np.where(category == "深度困难", 0.97 * L, 1.95 * L)
    x = lo + rng.random(n) * (hi - lo)
    exit_x = line * (1.03 + 0.47 * rng.random(n))          # 已脱困: exit-time income above the line
    x = np.where(status == "已脱困", exit_x, x)
    rigid = np.where(rng.random(n) < 0.4, 0.0, np.exp(rng.normal(8.4, 0.8, n)))
    rigid = rigid * np.where(main_cause == "患重特大疾病", 3.0, 1.0) + np.where(has_school, 6000.0, 0.0)
    rigid = np.minimum(rigid, 150_000.0)
    imputed = jobless * W * 12.0
    income = x * size * 12.0 + rigid - imputed
    floor = 1800.0 + 0.15 * x * size * 12.0                 # some cash income in every household
    short = np.maximum(floor - income, 0.0)
    rigid = _round_to(rigid + short, 100.0)
    income = _round_to(np.maximum(income, floor), 100.0)
    pc = np.round((income - rigid + imputed) / size / 12.0, 2)

    # -- archive ids: HF<county code>-<year>-<5-digit sequence in county-year> ------
    y_reg = _ymd(reg)[0]
    tie = rng.random(n)
    o = np.lexsort((tie, reg, y_reg, cidx))
    grp = (cidx[o] * 10000 + y_reg[o])
    first = np.r_[True, grp[1:] != grp[:-1]]
    starts = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    seq = np.empty(n, dtype=np.int64)
    seq[o] = np.arange(n) - starts + 1
    archive_id = "HF" + ccodes[cidx] + "-" + y_reg.astype(str).astype(object) + "-" + _zpad(seq, 5)

    # -- helpers: a pool per township --------------------------------------------
    town = ppl.township[R]
    tkey = pd.factorize(pd.Series(cidx.astype(str).astype(object) + "|" + town))[0]
    n_t = np.bincount(tkey)
    n_help = np.maximum(2, np.ceil(n_t / 12.0).astype(int))
    offs = np.concatenate([[0], np.cumsum(n_help)[:-1]])
    helper_idx = offs[tkey] + np.floor(rng.random(n) * n_help[tkey]).astype(int)
    hm = rng.random(int(n_help.sum())) < 0.4
    helper_names = _names(rng, hm)
    helper_phones = _phones(rng, len(hm))
    helper = helper_names[helper_idx]
    helper_phone = helper_phones[helper_idx]

    bank_card = _bank_cards(rng, n)

    # -- the planted truth ---------------------------------------------------------
    quality = rng.permutation(nc).astype(float)
    rates = {k: _ladder(rng, nc, lo_, hi_, quality) for k, (lo_, hi_, _, _) in INDICATORS.items()}

    def k_of(name: str, denom_mask: np.ndarray, group: np.ndarray = cidx) -> np.ndarray:
        units = np.bincount(group[denom_mask], minlength=nc)
        return np.round(rates[name] * units).astype(int)

    in_roster = status == "在档"
    wrongly_included = _plant(rng, cidx, in_roster, k_of("wrong_inclusion", in_roster))
    missed_exit = _plant(rng, cidx, in_roster & ~wrongly_included, k_of("missed_exit", in_roster))
    is_exit = status == "已脱困"
    wrongly_exited = _plant(rng, cidx, is_exit, k_of("wrong_exit", is_exit))

    excl_draw = _pick(rng, n, EXCLUSIONS)
    by_exclusion = wrongly_included & (rng.random(n) < 0.4)
    exclusion = np.where(by_exclusion, excl_draw, None).astype(object)

    r1, _r2 = rng.random(n), rng.random(n)   # the second draw keeps the stream (byte-identical cities)
    true_pc = np.select(
        [wrongly_included & ~by_exclusion,
         by_exclusion,
         missed_exit,
         wrongly_exited,
         is_exit,
         status == "注销"],
        [line * (1.05 + 0.75 * r1),
         np.minimum(pc * (0.95 + 0.25 * r1), line * 0.98),
         line * (1.05 + 0.55 * r1),
         L * (0.50 + 0.49 * r1),
         np.maximum(pc * (0.90 + 0.30 * r1), L * 1.03),
         pc * (0.90 + 0.40 * r1)],
        np.minimum(pc * (0.90 + 0.20 * r1), line * 0.98))
    true_pc = np.round(true_pc, 2)
    months_above = np.where(missed_exit, rng.integers(6, 25, n),
                            np.where(wrongly_included & ~by_exclusion, rng.integers(0, 25, n), 0))

    everyone = np.ones(n, dtype=bool)
    mismatch = _plant(rng, cidx, everyone, k_of("archive_mismatch", everyone))
    cause_unconfirmed = _plant(rng, cidx, everyone, k_of("cause_unconfirmed", everyone))
    no_plan = _plant(rng, cidx, everyone, k_of("no_help_plan", everyone))
    helper_missing = _plant(rng, cidx, everyone, k_of("helper_missing", everyone))
    has_helper = ~helper_missing
    no_contact = _plant(rng, cidx, has_helper, k_of("no_helper_contact", has_helper))
    phone_missing = _plant(rng, cidx, everyone, k_of("phone_missing", everyone))
    id_bad = _plant(rng, cidx, everyone, k_of("id_bad_check", everyone))
    size_blank = _plant(rng, cidx, everyone, k_of("household_size_blank", everyone))

    # which archive fields differ from the truth, and the true values
    n_mis = np.where(rng.random(n) < 0.8, 1, 2)
    fkeys = rng.random((n, len(MISMATCH_FIELDS)))
    forder = np.argsort(fkeys, axis=1)
    fsel = np.zeros((n, len(MISMATCH_FIELDS)), dtype=bool)
    fsel[np.arange(n), forder[:, 0]] = True
    fsel[np.arange(n), forder[:, 1]] |= n_mis == 2
    fsel &= mismatch[:, None]
    mf = np.full(n, "", dtype=object)
    for j, f in enumerate(MISMATCH_FIELDS):
        mf = np.where(fsel[:, j], np.where(mf == "", f, mf + "|" + f), mf)
    true_size = np.where(fsel[:, 0], np.where((rng.random(n) < 0.5) & (size > 1), size - 1, size + 1), size)
    true_phone = ppl.phone[R].copy()
    true_phone[fsel[:, 1]] = _phones(rng, int(fsel[:, 1].sum()))
    ws = np.array(WORK_STATUSES, dtype=object)
    shift = rng.integers(1, len(ws), n)
    wpos = pd.Index(WORK_STATUSES).get_indexer(work)
    true_work = np.where(fsel[:, 2], ws[(wpos + shift) % len(ws)], work)
    true_address = ppl.address[R].copy()
    moved = fsel[:, 3]
    true_address[moved] = _addresses(rng, cnames[cidx[moved]], town[moved])
    cz_shift = rng.integers(1, len(CAUSES), n)
    cpos = pd.Index(CAUSES).get_indexer(main_cause)
    true_cause = np.where(cause_unconfirmed, cz[(cpos + cz_shift) % len(CAUSES)], main_cause)

    # -- roster-facing values with the planted data-quality problems -------------
    id_good = ppl.id_number[R]
    last = pd.Series(id_good).str[-1].to_numpy(dtype=object)
    cc = np.array(list(CHECK_CHARS), dtype=object)
    wrong_pos = (pd.Index(list(CHECK_CHARS)).get_indexer(last) + rng.integers(1, 11, n)) % 11
    id_shown = np.where(id_bad, pd.Series(id_good).str[:17].to_numpy(dtype=object) + cc[wrong_pos], id_good)
    phone_shown = np.where(phone_missing, None, ppl.phone[R])
    size_shown = pd.array(np.where(size_blank, 0, size), dtype="Int64")
    size_shown[size_blank] = pd.NA

    # -- roster order: by archive id --------------------------------------------------
    perm = np.lexsort((seq, y_reg, ccodes[cidx].astype(np.int64)))

    def P(a):  # noqa: E743 - reorder into roster order
        return a[perm] if isinstance(a, np.ndarray) else a.take(perm)

    roster = pd.DataFrame({
        "archive_id": _text(P(archive_id)),
        "level": _text(P(level)),
        "category": _text(P(category)),
        "status": _text(P(status)),
        "registered_on": _dates(P(reg)),
        "exited_on": _dates(P(ex)),
        "name": _text(P(ppl.name[R])),
        "sex": _text(P(np.where(male, "男", "女").astype(object))),
        "birth_date": _dates(P(ppl.birth_days[R])),
        "id_number": _text(P(id_shown)),
        "ethnicity": _text(P(ethnicity)),
        "county": _text(P(cnames[cidx])),
        "county_code": _text(P(ccodes[cidx])),
        "township": _text(P(town)),
        "address": _text(P(ppl.address[R])),
        "phone": _text(P(phone_shown)),
        "bank_card": _text(P(bank_card)),
        "health": _text(P(health)),
        "disability": _text(P(disability)),
        "work_status": _text(P(work)),
        "employer": _text(P(employer)),
        "housing": _text(P(housing)),
        "household_size": pd.Series(P(size_shown), dtype="Int64"),
        "jobless_able_members": pd.Series(P(jobless), dtype="Int64"),
        "household_income": pd.Series(P(income), dtype="float64"),
        "rigid_expenditure": pd.Series(P(rigid), dtype="float64"),
        "income_per_capita": pd.Series(P(pc), dtype="float64"),
        "main_cause": _text(P(main_cause)),
        "secondary_causes": _text(P(secondary)),
        "key_group": _text(P(key_group)),
        "helper": _text(P(np.where(helper_missing, None, helper))),
        "helper_phone": _text(P(np.where(helper_missing, None, helper_phone))),
    })
    assert tuple(roster.columns) == tuple(f.name for f in FIELDS)

    truth = pd.DataFrame({
        "archive_id": roster["archive_id"],
        "county": roster["county"],
        "status": roster["status"],
        "category": roster["category"],
        "line": pd.Series(P(line), dtype="float64"),
        "dibao": pd.Series(P(L), dtype="float64"),
        "min_wage": pd.Series(P(W), dtype="float64"),
        "archive_income_per_capita": pd.Series(P(pc), dtype="float64"),
        "true_income_per_capita": pd.Series(P(true_pc), dtype="float64"),
        "exclusion": _text(P(exclusion)),
        "months_above_line": pd.Series(P(months_above), dtype="int64"),
        "wrongly_included": P(wrongly_included),
        "missed_exit": P(missed_exit),
        "wrongly_exited": P(wrongly_exited),
        "true_main_cause": _text(P(true_cause)),
        "cause_confirmed": P(~cause_unconfirmed),
        "help_plan": P(~no_plan),
        "helper_assigned": P(has_helper),
        "helper_contact": P(has_helper & ~no_contact),
        "archive_match": P(~mismatch),
        "mismatch_fields": _text(P(mf)),
        "true_household_size": pd.Series(P(true_size), dtype="int64"),
        "true_phone": _text(P(true_phone)),
        "true_work_status": _text(P(true_work)),
        "true_address": _text(P(true_address)),
        "true_id_number": _text(P(id_good)),
        "dq_phone_missing": P(phone_missing),
        "dq_id_bad_check": P(id_bad),
        "dq_household_size_blank": P(size_blank),
    })

    help_records, truth_help = _help(rng, truth, roster, as_of_days, rates, cnames)
    comparison, truth_comparison = _comparison(rng, ppl, slice(n, n + m), counties, rates,
                                               mult, as_of_days)
    rates_frame = _rates_frame(counties, rates, truth, truth_help, truth_comparison)
    evaluation = Evaluation(
        name=f"合成城市（种子 {seed}）", language="zh", counties=counties,
        extra={"synthetic": {"seed": int(seed), "households": n, "comparison_households": m,
                             "as_of": as_of.isoformat(), "comparison": "comparison.xlsx",
                             "truth": "truth.parquet"}})
    return City(roster=roster, help_records=help_records, comparison=comparison, truth=truth,
                truth_help=truth_help, truth_comparison=truth_comparison, rates=rates_frame,
                evaluation=evaluation, seed=int(seed), as_of=as_of)


def _help(rng: np.random.Generator, truth: pd.DataFrame, roster: pd.DataFrame, as_of_days: int,
          rates: dict[str, np.ndarray], cnames: np.ndarray
          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The help ledger (payments in the two years before ``as_of``) and, per
    payment, what the household really received."""
    n = len(roster)
    status = roster["status"].to_numpy(dtype=object)
    reg = roster["registered_on"].to_numpy("datetime64[D]").astype(np.int64)
    exd = roster["exited_on"].to_numpy("datetime64[D]")
    ex_days = np.where(np.isnat(exd), as_of_days, exd.astype("datetime64[D]").astype(np.int64))
    w_start = np.maximum(reg, as_of_days - 730)
    w_end = np.where(status == "已脱困", ex_days, as_of_days)
    lam = np.select([status == "在档", status == "已解困", status == "已脱困"], [2.8, 3.0, 1.0], 0.4)
    count = np.minimum(rng.poisson(lam), 8)
    count = np.where(w_end > w_start, count, 0)
    h = np.repeat(np.arange(n), count)
    k = len(h)

    cause = roster["main_cause"].to_numpy(dtype=object)[h]
    sec = roster["secondary_causes"].fillna("").to_numpy(dtype=object)[h]
    school = (cause == "子女上学") | pd.Series(sec, dtype=object).str.contains("子女上学").to_numpy()
    w = np.tile(_ITEM_WEIGHTS, (k, 1))
    w[:, 1] = np.where(school, 0.35, 0.01)
    w[:, 2] *= np.where(cause == "患重特大疾病", 4.0, 1.0)
    w[:, 3] *= np.where(np.isin(cause, ("下岗失业", "有劳动能力未就业")), 5.0, 1.0)
    cum = np.cumsum(w, axis=1)
    u = rng.random(k) * cum[:, -1]
    item_i = np.minimum((cum < u[:, None]).sum(axis=1), len(HELP_ITEMS) - 1)
    item = np.array(HELP_ITEMS, dtype=object)[item_i]

    # dates: uniform in the household's window, 送温暖 near the Spring Festival,
    # 金秋助学 at the start of the school year when that falls in the window
    d = w_start[h] + np.floor(rng.random(k) * (w_end[h] - w_start[h])).astype(np.int64)
    year = _ymd(d)[0]
    jan = (np.array([f"{y}-01-05" for y in range(1990, 2100)], dtype="datetime64[D]")
           .astype(np.int64))
    aug = jan + 217  # about 10 August
    base = np.where(item == "送温暖", jan[year - 1990], aug[year - 1990])
    snapped = base + rng.integers(0, 40, k)
    snap = np.isin(item, ("送温暖", "金秋助学")) & (snapped >= w_start[h]) & (snapped <= w_end[h])
    d = np.where(snap, snapped, d)

    level = roster["level"].to_numpy(dtype=object)[h]
    amount = np.select(
        [item == "生活救助", item == "金秋助学", item == "医疗救助", item == "就业创业帮扶",
         item == "送温暖"],
        [rng.choice([500.0, 800.0, 1000.0, 1500.0, 2000.0, 3000.0], k),
         np.where(np.isin(level, ("全国级", "省级")), 6300.0, 6000.0),
         np.clip(_round_to(np.exp(rng.normal(8.0, 0.8, k)), 100.0), 500.0, 30000.0),
         rng.choice([500.0, 1000.0, 2000.0], k),
         rng.choice([300.0, 500.0, 800.0, 1000.0], k)],
        _round_to(200.0 + rng.random(k) * 4800.0, 10.0))
    fund = np.empty(k, dtype=object)
    uf = rng.random(k)
    for it, p in _FUND_P.items():
        sel = item == it
        c = np.cumsum(p) / sum(p)
        fund[sel] = np.array(FUND_SOURCES, dtype=object)[np.minimum(np.searchsorted(c, uf[sel], side="right"), 3)]

    archive = roster["archive_id"].to_numpy(dtype=object)[h]
    o = np.lexsort((item_i, d, h))  # by household (archive id order), then date
    h, archive, item, d, amount, fund = h[o], archive[o], item[o], d[o], amount[o], fund[o]
    help_records = pd.DataFrame({
        "archive_id": _text(archive), "item": _text(item), "date": _dates(d),
        "amount": pd.Series(amount, dtype="float64"), "fund_source": _text(fund)})

    county_of = pd.Index(cnames).get_indexer(roster["county"].to_numpy(dtype=object))[h] \
        if k else np.array([], dtype=np.int64)
    nc = len(cnames)
    units = np.bincount(county_of, minlength=nc)
    short = _plant(rng, county_of, np.ones(k, dtype=bool),
                   np.round(rates["payment_short"] * units).astype(int))
    received = np.where(rng.random(k) < 0.3, 0.0, _round_to(amount * (0.3 + 0.6 * rng.random(k)), 10.0))
    received = np.where(short, np.minimum(received, amount - 10.0), amount)
    truth_help = pd.DataFrame({
        "record_no": np.arange(k, dtype=np.int64),
        "archive_id": help_records["archive_id"],
        "county": _text(cnames[county_of].astype(object)) if k else _text(np.array([], dtype=object)),
        "item": help_records["item"], "date": help_records["date"],
        "amount": help_records["amount"],
        "received_amount": pd.Series(received, dtype="float64"),
        "received_in_full": ~short,
    })
    return help_records, truth_help


def _comparison(rng: np.random.Generator, ppl: _People, S: slice, counties: tuple[County, ...],
                rates: dict[str, np.ndarray], mult: float, as_of_days: int
                ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Non-registered households of the same townships, some of whom meet the criteria."""
    cidx = ppl.county_idx[S]
    m = len(cidx)
    nc = len(counties)
    cnames = np.array([c.name for c in counties], dtype=object)
    ccodes = np.array([c.code for c in counties], dtype=object)
    L = np.array([c.dibao for c in counties])[cidx]
    units = np.bincount(cidx, minlength=nc)
    meets = _plant(rng, cidx, np.ones(m, dtype=bool), np.round(rates["missed"] * units).astype(int))
    r = rng.random(m)
    by_excl = ~meets & (rng.random(m) < 0.15)
    true_pc = np.select([meets, by_excl],
                        [L * (0.40 + 1.55 * r), L * (0.60 + 1.35 * r)],
                        mult * L * (1.02 + 1.5 * r))
    true_pc = np.round(true_pc, 2)
    would_be = np.where(~meets, None, np.where(true_pc < L, "深度困难", "相对困难")).astype(object)
    exclusion = np.where(by_excl, _pick(rng, m, EXCLUSIONS), None).astype(object)
    cause = _pick(rng, m, CAUSES, _CAUSE_P)
    work = _work_status(rng, cause, ppl.age[S], ppl.male[S])
    seq = np.zeros(m, dtype=np.int64)
    o = np.lexsort((rng.random(m), cidx))
    first = np.r_[True, cidx[o][1:] != cidx[o][:-1]] if m else np.array([], dtype=bool)
    starts = np.maximum.accumulate(np.where(first, np.arange(m), 0)) if m else first
    seq[o] = np.arange(m) - starts + 1
    cid = "DZ" + ccodes[cidx] + "-" + _zpad(seq, 5)
    perm = np.lexsort((seq, ccodes[cidx].astype(np.int64)))

    def P(a):  # noqa: E743
        return a[perm]

    comparison = pd.DataFrame({
        "comparison_id": _text(P(cid)),
        "name": _text(P(ppl.name[S])),
        "sex": _text(P(np.where(ppl.male[S], "男", "女").astype(object))),
        "birth_date": _dates(P(ppl.birth_days[S])),
        "id_number": _text(P(ppl.id_number[S])),
        "county": _text(P(cnames[cidx])),
        "county_code": _text(P(ccodes[cidx])),
        "township": _text(P(ppl.township[S])),
        "address": _text(P(ppl.address[S])),
        "phone": _text(P(ppl.phone[S])),
        "household_size": pd.Series(P(ppl.size[S]), dtype="Int64"),
        "work_status": _text(P(work)),
    })
    truth_comparison = pd.DataFrame({
        "comparison_id": comparison["comparison_id"],
        "county": comparison["county"],
        "dibao": pd.Series(P(L), dtype="float64"),
        "true_income_per_capita": pd.Series(P(true_pc), dtype="float64"),
        "exclusion": _text(P(exclusion)),
        "meets_criteria": P(meets),
        "category_if_registered": _text(P(would_be)),
    })
    return comparison, truth_comparison


def _rates_frame(counties: tuple[County, ...], rates: dict[str, np.ndarray], truth: pd.DataFrame,
                 truth_help: pd.DataFrame, truth_cmp: pd.DataFrame) -> pd.DataFrame:
    """One row per county × indicator: target rate, denominator units, planted count, rate."""
    st = truth["status"]
    flags = {  # indicator -> (frame, denominator mask, flag)
        "wrong_inclusion": (truth, st.eq("在档"), truth["wrongly_included"]),
        "missed_exit": (truth, st.eq("在档"), truth["missed_exit"]),
        "wrong_exit": (truth, st.eq("已脱困"), truth["wrongly_exited"]),
        "missed": (truth_cmp, pd.Series(True, index=truth_cmp.index), truth_cmp["meets_criteria"]),
        "archive_mismatch": (truth, pd.Series(True, index=truth.index), ~truth["archive_match"]),
        "cause_unconfirmed": (truth, pd.Series(True, index=truth.index), ~truth["cause_confirmed"]),
        "no_help_plan": (truth, pd.Series(True, index=truth.index), ~truth["help_plan"]),
        "helper_missing": (truth, pd.Series(True, index=truth.index), ~truth["helper_assigned"]),
        "no_helper_contact": (truth, truth["helper_assigned"], ~truth["helper_contact"]),
        "payment_short": (truth_help, pd.Series(True, index=truth_help.index),
                          ~truth_help["received_in_full"]),
        "phone_missing": (truth, pd.Series(True, index=truth.index), truth["dq_phone_missing"]),
        "id_bad_check": (truth, pd.Series(True, index=truth.index), truth["dq_id_bad_check"]),
        "household_size_blank": (truth, pd.Series(True, index=truth.index),
                                 truth["dq_household_size_blank"]),
    }
    rows = []
    names = pd.Index([c.name for c in counties])
    codes_of: dict[int, np.ndarray] = {}   # county position of each row, once per frame
    for ind, (lo_, hi_, zh, denom) in INDICATORS.items():
        frame, mask, flag = flags[ind]
        if id(frame) not in codes_of:
            codes_of[id(frame)] = names.get_indexer(frame["county"])
        pos = codes_of[id(frame)]
        m = mask.to_numpy(dtype=bool) & (pos >= 0)
        f = flag.to_numpy(dtype=bool)
        n_units = np.bincount(pos[m], minlength=len(counties))          # one pass, not one per county
        n_planted = np.bincount(pos[m & f], minlength=len(counties))
        for i, c in enumerate(counties):
            units = int(n_units[i])
            planted = int(n_planted[i])
            rows.append((c.name, c.code, ind, zh, denom, float(rates[ind][i]), units, planted,
                         planted / units if units else float("nan")))
    return pd.DataFrame(rows, columns=["county", "county_code", "indicator", "label_zh",
                                       "denominator", "target_rate", "units", "planted", "rate"])


# =================================================================================
# writing
# =================================================================================

def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _esc(s: pd.Series) -> pd.Series:
    return (s.str.replace("&", "&amp;", regex=False).str.replace("<", "&lt;", regex=False)
            .str.replace(">", "&gt;", regex=False))


_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font>'
    '<font><b/><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')
_NS = "http://schemas.openxmlformats.org"


def _xlsx_parts(sheet: str, title: str, stamp: str) -> dict[str, str]:
    ct = f"{_NS}/officeDocument/2006/relationships"
    return {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Types xmlns="{_NS}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            '</Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_NS}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ct}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{_NS}/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{ct}/extended-properties" Target="docProps/app.xml"/>'
            '</Relationships>',
        "docProps/core.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<cp:coreProperties xmlns:cp="{_NS}/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{title}</dc:title><dc:creator>fieldeval</dc:creator>'
            f'<cp:lastModifiedBy>fieldeval</cp:lastModifiedBy>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            '</cp:coreProperties>',
        "docProps/app.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{_NS}/officeDocument/2006/extended-properties">'
            '<Application>fieldeval</Application></Properties>',
        "xl/workbook.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{_NS}/spreadsheetml/2006/main" xmlns:r="{ct}">'
            f'<bookViews><workbookView/></bookViews><sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/>'
            '</sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_NS}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ct}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{ct}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{ct}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>',
        "xl/styles.xml": _STYLES,
    }


def _as_strings(values: np.ndarray) -> np.ndarray:
    """Integers as decimal strings (object array), formatting each distinct value once."""
    uniq, inv = np.unique(np.asarray(values, dtype=np.int64), return_inverse=True)
    return uniq.astype(str).astype(object)[inv.reshape(-1)]


def _number_strings(values: np.ndarray) -> np.ndarray:
    """Floats as the shortest exact decimal (integers without ".0"), each distinct value once."""
    uniq, inv = np.unique(np.asarray(values, dtype=np.float64), return_inverse=True)
    integral = uniq == np.round(uniq)
    text = np.where(integral, np.round(uniq).astype(np.int64).astype(str).astype(object),
                    pd.Series(uniq).astype(str).to_numpy(dtype=object))
    return text[inv.reshape(-1)]


def _zinfo(name: str, when: tuple[int, int, int], level: int = 6) -> zipfile.ZipInfo:
    """A zip entry with a fixed timestamp, system and attributes (deterministic bytes)."""
    zi = zipfile.ZipInfo(name, date_time=(*when, 0, 0, 0))
    zi.compress_type = zipfile.ZIP_DEFLATED
    for attr in ("compress_level", "_compresslevel"):  # 3.13 / 3.11 spelling
        try:
            setattr(zi, attr, level)
        except AttributeError:
            pass
    zi.create_system = 0
    zi.external_attr = 0
    return zi


_WIDTH = {"id": 22, "date": 12, "int": 10, "number": 14, "text": 14}


def write_xlsx(path: str | Path, sheet: str, columns: list[tuple[str, str, pd.Series]], *,
               when: date = AS_OF, title: str = "", chunk: int = 50_000) -> int:
    """Write one sheet deterministically; return the number of data rows.

    ``columns``: (header, kind, values) with kind ``id`` (text cell in a "@"
    text-format cell, so Excel keeps ID numbers, phones and codes as typed),
    ``text``, ``int``, ``number`` (yuan) or ``date`` (an Excel date formatted
    yyyy-mm-dd). Blank values leave the cell empty. Strings go through a
    shared-strings table; every timestamp in the package is ``when``.
    """
    path = Path(path)
    nrows = len(columns[0][2]) if columns else 0
    if nrows > MAX_XLSX_ROWS:
        raise UserError("synthetic.too_many_rows", path=str(path), rows=nrows, limit=MAX_XLSX_ROWS)
    # shared strings: headers, then every text value, in first-seen order
    # (each column factorised on its own, then the small sets of uniques merged)
    text_cols = [j for j, (_, kind, _) in enumerate(columns) if kind in ("id", "text")]
    local: list[tuple[int, np.ndarray, np.ndarray]] = []
    pieces = [np.array([h for h, _, _ in columns], dtype=object)]
    for j in text_cols:
        c, u = pd.factorize(pd.Series(columns[j][2]).reset_index(drop=True), use_na_sentinel=True)
        u = np.asarray(u, dtype=object)
        local.append((j, c, u))
        pieces.append(u)
    gcodes, uniques = pd.factorize(pd.Series(np.concatenate(pieces), dtype=object))
    head_codes = gcodes[:len(columns)]
    count = len(columns)
    col_codes: dict[int, np.ndarray] = {}
    pos = len(columns)
    for j, c, u in local:
        g = gcodes[pos:pos + len(u)]
        col_codes[j] = np.where(c < 0, -1, g[np.maximum(c, 0)] if len(g) else -1)
        count += int((c >= 0).sum())
        pos += len(u)
    prepared: list[tuple[str, np.ndarray, np.ndarray]] = []  # (tail attrs, value strings, missing)
    for j, (_, kind, values) in enumerate(columns):
        if kind in ("id", "text"):
            c = col_codes[j]
            prepared.append(('" t="s"' + (' s="1"' if kind == "id" else "") + "><v>",
                             _as_strings(c), c < 0))
        elif kind == "date":
            d = pd.Series(values).to_numpy("datetime64[D]")
            miss = np.isnat(d)
            serial = np.where(miss, 0, (d - _EPOCH).astype(np.int64))
            prepared.append(('" s="2"><v>', _as_strings(serial), miss))
        else:
            v = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy("float64", na_value=np.nan)
            miss = np.isnan(v)
            prepared.append(('"><v>', _number_strings(np.where(miss, 0.0, v)), miss))
    letters = [_col_letter(j) for j in range(len(columns))]
    last = f"{letters[-1]}{nrows + 1}" if columns else "A1"
    cols_xml = "".join(f'<col min="{j + 1}" max="{j + 1}" width="{40 if h in ("家庭住址", "住址") else _WIDTH.get(k, 14)}" customWidth="1"/>'
                       for j, (h, k, _) in enumerate(columns))
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_NS}/spreadsheetml/2006/main" '
            f'xmlns:r="{_NS}/officeDocument/2006/relationships">'
            f'<dimension ref="A1:{last}"/>'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            f'<cols>{cols_xml}</cols><sheetData>'
            '<row r="1">' + "".join(f'<c r="{letters[j]}1" t="s" s="3"><v>{head_codes[j]}</v></c>'
                                    for j in range(len(columns))) + "</row>")
    ymd = (when.year, when.month, when.day)
    stamp = f"{when.isoformat()}T00:00:00Z"
    tmp = path.with_name(path.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            for name, text in _xlsx_parts(sheet, title, stamp).items():
                zf.writestr(_zinfo(name, ymd), text.encode("utf-8"))
            with zf.open(_zinfo("xl/worksheets/sheet1.xml", ymd, level=1), "w") as out:
                out.write(head.encode("utf-8"))
                width = 4 + 5 * len(prepared)
                # one helper thread deflates chunk i (zlib releases the GIL) while
                # chunk i+1 is built; writes stay strictly in order
                with ThreadPoolExecutor(max_workers=1) as pool:
                    pending = None
                    for a in range(0, nrows, chunk):
                        b = min(nrows, a + chunk)
                        rows = np.arange(a + 2, b + 2).astype(str).astype(object)
                        # every piece of every cell, row-major, joined once
                        parts = np.empty((b - a, width), dtype=object)
                        parts[:, 0], parts[:, 1], parts[:, 2] = '<row r="', rows, '">'
                        for j, (tail, vals, miss) in enumerate(prepared):
                            k = 3 + 5 * j
                            parts[:, k] = '<c r="' + letters[j]
                            parts[:, k + 1] = rows
                            parts[:, k + 2] = tail
                            parts[:, k + 3] = vals[a:b]
                            parts[:, k + 4] = "</v></c>"
                            parts[miss[a:b], k:k + 5] = ""
                        parts[:, width - 1] = "</row>"
                        data = "".join(parts.ravel().tolist()).encode("utf-8")
                        if pending is not None:
                            pending.result()
                        pending = pool.submit(out.write, data)
                    if pending is not None:
                        pending.result()
                out.write(b"</sheetData></worksheet>")
            u = pd.Series(uniques, dtype=object).astype(str)
            sp = u.str.strip() != u
            si = np.where(sp, '<si><t xml:space="preserve">', "<si><t>") + _esc(u).to_numpy(dtype=object) + "</t></si>"
            sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                   f'<sst xmlns="{_NS}/spreadsheetml/2006/main" count="{count}" '
                   f'uniqueCount="{len(u)}">' + "".join(si.tolist()) + "</sst>")
            zf.writestr(_zinfo("xl/sharedStrings.xml", ymd), sst.encode("utf-8"))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return nrows


def _frame_columns(frame: pd.DataFrame, fields: Iterable, extra: dict[str, tuple[str, str]] = {}
                   ) -> list[tuple[str, str, pd.Series]]:
    """(header, kind, values) for each column of ``frame`` known to ``fields`` or ``extra``."""
    by = {f.name: (f.header, f.kind) for f in fields}
    by.update(extra)
    out = []
    for name in frame.columns:
        header, kind = by[name]
        kind = {"choice": "text"}.get(kind, kind)
        out.append((header, kind, frame[name]))
    return out


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    tmp = path.with_name(path.name + ".part")
    pq.write_table(table, tmp, compression="snappy", use_dictionary=True, write_statistics=True)
    os.replace(tmp, path)


def write_city(city: City, out_dir: str | Path) -> tuple[WrittenFile, ...]:
    """Write the city's files into ``out_dir`` (created if needed); return what was written.

    Files: roster.xlsx (sheet 困难职工档案), help_records.xlsx (sheet 帮扶记录),
    comparison.xlsx (sheet 对照户), truth.parquet, truth_help.parquet,
    truth_comparison.parquet, truth_rates.csv, evaluation.toml (+ the
    pseudonym key, derived from the seed, in .fieldeval/pseudonym.key).
    """
    d = Path(out_dir)
    if d.exists() and not d.is_dir():
        raise UserError("synthetic.out_not_dir", path=str(d))
    d.mkdir(parents=True, exist_ok=True)
    when = city.as_of
    written: list[WrittenFile] = []

    def xlsx(name: str, sheet: str, cols: list) -> None:
        rows = write_xlsx(d / name, sheet, cols, when=when, title=sheet)
        written.append(WrittenFile(d / name, rows))

    xlsx("roster.xlsx", "困难职工档案", _frame_columns(city.roster, FIELDS))
    xlsx("help_records.xlsx", "帮扶记录", _frame_columns(city.help_records, HELP_FIELDS))
    xlsx("comparison.xlsx", "对照户", _frame_columns(city.comparison, FIELDS,
                                                    {"comparison_id": ("对照户编号", "id")}))
    for name, frame in (("truth.parquet", city.truth), ("truth_help.parquet", city.truth_help),
                        ("truth_comparison.parquet", city.truth_comparison)):
        _write_parquet(frame, d / name)
        written.append(WrittenFile(d / name, len(frame)))
    rates_path = d / "truth_rates.csv"
    tmp = rates_path.with_name(rates_path.name + ".part")
    city.rates.to_csv(tmp, index=False, lineterminator="\n", float_format="%.6f", encoding="utf-8")
    os.replace(tmp, rates_path)
    written.append(WrittenFile(rates_path, len(city.rates)))

    key = hashlib.sha256(f"fieldeval synthetic pseudonym key {city.seed}".encode()).digest()
    toml = config.init(d, name=city.evaluation.name, language=city.evaluation.language,
                       counties=city.evaluation.counties, overwrite=True, key=key)
    # init writes the plain project; add the synthetic table (seed, as_of, files)
    toml.write_text(config.to_toml(city.evaluation), encoding="utf-8")
    written.append(WrittenFile(toml, None))
    return tuple(written)


__all__ = ["City", "WrittenFile", "make_city", "write_city", "write_xlsx", "AS_OF", "EXCLUSIONS",
           "INDICATORS", "MISMATCH_FIELDS"]
