"""The report's section on the field team itself (issue 18): interviewer
effects on the findings, fabrication signals, and the interviewer design
effect beside each indicator's interval.

Reads what verify and ingest stored (toolkit.verify.interviewers.load: the
results stage's ``interviewer_effects`` / ``interviewer_icc``; the ingest
stage's ``interviewer_summary`` / ``interviewer_signals``) and never
recomputes. Everything in words; interviewer codes only (no names).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.i18n import t
from toolkit.report.model import Section, Table


def _read(folder: Path, name: str) -> pd.DataFrame:
    from toolkit.vault import source   # encrypted stage files when the project has a key

    p = folder / f"{name}.parquet"
    return pd.read_parquet(source(p)) if p.is_file() else pd.DataFrame()


def stored(evaluation) -> dict[str, pd.DataFrame]:  # noqa: ANN001 - toolkit.config.Evaluation
    """The four stored tables of the project (empty frames when absent)."""
    from toolkit.project.paths import ProjectPaths

    paths = ProjectPaths.of(evaluation)
    return {"effects": _read(paths.verify, "interviewer_effects"), "icc": _read(paths.verify, "interviewer_icc"),
            "summary": _read(paths.ingest, "interviewer_summary"), "signals": _read(paths.ingest, "interviewer_signals")}


def icc_display(icc: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Each indicator's estimate and interval beside the interviewer ICC and design effect, in words."""
    from toolkit.ingest.fabrication import pct
    from toolkit.verify.indicators import INDICATORS

    names = {i.name: (i.zh if lang == "zh" else i.en) for i in INDICATORS}
    L = lambda k: t(f"interviewers.col.{k}", lang)  # noqa: E731
    return pd.DataFrame({
        L("indicator"): [names.get(str(n), str(n)) for n in icc["indicator"]],
        L("estimate"): [pct(x) for x in icc["estimate"]],
        L("interval"): [f"{pct(a)} – {pct(b)}" if pd.notna(a) and pd.notna(b) else t("interviewers.blank", lang)
                        for a, b in zip(icc["ci_low"], icc["ci_high"])],
        L("icc"): [t("interviewers.blank", lang) if pd.isna(x) else f"{x:.3f}" for x in icc["icc"]],
        L("deff"): [t("interviewers.blank", lang) if pd.isna(x) else f"{x:.2f}" for x in icc["deff"]],
        L("interviewers"): icc["interviewers"].astype(int).to_numpy(),
        L("m_bar"): [t("interviewers.blank", lang) if pd.isna(x) else f"{x:.1f}" for x in icc["m_bar"]]})


def flagged_names(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Interviewers flagged by a fabrication signal or a finding-rate effect."""
    names: set[str] = set()
    s = tables.get("summary", pd.DataFrame())
    if len(s):
        names |= set(s.loc[s["flagged_signals"] > 0, "enumerator"].astype(str))
    e = tables.get("effects", pd.DataFrame())
    if len(e):
        names |= set(e.loc[e["flagged"].astype(bool), "enumerator"].astype(str))
    return sorted(names)


def section(inputs, lang: str = "zh") -> Section | None:  # noqa: ANN001 - ReportInputs
    """The section, or None when neither stage stored interviewer tables."""
    from toolkit.ingest.fabrication import ALPHA, summary_display, tests_display

    tables = stored(inputs.evaluation)
    if not any(len(v) for v in tables.values()):
        return None
    names = flagged_names(tables)
    sep = "、" if lang == "zh" else ", "
    paras = [t("interviewers.method", lang, alpha=ALPHA),
             t("interviewers.flagged_list", lang, names=sep.join(names)) if names
             else t("interviewers.none_flagged", lang)]
    out = []
    if len(tables["icc"]):
        paras.append(t("interviewers.icc_note", lang))
        out.append(Table("interviewer_icc", t("interviewers.icc_title", lang), icc_display(tables["icc"], lang)))
    if len(tables["summary"]):
        out.append(Table("interviewer_signals", t("interviewers.signals_title", lang),
                         summary_display(tables["summary"], lang)))
    e = tables["effects"]
    if len(e):
        shown = e[e["flagged"].astype(bool)]
        out.append(Table("interviewer_effects", t("interviewers.effects_title", lang),
                         tests_display(shown, lang, name_col="indicator", prefix="interviewers.ind."),
                         note=t("interviewers.none_flagged", lang) if not len(shown) else ""))
    return Section("interviewers", t("interviewers.title", lang), tuple(paras), tuple(out))


def extend(sections: tuple[Section, ...], inputs, lang: str) -> tuple[Section, ...]:  # noqa: ANN001
    """The report's sections with this one after data quality (key ``quality``)."""
    s = section(inputs, lang)
    if s is None:
        return sections
    keys = [x.key for x in sections]
    at = keys.index("quality") + 1 if "quality" in keys else len(sections)
    return sections[:at] + (s,) + sections[at:]


__all__ = ["extend", "flagged_names", "icc_display", "section", "stored"]
