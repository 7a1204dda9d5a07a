"""Privacy by default: keyed pseudonyms, masks, and one ``deidentify`` that
every output for leadership goes through (PIPL Art. 28/51/73, GB/T 37964).

Pseudonym: HMAC-SHA256(project key, archive_id), first 50 bits written in
Crockford base32 as ``HH-XXXXX-XXXXX``. Without the key nobody can link a
pseudonym back to the household, and the same key always gives the same code.

>>> pseudonym("HF1", b"k" * 32)
'HH-7Z5YW-SXDHS'

Free text (主要致困原因, notes, anything typed by the evaluated party) never
goes to leadership as it is: either only its category word is sent, or it is
passed through :func:`scrub_text`, which removes ID numbers, bank cards,
phones in any spacing (``199 5667 8295``, ``199-5667-8295``, ``+86 199…``),
landlines, house-number addresses and the roster's own names and addresses.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable

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


# --- free text ----------------------------------------------------------------------------------
_SEP = r"(?:[ \u3000\-–—]| [\-–—] )?"  # at most one space or dash (or " - ") between digits
_B = r"(?<![0-9A-Za-z])(?<!\d\.)"  # not inside a longer run, not the fraction of a decimal
_E = r"(?![0-9A-Za-z])(?!\.\d)"
ID_ANY = re.compile(rf"{_B}(?:\d{_SEP}){{17}}[\dXx]{_E}")
"""An 18-character ID number written with any spaces or dashes between its digits."""
CARD_ANY = re.compile(rf"{_B}\d(?:{_SEP}\d){{15,18}}{_E}")
"""16–19 digits in any grouping (bank cards)."""
PHONE_ANY = re.compile(rf"{_B}(?:(?:\+|00)?86{_SEP})?1[3-9](?:{_SEP}\d){{9}}{_E}")
"""A mainland mobile number, with or without +86, in any spacing."""
LANDLINE_ANY = re.compile(rf"{_B}\(?0\d{{2,3}}\)?{_SEP}\d{{3,4}}{_SEP}\d{{4}}{_E}")
"""A landline with area code (0551-62345678, (0551) 6234 5678)."""
HOUSE_ANY = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{0,12}?(?:路|街|巷|弄|道|村|组|小区|苑|园|花园|公寓|大厦|社区)"
                       r"[\u4e00-\u9fffA-Za-z0-9\-]{0,12}?\d+\s*(?:号|栋|幢|单元|室|楼|弄|组|户)"
                       r"(?:[\s\-]*\d+\s*(?:号|栋|幢|单元|室|楼|层|户))*")
"""A street/village address down to a house, building or room number."""
SCRUBBED = MASK * 3
NAME_FIELDS = ("name", "helper")
"""Roster columns holding people's names (the household's and its helper's);
any column ending ``_name`` (household members) counts too."""


def private_terms(frame: pd.DataFrame) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(names, addresses) of a roster frame, for :func:`scrub_text` and the
    privacy scan: every name of the household and its members (``name``,
    ``helper``, ``*_name`` columns; 2+ characters) and every address (4+),
    each once, longest first. Columnar (one concat, one hash of the values):
    a national roster has millions of names."""
    cols = [c for c in frame.columns if c in NAME_FIELDS or str(c).endswith("_name")]
    names = _distinct([frame[c] for c in cols], 2)
    addresses = _distinct([frame["address"]] if "address" in frame else [], 4)
    return names, addresses


def _distinct(columns: list[pd.Series], shortest: int) -> tuple[str, ...]:
    """The distinct trimmed texts of ``columns`` at least ``shortest`` characters long, longest first
    (first occurrence first among texts of one length). In Arrow (:func:`_arrow_distinct`); in
    pandas when Arrow cannot hold the texts (the same list)."""
    if not columns:
        return ()
    done = _arrow_distinct(columns, shortest)
    return done if done is not None else _pandas_distinct(columns, shortest)


