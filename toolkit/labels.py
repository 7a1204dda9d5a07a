"""Words for codes: what a person reads instead of ``household_size``, ``accident`` or ``True``.

One job: turn the toolkit's codes into words in zh or en, on whole columns.

* :func:`field_label` — a compared field or visit column: the i18n catalogue
  (``labels.field.<name>``; the zh word of a roster field is its header in
  toolkit.roster.schema), else the household questionnaire's label
  (``label::zh``/``label::en``), else the name with spaces.
* :func:`value_words` — the values of a compared field or a visit question in
  the form's choice labels, so both sides of a comparison read alike: the
  archive's Chinese text (深度困难) and the visit's code (``deep``) both become
  the choice label (深度困难 / "Deep hardship" as the form says); numbers
  without a trailing ``.0``; free text unchanged.
* :func:`finding_names`, :func:`verdict_words` — finding names and verdicts
  from the catalogue (``report.finding.*``, ``labels.verdict.*``).
* :func:`rule_sentences` — each evidence row's rule as a sentence with its
  numbers ("已脱困但核实收入 845.83 元 ≤ 低保 880 元"), from the evidence's
  number columns (toolkit.verify.findings.EVIDENCE_COLUMNS), never by parsing
  the audit ``rule`` text.
* :func:`yes_no`, :func:`marks`, :func:`percent`, :func:`number_text`,
  :func:`date_text` — booleans as words or ✓/✗, fractions with %, numbers,
  dates in the locale's form (2026年11月30日 / 30 Nov 2026).

Everything works on pandas columns: a dictionary lookup or string
concatenation per column, a loop only over the few distinct codes or
sentence templates, never over rows.
"""
from __future__ import annotations

import string
from functools import lru_cache

import numpy as np
import pandas as pd

from toolkit.i18n import LANGS, catalog, check_lang, t

MISMATCH = "archive_mismatch:"


# --- the questionnaire ----------------------------------------------------------------------------
@lru_cache(maxsize=1)
def household_form():  # noqa: ANN201 - toolkit.forms.Form
    """The shipped household questionnaire, read once per process (≈0.3 s)."""
    from toolkit.forms import read_xlsform
    from toolkit.questionnaires import path

    return read_xlsform(path("household_visit.xlsx"))


def _question(name: str):  # noqa: ANN202 - Question or None
    try:
        return household_form().by_name().get(name)
    except Exception:  # noqa: BLE001 - an unreadable form only costs the words, never the page
        return None


# --- fields ---------------------------------------------------------------------------------------
def field_label(name: str, lang: str = "zh") -> str:
    """A field or visit column in words (module doc): catalogue, questionnaire, then the name."""
    name = str(name)
    key = f"labels.field.{name}"
    if key in catalog():
        return t(key, lang)
    q = _question(name)
    if q is not None:
        label = household_form().label(q, check_lang(lang))
        if label:
            return label
    return name.replace("_", " ")


def field_labels(names: pd.Series, lang: str = "zh") -> pd.Series:
    """:func:`field_label` of a column (one lookup per distinct name)."""
    u = pd.unique(names.astype(str))
    return names.astype(str).map({n: field_label(n, lang) for n in u})


# --- values ---------------------------------------------------------------------------------------
def _pair(name: str):  # noqa: ANN202 - FieldPair or None
    from toolkit.verify.findings import PAIRS

    return next((p for p in PAIRS if p.name == name), None)


