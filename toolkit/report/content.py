"""The evaluation report's content: sections, tables and charts, zh or en.

:func:`build` turns :class:`~toolkit.report.gather.ReportInputs` into a
:class:`~toolkit.report.model.Report`. De-identified by construction:

* every table is built from aggregates (counts, rates by county) or from
  household rows keyed by the **pseudonym** (toolkit.roster.privacy) — the
  archive id, names, ID numbers, phones, bank cards and addresses never enter
  a table;
* finding examples show an archive/visit value only for non-sensitive fields
  (numbers, category, work status, housing, cause); address, health and
  free text are replaced by a "withheld" mark; the cause (主要致困原因, free
  text in the roster) is shown only as its category word, and every shown
  value is scrubbed of roster names, addresses, phones in any spacing, ID
  numbers and bank cards (toolkit.roster.privacy.scrub_text);
* counts by county (findings, satisfaction answers) go through
  :func:`toolkit.roster.privacy.suppress_small_cells` (``[report]
  small_cell`` in evaluation.toml, default 5);
* :func:`toolkit.report.privacy.assert_clean` screens every cell before the
  report is returned (ID numbers with a valid check character, bank cards,
  phones in any spacing, the roster's names and addresses), a guard behind
  the construction.

The scorecard tables are :func:`toolkit.verify.scorecard.presentable` of the
verification's scorecard: the same cells as ``scorecard.csv``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.i18n import t
from toolkit.labels import rule_sentences
from toolkit.report import charts
from toolkit.report.gather import ReportInputs
from toolkit.report.model import Figure, Report, Section, Table
from toolkit.project import summaries
from toolkit.project.summaries import SAT_ITEMS, satisfaction_scale
from toolkit.verify import scorecard as sc
from toolkit.verify.indicators import ALL, ASPECTS, INDICATORS

SMALL_CELL = 5
EXAMPLES_PER_FINDING = 3
SAFE_EVIDENCE = ("wrong_inclusion", "missed_exit", "wrong_exit", "missed", "cause_unconfirmed",
                 "no_help_plan", "helper_missing", "no_helper_contact",
                 "archive_mismatch:household_size", "archive_mismatch:category",
                 "archive_mismatch:work_status", "archive_mismatch:housing", "archive_mismatch:main_cause")
"""Findings whose archive/visit values may be shown (numbers and codes, no
personal text). Any other finding's values are withheld."""
CAUSE_FINDINGS = ("archive_mismatch:main_cause", "cause_unconfirmed")
"""Findings whose values are the roster's 主要致困原因 (free text): only the
category word of :data:`toolkit.roster.schema.CAUSES` is shown."""
FIX_FINDINGS = {  # indicator -> household findings behind it
    "wrong_inclusion": ("wrong_inclusion",), "missed": ("missed",), "wrong_exit": ("wrong_exit",),
    "missed_exit": ("missed_exit",), "archive_match": ("archive_mismatch",),
    "needs_identified": ("cause_unconfirmed", "no_help_plan"),
    "helper_coverage": ("helper_missing", "no_helper_contact"),
    "funds_in_full": ("payment_short",), "funds_amount": ("payment_short",),
}


def _pct(x: pd.Series | np.ndarray) -> pd.Series:
    return (pd.Series(x, dtype=float) * 100).round(1)


def stratum_label(stratum: str, lang: str) -> str:
    """A stratum as a reader says it: "roster|包河区" → "包河区 · 档案户",
    "comparison|包河区" → "包河区 · 对照户（未建档）"; other strata as they are."""
    source, _, rest = str(stratum).partition("|")
    if not rest or source not in ("roster", "comparison"):
        return str(stratum)
    return f"{rest} · {t(f'report.stratum.{source}', lang)}"


def _county(name: str, lang: str) -> str:
    return t("verify.all_counties", lang) if name == ALL else str(name)


def field_label(name: str, lang: str) -> str:
    """A roster field's or visit question's name for readers, in words
    (toolkit.labels.field_label: catalogue, roster schema, questionnaire)."""
    from toolkit.labels import field_label as words

    return words(name, lang)


def rule_words(rules: pd.Series, prefix: str, lang: str, **fields: pd.Series) -> pd.Series:
    """A problem's rule (``roster.rule.*`` / ``ingest.rule.*`` key) as its
    message in words; the message's details are left out ("…") unless given as
    columns in ``fields`` (a table of counts shows no values). One template per
    distinct rule, filled by whole columns (toolkit.labels.fill)."""
    from toolkit.i18n import catalog
    from toolkit.labels import fill, template

    out = pd.Series("", index=rules.index, dtype=object)
    for rule in pd.unique(rules.astype(str)):
        m = (rules.astype(str) == rule).to_numpy()
        key = f"{prefix}.{rule}"
        text = template(key, lang) if key in catalog() else rule.replace("_", " ")
        out[m] = fill(text, {k: v[m] for k, v in fields.items()}, rules.index[m]).to_numpy(dtype=object)
    return out


