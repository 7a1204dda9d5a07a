"""Frames going into the store: column checks, types, JSON, and privacy.

The store keeps archive ids but never a roster's personal fields. Values
that reach free-text columns (a finding's archive/visit values and evidence,
a note) are screened: a finding about a personal field (name, ID number,
phone, address, bank card, helper) keeps only the fact of the difference,
and any run of 11 or more digits (a mobile phone, an ID number, a bank card)
is masked wherever it appears.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from toolkit.errors import UserError

PERSONAL_FIELDS = frozenset({"name", "id_number", "address", "phone", "bank_card", "helper",
                             "helper_phone", "姓名", "身份证号", "身份证号码", "地址", "家庭住址",
                             "电话", "联系电话", "手机", "手机号", "银行卡号", "帮扶责任人"})
WITHHELD = "[withheld]"
MASK = "[masked]"
_LONG_DIGITS = re.compile(r"(?<![0-9])[0-9]{11,}[0-9Xx]?(?![0-9A-Za-z])")


def utcnow() -> dt.datetime:
    """Now in UTC without a zone, as the store keeps times."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def require(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    """UserError naming the first required column that is missing."""
    if not isinstance(frame, pd.DataFrame):
        raise UserError("store.not_a_frame", table=table, got=type(frame).__name__)
    for c in columns:
        if c not in frame.columns:
            raise UserError("store.missing_column", table=table, column=c)


def ids(s: pd.Series) -> pd.Series:
    """Ids as stripped text (None stays None)."""
    out = s.astype(object).where(s.notna(), None)
    if _all_text(out):   # str(v) is v: strip them as a column
        has = out.notna().to_numpy()
        if has.any():
            out[has] = out[has].str.strip().astype(object)
        return _as_mapped(out)
    return out.map(lambda v: None if v is None else str(v).strip())


def texts(s: pd.Series) -> pd.Series:
    """Free text as str, missing as None."""
    out = s.astype(object).where(s.notna(), None)
    if _all_text(out):   # str(v) is v itself: nothing to convert (200,000 findings: no call per value)
        return _as_mapped(out)
    return out.map(lambda v: None if v is None else str(v))


def _as_mapped(out: pd.Series) -> pd.Series:
    """``out`` (text and None, object) as ``Series.map`` returns such values:
    the dtype pandas infers for them (text: ``str``, missing as NaN; only
    None: object), through the same inference of the constructor."""
    return pd.Series(out.to_numpy(dtype=object), index=out.index, name=out.name)


def _all_text(out: pd.Series) -> bool:
    """Every value of the object Series ``out`` is text or None (as :func:`canon_series` asks)."""
    return pd.api.types.infer_dtype(out, skipna=True) in ("string", "empty")


def times(s: pd.Series) -> pd.Series:
    """Datetimes as naive UTC python datetimes (microseconds), missing as None."""
    t = pd.to_datetime(s, utc=True, errors="raise", format="mixed").dt.tz_convert(None).dt.floor("us")
    return pd.Series([None if pd.isna(v) else v.to_pydatetime() for v in t], index=s.index, dtype=object)


def ints(s: pd.Series) -> pd.Series:
    """Whole numbers as python ints, missing as None."""
    n = pd.to_numeric(s, errors="raise")
    return pd.Series([None if pd.isna(v) else int(v) for v in n], index=s.index, dtype=object)


def _plain(v: object) -> object:
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return None if math.isnan(v) else float(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.ndarray):
        return v.tolist()
    if isinstance(v, dt.date | pd.Timestamp):
        return v.isoformat()
    return str(v)


def to_json(v: object) -> str | None:
    """Evidence as JSON text: a mapping/list is dumped (keys sorted), a string
    that is JSON is kept, any other string becomes a JSON string."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, str):
        try:
            json.loads(v)
            return v
        except ValueError:
            return json.dumps(v, ensure_ascii=False)
    return json.dumps(v, ensure_ascii=False, sort_keys=True, default=_plain)


def from_json(v: object) -> object:
    """Parsed JSON (None stays None)."""
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else json.loads(str(v))


def mask_digits(s: pd.Series) -> pd.Series:
    """Replace runs of 11+ digits (phones, ID numbers, bank cards) by a mask."""
    out = s.astype(object)
    has = out.notna()
    text = out[has].astype(str)
    long = (text.str.len() >= 11).to_numpy(dtype=bool)   # a run of 11 digits needs 11 characters
    if long.any():
        text[long] = text[long].str.replace(_LONG_DIGITS, MASK, regex=True)
    out[has] = text
    return out


