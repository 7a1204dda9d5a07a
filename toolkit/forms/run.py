"""Evaluate a form's relevants and constraints on submissions, column by column.

For ingest and the entry dashboard: ``form_context`` links the main table and
the repeat tables; ``check_columns`` yields, for every question, whether it is
relevant (its own and its groups' relevants) and whether its answer meets its
constraint, as numpy bool arrays over the rows of its level.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.forms.expr import evaluate_bool
from toolkit.forms.model import Form, Question
from toolkit.forms.parser import parse
from toolkit.forms.vector import Context, Repeat, Rows


@dataclass(frozen=True)
class QuestionCheck:
    """Relevance and constraint of one question over the rows of its level.

    ``constraint_ok`` is True where the constraint holds or does not apply
    (question not relevant, or answer blank: ODK checks constraints only on
    answers).
    """

    question: Question
    relevant: np.ndarray
    constraint_ok: np.ndarray


def form_context(form: Form, main: pd.DataFrame,
                 repeats: Mapping[str, tuple[pd.DataFrame, np.ndarray]] | None = None,
                 lang: str | None = None) -> Context:
    """A Context for ``form``: ``repeats`` maps a repeat name to (its rows, parent positions)."""
    repeats = repeats or {}
    by_parent: dict[str, dict[str, tuple[pd.DataFrame, np.ndarray]]] = {}
    names = {g.name for g in form.repeats}
    for g in form.repeats:
        if g.name in repeats:
            parent = next((p for p in reversed(g.path) if p in names), "")
            by_parent.setdefault(parent, {})[g.name] = repeats[g.name]

    def rows(level: str, frame: pd.DataFrame) -> Rows:
        kids = {name: Repeat(rows(name, df), np.asarray(pos, dtype=np.intp))
                for name, (df, pos) in by_parent.get(level, {}).items()}
        return Rows(frame, kids)

    return Context(rows("", main), choice_labels=form.choice_labels_by_question(lang))


def _level(ctx: Context, form: Form, repeat: str) -> Context:
    """The context for the rows of ``repeat`` ('' for the top level)."""
    if not repeat:
        return ctx
    chain: list[str] = []
    g = next(r for r in form.repeats if r.name == repeat)
    names = {r.name for r in form.repeats}
    chain = [p for p in g.path if p in names] + [repeat]
    for name in chain:
        ctx = ctx.enter(name)
    return ctx


def check_columns(form: Form, ctx: Context) -> Iterator[QuestionCheck]:
    """Relevance and constraint results for every question with an answer column present.

    Group relevants apply to the questions inside; a question whose level has
    no table in ``ctx`` is skipped.
    """
    groups = {g.name: g for g in form.groups}
    levels: dict[str, Context] = {}
    relevant_cache: dict[tuple[str, str], np.ndarray] = {}
    for q in form.questions:
        if q.repeat not in levels:
            try:
                levels[q.repeat] = _level(ctx, form, q.repeat)
            except KeyError:
                continue
        lvl = levels[q.repeat]
        if q.name not in lvl.rows.frame.columns:
            continue
        rel = np.ones(lvl.n, dtype=bool)
        for text in [groups[g].relevant for g in q.path if g in groups and groups[g].relevant] + \
                ([q.relevant] if q.relevant else []):
            key = (q.repeat, text)
            if key not in relevant_cache:
                relevant_cache[key] = evaluate_bool(parse(text), lvl)
            rel = rel & relevant_cache[key]
        ok = np.ones(lvl.n, dtype=bool)
        if q.constraint:
            col = lvl.rows.frame[q.name]
            answered = col.notna().to_numpy() & (col.astype(object) != "").to_numpy()
            ok = ~(rel & answered) | evaluate_bool(parse(q.constraint), lvl, current=q.name)
        yield QuestionCheck(q, rel, ok)
