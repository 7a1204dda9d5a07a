"""Validate submissions against their XLSForm: issues and an accepted/quarantined status.

Rules (``rule`` column of the issues table; severity ``error`` quarantines
the submission, ``warning`` does not):

=================  ========  ================================================
rule               severity  what
=================  ========  ================================================
type               error     a value does not parse as its type (from reading)
choice             error     a select value is not a choice of its list
required           error     blank where required and relevant
constraint         error     the form's constraint is false (its own message)
not_relevant       warning   an answer present where relevance is false
form_version       warning   submitted with another form version (or none; a Kobo
                             export without ``_version_`` is not judged)
duplicate_key      error     the same KEY on several submissions
missing_key        error     no KEY
orphan_repeat      error     a repeat row whose parent is not in the data
expression         warning   an expression of the form cannot be evaluated on
                             these data (missing column); rows not judged
duplicate_column   error     two columns of one question disagree (from reading;
                             the value names both columns and both values)
regex_timeout      error     a constraint's regex() ran out of its time budget
                             on this answer (toolkit.forms.values.REGEX_BUDGET)
=================  ========  ================================================

Relevance is the question's own ``relevant`` and every enclosing group's.
Everything is vectorised: each expression is evaluated once over a whole
level (the main table or one repeat table) with toolkit.forms' column-wise
evaluator, sharing one Context per level so each column is loaded once.
Issues on repeat rows carry the submission's KEY in ``key`` and the repeat
row's KEY in ``repeat_key``. Counts: accepted + quarantined = read.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from toolkit.forms import Context, ExpressionError, Repeat, Rows, evaluate_bool
from toolkit.forms.expr import evaluate_bool_judged
from toolkit.forms.expr import parse, refs
from toolkit.forms.model import Form, Group, Question
from toolkit.i18n import t
from toolkit.ingest.model import (DATE_TYPES, Submissions, as_text, repeat_parent, root_keys,
                                  value_questions)

ISSUE_COLUMNS = ("key", "field", "value", "rule", "severity", "message", "repeat_key")
SEVERITY = {"type": "error", "choice": "error", "required": "error", "constraint": "error",
            "not_relevant": "warning", "form_version": "warning", "duplicate_key": "error",
            "missing_key": "error", "orphan_repeat": "error", "expression": "warning",
            "correction": "error", "garbled": "error", "duplicate_dropped": "error",
            "regex_timeout": "error", "duplicate_column": "error"}
SKIP_TYPES = ("calculate", "start", "end", "today", "deviceid", "subscriberid", "simserial",
              "phonenumber", "username", "email", "audit", "instanceid", "hidden", "xml-external")


def empty_issues() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_COLUMNS})


class _Issues:
    """Collects issue columns as arrays; one DataFrame at the end."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(self, keys: np.ndarray, field: str, values: np.ndarray | str, rule: str, message: str,
            repeat_keys: np.ndarray | str = "") -> None:
        if len(keys) == 0:
            return
        self.parts.append(pd.DataFrame({
            "key": keys, "field": field, "value": values, "rule": rule,
            "severity": SEVERITY.get(rule, "error"), "message": message, "repeat_key": repeat_keys,
        }))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return empty_issues()
        out = pd.concat(self.parts, ignore_index=True)
        for c in ISSUE_COLUMNS:
            out[c] = out[c].astype(object)
        return out[list(ISSUE_COLUMNS)]


class _Level:
    """One level of the form (main or a repeat) with its context and row mapping."""

    def __init__(self, name: str, frame: pd.DataFrame, ctx: Context, root: np.ndarray,
                 rkeys: np.ndarray | str, up: dict[str, np.ndarray]) -> None:
        self.name = name
        self.frame = frame            # typed rows actually evaluated (orphans left out)
        self.ctx = ctx
        self.root = root              # submission KEY per row
        self.rkeys = rkeys            # repeat KEY per row ('' at the top level)
        self.up = up                  # {ancestor level: position there of each row here}


def _eval_frame(frame: pd.DataFrame, form: Form, names: list[str], needed: set[str]) -> pd.DataFrame:
    """The frame the evaluator reads: dates as ISO text, geopoints as their text."""
    cols: dict[str, pd.Series] = {}
    qs = form.by_name()
    for c in frame.columns:
        s = frame[c]
        if c in needed and pd.api.types.is_datetime64_any_dtype(s.dtype):
            q = qs.get(c)
            fmt = "%Y-%m-%d" if q is not None and q.type in ("date", "today") else "%Y-%m-%dT%H:%M:%S"
            s = s.dt.strftime(fmt).astype(object).where(s.notna(), "")
        cols[c] = s
    for n in names:
        q = qs.get(n)
        if q is not None and q.type == "geopoint" and n in needed and f"{n}_latitude" in frame.columns:
            parts = [frame[f"{n}_{p}"].map(lambda x: "" if x != x else repr(float(x)))
                     for p in ("latitude", "longitude", "altitude", "accuracy")]
            cols[n] = (parts[0] + " " + parts[1] + " " + parts[2] + " " + parts[3]).where(
                frame[f"{n}_latitude"].notna(), "")
    return pd.DataFrame(cols, index=frame.index)


