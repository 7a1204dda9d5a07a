"""``fieldeval fixes export``: the fix list for the union, as xlsx and docx.

The items (toolkit.fixes.items.generate) are kept in the store under the
round (so that a filled plan can be checked against them) and written with
their latest stored state (unit, person, deadline, status, evidence, note),
so a list exported again keeps what the union already gave. Both files are
written atomically (a temporary file renamed into place) and owner-only:
they hold the union's own archive numbers (never a name, ID number, phone or
address). The xlsx neutralises formula-like text (toolkit.tables) and offers
the four statuses as a drop-down (data validation); the docx uses the
report's fonts and page (toolkit.report.render.docx_document).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from toolkit.fixes import items as it
from toolkit.fixes import store as fs
from toolkit.i18n import t

EDITABLE = ("unit", "person", "deadline", "status", "evidence", "note")
SHEET_COLUMNS = ("item_id", "county", "kind", "what", "n_households", "households", *EDITABLE)


def status_words(codes: pd.Series, lang: str) -> pd.Series:
    """Status codes in words (未开始 / 整改中 / 已完成 / 已核实)."""
    return codes.astype("string").map({s: t(f"fixes.status.{s}", lang) for s in it.STATUSES}).fillna("")


def plan_frame(items: pd.DataFrame, state: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The items with their latest state, in words, one column per
    :data:`SHEET_COLUMNS` (headers through i18n)."""
    f = items.merge(state[["item_id", *EDITABLE]] if len(state) else pd.DataFrame(columns=["item_id", *EDITABLE]),
                    on="item_id", how="left")
    f["status"] = f["status"].astype("string").fillna("open")
    f["kind"] = f["kind"].map({k: t(f"fixes.kind.{k}", lang) for k in it.KINDS})
    f["status"] = status_words(f["status"], lang)
    f["deadline"] = pd.to_datetime(f["deadline"], errors="coerce").dt.strftime("%Y-%m-%d").fillna("")
    for c in ("unit", "person", "evidence", "note"):
        f[c] = f[c].astype("string").fillna("")
    out = f[list(SHEET_COLUMNS)].copy()
    out.columns = [t(f"fixes.col.{c}", lang) for c in SHEET_COLUMNS]
    return out


def _validation(lang: str, rows: int, start_row: int):  # noqa: ANN202 - openpyxl callback
    """Drop-down of the four statuses on the status column."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    col = get_column_letter(SHEET_COLUMNS.index("status") + 1)
    words = ",".join(t(f"fixes.status.{s}", lang) for s in it.STATUSES)

    def finish(book: object) -> None:
        ws = book[book.sheetnames[0]]
        dv = DataValidation(type="list", formula1=f'"{words}"', allow_blank=False, showErrorMessage=True,
                            errorTitle=t("fixes.col.status", lang), error=t("fixes.err.bad_status", lang))
        dv.add(f"{col}{start_row}:{col}{start_row + max(rows, 1) - 1}")
        ws.add_data_validation(dv)
    return finish


def write_xlsx(frame: pd.DataFrame, path: Path, title: str, lang: str) -> Path:
    """The plan workbook: the list (title, note, drop-down statuses) and a help sheet."""
    from toolkit.tables import Sheet, write_workbook

    help_ = pd.DataFrame({t("fixes.sheet_help", lang): [t(f"fixes.help.{i}", lang) for i in range(1, 5)]})
    return write_workbook(path, {t("fixes.sheet", lang): Sheet(frame, title=title, note=t("fixes.note", lang)),
                                 t("fixes.sheet_help", lang): help_},
                          freeze=True, autofilter=True, finish=_validation(lang, len(frame), 4))


def write_docx(frame: pd.DataFrame, path: Path, title: str, lang: str, evaluation: object) -> Path:
    """The plan as a Word document in the report's fonts, one section per county."""
    from toolkit.report.model import Report, Section, Table
    from toolkit.report.render import docx_document
    from toolkit.tables import atomic_path

    col = t("fixes.col.county", lang)
    secs = []
    counties = [c.name for c in evaluation.counties]
    for c in [*counties, *sorted(set(frame[col]) - set(counties))]:
        part = frame[frame[col] == c].drop(columns=col).reset_index(drop=True)
        if not len(part):
            continue
        secs.append(Section(f"fix_{c}", c, (t("fixes.doc_county", lang, county=c, n=len(part)),),
                            (Table(f"fix_{c}", t("fixes.sheet", lang) + " · " + c, part),)))
    intro = t("fixes.doc_intro", lang, n=len(frame), counties=frame[col].nunique()) if len(frame) \
        else t("fixes.none", lang)
    report = Report(title=title, subtitle=(intro, t("fixes.note", lang)), lang=lang,
                    sections=tuple(secs) or (Section("fix_none", t("fixes.sheet", lang), (t("fixes.none", lang),)),))
    doc = docx_document(report)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return path


def export(project: object, out: str | Path | None = None, lang: str = "zh", *,
           unmet: pd.DataFrame | None = None) -> tuple[list[Path], pd.DataFrame]:
    """Generate the round's items, keep them in the store and write
    ``<out>/整改清单.xlsx`` and ``.docx`` (default ``output/fixes/``;
    English names with ``lang="en"``). Returns (paths, items)."""
    from toolkit.project.stagefiles import private

    rname = project.current_round()
    items = it.generate(project, lang, unmet=unmet)
    fs.save_items(project, items, rname)
    frame = plan_frame(items, fs.latest(project, rname), lang)
    folder = Path(out) if out else project.paths.output / "fixes"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stem = "整改清单" if lang == "zh" else "fix_list"
    title = t("fixes.title", lang, name=project.evaluation.name, round=it.round_words(rname, lang))
    paths = [write_xlsx(frame, folder / f"{stem}.xlsx", title, lang),
             write_docx(frame, folder / f"{stem}.docx", title, lang, project.evaluation)]
    for p in paths:
        private(p)
    return paths, items


__all__ = ["export", "plan_frame", "status_words", "write_xlsx", "write_docx", "SHEET_COLUMNS", "EDITABLE"]
