"""XPath 1.0 conversions between strings, numbers and dates, for one value.

Shared by the vectorised evaluator (applied to the distinct values of a
column) and the row-by-row reference, so both use one definition:

- string -> number: XPath's Number syntax only (optional ``-``, digits, one
  ``.``; surrounding whitespace allowed; no ``+``, no exponent); an ISO date
  ``YYYY-MM-DD`` or date-time ``YYYY-MM-DDTHH:MM[:SS[.fff]][zone]`` becomes
  days since 1970-01-01 (date-times fractional, wall-clock time, zone
  ignored), as ODK does to compare and subtract dates; anything else is NaN.
- number -> string: integers without a decimal point, no exponent, NaN as
  ``NaN``, infinities as ``Infinity``/``-Infinity``, ``-0`` as ``0``.
- days -> date string: ``YYYY-MM-DD``; NaN or out of range -> empty string.
"""
from __future__ import annotations

import math
import re
import time
from datetime import date, datetime

import numpy as np
import regex as _regex

_NUMBER = re.compile(r"[ \t\r\n]*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t\r\n]*")
_DATE = re.compile(r"[ \t\r\n]*([0-9]{4})-([0-9]{2})-([0-9]{2})"
                   r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?"
                   r"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?[ \t\r\n]*")
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
NAN = float("nan")


def str_to_num(s: str) -> float:
    """XPath number() of a string, with ISO dates as days (see module doc)."""
    if _NUMBER.fullmatch(s):
        return float(s)
    m = _DATE.fullmatch(s)
    if m is None:
        return NAN
    y, mo, d, hh, mi, ss, frac = m.groups()
    try:
        days = float(date(int(y), int(mo), int(d)).toordinal() - EPOCH_ORDINAL)
    except ValueError:
        return NAN
    if hh is None:
        return days
    h, mnt, sec = int(hh), int(mi), int(ss or 0)
    if h > 23 or mnt > 59 or sec > 59:
        return NAN
    seconds = h * 3600 + mnt * 60 + sec + (float("0." + frac) if frac else 0.0)
    return days + seconds / 86400.0


def num_to_str(x: float) -> str:
    """XPath string() of a number."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == int(x) and abs(x) < 1e18:
        return str(int(x))
    r = repr(float(x))  # shortest round-trip digits; positional unless tiny or huge
    return r if "e" not in r else np.format_float_positional(x, trim="-")


def days_to_date_str(x: float) -> str:
    """A date value (days since epoch) as ``YYYY-MM-DD``; NaN or out of range -> ''."""
    if math.isnan(x) or math.isinf(x):
        return ""
    try:
        return date.fromordinal(int(math.floor(x)) + EPOCH_ORDINAL).isoformat()
    except (ValueError, OverflowError):
        return ""


def value_to_str(v: object) -> str:
    """The string value of one cell of a submissions table (missing -> '')."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return "" if math.isnan(v) else num_to_str(float(v))
    if isinstance(v, datetime):
        if v != v:  # NaT
            return ""
        if (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0):
            return v.date().isoformat()
        return v.replace(tzinfo=None).isoformat()
    if isinstance(v, date):
        return v.isoformat()
    try:
        if v != v:  # pd.NA, NaT and friends
            return ""
    except (TypeError, ValueError):
        return ""
    return str(v)


def xround(x: float, digits: int = 0) -> float:
    """ODK round(): half away from zero at ``digits`` decimals; NaN stays NaN."""
    if math.isnan(x) or math.isinf(x):
        return x
    f = 10.0 ** digits
    y = abs(x) * f
    r = math.floor(y + 0.5) / f
    return math.copysign(r, x) if r != 0 else 0.0


def selected_tokens(s: str) -> list[str]:
    """The choices of a select_multiple answer (space-separated names)."""
    return s.split()


def round_digits(d: float) -> int:
    """The ``digits`` argument of round(): truncated, NaN -> 0, kept within ±15."""
    if math.isnan(d) or math.isinf(d):
        return 0
    return int(max(-15, min(15, math.trunc(d))))


def to_index(x: float) -> int | None:
    """A number used as a string index (truncated); None for NaN/infinity."""
    if math.isnan(x) or math.isinf(x):
        return None
    return int(max(-1e12, min(1e12, math.trunc(x))))


# -- the string functions, one value at a time (the vectorised evaluator applies
#    them to the distinct values of a column; the reference evaluator per row)

def fn_selected(s: str, v: str) -> bool:
    """selected(answer, choice): is ``choice`` among the space-separated answers."""
    return v.strip() in s.split()


def fn_count_selected(s: str) -> float:
    """count-selected(answer): how many choices a select_multiple answer holds."""
    return float(len(s.split()))


def fn_selected_at(s: str, n: float) -> str:
    """selected-at(answer, n): the n-th (0-based) choice, '' when out of range."""
    parts = s.split()
    i = to_index(n)
    return parts[i] if i is not None and 0 <= i < len(parts) else ""


def fn_substr(s: str, start: float, end: float | None = None) -> str:
    """substr(s, start[, end]): 0-based, end exclusive, Python slice rules; NaN -> open end."""
    a = to_index(start)
    b = None if end is None else to_index(end)
    return s[(a if a is not None else 0):b]


#: Seconds of matching one regex() may spend over a column (all its distinct
#: values together). The ``regex`` engine stops a search when its time is up,
#: so a backtracking pattern (``(a+)+$`` on "aaaa…!") cannot hang an ingest;
#: values left unmatched are "not judged" (see RegexBudget), never guessed.
REGEX_BUDGET = 2.0
#: Context.cache key under which the evaluator leaves the rows it could not judge
REGEX_UNJUDGED = "__regex_unjudged__"

_REGEX_CACHE: dict[str, _regex.Pattern[str]] = {}


def compile_regex(pattern: str) -> _regex.Pattern[str]:
    """Compile an ODK regex() pattern (searched anywhere, like Java's find()).

    Compiled by the ``regex`` engine (Python ``re`` syntax, plus a timeout on
    every search). Raises re.error for an invalid pattern; callers turn it
    into ExpressionError.
    """
    p = _REGEX_CACHE.get(pattern)
    if p is None:
        try:
            p = _regex.compile(pattern, flags=_regex.VERSION0)
        except _regex.error as e:
            raise re.error(str(e)) from None
        if len(_REGEX_CACHE) < 1024:
            _REGEX_CACHE[pattern] = p
    return p


class RegexBudget:
    """The time left for one regex() evaluation; ``search`` answers 1 (found),
    0 (not found) or 2 (not judged: the budget ran out before or during it)."""

    def __init__(self, seconds: float | None = None) -> None:
        self.deadline = time.monotonic() + (REGEX_BUDGET if seconds is None else seconds)

    def search(self, rx: _regex.Pattern[str], s: str) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            return 2
        try:
            return int(rx.search(s, timeout=left) is not None)
        except TimeoutError:
            return 2


def fn_regex(s: str, pattern: str) -> bool:
    """regex(s, pattern): does the pattern match somewhere in s.

    Raises TimeoutError past REGEX_BUDGET seconds."""
    return compile_regex(pattern).search(s, timeout=REGEX_BUDGET) is not None
