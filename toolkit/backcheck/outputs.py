"""The back-check results: computed once, written as parquet (for the report
and the quality page) and as one workbook in words.

``output/backcheck/`` (0700 folder, 0600 files): ``comparison.xlsx`` (one
sheet per table below, headers and values in words, through toolkit.tables)
and one parquet per table; ``output/field/backchecks.parquet``: one row per
compared item with ``enumerator`` and ``result`` (same / different /
not_compared) — the shape the quality page reads
(toolkit.widgets.quality.read_backchecks) — plus type, item, backchecker,
team and ``flagged`` (the interviewer is flagged).

When the project has a key every one of these files is encrypted
(toolkit.vault: households, interviewers and back-checkers are named in
them); :func:`read` and the quality page read them back through
``toolkit.vault.source``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.backcheck import stats
from toolkit.backcheck.compare import BackcheckComparison
from toolkit.backcheck.settings import BackcheckSettings
from toolkit.i18n import t

TABLES = ("overall", "enumerators", "backcheckers", "teams", "items", "households", "reliability", "tests",
          "coverage", "pairs", "not_used")


@dataclass(frozen=True, eq=False)
class BackcheckResults:
    """Every table of the comparison (TABLES) and the settings used."""

    tables: dict
    settings: BackcheckSettings

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in TABLES:
            return self.tables[name]
        raise AttributeError(name)


def summarise(comp: BackcheckComparison, settings: BackcheckSettings, *, picks: pd.DataFrame | None = None,
              targets: pd.DataFrame | None = None) -> BackcheckResults:
    """All the tables of a comparison (toolkit.backcheck.stats)."""
    tb = comp.table
    enum = stats.rates(tb, ["enumerator"]).merge(
        stats.flag_units(tb, settings, "enumerator")[["enumerator", "households", "households_different",
                                                      "p_value", "p_holm", "flagged"]], on="enumerator", how="left")
    bcs = stats.rates(tb, ["backchecker"]).merge(
        stats.flag_units(tb, settings, "backchecker")[["backchecker", "households", "households_different",
                                                       "p_value", "p_holm", "flagged"]], on="backchecker", how="left")
    for f in (enum, bcs):
        f["flagged"] = f["flagged"].fillna(False).astype(bool)
    tables = {
        "overall": stats.rates(tb, []),
        "enumerators": enum,
        "backcheckers": bcs,
        "teams": stats.rates(tb, ["team"]),
        "items": stats.rates(tb, ["item", "type"]),
        "households": stats.households_above(tb, settings),
        "reliability": stats.reliability(tb),
        "tests": stats.paired_tests(tb),
        "coverage": stats.coverage(picks if picks is not None else pd.DataFrame(columns=["archive_id", "interviewer"]),
                                   targets, comp.households),
        "pairs": tb,
        "not_used": comp.not_used,
    }
    return BackcheckResults(tables, settings)


def field_table(res: BackcheckResults) -> pd.DataFrame:
    """``field/backchecks.parquet``: the quality page's shape (module doc)."""
    tb = res.pairs
    flagged = set(res.enumerators.loc[res.enumerators["flagged"], "enumerator"].astype(str))
    return pd.DataFrame({"enumerator": tb["enumerator"].astype(str), "result": tb["result"].astype(str),
                         "type": tb["type"].astype(int), "item": tb["item"].astype(str),
                         "backchecker": tb["backchecker"].astype(str), "team": tb["team"].astype(str),
                         "flagged": tb["enumerator"].astype(str).isin(flagged)})


def _pct(x: pd.Series) -> pd.Series:
    from toolkit.labels import percent

    return percent(pd.to_numeric(x, errors="coerce")).fillna("—").replace({"": "—"})


def _num(x: pd.Series, digits: int = 3) -> pd.Series:
    v = pd.to_numeric(x, errors="coerce")
    return v.map(lambda a: "—" if pd.isna(a) else f"{a:.{digits}g}" if abs(a) < 1e-3 and a != 0
                 else f"{a:,.{digits}f}").astype(object)


