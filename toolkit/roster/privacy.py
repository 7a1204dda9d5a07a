"""Privacy by default: keyed pseudonyms, masks, and one ``deidentify`` that
every output for leadership goes through (PIPL Art. 28/51/73, GB/T 37964).

Pseudonym: HMAC-SHA256(project key, archive_id), first 50 bits written in
Crockford base32 as ``HH-XXXXX-XXXXX``. Without the key nobody can link a
pseudonym back to the household, and the same key always gives the same code.

>>> pseudonym("HF1", b"k" * 32)
'HH-7Z5YW-SXDHS'
"""
from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd

from toolkit.errors import UserError
from toolkit.roster.schema import SENSITIVE

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PSEUDONYM_BITS = 50
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
                     "宇文", "司徒", "夏侯", "轩辕", "令狐", "端木", "独孤", "南宫", "西门", "百里")
MASK = "＊"


def pseudonym(archive_id: str, key: bytes) -> str:
    """The household's pseudonym under ``key`` (see the module docstring)."""
    digest = hmac.new(key, str(archive_id).encode("utf-8"), hashlib.sha256).digest()
    n = int.from_bytes(digest[:8], "big") >> (64 - PSEUDONYM_BITS)
    chars = "".join(_CROCKFORD[(n >> (5 * i)) & 31] for i in reversed(range(PSEUDONYM_BITS // 5)))
    return f"HH-{chars[:5]}-{chars[5:]}"


def pseudonyms(ids: pd.Series, key: bytes) -> pd.Series:
    """Pseudonyms for a column of archive ids; raises if two households collide."""
    out = ids.astype("string").map(lambda v: pseudonym(v, key) if v is not pd.NA else pd.NA)
    clash = out.notna() & out.duplicated(keep=False) & ~ids.duplicated(keep=False)
    if clash.any():
        raise UserError("roster.pseudonym_collision", count=int(clash.sum()))
    return out.astype("string")


def mask_id(s: pd.Series) -> pd.Series:
    """ID numbers → first 6 + asterisks + last 4 (e.g. 340102********012X)."""
    s = s.astype("string")
    n = s.str.len()
    return (s.str.slice(0, 6) + n.sub(10).clip(lower=0).map(lambda k: "*" * int(k) if pd.notna(k) else "")
            + s.str.slice(-4)).where(n >= 10, "*" * 4).where(s.notna())


def mask_phone(s: pd.Series) -> pd.Series:
    """Phones → asterisks and the last 4 digits (*******5678)."""
    s = s.astype("string")
    return ("*" * 7 + s.str.slice(-4)).where(s.str.len() >= 4)


def mask_name(s: pd.Series) -> pd.Series:
    """Names → surname + ＊ (张＊; 欧阳＊ for compound surnames)."""
    s = s.astype("string").str.strip()
    compound = s.str.slice(0, 2).isin(COMPOUND_SURNAMES) & (s.str.len() > 2)
    return (s.str.slice(0, 1).where(~compound, s.str.slice(0, 2)) + MASK).where(s.notna())


def mask_address(s: pd.Series) -> pd.Series:
    """Addresses → only up to the street/township level (drops building and door)."""
    s = s.astype("string")
    head = s.str.extract(r"^(.*?(?:街道|镇|乡))", expand=False)
    head = head.fillna(s.str.extract(r"^(.*?(?:区|县|市))", expand=False))
    return (head.fillna("") + MASK * 3).where(s.notna())


def deidentify(frame: pd.DataFrame, key: bytes, *, id_column: str = "archive_id",
               keep_birth_year: bool = True) -> pd.DataFrame:
    """A copy safe for leadership: the archive id replaced by ``household``
    (pseudonym), every sensitive field (name, ID number, phone, bank card,
    address, helper and helper phone) removed, birth date cut to the year.
    Any other column ending in a sensitive name is dropped too."""
    out = frame.copy()
    if id_column in out:
        out.insert(0, "household", pseudonyms(out[id_column], key))
        out = out.drop(columns=id_column)
    drop = [c for c in out.columns if c in SENSITIVE or any(str(c).startswith(f"{s}_") for s in SENSITIVE)]
    out = out.drop(columns=drop)
    if "birth_date" in out:
        if keep_birth_year:
            out["birth_year"] = pd.to_datetime(out["birth_date"]).dt.year.astype("Int64")
        out = out.drop(columns="birth_date")
    return out


def suppress_small_cells(table: pd.DataFrame, count_column: str, k: int = 5,
                         columns: list[str] | None = None) -> pd.DataFrame:
    """Blank the listed columns (default: all but the grouping ones) of rows
    whose ``count_column`` is below ``k`` (but above 0), so that no small group
    can be re-identified. The count itself is shown as ``<k``."""
    out = table.copy()
    small = (out[count_column] > 0) & (out[count_column] < k)
    cols = columns or [c for c in out.columns if out[c].dtype.kind in "if" and c != count_column]
    for c in cols:
        out[c] = out[c].astype("float64").mask(small)
    out[count_column] = out[count_column].astype(object).where(~small, f"<{k}")
    return out


__all__ = ["pseudonym", "pseudonyms", "mask_id", "mask_phone", "mask_name", "mask_address",
           "deidentify", "suppress_small_cells", "np"]