@lru_cache(maxsize=64)
def _choice_map(field: str, lang: str) -> tuple[tuple[str, str], ...]:
    """(value as written → words) for a compared field or a select question."""
    from toolkit.verify.findings import _B_ITEMS

    p = _pair(field)
    qname = _B_ITEMS[p.visit][1] if p is not None and p.visit in _B_ITEMS else field
    q = _question(qname)
    out: dict[str, str] = {}
    if q is not None and q.is_select:
        f = household_form()
        words = f.choice_labels(q.list_name, lang)
        zh = f.choice_labels(q.list_name, "zh")
        out.update({zh[c]: w for c, w in words.items() if zh.get(c)})     # 自有住房 → Own home
        if p is not None:
            out.update({a: words[c] for a, c in p.value_map if c in words})  # roster text → words
        out.update(words)                                                   # code → words
    if p is not None and p.exclude:
        same = household_form().choice_labels("same_diff", lang) if _question("category_check") is not None else {}
        out["unknown"] = same.get("unknown") or t("labels.unknown", lang)  # B items' 无法核实
    return tuple(out.items())


def value_words(values: pd.Series, field: str, lang: str = "zh") -> pd.Series:
    """Values of one field in words (module doc); blanks become ''."""
    lang = check_lang(lang)
    p = _pair(field)
    q = _question(field)
    numeric = (p is not None and p.kind == "number") or (q is not None and q.is_numeric)
    if numeric:
        return number_text(values)
    return map_words(values, _lookup(field, lang))


@lru_cache(maxsize=64)
def _lookup(field: str, lang: str) -> tuple[pd.Index, np.ndarray]:
    items = _choice_map(field, lang)
    return pd.Index([k for k, _ in items], dtype=object), np.asarray([v for _, v in items] + [""], dtype=object)


def _texts(values: pd.Series | np.ndarray) -> np.ndarray:
    """Values as an object array of str, '' for blanks (numpy, no pandas string ops)."""
    a = np.asarray(values, dtype=object)
    blank = pd.isna(a)
    return np.where(blank, "", a.astype(str)).astype(object)


def map_words(values: pd.Series, words: dict[str, str] | tuple[pd.Index, np.ndarray]) -> pd.Series:
    """Each value's words from ``words`` (one hash lookup for the column); a
    value not in it stays as written (free text), a blank becomes ''."""
    index = values.index if isinstance(values, pd.Series) else None
    keys, vals = words if isinstance(words, tuple) else \
        (pd.Index(list(words), dtype=object), np.asarray([*words.values(), ""], dtype=object))
    txt = _texts(values)
    pos = keys.get_indexer(txt) if len(keys) else np.full(len(txt), -1)
    return pd.Series(np.where(pos >= 0, vals[pos], txt), index=index, dtype=object)


def number_text(values: pd.Series | np.ndarray, digits: int = 2) -> pd.Series:
    """Numbers rounded to ``digits`` with no trailing zeros ("880", "845.83"); '' for blanks."""
    s = pd.Series(values)
    x = np.round(pd.to_numeric(s, errors="coerce").to_numpy(dtype=float), digits)
    txt = np.char.mod(f"%.{digits}f", np.nan_to_num(x))
    if digits:
        txt = np.char.rstrip(np.char.rstrip(txt, "0"), ".")
    txt = np.where(txt == "-0", "0", txt).astype(object)
    return pd.Series(np.where(np.isnan(x), "", txt), index=s.index, dtype=object)


def percent(fraction: pd.Series | np.ndarray, digits: int = 1) -> pd.Series:
    """Fractions as percentages with a % sign ("12.5%"); '' for blanks."""
    x = pd.to_numeric(pd.Series(fraction), errors="coerce") * 100
    txt = number_text(x, digits)
    return txt.where(txt == "", txt + "%").astype(object)


def yes_no(flags: pd.Series, lang: str = "zh") -> pd.Series:
    """Booleans as 是/否 (Yes/No); '' for blanks."""
    b = pd.Series(flags).astype("boolean")
    return b.map({True: t("labels.yes", lang), False: t("labels.no", lang)}).fillna("").astype(object)