def check_words(sheets: pd.Series, lang: str) -> pd.Series:
    """Quality checks in words: quality.xlsx names its sheets by the check's
    title in the ingest's language (``ingest.check.*``, either language) or by
    its key; each becomes ``labels.check.<key>`` in ``lang``."""
    import re

    from toolkit.i18n import catalog
    from toolkit.labels import map_words

    def sheet(text: str) -> str:  # as toolkit.ingest.quality.write_quality_xlsx names a sheet
        return re.sub(r"[\[\]:*?/\\]", "_", text)[:31]

    words: dict[str, str] = {}
    for key, pair in catalog().items():
        if key.startswith("labels.check."):
            k = key.removeprefix("labels.check.")
            src = catalog().get(f"ingest.check.{k}", ("", ""))
            for name in (k, sheet(src[0]), sheet(src[1]), sheet(pair[1])):   # pair: quality.xlsx's own titles
                words.setdefault(name, t(key, lang))
    words.setdefault("start_after_end", t("labels.check.start_end", lang))
    return map_words(sheets.astype(str), words)


def _finding_label(finding: str, lang: str) -> str:
    """Translated name of a finding (archive_mismatch:<field> → 档案信息不符：<field>)."""
    if finding.startswith("archive_mismatch:"):
        field = finding.split(":", 1)[1]
        return t("report.finding.archive_mismatch_field", lang, field=field_label(field, lang))
    return t(f"report.finding.{finding}", lang)


def small_cell(inputs: ReportInputs) -> int:
    """The small-cell threshold the results were made with (toolkit.project.rules)."""
    return int(inputs.small_cell)


# --- 1 method -----------------------------------------------------------------------

def response_rates(inputs: ReportInputs) -> pd.DataFrame:
    """AAPOR RR1 per county and 全市, as stored by the verification
    (toolkit.project.summaries.response_rates)."""
    return inputs.response


_METHODS = ("srswor", "systematic", "two_stage")


def _unit_word(name: str, lang: str) -> str:
    """A design column in words: county → 区县, township → 街道（乡镇）; another
    column (a roster header chosen by the user) as it is."""
    return t(f"paper.report.unit.{name}", lang) if name in ("county", "township") else name


def _method(inputs: ReportInputs, lang: str) -> Section:
    m = inputs.manifest
    des = m.get("design", {})
    seed = m.get("seed", {})
    ros = m.get("roster", {})
    comp = m.get("comparison") or {}
    counts = m.get("counts", {})
    method = des.get("method", "")
    paras = [
        t("report.method.intro", lang, name=inputs.evaluation.name,
          counties="、".join(c.name for c in inputs.evaluation.counties) if lang == "zh"
          else ", ".join(c.name for c in inputs.evaluation.counties)),
        t(f"report.method.design.{method}" if method in ("two_stage",) else "report.method.design.other", lang,
          method=t(f"paper.report.method.{method}", lang) if method in _METHODS else method,
          strata=("、" if lang == "zh" else ", ").join(_unit_word(x, lang) for x in des.get("strata", [])),
          psu=_unit_word(des.get("psu") or "", lang),
          psus=des.get("psus_per_stratum") or "", per_psu=des.get("per_psu") or "",
          reserves=des.get("reserves", 0)),
        t("report.method.sizes", lang, population=counts.get("population", ""),
          selected=counts.get("selected", ""), reserves=counts.get("reserves", ""),
          interviewed=int(len(inputs.households))),
        t("report.method.population", lang, interviewed=int(len(inputs.households)), outside=int(len(inputs.outside))),
        t("report.method.seed", lang, seed=seed.get("value", ""), source=seed.get("source", "")),
        t("report.method.roster_hash", lang, sha=ros.get("sha256", ""), rows=ros.get("rows", ""),
          rule=ros.get("rule", "")),
    ]
    if comp:
        paras.append(t("report.method.comparison_hash", lang, sha=comp.get("sha256", ""), rows=comp.get("rows", "")))
    paras += [
        t("report.method.algorithm", lang, algorithm=m.get("algorithm", ""), rule=t("paper.report.ticket_rule", lang)),
        t("report.method.rederive", lang),
        t("report.method.estimation", lang),
        t("verify.ci_used", lang, method=t(f"verify.ci.{inputs.ci}", lang)),
    ]
    alloc = pd.DataFrame(m.get("allocation", {}).get("strata", []))
    tables = []
    if len(alloc):
        alloc = alloc[["stratum", "N_h", "n_h"]]
        tables.append(Table("allocation", t("report.table.allocation", lang), pd.DataFrame({
            t("report.col.stratum", lang): alloc["stratum"].astype(str).map(lambda x: stratum_label(x, lang)),
            t("report.col.population", lang): alloc["N_h"].astype(int),
            t("report.col.sample", lang): alloc["n_h"].astype(int)})))
    rr = response_rates(inputs)
    if not len(rr):
        paras.append(t("project.no_dispositions", lang))
    if len(rr):
        tables.append(Table("response", t("report.table.response", lang), pd.DataFrame({
            t("report.col.county", lang): [_county(c, lang) for c in rr["county"]],
            t("report.col.released", lang): rr["released"], t("report.col.completed", lang): rr["completed"],
            t("report.col.refused", lang): rr["refused"], t("report.col.non_contact", lang): rr["non_contact"],
            t("report.col.other", lang): rr["other"], t("report.col.not_eligible", lang): rr["not_eligible"],
            t("report.col.unknown", lang): rr["unknown"], t("report.col.rr1", lang): _pct(rr["rr1"])}),
            note=t("report.rr_definition", lang)))
    return Section("method", t("report.sec.method", lang), tuple(paras), tuple(tables))


