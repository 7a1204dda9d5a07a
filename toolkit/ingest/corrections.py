"""Corrections and duplicate decisions, kept in one Excel workbook and re-applied on every run.

The field manager never edits the raw exports. Instead, the workbook
records each change, and every ``fieldeval ingest`` run applies it again to
fresh data (the iefieldkit ``iecorrect``/``ieduplicates`` discipline):

- sheet ``corrections`` (or the first sheet): ``key, field, old_value,
  new_value, reason, initials, date`` (Chinese headers 提交编号, 题目, 原值,
  新值, 原因, 更正人, 日期 also work). ``key`` is a submission KEY, or a
  repeat row KEY (``uuid:…/member[2]``) for a repeat question. A row is
  applied only when the data still hold ``old_value`` (compared as the
  question's type: numbers as numbers, dates as dates, text trimmed; blank
  matches blank); otherwise it is *refused* — the data changed since the
  correction was written, and someone must look again. Several rows on the
  same key and field apply in order (A→B, then B→C).
- sheet ``duplicates``: ``key, source_file, source_row, action, new_key,
  reason, initials, date`` with ``action`` keep / drop / new_id (保留 /
  剔除 / 改编号 also work). The copy is
  found by key and source row (and file when given); a decision whose copy
  is no longer there is refused. ``drop`` takes the copy out of validation:
  the pipeline keeps it, quarantined, with the reason.

``fieldeval ingest template corrections --out FILE`` writes the workbook
to fill in (:func:`write_template`), with a 说明 sheet documenting every
column, the allowed actions and an example row.

Each application returns an audit table: one row per log row with
``status`` applied / refused, ``before`` and ``after`` values and why.
Work is vectorised per field (one lookup, one comparison, one assignment
for all rows of the log on that field).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import UserError
from toolkit.ingest.files import ENGINE
from toolkit.forms.model import Form
from toolkit.i18n import t
from toolkit.ingest.model import Submissions, as_text, to_datetime, to_number, type_column

CORRECTION_COLUMNS = ("key", "field", "old_value", "new_value", "reason", "initials", "date")
DUPLICATE_COLUMNS = ("key", "source_file", "source_row", "action", "new_key", "reason", "initials", "date")
AUDIT_COLUMNS = ("sheet", "row", "key", "field", "old_value", "new_value", "before", "after", "status",
                 "why", "reason", "initials", "date")
ALIASES = {
    "key": ("key", "KEY", "提交编号", "编号"), "field": ("field", "question", "题目", "变量", "字段"),
    "old_value": ("old_value", "old value", "old", "原值"), "new_value": ("new_value", "new value", "new", "新值"),
    "reason": ("reason", "原因", "理由"), "initials": ("initials", "by", "更正人", "签名"),
    "date": ("date", "日期"), "source_file": ("source_file", "file", "来源文件"),
    "source_row": ("source_row", "row", "来源行号", "行号"), "action": ("action", "decision", "处理", "决定"),
    "new_key": ("new_key", "new id", "new_id", "新编号"),
}


def _normalise_headers(df: pd.DataFrame, wanted: tuple[str, ...], path: str) -> pd.DataFrame:
    rename = {}
    for c in df.columns:
        cs = str(c).strip()
        for canon, names in ALIASES.items():
            if cs in names or cs.lower() in names:
                rename[c] = canon
    df = df.rename(columns=rename)
    need = [c for c in wanted if c in ("key", "field", "old_value", "new_value", "action")]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise UserError("ingest.corrections.missing_columns", path=path, missing=", ".join(missing))
    for c in wanted:
        if c not in df.columns:
            df[c] = None
    df = df[list(wanted)].copy()
    df.insert(0, "_row", np.arange(2, len(df) + 2))
    return df.dropna(how="all", subset=[c for c in wanted if c in ("key", "field", "action")])


def read_log(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(corrections, duplicate decisions) from the workbook (either may be empty)."""
    p = Path(path)
    if not p.exists():
        raise UserError("common.file_not_found", path=str(p))
    try:
        sheets = pd.read_excel(p, sheet_name=None, dtype=object, engine=ENGINE)
    except Exception as e:  # noqa: BLE001 - any unreadable workbook is the user's to fix
        raise UserError("ingest.unreadable", path=str(p), detail=str(e).splitlines()[0]) from None
    names = list(sheets)
    corr_name = next((n for n in names if n.lower() in ("corrections", "更正")), names[0] if names else None)
    dup_name = next((n for n in names if n.lower() in ("duplicates", "重复")), None)
    corr = (_normalise_headers(sheets[corr_name], CORRECTION_COLUMNS, str(p))
            if corr_name is not None and corr_name != dup_name else empty_log(CORRECTION_COLUMNS))
    dup = _normalise_headers(sheets[dup_name], DUPLICATE_COLUMNS, str(p)) if dup_name else \
        empty_log(DUPLICATE_COLUMNS)
    return corr, dup


