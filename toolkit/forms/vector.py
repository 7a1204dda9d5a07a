"""Evaluate an expression tree on whole columns of submissions at once.

Each tree node is one numpy/pandas operation over all rows. String work is
done on the distinct values of a column (``pd.factorize``) and mapped back, so
``selected(${q}, 'a')`` on 100,000 answers costs a handful of Python calls.

Types follow XPath 1.0 (see toolkit.forms.values for conversions):

- a ``${ref}`` is a node: its string value is the answer text ('' when empty);
  as a number it is number(string); as a boolean it is *true* (a node exists),
  so write ``${q} = 'yes'``, not ``${q}``;
- ``=``/``!=``: booleans if either side is boolean, else numbers if either side
  is a number or a date, else strings; ``< <= > >=`` compare numbers;
  NaN compares false except ``!=``;
- arithmetic on numbers; ``x div 0`` is ±Infinity and ``0 div 0`` NaN (IEEE,
  as in XPath and ODK Collect); ``mod`` keeps the sign of the dividend;
- an empty answer is '' as a string and NaN as a number, so ``${x} + 1`` is
  NaN when x is blank (use coalesce());
- dates are days since 1970-01-01; a date string compares and subtracts as days;
- ``if``/``coalesce`` with branches of different types return strings
  (a node and a node stay a node).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
import re
from typing import Any

import numpy as np
import pandas as pd

from toolkit.forms import values as xv
from toolkit.forms.exprerrors import ExpressionError
from toolkit.forms.nodes import BinOp, Call, Current, Expr, Neg, Num, Path, Ref, Str

# ---------------------------------------------------------------- data context


@dataclass(frozen=True)
class Rows:
    """A table of rows (one level of the form) and the repeat tables under it."""

    frame: pd.DataFrame
    repeats: Mapping[str, "Repeat"] = field(default_factory=dict)


@dataclass(frozen=True)
class Repeat:
    """Rows of one repeat, with the 0-based position of each row's parent row."""

    rows: Rows
    parent_pos: np.ndarray


@dataclass(frozen=True)
class Context:
    """Where an expression is evaluated: the rows, their ancestors, labels, today.

    ``ancestors`` pairs each enclosing level with the position, for every row
    here, of its row there (so a repeat's constraint can read ``${hh_size}``).
    ``choice_labels`` maps a question name to {choice name: label} for
    jr:choice-name(). ``today`` defaults to the real date.
    """

    rows: Rows
    ancestors: tuple[tuple[Rows, np.ndarray], ...] = ()
    choice_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    today: date | None = None
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, frame: pd.DataFrame | "Context", **kw: Any) -> "Context":
        """A context for a plain DataFrame (or the context itself)."""
        if isinstance(frame, Context):
            return frame
        return cls(Rows(frame), **kw)

    @property
    def n(self) -> int:
        return len(self.rows.frame)

    def enter(self, repeat: str) -> "Context":
        """The context of the rows of repeat ``repeat`` (a direct child)."""
        rep = self.rows.repeats[repeat]
        anc = ((self.rows, rep.parent_pos),) + tuple(
            (r, pos[rep.parent_pos]) for r, pos in self.ancestors
        )
        return Context(rep.rows, anc, self.choice_labels, self.today)

    def today_days(self) -> float:
        d = self.today or date.today()
        return float(d.toordinal() - xv.EPOCH_ORDINAL)


# ---------------------------------------------------------------- string columns