def marks(flags: pd.Series) -> pd.Series:
    """Booleans as ✓ / ✗; '' for blanks."""
    b = pd.Series(flags).astype("boolean")
    return b.map({True: "✓", False: "✗"}).fillna("").astype(object)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(values: pd.Series, lang: str = "zh", *, time: bool = False) -> pd.Series:
    """Dates in the locale's form: 2026年11月30日 / 30 Nov 2026 (with HH:MM when
    ``time``; times as stored, no zone conversion); '' for blanks."""
    d = pd.to_datetime(pd.Series(values), errors="coerce", utc=True, format="mixed")
    ok = d.notna()
    y = d.dt.year.astype("Int64").astype("string")
    m = d.dt.month.astype("Int64")
    day = d.dt.day.astype("Int64").astype("string")
    mon = pd.Series(np.asarray(_MONTHS, dtype=object)[(m.fillna(1) - 1).to_numpy(dtype=int)], index=d.index)
    out = fill(template("labels.date", lang), {"y": y, "m": m.astype("string"), "d": day, "mon": mon}, d.index)
    if time:
        hm = d.dt.strftime("%H:%M").astype("string")
        out = fill(template("labels.datetime", lang), {"date": out, "hm": hm}, d.index)
    return out.where(ok, "").astype(object)


# --- templates -------------------------------------------------------------------------------------
def template(key: str, lang: str = "zh") -> str:
    """The raw catalogue text of ``key`` (placeholders unfilled)."""
    pair = catalog().get(key)
    return pair[LANGS.index(check_lang(lang))] if pair else key


def fill(text: str, fields: dict[str, pd.Series], index: pd.Index) -> pd.Series:
    """``text`` with its ``{name}`` placeholders filled from columns, row by row
    but by whole-column string concatenation (an unknown field reads "…")."""
    out = np.full(len(index), "", dtype=object)
    for literal, name, _spec, _conv in string.Formatter().parse(text):
        out = out + literal
        if name is not None:
            v = fields.get(name)
            out = out + ("…" if v is None else np.where(pd.isna(np.asarray(v, dtype=object)), "…",
                                                         _texts(v)).astype(object))
    return pd.Series(out, index=index, dtype=object)


# --- findings -------------------------------------------------------------------------------------
def finding_name(finding: str, lang: str = "zh") -> str:
    """A finding in words: 错退（脱困后收入仍低于低保）, 档案信息不符：住房."""
    f = str(finding)
    if f.startswith(MISMATCH):
        return t("report.finding.archive_mismatch_field", lang, field=field_label(f[len(MISMATCH):], lang))
    key = f"report.finding.{f}"
    return t(key, lang) if key in catalog() else f.replace("_", " ")


def finding_names(findings: pd.Series, lang: str = "zh") -> pd.Series:
    """:func:`finding_name` of a column (one lookup per distinct finding)."""
    s = findings.astype(str)
    return s.map({f: finding_name(f, lang) for f in pd.unique(s)})


def verdict_words(verdicts: pd.Series, lang: str = "zh") -> pd.Series:
    """Verdicts (flagged / clear / confirmed / rejected / unclear, or booleans
    for flagged) in words."""
    s = pd.Series(verdicts)
    if s.dtype == bool or str(s.dtype) == "boolean":
        s = s.astype("boolean").map({True: "flagged", False: "clear"})
    s = s.astype("string")
    words = {v: t(f"labels.verdict.{v}", lang) for v in pd.unique(s.dropna()) if f"labels.verdict.{v}" in catalog()}
    return map_words(s, words)


def _col(ev: pd.DataFrame, name: str, dtype: str = "float") -> pd.Series:
    if name in ev:
        return ev[name]
    return pd.Series(np.nan if dtype == "float" else pd.NA, index=ev.index, dtype="float" if dtype == "float" else
                     dtype)


