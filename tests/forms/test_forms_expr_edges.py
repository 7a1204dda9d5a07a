"""XPath edge cases: empty string vs 0, string-number comparison, division by
zero, dates, node truth, select functions, and errors with positions."""
from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from toolkit.forms.expr import ExpressionError, evaluate, evaluate_bool, parse
from toolkit.forms.nodes import BinOp, Call, Ref, refs
from toolkit.forms.rowwise import evaluate_row

TODAY = date(2026, 5, 1)
DF = pd.DataFrame({
    "x": ["", "0", "5", " 5 ", "abc", "05"],
    "n": [np.nan, 0.0, 5.0, 5.0, 2.0, 5.0],
    "d": ["2026-04-30", "", "2026-05-01", "2025-05-01", "not a date", "2026-02-29"],
    "m": ["a b", "", "b", "c a", "a", "b c"],
})


def ev(expr: str, **kw: object) -> list[object]:
    return evaluate(expr, DF, today=TODAY, **kw).tolist()


def test_empty_string_is_not_zero() -> None:
    assert ev("${x} = 0") == [False, True, False, False, False, False]
    assert ev("${x} = ''") == [True, False, False, False, False, False]
    assert ev("${n} = ''") == [True, False, False, False, False, False]  # blank number is ''
    r = ev("${x} + 1")
    assert math.isnan(r[0]) and r[1:4] == [1.0, 6.0, 6.0] and math.isnan(r[4])


def test_string_number_comparison() -> None:
    # node vs number: numeric; node vs string: textual
    assert ev("${x} = 5") == [False, False, True, True, False, True]
    assert ev("${x} = '5'") == [False, False, True, False, False, False]
    assert ev("${x} < 10") == [False, True, True, True, False, True]
    assert ev("${x} != 5") == [True, True, False, False, True, False]  # NaN != 5 is true
    assert evaluate("'10' < '9'", DF).tolist()[0] is False  # compared as numbers
    assert evaluate("'abc' < 1 or 'abc' >= 1", DF).tolist()[0] is False


def test_division_by_zero_and_mod() -> None:
    assert evaluate("1 div 0", DF).iloc[0] == math.inf
    assert evaluate("-1 div 0", DF).iloc[0] == -math.inf
    assert math.isnan(evaluate("0 div 0", DF).iloc[0])
    assert math.isnan(evaluate("5 mod 0", DF).iloc[0])
    assert evaluate("-5 mod 3", DF).iloc[0] == -2.0
    assert evaluate("string(1 div 0)", DF).iloc[0] == "Infinity"
    assert evaluate("string(0 div 0)", DF).iloc[0] == "NaN"
    assert ev("${n} div ${n} = 1") == [False, False, True, True, True, True]


def test_dates_are_days() -> None:
    assert ev("today() - ${d}") [0] == 1.0
    assert ev("${d} < today()") == [True, False, False, True, False, False]
    assert ev("date(${d})") == ["2026-04-30", "", "2026-05-01", "2025-05-01", "", ""]  # 2026-02-29 invalid
    assert evaluate("date('2026-01-31') + 1", DF).iloc[0] == 20485.0
    assert evaluate("string(date(date('2026-01-31') + 1))", DF).iloc[0] == "2026-02-01"
    assert evaluate("decimal-date-time('1970-01-02T06:00:00')", DF).iloc[0] == 1.25
    assert evaluate("today()", DF, today=TODAY).iloc[0] == "2026-05-01"


def test_node_is_true_but_string_value_matters() -> None:
    assert evaluate_bool("${x}", DF).all()  # a node exists
    assert evaluate_bool("string(${x})", DF).tolist() == [False, True, True, True, True, True]
    assert evaluate_bool("string-length(${x}) > 0", DF).tolist() == [False, True, True, True, True, True]


