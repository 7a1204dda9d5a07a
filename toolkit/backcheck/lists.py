"""Back-check visit lists (one A4 workbook per back-checker) and the form's preload CSV.

Same shapes as the main visit lists (toolkit.sampling.visit_lists): printed
on A4 landscape fitted to the width, header row repeated, gridlines, the
back-checker in the page header, "第 X 页 共 Y 页", owner-only (0600),
written through toolkit.tables (formula-like roster text neutralised).
Names, phones and addresses are in full (the back-checker calls or knocks);
the original interviewer's answers are NOT on the list nor in the preload: a
back-check is blind. The ledger payments to ask about (item and year, from
the archive's ledger) are listed because item R43 asks about each one.

``backcheck_preload.csv`` (UTF-8, no BOM) for ODK / Kobo ``pulldata()`` or an
entity list: name (= archive id), label, archive_id, county, township,
backchecker, address, phone, payments.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from toolkit.i18n import t
from toolkit.tables import atomic_path, write_table, write_workbook

PRELOAD = "backcheck_preload.csv"
PRELOAD_COLUMNS = ("name", "label", "archive_id", "county", "township", "backchecker", "address", "phone",
                   "payments")
LIST_COLUMNS = ("no", "county", "township", "archive_id", "hh_name", "phone", "address", "payments", "mode",
                "reach", "date", "notes")
REACH = ("reached", "not_reached", "refused", "not_exist")


def details(picks: pd.DataFrame, roster: pd.DataFrame, main_preload: pd.DataFrame | None,
            payments: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Picks with county, township, name, phone, address and the ledger payments in words."""
    from toolkit.labels import value_words

    out = picks.copy()
    out["archive_id"] = out["archive_id"].astype(str)
    r = roster.drop_duplicates("archive_id").set_index(roster["archive_id"].drop_duplicates().astype(str)) \
        if len(roster) else pd.DataFrame()
    m = main_preload.drop_duplicates("archive_id").set_index("archive_id") \
        if main_preload is not None and len(main_preload) else pd.DataFrame()

    def col(name: str, *sources: tuple[pd.DataFrame, str]) -> pd.Series:
        s = pd.Series(pd.NA, index=out.index, dtype="string")
        for frame, c in sources:
            if len(frame) and c in frame:
                s = s.fillna(frame[c].astype("string").reindex(out["archive_id"]).set_axis(out.index))
        return s.fillna("")

    out["county"] = col("county", (r, "county"), (m, "county"))
    out["township"] = col("township", (r, "township"), (m, "township"))
    out["hh_name"] = col("name", (r, "name"), (m, "name_masked"))
    out["phone"] = col("phone", (r, "phone")).str.replace(r"\.0$", "", regex=True)   # a phone read as a number
    out["address"] = col("address", (r, "address"), (m, "address"))
    if len(payments) and {"archive_id", "pay_item", "pay_year"} <= set(payments.columns):
        p = payments.assign(archive_id=payments["archive_id"].astype(str))
        words = value_words(p["pay_item"], "pay_item", lang)
        year = pd.to_numeric(p["pay_year"], errors="coerce").astype("Int64").astype("string").fillna("")
        p = p.assign(_w=words.astype("string").fillna("") + " " + year)
        joined = p.groupby("archive_id")["_w"].agg(lambda x: "；".join(x) if lang == "zh" else "; ".join(x))
        out["payments"] = joined.reindex(out["archive_id"]).fillna("").to_numpy()
    else:
        out["payments"] = ""
    return out