class Strs:
    """A column of strings, kept factorised (codes into distinct values) when possible."""

    __slots__ = ("_arr", "_codes", "_uniques", "_lazy")

    def __init__(self, arr: np.ndarray | None = None, codes: np.ndarray | None = None,
                 uniques: np.ndarray | None = None,
                 lazy: Callable[[], tuple[np.ndarray, np.ndarray]] | None = None) -> None:
        self._arr = arr
        self._codes = codes
        self._uniques = uniques
        self._lazy = lazy  # computes (codes, uniques) on first use

    def _force(self) -> None:
        if self._lazy is not None and self._codes is None and self._arr is None:
            self._codes, self._uniques = self._lazy()
            self._lazy = None

    @classmethod
    def const(cls, value: str, n: int) -> "Strs":
        u = np.empty(1, dtype=object)
        u[0] = value
        return cls(codes=np.zeros(n, dtype=np.intp), uniques=u)

    @property
    def arr(self) -> np.ndarray:
        self._force()
        if self._arr is None:
            self._arr = self._uniques[self._codes]  # type: ignore[index]
        return self._arr

    @property
    def fact(self) -> tuple[np.ndarray, np.ndarray]:
        self._force()
        if self._codes is None:
            codes, uniques = pd.factorize(self._arr)
            self._codes, self._uniques = codes, np.asarray(uniques, dtype=object)
        return self._codes, self._uniques  # type: ignore[return-value]

    @property
    def const_value(self) -> str | None:
        """The single value when this column is a broadcast constant."""
        if self._lazy is None and self._uniques is not None and len(self._uniques) == 1:
            return self._uniques[0]
        return None

    def take(self, pos: np.ndarray) -> "Strs":
        codes, uniques = self.fact
        return Strs(codes=codes[pos], uniques=uniques)

    def map(self, fn: Callable[[str], Any], dtype: Any) -> np.ndarray:
        """fn applied to each distinct value, spread back to all rows."""
        codes, uniques = self.fact
        out = np.array([fn(u) for u in uniques], dtype=dtype)
        if len(out) == 0:
            return np.empty(len(codes), dtype=dtype)
        return out[codes]


