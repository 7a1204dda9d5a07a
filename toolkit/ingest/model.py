"""Submissions: field data read from any platform, in one shape.

Every reader (ODK Central, KoboToolbox, plain CSV/Excel, SPSS, Stata) ends in
:func:`build`, which turns "raw" tables (one column per question name, values
as the export held them) into a :class:`Submissions`:

``main``
    one row per submission: ``KEY`` (the instance id), the meta columns
    ``form_version, submitted_at, enumerator, device_id, source_platform,
    source_file, source_row``, then one column per question name (no group
    prefixes) in form order, typed by the question type:

    ============================  ===========================================
    integer, decimal, range        float64 (NaN blank)
    date, datetime, start, end,    datetime64 (NaT blank; time zones dropped,
    today                          wall-clock time kept, as the phone showed it)
    select_one                     choice name as text
    select_multiple                space-separated choice names
    geopoint                       four float columns ``<name>_latitude``,
                                   ``_longitude``, ``_altitude``, ``_accuracy``
    calculate                      float when every answer is a number, else text
    anything else                  text (blank = missing)
    ============================  ===========================================

``repeats``
    ``{repeat name: frame}`` with ``PARENT_KEY`` (the KEY of the enclosing
    submission or, for a nested repeat, of the enclosing repeat row), ``KEY``
    (``<parent key>/<repeat>[<index>]``, as ODK Central writes it), ``index``
    (1-based within its parent) and the repeat's question columns, typed as above.

``problems``
    what reading found that validation must report (a value that does not
    parse as its type): ``key, field, value, rule, repeat_key``.

Nothing is dropped while reading: a cell that cannot be typed becomes blank in
``main`` and a ``type`` problem that keeps the original text.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit.forms.model import Form, Question

META_COLUMNS = ("form_version", "submitted_at", "enumerator", "device_id",
                "source_platform", "source_file", "source_row")
GEO_PARTS = ("latitude", "longitude", "altitude", "accuracy")
DATE_TYPES = ("date", "datetime", "start", "end", "today", "time")
NUMERIC = ("integer", "decimal", "range")
#: question types that never carry an exported value
NO_VALUE_TYPES = ("note", "acknowledge_never")
PROBLEM_COLUMNS = ("key", "field", "value", "rule", "repeat_key")
#: tables an export held that were not read: file (or ``zip!member``), rows, reason
#: (``not_this_form`` | ``unknown_repeat``) and the level ('' main table, or a repeat)
NOT_READ_COLUMNS = ("file", "rows", "reason", "level")


@dataclass(frozen=True)
class Submissions:
    """Submissions of one form: main table, repeat tables and reading problems."""

    form_id: str
    main: pd.DataFrame
    repeats: Mapping[str, pd.DataFrame] = field(default_factory=dict)
    problems: pd.DataFrame = field(default_factory=lambda: empty_problems())
    #: tables found but not read, each with its row count and reason (never silent)
    not_read: pd.DataFrame = field(default_factory=lambda: empty_not_read())

    def __len__(self) -> int:
        return len(self.main)

    @property
    def keys(self) -> pd.Series:
        return self.main["KEY"]


def empty_problems() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_COLUMNS})


def empty_not_read() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "rows" else object) for c in NOT_READ_COLUMNS})


def not_read_frame(entries: list[tuple[str, int, str, str]]) -> pd.DataFrame:
    """(file, rows, reason, level) entries as a not-read table."""
    if not entries:
        return empty_not_read()
    return pd.DataFrame(entries, columns=list(NOT_READ_COLUMNS)).astype({"rows": "int64"})


def value_questions(form: Form, repeat: str | None = None) -> list[Question]:
    """Questions that store an answer (no notes), at one level (``repeat``) or all."""
    out = [q for q in form.questions if q.type not in NO_VALUE_TYPES and q.type != "note"]
    if repeat is not None:
        out = [q for q in out if q.repeat == repeat]
    return out


def question_columns(q: Question) -> list[str]:
    """The typed column(s) a question becomes (four for a geopoint)."""
    if q.type == "geopoint":
        return [f"{q.name}_{p}" for p in GEO_PARTS]
    return [q.name]


def repeat_parent(form: Form, repeat: str) -> str:
    """The repeat enclosing repeat ``repeat`` ('' when it sits at the top level)."""
    names = {g.name for g in form.repeats}
    g = next(g for g in form.repeats if g.name == repeat)
    inner = [p for p in g.path if p in names]
    return inner[-1] if inner else ""


# ----------------------------------------------------------------- typing

_TZ = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")


def blank_mask(s: pd.Series) -> np.ndarray:
    """True where a cell is missing or only whitespace."""
    na = s.isna().to_numpy()
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        txt = s.astype(object).where(~na, "")
        # strip on the distinct values only
        codes, uniq = pd.factorize(txt)
        empty = np.array([str(u).strip() == "" for u in uniq], dtype=bool)
        return na | (empty[codes] if len(uniq) else np.zeros(len(s), bool))
    return na


def as_text(s: pd.Series) -> pd.Series:
    """Text column: strings stripped, blanks missing; numbers shown without '.0'."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = np.array([_clean_cell(u) for u in s.cat.categories], dtype=object)
        codes = s.cat.codes.to_numpy()
        out = np.where(codes >= 0, cats[np.maximum(codes, 0)] if len(cats) else None, None)
        return pd.Series(out, index=s.index, dtype=object)
    if s.dtype != object and not pd.api.types.is_string_dtype(s.dtype):
        if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
            x = s.to_numpy(dtype=float, na_value=np.nan)
            codes, uniq = pd.factorize(x)
            txt = np.array([(str(int(u)) if float(u).is_integer() else repr(float(u))) for u in uniq],
                           dtype=object)
            out = np.where(codes >= 0, txt[np.maximum(codes, 0)] if len(txt) else None, None)
            return pd.Series(out, index=s.index, dtype=object)
    codes, uniq = pd.factorize(s)
    if pd.api.types.is_string_dtype(getattr(uniq, "dtype", object)) and uniq.dtype != object:
        # a string column (pandas "str"/arrow): strip the distinct values in one vectorised call
        st = pd.Series(uniq).str.strip()
        cleaned = st.where(st != "").to_numpy(dtype=object, na_value=None)
    else:
        cleaned = np.array([_clean_cell(u) for u in uniq], dtype=object)
    out = np.where(codes >= 0, cleaned[np.maximum(codes, 0)] if len(cleaned) else None, None)
    return pd.Series(out, index=s.index, dtype=object)


