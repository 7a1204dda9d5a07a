"""Random, plausible submissions for any Form (benchmarks and tests, not analysis).

``fake_submissions(form, n, seed)`` returns a Context: one row per submission
with a column per top-level question, and a table per repeat (0–5 rows per
parent) linked by parent position. Numbers are floats (blank = NaN), selects
are choice names ('' sometimes), dates ISO strings.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.forms.model import Form, Question
from toolkit.forms.vector import Context, Repeat, Rows


def _column(q: Question, form: Form, n: int, rng: np.random.Generator) -> np.ndarray:
    blank = rng.random(n) < 0.05
    if q.type in ("integer", "range"):
        vals = rng.integers(0, 80, n).astype(float)
        return np.where(blank, np.nan, vals)
    if q.type == "decimal":
        vals = np.round(rng.gamma(2.0, 8000.0, n), 2)
        return np.where(blank, np.nan, vals)
    if q.type in ("select_one", "select_multiple", "rank"):
        names = [c.name for c in form.choices.get(q.list_name, ())] or ["a", "b"]
        pick = np.asarray(names, dtype=object)[rng.integers(0, len(names), n)]
        if q.type != "select_one":
            second = np.asarray(names, dtype=object)[rng.integers(0, len(names), n)]
            two = rng.random(n) < 0.3
            pick = np.where(two & (second != pick), pick + " " + second, pick)
        return np.where(blank, "", pick).astype(object)
    if q.type in ("date", "today"):
        days = rng.integers(19000, 20600, n).astype("datetime64[D]")
        return np.where(blank, "", days.astype(str)).astype(object)
    if q.type in ("datetime", "start", "end"):
        secs = rng.integers(19000 * 86400, 20600 * 86400, n).astype("datetime64[s]")
        return secs.astype(str).astype(object)
    if q.name == "archive_id":
        return np.char.add("HB", rng.integers(100000, 999999, n).astype(str)).astype(object)
    if q.name in ("county_code",):
        return rng.choice(np.array(["340102", "340103", "340104"], dtype=object), n)
    if q.name.startswith("interviewer"):
        return np.char.add("I", rng.integers(10, 40, n).astype(str)).astype(object)
    return np.where(blank, "", "text").astype(object)


def _table(form: Form, repeat: str, n: int, rng: np.random.Generator) -> pd.DataFrame:
    qs = [q for q in form.questions_in(repeat) if q.type not in ("note", "calculate")]
    return pd.DataFrame({q.name: _column(q, form, n, rng) for q in qs}, index=pd.RangeIndex(n))


def fake_submissions(form: Form, n: int, seed: int = 0) -> Context:
    """A Context of ``n`` random submissions with their repeat rows."""
    rng = np.random.default_rng(seed)

    def level(repeat: str, rows: int) -> Rows:
        children: dict[str, Repeat] = {}
        for g in form.repeats:
            parent = next((p for p in reversed(g.path) if any(r.name == p for r in form.repeats)), "")
            if parent != repeat:
                continue
            counts = rng.integers(0, 6, rows)
            pos = np.repeat(np.arange(rows), counts)
            children[g.name] = Repeat(level(g.name, len(pos)), pos)
        return Rows(_table(form, repeat, rows, rng), children)

    return Context(level("", n), choice_labels=form.choice_labels_by_question())
