"""REFERENCE ONLY: a plain row-by-row evaluator of the expression tree.

Slow on purpose and written for clarity: tests compare the vectorised
evaluator (toolkit.forms.vector) with it, and bench/bench_forms.py times
both. Never use it on the data path. It follows the same typing rules (see
toolkit.forms.vector's docstring) one value at a time.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from toolkit.forms import values as xv
from toolkit.forms.exprerrors import ExpressionError
from toolkit.forms.nodes import BinOp, Call, Current, Expr, Neg, Num, Path, Ref, Str
from toolkit.forms.parser import parse


@dataclass(frozen=True)
class Node:
    """The value of a question: its answer text."""

    text: str


@dataclass(frozen=True)
class Day:
    """A date value: days since 1970-01-01."""

    days: float


Value = float | str | bool | Node | Day


def kind(v: Value) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, float):
        return "num"
    if isinstance(v, str):
        return "str"
    if isinstance(v, Day):
        return "date"
    return "node"


def number(v: Value) -> float:
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, float):
        return v
    if isinstance(v, Day):
        return v.days
    return xv.str_to_num(v if isinstance(v, str) else v.text)


def string(v: Value) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return xv.num_to_str(v)
    if isinstance(v, Day):
        return xv.days_to_date_str(v.days)
    return v if isinstance(v, str) else v.text


def boolean(v: Value) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, (float, Day)):
        x = number(v)
        return x != 0 and not math.isnan(x)
    if isinstance(v, str):
        return len(v) > 0
    return True  # a node exists


def equal(a: Value, b: Value) -> bool:
    ka, kb = kind(a), kind(b)
    if "bool" in (ka, kb):
        return boolean(a) == boolean(b)
    if ka in ("num", "date") or kb in ("num", "date"):
        return number(a) == number(b)
    return string(a) == string(b)


def pick(cond: bool, a: Value, b: Value) -> Value:
    """if()/coalesce(): same kind stays; node+node stays node; otherwise a string."""
    ka, kb = kind(a), kind(b)
    chosen = a if cond else b
    if ka == kb:
        return chosen
    return string(chosen)


@dataclass(frozen=True)
class RowEnv:
    """One row: its cells, repeat children's cells per question, labels, today."""

    cells: Mapping[str, object]
    children: Mapping[str, Sequence[object]]
    choice_labels: Mapping[str, Mapping[str, str]]
    today: date
    current: str | None
    source: str


def _ref(env: RowEnv, name: str, pos: int) -> Node:
    if name in env.cells:
        return Node(xv.value_to_str(env.cells[name]))
    if name in env.children:
        raise ExpressionError("repeat_ref", pos, env.source, f"${{{name}}} is inside a repeat")
    raise ExpressionError("unknown_ref", pos, env.source, f"no column for ${{{name}}}")


def _name(env: RowEnv, e: Expr) -> str:
    if isinstance(e, (Ref, Path)):
        return e.name
    if env.current is None:
        raise ExpressionError("unknown_ref", e.pos, env.source, "'.' used with no current question")
    return env.current


def ev(e: Expr, env: RowEnv) -> Value:
    """The value of tree ``e`` for one row."""
    if isinstance(e, Num):
        return float(e.value)
    if isinstance(e, Str):
        return e.value
    if isinstance(e, (Ref, Path, Current)):
        return _ref(env, _name(env, e), e.pos)
    if isinstance(e, Neg):
        return -number(ev(e.operand, env))
    if isinstance(e, BinOp):
        a, b = ev(e.left, env), ev(e.right, env)
        op = e.op
        if op == "and":
            return boolean(a) and boolean(b)
        if op == "or":
            return boolean(a) or boolean(b)
        if op == "=":
            return equal(a, b)
        if op == "!=":
            return not equal(a, b)
        x, y = number(a), number(b)
        if op in ("<", "<=", ">", ">="):
            return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]
        if op == "+":
            return x + y
        if op == "-":
            return x - y
        if op == "*":
            return x * y
        if op == "div":
            if y == 0:
                if x == 0 or math.isnan(x):
                    return math.nan
                return math.copysign(math.inf, x) * math.copysign(1.0, y)
            return x / y
        if op == "mod":
            if y == 0 or math.isnan(x) or math.isnan(y) or math.isinf(x):
                return math.nan
            if math.isinf(y):
                return x
            return math.fmod(x, y)
    if isinstance(e, Call):
        return _call(e, env)
    raise ExpressionError("syntax", -1, env.source, "bad node")  # pragma: no cover


def _s(e: Call, i: int, env: RowEnv) -> str:
    if i < len(e.args):
        return string(ev(e.args[i], env))
    return string(_ref(env, _name(env, Current(e.pos)), e.pos))