def empty_log(columns: tuple[str, ...]) -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    out.insert(0, "_row", pd.Series(dtype="int64"))
    return out


ACTION_WORDS = {"保留": "keep", "留下": "keep", "剔除": "drop", "删除": "drop", "去掉": "drop",
                "改编号": "new_id", "新编号": "new_id", "换编号": "new_id"}
"""Chinese words accepted for a duplicate decision (besides keep / drop / new_id)."""

_TEMPLATE_HEADERS = {  # canonical column: (zh header, en header); both are in ALIASES
    "key": ("提交编号", "key"), "field": ("题目", "field"), "old_value": ("原值", "old value"),
    "new_value": ("新值", "new value"), "reason": ("原因", "reason"), "initials": ("更正人", "by"),
    "date": ("日期", "date"), "source_file": ("来源文件", "source_file"), "source_row": ("来源行号", "source_row"),
    "action": ("处理", "action"), "new_key": ("新编号", "new_key"),
}
_SHEETS = {"corrections": ("更正", "corrections"), "duplicates": ("重复", "duplicates"), "about": ("说明", "about"), "rules": ("规则", "rules"),
           "example_corrections": ("更正示例", "example corrections"),
           "example_duplicates": ("重复示例", "example duplicates")}


def write_template(path: str | Path, lang: str = "zh") -> Path:
    """The corrections workbook to fill in: sheet 更正 (corrections) and 重复
    (duplicates) with their headers and no rows, sheet 说明 (about)
    documenting every column with an example row of each sheet, and sheet 规则
    (rules: how rows are applied, the allowed actions), and one example row
    of each sheet under its own headers (更正示例, 重复示例). :func:`read_log`
    reads it back as it is (only 更正 and 重复 are read). Written through toolkit.tables (atomic, neutralised)."""
    from toolkit.tables import write_workbook

    i = 0 if lang == "zh" else 1

    def head(cols: tuple[str, ...]) -> list[str]:
        return [_TEMPLATE_HEADERS[c][i] for c in cols]

    rows = []
    for sheet, cols in (("corrections", CORRECTION_COLUMNS), ("duplicates", DUPLICATE_COLUMNS)):
        for c in cols:
            rows.append((_SHEETS[sheet][i], _TEMPLATE_HEADERS[c][i], t(f"paper.corrections.col.{c}", lang),
                         t(f"paper.corrections.example.{sheet}.{c}", lang)))
    about = pd.DataFrame(rows, columns=[t(f"paper.corrections.about.{k}", lang)
                                        for k in ("sheet", "column", "meaning", "example")])
    notes = pd.DataFrame({t("paper.corrections.about.rules", lang): [
        t(f"paper.corrections.rule.{k}", lang) for k in ("replay", "old_value", "order", "actions", "drop",
                                                           "new_id", "never_raw")]})
    return write_workbook(path, {
        _SHEETS["corrections"][i]: pd.DataFrame(columns=head(CORRECTION_COLUMNS)),
        _SHEETS["duplicates"][i]: pd.DataFrame(columns=head(DUPLICATE_COLUMNS)),
        _SHEETS["about"][i]: about,
        _SHEETS["rules"][i]: notes,
        **{_SHEETS[f"example_{sheet}"][i]: pd.DataFrame(
            [[t(f"paper.corrections.example.{sheet}.{c}", lang) for c in cols]], columns=head(cols))
           for sheet, cols in (("corrections", CORRECTION_COLUMNS), ("duplicates", DUPLICATE_COLUMNS))}},
        freeze=True)


# ----------------------------------------------------------------- comparing values

