"""The reconciliation as kept in the project: the stage ``output/reconcile/``.

Why a stage file and not the store: the result is derived whole from two
files (the union's report and the archive) and recomputed whole at every
check, like the verification's results; the store keeps decisions and the
audit log, not derived tables, and no migration is needed. Written as a whole
by toolkit.project.stagefiles.write_stage (0700/0600, encrypted at rest when
the project has a key; readers use toolkit.vault.source):

* ``reconcile.xlsx`` — what people read, in words (toolkit.tables: atomic,
  formula-neutralised): data consistency per county, the differences, every
  tally compared, the rows and cells not used with their reason, the sheets
  read, the archive rows not counted;
* ``compared.parquet``, ``consistency.parquet``, ``excluded.parquet``,
  ``sheets.parquet``, ``unplaced.parquet`` — the same as machine tables (codes);
* ``meta.json`` — the report file and its SHA-256, tolerances, years, counts.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.i18n import t
from toolkit.reconcile.compare import ALL, Reconciliation
from toolkit.reconcile.read import Reported
from toolkit.reconcile.spec import COUNT_MEASURES, Settings

STAGE = "reconcile"
TABLES = ("compared", "consistency", "excluded", "sheets", "unplaced")


def _num(values: pd.Series, measures: pd.Series) -> pd.Series:
    """Counts as whole numbers, amounts to the fen; missing as "—"."""
    v = pd.to_numeric(values, errors="coerce")
    count = measures.isin(COUNT_MEASURES).to_numpy()
    txt = np.where(count, v.round(0).map(lambda x: f"{x:,.0f}" if pd.notna(x) else "—"),
                   v.map(lambda x: f"{x:,.2f}" if pd.notna(x) else "—"))
    return pd.Series(txt, index=values.index, dtype=object)


def pct(values: pd.Series) -> pd.Series:
    """Shares as "94.7%" ("—" when none)."""
    return pd.to_numeric(values, errors="coerce").map(lambda x: f"{x:.1%}" if pd.notna(x) else "—")


def _county(values: pd.Series, lang: str) -> pd.Series:
    return values.astype("string").where(values.astype("string") != ALL, t("verify.all_counties", lang)).fillna("")


def compared_words(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Compared tallies (or differences) in words."""
    col = lambda k: t(f"recon.col.{k}", lang)  # noqa: E731
    return pd.DataFrame({
        col("county"): _county(frame["county"], lang),
        col("kind"): frame["kind"].map(lambda k: t(f"recon.kind.{k}", lang)),
        col("group"): frame["group"].astype("string").fillna(""),
        col("year"): frame["year"].astype("Int64").astype("string").fillna(""),
        col("measure"): frame["measure"].map(lambda k: t(f"recon.measure.{k}", lang)),
        col("reported"): _num(frame["reported"], frame["measure"]),
        col("archive"): _num(frame["archive"], frame["measure"]),
        col("difference"): _num(frame["difference"], frame["measure"]),
        col("share"): pct(frame["share"]),
        col("tolerance"): _num(frame["tolerance"], frame["measure"]),
        col("status"): frame["status"].map(lambda k: t(f"recon.status.{k}", lang)),
        col("sheet"): frame["sheet"].astype("string").fillna(""),
        col("row"): pd.to_numeric(frame["row"], errors="coerce").astype("Int64").astype("string").fillna(""),
    })


def verdict_words(consistency: pd.DataFrame, lang: str) -> pd.Series:
    """Per county: 全部一致 / N 项不一致 / 未核对."""
    bad = consistency["differs"] + consistency["not_reported"]
    out = [t("recon.verdict.nothing", lang) if n == 0 else t("recon.verdict.all_agree", lang) if b == 0
           else t("recon.verdict.some_differ", lang, n=int(b))
           for n, b in zip(consistency["compared"], bad)]
    return pd.Series(out, index=consistency.index, dtype=object)


