"""The report's section "系统数据核对（无区间）": the data-consistency share per
county beside the household indicators (a census comparison, so no
interval), the differences with both numbers, and how many rows of the
union's file were used. Read from the stage ``output/reconcile``; no
section when the project has none. Aggregates only (county, tally, numbers)."""
from __future__ import annotations

import pandas as pd

from toolkit.i18n import t
from toolkit.reconcile import outputs
from toolkit.report.model import Section, Table

REPORT_COLUMNS = ("county", "kind", "group", "year", "measure", "reported", "archive", "difference", "share", "status")


def section(evaluation, lang: str) -> Section | None:  # noqa: ANN001 - toolkit.config.Evaluation
    """The section, or None when there is no stored reconciliation."""
    tables, meta = outputs.read(evaluation.path("output") / outputs.STAGE)
    if not tables or "consistency" not in tables:
        return None
    cons, compared = tables["consistency"], tables["compared"]
    whole = cons.iloc[0]
    diffs = compared[compared["status"] != "agree"].reset_index(drop=True)
    sep = "、" if lang == "zh" else ", "
    kinds = sep.join(t(f"recon.kind.{k}", lang) for k in dict.fromkeys(compared["kind"]))
    summary = t("recon.summary", lang, compared=int(whole["compared"]), agree=int(whole["agree"]),
                differs=int(whole["differs"]), not_reported=int(whole["not_reported"]))
    paras = [t("recon.report.intro", lang, kinds=kinds or "—", summary=summary),
             t("recon.report.method", lang, count=f"{meta.get('count_tolerance', 0):g}",
               amount=f"{meta.get('amount_tolerance', 0.5):g}"),
             t("recon.report.rows", lang, read=meta.get("rows_read", 0), accepted=meta.get("rows_accepted", 0),
               excluded=meta.get("rows_excluded", 0))]
    for k in meta.get("unreported_kinds", []):
        paras.append(t("recon.kind_unreported", lang, kind=t(f"recon.kind.{k}", lang)))
    if not len(diffs):
        paras.append(t("recon.report.no_differences", lang))
    words = outputs.compared_words(diffs, lang)
    keep = [t(f"recon.col.{c}", lang) for c in REPORT_COLUMNS]
    tabs = (Table("reconcile_consistency", t("recon.report.table.consistency", lang),
                  outputs.consistency_words(cons, lang)),
            Table("reconcile_differences", t("recon.report.table.differences", lang),
                  words[keep] if len(words) else pd.DataFrame(columns=keep),
                  note=t("recon.out.note", lang, count=f"{meta.get('count_tolerance', 0):g}",
                         amount=f"{meta.get('amount_tolerance', 0.5):g}")))
    return Section("reconcile", t("recon.report.title", lang), tuple(paras), tabs)


def extend(sections: tuple[Section, ...], inputs, lang: str) -> tuple[Section, ...]:  # noqa: ANN001
    """The sections with this one placed right after the scorecard's six aspects (when there is one)."""
    sec = section(inputs.evaluation, lang)
    if sec is None:
        return sections
    out: list[Section] = []
    for s in sections:
        out.append(s)
        if s.key == "aspects":
            out.append(sec)
    return tuple(out) if sec in out else tuple(out) + (sec,)


__all__ = ["section", "extend"]
