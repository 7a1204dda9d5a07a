"""Submissions written in each platform's export shape, and labelled SPSS/Stata files.

The platform writers (``write_odk_csv``, ``write_odk_zip``, ``write_kobo_xlsx``,
``write_plain_xlsx``) produce what ODK Central, KoboToolbox and our plain
workbook look like (see the module docs of toolkit.ingest.odk, .kobo and
.plain for the shapes and their sources): the test fixtures and the
benchmark data are made with them from toolkit.synthetic_answers. The SPSS
and Stata writers are also the ``fieldeval export`` formats:

- variable labels are the form's question labels (Chinese by default);
- a select_one is a numeric code with value labels: the choice name itself
  when every name of the list is a whole number (``sat5``: 1-5, 8, 9), else
  the 1-based position in the list; don't-know/refusal codes (8/9, 98/99)
  are declared user-missing in .sav;
- a select_multiple is its space-separated text plus one 0/1 dummy per
  choice (``<name>_<choice>``, blank when unanswered) labelled with the choice;
- dates are SPSS/Stata date-times; .dta is version 14 or later (UTF-8).
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from toolkit.forms.model import Form, Question
from toolkit.ingest.model import GEO_PARTS, META_COLUMNS, Submissions, value_questions
from toolkit.tables import atomic_path, neutralise

DK_NAMES = re.compile(r"^(8|9|98|99|-8|-9|-98|-99|dk|dont_?know|refuse[ds]?|refusal|no_answer)$", re.I)


# ----------------------------------------------------------------- cells as text

def _num_text(s: pd.Series) -> pd.Series:
    x = s.to_numpy(dtype=float, na_value=np.nan)
    ints = np.isfinite(x) & (np.mod(x, 1) == 0)
    out = np.where(ints, np.char.mod("%d", np.where(ints, x, 0).astype(np.int64)).astype(object),
                   np.char.mod("%.10g", np.nan_to_num(x)).astype(object))
    return pd.Series(np.where(np.isnan(x), "", out), index=s.index, dtype=object)


def text_cells(s: pd.Series, qtype: str = "", *, zone: str = "+08:00") -> pd.Series:
    """A typed column as export text: numbers without '.0', dates ISO, blanks ''."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if qtype in ("date", "today"):
            out = s.dt.strftime("%Y-%m-%d")
        else:
            out = s.dt.strftime("%Y-%m-%dT%H:%M:%S.000") + zone
        return out.astype(object).where(s.notna(), "")
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return _num_text(s)
    return s.astype(object).where(s.notna(), "").astype(object)


def _geo_text(frame: pd.DataFrame, name: str) -> pd.Series:
    parts = [_num_text(frame[f"{name}_{p}"]) for p in GEO_PARTS]
    out = parts[0] + " " + parts[1] + " " + parts[2] + " " + parts[3]
    return out.where(frame[f"{name}_latitude"].notna(), "")


def _onehot(frame: pd.DataFrame, q: Question, form: Form) -> dict[str, pd.Series]:
    """0/1 per choice of a select_multiple, blank where unanswered."""
    s = frame[q.name]
    answered = s.notna().to_numpy()
    codes, uniq = pd.factorize(s)
    out = {}
    for c in form.choices.get(q.list_name, ()):
        hit_u = np.array([c.name in str(u).split() for u in uniq], dtype=bool)
        hit = np.where(codes >= 0, hit_u[np.maximum(codes, 0)] if len(uniq) else False, False)
        out[c.name] = pd.Series(np.where(answered, hit.astype(float), np.nan), index=frame.index)
    return out


# ----------------------------------------------------------------- ODK Central

def _odk_value_columns(frame: pd.DataFrame, form: Form, repeat: str, depth: int,
                       onehot: bool) -> dict[str, pd.Series]:
    """ODK Central's answer columns for one level: group path joined with "-"
    (the first ``depth`` parts dropped inside a repeat), geopoint split in four,
    optional one-hot ``head/choice`` columns for select_multiple."""
    cols: dict[str, pd.Series] = {}
    for q in value_questions(form, repeat):
        head = "-".join((*q.path[depth:], q.name))
        if q.type == "geopoint":
            for p in GEO_PARTS:
                cols[f"{head}-{p.capitalize()}"] = _num_text(frame[f"{q.name}_{p}"])
            continue
        cols[head] = text_cells(frame[q.name], q.type)
        if q.type == "select_multiple" and onehot:
            for c, v in _onehot(frame, q, form).items():
                cols[f"{head}/{c}"] = _num_text(v)
    return cols


