"""ODK expressions: parse once, evaluate on whole columns of submissions.

>>> import pandas as pd
>>> df = pd.DataFrame({"age": ["34", "", "70"], "work": ["yes", "no", "no"]})
>>> evaluate("${age} < 60 and ${work} = 'no'", df).tolist()
[False, False, False]
>>> evaluate_bool("${age} >= 60 or selected(${work}, 'yes')", df).tolist()
[True, False, True]

The language is the XPath 1.0 subset XLSForm uses (see toolkit.forms.parser
for the functions and toolkit.forms.vector for the typing rules). Errors are
always ExpressionError, with a code and the character position.
regex() runs within a time budget (toolkit.forms.values.regex_search_many: a
backtracking pattern cannot hang a run); expression depth is bounded by the parser.
No Python eval/exec is involved: the text is tokenised, parsed to a tree of
frozen dataclasses (toolkit.forms.nodes) and walked.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from toolkit.forms.exprerrors import ExpressionError
from toolkit.forms.nodes import Expr, refs
from toolkit.forms.parser import FUNCTIONS, UNSUPPORTED, parse
from toolkit.forms.values import REGEX_UNJUDGED
from toolkit.forms.vector import Context, Repeat, Rows, result_series, run, to_bool

__all__ = [
    "Context", "Expr", "ExpressionError", "FUNCTIONS", "Repeat", "Rows", "UNSUPPORTED",
    "evaluate", "evaluate_bool", "evaluate_bool_judged", "parse", "refs",
]


def _prepare(expr: str | Expr, data: pd.DataFrame | Context,
             choice_labels: Mapping[str, Mapping[str, str]] | None,
             today: date | None) -> tuple[Expr, str, Context]:
    source = expr if isinstance(expr, str) else repr(expr)
    tree = parse(expr) if isinstance(expr, str) else expr
    if isinstance(data, Context):
        ctx = data
    else:
        ctx = Context(Rows(data), choice_labels=choice_labels or {}, today=today)
    return tree, source, ctx


def evaluate(expr: str | Expr, data: pd.DataFrame | Context, *, current: str | None = None,
             choice_labels: Mapping[str, Mapping[str, str]] | None = None,
             today: date | None = None) -> pd.Series:
    """The value of ``expr`` for every row of ``data``.

    ``data`` is a DataFrame (one row per submission, one column per question)
    or a Context (for repeats, ancestors and a shared column cache: reuse one
    Context to evaluate many expressions on the same rows quickly).
    ``current`` is the question ``.`` stands for (constraints). Returns a
    Series on ``data``'s index: bool for conditions, float for numbers, str
    otherwise (dates as ``YYYY-MM-DD``).
    """
    tree, source, ctx = _prepare(expr, data, choice_labels, today)
    ctx.cache.pop(REGEX_UNJUDGED, None)
    out = result_series(run(tree, ctx, current, source), ctx.rows.frame.index)
    unjudged = ctx.cache.pop(REGEX_UNJUDGED, None)
    if unjudged is not None and unjudged.any():
        raise ExpressionError("regex_timeout", -1, source, f"regex() ran out of time on {int(unjudged.sum())} rows")
    return out


def evaluate_bool(expr: str | Expr, data: pd.DataFrame | Context, *, current: str | None = None,
                  choice_labels: Mapping[str, Mapping[str, str]] | None = None,
                  today: date | None = None) -> np.ndarray:
    """boolean() of ``expr`` for every row, as a numpy bool array (relevant, constraint).

    Raises ExpressionError ``regex_timeout`` when a regex() ran out of its time
    budget on some row (use ``evaluate_bool_judged`` to get those rows instead)."""
    out, unjudged = evaluate_bool_judged(expr, data, current=current, choice_labels=choice_labels,
                                         today=today)
    if unjudged.any():
        raise ExpressionError("regex_timeout", -1, expr if isinstance(expr, str) else repr(expr),
                              f"regex() ran out of time on {int(unjudged.sum())} rows")
    return out


def evaluate_bool_judged(expr: str | Expr, data: pd.DataFrame | Context, *, current: str | None = None,
                         choice_labels: Mapping[str, Mapping[str, str]] | None = None,
                         today: date | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(boolean() of ``expr`` per row, rows not judged): a row is not judged when a
    regex() in ``expr`` ran out of its time budget (toolkit.forms.values.REGEX_BUDGET)
    on its value; its boolean is then meaningless and must be reported, not used."""
    tree, source, ctx = _prepare(expr, data, choice_labels, today)
    ctx.cache.pop(REGEX_UNJUDGED, None)
    out = np.asarray(to_bool(run(tree, ctx, current, source), ctx.n), dtype=bool)
    unjudged = ctx.cache.pop(REGEX_UNJUDGED, None)
    return out, (np.zeros(ctx.n, dtype=bool) if unjudged is None else np.asarray(unjudged, dtype=bool))
