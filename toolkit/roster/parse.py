"""Turning exported cell text into typed columns, vectorised with Arrow compute.

Numbers: "12,000", "12000元", "1.2万", "￥3,500.50", full-width digits.
Dates: "2021-03-05", "2021/4/9", "2022年1月12日", "2021.3.5", "20210305",
Excel serial numbers and Excel date cells. IDs stay text (full-width folded,
x → X); a number that Excel made of an ID is kept as the text Excel shows so
validation can report it. Each parser returns the parsed column and a mask of
cells that were present but could not be parsed.

Speed: every string operation runs in Arrow's C++ kernels (NFKC, trim, RE2
regex), and on the column's distinct values only when it has few of them
(a county column of a million rows has six).
"""
from __future__ import annotations

import datetime as dt
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
_CURRENCY = r"[,，\s元¥￥]|人民币|RMB"
_NUMBER = r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"

Arr = pa.Array | pa.ChunkedArray


def _py_cell_text(v: object) -> str | None:
    """Text of one Excel/SPSS cell value (only for object columns)."""
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    if isinstance(v, (dt.datetime, pd.Timestamp)):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _object_to_arrow(col: pd.Series) -> Arr | None:
    """``col.map(_py_cell_text)`` as Arrow text without a Python call per cell,
    for the column kinds a workbook gives (text, whole numbers, dates); None
    for anything else (the caller then converts cell by cell)."""
    kind = pd.api.types.infer_dtype(col, skipna=True)
    values = col.to_numpy(dtype=object)
    try:
        if kind in ("string", "empty"):
            return pa.array(values, type=pa.large_string(), from_pandas=True)
        if kind == "integer":          # Python ints: str(v) is Arrow's int → text
            return pa.array(values, type=pa.int64(), from_pandas=True).cast(pa.large_string())
        if kind in ("datetime", "date"):
            arr = pa.array(values, from_pandas=True)
            if pa.types.is_timestamp(arr.type) and arr.type.tz is None:
                return pc.strftime(arr, format="%Y-%m-%d").cast(pa.large_string())
            if pa.types.is_date32(arr.type):
                return arr.cast(pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return None
    return None


def to_arrow(col: pd.Series) -> Arr:
    """The column as an Arrow string array (Excel/SPSS cells converted first)."""
    if col.dtype == object:
        fast = _object_to_arrow(col)
        if fast is not None:
            return fast
        kinds = set(col.map(type).unique())
        if not kinds <= {str}:
            col = col.map(_py_cell_text)
        return pa.array(col.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    if col.dtype.kind in "iufb":
        col = col.astype("string")
    arr = pa.array(col, from_pandas=True) if not isinstance(col.array, pd.arrays.ArrowStringArray) \
        else col.array._pa_array
    return arr.cast(pa.large_string()) if arr.type != pa.large_string() else arr


def _on_distinct(arr: Arr, fn: Callable[[Arr], Arr]) -> Arr:
    """Apply ``fn`` to the distinct values and spread back, when that is cheaper.

    ``fn`` works cell by cell, so the answer is ``fn(arr)``'s either way. A
    column whose first 20,000 cells are mostly distinct is probed again on
    its first 200,000 (birth and registration dates: ~18,000 distinct days
    look distinct in 20,000 rows, not in 200,000 or 5.5 million). The distinct
    values are found first without per-cell codes (``pc.unique``): when
    ``fn`` leaves every one as it was (the usual case) the column is kept as
    it is, with no dictionary encoding and no take."""
    if len(arr) < 1000:
        return fn(arr)
    probe = arr.slice(0, 20000)
    seen = len(pc.unique(probe))
    if seen * 4 > len(probe):
        wide = arr.slice(0, 200_000)   # not for nearly all distinct cells (ids, names, phones)
        if seen * 5 > len(probe) * 4 or len(arr) < 2 * len(wide) or len(pc.unique(wide)) * 4 > len(wide):
            return fn(arr)          # mostly distinct values (ids, names): no gain
    values = pc.drop_null(pc.unique(arr))
    if len(values) * 2 > len(arr):
        return fn(arr)
    if _unchanged(fn(values), values):
        return arr     # every distinct value folds to itself: the column as it is (no million-cell take)
    given = arr
    if isinstance(arr, pa.ChunkedArray) and arr.num_chunks > 1:
        arr = arr.combine_chunks()   # one dictionary, one fold and one take (not one per read block)
    enc = pc.dictionary_encode(arr)
    chunks = enc.chunks if isinstance(enc, pa.ChunkedArray) else [enc]
    if not chunks or sum(len(c.dictionary) for c in chunks) * 2 > len(arr):
        return fn(arr)
    done = [fn(c.dictionary) for c in chunks]
    if all(_unchanged(d, c.dictionary) for d, c in zip(done, chunks)):
        return given   # every distinct value folds to itself: the column as it is (no million-cell take)
    out = [pc.take(d, c.indices) for d, c in zip(done, chunks)]
    return pa.chunked_array(out, type=out[0].type) if out else fn(arr)


def _unchanged(folded: Arr, values: pa.Array) -> bool:
    """Whether ``fn`` left every distinct value as it was (same type, same
    text, none made blank), so spreading them back would rebuild the column."""
    if folded.type != values.type or folded.null_count != values.null_count or len(folded) != len(values):
        return False
    return bool(pc.all(pc.fill_null(pc.equal(folded, values), False)).as_py())


def _stable_under_nfkc(arr: Arr) -> bool:
    """True when every character of ``arr`` is ASCII or a CJK unified ideograph
    (U+3400–U+4DBF, U+4E00–U+9FFF): characters NFKC leaves as they are, alone
    and next to each other (checked over all of them, see tests). Read from
    the UTF-8 bytes with numpy: each lead byte must be E3 (second byte ≥ 90:
    U+3400 on), E4 (second byte not B7: U+4DC0–U+4DFF are hexagram signs) or
    E5–E9. Bytes outside the array's slice only make the answer False (safe)."""
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    for c in chunks:
        if not (pa.types.is_string(c.type) or pa.types.is_large_string(c.type)):
            return False
        data = c.buffers()[2]
        if data is None:
            continue
        b = np.frombuffer(data, dtype=np.uint8)
        lead = np.flatnonzero(b >= 0xC0)
        if lead.size == 0:
            continue
        lb = b[lead]
        if lb.min() < 0xE3 or lb.max() > 0xE9 or lead[-1] + 1 >= b.size:
            return False
        second = b[lead + 1]
        if ((lb == 0xE3) & (second < 0x90)).any() or ((lb == 0xE4) & (second == 0xB7)).any():
            return False
    return True


def _nfkc(arr: Arr) -> Arr:
    """NFKC width folding; skipped for columns of ASCII and CJK ideographs
    only, where it changes nothing (one numpy pass over the bytes)."""
    if len(arr) == 0 or _stable_under_nfkc(arr):
        return arr
    return pc.utf8_normalize(arr, "NFKC")


def _text(arr: Arr) -> Arr:
    s = _nfkc(arr)
    if len(s) and _nothing_to_trim(s):
        return s   # a clean column (names, ID numbers, phones) kept as it is: no copy of a million cells
    s = pc.utf8_trim_whitespace(s)
    return pc.if_else(pc.equal(s, ""), pa.scalar(None, s.type), s)


def _nothing_to_trim(arr: Arr) -> bool:
    """True when no cell of ``arr`` is empty and every cell starts and ends
    with a character that is surely not white space (printable ASCII other
    than the space, or a CJK character U+4000–U+9FFF, lead byte E4–E9), so
    trimming and blanking empty cells would give the same column. Read from
    the offsets and the UTF-8 bytes with numpy; anything else says False
    (the caller then trims as before)."""
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    for c in chunks:
        if len(c) == 0:
            continue
        if not (pa.types.is_string(c.type) or pa.types.is_large_string(c.type)):
            return False
        _, obuf, dbuf = c.buffers()
        if dbuf is None:
            return False
        offs = np.frombuffer(obuf, dtype=np.int64 if pa.types.is_large_string(c.type) else np.int32)
        offs = offs[c.offset: c.offset + len(c) + 1].astype(np.int64)
        start, end = offs[:-1], offs[1:]
        if c.null_count:
            valid = np.asarray(c.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
            start, end = start[valid], end[valid]
        if start.size == 0:
            continue
        if (end <= start).any():
            return False
        b = np.frombuffer(dbuf, dtype=np.uint8)
        first, last = b[start], b[end - 1]
        if not (((first >= 0x21) & (first <= 0x7E)) | ((first >= 0xE4) & (first <= 0xE9))).all():
            return False
        ascii_end = (last >= 0x21) & (last <= 0x7E)
        if not ascii_end.all():
            k = ~ascii_end
            s3, e3 = start[k], end[k]
            if (e3 - s3 < 3).any():
                return False
            lead = b[e3 - 3]
            if not (((last[k] >= 0x80) & (last[k] <= 0xBF)) & (lead >= 0xE4) & (lead <= 0xE9)).all():
                return False
    return True


def _series(arr: Arr, index: pd.Index) -> pd.Series:
    if isinstance(arr, pa.Array):
        arr = pa.chunked_array([arr])
    return pd.Series(pd.arrays.ArrowStringArray(arr.cast(pa.large_string())), index=index)


def _bool(arr: Arr, index: pd.Index) -> pd.Series:
    return pd.Series(np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool),
                     index=index)


def as_text(col: pd.Series) -> pd.Series:
    """Cells as stripped text with NFKC width folding; blanks become <NA>."""
    return _series(_on_distinct(to_arrow(col), _text), col.index)


def as_id(col: pd.Series, text: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
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

    def fn(a: Arr, folded: bool = False) -> Arr:
        t = a if folded else _text(a)
        if _may_hold_bytes(t, _SPACE_OR_X) and pc.any(pc.match_substring_regex(t, r"[\sx]")).as_py():
            t = pc.utf8_upper(pc.replace_substring_regex(t, r"\s+", ""))
        return t
    if text is not None and not lost.any():   # ``text`` = as_text(col): folded already
        return _series(fn(_texted(col, text), folded=True), col.index), lost
    return _series(_on_distinct(to_arrow(col), fn), col.index), lost


_SPACE_OR_X = b"\t\n\x0c\r x"   # RE2's [\sx]: ASCII bytes only


def _may_hold_bytes(arr: Arr, targets: bytes) -> bool:
    """False only when no cell of ``arr`` can hold one of the ASCII bytes
    ``targets``: the text bytes each chunk's cells span are searched with
    ``bytes.find`` (memchr, no regex). An ASCII byte never occurs inside a
    longer UTF-8 character, so False proves that a regex class of those ASCII
    characters matches no cell; True (or any array that is not plain text)
    means: run the exact test."""
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    for c in chunks:
        if len(c) == 0:
            continue
        if not (pa.types.is_string(c.type) or pa.types.is_large_string(c.type)):
            return True
        _, obuf, dbuf = c.buffers()
        if dbuf is None:
            continue
        offs = np.frombuffer(obuf, dtype=np.int64 if pa.types.is_large_string(c.type) else np.int32)
        lo, hi = int(offs[c.offset]), int(offs[c.offset + len(c)])
        data = memoryview(dbuf)[lo:hi].tobytes()
        if any(data.find(t) >= 0 for t in targets):
            return True
    return False


# RE2's \s is [\t\n\f\r ]: spelled out so the Rust regex (polars) removes the same characters
_CURRENCY_EXPLICIT = r"[,，\t\n\f\r 元¥￥]|人民币|RMB"


def _strip_currency(t: Arr) -> Arr:
    """Currency signs, 元 and thousands separators removed from (already
    folded) text; large columns through polars' regex (Rust, several times
    faster than Arrow's RE2 on this alternation)."""
    if len(t) < 50_000:
        return pc.replace_substring_regex(t, _CURRENCY, "")
    import polars as pl

    out = pl.from_arrow(t).str.replace_all(_CURRENCY_EXPLICIT, "").to_arrow()
    return out.cast(pa.large_string()) if out.type != pa.large_string() else out


def _clean_number(a: Arr) -> Arr:
    return _strip_currency(_text(a))


def _texted(col: pd.Series, text: pd.Series | None) -> Arr | None:
    """The folded text of ``col`` already computed by the caller (``as_text``
    of the same cells), as an Arrow array; None when not given."""
    if text is None:
        return None
    arr = text.array._pa_array if isinstance(text.array, pd.arrays.ArrowStringArray) else to_arrow(text)
    return arr.cast(pa.large_string()) if arr.type != pa.large_string() else arr


def as_number(col: pd.Series, text: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Amounts in yuan (float); 万 multiplies by 10,000. Returns (values, bad).
    ``text``: ``as_text(col)`` when the caller has it (saves folding again)."""
    if col.dtype.kind in "if":
        return col.astype("float64"), pd.Series(False, index=col.index)
    arr = to_arrow(col) if text is None or col.dtype == object else None
    folded = _texted(col, text)
    try:   # clean numeric text needs no cleaning
        first = folded if folded is not None else pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)
        values = pc.cast(first, pa.float64())
        return (pd.Series(values.to_numpy(zero_copy_only=False), index=col.index, dtype="float64"),
                pd.Series(False, index=col.index))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    raw = _strip_currency(folded) if folded is not None else _on_distinct(arr, _clean_number)
    wan = pc.ends_with(raw, "万")
    digits = pc.if_else(wan, pc.utf8_slice_codeunits(raw, 0, -1), raw)
    ok = pc.match_substring_regex(digits, _NUMBER)
    values = pc.cast(pc.if_else(ok, digits, pa.scalar(None, digits.type)), pa.float64())
    values = pc.if_else(pc.fill_null(wan, False), pc.multiply(values, 10000.0), values)
    out = pd.Series(values.to_numpy(zero_copy_only=False), index=col.index, dtype="float64")
    bad = _bool(pc.and_(pc.is_valid(raw), pc.invert(pc.fill_null(ok, False))), col.index)
    return out, bad


def as_int(col: pd.Series, text: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Whole counts (nullable Int64); "3人" and "3.0" are accepted."""
    if col.dtype.kind not in "if" and text is not None:
        col = _series(_on_distinct(_texted(col, text), lambda a: pc.replace_substring_regex(a, r"[人口个\s]", "")),
                      col.index)
    elif col.dtype.kind not in "if":
        col = _series(_on_distinct(to_arrow(col),
                                   lambda a: pc.replace_substring_regex(_text(a), r"[人口个\s]", "")),
                      col.index)
    values, bad = as_number(col)
    frac = values.notna() & (values != np.floor(values))
    out = values.where(~frac).round().astype("Int64")
    return out, (bad | frac).astype(bool)


def _parse_dates(a: Arr, folded: bool = False) -> Arr:
    """Distinct date texts → timestamps (null when unparseable)."""
    s = a if folded else _text(a)
    s = pc.replace_substring_regex(s, r"\s+\d{1,2}:\d{2}(:\d{2})?$", "")
    s = pc.replace_substring(pc.replace_substring_regex(s, r"[年月/.]", "-"), "日", "")
    # zero-pad month and day so one strict format fits all separators
    s = pc.replace_substring_regex(s, r"^(\d{4})-(\d)-", r"\1-0\2-")
    s = pc.replace_substring_regex(s, r"^(\d{4})-(\d{2})-(\d)$", r"\1-\2-0\3")
    compact = pc.match_substring_regex(s, r"^\d{8}$")
    s = pc.if_else(compact, pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(s, 0, 4), pc.utf8_slice_codeunits(s, 4, 6), pc.utf8_slice_codeunits(s, 6, 8), pa.scalar("-", s.type)), s)
    iso = pc.match_substring_regex(s, r"^\d{4}-\d{2}-\d{2}$")
    parsed = pc.strptime(pc.if_else(iso, s, pa.scalar(None, s.type)), format="%Y-%m-%d", unit="s",
                         error_is_null=True)
    serial = pc.match_substring_regex(s, r"^\d{5}(\.\d+)?$")
    days = pc.cast(pc.if_else(serial, s, pa.scalar(None, s.type)), pa.float64())
    serial_ok = pc.and_(serial, pc.and_(pc.greater_equal(days, 1), pc.less_equal(days, 2958465)))
    base = EXCEL_EPOCH.astype("datetime64[s]").astype("int64")
    secs = pc.add(pc.multiply(pc.cast(pc.floor(days), pa.int64()), 86400), int(base))
    from_serial = pc.cast(secs, pa.timestamp("s"))
    return pc.if_else(pc.fill_null(serial_ok, False), from_serial, parsed)


def as_date(col: pd.Series, text: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Dates (datetime64[ns]). Accepts the formats in the module docstring."""
    if pd.api.types.is_datetime64_any_dtype(col):
        return col.astype("datetime64[ns]"), pd.Series(False, index=col.index)
    if text is not None:
        folded = _texted(col, text)
        parsed = _on_distinct(folded, lambda a: _parse_dates(a, folded=True))
        out = pd.Series(pc.cast(parsed, pa.timestamp("ns")).to_numpy(zero_copy_only=False),
                        index=col.index).astype("datetime64[ns]")
        return out, _bool(pc.and_(pc.is_valid(folded), pc.is_null(parsed)), col.index)
    arr = to_arrow(col)
    parsed = _on_distinct(arr, _parse_dates)
    out = pd.Series(pc.cast(parsed, pa.timestamp("ns")).to_numpy(zero_copy_only=False),
                    index=col.index).astype("datetime64[ns]")
    present = pc.is_valid(_on_distinct(arr, _text))
    bad = _bool(pc.and_(present, pc.is_null(parsed)), col.index)
    return out, bad


STATUS_SYNONYMS = {"在册": "在档", "在档困难职工": "在档", "脱困": "已脱困", "已退出": "已脱困",
                   "解困": "已解困", "已注销": "注销", "销档": "注销"}
CATEGORY_SYNONYMS = {"深度困难职工": "深度困难", "相对困难职工": "相对困难",
                     "意外致困职工": "意外致困", "突发致困": "意外致困"}
SEX_SYNONYMS = {"M": "男", "F": "女", "1": "男", "2": "女", "男性": "男", "女性": "女"}


def as_choice(col: pd.Series, synonyms: dict[str, str] | None = None, text: pd.Series | None = None) -> pd.Series:
    """Choice text with known synonyms mapped to the canonical value."""
    s = as_text(col) if text is None else text
    if synonyms:
        s = s.replace(synonyms)
    return s