def _needed_refs(form: Form) -> set[str]:
    out: set[str] = set()
    for item, _col, text in form.expressions():
        try:
            out.update(refs(parse(text)))
        except ExpressionError:
            continue
        if isinstance(item, Question):
            out.add(item.name)  # '.' in its constraint
    return out


def _positions(child_parent: np.ndarray, parent_keys: np.ndarray) -> np.ndarray:
    lookup = pd.Series(np.arange(len(parent_keys)), index=parent_keys)
    lookup = lookup[~lookup.index.duplicated()]
    pos = lookup.reindex(child_parent).to_numpy()
    return np.where(np.isnan(pos.astype(float)), -1, pos).astype(np.intp)


def _build_levels(subs: Submissions, form: Form, today: date | None,
                  issues: _Issues, lang: str) -> dict[str, _Level]:
    needed = _needed_refs(form)
    labels = form.choice_labels_by_question(lang)
    main = subs.main
    keys = main["KEY"].to_numpy(dtype=object)
    evals = {"": _eval_frame(main, form, [q.name for q in value_questions(form, "")], needed)}
    parents = {g.name: repeat_parent(form, g.name) for g in form.repeats}
    keep: dict[str, np.ndarray] = {}
    pos: dict[str, np.ndarray] = {}
    typed: dict[str, pd.DataFrame] = {"": main}
    # repeats in form order: a parent repeat comes before the repeats inside it
    for g in form.repeats:
        frame = subs.repeats.get(g.name)
        if frame is None:
            continue
        parent = parents[g.name]
        if parent and parent not in typed:
            continue
        ptyped = typed[parent]
        p = _positions(frame["PARENT_KEY"].to_numpy(dtype=object), ptyped["KEY"].to_numpy(dtype=object))
        ok = p >= 0
        if (~ok).any():
            bad = frame.loc[~ok]
            issues.add(as_text(bad["PARENT_KEY"]).fillna("").to_numpy(), g.name,
                       as_text(bad["PARENT_KEY"]).fillna("").to_numpy(), "orphan_repeat",
                       t("ingest.rule.orphan_repeat", lang, repeat=g.name),
                       as_text(bad["KEY"]).fillna("").to_numpy())
        kept = frame.loc[ok].reset_index(drop=True)
        typed[g.name] = kept
        keep[g.name] = ok
        pos[g.name] = p[ok]
        evals[g.name] = _eval_frame(kept, form, [q.name for q in value_questions(form, g.name)], needed)

    def rows_of(level: str) -> Rows:
        children = {g.name: Repeat(rows_of(g.name), pos[g.name]) for g in form.repeats
                    if parents[g.name] == level and g.name in evals}
        return Rows(evals[level], children)

    root_ctx = Context(rows_of(""), choice_labels=labels, today=today)
    levels: dict[str, _Level] = {"": _Level("", main, root_ctx, keys, "", {"": np.arange(len(main))})}
    for g in form.repeats:
        if g.name not in evals:
            continue
        parent = parents[g.name]
        pl = levels[parent]
        ctx = pl.ctx.enter(g.name)
        ctx = Context(ctx.rows, ctx.ancestors, labels, today)
        up = {g.name: np.arange(len(typed[g.name]))}
        for anc, apos in pl.up.items():
            up[anc] = apos[pos[g.name]]
        root = pl.root[pos[g.name]]
        levels[g.name] = _Level(g.name, typed[g.name], ctx, root,
                                typed[g.name]["KEY"].to_numpy(dtype=object), up)
    return levels


def _level_of(form: Form, item: Question | Group) -> str:
    names = {g.name for g in form.repeats}
    inner = [p for p in item.path if p in names]
    return inner[-1] if inner else ""