def _pandas_distinct(columns: list[pd.Series], shortest: int) -> tuple[str, ...]:
    """:func:`_distinct` in pandas (one concat, ``pd.unique``, a stable sort by length)."""
    v = pd.concat([c.dropna().astype(str) for c in columns], ignore_index=True).str.strip()
    u = pd.unique(v[v.str.len() >= shortest].to_numpy(dtype=object))
    lens = np.fromiter(map(len, u), dtype=np.int64, count=len(u))
    return tuple(u[np.argsort(-lens, kind="stable")].tolist())


def _arrow_distinct(columns: list[pd.Series], shortest: int) -> tuple[str, ...] | None:
    """:func:`_distinct` in Arrow: the same texts in the same order. The columns
    as pandas gives them (``dropna().astype(str)``: Arrow strings, the roster's
    text columns already are), trimmed as pandas trims them
    (``utf8_trim_whitespace``), the short ones dropped, ``pyarrow.compute.unique``
    (values in the order they first occur, as ``pd.unique``) and the same
    stable sort by length. A national roster's 11 million names were made
    Python strings to be hashed (11 s at 5.5M households); here only the
    distinct ones are, once. The Arrow array is kept for :func:`terms_in`.
    None when Arrow cannot hold a text (lone surrogates)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        chunks = []
        for c in columns:
            arrow = isinstance(c.dtype, pd.StringDtype) and c.dtype.storage == "pyarrow"
            a = pa.array((c if arrow else c.dropna().astype(str)).array)   # Arrow text as it is: nulls dropped below
            chunks += a.chunks if isinstance(a, pa.ChunkedArray) else [a]
        raw = pc.unique(pa.chunked_array([x.cast(pa.large_string()) for x in chunks], type=pa.large_string()))
        # the distinct raw texts trimmed, then the distinct trimmed ones: a trimmed text's first
        # occurrence is that of its first raw spelling, so the same order as trimming every value
        u = pc.unique(pc.utf8_trim_whitespace(raw))   # then the short ones dropped: the same order too
    except (pa.ArrowException, UnicodeError, TypeError, ValueError):
        return None
    if isinstance(u, pa.ChunkedArray):
        u = pa.concat_arrays(u.chunks) if u.num_chunks else pa.array([], pa.large_string())
    u = u.filter(pc.greater_equal(pc.utf8_length(u), shortest))      # nulls dropped too
    lens = pc.utf8_length(u).to_numpy(zero_copy_only=False).astype(np.int64)
    u = u.take(pa.array(np.argsort(-lens, kind="stable")))
    out = tuple(u.to_pylist())
    if out:
        _keep(out, (out, u, None, None))
    return out


_INDEXED: dict[int, tuple] = {}   # id(terms) -> (terms, Arrow array, first two characters, pattern of first characters)
# (the last two None until terms_in asks: private_terms keeps the array it made)


def _indexed(terms: tuple[str, ...] | list[str]) -> tuple | None:
    """``terms`` as an Arrow array, the Arrow array of their first two
    characters and a pattern finding, at every position of a text holding some
    term's first character, the two characters there; kept for the last few
    term lists (the report asks about the same roster names many times).
    The Arrow array :func:`private_terms` made is taken as it is.
    None when Arrow cannot hold them (lone surrogates)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    hit = _INDEXED.get(id(terms))
    if hit is not None and hit[0] is terms and hit[2] is not None:
        return hit[1:]
    if hit is not None and hit[0] is terms:      # the Arrow array private_terms made
        arr = hit[1]
    else:
        try:
            arr = pa.array(terms, type=pa.string())
        except (pa.ArrowException, UnicodeError, TypeError):
            return None
    heads = pc.utf8_slice_codeunits(arr, 0, 2)
    first = [c for c in pc.unique(pc.utf8_slice_codeunits(arr, 0, 1)).to_pylist() if c]
    starts = re.compile("(?=([" + "".join(re.escape(c) for c in sorted(first)) + "].))", re.S) if first else None
    _keep(terms, (terms, arr, heads, starts))
    return arr, heads, starts


def _keep(terms: tuple[str, ...] | list[str], entry: tuple) -> None:
    """Keep ``entry`` for ``terms`` among the last few term lists."""
    _INDEXED.pop(id(terms), None)
    while len(_INDEXED) >= 4:
        _INDEXED.pop(next(iter(_INDEXED)))
    _INDEXED[id(terms)] = entry


