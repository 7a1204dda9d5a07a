"""The report's document review and forum notes (issue 19).

* in the six-aspect section: each aspect's table gets its document-review
  rows beside the household indicators (marked "文件审查（无区间）"), its text
  the scores in one sentence and the forum statements of that aspect quoted
  as qualitative evidence; the scorecard and summary tables likewise;
* a section "查阅档案资料与座谈会" after it: the rule, the scores per county
  and aspect, each county's checklist (status in words, evidence, note) and
  the forum statements.

Leadership-safe: counties, roles and the evaluators' own words only; every
free text (notes, document and photo names, statements) is scrubbed of the
roster's names and addresses, ID numbers, cards and phones
(toolkit.roster.privacy.scrub_text) before it enters a table. No section and
no change when nothing was entered.
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from toolkit.checklist.items import ASPECT_KEYS, as_project, load_items
from toolkit.checklist.rollup import status_words, tally, with_all
from toolkit.checklist.scorecard import beside, rows
from toolkit.checklist.store import entries
from toolkit.i18n import t
from toolkit.report.model import Section, Table


def _scrub(s: pd.Series, inputs) -> pd.Series:  # noqa: ANN001
    from toolkit.roster.privacy import scrub_text

    out = scrub_text(s.astype(object).where(s.notna(), ""), inputs.private_names, inputs.private_addresses)
    return out.fillna("").astype(object)


def _aspect_sentence(scores: pd.DataFrame, aspect: str, lang: str) -> str | None:
    from toolkit.verify.indicators import ALL

    part = scores[scores["aspect"] == aspect]
    if not len(part):
        return None
    sep = "；" if lang == "zh" else "; "
    bits = [f"{t('verify.all_counties', lang) if r.county == ALL else r.county} {r.score * 100:.1f}%"
            + t("checklist.report.applicable", lang, n=int(r.items_applicable)) for r in part.itertuples()]
    return t("checklist.report.aspect_line", lang, scores=sep.join(bits))


def quotes(statements: pd.DataFrame, inputs, lang: str) -> pd.Series:  # noqa: ANN001
    """Each statement as a quotation with its forum's county, date and roles."""
    if not len(statements):
        return pd.Series(dtype=object)
    text = _scrub(statements["text"], inputs)
    roles = _scrub(statements["roles"], inputs)
    return pd.Series([t("forum.quote", lang, county=r.county, date=str(r.held_on)[:10], roles=ro, text=tx,
                        relation=t(f"forum.relation.{r.stance}", lang))
                      for r, tx, ro in zip(statements.itertuples(), text, roles)], index=statements.index)


def _with_rows(tb: Table, extra: pd.DataFrame, lang: str) -> Table:
    return replace(tb, frame=beside(tb.frame, extra, lang), note=(tb.note + " " if tb.note else "")
                   + t("checklist.report.table_note", lang))


def _aspects(sec: Section, extra: pd.DataFrame, scores: pd.DataFrame, statements: pd.DataFrame, inputs,
             lang: str) -> Section:  # noqa: ANN001
    from toolkit.verify.indicators import ASPECTS

    col = t("verify.col.aspect", lang)
    county = t("verify.col.county", lang)
    whole = extra[extra[county] == t("verify.all_counties", lang)]
    tables = tuple(_with_rows(tb, whole if tb.key == "summary" else extra, lang) if tb.key in ("summary", "scorecard")
                   else tb for tb in sec.tables)
    q = quotes(statements, inputs, lang)
    subs = []
    for sub in sec.subsections:
        aspect = sub.key.removeprefix("aspect_")
        if aspect not in ASPECT_KEYS:
            subs.append(sub)
            continue
        words = ASPECTS[aspect][0 if lang == "zh" else 1]
        mine = extra[extra[col] == words]
        paras = list(sub.paragraphs)
        line = _aspect_sentence(scores, aspect, lang)
        if line:
            paras.append(line)
        paras += q[statements["aspect"] == aspect].tolist() if len(q) else []
        tbs = tuple(_with_rows(tb, mine, lang) if tb.key == f"aspect_{aspect}" and len(mine) else tb
                    for tb in sub.tables)
        subs.append(replace(sub, paragraphs=tuple(paras), tables=tbs))
    return replace(sec, tables=tables, subsections=tuple(subs))


