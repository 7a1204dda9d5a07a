"""The (synthetic) union filling in the fix list, with planted problems.

:func:`fill_plan` edits the exported workbook in place the way a person does
in Excel (the drop-down and layout kept): a responsible unit (the county's
union or one of its departments), a person in charge as a role, a deadline
and a status for every item. With ``plant=True`` it plants one of each
problem the import must refuse, on distinct rows, and returns where:

===================  =================================================
``no_deadline``      the deadline left blank
``backwards``        a status moved back (an item stored as in progress
                     or done set to 未开始) — needs a stored earlier plan
``no_unit``          the responsible unit left blank
``past_deadline``    a deadline before today on an item not yet done
``unknown_id``       an item number that is not in the list
===================  =================================================

:func:`demo_fixes` is the demo's step: export, a clean plan imported, then
an update with the planted problems refused row by row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from toolkit.i18n import t

UNITS = ("{county}总工会", "{county}总工会困难职工帮扶中心", "{county}总工会财务部", "{county}总工会权益保障部")
PERSONS = ("分管副主席", "帮扶中心主任", "财务部部长", "权益保障部部长", "基层工作部部长")
PLANTS = ("no_deadline", "backwards", "no_unit", "past_deadline", "unknown_id")


@dataclass(frozen=True)
class Planted:
    """One planted problem: its kind (:data:`PLANTS`), the spreadsheet row and the column (code)."""

    problem: str
    row: int
    column: str


def _layout(ws: object) -> tuple[int, dict[str, int]]:
    """(header row, {column code: column number}) of the exported sheet."""
    from toolkit.fixes.export import SHEET_COLUMNS

    words = {t(f"fixes.col.{c}", lang): c for c in SHEET_COLUMNS for lang in ("zh", "en")}
    for r in range(1, 11):
        cells = {words.get(str(ws.cell(row=r, column=j).value or "").strip()): j for j in range(1, ws.max_column + 1)}
        if "item_id" in cells:
            return r, {k: v for k, v in cells.items() if k}
    raise ValueError("no header")


def fill_plan(exported: str | Path, out: str | Path, *, today: date, seed: int = 2026, lang: str = "zh",
              statuses: dict[str, str] | None = None, plant: bool = False) -> list[Planted]:
    """Fill every item of ``exported`` and save as ``out`` (module doc).
    ``statuses``: {item number: status code} to give (default: seeded
    open / in progress / done). With ``plant`` the planted problems; the
    ``backwards`` one goes on an item ``statuses`` gives as in progress or done
    (the state stored by an earlier import). Returns the planted problems."""
    from openpyxl import load_workbook

    from toolkit.fixes.items import STATUSES
    from toolkit.tables import atomic_path

    rng = np.random.default_rng(seed)
    wb = load_workbook(exported)
    ws = wb.worksheets[0]
    head, col = _layout(ws)
    rows = [r for r in range(head + 1, ws.max_row + 1)
            if str(ws.cell(row=r, column=col["item_id"]).value or "").startswith("ZG")]
    ids = [str(ws.cell(row=r, column=col["item_id"]).value) for r in rows]
    given = dict(statuses or {})
    for r, i in zip(rows, ids):
        county = str(ws.cell(row=r, column=col["county"]).value or "")
        ws.cell(row=r, column=col["unit"], value=UNITS[int(rng.integers(len(UNITS)))].format(county=county))
        ws.cell(row=r, column=col["person"], value=PERSONS[int(rng.integers(len(PERSONS)))])
        ws.cell(row=r, column=col["deadline"], value=(today + timedelta(days=int(rng.integers(60, 180)))).isoformat())
        s = given.get(i) or STATUSES[int(rng.choice(3, p=[0.5, 0.35, 0.15]))]
        ws.cell(row=r, column=col["status"], value=t(f"fixes.status.{s}", lang))
        if s == "done":
            ws.cell(row=r, column=col["evidence"], value="整改台账及会议纪要（第 3 页）" if lang == "zh"
                    else "fix ledger and meeting minutes (page 3)")
    planted: list[Planted] = []
    if plant:
        moved = [k for k, i in enumerate(ids) if given.get(i) in ("in_progress", "done")]
        if not moved or len(rows) < len(PLANTS):
            raise ValueError("need an earlier plan with an item in progress or done, and five items")
        b = moved[0]
        rest = [k for k, i in enumerate(ids) if k != b and given.get(i, "open") in ("open", "in_progress")]
        rest += [k for k in range(len(rows)) if k != b and k not in rest]   # never moved back by accident
        where = {"backwards": b, "no_deadline": rest[0], "no_unit": rest[1], "past_deadline": rest[2],
                 "unknown_id": rest[3]}
        r = {k: rows[v] for k, v in where.items()}
        ws.cell(row=r["backwards"], column=col["status"], value=t("fixes.status.open", lang))
        ws.cell(row=r["backwards"], column=col["evidence"]).value = None
        ws.cell(row=r["no_deadline"], column=col["deadline"]).value = None
        ws.cell(row=r["no_unit"], column=col["unit"]).value = None
        ws.cell(row=r["past_deadline"], column=col["deadline"], value=(today - timedelta(days=10)).isoformat())
        keep = given.get(ids[where["past_deadline"]], "open")   # not yet done, and never moved back
        ws.cell(row=r["past_deadline"], column=col["status"],
                value=t(f"fixes.status.{keep if keep in ('open', 'in_progress') else 'open'}", lang))
        ws.cell(row=r["unknown_id"], column=col["item_id"], value="ZG999999-X000000")
        column = {"backwards": "status", "no_deadline": "deadline", "no_unit": "unit", "past_deadline": "deadline",
                  "unknown_id": "item_id"}
        planted = [Planted(p, r[p], column[p]) for p in PLANTS]
    with atomic_path(Path(out)) as tmp:
        wb.save(tmp)
    return planted


def stored_statuses(project: object) -> dict[str, str]:
    """{item number: latest stored status} of this round."""
    from toolkit.fixes import store as fs

    s = fs.latest(project, project.current_round())
    return dict(zip(s["item_id"], s["status"]))


def demo_fixes(directory: str | Path, *, lang: str = "zh", seed: int = 2026) -> list[Planted]:
    """The demo's fix-list step (module doc); prints what happened. Returns the planted problems."""
    from toolkit.fixes.export import export
    from toolkit.fixes.plan import error_lines, import_plan
    from toolkit.project import Project

    project = Project.open(directory)
    paths, items = export(project, lang=lang)
    print(t("fixes.exported", lang, n=len(items), paths=t("fixes.sep", lang).join(str(p) for p in paths)))
    if len(items) < len(PLANTS) + 1:
        return []
    today = date.today()
    folder = paths[0].parent
    who = t("fixes.who_default", lang)
    first = folder / ("整改计划_工会填报.xlsx" if lang == "zh" else "fix_plan_filled.xlsx")
    fill_plan(paths[0], first, today=today, seed=seed, lang=lang)
    res = import_plan(project, first, who=who, lang=lang, today=today)
    print(t("fixes.import_done", lang, stored=res.stored, who=res.who, at=res.at or "—", refused=res.refused_rows))
    second = folder / ("整改计划_工会更新.xlsx" if lang == "zh" else "fix_plan_update.xlsx")
    planted = fill_plan(paths[0], second, today=today, seed=seed + 1, lang=lang,
                        statuses=stored_statuses(project), plant=True)
    print(t("fixes.demo.planted", lang, what=t("fixes.sep", lang).join(
        t("fixes.demo.planted_one", lang, row=p.row, column=t(f"fixes.col.{p.column}", lang)) for p in planted)))
    res = import_plan(project, second, who=who, lang=lang, today=today)
    for line in error_lines(res.errors, second.name, lang):
        print(line)
    print(t("fixes.import_refused", lang, n=len(res.errors)))
    hit = {(int(r.row)) for r in res.errors.itertuples()}
    if all(p.row in hit for p in planted):
        print(t("fixes.demo.refused_ok", lang, n=len(planted)))
    res = import_plan(project, second, who=who, lang=lang, today=today, accept_valid=True)
    print(t("fixes.import_done", lang, stored=res.stored, who=res.who, at=res.at or "—", refused=res.refused_rows))
    return planted


__all__ = ["fill_plan", "demo_fixes", "stored_statuses", "Planted", "PLANTS"]