def _same(current: pd.Series, logged: pd.Series, qtype: str) -> np.ndarray:
    """Does each logged old value equal the current value (as the question's type)?"""
    cur_blank = current.isna().to_numpy()
    log_txt = as_text(logged)
    log_blank = log_txt.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(current.dtype):
        lv, _ = to_datetime(logged.reset_index(drop=True))
        cv = current.reset_index(drop=True)
        date_only = qtype in ("date", "today")
        if date_only:
            lv, cv = lv.dt.normalize(), cv.dt.normalize()
        eq = (lv.to_numpy() == cv.to_numpy())
    elif pd.api.types.is_numeric_dtype(current.dtype):
        lv, _ = to_number(logged.reset_index(drop=True))
        eq = np.isclose(lv.to_numpy(dtype=float), current.to_numpy(dtype=float), rtol=0, atol=1e-9)
    else:
        cur_txt = as_text(current.reset_index(drop=True))
        if qtype == "select_multiple":
            norm = lambda s: s.fillna("").map(lambda v: " ".join(sorted(v.split())))  # noqa: E731
            eq = (norm(cur_txt) == norm(log_txt.reset_index(drop=True))).to_numpy()
        else:
            eq = (cur_txt.fillna("").to_numpy() == log_txt.reset_index(drop=True).fillna("").to_numpy())
    return np.where(cur_blank | log_blank, cur_blank & log_blank, eq)


def _text(s: pd.Series) -> np.ndarray:
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s.astype(str).where(s.notna(), "").to_numpy(dtype=object)
    return as_text(s).fillna("").to_numpy(dtype=object)


# ----------------------------------------------------------------- corrections

def apply_corrections(subs: Submissions, form: Form, log: pd.DataFrame,
                      lang: str = "zh") -> tuple[Submissions, pd.DataFrame]:
    """Apply the corrections log; (corrected submissions, audit)."""
    if not len(log):
        return subs, pd.DataFrame(columns=list(AUDIT_COLUMNS))
    frames = {"": subs.main.copy(), **{k: v.copy() for k, v in subs.repeats.items()}}
    qs = form.by_name()
    log = log.copy()
    log["key"] = as_text(log["key"])
    log["field"] = as_text(log["field"])
    log["_round"] = log.groupby([log["key"].fillna(""), log["field"].fillna("")]).cumcount()
    audit_parts = []
    for rnd in range(int(log["_round"].max()) + 1):
        for field, grp in log[log["_round"] == rnd].groupby(log["field"].fillna(""), sort=False):
            audit_parts.append(_apply_field(frames, qs, field, grp, lang))
    audit = pd.concat(audit_parts, ignore_index=True).sort_values("row", kind="stable")
    audit.insert(0, "sheet", "corrections")
    reps = {k: v for k, v in frames.items() if k}
    return replace(subs, main=frames[""], repeats=reps), audit[list(AUDIT_COLUMNS)].reset_index(drop=True)


def _apply_field(frames: dict[str, pd.DataFrame], qs: dict, field: str, grp: pd.DataFrame,
                 lang: str) -> pd.DataFrame:
    audit = pd.DataFrame({"row": grp["_row"].to_numpy(), "key": grp["key"].to_numpy(), "field": field,
                          "old_value": _text(grp["old_value"]), "new_value": _text(grp["new_value"]),
                          "before": "", "after": "", "status": "refused", "why": "",
                          "reason": grp["reason"].to_numpy(), "initials": grp["initials"].to_numpy(),
                          "date": _text(grp["date"])})
    q = qs.get(field)
    level = q.repeat if q is not None else ""
    frame = frames.get(level)
    col = field if frame is not None and field in frame.columns else None
    if q is None or col is None:
        audit["why"] = t("ingest.corrections.no_field", lang)
        return audit
    keys = frame["KEY"].to_numpy(dtype=object)
    lookup = pd.Series(np.arange(len(frame)), index=keys)
    dup_keys = set(lookup.index[lookup.index.duplicated()])
    lookup = lookup[~lookup.index.duplicated()]
    pos = lookup.reindex(grp["key"].to_numpy()).to_numpy()
    found = ~np.isnan(pos.astype(float))
    ambiguous = grp["key"].isin(dup_keys).to_numpy()
    p = np.where(found, pos, 0).astype(np.intp)
    current = frame[col].iloc[p].reset_index(drop=True)
    audit["before"] = np.where(found, _text(current), "")
    same = _same(current, grp["old_value"].reset_index(drop=True), q.type) & found
    new_typed, bad_new = type_column(q, grp["new_value"].reset_index(drop=True))
    new_col = new_typed[col] if col in new_typed else None
    ok = found & same & ~ambiguous & ~bad_new & (new_col is not None)
    why = np.where(~found, t("ingest.corrections.no_key", lang),
                   np.where(ambiguous, t("ingest.corrections.ambiguous", lang),
                            np.where(bad_new, t("ingest.rule.type", lang, type=q.type), "")))
    stale = found & ~ambiguous & ~same
    if stale.any():
        idx = np.flatnonzero(stale)
        msgs = [t("ingest.corrections.stale", lang, old=o, now=b)
                for o, b in zip(audit["old_value"].to_numpy()[idx], audit["before"].to_numpy()[idx])]
        why = why.astype(object)
        why[idx] = msgs
    audit["why"] = why
    if ok.any():
        target = p[ok]
        values = new_col.to_numpy()[ok]
        arr = frame[col].to_numpy(copy=True)
        if arr.dtype.kind == "M":
            arr = arr.astype("datetime64[ns]")
            values = np.asarray(values, dtype="datetime64[ns]")
        arr[target] = values
        frame[col] = pd.Series(arr, index=frame.index, dtype=frame[col].dtype)
        audit.loc[ok, "status"] = "applied"
        audit.loc[ok, "after"] = _text(pd.Series(values, dtype=new_col.dtype))
    return audit