def section(inputs, lang: str, scores: pd.DataFrame, statements: pd.DataFrame) -> Section:  # noqa: ANN001
    """The section with the rule, the scores per county, each county's checklist and the forum statements."""
    from toolkit.forums.workbook import _aspect_words
    from toolkit.verify.indicators import ALL

    p = as_project(inputs.evaluation)
    items = load_items(p)
    aspects = _aspect_words(lang)
    paras = [t("checklist.report.intro", lang, items=len(items))]
    tables = []
    subs = []
    if len(scores):
        wide = scores.assign(pct=(scores["score"] * 100).round(1)).pivot(index="county", columns="aspect", values="pct")
        order = [ALL] + [c.name for c in p.evaluation.counties]
        wide = wide.reindex([c for c in order if c in wide.index]).reindex(columns=[a for a in ASPECT_KEYS
                                                                                      if a in wide.columns])
        frame = wide.reset_index()
        frame["county"] = frame["county"].where(frame["county"] != ALL, t("verify.all_counties", lang))
        frame.columns = [t("verify.col.county", lang), *(aspects[a] for a in wide.columns)]
        tables.append(Table("document_review_scores", t("checklist.report.scores", lang), frame,
                            note=t("checklist.no_interval", lang)))
        e = entries(p).merge(items, on="item_id", how="inner")
        for c in [c.name for c in p.evaluation.counties]:
            part = e[e["county"] == c].sort_values("order")
            if not len(part):
                continue
            bad = int(part["status"].isin(("not_met", "partly")).sum())
            evidence = (_scrub(part["document"], inputs) + " " + part["page"].fillna("").astype(str) + " "
                        + _scrub(part["photo"], inputs)).str.strip()
            table = pd.DataFrame({
                t("checklist.col.item_id", lang): part["item_id"].to_numpy(),
                t("checklist.col.aspect", lang): part["aspect"].map(aspects).to_numpy(),
                t("checklist.col.item_zh" if lang == "zh" else "checklist.col.item_en", lang):
                    part["item_zh" if lang == "zh" else "item_en"].to_numpy(),
                t("checklist.col.status", lang): status_words(part["status"], lang).to_numpy(),
                t("checklist.report.col.evidence", lang): evidence.to_numpy(),
                t("checklist.col.note", lang): _scrub(part["note"], inputs).to_numpy()})
            subs.append(Section(f"document_review_{c}", t("checklist.report.county", lang, county=c),
                                (t("checklist.report.unmet", lang, county=c, n=bad) if bad
                                 else t("checklist.report.all_met", lang, county=c),),
                                (Table(f"document_review_{c}", t("checklist.report.county", lang, county=c), table),)))
    else:
        paras.append(t("checklist.report.none", lang))
    if len(statements):
        paras.append(t("forum.report.intro", lang, forums=statements["forum_id"].nunique(), n=len(statements)))
        from toolkit.forums.workbook import finding_types

        ft = finding_types()
        tables.append(Table("forum_statements", t("forum.report.table", lang), pd.DataFrame({
            t("forum.col.county", lang): statements["county"].to_numpy(),
            t("forum.col.held_on", lang): statements["held_on"].astype(str).str[:10].to_numpy(),
            t("forum.col.roles", lang): _scrub(statements["roles"], inputs).to_numpy(),
            t("forum.col.aspect", lang): statements["aspect"].map(aspects).to_numpy(),
            t("forum.col.finding_type", lang): statements["finding_type"].map(
                lambda v: t(ft[v], lang) if v in ft else "").to_numpy(),
            t("forum.col.stance", lang): statements["stance"].map(lambda v: t(f"forum.stance.{v}", lang)).to_numpy(),
            t("forum.col.text", lang): _scrub(statements["text"], inputs).to_numpy()})))
    return Section("document_review", t("checklist.report.title", lang), tuple(paras), tuple(tables), (),
                   tuple(subs))


def extend(sections: tuple[Section, ...], inputs, lang: str) -> tuple[Section, ...]:  # noqa: ANN001
    """The report's sections with the document review beside the aspects and
    its own section after them (module doc); unchanged when nothing was entered."""
    from toolkit.forums.workbook import current

    p = as_project(inputs.evaluation)
    scores = with_all(tally(p))
    statements = current(p, lang)
    if not len(scores) and not len(statements):
        return sections
    extra = rows(p, lang)
    sec = section(inputs, lang, scores, statements)
    out: list[Section] = []
    for s in sections:
        out.append(_aspects(s, extra, scores, statements, inputs, lang) if s.key == "aspects" else s)
        if s.key == "aspects":
            out.append(sec)
    return tuple(out) if sec in out else tuple(out) + (sec,)


__all__ = ["extend", "section", "quotes"]