def validate(subs: Submissions, form: Form, lang: str = "zh",
             today: date | None = None) -> tuple[Submissions, pd.DataFrame]:
    """(submissions with ``_status`` accepted|quarantined, issues table).

    ``issues`` has ``key, field, value, rule, severity, message, repeat_key``;
    messages are in ``lang`` (zh/en), a constraint's own message from the form
    when it has one. A submission with any ``error`` is quarantined.
    """
    issues = _Issues()
    flang = form.language(lang)
    main = subs.main
    keys = main["KEY"].to_numpy(dtype=object)
    # keys
    missing = _blank_key(main["KEY"])
    if missing.any():
        rows = main["source_row"].to_numpy()[missing].astype(str)
        issues.add(np.array([""] * int(missing.sum()), dtype=object), "KEY", rows, "missing_key",
                   t("ingest.rule.missing_key", lang))
    dup = main["KEY"].duplicated(keep=False).to_numpy() & ~missing
    if dup.any():
        issues.add(keys[dup], "KEY", keys[dup], "duplicate_key", t("ingest.rule.duplicate_key", lang))
    # reading problems (type)
    if len(subs.problems):
        p = subs.problems
        qs = form.by_name()
        for field, grp in p.groupby("field", sort=False):
            q = qs.get(field)
            qtype = q.type if q is not None else ""
            issues.add(grp["key"].to_numpy(dtype=object), field, grp["value"].to_numpy(dtype=object),
                       grp["rule"].iloc[0], t(f"ingest.rule.{grp['rule'].iloc[0]}", lang, type=qtype),
                       grp["repeat_key"].to_numpy(dtype=object))
    # form version
    if form.version:
        fv = as_text(main["form_version"])
        off = (fv != form.version).to_numpy() | fv.isna().to_numpy()
        # a Kobo export without _version_ records only its deployment id: the version is unknown, not different
        off &= ~(fv.isna().to_numpy() & (main["source_platform"].astype(str) == "kobo").to_numpy())
        if off.any():
            issues.add(keys[off], "form_version", fv.fillna("").to_numpy()[off], "form_version",
                       t("ingest.rule.form_version", lang, version=form.version))
    levels = _build_levels(subs, form, today, issues, lang)
    group_rel: dict[str, np.ndarray | None] = {}
    for g in form.groups:
        lvl = levels.get(_level_of(form, g))
        if lvl is None:
            continue
        rel = np.ones(len(lvl.frame), dtype=bool)
        if g.relevant:
            try:
                rel = evaluate_bool(g.relevant, lvl.ctx)
            except ExpressionError as e:
                issues.add(np.array([""], dtype=object), g.name, np.array([g.relevant], dtype=object),
                           "expression", t("ingest.rule.expression", lang, detail=_expr_words(e, lang)))
                group_rel[g.name] = None
                continue
        group_rel[g.name] = rel
    group_level = {g.name: _level_of(form, g) for g in form.groups}
    for q in value_questions(form):
        if q.type in SKIP_TYPES:
            continue
        lvl = levels.get(q.repeat)
        if lvl is None or len(lvl.frame) == 0:
            continue
        _check_question(q, form, lvl, group_rel, group_level, issues, lang, flang)
    out = issues.frame()
    errors = out.loc[out["severity"] == "error", "key"]
    bad = main["KEY"].isin(set(errors)).to_numpy() | missing
    status = np.where(bad, "quarantined", "accepted")
    new_main = main.copy(deep=False)   # copy-on-write: the caller's frame is not changed by the new column
    new_main["_status"] = status
    reps = {}
    for name, frame in subs.repeats.items():
        rk = root_keys(frame["PARENT_KEY"].to_numpy(dtype=object), repeat_parent(form, name),
                       subs.repeats, form) if len(form.repeats) else frame["PARENT_KEY"].to_numpy()
        f2 = frame.copy(deep=False)
        st = pd.Series(status, index=keys).loc[lambda s: ~s.index.duplicated()]
        f2["_status"] = st.reindex(rk).fillna("quarantined").to_numpy()
        reps[name] = f2
    return replace(subs, main=new_main, repeats=reps), out


def _blank_key(s: pd.Series) -> np.ndarray:
    """True where a KEY is missing or only whitespace (as ``as_text(s).isna()``:
    only text can be blank; numbers and dates never are), without hashing
    every distinct KEY (a KEY column is all distinct)."""
    na = pd.isna(s).to_numpy()
    if s.dtype != object:
        return na | as_text(s).isna().to_numpy()
    is_str = s.map(lambda x: isinstance(x, str), na_action="ignore").to_numpy(dtype=bool, na_value=False)
    if not is_str.any():
        return na | as_text(s).isna().to_numpy()
    stripped = s.where(is_str).str.strip()
    return na | (stripped == "").to_numpy(dtype=bool, na_value=False)