# --- 2 the six aspects ------------------------------------------------------------------

CHART_COUNTIES = 40   # counties per panel a reader can still tell apart (0.32 in a row: ~13 in of chart)
_SEVERITY = {"fail": 0, "inconclusive": 1, "no_interval": 2, "no_data": 3, "info": 4, "pass": 5}


def chart_rows(part: pd.DataFrame, cap: int = CHART_COUNTIES) -> tuple[pd.DataFrame, int]:
    """The scorecard rows an aspect's county chart draws, and the number of
    counties. Up to ``cap`` counties per indicator: all of them. Beyond (a
    provincial or national evaluation: 300 counties made one chart 21,421 px
    tall, unreadable and 80 s to draw), per indicator the whole area (``ALL``)
    and the counties not passing, worst verdict first, at most ``cap``, in the
    scorecard's order; every county's figures stay in the aspect's table."""
    counties = part.loc[part["county"] != ALL, "county"].nunique()
    if counties <= cap:
        return part, counties
    rank = part["verdict"].map(_SEVERITY).fillna(len(_SEVERITY)).to_numpy()
    picked = []
    for _, g in part.assign(_rank=rank, _pos=np.arange(len(part))).groupby("indicator", sort=False):
        whole = g[g["county"] == ALL]
        bad = g[(g["county"] != ALL) & (g["verdict"] != "pass")].sort_values(["_rank", "_pos"]).head(cap)
        picked.append(pd.concat([whole, bad]).sort_values("_pos"))
    return pd.concat(picked).drop(columns=["_rank", "_pos"]), counties


def _aspects(inputs: ReportInputs, lang: str) -> Section:
    card = inputs.scorecard
    zh = lang == "zh"
    spec = {i.name: i for i in INDICATORS}
    whole = card[card["county"] == ALL]
    summary = Table("summary", t("report.table.summary", lang), sc.presentable(whole, lang).reset_index(drop=True))
    counts = whole["verdict"].value_counts()
    paras = (t("report.aspects.intro", lang),
             t("report.aspects.counts", lang, passed=int(counts.get("pass", 0)), failed=int(counts.get("fail", 0)),
               inconclusive=int(counts.get("inconclusive", 0)), no_interval=int(counts.get("no_interval", 0))))
    full = Table("scorecard", t("report.table.scorecard", lang), sc.presentable(card, lang).reset_index(drop=True),
                 note=t("report.scorecard_note", lang))
    subs = []
    for aspect, (a_zh, a_en) in ASPECTS.items():
        part = card[card["aspect"] == aspect]
        if not len(part):
            continue
        drawn, total = chart_rows(part)
        rows = drawn.assign(label=[_county(c, lang) for c in drawn["county"]])
        png = charts.county_whiskers(rows, titles={k: (v.zh if zh else v.en) for k, v in spec.items()},
                                     xlabel=t("report.chart.percent", lang),
                                     threshold_label=t("report.chart.threshold", lang))
        texts = []
        for ind in dict.fromkeys(part["indicator"]):
            s = spec[ind]
            w = part[(part["indicator"] == ind) & (part["county"] == ALL)].iloc[0]
            fails = part[(part["indicator"] == ind) & (part["verdict"] == "fail") & (part["county"] != ALL)]
            texts.append(t("report.aspects.line", lang, indicator=s.zh if zh else s.en,
                           estimate="–" if np.isnan(w["estimate"]) else f"{w['estimate'] * 100:.1f}%",
                           low="–" if np.isnan(w["ci_low"]) else f"{w['ci_low'] * 100:.1f}",
                           high="–" if np.isnan(w["ci_high"]) else f"{w['ci_high'] * 100:.1f}",
                           verdict=t(f"verify.verdict.{w['verdict']}", lang),
                           fails=("、" if zh else ", ").join(fails["county"]) or t("report.none", lang)))
        subs.append(Section(f"aspect_{aspect}", a_zh if zh else a_en, tuple(texts),
                            (Table(f"aspect_{aspect}", a_zh if zh else a_en,
                                   sc.presentable(part, lang).reset_index(drop=True)),),
                            (Figure(f"chart_{aspect}", t("report.chart.county_title", lang,
                                                          aspect=a_zh if zh else a_en)
                                    + (t("report.chart.county_subset", lang, cap=CHART_COUNTIES, total=total)
                                       if len(drawn) < len(part) else ""), png),)))
    return Section("aspects", t("report.sec.aspects", lang), paras, (summary, full), (), tuple(subs))