def consistency_words(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The data-consistency indicator per county, in words."""
    col = lambda k: t(f"recon.col.{k}", lang)  # noqa: E731
    return pd.DataFrame({col("county"): _county(frame["county"], lang),
                         col("compared"): frame["compared"], col("agree"): frame["agree"],
                         col("differs"): frame["differs"], col("not_reported"): frame["not_reported"],
                         col("consistency"): pct(frame["consistency"]), col("verdict"): verdict_words(frame, lang)})


def excluded_words(frame: pd.DataFrame, counties: list[str], lang: str) -> pd.DataFrame:
    """Rows and cells of the union's file not used, with the reason in words."""
    col = lambda k: t(f"recon.col.{k}", lang)  # noqa: E731
    sep = "、" if lang == "zh" else ", "
    rule = [t(f"recon.rule.{r}", lang, first=d, counties=sep.join(counties)) for r, d in
            zip(frame["rule"], frame["detail"])]
    return pd.DataFrame({col("sheet"): frame["sheet"].astype("string"), col("row"): frame["row"].astype("int64"),
                         col("scope"): frame["scope"].map(lambda s: t(f"recon.scope.{s}", lang)),
                         col("column"): frame["column"].astype("string").fillna(""),
                         col("value"): frame["value"].astype("string").fillna(""), col("rule"): rule})


def sheets_words(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each sheet of the union's file: what it was read as, rows read, accepted, excluded."""
    col = lambda k: t(f"recon.col.{k}", lang)  # noqa: E731
    return pd.DataFrame({
        col("sheet"): frame["sheet"].astype("string"),
        col("kind"): frame["kind"].map(lambda k: t(f"recon.kind.{k}", lang) if k else "—"),
        col("header_row"): frame["header_row"].map(lambda r: str(int(r)) if r else "—"),
        col("read"): frame["read"].astype("int64"), col("accepted"): frame["accepted"].astype("int64"),
        col("excluded"): frame["excluded"].astype("int64"),
        col("reason"): frame["reason"].map(lambda r: t(f"recon.rule.{r}", lang) if r else "")})


def unplaced_words(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Roster and ledger rows the archive's tallies could not count."""
    col = lambda k: t(f"recon.col.{k}", lang)  # noqa: E731
    return pd.DataFrame({col("source"): frame["source"].map(lambda s: t(f"recon.source.{s}", lang)),
                         col("row"): frame["row"].astype("int64"),
                         col("archive_id"): frame["archive_id"].astype("string").fillna(""),
                         col("column"): frame["column"].map(lambda c: _field(c, lang)),
                         col("value"): frame["value"].astype("string").fillna(""),
                         col("rule"): frame["rule"].map(lambda r: t(f"recon.arule.{r}", lang))})


def _field(name: str, lang: str) -> str:
    from toolkit.roster.schema import BY_NAME, HELP_BY_NAME

    f = BY_NAME.get(name) or HELP_BY_NAME.get(name)
    return f.header if f else name


def workbook_sheets(rec: Reconciliation, reported: Reported, unplaced: pd.DataFrame, counties: list[str],
                    settings: Settings, lang: str) -> dict:
    """The sheets of ``reconcile.xlsx`` (toolkit.tables.Sheet by name)."""
    from toolkit.tables import Sheet

    note = t("recon.out.note", lang, count=f"{settings.count_tolerance:g}", amount=f"{settings.amount_tolerance:g}")
    title = t("recon.out.title", lang, path=Path(reported.source).name)
    s = lambda k: t(f"recon.out.sheet.{k}", lang)  # noqa: E731
    return {s("consistency"): Sheet(consistency_words(rec.consistency, lang), title=title, note=note),
            s("differences"): Sheet(compared_words(rec.differences, lang), note=note),
            s("compared"): compared_words(rec.compared, lang),
            s("excluded"): excluded_words(reported.excluded, counties, lang),
            s("sheets"): sheets_words(reported.sheets, lang),
            s("unplaced"): unplaced_words(unplaced, lang)}


def write(folder: Path, rec: Reconciliation, reported: Reported, unplaced: pd.DataFrame, counties: list[str],
          settings: Settings, lang: str, meta: dict) -> Path:
    """Write the stage ``folder`` as a whole (see the module doc); returns it."""
    from toolkit.project.stagefiles import write_stage
    from toolkit.tables import write_workbook

    tables = {"compared": rec.compared, "consistency": rec.consistency, "excluded": reported.excluded,
              "sheets": reported.sheets, "unplaced": unplaced}

    def fill(tmp: Path) -> None:
        for name, frame in tables.items():
            f = frame.copy()
            for c in f.columns:
                if f[c].dtype == object:
                    f[c] = f[c].astype("string")
            f.to_parquet(tmp / f"{name}.parquet", index=False)
        write_workbook(tmp / "reconcile.xlsx", workbook_sheets(rec, reported, unplaced, counties, settings, lang),
                       freeze=True, autofilter=True)

    src = Path(reported.source)
    digest = hashlib.sha256(src.read_bytes()).hexdigest() if src.is_file() else ""
    return write_stage(folder, fill, {"stage": STAGE, "report": str(src), "sha256": digest, "lang": lang,
                                      "count_tolerance": settings.count_tolerance,
                                      "amount_tolerance": settings.amount_tolerance, "years": list(rec.years),
                                      "unreported_kinds": list(rec.unreported_kinds), **meta})


def read(folder: Path) -> tuple[dict[str, pd.DataFrame], dict]:
    """The stored tables and meta.json; ({}, {}) when there is no complete stage."""
    import json

    from toolkit.vault import source

    folder = Path(folder)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, {}
    if not meta.get("complete"):
        return {}, {}
    return {n: pd.read_parquet(source(folder / f"{n}.parquet")) for n in TABLES
            if (folder / f"{n}.parquet").exists()}, meta


__all__ = ["STAGE", "TABLES", "write", "read", "compared_words", "consistency_words", "excluded_words",
           "sheets_words", "unplaced_words", "verdict_words", "pct", "workbook_sheets"]
