"""The synthetic union's filled report (统计表) for the demo and tests, with
planted differences and filled the way union offices fill workbooks.

Planted differences (``planted`` frame: kind, county, group, year, measure,
reported, archive, status; the only differences the file holds):

1. the first county over-reports its 深度困难 households by 3 (persons as archived);
2. the second county under-reports the amount of its largest help item in
   the reporting year by 12,000 yuan (1.2 万元);
3. the third county swaps 深度困难 and 相对困难 (households and persons);
4. the fourth county leaves out its 注销 row on the status sheet (not reported).

Office habits that must not make a difference: title and unit rows above the
header, a two-level merged header (发放情况 over 笔数 and 金额（万元）), each
county merged down its rows, a 小计 row per county and a 合计 row, numbers
stored as text with thousands separators or a unit (1,234 / 12户), "—" for
none, amounts in 万元 to four decimals, a blank row, a signature row, a row
for a county outside the project and a repeated row: every such row is
excluded with its reason, never counted.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.config import CATEGORIES, STATUSES
from toolkit.reconcile.archive import ArchiveTallies
from toolkit.roster.schema import HELP_ITEMS

PLANT_HOUSEHOLDS = 3
PLANT_AMOUNT = 12_000.0
OUTSIDE_COUNTY = "高新区"


@dataclass(frozen=True, eq=False)
class UnionReport:
    """The written file, the planted differences and the rows that must be excluded
    (sheet, row, rule)."""

    path: Path
    planted: pd.DataFrame
    excluded: pd.DataFrame
    year: int


def _lookup(frame: pd.DataFrame):  # noqa: ANN202 - a small closure over one dict
    """cell(kind, county, group, measure, year=None) → the archive's value (0 when none)."""
    key = list(zip(frame["kind"], frame["county"], frame["group"], frame["measure"],
                   frame["year"].astype("Int64").fillna(0).astype(int)))
    values = dict(zip(key, frame["value"].astype(float)))

    def cell(kind: str, county: str, group: str, measure: str, year: int | None = None) -> float:
        return values.get((kind, county, group, measure, int(year or 0)), 0.0)

    return cell


def _text_number(v: float) -> str:
    return f"{int(round(v)):,}"