# --- 3 satisfaction -----------------------------------------------------------------

def satisfaction_tables(inputs: ReportInputs) -> dict[str, pd.DataFrame]:
    """The stored satisfaction results (toolkit.project.summaries.satisfaction_tables:
    reliability, items, weighted estimates, weighted distribution) plus
    ``by_county``: valid answers of G1 per county (county, n, a1 … a5)."""
    res = dict(inputs.satisfaction)
    if not res or "distribution" not in res:
        return {}
    dist = res["distribution"]
    g1 = dist[(dist["item"] == "sat_overall") & (dist["county"] != ALL)]
    wide = g1.pivot(index="county", columns="answer", values="count").reindex(columns=range(1, 6)).fillna(0)
    by_county = pd.DataFrame({"county": wide.index.astype(str), "n": wide.sum(axis=1).astype(int).to_numpy(),
                              **{f"a{k}": wide[k].astype(int).to_numpy() for k in range(1, 6)}})
    res["by_county"] = by_county.reset_index(drop=True)
    return res


ALPHA_LOW = 0.6
"""Below this Cronbach's α the satisfaction scale is called unreliable in the report."""


def _alpha_flag(alpha: float, lang: str) -> tuple[str, ...]:
    """The call-out for an unreliable scale (α below :data:`ALPHA_LOW`, or
    negative): what it means and how to read the results instead."""
    if not np.isfinite(alpha) or alpha >= ALPHA_LOW:
        return ()
    key = "paper.report.alpha_negative" if alpha < 0 else "paper.report.alpha_low"
    return (t(key, lang, alpha=f"{alpha:.2f}", line=f"{ALPHA_LOW:.1f}"),)


def _satisfaction(inputs: ReportInputs, lang: str) -> Section:
    res = satisfaction_tables(inputs)
    if not res:
        return Section("satisfaction", t("report.sec.satisfaction", lang), (t("report.satisfaction.none", lang),))
    item_name = {i: t(f"report.sat.{i}", lang) for i in SAT_ITEMS}
    answers = [t(f"report.answer.{k}", lang) for k in range(1, 6)]
    rel = res["reliability"].iloc[0]
    paras = (t("report.satisfaction.intro", lang),
             t("report.satisfaction.alpha", lang, alpha=f"{rel['alpha']:.3f}",
               std=f"{rel['standardized_alpha']:.3f}", n=int(rel["n"]), k=int(rel["k"])),
             t("report.satisfaction.alpha_rule", lang)) + _alpha_flag(float(rel["alpha"]), lang)
    items = res["items"]
    t_rel = Table("reliability", t("report.table.reliability", lang), pd.DataFrame({
        t("report.col.item", lang): items["item"].map(item_name),
        t("report.col.mean", lang): items["mean"].round(2), t("report.col.sd", lang): items["sd"].round(2),
        t("report.col.item_total_r", lang): items["item_total_r"].round(3),
        t("report.col.alpha_if_deleted", lang): items["alpha_if_deleted"].round(3)}))
    est = res["estimates"]
    top = est[est["measure"] == "top_box"]
    s100 = est[est["measure"] == "score_100"].set_index("county")
    order = [ALL, *[c.name for c in inputs.evaluation.counties]]
    top = top.set_index("county").reindex([c for c in order if c in set(top["county"])]).reset_index()
    t_est = Table("satisfaction", t("report.table.satisfaction", lang), pd.DataFrame({
        t("report.col.county", lang): [_county(c, lang) for c in top["county"]],
        t("report.col.top_box", lang): _pct(top["estimate"]),
        t("verify.col.ci_low", lang): _pct(top["ci_low"]), t("verify.col.ci_high", lang): _pct(top["ci_high"]),
        t("report.col.score_100", lang): s100["estimate"].reindex(top["county"]).round(1).to_numpy(),
        t("verify.col.n", lang): top["n"].astype(int).to_numpy()}), note=t("report.satisfaction.note", lang))
    bc = res["by_county"]
    k = small_cell(inputs)
    bc_s = bc.copy()
    for j in range(1, 6):
        bc_s[f"a{j}"] = bc_s[f"a{j}"].astype(float)
    from toolkit.roster.privacy import suppress_small_cells

    bc_s = suppress_small_cells(bc_s, "n", k=k, columns=[f"a{j}" for j in range(1, 6)])
    t_bc = Table("satisfaction_counts", t("report.table.satisfaction_counts", lang), pd.DataFrame({
        t("report.col.county", lang): bc_s["county"], t("report.col.valid", lang): bc_s["n"],
        **{answers[j - 1]: bc_s[f"a{j}"].astype("Int64") for j in range(1, 6)}}),
        note=t("report.small_cell_note", lang, k=k))
    whole = res["distribution"][res["distribution"]["county"] == ALL]
    dist = whole.pivot(index="item", columns="answer", values="share").reindex(SAT_ITEMS)
    dist.index = [item_name[i] for i in dist.index]
    png = charts.stacked_distribution(dist, answers, xlabel=t("report.chart.share", lang))
    g1 = res["distribution"][(res["distribution"]["item"] == "sat_overall") & (res["distribution"]["county"] != ALL)]
    shares = g1.pivot(index="county", columns="answer", values="share").reindex(columns=range(1, 6))
    shares = shares[bc.set_index("county")["n"].reindex(shares.index).fillna(0) >= k]   # weighted shares
    figs = [Figure("chart_satisfaction_items", t("report.chart.sat_items", lang), png)]
    if len(shares):
        figs.append(Figure("chart_satisfaction_counties", t("report.chart.sat_counties", lang),
                           charts.stacked_distribution(shares, answers, xlabel=t("report.chart.share", lang))))
    return Section("satisfaction", t("report.sec.satisfaction", lang), paras, (t_est, t_rel, t_bc), tuple(figs))