# ----------------------------------------------------------------- duplicates

def apply_duplicates(subs: Submissions, decisions: pd.DataFrame,
                     lang: str = "zh") -> tuple[Submissions, pd.DataFrame, pd.DataFrame]:
    """Apply keep/drop/new_id decisions: (submissions left, dropped rows, audit)."""
    main = subs.main.reset_index(drop=True)
    if not len(decisions):
        return subs, main.iloc[0:0].copy(), pd.DataFrame(columns=list(AUDIT_COLUMNS))
    d = decisions.reset_index(drop=True)
    action = as_text(d["action"]).fillna("").str.lower().str.replace("-", "_").to_numpy()
    action = np.where(action == "newid", "new_id", action)
    action = np.array([ACTION_WORDS.get(a.strip(), a.strip()) for a in action], dtype=object)
    key = as_text(d["key"]).fillna("").to_numpy()
    srow = pd.to_numeric(d["source_row"], errors="coerce").to_numpy()
    sfile = as_text(d["source_file"]).to_numpy()
    # the copy: same key and source row (and file when given)
    ident = pd.DataFrame({"KEY": main["KEY"].to_numpy(), "source_row": main["source_row"].to_numpy(dtype=float),
                          "pos": np.arange(len(main))})
    want = pd.DataFrame({"KEY": key, "source_row": srow, "i": np.arange(len(d))})
    hits = want.merge(ident, on=["KEY", "source_row"], how="left")
    if np.any(pd.notna(sfile)):
        files = main["source_file"].to_numpy()
        fok = hits["pos"].isna() | pd.isna(sfile[hits["i"].to_numpy()]) | (
            files[hits["pos"].fillna(0).astype(int).to_numpy()] == sfile[hits["i"].to_numpy()])
        hits = hits[fok.to_numpy()]
    hits = hits.drop_duplicates("i").set_index("i").reindex(np.arange(len(d)))
    pos = hits["pos"].to_numpy(dtype=float)
    found = ~np.isnan(pos)
    valid_action = np.isin(action, ["keep", "drop", "new_id"])
    new_key = as_text(d["new_key"]).to_numpy()
    existing = set(main["KEY"].dropna())
    need_new = action == "new_id"
    bad_new = need_new & (pd.isna(new_key) | np.isin(new_key.astype(str), list(existing)))
    ok = found & valid_action & ~bad_new
    why = np.where(~valid_action, t("ingest.corrections.bad_action", lang),
                   np.where(~found, t("ingest.corrections.no_copy", lang),
                            np.where(bad_new, t("ingest.corrections.no_new_id", lang), "")))
    p = np.where(found, pos, 0).astype(np.intp)
    keys = main["KEY"].to_numpy(dtype=object).copy()
    rename = ok & need_new
    keys[p[rename]] = new_key[rename]
    main["KEY"] = keys
    drop = np.zeros(len(main), dtype=bool)
    drop[p[ok & (action == "drop")]] = True
    dropped = main.loc[drop].copy()
    kept = main.loc[~drop].reset_index(drop=True)
    audit = pd.DataFrame({"sheet": "duplicates", "row": d["_row"].to_numpy(), "key": key, "field": "KEY",
                          "old_value": key, "new_value": np.where(need_new, new_key, action),
                          "before": key, "after": np.where(ok & need_new, new_key, np.where(ok, key, "")),
                          "status": np.where(ok, "applied", "refused"), "why": why,
                          "reason": d["reason"].to_numpy(), "initials": d["initials"].to_numpy(),
                          "date": _text(d["date"])})
    return replace(subs, main=kept), dropped, audit[list(AUDIT_COLUMNS)]
