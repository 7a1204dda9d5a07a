"""Property: on random expressions and random data, the column-wise evaluator
gives exactly what the row-by-row reference gives, row for row."""
from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.forms.expr import ExpressionError, evaluate, parse
from toolkit.forms.rowwise import evaluate_row
from toolkit.forms.vector import Context, Repeat, Rows

TODAY = date(2026, 5, 1)
TEXTS = ["", "a", "b", "a b", "b c a", "1", "2.5", " 3 ", "-0", "0", "2024-01-05", "2026-05-01T08:30:00",
         "x", "中文", "1e3", "+4", ".5", "NaN"]
STR_LITS = ["''", "'a'", "'b'", "'a b'", "'1'", "'2.5'", "' 3 '", "'2024-01-05'", "'中'", "'x'"]
NUM_LITS = ["0", "1", "2", "3", "0.5", "10", "2.25", "100"]
REGEXES = ["'^a'", "'[0-9]'", "'b$'", "'^$'", "'a b'"]
COLS = ["c_text", "c_num", "c_int", "c_date", "c_obj"]


def leaves() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NUM_LITS), st.sampled_from(STR_LITS),
        st.sampled_from([f"${{{c}}}" for c in COLS]),
        st.sampled_from([".", "true()", "false()", "today()", "string-length()", "number()"]),
    )


def extend(sub: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binop = st.tuples(sub, st.sampled_from(["+", "-", "*", "div", "mod", "=", "!=", "<", "<=", ">", ">=",
                                            "and", "or"]), sub).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    one = st.tuples(st.sampled_from(["count-selected", "string-length", "int", "number", "string", "boolean",
                                     "round", "floor", "ceiling", "abs", "date", "decimal-date-time", "not",
                                     "concat"]), sub).map(lambda t: f"{t[0]}({t[1]})")
    two = st.tuples(st.sampled_from(["selected", "selected-at", "coalesce", "contains", "starts-with",
                                     "ends-with", "concat", "substr", "round", "max", "min", "pow"]),
                    sub, sub).map(lambda t: f"{t[0]}({t[1]}, {t[2]})")
    three = st.tuples(st.sampled_from(["if", "substr", "concat", "max"]), sub, sub, sub).map(
        lambda t: f"{t[0]}({t[1]}, {t[2]}, {t[3]})")
    rx = st.tuples(sub, st.sampled_from(REGEXES)).map(lambda t: f"regex({t[0]}, {t[1]})")
    neg = sub.map(lambda s: f"-{s}")
    const_sel = st.tuples(sub, st.sampled_from(STR_LITS)).map(lambda t: f"selected({t[0]}, {t[1]})")
    return st.one_of(binop, one, two, three, rx, neg, const_sel)


EXPRS = st.recursive(leaves(), extend, max_leaves=12)

ROWS = st.lists(
    st.tuples(
        st.sampled_from(TEXTS + [None]),
        st.one_of(st.none(), st.sampled_from([0.0, 1.0, -2.5, 3.0, 0.1, 1e20, 2.25, math.inf])),
        st.integers(-3, 5),
        st.sampled_from(["2024-01-05", "2026-05-01", "", "2023-02-30", "2026-05-01T08:30:00", None]),
        st.sampled_from([1, "a", 2.5, None, True, "a b"]),
    ),
    min_size=1, max_size=25,
)


def frame(rows: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=COLS)
    df["c_num"] = df["c_num"].astype(float)
    df["c_int"] = df["c_int"].astype("Int64")
    df["c_obj"] = df["c_obj"].astype(object)
    return df


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    return type(a) is type(b) and a == b


def as_python(v: object) -> object:
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (float, np.floating)):
        return float(v)
    return v


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EXPRS, ROWS)
def test_columnwise_equals_rowwise(text: str, rows: list[tuple]) -> None:
    df = frame(rows)
    tree = parse(text)
    got = evaluate(tree, df, current="c_text", today=TODAY)
    records = df.to_dict("records")
    for i, rec in enumerate(records):
        want = evaluate_row(tree, rec, current="c_text", today=TODAY)
        have = as_python(got.iloc[i])
        assert same(have, want), (text, i, rec, have, want)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["1", "2.5", "", "x", "-3", "10"]), min_size=0, max_size=30),
    st.integers(1, 6),
    st.data(),
)
def test_repeat_aggregates_equal_rowwise(values: list[str], n_parents: int, data: st.DataObject) -> None:
    parents = pd.DataFrame({"hh": [f"h{i}" for i in range(n_parents)], "size": [str(i) for i in range(n_parents)]})
    pos = np.array(sorted(data.draw(st.lists(st.integers(0, n_parents - 1), min_size=len(values),
                                             max_size=len(values)))), dtype=np.intp)
    members = pd.DataFrame({"income": values})
    ctx = Context(Rows(parents, {"member": Repeat(Rows(members), pos)}), today=TODAY)
    for fn in ("sum", "count", "max", "min"):
        got = evaluate(f"{fn}(${{income}})", ctx)
        for p in range(n_parents):
            kids = [values[j] for j in range(len(values)) if pos[j] == p]
            want = evaluate_row(f"{fn}(${{income}})", parents.iloc[p].to_dict(), children={"income": kids})
            assert same(float(got.iloc[p]), want), (fn, p, kids)
    # inside the repeat, a parent's question is visible row by row
    inner = evaluate("${income} <= ${size}", ctx.enter("member"))
    for j, v in enumerate(values):
        want = evaluate_row("${income} <= ${size}", {"income": v, "size": parents["size"][pos[j]]})
        assert bool(inner.iloc[j]) == want


def test_property_generator_only_makes_parsable_text() -> None:
    # sanity: the strategy's building blocks parse
    for s in STR_LITS + NUM_LITS + REGEXES:
        parse(s)
    try:
        parse("selected(${a}, 'x') and ")
    except ExpressionError as e:
        assert e.code == "unclosed"