def _odk_root(subs: Submissions, form: Form, onehot: bool) -> pd.DataFrame:
    m = subs.main
    n = len(m)
    cols: dict[str, pd.Series] = {"SubmissionDate": text_cells(
        m["submitted_at"] - pd.Timedelta(hours=8), "datetime", zone="Z")}
    cols.update(_odk_value_columns(m, form, "", 0, onehot))
    cols["meta-instanceID"] = m["KEY"]
    cols["KEY"] = m["KEY"]
    cols["SubmitterID"] = pd.Series(["5"] * n, dtype=object)
    cols["SubmitterName"] = m["enumerator"].fillna("")
    cols["AttachmentsPresent"] = pd.Series(["0"] * n, dtype=object)
    cols["AttachmentsExpected"] = pd.Series(["0"] * n, dtype=object)
    cols["Status"] = pd.Series([""] * n, dtype=object)
    cols["ReviewState"] = pd.Series([""] * n, dtype=object)
    cols["DeviceID"] = m["device_id"].fillna("")
    cols["Edits"] = pd.Series(["0"] * n, dtype=object)
    cols["FormVersion"] = m["form_version"].fillna("")
    return pd.DataFrame(cols)


def _odk_repeat(subs: Submissions, form: Form, name: str, onehot: bool) -> pd.DataFrame:
    r = subs.repeats[name]
    g = next(g for g in form.repeats if g.name == name)
    depth = len(g.path) + 1
    cols = _odk_value_columns(r, form, name, depth, onehot)
    cols["PARENT_KEY"] = r["PARENT_KEY"]
    cols["KEY"] = r["KEY"]
    return pd.DataFrame(cols, index=r.index)


def write_odk_csv(subs: Submissions, form: Form, path: str | Path, *, onehot: bool = False) -> Path:
    """The root table of an ODK Central export (``<form_id>.csv``)."""
    p = Path(path)
    _odk_root(subs, form, onehot).to_csv(p, index=False, encoding="utf-8")
    return p


def write_odk_repeat_csv(subs: Submissions, form: Form, name: str, path: str | Path) -> Path:
    p = Path(path)
    _odk_repeat(subs, form, name, False).to_csv(p, index=False, encoding="utf-8")
    return p


def write_odk_zip(subs: Submissions, form: Form, path: str | Path, *, onehot: bool = False) -> Path:
    """The zip of an ODK Central export: root CSV plus ``<form_id>-<repeat>.csv`` files."""
    p = Path(path)
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        buf = io.StringIO()
        _odk_root(subs, form, onehot).to_csv(buf, index=False)
        zf.writestr(f"{form.form_id}.csv", buf.getvalue())
        for g in form.repeats:
            if g.name in subs.repeats:
                buf = io.StringIO()
                _odk_repeat(subs, form, g.name, onehot).to_csv(buf, index=False)
                zf.writestr(f"{form.form_id}-{g.name}.csv", buf.getvalue())
    return p


# ----------------------------------------------------------------- KoboToolbox

def _kobo_cell(s: pd.Series, qtype: str) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return text_cells(s, qtype)
    if pd.api.types.is_numeric_dtype(s.dtype):
        return s.astype(object).where(s.notna(), None)
    return s.astype(object).where(s.notna(), None)


def _kobo_questions(frame: pd.DataFrame, form: Form, level: str) -> dict[str, pd.Series]:
    cols: dict[str, pd.Series] = {}
    for q in value_questions(form, level):
        head = "/".join((*q.path, q.name)) if q.type not in ("start", "end", "today", "deviceid") else q.name
        if q.type == "geopoint":
            cols[head] = _geo_text(frame, q.name).where(frame[f"{q.name}_latitude"].notna(), None)
            for p in GEO_PARTS:
                kp = "precision" if p == "accuracy" else p
                cols[f"_{head}_{kp}"] = frame[f"{q.name}_{p}"].astype(object).where(
                    frame[f"{q.name}_{p}"].notna(), None)
            continue
        cols[head] = _kobo_cell(frame[q.name], q.type)
        if q.type == "select_multiple":
            for c, v in _onehot(frame, q, form).items():
                cols[f"{head}/{c}"] = v.astype(object).where(v.notna(), None)
    return cols