def _clean_cell(u: object) -> object:
    if isinstance(u, float):
        if u != u:
            return None
        return str(int(u)) if u.is_integer() else repr(u)
    if isinstance(u, (int, np.integer)):
        return str(int(u))
    if isinstance(u, pd.Timestamp):
        return u.isoformat()
    t = str(u).strip()
    return t if t else None


def to_number(s: pd.Series, integer: bool = False) -> tuple[pd.Series, np.ndarray]:
    """(float column, mask of non-blank cells that are not numbers)."""
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        x = s.astype(float)
        bad = np.zeros(len(s), dtype=bool)
    else:
        txt = as_text(s)
        x = pd.to_numeric(txt, errors="coerce").astype(float)
        bad = x.isna().to_numpy() & txt.notna().to_numpy()
    if integer:
        frac = x.notna().to_numpy() & (np.mod(x.to_numpy(), 1.0) != 0)
        bad = bad | frac
    return x, bad


def to_datetime(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """(datetime64 column, mask of non-blank cells that are not dates).

    ISO 8601 with or without a zone (the zone is dropped: the wall-clock time
    the phone recorded is kept), Excel date cells and ``YYYY/MM/DD``.
    """
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        out = s
        if getattr(s.dt, "tz", None) is not None:
            out = s.dt.tz_localize(None)
        return out.astype("datetime64[ns]"), np.zeros(len(s), dtype=bool)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        # Excel serial days (hand-typed workbooks read without date cells)
        x = s.astype(float)
        out = pd.to_datetime(x, unit="D", origin="1899-12-30", errors="coerce")
        return out.astype("datetime64[ns]"), (out.isna() & x.notna()).to_numpy()
    txt = as_text(s)
    codes, uniq = pd.factorize(txt)
    if len(uniq) == 0:
        return pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]"), np.zeros(len(s), bool)
    u = pd.Series(uniq, dtype=object).str.replace(_TZ, "", regex=True).str.replace("/", "-", regex=False)
    parsed = pd.to_datetime(u, errors="coerce", format="ISO8601")
    vals = parsed.to_numpy(dtype="datetime64[ns]")
    out = np.where(codes >= 0, vals[np.maximum(codes, 0)], np.datetime64("NaT", "ns"))
    res = pd.Series(out, index=s.index, dtype="datetime64[ns]")
    return res, (res.isna().to_numpy() & (codes >= 0))