def in_words(res: BackcheckResults, items: tuple, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """Every table with headers, codes and numbers in words (for comparison.xlsx)."""
    label = {i.name: i.label(lang) for i in items}
    type_word = {k: t(f"backcheck.type.{k}", lang) for k in stats.TYPES}
    yes, no = t("backcheck.yes", lang), t("backcheck.no", lang)

    def rate_cols(f: pd.DataFrame, lead: list[str]) -> pd.DataFrame:
        out = pd.DataFrame(index=f.index)
        for c in lead:
            out[t(f"backcheck.col.{c}", lang)] = f[c].map(lambda v: label.get(v, v)) if c == "item" else \
                (f[c].map(type_word) if c == "type" else f[c].astype(object))
        out[t("backcheck.col.compared", lang)] = f["compared"]
        out[t("backcheck.col.different", lang)] = f["different"]
        out[t("backcheck.col.error_rate", lang)] = _pct(f["error_rate"])
        if "type" not in lead:
            for k in stats.TYPES:
                out[t("backcheck.col.compared_t", lang, type=type_word[k])] = f[f"compared_{k}"]
                out[t("backcheck.col.error_rate_t", lang, type=type_word[k])] = _pct(f[f"error_rate_{k}"])
        return out

    def flags(f: pd.DataFrame, lead: str, action: str) -> pd.DataFrame:
        out = rate_cols(f, [lead])
        for c in ("households", "households_different"):
            out[t(f"backcheck.col.{c}", lang)] = f[c].fillna(0).astype(int)
        out[t("backcheck.col.p_value", lang)] = _num(f["p_value"])
        out[t("backcheck.col.p_holm", lang)] = _num(f["p_holm"])
        out[t("backcheck.col.flagged", lang)] = np.where(f["flagged"], yes, no)
        out[t("backcheck.col.action", lang)] = np.where(f["flagged"], t(action, lang), t("backcheck.flag_none", lang))
        return out

    tb = res.pairs
    words = {
        "summary": summary_words(res, lang),
        "enumerators": flags(res.enumerators, "enumerator", "backcheck.flag_enumerator"),
        "backcheckers": flags(res.backcheckers, "backchecker", "backcheck.flag_backchecker"),
        "teams": rate_cols(res.teams, ["team"]),
        "items": rate_cols(res.items, ["item", "type"]),
    }
    h = res.households
    hw = rate_cols(h, ["id", "team", "enumerator", "backchecker"])
    hw[t("backcheck.col.over", lang)] = h["over"].map(
        lambda s: "；".join(type_word[int(x)] for x in str(s).split(",") if x) if lang == "zh"
        else "; ".join(type_word[int(x)] for x in str(s).split(",") if x))
    words["households"] = hw
    rel = res.reliability
    rw = pd.DataFrame({t("backcheck.col.item", lang): rel["item"].map(lambda v: label.get(v, v)),
                       t("backcheck.col.type", lang): rel["type"].map(type_word),
                       t("backcheck.col.n", lang): rel["n"]})
    for c in ("mean_original", "mean_backcheck", "srv", "total_variance", "reliability", "inconsistency"):
        rw[t(f"backcheck.col.{c}", lang)] = _num(rel[c])
    words["reliability"] = rw
    te = res.tests
    words["tests"] = pd.DataFrame({
        t("backcheck.col.item", lang): te["item"].map(lambda v: label.get(v, v)),
        t("backcheck.col.type", lang): te["type"].map(type_word),
        t("backcheck.col.test", lang): te["test"].map(lambda k: t(f"backcheck.test.{k}", lang)),
        t("backcheck.col.n", lang): te["n"], t("backcheck.col.shift", lang): _num(te["shift"]),
        t("backcheck.col.statistic", lang): _num(te["statistic"]), t("backcheck.col.p_test", lang): _num(te["p_value"])})
    cv = res.coverage
    cw = pd.DataFrame({t("backcheck.col.enumerator", lang): cv["enumerator"]})
    for c in ("visits", "target", "drawn", "checked", "outside_draw"):
        cw[t(f"backcheck.col.{c}", lang)] = pd.to_numeric(cv[c], errors="coerce").astype("Int64").astype(object) \
            .where(cv[c].notna(), "—")
    cw[t("backcheck.col.coverage", lang)] = _pct(cv["coverage"])
    words["coverage"] = cw
    words["pairs"] = pd.DataFrame({
        t("backcheck.col.id", lang): tb["id"], t("backcheck.col.team", lang): tb["team"],
        t("backcheck.col.enumerator", lang): tb["enumerator"], t("backcheck.col.backchecker", lang): tb["backchecker"],
        t("backcheck.col.item", lang): tb["item"].map(lambda v: label.get(v, v)),
        t("backcheck.col.type", lang): tb["type"].map(type_word),
        t("backcheck.col.original", lang): _values(tb["original"], tb["item"], lang),
        t("backcheck.col.backcheck", lang): _values(tb["backcheck"], tb["item"], lang),
        t("backcheck.col.result", lang): tb["result"].map(lambda k: t(f"backcheck.result.{k}", lang)),
        t("backcheck.col.reason", lang): tb["reason"].map(lambda k: t(f"backcheck.reason.{k}", lang))})
    nu = res.not_used
    words["not_used"] = pd.DataFrame({
        t("backcheck.col.KEY", lang): nu["KEY"], t("backcheck.col.archive_id", lang): nu["archive_id"],
        t("backcheck.col.reason", lang): nu["reason"].map(lambda k: t(f"backcheck.reason.{k}", lang))})
    return words


def _values(values: pd.Series, items: pd.Series, lang: str) -> pd.Series:
    """Answers in words: choice codes through the back-check form's labels, numbers as written."""
    from toolkit.backcheck.spec import form_path
    from toolkit.forms.reader import read_xlsform

    form = read_xlsform(form_path())
    out = values.astype(object).where(values.notna(), "")
    lists = {q.name: q.list_name for q in form.questions if q.list_name}
    labels = {(c.list_name, c.name): form.label(c, lang) for cs in form.choices.values() for c in cs}
    key = pd.Series(list(zip(items.map(lists).fillna(""), out.astype(str))), index=out.index)
    mapped = key.map(labels)
    out = mapped.where(mapped.notna(), out)
    num = pd.to_numeric(values, errors="coerce")
    whole = num.notna() & (num == num.round()) & mapped.isna()
    out = out.where(~whole, num.map(lambda v: "" if pd.isna(v) else f"{v:,.0f}"))
    return out.astype(object)


def summary_words(res: BackcheckResults, lang: str) -> pd.DataFrame:
    """The 概要 sheet: households, pairs, rates by type, flagged people, method."""
    o = res.overall.iloc[0] if len(res.overall) else None
    s = res.settings
    rows = [(t("backcheck.sum.households", lang), str(res.pairs["id"].nunique())),
            (t("backcheck.sum.pairs", lang), str(int(o["compared"]) if o is not None else 0))]
    for k in stats.TYPES:
        v = o[f"error_rate_{k}"] if o is not None else np.nan
        rows.append((t("backcheck.sum.rate", lang, type=t(f"backcheck.type.{k}", lang)),
                     "—" if pd.isna(v) else f"{v:.1%}"))
    fe = res.enumerators[res.enumerators["flagged"]]["enumerator"].astype(str).tolist()
    fb = res.backcheckers[res.backcheckers["flagged"]]["backchecker"].astype(str).tolist()
    sep = "、" if lang == "zh" else ", "
    rows += [(t("backcheck.sum.flagged", lang), sep.join(fe) or t("backcheck.flag_none", lang)),
             (t("backcheck.sum.flagged_bc", lang), sep.join(fb) or t("backcheck.flag_none", lang)),
             (t("backcheck.sum.over", lang), str(len(res.households))),
             (t("backcheck.sum.not_used", lang), str(len(res.not_used))),
             (t("backcheck.sum.method", lang), method_sentence(s, lang))]
    return pd.DataFrame(rows, columns=[t("backcheck.col.what", lang), t("backcheck.col.value", lang)])


def method_sentence(s: BackcheckSettings, lang: str) -> str:
    """The method in one sentence (report and workbook)."""
    return t("backcheck.method", lang, share=f"{s.share:.0%}", min=s.min_per_enumerator,
             t1=f"{s.threshold_type1:.0%}", alpha=s.alpha)


def write(res: BackcheckResults, items: tuple, folder: Path, field_dir: Path, lang: str = "zh") -> dict[str, Path]:
    """comparison.xlsx + one parquet per table in ``folder``; backchecks.parquet in ``field_dir``."""
    from toolkit.tables import write_workbook
    from toolkit.vault import seal_file

    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    field_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    out: dict[str, Path] = {}
    for name in TABLES:
        p = folder / f"{name}.parquet"
        frame = res.tables[name].copy()
        for c in frame.columns:
            if frame[c].dtype == object:
                frame[c] = frame[c].map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v))
                                        else str(v))
        _parquet(frame, p)
        out[name] = p
    words = in_words(res, items, lang)
    sheets = {t(f"backcheck.sheet.{k}", lang): v for k, v in words.items()}
    xlsx = write_workbook(folder / "comparison.xlsx", sheets, freeze=True, autofilter=True)
    os.chmod(xlsx, 0o600)
    seal_file(xlsx)
    out["xlsx"] = xlsx
    fp = field_dir / "backchecks.parquet"
    _parquet(field_table(res), fp)
    out["field"] = fp
    return out


def _parquet(frame: pd.DataFrame, path: Path) -> None:
    """``frame`` as Parquet at ``path``: atomic, 0600, encrypted when the project has a key."""
    import io

    from toolkit.vault import write_bytes

    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    write_bytes(path, buf.getvalue())


def read(folder: Path) -> dict[str, pd.DataFrame] | None:
    """The stored tables (TABLES) or None when no comparison was written."""
    from toolkit.vault import source

    if not (Path(folder) / "overall.parquet").is_file():
        return None
    return {n: pd.read_parquet(source(Path(folder) / f"{n}.parquet")) for n in TABLES
            if (Path(folder) / f"{n}.parquet").is_file()}


__all__ = ["BackcheckResults", "summarise", "write", "read", "in_words", "field_table", "method_sentence", "TABLES"]