def write_kobo_xlsx(subs: Submissions, form: Form, path: str | Path) -> Path:
    """A KoboToolbox XLS(X) export: main sheet, then one sheet per repeat."""
    p = Path(path)
    m = subs.main
    n = len(m)
    cols = _kobo_questions(m, form, "")
    uuid = m["KEY"].astype(str).str.replace("uuid:", "", regex=False)
    cols.update({
        "__version__": m["form_version"], "meta/instanceID": m["KEY"],
        "_id": pd.Series(np.arange(100001, 100001 + n)), "_uuid": uuid,
        "_submission_time": m["submitted_at"].dt.strftime("%Y-%m-%dT%H:%M:%S"),
        "_validation_status": pd.Series([None] * n, dtype=object), "_notes": pd.Series([None] * n, dtype=object),
        "_status": pd.Series(["submitted_via_web"] * n, dtype=object),
        "_submitted_by": m["enumerator"], "_tags": pd.Series([None] * n, dtype=object),
        "_index": pd.Series(np.arange(1, n + 1)),
    })
    main_sheet = form.form_id[:31]
    index_of: dict[str, pd.Series] = {"": pd.Series(np.arange(1, n + 1), index=m["KEY"].to_numpy())}
    sheets = {main_sheet: pd.DataFrame(cols)}
    sheet_of = {"": main_sheet}
    names = {g.name for g in form.repeats}
    for g in form.repeats:
        r = subs.repeats.get(g.name)
        if r is None:
            continue
        parent = ([x for x in g.path if x in names] or [""])[-1]
        rc = _kobo_questions(r, form, g.name)
        own = np.arange(1, len(r) + 1)
        rc["_index"] = pd.Series(own, index=r.index)
        rc["_parent_table_name"] = pd.Series([sheet_of.get(parent, main_sheet)] * len(r), index=r.index)
        rc["_parent_index"] = pd.Series(index_of[parent].reindex(r["PARENT_KEY"].to_numpy()).to_numpy(),
                                        index=r.index)
        root = r["KEY"].astype(str).str.split("/", n=1).str[0].str.replace("uuid:", "", regex=False)
        rc["_submission__uuid"] = root
        sheets[g.name[:31]] = pd.DataFrame(rc, index=r.index)
        sheet_of[g.name] = g.name[:31]
        index_of[g.name] = pd.Series(own, index=r["KEY"].to_numpy())
    with pd.ExcelWriter(p, engine="openpyxl") as xw:
        for name, df in sheets.items():
            df.to_excel(xw, sheet_name=name, index=False)
    return p


# ----------------------------------------------------------------- plain workbook

def plain_frames(subs: Submissions, form: Form, headers: str = "name",
                 lang: str | None = None) -> dict[str, pd.DataFrame]:
    """{sheet: frame} of the plain workbook: sheet 1 submissions, one sheet per repeat."""
    def rename(frame: pd.DataFrame, level: str) -> pd.DataFrame:
        if headers != "label":
            return frame
        mapping = {q.name: form.label(q, lang) or q.name for q in value_questions(form, level)
                   if q.type != "geopoint"}
        return frame.rename(columns=mapping)

    main = subs.main.drop(columns=[c for c in ("source_platform", "source_file", "source_row")
                                   if c in subs.main.columns])
    out = {"submissions": rename(main, "")}
    for g in form.repeats:
        if g.name in subs.repeats:
            r = subs.repeats[g.name].drop(columns=[c for c in ("_status",) if c in subs.repeats[g.name]])
            out[g.name[:31]] = rename(r, g.name)
    return out


def write_plain_xlsx(subs: Submissions, form: Form, path: str | Path, *, headers: str = "name",
                     lang: str | None = None) -> Path:
    """The fieldeval plain workbook (typed cells; text neutralised against formulas)."""
    p = Path(path)
    with atomic_path(p) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xw:
        for name, df in plain_frames(subs, form, headers, lang).items():
            neutralise(df).to_excel(xw, sheet_name=name, index=False)
    return p


# ----------------------------------------------------------------- SPSS / Stata

def choice_codes(form: Form, list_name: str) -> dict[str, int]:
    """{choice name: numeric code} (the name when all names are whole numbers)."""
    names = [c.name for c in form.choices.get(list_name, ())]
    if names and all(re.fullmatch(r"-?\d+", n) for n in names):
        return {n: int(n) for n in names}
    return {n: i for i, n in enumerate(names, start=1)}


_BAD_NAME = re.compile(r"[^A-Za-z0-9_]")


def _safe_name(name: str, limit: int) -> str:
    s = _BAD_NAME.sub("_", name)
    if not re.match(r"[A-Za-z]", s):
        s = "v" + s
    return s[:limit]


