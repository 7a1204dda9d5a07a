"""Turning exported cell text into typed columns, vectorised.

Numbers: "12,000", "12000元", "1.2万", "￥3,500.50", full-width digits.
Dates: "2021-03-05", "2021/4/9", "2022年1月12日", "2021.3.5", "20210305",
Excel serial numbers and Excel date cells. IDs stay text (full-width folded,
x → X); a number that Excel made of an ID is kept as the text the user saw so
validation can report it. Each function returns the parsed column and a mask
of cells that were present but could not be parsed.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_CURRENCY = r"[,，\s\u3000元¥￥]|人民币|RMB"


def as_text(col: pd.Series) -> pd.Series:
    """Cells as stripped text with NFKC width folding; blanks become <NA>.

    Excel numbers become their plain decimal text (12.0 → "12"); Excel dates
    become ISO dates.
    """
    if col.dtype == object:
        def conv(v: object) -> object:
            if v is None or (isinstance(v, float) and np.isnan(v)):
                return None
            if isinstance(v, float):
                return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
            if isinstance(v, (dt.datetime, pd.Timestamp)):
                return v.strftime("%Y-%m-%d")
            if isinstance(v, dt.date):
                return v.isoformat()
            return str(v)
        kinds = col.map(type).unique()
        if not all(k is str for k in kinds):
            col = col.map(conv)
    s = col.astype("string").str.normalize("NFKC").str.strip()
    return s.mask(s == "")


def as_id(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ID-like text: no inner spaces, upper-case X. Returns (text, excel_number)
    where ``excel_number`` marks cells Excel stored as a number of 16+ digits
    (Excel keeps 15 significant digits, so the rest is already lost); they are
    shown as Excel shows them (3.40102E+17)."""
    lost = pd.Series(False, index=col.index)
    if col.dtype == object:
        def is_big_number(v: object) -> bool:
            return (isinstance(v, (int, float)) and not isinstance(v, bool)
                    and not (isinstance(v, float) and np.isnan(v)) and abs(v) >= 1e15)
        big = col.map(is_big_number).astype(bool)
        if big.any():
            lost = big
            col = col.where(~big, col[big].map(lambda v: f"{float(v):.5E}"))
    s = as_text(col).str.replace(r"\s+", "", regex=True).str.upper()
    return s, lost


def as_number(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Amounts in yuan (float); 万 multiplies by 10,000. Returns (values, bad)."""
    if col.dtype.kind in "if":
        return col.astype("float64"), pd.Series(False, index=col.index)
    s = as_text(col)
    cleaned = s.str.replace(_CURRENCY, "", regex=True)
    wan = cleaned.str.endswith("万").fillna(False).astype(bool)
    cleaned = cleaned.str.removesuffix("万")
    values = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    values = values.where(~wan, values * 10000.0)
    bad = s.notna() & values.isna()
    return values, bad.fillna(False).astype(bool)


def as_int(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole counts (nullable Int64); "3人" and "3.0" are accepted."""
    if col.dtype.kind not in "if":
        col = as_text(col).str.replace(r"[人口个\s]", "", regex=True)
    values, bad = as_number(col)
    frac = values.notna() & (values != np.floor(values))
    out = values.where(~frac).round().astype("Int64")
    return out, (bad | frac).astype(bool)


def as_date(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates (datetime64). Accepts the formats in the module docstring."""
    if pd.api.types.is_datetime64_any_dtype(col):
        return col.astype("datetime64[ns]"), pd.Series(False, index=col.index)
    s = as_text(col)
    norm = (s.str.replace(r"[年月/.]", "-", regex=True).str.replace("日", "", regex=False)
             .str.replace(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", regex=True))
    out = pd.to_datetime(norm, format="%Y-%m-%d", errors="coerce")
    compact = norm.str.fullmatch(r"\d{8}").fillna(False).astype(bool)
    if compact.any():
        out = out.where(~compact, pd.to_datetime(norm.where(compact), format="%Y%m%d", errors="coerce"))
    serial = norm.str.fullmatch(r"\d{5}(\.\d+)?").fillna(False).astype(bool)
    if serial.any():
        days = pd.to_numeric(norm.where(serial), errors="coerce")
        ok = serial & days.between(1, 2958465)
        out = out.where(~ok, EXCEL_EPOCH + pd.to_timedelta(days.where(ok).fillna(0).astype("int64"), unit="D"))
    out = out.astype("datetime64[ns]")
    bad = s.notna() & out.isna()
    return out, bad.fillna(False).astype(bool)


STATUS_SYNONYMS = {"在册": "在档", "在档困难职工": "在档", "脱困": "已脱困", "已退出": "已脱困",
                   "解困": "已解困", "已注销": "注销", "销档": "注销"}
CATEGORY_SYNONYMS = {"深度困难职工": "深度困难", "相对困难职工": "相对困难",
                     "意外致困职工": "意外致困", "突发致困": "意外致困"}
SEX_SYNONYMS = {"M": "男", "F": "女", "1": "男", "2": "女", "男性": "男", "女性": "女"}


def as_choice(col: pd.Series, synonyms: dict[str, str] | None = None) -> pd.Series:
    """Choice text with known synonyms mapped to the canonical value."""
    s = as_text(col)
    if synonyms:
        s = s.replace(synonyms)
    return s