def write_lists(picks: pd.DataFrame, outdir: Path, *, manifest: dict, lang: str = "zh") -> dict[str, Path]:
    """One workbook per back-checker (``复核名单_<name>.xlsx`` / ``backcheck_list_<name>.xlsx``)
    and the preload CSV; returns {back-checker or 'preload': path}."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True, mode=0o700)
    heads = {c: t(f"backcheck.list.{c}", lang) for c in LIST_COLUMNS}
    prefix = "复核名单" if lang == "zh" else "backcheck_list"
    about = about_sheet(manifest, lang)
    written: dict[str, Path] = {}
    for bc, part in picks.sort_values(["backchecker", "county", "township", "archive_id"]).groupby(
            "backchecker", sort=True):
        f = part.reset_index(drop=True)
        f["no"] = range(1, len(f) + 1)
        for c in ("mode", "reach", "date", "notes"):
            f[c] = ""
        sheet = f[list(LIST_COLUMNS)].rename(columns=heads)
        path = write_workbook(outdir / f"{prefix}_{_safe(str(bc))}.xlsx",
                              {t("backcheck.list.sheet", lang): sheet, t("backcheck.list.about", lang): about},
                              freeze=True, autofilter=True)
        print_setup(path, str(bc), lang)
        written[str(bc)] = path
    pre = picks.copy()
    pre["name"] = pre["archive_id"]
    pre["label"] = (pre["township"].astype("string").fillna("") + " · " + pre["archive_id"].astype(str))
    p = write_table(pre[list(PRELOAD_COLUMNS)], outdir / PRELOAD, encoding="utf-8")
    os.chmod(p, 0o600)
    written["preload"] = p
    return written


def about_sheet(manifest: dict, lang: str) -> pd.DataFrame:
    """The 说明 sheet: seeds of the draws, the main manifest's hash, contact results, the rules."""
    rows = []
    for d in manifest.get("draws", []):
        rows.append((t("backcheck.list.about_draw", lang, n=d["draw"]),
                     t("backcheck.list.about_seed", lang, seed=d["seed"], share=f"{float(d['share']):.0%}",
                       n=len(d["picks"]))))
    rows.append((t("backcheck.list.about_main", lang), manifest.get("main_manifest_sha256", "")))
    rows.append((t("backcheck.list.about_algorithm", lang), manifest.get("algorithm", "")))
    rows.append(("", ""))
    rows.append((t("backcheck.list.reach", lang), "  ".join(numbered_reach(lang))))
    rows.append((t("backcheck.list.rules_title", lang), t("backcheck.list.rules", lang)))
    return pd.DataFrame(rows, columns=[t("backcheck.list.about_item", lang), t("backcheck.list.about_value", lang)])


def numbered_reach(lang: str) -> list[str]:
    """The contact results as numbered words ("1 联系上本户" …)."""
    return [f"{i} {t(f'backcheck.reach.{k}', lang)}" for i, k in enumerate(REACH, start=1)]


def print_setup(path: Path, backchecker: str, lang: str) -> None:
    """A4 landscape fitted to the width, header row repeated, gridlines, the
    back-checker in the page header, page X of Y, the contact result as a
    drop-down of numbered words; atomic, 0600."""
    import openpyxl
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = openpyxl.load_workbook(path)
    reach_head = t("backcheck.list.reach", lang)
    for i, ws in enumerate(wb.worksheets):
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.oddFooter.right.text = t("paper.lists.page", lang)
        ws.oddFooter.right.size = 8
        if i:
            ws.page_setup.orientation = "portrait"
            continue
        ws.page_setup.orientation = "landscape"
        ws.print_title_rows = "1:1"
        ws.print_options.gridLines = True
        ws.oddHeader.center.text = t("backcheck.list.header", lang, who=backchecker)
        ws.oddHeader.center.size = 10
        heads = {str(c.value): c.column_letter for c in ws[1] if c.value is not None}
        for key, width in (("address", 34.0), ("payments", 30.0), ("notes", 18.0), ("reach", 16.0)):
            c = heads.get(t(f"backcheck.list.{key}", lang))
            if c:
                ws.column_dimensions[c].width = width
        col = heads.get(reach_head)
        if col and ws.max_row >= 2:
            dv = DataValidation(type="list", formula1='"' + ",".join(numbered_reach(lang)) + '"',
                                allow_blank=True, showErrorMessage=False)
            dv.add(f"{col}2:{col}{ws.max_row}")
            ws.add_data_validation(dv)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    os.chmod(path, 0o600)


def _safe(name: str) -> str:
    return re.sub(r"[^\w\-]+", "_", name)[:40] or "_"


__all__ = ["write_lists", "details", "PRELOAD", "PRELOAD_COLUMNS", "LIST_COLUMNS", "REACH"]
