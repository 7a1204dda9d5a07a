"""The evaluator's review in the report (issue 17): the review rule and its
counts in the method section, and an appendix listing every overturned
finding de-identified.

Read from the stored verification (``Results.review``, written by
``Project.verify``, see toolkit.project.review): ``meta`` (share, queue,
reviewed, overturned, rejected), ``by_type`` (flagged, reviewed, overturned
per finding type) and ``overturned`` (archive_id, finding_type, who, why,
at, county). The appendix shows the household only as its pseudonym
(toolkit.roster.privacy), the finding in words, the reviewer's reason
scrubbed of roster names, addresses, ID numbers, bank cards and phones, the
reviewer's role (never the name) and the date.
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from toolkit.i18n import t
from toolkit.report.model import Section, Table


def _review(inputs) -> dict:  # noqa: ANN001 - toolkit.report.gather.ReportInputs
    return getattr(inputs, "review", None) or {}


def method_additions(inputs, lang: str) -> tuple[tuple[str, ...], tuple[Table, ...]]:  # noqa: ANN001
    """(paragraphs, tables) the method section gains: the rule, the counts,
    and flagged / reviewed / overturned per finding type."""
    from toolkit.project.review import finding_words

    rv = _review(inputs)
    meta = rv.get("meta") or {}
    if not meta:
        return (), ()
    share = float(meta.get("share", 0.1))
    paras = (t("review.method", lang, share=f"{share:.0%}"),
             t("review.method_counts", lang, total=meta.get("queue", 0), reviewed=meta.get("reviewed", 0),
               overturned=meta.get("overturned", 0), rejected=meta.get("rejected", 0)))
    bt = rv.get("by_type")
    if bt is None or not len(bt):
        return paras, ()
    bt = bt.sort_values(["flagged", "finding"], ascending=[False, True])
    table = Table("review_by_type", t("review.table_title", lang), pd.DataFrame({
        t("report.col.finding", lang): finding_words(bt["finding"].astype(str), lang).to_numpy(),
        t("review.col.flagged_n", lang): bt["flagged"].astype(int).to_numpy(),
        t("review.col.reviewed_n", lang): bt["reviewed"].astype(int).to_numpy(),
        t("review.col.overturned_n", lang): bt["overturned"].astype(int).to_numpy()}))
    return paras, (table,)


def appendix(inputs, lang: str) -> Section | None:  # noqa: ANN001
    """The appendix of overturned findings (None when the results hold no review)."""
    from toolkit.project.review import finding_words
    from toolkit.roster.privacy import pseudonyms, scrub_text

    rv = _review(inputs)
    if not rv.get("meta"):
        return None
    ov = rv.get("overturned")
    title = t("review.appendix_title", lang)
    if ov is None or not len(ov):
        return Section("review_appendix", title, (t("review.appendix_none", lang),))
    ov = ov.sort_values(["finding_type", "archive_id"]).reset_index(drop=True)
    why = scrub_text(ov["why"].astype("string"), inputs.private_names, inputs.private_addresses).fillna("")
    date = pd.to_datetime(ov["at"], errors="coerce").dt.date.astype("string").fillna("")
    frame = pd.DataFrame({
        t("review.col.pseudonym", lang): pseudonyms(ov["archive_id"].astype(str), inputs.key).to_numpy(),
        t("report.col.finding", lang): finding_words(ov["finding_type"].astype(str), lang).to_numpy(),
        t("review.col.reason", lang): why.to_numpy(),
        t("review.col.role", lang): t("review.role", lang),
        t("review.col.date", lang): date.to_numpy()})
    return Section("review_appendix", title, (), (Table("review_overturned", title, frame),))


def extend(sections: tuple[Section, ...], inputs, lang: str) -> tuple[Section, ...]:  # noqa: ANN001
    """The report's sections with the review added: the method section
    (key ``method``) gains the rule, counts and table; the appendix comes last."""
    paras, tables = method_additions(inputs, lang)
    out = tuple(replace(s, paragraphs=s.paragraphs + paras, tables=s.tables + tables) if s.key == "method" else s
                for s in sections)
    app = appendix(inputs, lang)
    return out + ((app,) if app is not None else ())


__all__ = ["method_additions", "appendix", "extend"]
