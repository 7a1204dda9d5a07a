"""The notebooks' key tables in words: what an evaluator reads beside each step.

:mod:`toolkit.report.steps` returns the toolkit's own frames (codes as column
names and values: ``n_draw``, ``quarantined``, ``missing_required``), which
the notebooks save for comparison with the commands' files. The functions here
turn each into the table a person reads — column headers and codes in words
through the i18n catalogue and :mod:`toolkit.labels`, rates in percent — in
``lang`` (zh default, en on request). Whole-column operations only; no values
of individual households.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.i18n import t


def _c(key: str, lang: str) -> str:
    return t(f"lab.col.{key}", lang)


def plan(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """steps.plan (county, N, n, n_draw, zero_failure_2pct) in words."""
    return pd.DataFrame({_c("county", lang): frame["county"].astype(str), _c("households", lang): frame["N"],
                         _c("needed", lang): frame["n"], _c("draw", lang): frame["n_draw"],
                         _c("zero_failure", lang): frame["zero_failure_2pct"]})


def sample_check(check, lang: str = "zh") -> pd.DataFrame:  # noqa: ANN001 - steps.SampleCheck
    """The re-derived sample (steps.SampleCheck) as item / result in words."""
    from toolkit.labels import yes_no

    diffs = "；".join(check.differences) if check.differences else t("lab.none", lang)
    rows = [("reproducible", yes_no(pd.Series([bool(check.ok)]), lang).iloc[0]), ("seed", check.seed),
            ("seed_source", check.seed_source or t("lab.none", lang)), ("fingerprint", check.roster_sha256),
            ("selected", f"{check.selected:,}"), ("reserves", f"{check.reserves:,}"), ("differences", diffs)]
    return pd.DataFrame({_c("item", lang): [t(f"lab.check.{k}", lang) for k, _ in rows],
                         _c("value", lang): [v for _, v in rows]})


def roster_overview(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """steps.roster_overview (county × archive status crosstab) with its axes named in words."""
    out = frame.copy()
    out.index.name = t("report.col.county", lang)
    out.columns.name = t("lab.col.status", lang)
    return out


def allocation(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Households per stratum (stratum, N_h, n_h) in words."""
    from toolkit.report.content import stratum_label

    strata = frame["stratum"].astype(str)
    words = {s: stratum_label(s, lang) for s in pd.unique(strata)}
    return pd.DataFrame({t("report.col.stratum", lang): strata.map(words), t("report.col.population", lang): frame["N_h"],
                         t("report.col.sample", lang): frame["n_h"]})


def ingest_counts(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """steps.ingest_counts (measure, notebook, project) in words, with "same"."""
    from toolkit.labels import yes_no

    measure = frame["measure"].astype(str)
    return pd.DataFrame({_c("measure", lang): measure.map({m: t(f"lab.measure.{m}", lang) for m in pd.unique(measure)}),
                         _c("notebook", lang): frame["notebook"], _c("project", lang): frame["project"],
                         _c("same", lang): yes_no(frame["notebook"] == frame["project"], lang)})


def _severity(values: pd.Series, lang: str) -> pd.Series:
    s = values.astype(str)
    return s.map({v: t(f"report.severity.{v}", lang) if v in ("error", "warning", "info") else v for v in pd.unique(s)})


def _or_none(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """An empty table says so in words instead of showing bare headers."""
    if len(frame):
        return frame
    return pd.DataFrame({t("report.col.count", lang): [t("lab.no_issues", lang)]})


def issues(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Validation issues by rule (IngestResult.issues_by_rule: rule, severity, count) in words."""
    from toolkit.report.content import rule_words

    return _or_none(pd.DataFrame({t("report.col.rule", lang): rule_words(frame["rule"], "ingest.rule", lang),
                                  t("report.col.severity", lang): _severity(frame["severity"], lang),
                                  t("report.col.count", lang): frame["count"]}), lang)


def quality(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Rows per daily quality check (steps.quality_overview: check, rows) in words."""
    from toolkit.report.content import check_words

    return pd.DataFrame({t("report.col.check", lang): check_words(frame["check"], lang),
                         t("report.col.rows", lang): frame["rows"]})


def roster_problems(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Roster problems (column, rule, severity, count) in words; no values."""
    from toolkit.labels import field_labels
    from toolkit.report.content import rule_words

    return _or_none(pd.DataFrame({t("report.col.field", lang): field_labels(frame["column"].astype(str), lang),
                                  t("report.col.rule", lang): rule_words(frame["rule"], "roster.rule", lang),
                                  t("report.col.severity", lang): _severity(frame["severity"], lang),
                                  t("report.col.count", lang): frame["count"]}), lang)


def findings(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Findings by type and county (finding, county, checked, flagged, rate) in words, rate in %."""
    from toolkit.labels import finding_names

    county = frame["county"].astype(str)
    from toolkit.report.content import _county

    return pd.DataFrame({t("report.col.finding", lang): finding_names(frame["finding"].astype(str), lang),
                         t("report.col.county", lang): county.map({c: _county(c, lang) for c in pd.unique(county)}),
                         t("report.col.checked", lang): frame["checked"], t("report.col.flagged", lang): frame["flagged"],
                         t("report.col.rate", lang): (pd.to_numeric(frame["rate"], errors="coerce") * 100).round(1)})


@dataclass(frozen=True)
class Chart:
    """A chart shown inline: the PNG and its caption (the caption is the text
    a plain-text viewer shows instead of an object's name)."""

    title: str
    png: bytes

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:  # noqa: ANN001 - IPython's protocol
        import base64

        return {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.title}


def satisfaction(inputs, lang: str = "zh") -> dict[str, object]:  # noqa: ANN001 - ReportInputs
    """The report's satisfaction tables and charts (toolkit.report.content), in
    words: ``estimates`` (weighted, by county), ``reliability`` (items),
    ``counts`` (answers of the overall item by county), ``charts`` (PNG images)."""
    from toolkit.report import content

    sec = content._satisfaction(inputs, lang)
    tables = {tb.key: tb.frame for tb in sec.tables}
    return {"estimates": tables.get("satisfaction"), "reliability": tables.get("reliability"),
            "counts": tables.get("satisfaction_counts"),
            "charts": [Chart(f.title, f.png) for f in sec.figures]}


def reliability(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Cronbach's alpha of the scale (alpha, standardized_alpha, n, k) in words."""
    return pd.DataFrame({_c("alpha", lang): frame["alpha"].round(3), _c("std_alpha", lang): frame["standardized_alpha"].round(3),
                         _c("respondents", lang): frame["n"], _c("items", lang): frame["k"]})


def files(paths: dict[str, Path], lang: str = "zh") -> pd.DataFrame:
    """The report's files ({format: path}) as format in words / file."""
    return pd.DataFrame({_c("format", lang): [t(f"lab.format.{k}", lang) for k in paths],
                         _c("file", lang): [str(p) for p in paths.values()]})


__all__ = ["Chart", "roster_overview", "plan", "sample_check", "allocation", "ingest_counts", "issues", "quality", "roster_problems", "findings",
           "satisfaction", "reliability", "files"]
