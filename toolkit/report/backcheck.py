"""The report's back-check section (复核): coverage, error rates by type, the
interviewers flagged (interviewer codes only — no household identities) and
the method in one sentence. Read from ``output/backcheck`` (the stored
comparison, toolkit.backcheck.outputs); no section when there is none."""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.i18n import t
from toolkit.report.model import Section, Table


def section(inputs, lang: str) -> Section | None:  # noqa: ANN001 - toolkit.report.gather.ReportInputs
    """The section, or None when the project has no back-check comparison."""
    ev = inputs.evaluation
    folder = ev.path("output") / "backcheck"
    if not (folder / "overall.parquet").is_file():   # what outputs.read answers None to; without
        return None                                   # importing it (scipy.stats: seconds at a cold start)
    from toolkit.backcheck import outputs
    from toolkit.backcheck.settings import BackcheckSettings

    try:
        tables = outputs.read(folder)
    except (OSError, ValueError):
        return None
    if not tables or "overall" not in tables or not len(tables["overall"]):
        return None
    s = BackcheckSettings.of(ev)
    o = tables["overall"].iloc[0]
    cov = tables.get("coverage", pd.DataFrame())
    enum = tables["enumerators"]
    target = pd.to_numeric(cov.get("target"), errors="coerce").sum() if len(cov) else np.nan
    checked = int(pd.to_numeric(cov.get("checked"), errors="coerce").sum()) if len(cov) else int(
        tables["pairs"]["id"].nunique())
    covered = int((pd.to_numeric(cov.get("checked"), errors="coerce") > 0).sum()) if len(cov) else len(enum)
    pct = lambda x: "—" if pd.isna(x) else f"{float(x):.1%}"  # noqa: E731
    paras = [t("backcheck.report.coverage", lang, checked=checked, target="—" if pd.isna(target) else int(target),
               coverage=pct(checked / target if target and not pd.isna(target) else np.nan), covered=covered,
               interviewers=max(len(cov), len(enum)))]
    sep = "；" if lang == "zh" else "; "
    paras.append(t("backcheck.report.rates", lang, rates=sep.join(
        f"{t(f'backcheck.type.{k}', lang)} {pct(o[f'error_rate_{k}'])}" for k in (1, 2, 3))))
    flagged = enum.loc[enum["flagged"].astype(bool), "enumerator"].astype(str).tolist()
    paras.append(t("backcheck.report.flagged", lang, names=("、" if lang == "zh" else ", ").join(flagged))
                 if flagged else t("backcheck.report.none_flagged", lang))
    paras.append(outputs.method_sentence(s, lang))
    yes, no = t("backcheck.yes", lang), t("backcheck.no", lang)
    table = pd.DataFrame({
        t("backcheck.col.enumerator", lang): enum["enumerator"].astype(str),
        t("backcheck.col.compared", lang): enum["compared"].astype(int),
        t("backcheck.col.error_rate_t", lang, type=t("backcheck.type.1", lang)): enum["error_rate_1"].map(pct),
        t("backcheck.col.error_rate", lang): enum["error_rate"].map(pct),
        t("backcheck.col.flagged", lang): np.where(enum["flagged"].astype(bool), yes, no),
        t("backcheck.col.action", lang): np.where(enum["flagged"].astype(bool), t("backcheck.flag_enumerator", lang),
                                                  t("backcheck.flag_none", lang))})
    return Section("backcheck", t("backcheck.report.title", lang), tuple(paras),
                   (Table("backcheck_interviewers", t("backcheck.sheet.enumerators", lang), table),))


def extend(sections: tuple[Section, ...], inputs, lang: str) -> tuple[Section, ...]:  # noqa: ANN001
    """The sections with the back-check section placed after data quality (when there is one)."""
    sec = section(inputs, lang)
    if sec is None:
        return sections
    out: list[Section] = []
    for s in sections:
        out.append(s)
        if s.key == "quality":
            out.append(sec)
    return tuple(out) if sec in out else tuple(out) + (sec,)


__all__ = ["section", "extend"]