def _python_terms_in(terms: tuple[str, ...] | list[str], text: str) -> list[str]:
    """:func:`terms_in` without Arrow (terms or text it cannot hold): the same filter in Python."""
    grams = set(map(str.__add__, text, text[1:]))
    return [x for x in terms if (len(x) < 2 or x[:2] in grams) and x in text]


def terms_in(terms: Iterable[str], text: str) -> list[str]:
    """The terms occurring in ``text``, in the terms' order: the same answer as
    ``[x for x in terms if x in text]``, for millions of roster names. Only a
    term whose first two characters occur side by side somewhere in ``text``
    can occur in it; those (few: the report's text is mostly digits, pseudonyms
    and its own words) are then looked for one by one. The pairs are read only
    where the text holds some term's first character (one regular expression),
    and the filter runs in Arrow over all terms at once."""
    if not isinstance(terms, (tuple, list)):
        terms = tuple(terms)
    if not terms or not text:
        return [x for x in terms if x in text] if not text else []
    idx = _indexed(terms)
    if idx is None:
        return _python_terms_in(terms, text)
    import pyarrow as pa
    import pyarrow.compute as pc

    arr, heads, starts = idx
    try:
        grams = pa.array(list(set(starts.findall(text))) if starts is not None else [], type=pa.string())
    except (pa.ArrowException, UnicodeError):
        return _python_terms_in(terms, text)
    keep = pc.or_(pc.is_in(heads, value_set=grams), pc.less(pc.utf8_length(arr), 2))
    return [x for x in arr.filter(keep).to_pylist() if x in text]


def _terms_re(terms: Iterable[str], text: pd.Series | None = None) -> re.Pattern | None:
    """One pattern of the terms (2+ characters), longest first; given ``text``,
    of only the terms occurring in it (:func:`terms_in`): a term absent from
    every value cannot match, so the replacements are the same."""
    t = [x for x in terms if len(x) >= 2] if not isinstance(terms, (tuple, list)) else terms
    if text is not None:
        t = terms_in(t, "\n".join(text.dropna().astype(str)))
    t = [re.escape(x) for x in t if len(x) >= 2]
    return re.compile("|".join(sorted(t, key=len, reverse=True))) if t else None


def scrub_text(text: pd.Series, names: Iterable[str] = (), addresses: Iterable[str] = ()) -> pd.Series:
    """Free text with personal data replaced by ``＊＊＊``: roster addresses and
    names (exact), ID numbers, bank cards, mobile numbers in any spacing,
    landlines and house-number addresses. Missing values stay missing. The
    roster's names and addresses are matched as one pattern of those that
    occur in the text at that step (:func:`terms_in`), not of all millions."""
    s = text.astype("string")
    s = _replace(s, _terms_re(addresses, s))
    for pattern in (ID_ANY, CARD_ANY, PHONE_ANY, LANDLINE_ANY, HOUSE_ANY):
        s = _replace(s, pattern)
    return _replace(s, _terms_re(names, s))


def _replace(s: pd.Series, pattern: re.Pattern | None) -> pd.Series:
    return s if pattern is None else s.str.replace(pattern, SCRUBBED, regex=True)


def category_word(text: pd.Series, vocabulary: Iterable[str], other: str) -> pd.Series:
    """Free text reduced to its category: the value itself when it is one of
    ``vocabulary`` (after trimming), ``other`` otherwise (missing stays missing)."""
    s = text.astype("string").str.strip()
    return s.where(s.isin(list(vocabulary)) | s.isna(), other)


__all__ = ["CARD_ANY", "HOUSE_ANY", "ID_ANY", "LANDLINE_ANY", "PHONE_ANY", "SCRUBBED", "category_word",
           "deidentify", "mask_address", "mask_id", "mask_name", "mask_phone", "np", "private_terms", "pseudonym",
           "pseudonyms", "scrub_text", "suppress_small_cells", "terms_in"]