def _blank(lvl: _Level, q: Question) -> np.ndarray:
    col = f"{q.name}_latitude" if q.type == "geopoint" else q.name
    if col not in lvl.frame.columns:
        return np.ones(len(lvl.frame), dtype=bool)
    return lvl.frame[col].isna().to_numpy()


def _values(lvl: _Level, q: Question, mask: np.ndarray) -> np.ndarray:
    col = f"{q.name}_latitude" if q.type == "geopoint" else q.name
    s = lvl.frame[col].iloc[np.flatnonzero(mask)]
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s.astype(str).to_numpy(dtype=object)
    return as_text(s).fillna("").to_numpy(dtype=object)


def _check_question(q: Question, form: Form, lvl: _Level, group_rel: dict, group_level: dict,
                    issues: _Issues, lang: str, flang: str) -> None:
    n = len(lvl.frame)
    rel = np.ones(n, dtype=bool)
    for gname in q.path:
        if gname not in group_rel:
            continue
        grel = group_rel[gname]
        if grel is None:
            return
        where = lvl.up.get(group_level[gname])
        if where is None:
            continue
        rel &= grel[where]
    if q.relevant:
        try:
            rel &= evaluate_bool(q.relevant, lvl.ctx)
        except ExpressionError as e:
            issues.add(np.array([""], dtype=object), q.name, np.array([q.relevant], dtype=object),
                       "expression", t("ingest.rule.expression", lang, detail=_expr_words(e, lang)))
            return
    fact = None
    if q.is_select and q.name in lvl.frame.columns and lvl.frame[q.name].dtype == object:
        # one hashing pass serves the blank mask (NA -> code -1, as isna) and the choice check
        fact = pd.factorize(lvl.frame[q.name])
        blank = fact[0] < 0
    else:
        blank = _blank(lvl, q)
    rk = lvl.rkeys
    label = form.label(q, lang)

    def add(mask: np.ndarray, rule: str, message: str) -> None:
        if mask.any():
            issues.add(lvl.root[mask], q.name, _values(lvl, q, mask), rule, message,
                       rk[mask] if isinstance(rk, np.ndarray) else "")

    present = ~blank
    add(present & ~rel, "not_relevant", t("ingest.rule.not_relevant", lang, label=label))
    req = np.zeros(n, dtype=bool)
    if q.required == "yes":
        req[:] = True
    elif q.required and q.required not in ("no", "false()", "false"):
        try:
            req = evaluate_bool(q.required, lvl.ctx)
        except ExpressionError as e:
            issues.add(np.array([""], dtype=object), q.name, np.array([q.required], dtype=object),
                       "expression", t("ingest.rule.expression", lang, detail=_expr_words(e, lang)))
    msg = form.text(q.required_message, flang) or t("ingest.rule.required", lang, label=label)
    add(blank & rel & req, "required", msg)
    if q.is_select and not q.from_file and q.list_name in form.choices:
        names = np.array([c.name for c in form.choices[q.list_name]], dtype=object)
        codes, uniq = fact if fact is not None else pd.factorize(lvl.frame[q.name])
        if len(uniq):
            if q.type == "select_one":
                ok_u = np.isin(np.asarray(uniq, dtype=object), names) | bool(q.or_other)
            else:
                nameset = set(names.tolist())
                ok_u = np.array([q.or_other or set(str(u).split()) <= nameset for u in uniq], dtype=bool)
            badc = np.where(codes >= 0, ~ok_u[np.maximum(codes, 0)], False)
            add(badc, "choice", t("ingest.rule.choice", lang, label=label, list=q.list_name))
    if q.constraint:
        judge = rel & present
        if judge.any():
            try:
                okc, slow = evaluate_bool_judged(q.constraint, lvl.ctx, current=q.name)
            except ExpressionError as e:
                issues.add(np.array([""], dtype=object), q.name, np.array([q.constraint], dtype=object),
                           "expression", t("ingest.rule.expression", lang, detail=_expr_words(e, lang)))
                return
            msg = form.text(q.constraint_message, flang) or t(
                "ingest.rule.constraint", lang, label=label, constraint=q.constraint)
            add(judge & ~okc & ~slow, "constraint", msg)
            # a regex() that ran out of time judged nothing: quarantined with that reason
            add(judge & slow, "regex_timeout", t("ingest.rule.regex_timeout", lang, label=label))


def _expr_words(e: ExpressionError, lang: str) -> str:
    """An expression error in words: what is wrong, and the expression."""
    return f"{t(e.i18n_key, lang)}: {e.expression}"


__all__ = ["ISSUE_COLUMNS", "SEVERITY", "DATE_TYPES", "empty_issues", "validate"]