# --- 4 data quality -----------------------------------------------------------------

def _quality(inputs: ReportInputs, lang: str) -> Section:
    paras = [t("report.quality.intro", lang)]
    tables = []
    card = inputs.scorecard
    dc = card[card["indicator"] == "data_completeness"]
    if len(dc):
        w = dc[dc["county"] == ALL].iloc[0]
        paras.append(t("report.quality.completeness", lang, rate=f"{w['estimate'] * 100:.1f}%",
                       rows=inputs.roster_rows))
    p = inputs.roster_problems
    if p is not None and len(p):
        g = p.groupby(["column", "rule", "severity"]).size().rename("count").reset_index() \
            .sort_values(["count", "column"], ascending=[False, True])
        tables.append(Table("roster_problems", t("report.table.roster_problems", lang), pd.DataFrame({
            t("report.col.field", lang): g["column"].map(lambda c: field_label(c, lang)),
            t("labels.col.problem", lang): rule_words(g["rule"], "roster.rule", lang),
            t("report.col.severity", lang): g["severity"]
            .map(lambda s: t(f"report.severity.{s}", lang)), t("report.col.count", lang): g["count"]})))
    ing = inputs.ingest
    if ing:
        paras.append(t("report.quality.ingest", lang, read=ing.get("read", ""), accepted=ing.get("accepted", ""),
                       quarantined=ing.get("quarantined", ""), version=ing.get("form_version", "")))
    if inputs.issues is not None and len(inputs.issues):
        iss = inputs.issues.assign(field=inputs.issues.get("field", pd.Series("", index=inputs.issues.index))
                                   .fillna("").astype(str))
        g = iss.groupby(["field", "rule", "severity"]).size().rename("count").reset_index() \
            .sort_values(["count", "rule", "field"], ascending=[False, True, True])
        label = g["field"].map({f: field_label(f, lang) if f else "" for f in pd.unique(g["field"])})
        tables.append(Table("ingest_issues", t("report.table.ingest_issues", lang), pd.DataFrame({
            t("report.col.field", lang): label,
            t("labels.col.problem", lang): rule_words(g["rule"], "ingest.rule", lang, label=label),
            t("report.col.severity", lang): g["severity"]
            .map(lambda s: t(f"report.severity.{s}", lang)), t("report.col.count", lang): g["count"]})))
    if inputs.quality:
        q = pd.DataFrame(list(inputs.quality.items()), columns=["check", "rows"])
        tables.append(Table("quality_checks", t("report.table.quality_checks", lang), pd.DataFrame({
            t("report.col.check", lang): check_words(q["check"], lang), t("report.col.rows", lang): q["rows"]}),
            note=t("report.quality.checks_note", lang)))
    return Section("quality", t("report.sec.quality", lang), tuple(paras), tuple(tables))


# --- 5 findings -------------------------------------------------------------------------

def evidence_with_payments(inputs: ReportInputs) -> pd.DataFrame:
    """The evidence plus one ``payment_short`` row per household with ledger
    payments checked (toolkit.project.summaries.evidence_with_payments)."""
    return summaries.evidence_with_payments(inputs.evidence, inputs.households)