def _call(e: Call, env: RowEnv) -> Value:
    name, args = e.name, e.args
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "not":
        return not boolean(ev(args[0], env))
    if name == "boolean":
        return boolean(ev(args[0], env))
    if name == "number":
        return number(ev(args[0], env) if args else ev(Current(e.pos), env))
    if name == "string":
        return _s(e, 0, env)
    if name == "if":
        c = boolean(ev(args[0], env))
        return pick(c, ev(args[1], env), ev(args[2], env))
    if name == "coalesce":
        a, b = ev(args[0], env), ev(args[1], env)
        return pick(string(a) != "", a, b)
    if name in ("sum", "count", "max", "min") and len(args) == 1:
        q = _name(env, args[0])
        if q in env.cells:
            vals = [number(Node(xv.value_to_str(env.cells[q])))]
        elif q in env.children:
            vals = [xv.str_to_num(xv.value_to_str(c)) for c in env.children[q]]
        else:
            raise ExpressionError("unknown_ref", args[0].pos, env.source, q)
        if name == "count":
            return float(len(vals))
        if name == "sum":
            return float(sum(vals, 0.0))
        if not vals or any(math.isnan(v) for v in vals):
            return math.nan
        return max(vals) if name == "max" else min(vals)
    if name in ("max", "min"):
        nums = [number(ev(a, env)) for a in args]
        if any(math.isnan(v) for v in nums):
            return math.nan
        return max(nums) if name == "max" else min(nums)
    if name == "selected":
        return xv.fn_selected(_s(e, 0, env), _s(e, 1, env))
    if name == "count-selected":
        return xv.fn_count_selected(_s(e, 0, env))
    if name == "selected-at":
        return xv.fn_selected_at(_s(e, 0, env), number(ev(args[1], env)))
    if name == "string-length":
        return float(len(_s(e, 0, env)))
    if name == "contains":
        return _s(e, 1, env) in _s(e, 0, env)
    if name == "starts-with":
        return _s(e, 0, env).startswith(_s(e, 1, env))
    if name == "ends-with":
        return _s(e, 0, env).endswith(_s(e, 1, env))
    if name == "regex":
        s, p = _s(e, 0, env), _s(e, 1, env)
        try:
            return xv.fn_regex(s, p)
        except TimeoutError:
            raise ExpressionError("regex_timeout", e.pos, env.source, "regex() ran out of time") from None
        except Exception as err:  # re.error and friends
            raise ExpressionError("bad_regex", e.pos, env.source, str(err)) from None
    if name == "concat":
        return "".join(string(ev(a, env)) for a in args)
    if name in ("substr", "substring"):
        end = number(ev(args[2], env)) if len(args) == 3 else None
        return xv.fn_substr(_s(e, 0, env), number(ev(args[1], env)), end)
    if name == "int":
        x = number(ev(args[0], env))
        return float(math.trunc(x)) if math.isfinite(x) else x
    if name == "round":
        d = xv.round_digits(number(ev(args[1], env))) if len(args) == 2 else 0
        return xv.xround(number(ev(args[0], env)), d)
    if name == "floor":
        x = number(ev(args[0], env))
        return float(math.floor(x)) if math.isfinite(x) else x
    if name == "ceiling":
        x = number(ev(args[0], env))
        return float(math.ceil(x)) if math.isfinite(x) else x
    if name == "abs":
        return abs(number(ev(args[0], env)))
    if name == "pow":
        x, y = number(ev(args[0], env)), number(ev(args[1], env))
        with np.errstate(all="ignore"):
            return float(np.power(x, y))
    if name == "today":
        return Day(float(env.today.toordinal() - xv.EPOCH_ORDINAL))
    if name == "date":
        return Day(number(ev(args[0], env)))
    if name == "decimal-date-time":
        return number(ev(args[0], env))
    if name == "jr:choice-name":
        target = args[1]
        if not isinstance(target, Str):
            raise ExpressionError("unsupported", e.pos, env.source, "jr:choice-name target")
        q = target.value.strip()
        if q.startswith("${") and q.endswith("}"):
            q = q[2:-1].strip()
        q = q.rsplit("/", 1)[-1]
        return env.choice_labels.get(q, {}).get(_s(e, 0, env).strip(), "")
    raise ExpressionError("unknown_function", e.pos, env.source, name)


def evaluate_row(expr: str | Expr, cells: Mapping[str, object], *, current: str | None = None,
                 children: Mapping[str, Sequence[object]] | None = None,
                 choice_labels: Mapping[str, Mapping[str, str]] | None = None,
                 today: date | None = None) -> object:
    """REFERENCE: the value of ``expr`` for one row, as a plain Python value.

    Returns bool, float, or str (nodes and dates as their strings), mirroring
    toolkit.forms.expr.evaluate's Series values.
    """
    source = expr if isinstance(expr, str) else repr(expr)
    tree = parse(expr) if isinstance(expr, str) else expr
    env = RowEnv(cells, children or {}, choice_labels or {}, today or date.today(), current, source)
    v = ev(tree, env)
    if isinstance(v, (bool, float)):
        return v
    return string(v)


def evaluate_row_bool(expr: str | Expr, cells: Mapping[str, object], **kw: object) -> bool:
    """REFERENCE: boolean() of ``expr`` for one row."""
    source = expr if isinstance(expr, str) else repr(expr)
    tree = parse(expr) if isinstance(expr, str) else expr
    env = RowEnv(cells, kw.get("children") or {}, kw.get("choice_labels") or {},  # type: ignore[arg-type]
                 kw.get("today") or date.today(), kw.get("current"), source)  # type: ignore[arg-type]
    return boolean(ev(tree, env))