def split_geopoint(s: pd.Series) -> tuple[dict[str, pd.Series], np.ndarray]:
    """``"lat lon alt acc"`` text -> four float columns, and the bad-cell mask."""
    txt = as_text(s)
    parts = txt.str.split(r"\s+", n=3, expand=True, regex=True) if txt.notna().any() else None
    out: dict[str, pd.Series] = {}
    bad = np.zeros(len(s), dtype=bool)
    for i, p in enumerate(GEO_PARTS):
        if parts is not None and i in parts.columns:
            col = pd.to_numeric(parts[i], errors="coerce").astype(float)
        else:
            col = pd.Series(np.nan, index=s.index)
        out[p] = col
        if i < 2:
            bad |= col.isna().to_numpy() & txt.notna().to_numpy()
    return out, bad


def type_column(q: Question, raw: pd.Series) -> tuple[dict[str, pd.Series], np.ndarray]:
    """The typed column(s) of question ``q`` from its raw cells, and the bad-cell mask."""
    if q.type in NUMERIC:
        x, bad = to_number(raw, integer=q.type == "integer")
        return {q.name: x}, bad
    if q.type in DATE_TYPES and q.type != "time":
        x, bad = to_datetime(raw)
        return {q.name: x}, bad
    if q.type == "geopoint":
        parts, bad = split_geopoint(raw)
        return {f"{q.name}_{p}": v for p, v in parts.items()}, bad
    if q.type == "select_multiple":
        txt = as_text(raw)
        codes, uniq = pd.factorize(txt)
        norm = np.array([" ".join(str(u).split()) for u in uniq], dtype=object)
        out = np.where(codes >= 0, norm[np.maximum(codes, 0)] if len(norm) else None, None)
        return {q.name: pd.Series(out, index=raw.index, dtype=object)}, np.zeros(len(raw), bool)
    if q.type == "calculate":
        txt = as_text(raw)
        x = pd.to_numeric(txt, errors="coerce")
        if txt.notna().any() and (x.notna() | txt.isna()).all():
            return {q.name: x.astype(float)}, np.zeros(len(raw), bool)
        return {q.name: txt}, np.zeros(len(raw), bool)
    return {q.name: as_text(raw)}, np.zeros(len(raw), bool)