def findings_by_type(inputs: ReportInputs) -> pd.DataFrame:
    """finding, county (incl. 全市), checked, flagged, rate — as stored by the
    verification (the drawn sample only)."""
    return inputs.findings_table


def _examples(inputs: ReportInputs, lang: str) -> pd.DataFrame:
    from toolkit.roster.privacy import pseudonyms

    ev = evidence_with_payments(inputs)
    ev = ev[ev["flagged"].astype(bool)].sort_values(["finding", "county", "archive_id"])
    ex = ev.groupby("finding", sort=True).head(EXAMPLES_PER_FINDING).reset_index(drop=True)
    numbers = [c for c in ("income", "threshold", "months", "exclusion", "should_exit", "compare_type",
                           "compare_reason") if c in inputs.evidence]
    if numbers:  # the sentence's numbers (toolkit.verify.findings.EVIDENCE_COLUMNS), one row per household × finding
        ex = ex.merge(inputs.evidence[["archive_id", "finding", *numbers]].drop_duplicates(["archive_id", "finding"]),
                      on=["archive_id", "finding"], how="left")
    safe = ex["finding"].isin(SAFE_EVIDENCE + ("payment_short",))
    hidden = t("report.withheld", lang)
    shown = ex.assign(archive_value=_shown(ex, "archive_value", safe, inputs, hidden).to_numpy(),
                      visit_value=_shown(ex, "visit_value", safe, inputs, hidden).to_numpy())
    archive, visit = _value_words(shown, "archive_value", hidden, lang), _value_words(shown, "visit_value", hidden, lang)
    return pd.DataFrame({
        t("report.col.finding", lang): ex["finding"].map(lambda f: _finding_label(f, lang)),
        t("report.col.household", lang): pseudonyms(ex["archive_id"].astype(str), inputs.key).to_numpy(),
        t("report.col.county", lang): ex["county"].astype(str),
        t("report.col.archive_value", lang): archive, t("report.col.visit_value", lang): visit,
        t("labels.col.reason", lang): rule_sentences(shown, lang).reset_index(drop=True)})


def _value_words(shown: pd.DataFrame, column: str, hidden: str, lang: str) -> pd.Series:
    """An example's shown value in words: a compared field's value in the form's
    choice labels (codes such as ``private_rent`` never reach the page), a cause
    as its category word; a verdict's values are said by its sentence (the
    "依据" column), so its audit text (``net_pc=…``) is left out."""
    from toolkit.labels import MISMATCH, value_words

    f = shown["finding"].astype(str).reset_index(drop=True)
    v = shown[column].astype("string").fillna("").reset_index(drop=True)
    out = pd.Series("", index=v.index, dtype=object)
    field = f.str.slice(len(MISMATCH)).where(f.str.startswith(MISMATCH),
                                             np.where(f.isin(CAUSE_FINDINGS) & (column == "archive_value"),
                                                      "main_cause", ""))
    for name in pd.unique(field[field != ""]):
        m = (field == name).to_numpy()
        out[m] = value_words(v[m], name, lang).where(v[m] != hidden, hidden).to_numpy(dtype=object)
    pay = (f == "payment_short").to_numpy()
    out[pay] = v[pay].to_numpy(dtype=object)  # yuan in the ledger / received
    return out


def _shown(ex: pd.DataFrame, column: str, safe: pd.Series, inputs: ReportInputs, hidden: str) -> pd.Series:
    """An example's archive or visit value as leadership may see it: withheld
    unless the finding is in SAFE_EVIDENCE; a cause (主要致困原因, free text in
    the roster) only as its category word (CAUSES; anything else withheld);
    and every value scrubbed of roster names, addresses, phones, ID numbers
    and bank cards (toolkit.roster.privacy.scrub_text) behind that."""
    from toolkit.roster.privacy import category_word, scrub_text
    from toolkit.roster.schema import CAUSES

    from toolkit.labels import value_words

    v = ex[column].astype("string")
    cause = ex["finding"].isin(CAUSE_FINDINGS)
    if column == "visit_value":  # the visit's cause is the form's code (illness): its Chinese word first
        code = ex["finding"].eq("archive_mismatch:main_cause").to_numpy(dtype=bool)
        v = v.where(~code, value_words(v, "main_cause", "zh").astype("string").to_numpy())
    v = v.where(~cause, category_word(v, CAUSES, hidden))
    v = scrub_text(v, inputs.private_names, inputs.private_addresses)
    return v.where(safe, hidden).fillna("").reset_index(drop=True)