def _num_fact(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Factorise a float array, NaN included as a value."""
    codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    uniques = np.append(np.asarray(uniques, dtype=float), np.nan)
    codes = np.where(codes < 0, len(uniques) - 1, codes)
    return codes, uniques


def _apply(fn: Callable[..., Any], cols: list[Strs | np.ndarray], dtype: Any, n: int) -> np.ndarray:
    """fn over rows of several columns, called once per distinct combination."""
    facts = [c.fact if isinstance(c, Strs) else _num_fact(c) for c in cols]
    if not facts:
        return np.full(n, fn(), dtype=dtype)
    key = facts[0][0]
    for codes, uniques in facts[1:]:
        key, _ = pd.factorize(key.astype(np.int64) * len(uniques) + codes)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    results = [fn(*[u[c[i]] for c, u in facts]) for i in first]
    out = np.array(results, dtype=dtype)
    if len(out) == 0:
        return np.empty(n, dtype=dtype)
    return out[inverse.reshape(-1)]


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class V:
    """A column-wide value: kind is num, date, bool, str or node.

    num/date hold floats in ``num``; bool holds ``b``; str holds ``s``;
    node holds ``s`` and, lazily, ``num`` (via ``_numfn``).
    """

    kind: str
    num: np.ndarray | None = None
    b: np.ndarray | None = None
    s: Strs | None = None
    numcache: list[np.ndarray] = field(default_factory=list, compare=False)


def _node(s: Strs, num: np.ndarray | None = None) -> V:
    return V("node", s=s, numcache=[num] if num is not None else [])


def to_num(v: V) -> np.ndarray:
    """number() of a column value."""
    if v.kind in ("num", "date"):
        return v.num  # type: ignore[return-value]
    if v.kind == "bool":
        return v.b.astype(float)  # type: ignore[union-attr]
    if v.kind == "node" and v.numcache:
        return v.numcache[0]
    out = v.s.map(xv.str_to_num, float)  # type: ignore[union-attr]
    if v.kind == "node":
        v.numcache.append(out)
    return out


def to_strs(v: V) -> Strs:
    """string() of a column value."""
    if v.kind in ("str", "node"):
        return v.s  # type: ignore[return-value]
    if v.kind == "bool":
        u = np.array(["false", "true"], dtype=object)
        return Strs(codes=v.b.astype(np.intp), uniques=u)  # type: ignore[union-attr]
    codes, uniques = _num_fact(v.num)  # type: ignore[arg-type]
    conv = xv.num_to_str if v.kind == "num" else xv.days_to_date_str
    return Strs(codes=codes, uniques=np.array([conv(x) for x in uniques], dtype=object))


def to_bool(v: V, n: int) -> np.ndarray:
    """boolean() of a column value (a node is true: it exists)."""
    if v.kind == "bool":
        return v.b  # type: ignore[return-value]
    if v.kind in ("num", "date"):
        with np.errstate(invalid="ignore"):
            return (v.num != 0) & ~np.isnan(v.num)  # type: ignore[operator]
    if v.kind == "str":
        return v.s.map(lambda u: len(u) > 0, bool)  # type: ignore[union-attr]
    return np.ones(n, dtype=bool)


def _numv(a: np.ndarray) -> V:
    return V("num", num=a)


def _boolv(a: np.ndarray) -> V:
    return V("bool", b=np.asarray(a, dtype=bool))


def _strv(s: Strs | np.ndarray) -> V:
    return V("str", s=s if isinstance(s, Strs) else Strs(arr=s))


# ---------------------------------------------------------------- columns


def _load_column(series: pd.Series) -> V:
    """A submissions column as a node value (cached by the caller)."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        orig = series.to_numpy(dtype=float, na_value=np.nan)

        def strings() -> tuple[np.ndarray, np.ndarray]:
            codes, uniques = _num_fact(orig)
            return codes, np.array(["" if math.isnan(x) else xv.num_to_str(x) for x in uniques], dtype=object)

        strs = Strs(lazy=strings)
        # number(string value): 'Infinity' is not an XPath number
        return _node(strs, np.where(np.isinf(orig), np.nan, orig))
    if pd.api.types.infer_dtype(series, skipna=True) not in ("string", "empty"):
        # mixed objects: factorize would merge True with 1, so take strings first
        series = pd.Series([xv.value_to_str(x) for x in series], dtype=object)
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        ustr = np.array([xv.value_to_str(u) for u in uniques] + [""], dtype=object)
    else:
        # every distinct value is already a str (value_to_str(u) is u): no call per value
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        ustr = np.empty(len(uniques) + 1, dtype=object)
        ustr[:-1] = np.asarray(uniques, dtype=object)
        ustr[-1] = ""
    codes = np.where(codes < 0, len(ustr) - 1, codes)
    return _node(Strs(codes=codes, uniques=ustr))


def _column(ctx: Context, rows: Rows, name: str) -> V:
    key = (id(rows.frame), name)
    v = ctx.cache.get(key)
    if v is None:
        v = _load_column(rows.frame[name])
        ctx.cache[key] = v
    return v


def _find_in_repeats(rows: Rows, name: str) -> tuple[Rows, np.ndarray] | None:
    """The repeat rows holding column ``name`` below ``rows``, with parent positions here."""
    for rep in rows.repeats.values():
        if name in rep.rows.frame.columns:
            return rep.rows, np.asarray(rep.parent_pos, dtype=np.intp)
        deeper = _find_in_repeats(rep.rows, name)
        if deeper is not None:
            sub, pos = deeper
            return sub, np.asarray(rep.parent_pos, dtype=np.intp)[pos]
    return None


def resolve(ctx: Context, name: str, pos: int, source: str) -> V:
    """The node value of ``${name}`` for each row of the context."""
    if name in ctx.rows.frame.columns:
        return _column(ctx, ctx.rows, name)
    for anc, where in ctx.ancestors:
        if name in anc.frame.columns:
            key = (id(anc.frame), name, id(where))
            v = ctx.cache.get(key)
            if v is None:
                col = _column(ctx, anc, name)
                v = _node(col.s.take(where), to_num(col)[where])  # type: ignore[union-attr]
                ctx.cache[key] = v
            return v
    if _find_in_repeats(ctx.rows, name) is not None:
        raise ExpressionError("repeat_ref", pos, source,
                              f"${{{name}}} is inside a repeat; use sum(), count(), max() or min()")
    raise ExpressionError("unknown_ref", pos, source, f"no column for ${{{name}}}")


# ---------------------------------------------------------------- evaluation


class _Walker:
    def __init__(self, ctx: Context, current: str | None, source: str) -> None:
        self.ctx = ctx
        self.n = ctx.n
        self.current = current
        self.source = source

    def node_name(self, e: Expr) -> str:
        if isinstance(e, Ref):
            return e.name
        if isinstance(e, Path):
            return e.name
        if self.current is None:
            raise ExpressionError("unknown_ref", e.pos, self.source, "'.' used with no current question")
        return self.current

    def mark_unjudged(self, rows: np.ndarray, e: Expr) -> None:
        """Rows a regex() could not judge in time, left in the context's cache
        for the caller (toolkit.forms.expr raises unless asked for them)."""
        if len(rows) != self.n:
            raise ExpressionError("regex_timeout", e.pos, self.source, "regex() ran out of time")
        prev = self.ctx.cache.get(xv.REGEX_UNJUDGED)
        self.ctx.cache[xv.REGEX_UNJUDGED] = rows if prev is None or len(prev) != len(rows) else (prev | rows)

    def ev(self, e: Expr) -> V:
        n = self.n
        if isinstance(e, Num):
            return _numv(np.full(n, e.value))
        if isinstance(e, Str):
            return _strv(Strs.const(e.value, n))
        if isinstance(e, (Ref, Path, Current)):
            return resolve(self.ctx, self.node_name(e), e.pos, self.source)
        if isinstance(e, Neg):
            return _numv(-to_num(self.ev(e.operand)))
        if isinstance(e, BinOp):
            return self.binop(e)
        if isinstance(e, Call):
            return self.call(e)
        raise ExpressionError("syntax", -1, self.source, f"unknown node {e!r}")  # pragma: no cover

    def binop(self, e: BinOp) -> V:
        op = e.op
        a, b = self.ev(e.left), self.ev(e.right)
        if op == "and":
            return _boolv(to_bool(a, self.n) & to_bool(b, self.n))
        if op == "or":
            return _boolv(to_bool(a, self.n) | to_bool(b, self.n))
        if op in ("=", "!="):
            eq = equal(a, b, self.n)
            return _boolv(eq if op == "=" else ~eq)
        x, y = to_num(a), to_num(b)
        with np.errstate(all="ignore"):
            if op == "<":
                return _boolv(x < y)
            if op == "<=":
                return _boolv(x <= y)
            if op == ">":
                return _boolv(x > y)
            if op == ">=":
                return _boolv(x >= y)
            if op == "+":
                return _numv(x + y)
            if op == "-":
                return _numv(x - y)
            if op == "*":
                return _numv(x * y)
            if op == "div":
                return _numv(np.divide(x, y))
            if op == "mod":
                return _numv(np.fmod(x, y))
        raise ExpressionError("syntax", e.pos, self.source, f"unknown operator {op}")  # pragma: no cover

    # -- functions
    def arg_strs(self, e: Call, i: int) -> Strs:
        if i < len(e.args):
            return to_strs(self.ev(e.args[i]))
        return to_strs(resolve(self.ctx, self.node_name(Current(e.pos)), e.pos, self.source))

    def call(self, e: Call) -> V:
        name, args, n = e.name, e.args, self.n
        if name == "true":
            return _boolv(np.ones(n, bool))
        if name == "false":
            return _boolv(np.zeros(n, bool))
        if name == "not":
            return _boolv(~to_bool(self.ev(args[0]), n))
        if name == "boolean":
            return _boolv(to_bool(self.ev(args[0]), n))
        if name == "number":
            v = self.ev(args[0]) if args else self.ev(Current(e.pos))
            return _numv(to_num(v))
        if name == "string":
            return _strv(self.arg_strs(e, 0))
        if name == "if":
            cond = to_bool(self.ev(args[0]), n)
            return choose(cond, self.ev(args[1]), self.ev(args[2]), n)
        if name == "coalesce":
            a, b = self.ev(args[0]), self.ev(args[1])
            has = to_strs(a).map(lambda u: len(u) > 0, bool)
            return choose(has, a, b, n)
        if name in ("sum", "count", "max", "min") and len(args) == 1:
            return self.aggregate(name, args[0])
        if name in ("max", "min"):
            nums = [to_num(self.ev(a)) for a in args]
            f = np.maximum if name == "max" else np.minimum
            out = nums[0]
            for x in nums[1:]:
                out = f(out, x)
            return _numv(out)
        if name == "selected":
            s, c = self.arg_strs(e, 0), self.arg_strs(e, 1)
            cv = c.const_value
            if cv is not None:
                return _boolv(s.map(lambda u: xv.fn_selected(u, cv), bool))
            return _boolv(_apply(xv.fn_selected, [s, c], bool, n))
        if name == "count-selected":
            return _numv(self.arg_strs(e, 0).map(xv.fn_count_selected, float))
        if name == "selected-at":
            return _strv(_apply(xv.fn_selected_at, [self.arg_strs(e, 0), to_num(self.ev(args[1]))], object, n))
        if name == "string-length":
            return _numv(self.arg_strs(e, 0).map(lambda u: float(len(u)), float))
        if name in ("contains", "starts-with", "ends-with"):
            fn = {"contains": lambda a, b: b in a, "starts-with": str.startswith,
                  "ends-with": str.endswith}[name]
            s, t = self.arg_strs(e, 0), self.arg_strs(e, 1)
            tv = t.const_value
            if tv is not None:
                return _boolv(s.map(lambda u: fn(u, tv), bool))
            return _boolv(_apply(fn, [s, t], bool, n))
        if name == "regex":
            s, p = self.arg_strs(e, 0), self.arg_strs(e, 1)
            for pat in p.fact[1]:
                try:
                    xv.compile_regex(pat)
                except (re.error, RecursionError, OverflowError) as err:
                    raise ExpressionError("bad_regex", e.pos, self.source, str(err)) from None
            pv = p.const_value
            if pv is not None:
                codes, uniq = s.fact
                got_u = xv.regex_search_many(pv, uniq)
                got = got_u[codes] if len(got_u) else np.zeros(len(codes), dtype=np.int8)
            else:
                got = _apply(lambda u, q: xv.regex_search_many(q, [u])[0], [s, p], np.int8, n)
            unjudged = got == 2
            if unjudged.any():
                self.mark_unjudged(unjudged, e)
            return _boolv(got == 1)
        if name == "concat":
            if not args:
                return _strv(Strs.const("", n))
            parts = [to_strs(self.ev(a)) for a in args]
            if len(parts) == 1:
                return _strv(parts[0])
            out = parts[0].arr
            for p in parts[1:]:
                out = out + p.arr
            return _strv(np.asarray(out, dtype=object))
        if name in ("substr", "substring"):
            cols: list[Strs | np.ndarray] = [self.arg_strs(e, 0), to_num(self.ev(args[1]))]
            if len(args) == 3:
                cols.append(to_num(self.ev(args[2])))
            return _strv(_apply(xv.fn_substr, cols, object, n))
        if name == "int":
            return _numv(np.trunc(to_num(self.ev(args[0]))))
        if name == "round":
            x = to_num(self.ev(args[0]))
            if len(args) == 1:
                return _numv(_round(x, np.zeros(n)))
            return _numv(_round(x, to_num(self.ev(args[1]))))
        if name in ("floor", "ceiling", "abs"):
            f = {"floor": np.floor, "ceiling": np.ceil, "abs": np.abs}[name]
            return _numv(f(to_num(self.ev(args[0]))))
        if name == "pow":
            with np.errstate(all="ignore"):
                return _numv(np.power(to_num(self.ev(args[0])), to_num(self.ev(args[1]))))
        if name == "today":
            return V("date", num=np.full(n, self.ctx.today_days()))
        if name == "date":
            return V("date", num=to_num(self.ev(args[0])))
        if name == "decimal-date-time":
            return _numv(to_num(self.ev(args[0])))
        if name == "jr:choice-name":
            return self.choice_name(e)
        raise ExpressionError("unknown_function", e.pos, self.source, f"unknown function {name}()")

    def aggregate(self, name: str, arg: Expr) -> V:
        qname = self.node_name(arg)
        n = self.n
        ctx = self.ctx
        if qname in ctx.rows.frame.columns or any(qname in a.frame.columns for a, _ in ctx.ancestors):
            if name == "count":
                return _numv(np.ones(n))
            return _numv(to_num(resolve(ctx, qname, arg.pos, self.source)))
        found = _find_in_repeats(ctx.rows, qname)
        if found is None:
            raise ExpressionError("unknown_ref", arg.pos, self.source, f"no column for ${{{qname}}}")
        sub, pos = found
        cnt = np.bincount(pos, minlength=n).astype(float)[:n]
        if name == "count":
            return _numv(cnt)
        vals = to_num(_column(ctx, sub, qname))
        if name == "sum":
            return _numv(np.bincount(pos, weights=vals, minlength=n)[:n])
        out = np.full(n, -np.inf if name == "max" else np.inf)
        with np.errstate(invalid="ignore"):
            (np.maximum if name == "max" else np.minimum).at(out, pos, vals)
        return _numv(np.where(cnt > 0, out, np.nan))

    def choice_name(self, e: Call) -> V:
        target = e.args[1]
        if not isinstance(target, Str):
            raise ExpressionError("unsupported", e.pos, self.source,
                                  "jr:choice-name() needs the question as a quoted '${name}'")
        q = target.value.strip()
        if q.startswith("${") and q.endswith("}"):
            q = q[2:-1].strip()
        q = q.rsplit("/", 1)[-1]
        labels = self.ctx.choice_labels.get(q, {})
        s = to_strs(self.ev(e.args[0]))
        return _strv(Strs(arr=s.map(lambda u: labels.get(u.strip(), ""), object)))


def _round(x: np.ndarray, digits: np.ndarray) -> np.ndarray:
    d = np.where(np.isfinite(digits), np.trunc(np.clip(np.nan_to_num(digits), -15, 15)), 0)
    with np.errstate(all="ignore"):
        f = np.power(10.0, d)
        r = np.floor(np.abs(x) * f + 0.5) / f
        out = np.where(r == 0, 0.0, np.copysign(r, x))
    return np.where(np.isfinite(x), out, x)


def equal(a: V, b: V, n: int) -> np.ndarray:
    """XPath ``=`` of two column values."""
    if a.kind == "bool" or b.kind == "bool":
        return to_bool(a, n) == to_bool(b, n)
    if a.kind in ("num", "date") or b.kind in ("num", "date"):
        return to_num(a) == to_num(b)
    sa, sb = to_strs(a), to_strs(b)
    cb, ca = sb.const_value, sa.const_value
    if cb is not None:
        return sa.map(lambda u: u == cb, bool)
    if ca is not None:
        return sb.map(lambda u: u == ca, bool)
    return np.asarray(sa.arr == sb.arr, dtype=bool)


def choose(cond: np.ndarray, a: V, b: V, n: int) -> V:
    """Row-wise pick between two values (if/coalesce), per the type rule above."""
    if a.kind == b.kind and a.kind in ("num", "date"):
        return V(a.kind, num=np.where(cond, a.num, b.num))  # type: ignore[arg-type]
    if a.kind == b.kind == "bool":
        return _boolv(np.where(cond, a.b, b.b))  # type: ignore[arg-type]
    s = Strs(arr=np.where(cond, to_strs(a).arr, to_strs(b).arr))
    if a.kind == b.kind == "node":
        return _node(s, np.where(cond, to_num(a), to_num(b)))
    return _strv(s)


def result_series(v: V, index: pd.Index) -> pd.Series:
    """A column value as a Series: bool, float (numbers), or str (text, nodes, dates)."""
    if v.kind == "bool":
        return pd.Series(v.b, index=index, dtype=bool)
    if v.kind == "num":
        return pd.Series(v.num, index=index, dtype=float)
    return pd.Series(to_strs(v).arr, index=index, dtype=object)


def run(tree: Expr, ctx: Context, current: str | None, source: str) -> V:
    """Evaluate a parsed tree in a context (see toolkit.forms.expr.evaluate)."""
    return _Walker(ctx, current, source).ev(tree)