def blank_typed(q: Question, n: int, index: pd.Index) -> dict[str, pd.Series]:
    """All-blank typed column(s) for a question missing from an export."""
    if q.type in NUMERIC or q.type == "geopoint":
        return {c: pd.Series(np.nan, index=index, dtype=float) for c in question_columns(q)}
    if q.type in DATE_TYPES and q.type != "time":
        return {q.name: pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")}
    return {q.name: pd.Series([None] * n, index=index, dtype=object)}


def _problems_from(mask: np.ndarray, keys: np.ndarray, name: str, raw: pd.Series,
                   repeat_keys: np.ndarray | None = None) -> pd.DataFrame | None:
    if not mask.any():
        return None
    idx = np.flatnonzero(mask)
    vals = as_text(raw.iloc[idx]).to_numpy()
    return pd.DataFrame({"key": keys[idx], "field": name, "value": vals, "rule": "type",
                         "repeat_key": repeat_keys[idx] if repeat_keys is not None else ""})


def type_level(form: Form, repeat: str, raw: pd.DataFrame, keys: np.ndarray,
               repeat_keys: np.ndarray | None) -> tuple[dict[str, pd.Series], list[pd.DataFrame]]:
    """Type every question column of one level; problems for cells that do not parse."""
    cols: dict[str, pd.Series] = {}
    probs: list[pd.DataFrame] = []
    for q in value_questions(form, repeat):
        if q.name in raw.columns:
            typed, bad = type_column(q, raw[q.name])
            p = _problems_from(bad, keys, q.name, raw[q.name], repeat_keys)
            if p is not None:
                probs.append(p)
        elif q.type == "geopoint" and f"{q.name}_latitude" in raw.columns:
            typed = {}
            bad = np.zeros(len(raw), dtype=bool)
            for p in GEO_PARTS:
                c = f"{q.name}_{p}"
                if c in raw.columns:
                    x, b = to_number(raw[c])
                    typed[c] = x
                    bad |= b
                else:
                    typed[c] = pd.Series(np.nan, index=raw.index)
            pr = _problems_from(bad, keys, q.name, raw[f"{q.name}_latitude"], repeat_keys)
            if pr is not None:
                probs.append(pr)
        else:
            typed = blank_typed(q, len(raw), raw.index)
        cols.update(typed)
    return cols, probs


def build(form: Form, main_raw: pd.DataFrame, repeats_raw: Mapping[str, pd.DataFrame], *,
          platform: str, source_file: str | list[str], source_row: np.ndarray | None = None,
          not_read: pd.DataFrame | None = None) -> Submissions:
    """Typed :class:`Submissions` from raw tables already keyed by question name.

    ``main_raw`` must hold ``KEY``; it may hold the meta columns (missing ones
    are blank). ``source_file`` is one name or one per row (several root
    tables stacked); ``not_read`` lists tables the reader saw but did not read. Each raw repeat frame holds ``PARENT_KEY`` and the question
    columns, and optionally ``KEY`` and ``index`` (made when absent).
    """
    n = len(main_raw)
    main_conflicts = main_raw.attrs.get("column_conflicts")
    main_raw = main_raw.reset_index(drop=True)
    keys = as_text(main_raw["KEY"]).to_numpy()
    meta: dict[str, pd.Series] = {"KEY": pd.Series(keys, dtype=object)}
    for c in ("form_version", "enumerator", "device_id"):
        meta[c] = as_text(main_raw[c]) if c in main_raw.columns else pd.Series([None] * n, dtype=object)
    if "submitted_at" in main_raw.columns:
        meta["submitted_at"] = to_datetime(main_raw["submitted_at"])[0]
    else:
        meta["submitted_at"] = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    meta["source_platform"] = pd.Series([platform] * n, dtype=object)
    meta["source_file"] = pd.Series([source_file] * n if isinstance(source_file, str) else list(source_file),
                                    dtype=object)
    meta["source_row"] = pd.Series(source_row if source_row is not None else np.arange(2, n + 2),
                                   dtype="int64")
    cols, probs = type_level(form, "", main_raw, keys, None)
    probs += _conflict_problems(main_conflicts, keys, None)
    # fallbacks for meta columns from the form's own metadata questions
    if meta["device_id"].isna().all() and "deviceid" in cols:
        meta["device_id"] = cols["deviceid"].astype(object)
    if meta["enumerator"].isna().all():
        for cand in ("username", "enumerator", "interviewer", "interviewer_1"):
            if cand in cols:
                meta["enumerator"] = cols[cand].astype(object)
                break
    main = pd.DataFrame({**meta, **cols})
    main = main[["KEY", *META_COLUMNS, *cols.keys()]]
    if "_review_state_raw" in main_raw.columns:  # the platform's review state, toolkit.ingest.review_state
        main["_review_state_raw"] = as_text(main_raw["_review_state_raw"]).to_numpy()

    repeats: dict[str, pd.DataFrame] = {}
    for g in form.repeats:
        raw = repeats_raw.get(g.name)
        if raw is None:
            raw = pd.DataFrame({"PARENT_KEY": pd.Series(dtype=object)})
        rep_conflicts = raw.attrs.get("column_conflicts")
        raw = raw.reset_index(drop=True)
        pk = as_text(raw["PARENT_KEY"]).to_numpy() if len(raw) else np.array([], dtype=object)
        if "index" in raw.columns and len(raw):
            idx = pd.to_numeric(raw["index"], errors="coerce").to_numpy()
        else:
            idx = pd.Series(pk).groupby(pk, sort=False).cumcount().to_numpy() + 1 if len(raw) else np.array([])
        idx = np.asarray(idx, dtype=float)
        if "KEY" in raw.columns and len(raw):
            rk = as_text(raw["KEY"]).to_numpy()
        else:
            rk = (pd.Series(pk, dtype=object) + f"/{g.name}[" +
                  pd.Series(idx).map(lambda v: str(int(v)) if v == v else "").astype(object) + "]").to_numpy() \
                if len(raw) else np.array([], dtype=object)
        root = root_keys(pk, repeat_parent(form, g.name), repeats, form)
        rcols, rprobs = type_level(form, g.name, raw, root, rk)
        probs.extend(rprobs)
        probs += _conflict_problems(rep_conflicts, root, rk)
        index_col = pd.Series(idx, dtype=float)
        if len(index_col) and np.isfinite(idx).all():
            index_col = index_col.astype("int64")
        frame = pd.DataFrame({"PARENT_KEY": pd.Series(pk, dtype=object), "KEY": pd.Series(rk, dtype=object),
                              "index": index_col, **rcols})
        repeats[g.name] = frame
    problems = pd.concat(probs, ignore_index=True) if probs else empty_problems()
    return Submissions(form.form_id, main, repeats, problems,
                       not_read if not_read is not None else empty_not_read())


def _conflict_problems(found: tuple | None, keys: np.ndarray,
                       repeat_keys: np.ndarray | None) -> list[pd.DataFrame]:
    """``duplicate_column`` problems from the (pos, field, value) tuples that
    toolkit.ingest.columns.apply_map leaves in a raw table's attrs."""
    if not found:
        return []
    conflicts = pd.DataFrame(list(found), columns=["pos", "field", "value"])
    pos = conflicts["pos"].to_numpy(dtype=np.int64)
    pos = pos[pos < len(keys)]
    c = conflicts.iloc[: len(pos)]
    return [pd.DataFrame({"key": np.asarray(keys, dtype=object)[pos], "field": c["field"].to_numpy(),
                          "value": c["value"].to_numpy(), "rule": "duplicate_column",
                          "repeat_key": np.asarray(repeat_keys, dtype=object)[pos]
                          if repeat_keys is not None else ""})]


def root_keys(parent_keys: np.ndarray, parent_repeat: str, repeats: Mapping[str, pd.DataFrame],
              form: Form | None = None) -> np.ndarray:
    """The top-level submission KEY for rows whose parent rows have ``parent_keys``."""
    if not parent_repeat:
        return parent_keys
    parent = repeats.get(parent_repeat)
    if parent is None or not len(parent):
        return parent_keys
    up = pd.Series(parent["PARENT_KEY"].to_numpy(), index=parent["KEY"].to_numpy())
    up = up[~up.index.duplicated()]
    mapped = up.reindex(parent_keys).to_numpy()
    grand = repeat_parent(form, parent_repeat) if form is not None else ""
    return root_keys(mapped, grand, repeats, form)


def concat(parts: list[Submissions]) -> Submissions:
    """Several files of the same form as one set of submissions."""
    if len(parts) == 1:
        return parts[0]
    main = pd.concat([p.main for p in parts], ignore_index=True)
    names = list(dict.fromkeys(n for p in parts for n in p.repeats))
    reps = {n: pd.concat([p.repeats[n] for p in parts if n in p.repeats], ignore_index=True)
            for n in names}
    probs = pd.concat([p.problems for p in parts], ignore_index=True)
    nr = [p.not_read for p in parts if len(p.not_read)]
    not_read = pd.concat(nr, ignore_index=True) if nr else empty_not_read()
    return Submissions(parts[0].form_id, main, reps, probs, not_read)
