"""Seeded, form-driven answers: valid submissions to any XLSForm.

``answer_form(form, n, seed, fixed=None) -> Submissions`` walks the form in
order and draws every question for all ``n`` submissions at once:

- values by type (integers and decimals within the bounds read from simple
  constraints such as ``. >= 0 and . <= 110``; choices from the list, with
  don't-know/refusal options rarer; select_multiple as 1-3 choices or a lone
  ``none``; text from id-like, digit and Chinese candidates; dates and the
  start/end/today/deviceid metadata inside a field period; geopoints near
  Hefei);
- relevance honoured by evaluating it (the question's and every enclosing
  group's) with toolkit.forms' vectorised evaluator: a non-relevant answer
  is blank;
- constraints satisfied where simple: the constraint is evaluated on the
  draws and failing rows are drawn again (up to 30 times), so cross-question
  rules like ``. != ${interviewer_1}`` or ``. < ${pay_ledger_amount}`` hold;
- repeats get 1-4 rows per submission where the repeat is relevant (or the
  evaluated ``repeat_count``), nested repeats included; calculates are
  computed from the answers.

``fixed`` pins top-level questions (or meta columns ``KEY``,
``enumerator``...) to a scalar or an array of ``n`` values before anything
depending on them is drawn; a pinned answer is still blanked where its
question is not relevant. Everything comes from ``numpy.random.default_rng(seed)``: the same
seed gives the same answers on any machine.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from toolkit.forms import Context, ExpressionError, Repeat, Rows, evaluate, evaluate_bool
from toolkit.forms.expr import parse, refs
from toolkit.forms.model import Form, Group, Question
from toolkit.ingest.model import DATE_TYPES, META_COLUMNS, NUMERIC, Submissions, type_column, value_questions

FIELD_START = date(2026, 5, 4)
FIELD_DAYS = 21
_LOW = re.compile(r"\.\s*(>=|>)\s*(-?\d+(?:\.\d+)?)")
_HIGH = re.compile(r"\.\s*(<=|<)\s*(-?\d+(?:\.\d+)?)")
_HIGH_REF = re.compile(r"\.\s*(<=|<)\s*\$\{([A-Za-z_][\w.-]*)\}")
_DK = re.compile(r"^(8|9|98|99|-8|-9|-98|-99|dk|dont_?know|refuse[ds]?|refusal|no_answer)$", re.I)
_ZH_TEXT = np.array(["情况属实", "家中有长期病人", "已核实", "收入不稳定", "住房条件较差", "无", "见附件",
                     "子女在读", "房屋漏雨", "邻居反映情况一致"], dtype=object)


def _bounds(q: Question) -> tuple[float | None, float | None]:
    lo = hi = None
    for op, v in _LOW.findall(q.constraint):
        x = float(v) + (1 if op == ">" and q.type == "integer" else 0)
        lo = x if lo is None else max(lo, x)
    for op, v in _HIGH.findall(q.constraint):
        x = float(v) - (1 if op == "<" and q.type == "integer" else 0)
        hi = x if hi is None else min(hi, x)
    if q.type == "range" and q.parameters:
        m = dict(re.findall(r"(start|end)\s*=\s*(-?\d+(?:\.\d+)?)", q.parameters))
        lo = float(m.get("start", lo or 0))
        hi = float(m.get("end", hi or 10))
    return lo, hi


class _Level:
    """Columns drawn so far for one level (main or a repeat)."""

    def __init__(self, name: str, n: int, parent: str, parent_pos: np.ndarray) -> None:
        self.name = name
        self.n = n
        self.parent = parent
        self.parent_pos = parent_pos
        self.cols: dict[str, pd.Series] = {}
        self.evals: dict[str, pd.Series] = {}


class _Generator:
    def __init__(self, form: Form, n: int, seed: int, fixed: Mapping[str, Any] | None,
                 field_start: date, field_days: int, repeat_rows: tuple[int, int]) -> None:
        self.form = form
        self.n = n
        self.rng = np.random.default_rng(seed)
        self.fixed = dict(fixed or {})
        self.field_start = field_start
        self.field_days = field_days
        self.repeat_rows = repeat_rows
        self.levels: dict[str, _Level] = {}
        self.repeat_names = {g.name for g in form.repeats}
        self.group_rel: dict[str, np.ndarray] = {}
        self.labels = form.choice_labels_by_question()

    # -- contexts -----------------------------------------------------------
    def _level_of(self, item: Question | Group) -> str:
        inner = [p for p in item.path if p in self.repeat_names]
        return inner[-1] if inner else ""

    def _ancestry(self, level: str) -> list[tuple[str, np.ndarray]]:
        """[(ancestor level, position there of each row here)], nearest first."""
        out = []
        lv = self.levels[level]
        pos = np.arange(lv.n)
        while lv.name:
            pos = lv.parent_pos[pos]
            out.append((lv.parent, pos))
            lv = self.levels[lv.parent]
        return out

    def _frame(self, lv: _Level, names: set[str]) -> pd.DataFrame:
        return pd.DataFrame({c: lv.evals[c] for c in names if c in lv.evals}, index=range(lv.n))

    def _rows(self, level: str, names: set[str]) -> Rows:
        lv = self.levels[level]
        kids = {}
        for name, child in self.levels.items():
            if child.name and child.parent == level:
                kids[name] = Repeat(self._rows(name, names), child.parent_pos)
        return Rows(self._frame(lv, names), kids)

    def ctx(self, level: str, expr: str, current: str | None = None) -> Context:
        names = set(refs(parse(expr)))
        if current:
            names.add(current)
        rows = self._rows(level, names)
        anc = tuple((Rows(self._frame(self.levels[a], names)), pos) for a, pos in self._ancestry(level))
        return Context(rows, anc, choice_labels=self.labels, today=self.field_start + timedelta(days=self.field_days))

    def truth(self, level: str, expr: str, current: str | None = None, default: bool = True) -> np.ndarray:
        n = self.levels[level].n
        if not expr:
            return np.full(n, default)
        try:
            return evaluate_bool(expr, self.ctx(level, expr, current), current=current)
        except ExpressionError:
            return np.full(n, default)

    # -- setting values ------------------------------------------------------
    def put(self, lv: _Level, q: Question, values: pd.Series) -> None:
        values = values.reset_index(drop=True)
        lv.cols[q.name] = values
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            fmt = "%Y-%m-%d" if q.type in ("date", "today") else "%Y-%m-%dT%H:%M:%S"
            lv.evals[q.name] = values.dt.strftime(fmt).astype(object).where(values.notna(), "")
        else:
            lv.evals[q.name] = values

    # -- drawing -------------------------------------------------------------
    def draw(self, lv: _Level, q: Question, m: int) -> pd.Series:
        rng = self.rng
        if q.type in NUMERIC:
            lo, hi = _bounds(q)
            if q.type == "integer" or q.type == "range":
                lo = 0 if lo is None else lo
                hi = (lo + 10 if hi is None else hi)
                hi = min(hi, lo + 30)
                return pd.Series(rng.integers(int(np.ceil(lo)), int(np.floor(hi)) + 1, m).astype(float))
            zeros_ok = (lo is None or lo <= 0) and not re.search(r"\.\s*>(?!=)", q.constraint)
            lo = 0.0 if lo is None else lo
            hi = min(hi if hi is not None else lo + 20000, lo + 20000)
            hi_arr = np.full(m, hi)
            ref = _HIGH_REF.search(q.constraint)
            if ref is not None and ref.group(2) in lv.evals:
                other = pd.to_numeric(lv.evals[ref.group(2)], errors="coerce").to_numpy(dtype=float)
                if len(other) == m:
                    hi_arr = np.where(np.isnan(other), hi_arr, np.minimum(hi_arr, other))
            x = rng.uniform(0, 1, m) * (hi_arr - lo) + lo
            x = np.where(hi_arr - lo > 2, np.floor(x), x)
            x = np.where(x <= lo, (lo + hi_arr) / 2, x) if not zeros_ok else x
            if zeros_ok:
                x[rng.random(m) < 0.3] = max(lo, 0.0)
            return pd.Series(x)
        if q.type == "select_one":
            names = np.array([c.name for c in self.form.choices.get(q.list_name, ())], dtype=object)
            if not len(names):
                return pd.Series([None] * m, dtype=object)
            w = np.array([0.15 if _DK.match(str(c)) or c == "none" else 1.0 for c in names])
            return pd.Series(rng.choice(names, m, p=w / w.sum()), dtype=object)
        if q.type == "select_multiple":
            names = [c.name for c in self.form.choices.get(q.list_name, ())]
            others = [c for c in names if c != "none"]
            picks = rng.random((m, len(others))) < min(0.9, 1.5 / max(1, len(others)))
            first = rng.integers(0, max(1, len(others)), m)
            picks[np.arange(m), first] = True
            acc = np.full(m, "", dtype=object)
            for j, c in enumerate(others):
                acc = np.where(picks[:, j], acc + c + " ", acc)
            if "none" in names:
                acc = np.where(rng.random(m) < 0.1, "none ", acc)
            return pd.Series(acc, dtype=object).str.rstrip().astype(object)
        if q.type in ("date", "today"):
            d = np.datetime64(self.field_start) + rng.integers(0, self.field_days, m).astype("timedelta64[D]")
            return pd.Series(d.astype("datetime64[ns]"))
        if q.type in ("datetime", "start"):
            d = (np.datetime64(self.field_start).astype("datetime64[s]")
                 + (rng.integers(0, self.field_days, m) * 86400 + rng.integers(8 * 3600, 17 * 3600, m))
                 .astype("timedelta64[s]"))
            return pd.Series(d.astype("datetime64[ns]"))
        if q.type == "geopoint":
            return pd.Series(np.zeros(m))  # replaced by _geo
        if q.type in ("image", "audio", "video", "file", "background-audio"):
            ext = {"image": "jpg", "audio": "m4a", "video": "mp4"}.get(q.type, "bin")
            ids = rng.integers(10**12, 10**13, m)
            return pd.Series([f"{i}.{ext}" for i in ids], dtype=object)
        return self._text(lv, q, m)

    def _text(self, lv: _Level, q: Question, m: int) -> pd.Series:
        rng = self.rng
        name = q.name.lower()
        if "interviewer" in name or "enumerator" in name:
            return pd.Series(rng.choice(self.enumerators, m), dtype=object)
        cands = [
            pd.Series(["T" + str(x) for x in rng.integers(100000, 999999, m)], dtype=object),
            pd.Series([str(x) for x in rng.integers(100000, 999999, m)], dtype=object),
            pd.Series(rng.choice(_ZH_TEXT, m), dtype=object),
        ]
        if not q.constraint or m != lv.n:
            return cands[2]
        chosen = cands[-1].copy()
        undecided = np.ones(m, dtype=bool)
        saved = lv.evals.get(q.name)
        for c in cands:
            lv.evals[q.name] = c
            ok = self.truth(lv.name, q.constraint, q.name, default=True)
            take = undecided & ok
            chosen[take] = c[take]
            undecided &= ~ok
        if saved is not None:
            lv.evals[q.name] = saved
        return chosen

    # -- levels -------------------------------------------------------------
    def relevant(self, lv: _Level, item: Question | Group) -> np.ndarray:
        rel = np.ones(lv.n, dtype=bool)
        anc = dict(self._ancestry(lv.name))
        anc[lv.name] = np.arange(lv.n)
        for g in item.path:
            if g in self.group_rel and g not in self.repeat_names:
                glevel = self._level_of(next(x for x in self.form.groups if x.name == g))
                if glevel in anc:
                    rel &= self.group_rel[g][anc[glevel]]
        if isinstance(item, Question) and item.relevant:
            rel &= self.truth(lv.name, item.relevant)
        return rel

    def fill(self, lv: _Level, q: Question) -> None:
        n = lv.n
        if q.name in self.fixed and lv.name == "":
            v = self.fixed[q.name]
            vals = pd.Series(np.resize(np.asarray(v, dtype=object), n) if np.ndim(v) == 0 else list(v))
            if q.type in NUMERIC:
                vals = pd.to_numeric(vals, errors="coerce").astype(float)
            elif q.type in DATE_TYPES:
                vals = pd.to_datetime(vals, errors="coerce", format="ISO8601").astype("datetime64[ns]")
            else:
                vals = vals.astype(object)
            rel = self.relevant(lv, q)
            if pd.api.types.is_datetime64_any_dtype(vals.dtype):
                vals = vals.where(rel, pd.NaT)
            elif vals.dtype == float:
                vals = vals.where(rel, np.nan)
            else:
                vals = vals.where(rel, None)
            self.put(lv, q, vals)
            return
        if q.type == "calculate":
            try:
                res = evaluate(q.calculation, self.ctx(lv.name, q.calculation))
            except ExpressionError:
                res = pd.Series([None] * n, dtype=object)
            if res.dtype == bool:
                res = res.astype(float)
            if not pd.api.types.is_float_dtype(res.dtype):
                # the reader's rule for calculates: numbers when every answer is one
                res = type_column(q, res.astype(object).where(res != "", None))[0][q.name]
            self.put(lv, q, res)
            return
        if q.type == "geopoint":
            rng = self.rng
            rel = self.relevant(lv, q)
            geo = {"latitude": 31.82 + rng.normal(0, 0.015, n), "longitude": 117.23 + rng.normal(0, 0.015, n),
                   "altitude": rng.uniform(15, 60, n).round(1), "accuracy": rng.uniform(3, 15, n).round(1)}
            for part, x in geo.items():
                lv.cols[f"{q.name}_{part}"] = pd.Series(np.where(rel, x, np.nan))
            return
        if q.type == "start":
            vals = self.draw(lv, q, n)
            self.put(lv, q, vals)
            return
        if q.type == "end":
            start = lv.cols.get("start")
            base = start if start is not None else self.draw(lv, q, n)
            mins = self.rng.normal(45, 12, n).clip(15, 120)
            self.put(lv, q, (base + pd.to_timedelta(np.round(mins * 60), unit="s")).astype("datetime64[ns]"))
            return
        if q.type == "today":
            start = lv.cols.get("start")
            vals = start.dt.normalize() if start is not None else self.draw(lv, q, n)
            self.put(lv, q, vals.astype("datetime64[ns]"))
            return
        if q.type == "deviceid":
            self.put(lv, q, pd.Series(self.device_of_row, dtype=object))
            return
        if q.type in ("username",):
            self.put(lv, q, pd.Series(self.enum_of_row, dtype=object))
            return
        rel = self.relevant(lv, q)
        vals = self.draw(lv, q, n)
        if q.name.lower() in ("interviewer_1", "enumerator", "interviewer") and lv.name == "":
            vals = pd.Series(self.enum_of_row, dtype=object)
        self.put(lv, q, vals)
        if q.constraint:
            for _ in range(30):
                ok = self.truth(lv.name, q.constraint, q.name, default=True)
                bad = rel & ~ok
                if not bad.any():
                    break
                fresh = self.draw(lv, q, n)
                cur = lv.cols[q.name].copy()
                cur[bad] = fresh[bad]
                self.put(lv, q, cur)
        cur = lv.cols[q.name]
        if pd.api.types.is_datetime64_any_dtype(cur.dtype):
            cur = cur.where(rel, pd.NaT)
        elif cur.dtype == float:
            cur = cur.where(rel, np.nan)
        else:
            cur = cur.astype(object).where(rel, None)
        self.put(lv, q, cur)

    def make_repeat(self, g: Group) -> None:
        parent = self._level_of(g)
        pl = self.levels[parent]
        rel = self.relevant(pl, g)
        if g.relevant:
            rel &= self.truth(parent, g.relevant)
        lo, hi = self.repeat_rows
        counts = self.rng.integers(lo, hi + 1, pl.n)
        if g.repeat_count:
            try:
                rc = evaluate(g.repeat_count, self.ctx(parent, g.repeat_count))
                rc = pd.to_numeric(rc, errors="coerce").to_numpy()
                counts = np.where(np.isnan(rc), counts, np.clip(np.nan_to_num(rc), 0, 50)).astype(int)
            except ExpressionError:
                pass
        counts = np.where(rel, counts, 0)
        pos = np.repeat(np.arange(pl.n), counts)
        lv = _Level(g.name, len(pos), parent, pos)
        self.levels[g.name] = lv
        # placeholders so references resolve before their question is drawn
        for q in value_questions(self.form, g.name):
            lv.evals.setdefault(q.name, pd.Series([""] * lv.n, dtype=object))
        self.group_rel[g.name] = np.ones(lv.n, dtype=bool)

    def run(self) -> Submissions:
        n = self.n
        rng = self.rng
        n_enum = int(self.fixed.get("_enumerators", max(2, min(30, n // 20 or 2))))
        self.enumerators = np.array([f"E{i:02d}" for i in range(1, n_enum + 1)], dtype=object)
        devices = np.array([f"collect:{rng.integers(16**11, 16**12):012x}" for _ in range(n_enum)],
                           dtype=object)
        which = rng.integers(0, n_enum, n)
        self.enum_of_row = self.enumerators[which]
        self.device_of_row = devices[which]
        main = _Level("", n, "", np.arange(n))
        self.levels[""] = main
        for q in value_questions(self.form, ""):
            main.evals[q.name] = pd.Series([""] * n, dtype=object)
        for item in self.form.items:
            if isinstance(item, Group):
                if item.is_repeat:
                    self.make_repeat(item)
                else:
                    lvname = self._level_of(item)
                    lv = self.levels.get(lvname)
                    if lv is None:
                        continue
                    rel = self.relevant(lv, item)
                    if item.relevant:
                        rel &= self.truth(lvname, item.relevant)
                    self.group_rel[item.name] = rel
                continue
            if item.type == "note":
                continue
            lv = self.levels.get(item.repeat)
            if lv is not None:
                self.fill(lv, item)
        return self._result()

    def _result(self) -> Submissions:
        n = self.n
        rng = self.rng
        hexes = rng.integers(0, 2**32, (n, 4), dtype=np.uint64)
        keys = [f"uuid:{a:08x}-{b >> 16:04x}-4{b & 0xfff:03x}-{8 | (c >> 30):x}{(c >> 16) & 0xfff:03x}-"
                f"{c & 0xffff:04x}{d:08x}" for a, b, c, d in hexes.tolist()]
        main = self.levels[""]
        cols = main.cols
        end = cols.get("end")
        submitted = (end + pd.to_timedelta(rng.integers(600, 48 * 3600, n), unit="s")) if end is not None \
            else pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
        meta = {
            "KEY": pd.Series(self.fixed.get("KEY", keys), dtype=object),
            "form_version": pd.Series([self.form.version] * n, dtype=object),
            "submitted_at": submitted.astype("datetime64[ns]"),
            "enumerator": pd.Series(self.enum_of_row, dtype=object),
            "device_id": pd.Series(self.device_of_row, dtype=object),
            "source_platform": pd.Series(["synthetic"] * n, dtype=object),
            "source_file": pd.Series([""] * n, dtype=object),
            "source_row": pd.Series(np.arange(2, n + 2), dtype="int64"),
        }
        for k in ("form_version", "enumerator", "device_id", "submitted_at"):
            if k in self.fixed:
                v = self.fixed[k]
                meta[k] = pd.Series(np.resize(np.asarray(v, dtype=object), n) if np.ndim(v) == 0 else list(v))
        qcols: dict[str, pd.Series] = {}
        for q in value_questions(self.form, ""):
            for c in ([f"{q.name}_{p}" for p in ("latitude", "longitude", "altitude", "accuracy")]
                      if q.type == "geopoint" else [q.name]):
                if c in cols:
                    qcols[c] = cols[c].reset_index(drop=True)
        frame = pd.DataFrame({**meta, **qcols})
        frame = frame[["KEY", *META_COLUMNS, *qcols]]
        repeats: dict[str, pd.DataFrame] = {}
        keys_of: dict[str, np.ndarray] = {"": frame["KEY"].to_numpy(dtype=object)}
        for g in self.form.repeats:
            lv = self.levels.get(g.name)
            if lv is None:
                continue
            pk = keys_of[lv.parent][lv.parent_pos] if lv.n else np.array([], dtype=object)
            idx = pd.Series(lv.parent_pos).groupby(lv.parent_pos).cumcount().to_numpy() + 1
            rk = np.array([f"{p}/{g.name}[{i}]" for p, i in zip(pk, idx)], dtype=object)
            keys_of[g.name] = rk
            rc: dict[str, pd.Series] = {}
            for q in value_questions(self.form, g.name):
                for c in ([f"{q.name}_{p}" for p in ("latitude", "longitude", "altitude", "accuracy")]
                          if q.type == "geopoint" else [q.name]):
                    if c in lv.cols:
                        rc[c] = lv.cols[c].reset_index(drop=True)
            repeats[g.name] = pd.DataFrame({"PARENT_KEY": pd.Series(pk, dtype=object),
                                            "KEY": pd.Series(rk, dtype=object),
                                            "index": pd.Series(idx, dtype="int64"), **rc})
        return Submissions(self.form.form_id, frame, repeats)


def answer_form(form: Form, n: int, seed: int, fixed: Mapping[str, Any] | None = None, *,
                field_start: date = FIELD_START, field_days: int = FIELD_DAYS,
                repeat_rows: tuple[int, int] = (1, 4)) -> Submissions:
    """``n`` valid submissions to ``form``, drawn from ``seed`` (see the module doc)."""
    return _Generator(form, n, seed, fixed, field_start, field_days, repeat_rows).run()


def as_datetime(d: date | datetime) -> pd.Timestamp:
    return pd.Timestamp(d)