def withhold_personal(frame: pd.DataFrame, field_column: str, value_columns: list[str]) -> pd.DataFrame:
    """Withhold values of rows about a personal field (keeps that they differ)."""
    personal = frame[field_column].astype(str).str.strip().isin(PERSONAL_FIELDS)
    for c in value_columns:
        frame.loc[personal & frame[c].notna(), c] = WITHHELD
    return frame


def canon(v: object) -> str | None:
    """One text form per value, to tell a changed value from an equal one."""
    if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, dt.datetime | pd.Timestamp):
        return pd.Timestamp(v).isoformat()
    if isinstance(v, float | np.floating) and float(v).is_integer():
        return str(int(v))
    return str(v)


def canon_series(s: pd.Series) -> pd.Series:
    """``s.map(canon)`` as an object Series, without a Python call per value
    when every value is text (or missing): then canon is the value itself and
    missing becomes None. Other columns go through :func:`canon` value by value."""
    if pd.api.types.infer_dtype(s, skipna=True) in ("string", "empty"):
        out = s.astype(object)
        return out.where(s.notna(), None)
    return s.map(canon).astype(object)


def column_values(frame: pd.DataFrame) -> list[list]:
    """Each column of ``frame`` as a list of plain python values (None for
    missing; numpy scalars as python ones, as :func:`records` gives them):
    the columns of a bulk insert, built column by column, not row by row."""
    out = []
    for c in frame.columns:
        s = frame[c]
        if s.dtype == object:
            vals = s.where(s.notna(), None).tolist()
            out.append([_plain(v) if isinstance(v, np.generic) else v for v in vals])
        else:
            o = s.astype(object)
            out.append(o.where(s.notna(), None).tolist())
    return out


def duplicated_key(frame: pd.DataFrame, key: list[str], table: str) -> None:
    """UserError when two rows of ``frame`` share a key."""
    dup = frame.duplicated(key, keep=False)
    if dup.any():
        row = frame[dup].iloc[0]
        raise UserError("store.duplicate_rows", table=table,
                        key=" / ".join(str(row[k]) for k in key), n=int(dup.sum()))


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain python values (None for missing)."""
    out = frame.astype(object).where(frame.notna(), None)
    return [{k: _plain(v) if isinstance(v, np.generic) else v for k, v in r.items()}
            for r in out.to_dict("records")]


def _missing(v: object) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float | np.floating) and math.isnan(v))


def _mask_text(v: str | None) -> str | None:
    return None if v is None else _LONG_DIGITS.sub(MASK, str(v))


FINDING_FIELDS = ("archive_id", "finding_type", "item", "verdict", "rule", "value_archive", "value_visit",
                  "evidence")


def finding_record(row: Mapping) -> dict:
    """One finding cleaned as ``Store.save_findings`` cleans a frame's row
    (ids stripped, item "" when missing, long digit runs masked, evidence as
    JSON, values about a personal field withheld), in plain Python: a click
    saves four rows, and a frame costs more than the database round trip.
    Only the fields present in ``row`` are returned (plus ``item``)."""
    def idv(v: object) -> str | None:
        return None if _missing(v) else str(v).strip()

    def txt(v: object) -> str | None:
        return None if _missing(v) else str(v)

    out: dict = {"archive_id": idv(row.get("archive_id")), "finding_type": idv(row.get("finding_type")),
                 "item": idv(row.get("item")) or "" if "item" in row else ""}
    for c in ("verdict", "rule"):
        if c in row:
            out[c] = txt(row[c])
    for c in ("value_archive", "value_visit"):
        if c in row:
            out[c] = _mask_text(txt(row[c]))
    if "evidence" in row:
        out["evidence"] = _mask_text(to_json(row["evidence"]))
    if out["item"] in PERSONAL_FIELDS:
        for c in ("value_archive", "value_visit", "evidence"):
            if out.get(c) is not None:
                out[c] = json.dumps(WITHHELD) if c == "evidence" else WITHHELD
    return out


def mapping(v: object, what: str) -> Mapping:
    """``v`` if it is a mapping, else UserError."""
    if not isinstance(v, Mapping):
        raise UserError("store.not_a_manifest", detail=f"{what}: {type(v).__name__}")
    return v


__all__ = ["utcnow", "require", "ids", "texts", "times", "ints", "to_json", "from_json",
           "mask_digits", "withhold_personal", "canon", "canon_series", "column_values", "duplicated_key", "records", "mapping", "finding_record",
           "PERSONAL_FIELDS", "WITHHELD", "MASK"]