def _findings(inputs: ReportInputs, lang: str) -> Section:
    from toolkit.roster.privacy import suppress_small_cells

    fb = findings_by_type(inputs)
    whole = fb[fb["county"] == ALL].sort_values("flagged", ascending=False)
    t_all = Table("findings", t("report.table.findings", lang), pd.DataFrame({
        t("report.col.finding", lang): whole["finding"].map(lambda f: _finding_label(f, lang)),
        t("report.col.checked", lang): whole["checked"], t("report.col.flagged", lang): whole["flagged"],
        t("report.col.rate", lang): _pct(whole["rate"])}))
    k = small_cell(inputs)
    per = fb[fb["county"] != ALL].copy()
    per["flagged"] = per["flagged"].astype(float)
    per = suppress_small_cells(per, "checked", k=k, columns=["flagged", "rate"])
    cell = [f"<{k}" if pd.isna(f) else f"{int(f)}/{c}" for f, c in zip(per["flagged"], per["checked"])]
    wide = per.assign(cell=cell).pivot(index="finding", columns="county", values="cell")
    counties = [c.name for c in inputs.evaluation.counties if c.name in wide.columns]
    wide = wide.reindex(index=list(whole["finding"]), columns=counties).fillna("")
    t_c = Table("findings_county", t("report.table.findings_county", lang), pd.DataFrame({
        t("report.col.finding", lang): [_finding_label(f, lang) for f in wide.index],
        **{c: wide[c].to_numpy() for c in counties}}),
        note=t("report.findings_county_note", lang) + t("report.small_cell_note", lang, k=k))
    t_ex = Table("examples", t("report.table.examples", lang), _examples(inputs, lang),
                 note=t("report.examples_note", lang))
    tables = [t_all, t_c, t_ex]
    paras = [t("report.findings.intro", lang)]
    out = inputs.outside
    if len(out):
        from toolkit.roster.privacy import pseudonyms

        paras.append(t("report.outside.intro", lang, n=len(out)))
        result = out["visit_result"].astype("string").fillna("")
        tables.append(Table("outside", t("project.outside_title", lang), pd.DataFrame({
            t("report.col.household", lang): pseudonyms(out["archive_id"].astype(str), inputs.key).to_numpy(),
            t("report.col.county", lang): out["county"].astype("string").fillna("").to_numpy(),
            t("report.col.enumerator", lang): out["enumerator"].astype("string").fillna("").to_numpy(),
            t("report.col.visit_date", lang): out["visit_date"].astype("string").fillna("").to_numpy(),
            t("report.col.visit_result", lang): [t(f"report.visit_result.{v}", lang) if v else "" for v in result]}),
            note=t("report.outside.note", lang)))
    return Section("findings", t("report.sec.findings", lang), tuple(paras), tuple(tables))


# --- 6 fix list ---------------------------------------------------------------------

def fix_list(inputs: ReportInputs, lang: str) -> pd.DataFrame:
    """整改清单: per county, every indicator that failed or is inconclusive,
    with the households to re-check (pseudonyms) and the action."""
    from toolkit.roster.privacy import pseudonyms

    zh = lang == "zh"
    spec = {i.name: i for i in INDICATORS}
    card = inputs.scorecard
    ev = evidence_with_payments(inputs)
    ev = ev[ev["flagged"].astype(bool)].copy()
    ev["kind"] = ev["finding"].str.split(":").str[0]
    ev["pseudonym"] = pseudonyms(ev["archive_id"].astype(str), inputs.key).to_numpy() if len(ev) else []
    rows = []
    prio = {"fail": 0, "inconclusive": 1, "no_interval": 2}   # no interval: the county must be re-checked too
    bad = card[(card["county"] != ALL) & card["verdict"].isin(list(prio))]
    order = {c.name: i for i, c in enumerate(inputs.evaluation.counties)}
    bad = bad.assign(_c=bad["county"].map(order), _p=bad["verdict"].map(prio)).sort_values(["_c", "_p"], kind="stable")
    sep = "、" if zh else ", "
    from toolkit.report.fix_index import FlaggedIndex   # grouped once, not filtered per row (national size)

    flagged = FlaggedIndex(ev)
    for r in bad.itertuples():
        hh = pd.Series(flagged.households(r.county, FIX_FINDINGS.get(r.indicator, ())), dtype=object)
        s = spec[r.indicator]
        rows.append({
            t("report.col.county", lang): r.county,
            t("report.col.indicator", lang): s.zh if zh else s.en,
            t("verify.col.estimate", lang): round(r.estimate * 100, 1),
            t("verify.col.threshold", lang): "" if np.isnan(r.threshold) else
            f"{'<' if r.direction == 'max' else '≥'}{r.threshold * 100:.1f}%",
            t("verify.col.verdict", lang): t(f"verify.verdict.{r.verdict}", lang),
            t("report.col.households_flagged", lang): int(len(hh)),
            t("report.col.recheck", lang): sep.join(hh.tolist()),
            t("report.col.action", lang): t(f"report.action.{r.indicator}", lang),
            t("report.col.owner", lang): "", t("report.col.deadline", lang): ""})
    cols = [t(k, lang) for k in ("report.col.county", "report.col.indicator", "verify.col.estimate",
                                 "verify.col.threshold", "verify.col.verdict", "report.col.households_flagged",
                                 "report.col.recheck", "report.col.action", "report.col.owner",
                                 "report.col.deadline")]
    return pd.DataFrame(rows, columns=cols)