def test_select_functions() -> None:
    assert ev("selected(${m}, 'a')") == [True, False, False, True, True, False]
    assert ev("count-selected(${m})") == [2.0, 0.0, 1.0, 2.0, 1.0, 2.0]
    assert ev("selected-at(${m}, 1)") == ["b", "", "", "a", "", "c"]
    assert ev("selected(${m}, ${m})") == [False, False, True, False, True, False]


def test_constraint_current_and_text_functions() -> None:
    assert evaluate_bool(". >= 0 and . <= 5", DF, current="n").tolist() == [False, True, True, True, True, True]
    assert ev("regex(${x}, '^[0-9]+$')") == [False, True, True, False, False, True]
    assert ev("concat(${m}, '|', ${x})")[2] == "b|5"
    assert ev("substr('abcdef', 1, 3)")[0] == "bc"
    assert ev("coalesce(${x}, 'none')")[:2] == ["none", "0"]
    assert ev("if(${n} > 2, 'big', 'small')")[:3] == ["small", "small", "big"]
    assert ev("round(2.5) + round(-2.5) + round(1.005, 2)")[0] == pytest.approx(1.0)
    assert ev("int(-2.7)")[0] == -2.0
    labels = {"m": {"a": "甲", "b": "乙"}}
    assert ev("jr:choice-name(${m}, '${m}')", choice_labels=labels)[:3] == ["", "", "乙"]


def test_integer_dtype_and_missing() -> None:
    df = pd.DataFrame({"k": pd.array([1, None, 3], dtype="Int64")})
    assert evaluate("${k} * 2", df).tolist()[0] == 2.0
    assert evaluate("${k} = ''", df).tolist() == [False, True, False]
    assert evaluate("concat(${k}, '')", df).tolist() == ["1", "", "3"]


@pytest.mark.parametrize("text, code, pos", [
    ("${a} +", "unclosed", 6),
    ("(${a} + 1", "unclosed", 0),
    ("${a} ++ 2", "syntax", 6),
    ("'abc", "unclosed", 0),
    ("${a b}", "syntax", 0),
    ("${a} = ‘yes’", "syntax", 7),
    ("foo(1)", "unknown_function", 0),
    ("once(${a})", "unsupported", 0),
    ("selected(${a})", "arity", 0),
    ("sum(1)", "not_a_nodeset", 0),
    ("${a}[1]", "unsupported", 4),
    ("", "syntax", 0),
    ("1 2", "syntax", 2),
])
def test_errors_have_code_and_position(text: str, code: str, pos: int) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert (info.value.code, info.value.position) == (code, pos)
    assert info.value.expression == text


def test_evaluation_errors() -> None:
    with pytest.raises(ExpressionError) as info:
        evaluate("${nope} = 1", DF)
    assert info.value.code == "unknown_ref" and info.value.position == 0
    with pytest.raises(ExpressionError) as info:
        evaluate("regex(${x}, '(')", DF)
    assert info.value.code == "bad_regex"


def test_tree_shape_and_refs() -> None:
    t = parse("${a} + 2 * ${b} > 3 and not(selected(${c}, 'x')) or ${a} = 1")
    assert isinstance(t, BinOp) and t.op == "or"
    assert refs(t) == ["a", "b", "c"]
    assert parse("x-1") == parse("x-1")  # a name in XPath
    assert parse("2 * 3") == BinOp("*", parse("2"), parse("3"))
    assert isinstance(parse("jr:choice-name(${a}, '${a}')"), Call)
    assert parse("${ a }") == Ref("a")
    assert parse("div div div") == BinOp("div", parse("div"), parse("div"))  # XPath name/op rule


def test_same_answer_row_by_row_on_edges() -> None:
    for expr in ["${x} = 0", "${x} != 5", "${d} < today()", "${n} div 0", "if(${x}, ${m}, 1)"]:
        col = evaluate(expr, DF, today=TODAY).tolist()
        for i, rec in enumerate(DF.to_dict("records")):
            want = evaluate_row(expr, rec, today=TODAY)
            got = col[i]
            assert (isinstance(want, float) and math.isnan(want) and math.isnan(got)) or got == want