def write_union_report(archive: ArchiveTallies, counties: list[str], path: str | Path) -> UnionReport:
    """Write the synthetic union's report for ``counties`` (at least four) from
    the archive's tallies (toolkit.reconcile.archive.tallies) to ``path``."""
    import openpyxl

    from toolkit.tables import atomic_path

    if len(counties) < 4:
        raise ValueError("the synthetic union report plants differences in four counties")
    a = archive.tallies
    year = int(a.loc[a["kind"] == "payments", "year"].max())
    _cell = _lookup(a)
    planted: list[dict] = []
    excluded: list[tuple[str, int, str]] = []
    wb = openpyxl.Workbook()

    # --- sheet 1: registered households and persons by category -----------------------------
    ws = wb.active
    ws.title = "在档户数人数"
    ws.append([f"{year}年困难职工在档情况统计表"])
    ws.merge_cells("A1:D1")
    ws.append(["填报单位：市总工会", None, None, "截至日期：12月31日"])
    ws.append(["区县", "困难类别", "在档户数（户）", "在档人数（人）"])
    row = 4
    cat_rows = {}
    swap = {"深度困难": "相对困难", "相对困难": "深度困难"}
    for ci, c in enumerate(counties):
        first = row
        tot_h = tot_p = 0.0
        for g in CATEGORIES:
            src = swap.get(g, g) if ci == 2 else g
            h = _cell("category", c, src, "households")
            p = _cell("category", c, src, "persons")
            if ci == 0 and g == "深度困难":
                h += PLANT_HOUSEHOLDS
            for m, rep in (("households", h), ("persons", p)):
                arc = _cell("category", c, g, m)
                if rep != arc:
                    planted.append({"kind": "category", "county": c, "group": g, "year": pd.NA, "measure": m,
                                    "reported": rep, "archive": arc, "status": "differs"})
            ws.append([c, g, h if h else "—", _text_number(p) if p >= 1000 else (str(int(p)) if p else "—")])
            cat_rows[(c, g)] = row
            tot_h, tot_p = tot_h + h, tot_p + p
            row += 1
        ws.append([c, "小计", tot_h, tot_p])
        excluded.append(("在档户数人数", row, "total_row"))
        ws.merge_cells(f"A{first}:A{row}")
        row += 1
        if ci == 1:
            ws.append([])
            excluded.append(("在档户数人数", row, "blank_row"))
            row += 1
    ws.append(["合计", None, None, None])
    excluded.append(("在档户数人数", row, "total_row"))
    row += 1
    ws.append([OUTSIDE_COUNTY, "深度困难", 5, 9])
    excluded.append(("在档户数人数", row, "unknown_county"))
    row += 1
    ws.append(["填表人：（签字）", None, "审核人：（签字）", None])
    excluded.append(("在档户数人数", row, "note_row"))

    # --- sheet 2: households by archive status -----------------------------------------------
    ws = wb.create_sheet("户数按档案状态")
    ws.append(["区县", "档案状态", "户数"])
    row = 2
    for ci, c in enumerate(counties):
        for g in STATUSES:
            h = _cell("status", c, g, "households")
            if ci == 3 and g == "注销":
                if h:
                    planted.append({"kind": "status", "county": c, "group": g, "year": pd.NA, "measure": "households",
                                    "reported": float("nan"), "archive": h, "status": "not_reported"})
                continue
            ws.append([c, g, f"{int(h)}户" if h else "—"])
            row += 1
    ws.append([counties[0], STATUSES[0], f"{int(_cell('status', counties[0], STATUSES[0], 'households'))}户"])
    excluded.append(("户数按档案状态", row, "duplicate_row"))

    # --- sheet 3: payments by item and year, two-level merged header, 万元 ---------------------
    ws = wb.create_sheet("帮扶资金")
    ws.append([f"{year}年度困难职工帮扶资金发放统计表"])
    ws.merge_cells("A1:E1")
    ws.append(["单位：万元"])
    ws.append(["区县", "帮扶项目", "年度", "发放情况", None])
    ws.append([None, None, None, "笔数", "金额（万元）"])
    for rng in ("A3:A4", "B3:B4", "C3:C4", "D3:E3"):
        ws.merge_cells(rng)
    row = 5
    pay = a[(a["kind"] == "payments") & (a["year"] == year)]
    for ci, c in enumerate(counties):
        first = row
        amounts = pay[(pay["county"] == c) & (pay["measure"] == "amount")].set_index("group")["value"]
        big = amounts.idxmax() if len(amounts) else None
        for g in HELP_ITEMS:
            n = _cell("payments", c, g, "payments", year)
            amt = _cell("payments", c, g, "amount", year)
            rep = amt
            if ci == 1 and g == big:
                rep = amt - PLANT_AMOUNT
                planted.append({"kind": "payments", "county": c, "group": g, "year": year, "measure": "amount",
                                "reported": rep, "archive": amt, "status": "differs"})
            if not n and not amt:
                ws.append([c, g, year, "—", "—"])
            else:
                ws.append([c, g, f"{year}年", int(n), f"{rep / 10_000:.4f}"])
            row += 1
        ws.append([c, "小计", year, None, None])
        excluded.append(("帮扶资金", row, "total_row"))
        ws.merge_cells(f"A{first}:A{row}")
        row += 1
    with atomic_path(Path(path)) as tmp:
        wb.save(tmp)
    cols = ["kind", "county", "group", "year", "measure", "reported", "archive", "status"]
    pl = pd.DataFrame(planted, columns=cols)
    pl["year"] = pl["year"].astype("Int64")
    return UnionReport(Path(path), pl, pd.DataFrame(excluded, columns=["sheet", "row", "rule"]), year)


__all__ = ["UnionReport", "write_union_report", "demo_reconcile", "PLANT_HOUSEHOLDS", "PLANT_AMOUNT", "OUTSIDE_COUNTY"]


def demo_reconcile(project, lang: str = "zh") -> object:  # noqa: ANN001 - toolkit.project.Project
    """The demo's step: the synthetic union's report (``union_report.xlsx`` in
    the project folder, planted differences in ``truth_reconcile.csv``, for
    tests only), checked as ``fieldeval reconcile check`` does; prints what
    the verb prints. Returns toolkit.reconcile.run.CheckResult."""
    from toolkit.commands.reconcile import print_check
    from toolkit.reconcile.run import check, read_archive

    ev = project.evaluation
    arch, _ = read_archive(ev)
    u = write_union_report(arch, [c.name for c in ev.counties], project.root / "union_report.xlsx")
    u.planted.to_csv(project.root / "truth_reconcile.csv", index=False, encoding="utf-8-sig")
    res = check(project, u.path, lang=lang)
    print_check(res, lang)
    return res
