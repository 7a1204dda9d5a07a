"""Parser fuzz: any text either parses or raises ExpressionError, never
anything else; whatever parses evaluates or raises ExpressionError."""
from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.forms.expr import ExpressionError, evaluate, parse

PIECES = ["${a}", "${b}", "${", "}", "$", ".", "..", "/", "//", "(", ")", ",", "'", '"', "'x'", "1", "2.5",
          ".5", "+", "-", "*", "div", "mod", "and", "or", "=", "!=", "<", "<=", ">", ">=", "|", "[", "]",
          "@", "not(", "if(", "selected(", "sum(", "concat(", "regex(", "today()", "jr:choice-name(",
          " ", "\t", "中", "‘", "abc", "x-1", ":", "::", "*"]
DF = pd.DataFrame({"a": ["1", "", "x"], "b": [1.0, None, 3.0]})


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(st.sampled_from(PIECES), max_size=14).map("".join), st.text(max_size=30)))
def test_parse_never_raises_anything_but_expression_error(text: str) -> None:
    try:
        tree = parse(text)
    except ExpressionError as e:
        assert -1 <= e.position <= len(text)
        return
    try:
        evaluate(tree, DF, current="a")
    except ExpressionError:
        pass
