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
import signal
import threading
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
#: values together), and on one value. A backtracking pattern (``(a|aa)+$`` on
#: "aaaa…!") is stopped there, so it cannot hang an ingest; a value it could
#: not finish is "not judged" (2 in ``regex_search_many``), never guessed.
REGEX_BUDGET = 10.0
REGEX_VALUE_LIMIT = 0.5
#: values searched together in one map() call between timer checks (see regex_search_many)
_REGEX_BLOCK = 512
#: Context.cache key under which the evaluator leaves the rows it could not judge
REGEX_UNJUDGED = "__regex_unjudged__"

_REGEX_CACHE: dict[str, re.Pattern[str]] = {}


def compile_regex(pattern: str) -> re.Pattern[str]:
    """Compile an ODK regex() pattern (searched anywhere, like Java's find()).

    Raises re.error for an invalid pattern; callers turn it into ExpressionError.
    """
    p = _REGEX_CACHE.get(pattern)
    if p is None:
        p = re.compile(pattern)
        if len(_REGEX_CACHE) < 1024:
            _REGEX_CACHE[pattern] = p
    return p


class _Slow(Exception):
    """One value took longer than REGEX_VALUE_LIMIT."""


class _Spent(Exception):
    """The column's REGEX_BUDGET is used up."""


def _alarm_usable() -> bool:
    """Python's own ``re`` can be interrupted by a signal handler (it checks for
    signals while matching); that needs the main thread, setitimer, and no
    other timer or SIGALRM handler in use."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    return signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and \
        signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)


def regex_search_many(pattern: str, values: np.ndarray | list[str], budget: float | None = None,
                      per_value: float | None = None) -> np.ndarray:
    """For each value: 1 the pattern is found in it, 0 not found, 2 not judged
    (it ran past ``per_value`` seconds, or the column's ``budget`` was used up).

    In the main thread: Python's ``re`` (fast, as before) under a SIGALRM timer
    ticking every 50 ms whose handler stops a search past its limits; the
    handler acts only while a search runs. Elsewhere: the ``regex`` engine,
    whose searches take a timeout (slower, same answers).
    """
    budget = REGEX_BUDGET if budget is None else budget
    per_value = REGEX_VALUE_LIMIT if per_value is None else per_value
    n = len(values)
    out = np.zeros(n, dtype=np.int8)
    if n == 0:
        return out
    deadline = time.monotonic() + budget
    if not _alarm_usable():
        rx2 = _regex.compile(pattern, flags=_regex.VERSION0)
        for i in range(n):
            left = min(per_value, deadline - time.monotonic())
            if left <= 0:
                out[i:] = 2
                break
            try:
                out[i] = rx2.search(values[i], timeout=left) is not None
            except TimeoutError:
                out[i] = 2
        return out
    rx = compile_regex(pattern)
    st = [False, 0.0]   # a search is running; when it started

    def tick(signum: int, frame: object) -> None:
        if not st[0]:
            return
        now = time.monotonic()
        if now >= deadline:
            st[0] = False
            raise _Spent
        if now - st[1] >= per_value:
            st[0] = False
            raise _Slow

    old = signal.signal(signal.SIGALRM, tick)
    step = min(0.05, per_value)
    signal.setitimer(signal.ITIMER_REAL, step, step)
    search = rx.search
    try:
        i = 0
        while i < n:
            # fast path: a block of values searched in one C-level map; a block
            # that finishes within per_value had no value over the limit, so its
            # answers are the per-value loop's. A block stopped by the timer is
            # searched again value by value (below), which judges as before.
            j = min(n, i + _REGEX_BLOCK)
            block = values[i:j]
            try:
                st[1] = time.monotonic()
                st[0] = True
                found = list(map(search, block))
                st[0] = False
                out[i:j] = [f is not None for f in found]
                i = j
                continue
            except _Slow:
                pass
            except _Spent:
                out[i:] = 2
                break
            spent = False
            for k in range(i, j):
                try:
                    st[1] = time.monotonic()
                    st[0] = True
                    hit = search(values[k]) is not None
                    st[0] = False
                    out[k] = hit
                except _Slow:
                    out[k] = 2
                except _Spent:
                    out[k:] = 2
                    spent = True
                    break
            if spent:
                break
            i = j
    finally:
        st[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return out


def fn_regex(s: str, pattern: str) -> bool:
    """regex(s, pattern): does the pattern match somewhere in s.

    Raises TimeoutError when it cannot be judged within REGEX_VALUE_LIMIT."""
    got = regex_search_many(pattern, [s])[0]
    if got == 2:
        raise TimeoutError
    return bool(got)