def _fixes(inputs: ReportInputs, lang: str) -> Section:
    fl = fix_list(inputs, lang)
    col = t("report.col.county", lang)
    subs = []
    by_county = {k: g for k, g in fl.groupby(col, sort=False)} if len(fl) else {}   # once, not per county
    for c in inputs.evaluation.counties:
        part = by_county.get(c.name, fl.head(0)).drop(columns=col).reset_index(drop=True)
        if not len(part):
            subs.append(Section(f"fix_{c.code}", c.name, (t("report.fix.none", lang),)))
            continue
        subs.append(Section(f"fix_{c.code}", c.name, (t("report.fix.county", lang, n=len(part)),),
                            (Table(f"fix_{c.code}", t("report.table.fix_county", lang, county=c.name), part),)))
    return Section("fixes", t("report.sec.fixes", lang), (t("report.fix.intro", lang),),
                   (Table("fix_list", t("report.table.fix_list", lang), fl),), (), tuple(subs))


# --- 7 definitions ------------------------------------------------------------------------

def _definitions(inputs: ReportInputs, lang: str) -> Section:
    zh = lang == "zh"
    th = inputs.evaluation.thresholds
    rows = []
    for i in INDICATORS:
        thr = ""
        if i.threshold:
            thr = f"{'<' if i.direction == 'max' else '≥'}{getattr(th, i.threshold) * 100:.1f}%"
        rows.append({t("report.col.aspect", lang): ASPECTS[i.aspect][0 if zh else 1],
                     t("report.col.indicator", lang): i.zh if zh else i.en,
                     t("report.col.definition", lang): t(f"report.def.{i.name}", lang),
                     t("verify.col.threshold", lang): thr})
    paras = tuple(t(f"report.defs.{k}", lang) for k in ("verdict", "ci", "weights", "rr1", "pseudonym",
                                                        "small_cell", "income"))
    return Section("definitions", t("report.sec.definitions", lang), paras,
                   (Table("definitions", t("report.table.definitions", lang), pd.DataFrame(rows)),))


def build(inputs: ReportInputs, lang: str = "zh", *, screen: bool = True) -> Report:
    """The whole report in ``lang`` (zh default, en); privacy-screened
    (``screen=False``: the caller runs the guard, toolkit.report.build_report)."""
    from datetime import date

    from toolkit.report.privacy import assert_clean

    sections = (_method(inputs, lang), _aspects(inputs, lang), _satisfaction(inputs, lang),
                _quality(inputs, lang), _findings(inputs, lang), _fixes(inputs, lang), _definitions(inputs, lang))
    from toolkit.report import review

    sections = review.extend(sections, inputs, lang)   # the evaluators' review (issue 17)
    from toolkit.report import backcheck

    sections = backcheck.extend(sections, inputs, lang)   # back-checks of the field team (issue 18)
    from toolkit.maps import report as maps_report

    sections = maps_report.extend(sections, inputs, lang)   # verdict maps by county (issue 22)
    from toolkit.report import interviewers

    sections = interviewers.extend(sections, inputs, lang)   # the field team's own accuracy (issue 18)
    from toolkit.checklist import report as document_review

    sections = document_review.extend(sections, inputs, lang)   # document review and forum notes (issue 19)
    from toolkit.reconcile import report as reconcile_report

    sections = reconcile_report.extend(sections, inputs, lang)   # system-data reconciliation (issue 19)
    from toolkit.fixes import previous as fixes_previous

    sections = fixes_previous.extend(sections, inputs, lang)   # the previous round's fixes verified (issue 19)
    from toolkit.report import rounds_section

    sections = rounds_section.extend(sections, inputs, lang)   # change since the last round (issue 19)
    m = inputs.manifest
    report = Report(
        title=t("report.title", lang, name=inputs.evaluation.name),
        subtitle=(t("report.subtitle", lang, date=date.today().isoformat()),
                  t("report.subtitle_seed", lang, seed=m.get("seed", {}).get("value", ""),
                    sha=m.get("roster", {}).get("sha256", "")[:16]),
                  t("report.confidential", lang)),
        lang=lang, sections=sections)
    if screen:
        assert_clean(report, inputs.private_names, inputs.private_addresses, inputs.place_names)
    return report


__all__ = ["CHART_COUNTIES", "build", "chart_rows", "satisfaction_scale", "satisfaction_tables", "findings_by_type", "fix_list",
           "response_rates", "evidence_with_payments", "SAT_ITEMS", "SAFE_EVIDENCE", "SMALL_CELL"]