def labelled_frame(frame: pd.DataFrame, form: Form, level: str, lang: str | None = "zh", *,
                   name_limit: int = 64) -> tuple[pd.DataFrame, dict, dict, dict]:
    """(data, variable labels, value labels, user-missing codes) for SPSS/Stata writing."""
    qs = {q.name: q for q in value_questions(form, level)}
    data: dict[str, pd.Series] = {}
    var_labels: dict[str, str] = {}
    val_labels: dict[str, dict] = {}
    missing: dict[str, list] = {}
    meta_labels = {"KEY": "提交编号 KEY", "PARENT_KEY": "所属提交 PARENT_KEY", "index": "序号 index",
                   "form_version": "问卷版本", "submitted_at": "提交时间", "enumerator": "访员",
                   "device_id": "设备", "source_platform": "来源平台", "source_file": "来源文件",
                   "source_row": "来源行号", "_status": "核验状态"}
    for c in frame.columns:
        s = frame[c]
        base = c.rsplit("_", 1)[0] if c.rsplit("_", 1)[-1] in GEO_PARTS else c
        q = qs.get(c) or (qs.get(base) if base in qs and qs[base].type == "geopoint" else None)
        name = _safe_name("ingest_status" if c == "_status" else c, name_limit)
        if q is None:
            data[name] = s if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)) \
                else s.astype(object).where(s.notna(), "")
            var_labels[name] = meta_labels.get(c, c)
            continue
        label = form.label(q, lang) or q.name
        if q.type == "geopoint":
            data[name] = s
            var_labels[name] = f"{label} ({c.rsplit('_', 1)[-1]})"
        elif q.type == "select_one":
            codes = choice_codes(form, q.list_name)
            data[name] = s.map(codes).astype(float)
            val_labels[name] = {float(v): form.label(ch, lang) or ch.name
                                for ch in form.choices.get(q.list_name, ()) for v in [codes[ch.name]]}
            var_labels[name] = label
            dk = [float(codes[ch]) for ch in codes if DK_NAMES.match(ch)]
            if dk:
                missing[name] = dk[:3]
        elif q.type == "select_multiple":
            data[name] = s.astype(object).where(s.notna(), "")
            var_labels[name] = label
            for ch_name, v in _onehot(frame, q, form).items():
                ch = next(x for x in form.choices[q.list_name] if x.name == ch_name)
                dn = _safe_name(f"{c}_{ch_name}", name_limit)
                data[dn] = v
                var_labels[dn] = f"{label}：{form.label(ch, lang) or ch_name}"
                val_labels[dn] = {0.0: "否", 1.0: "是"} if (lang or "zh") == "zh" else {0.0: "no", 1.0: "yes"}
        elif s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            data[name] = s.astype(object).where(s.notna(), "")
            var_labels[name] = label
        else:
            data[name] = s
            var_labels[name] = label
    return pd.DataFrame(data, index=frame.index), var_labels, val_labels, missing


def write_sav(frame: pd.DataFrame, form: Form, path: str | Path, *, level: str = "",
              lang: str | None = "zh") -> Path:
    """One table (main or a repeat) as a labelled SPSS .sav (UTF-8)."""
    p = Path(path)
    data, vl, vals, miss = labelled_frame(frame, form, level, lang)
    with atomic_path(p) as tmp:
        pyreadstat.write_sav(data, str(tmp), column_labels=vl, variable_value_labels=vals,
                             missing_ranges=miss or None, file_label=form.title[:64])
    return p


def write_dta(frame: pd.DataFrame, form: Form, path: str | Path, *, level: str = "",
              lang: str | None = "zh", version: int = 14) -> Path:
    """One table as a labelled Stata .dta (version 14+, i.e. dta 118, UTF-8)."""
    p = Path(path)
    data, vl, vals, _ = labelled_frame(frame, form, level, lang, name_limit=32)
    vl = {k: v[:80] for k, v in vl.items()}
    for k in vals:
        data[k] = data[k].astype(float)
    with atomic_path(p) as tmp:
        pyreadstat.write_dta(data, str(tmp), column_labels=vl, variable_value_labels=vals,
                             version=max(14, version), file_label=form.title[:80])
    return p


__all__ = ["META_COLUMNS", "choice_codes", "labelled_frame", "plain_frames", "text_cells",
           "write_dta", "write_kobo_xlsx", "write_odk_csv", "write_odk_repeat_csv", "write_odk_zip",
           "write_plain_xlsx", "write_sav"]
