"""The high-frequency checks in two forms: machine frames for the toolkit, words for people.

``quality.xlsx`` (what a field manager opens) holds every check in words:
sheet titles ``labels.check.<check>`` (zh/en), headers ``qpage.ccol.*``,
questions by their labels in the form, true/false as 是/否, shares as %,
flag codes as words (:func:`check_words`, also used by the quality page).
The machine frames go to ``quality/<check>.parquet`` and :func:`read_checks`
reads them back (or, for an older ingest folder, the code-headed workbook).
A form version that was not recorded (Kobo's ``__version__`` is a deployment
id, not the form's version) reads "未记录" and is never counted as outdated.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.i18n import LANGS, catalog, t
from toolkit.labels import percent
from toolkit.vault import source

MACHINE_DIR = "quality"
_KEY = {"start_after_end": "start_end"}
_BAD = re.compile(r"[\[\]:*?/\\]")


def sheet_title(check: str, lang: str = "zh") -> str:
    """The sheet a check is written to (31 characters at most); the location
    check's title is toolkit.maps.location's."""
    if check == "location":
        return _BAD.sub("_", t("maps.check.location", lang))[:31]
    return _BAD.sub("_", t(f"labels.check.{_KEY.get(check, check)}", lang))[:31]


def field_words(form, lang: str = "zh") -> dict[str, str]:  # noqa: ANN001 - toolkit.forms.Form
    """Question name → its label in ``lang`` (metadata such as start in words too)."""
    if form is None:
        return {}
    cat = catalog()
    return {q.name: form.label(q, lang) or (t(f"qpage.meta.{q.name}", lang) if f"qpage.meta.{q.name}" in cat else q.name)
            for q in form.questions}


def check_words(name: str, frame: pd.DataFrame, lang: str = "zh", field_words: dict[str, str] | None = None
                ) -> pd.DataFrame:
    """One check's rows in words: headers, yes/no for true/false, shares as
    %, question names as their labels, flag codes as words."""
    if name == "location":   # toolkit.maps.location's rows (issue 22)
        from toolkit.maps.location import location_words

        return location_words(frame, lang)
    fw = field_words or {}
    cat = catalog()
    out = frame.copy()
    for c in out.columns:
        col = out[c]
        if col.dtype == bool or str(col.dtype) == "boolean" or (
                col.dtype == object and col.notna().any() and col.dropna().map(type).isin((bool, np.bool_)).all()):
            out[c] = col.map(lambda v: t("qpage.yes" if v else "qpage.no", lang)
                             if isinstance(v, (bool, np.bool_)) else "").astype(object)
        elif c.endswith("_share") or c.endswith("_rate"):
            out[c] = percent(col)
        elif c in ("field", "specify_field"):
            out[c] = col.astype(object).where(col.notna(), "").astype(str).map(lambda v: fw.get(v, v))
        elif c in ("flag", "kind", "method"):
            out[c] = col.astype(object).where(col.notna(), "").astype(str).map(
                lambda v: t(f"qpage.val.{v}", lang) if f"qpage.val.{v}" in cat else v)
        elif c == "form_version":
            txt = col.astype(object).where(col.notna(), "").astype(str)
            out[c] = txt.where(txt != "", t("words2.version_not_recorded", lang))
        elif pd.api.types.is_datetime64_any_dtype(col):
            out[c] = col.dt.strftime("%Y-%m-%d %H:%M").fillna("")
        elif c == "value" and name == "other_specify":     # the "other" choice (and multi-select lists)
            txt = col.astype(object).where(col.notna(), "").astype(str)
            out[c] = txt.str.replace(r"\bother\b", t("words2.other", lang), regex=True).astype(object)
        elif col.dtype == object:
            out[c] = col.astype(object).where(col.notna(), "")
    heads = {}
    for c in out.columns:   # words2.qcol.* first: headers that would read alike in one sheet
        key = next((k for k in (f"words2.qcol.{c}", f"qpage.ccol.{c}") if k in cat), None)
        if key:
            heads[c] = t(key, lang)
    return out.rename(columns=heads)


def write_quality(results: Mapping[str, pd.DataFrame], outdir: str | Path, lang: str = "zh",
                  words: dict[str, str] | None = None) -> list[Path]:
    """``quality.xlsx`` in words and ``quality/<check>.parquet`` (module doc)."""
    from toolkit.ingest.pipeline import write_parquet
    from toolkit.ingest.quality_xlsx import write_sheets

    out = Path(outdir)
    (out / MACHINE_DIR).mkdir(parents=True, exist_ok=True)
    written = [write_parquet(f, out / MACHINE_DIR / f"{name}.parquet") for name, f in results.items()]
    sheets = {sheet_title(name, lang): check_words(name, f, lang, words) for name, f in results.items()}
    written.append(write_sheets(out / "quality.xlsx", sheets))   # xlsxwriter: the same cells, fast
    return written


def _titles() -> dict[str, str]:
    """Every sheet title either language ever gave a check → the check."""
    from toolkit.ingest.quality import CHECKS

    out: dict[str, str] = {sheet_title("location", lang): "location" for lang in LANGS}
    for name in CHECKS:
        k = _KEY.get(name, name)
        for lang in LANGS:
            for key in (f"labels.check.{k}", f"ingest.check.{k}"):
                out.setdefault(_BAD.sub("_", t(key, lang))[:31], name)
    return out


def read_checks(folder: str | Path) -> dict[str, pd.DataFrame] | None:
    """The checks ingest wrote ({check: machine frame}): ``quality/*.parquet``,
    else an older folder's code-headed ``quality.xlsx``; None when neither."""
    d = Path(folder)
    mdir = d / MACHINE_DIR
    if mdir.is_dir() and any(mdir.glob("*.parquet")):
        from toolkit.ingest.quality import CHECKS

        return {n: pd.read_parquet(source(mdir / f"{n}.parquet")) for n in (*CHECKS, "location")
                if (mdir / f"{n}.parquet").exists()}
    p = d / "quality.xlsx"
    if not p.is_file():
        return None
    names = _titles()
    from toolkit.ingest.files import ENGINE

    sheets = pd.read_excel(source(p), sheet_name=None, dtype={"enumerator": str, "KEY": str}, engine=ENGINE)
    return {names[s]: f for s, f in sheets.items() if s in names}


__all__ = ["check_words", "field_words", "read_checks", "sheet_title", "write_quality"]
