"""The workbook the union fills in: one sheet per tally kind, headers in
words (zh or en), drop-down lists for county, category, status and help
item, whole numbers ≥ 0 for counts, a sheet of instructions.

The package ships the blank templates (``toolkit/reconcile/template/
union_report_zh.xlsx`` and ``_en.xlsx``; rebuilt by ``python -m
toolkit.reconcile.workbook``); ``fieldeval reconcile template --project DIR``
writes one with the project's counties filled in (one row per county ×
category, status, and help item × year), so the union only types numbers.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.config import CATEGORIES, STATUSES
from toolkit.i18n import t
from toolkit.roster.schema import HELP_ITEMS

HEADERS = {"category": ("county", "category", "households", "persons"),
           "status": ("county", "status", "households"),
           "payments": ("county", "item", "year", "payments", "amount")}
LISTS = {"county": None, "category": CATEGORIES, "status": STATUSES, "item": HELP_ITEMS}


def frames(counties: list[str], years: list[int], lang: str = "zh") -> dict[str, pd.DataFrame]:
    """The three tally sheets as frames (headers in words), pre-filled with
    ``counties`` × groups (× ``years`` for payments) and blank numbers."""
    def grid(groups: tuple[str, ...], yrs: list[int] | None) -> pd.DataFrame:
        if not counties:
            return pd.DataFrame({"county": pd.Series(dtype=object), "group": pd.Series(dtype=object)})
        idx = pd.MultiIndex.from_product([counties, list(groups)] + ([yrs] if yrs else []))
        return idx.to_frame(index=False)

    out = {}
    for kind, cols in HEADERS.items():
        groups = {"category": CATEGORIES, "status": STATUSES, "payments": HELP_ITEMS}[kind]
        g = grid(groups, years if kind == "payments" else None)
        body = {cols[0]: g.iloc[:, 0] if len(g) else pd.Series(dtype=object),
                cols[1]: g.iloc[:, 1] if len(g) else pd.Series(dtype=object)}
        if kind == "payments":
            body["year"] = g.iloc[:, 2].astype("Int64") if len(g) and g.shape[1] > 2 else pd.Series(dtype="Int64")
        for c in cols[len(body):]:
            body[c] = pd.Series([None] * len(g), dtype=object)
        out[t(f"recon.tpl.sheet.{kind}", lang)] = pd.DataFrame(
            {t(f"recon.tpl.col.{c}", lang): v for c, v in body.items()})
    return out


def write(path: str | Path, counties: list[str], years: list[int], lang: str = "zh", *, rows: int = 200) -> Path:
    """Write the template to ``path`` (atomic, formula-neutralised, through
    toolkit.tables.write_workbook); drop-downs and number rules cover the
    filled rows and ``rows`` more."""
    from openpyxl.worksheet.datavalidation import DataValidation

    from toolkit.tables import Sheet, sheet_name, write_workbook

    sheets = frames(counties, years, lang)
    notes = pd.DataFrame({t("recon.tpl.col.notes", lang): [t(f"recon.tpl.note{i}", lang) for i in range(1, 9)]})
    kinds = list(HEADERS)
    lists_name = t("recon.tpl.sheet.lists", lang)

    def finish(book) -> None:  # noqa: ANN001 - openpyxl Workbook
        ws = book.create_sheet(sheet_name(lists_name))
        refs = {}
        for j, (name, values) in enumerate(LISTS.items(), 1):
            vals = list(counties) if name == "county" else list(values)
            letter = ws.cell(row=1, column=j).column_letter
            ws.cell(row=1, column=j, value=t(f"recon.tpl.col.{name}", lang))
            for i, v in enumerate(vals, 2):
                ws.cell(row=i, column=j, value=v)
            if vals:
                refs[name] = f"'{ws.title}'!${letter}$2:${letter}${len(vals) + 1}"
        ws.sheet_state = "hidden"
        for kind, (name, frame) in zip(kinds, sheets.items()):
            sh = book[sheet_name(name)]
            last = max(len(frame) + 1 + rows, 2)
            for j, col in enumerate(HEADERS[kind], 1):
                letter = sh.cell(row=1, column=j).column_letter
                area = f"{letter}2:{letter}{last}"
                if col in refs:
                    dv = DataValidation(type="list", formula1=refs[col], allow_blank=True, showErrorMessage=True,
                                        errorTitle=t("recon.tpl.dv_title", lang),
                                        error=t("recon.tpl.dv_list", lang))
                elif col == "year":
                    dv = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100",
                                        allow_blank=True, showErrorMessage=True,
                                        errorTitle=t("recon.tpl.dv_title", lang), error=t("recon.tpl.dv_year", lang))
                elif col == "amount":
                    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                        showErrorMessage=True, errorTitle=t("recon.tpl.dv_title", lang),
                                        error=t("recon.tpl.dv_amount", lang))
                elif col in ("households", "persons", "payments"):
                    dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                        showErrorMessage=True, errorTitle=t("recon.tpl.dv_title", lang),
                                        error=t("recon.tpl.dv_count", lang))
                else:
                    continue
                dv.add(area)
                sh.add_data_validation(dv)

    return write_workbook(path, {t("recon.tpl.sheet.notes", lang): Sheet(notes, title=t("recon.tpl.title", lang)),
                                 **sheets}, freeze=True, finish=finish)


def build_package() -> list[Path]:
    """Rebuild the shipped blank templates (zh, en)."""
    from toolkit.reconcile.template import path

    out = [write(path(lang), [], [], lang, rows=500) for lang in ("zh", "en")]
    for p in out:
        p.chmod(0o644)   # package data, readable by everyone
    return out


if __name__ == "__main__":
    for p in build_package():
        print(p)