def _cases(ev: pd.DataFrame) -> pd.Series:
    """The sentence case of every evidence row (flagged / ok / exclusion / …)."""
    f = ev["finding"].astype(str).to_numpy(dtype=object)
    flag = ev["flagged"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    inc = pd.to_numeric(_col(ev, "income"), errors="coerce").to_numpy(dtype=float)
    th = pd.to_numeric(_col(ev, "threshold"), errors="coerce").to_numpy(dtype=float)
    months = pd.to_numeric(_col(ev, "months"), errors="coerce").to_numpy(dtype=float)
    excl = _col(ev, "exclusion", "boolean").astype("boolean").fillna(False).to_numpy(dtype=bool)
    with np.errstate(invalid="ignore"):
        over = inc >= th
    no_helper = ev["archive_value"].astype("string").eq("no helper on file").fillna(False).to_numpy(dtype=bool)
    ok = np.where(flag, "flagged", "ok")
    exclusion = np.where(np.isnan(inc) | np.isnan(th), "exclusion", "exclusion_income")
    case = np.select(
        [f == "wrong_inclusion", f == "missed_exit", f == "missed", f == "helper_missing",
         np.isin(f, ("wrong_exit", "cause_unconfirmed", "no_help_plan", "no_helper_contact", "payment_short"))],
        [np.where(excl, exclusion, np.where(flag, "over", np.where(over, "exit", "ok"))),
         np.where(flag, "flagged", np.where(excl, "exclusion", np.where(~over, "below",
                                                                       np.where(months >= 6, "judged", "months")))),
         np.where(flag, "flagged", np.where(excl, exclusion, "ok")),
         np.where(flag & no_helper, "none", ok),
         ok],
        "")
    key = np.where(case == "", np.where(flag, "labels.rule.other.flagged", "labels.rule.other.ok"),
                   "labels.rule." + f.astype(str) + "." + case.astype(str))
    return pd.Series(key, index=ev.index, dtype=object)


def rule_sentences(evidence: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """Each evidence row's rule as a sentence with its numbers (module doc).

    Archive comparisons say same / within tolerance / differs and how much that
    matters (the pair's type); verdicts fill ``{income}``/``{threshold}`` (yuan
    per person per month), ``{months}`` and the archive's main cause in words.
    Rows from results written before the number columns existed read
    "不详"/"unknown" for the missing numbers.
    """
    lang = check_lang(lang)
    ev = evidence
    out = pd.Series("", index=ev.index, dtype=object)
    if ev.empty:
        return out
    is_cmp = ev["finding"].astype(str).str.startswith(MISMATCH).to_numpy(dtype=bool)
    if is_cmp.any():
        c = ev[is_cmp]
        reason = _col(c, "compare_reason", "string").astype("string")
        typ = pd.to_numeric(_col(c, "compare_type"), errors="coerce").astype("Int64").astype("string")
        key = ("labels.compare." + reason.fillna("differs")).where(reason.fillna("differs") != "differs",
                                                                  "labels.compare.differs." + typ.fillna(""))
        key = key.where(key.isin(list(catalog())), np.where(c["flagged"].astype(bool), "labels.compare.differs",
                                                           "labels.compare.equal"))
        out[is_cmp] = key.map({k: t(k, lang) for k in pd.unique(key)}).to_numpy(dtype=object)
    v = ev[~is_cmp]
    if len(v):
        keys = _cases(v)
        unknown = t("labels.unknown", lang)
        fields = {"income": number_text(_col(v, "income")).replace("", unknown),
                  "threshold": number_text(_col(v, "threshold")).replace("", unknown),
                  "months": number_text(_col(v, "months")).replace("", unknown),
                  "archive": value_words(v["archive_value"], "main_cause", lang).replace("", unknown),
                  "visit": v["visit_value"].astype("string").fillna("")}
        part = pd.Series("", index=v.index, dtype=object)
        for k in pd.unique(keys):
            m = (keys == k).to_numpy()
            idx = v.index[m]
            part[m] = fill(template(k, lang), {n: s[m] for n, s in fields.items()}, idx).to_numpy(dtype=object)
        out[~is_cmp] = part.to_numpy(dtype=object)
    return out


__all__ = ["date_text", "field_label", "field_labels", "fill", "finding_name", "finding_names", "household_form",
           "map_words", "marks", "number_text", "percent", "rule_sentences", "template", "value_words", "verdict_words",
           "yes_no"]
