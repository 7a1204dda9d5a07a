"""The checklist as a workbook per county, and read back (``fieldeval checklist export|import``).

Export: one xlsx per county (``output/checklist/``), one row per checklist
item: county, item id, aspect, the item in words (the export's language), where the
evidence is usually found, then the columns to fill — status (a
drop-down list in words: 符合 / 部分符合 / 不符合 / 不适用), document name,
page, photo file, note — holding the latest stored entry. Written by
toolkit.tables (formula-like text neutralised, atomic), mode 0600.

Import: every row is checked and each problem named with its row, column
(letter and header) and what to do; rows without problems are stored
(toolkit.checklist.store: only ever added, with who and when; unchanged rows
add nothing), rows with problems are not. Rules: the county is one of the
project's; the item is on the checklist; one row per county and item; the
status is one of the four words (either language); 符合 and 部分符合 name
the document seen; 部分符合, 不符合 and 不适用 say why in the note; pages
are numbers or ranges (3, 3-5, 3,7); a photo is a file name, not a path;
no cell longer than 2,000 characters. A row with no status and nothing
else is an item not assessed yet (skipped, counted).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.checklist.items import STATUSES, as_project, load_items, round_words
from toolkit.checklist.rollup import status_words
from toolkit.checklist.sheetio import MAX_TEXT, blank, read_sheets
from toolkit.checklist.store import entries, save_entries
from toolkit.errors import UserError
from toolkit.i18n import t

COLUMNS = ("county", "item_id", "aspect", "item_zh", "item_en", "hint", "status", "document", "page", "photo", "note")
FILLED = ("status", "document", "page", "photo", "note")
PAGE = re.compile(r"^\s*\d+(\s*[-–~至]\s*\d+)?(\s*[,，、;；]\s*\d+(\s*[-–~至]\s*\d+)?)*\s*$")


@dataclass(frozen=True)
class ImportResult:
    """What an import did: entries added, rows unchanged, items not assessed
    (blank), and the problems (file, sheet, row, column, message) of the rows
    refused."""

    added: int
    unchanged: int
    blank: int
    problems: pd.DataFrame


def header_map() -> dict[str, str]:
    """Header words in either language → column key."""
    return {t(f"checklist.col.{c}", lang): c for c in COLUMNS for lang in ("zh", "en")}


def _file_name(county: str, lang: str) -> str:
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", str(county)).strip(". ") or "county"
    return t("checklist.file", lang, county=safe)


def county_frame(project, county: str, lang: str = "zh", *, items: pd.DataFrame | None = None,  # noqa: ANN001
                 stored: pd.DataFrame | None = None) -> pd.DataFrame:
    """The checklist of one county as the workbook shows it (headers in words);
    ``items`` and ``stored`` (the entries) are read when not given."""
    from toolkit.verify.indicators import ASPECTS

    items = load_items(project) if items is None else items
    e = entries(project) if stored is None else stored
    e = e[e["county"] == county].drop(columns=["county"])
    f = items.merge(e, on="item_id", how="left")
    zh = lang == "zh"
    status = status_words(f["status"], lang).where(f["status"].notna(), "")
    cell = lambda c: f[c].astype(object).where(f[c].notna(), "")  # noqa: E731
    return pd.DataFrame({
        t("checklist.col.county", lang): county, t("checklist.col.item_id", lang): f["item_id"],
        t("checklist.col.aspect", lang): f["aspect"].map({k: v[0 if zh else 1] for k, v in ASPECTS.items()}),
        t(f"checklist.col.item_{'zh' if zh else 'en'}", lang): f["item_zh" if zh else "item_en"],
        t("checklist.col.hint", lang): f["evidence_zh" if zh else "evidence_en"],
        t("checklist.col.status", lang): status, t("checklist.col.document", lang): cell("document"),
        t("checklist.col.page", lang): cell("page"), t("checklist.col.photo", lang): cell("photo"),
        t("checklist.col.note", lang): cell("note")})


def export(project, out: str | Path | None = None, lang: str = "zh",  # noqa: ANN001
           counties: list[str] | None = None) -> list[Path]:
    """Write one workbook per county (default every county of the project)
    into ``out`` (default ``output/checklist``); returns the files."""
    from openpyxl.worksheet.datavalidation import DataValidation

    from toolkit.project.stagefiles import private
    from toolkit.tables import Sheet, write_workbook

    p = as_project(project)
    names = [c.name for c in p.evaluation.counties]
    chosen = counties or names
    unknown = [c for c in chosen if c not in names]
    if unknown:
        raise UserError("checklist.unknown_county", county=unknown[0], choices="、".join(names))
    folder = Path(out) if out else p.paths.output / "checklist"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    choices = [t(f"checklist.status.{s}", lang) for s in STATUSES]
    written = []
    items, stored = load_items(p), entries(p)   # read once for every county
    for county in chosen:
        frame = county_frame(p, county, lang, items=items, stored=stored)
        sheet = t("checklist.sheet", lang)
        col = list(frame.columns).index(t("checklist.col.status", lang)) + 1

        def finish(book, n=len(frame), col=col) -> None:  # noqa: ANN001
            from openpyxl.utils import get_column_letter

            ws = book.worksheets[0]
            dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle=t("checklist.dv_title", lang),
                                error=t("checklist.dv_error", lang, choices=" / ".join(choices)))
            letter = get_column_letter(col)
            dv.add(f"{letter}4:{letter}{3 + max(n, 1)}")
            ws.add_data_validation(dv)

        path = folder / _file_name(county, lang)
        write_workbook(path, {sheet: Sheet(frame, title=t("checklist.title", lang, name=p.evaluation.name,
                                                                county=county, round=round_words(p, lang))),
                              t("checklist.help_sheet", lang): Sheet(pd.DataFrame(
                                  {t("checklist.help_sheet", lang): [t("checklist.note", lang,
                                                                       choices=" / ".join(choices))]}))},
                       freeze=True, finish=finish)
        private(path)
        written.append(path)
    return written


def _status_code(words: pd.Series) -> pd.Series:
    """Status words (either language, or the code) → code; blank → None;
    anything else → "?"."""
    m = {}
    for s in STATUSES:
        for lang in ("zh", "en"):
            m[t(f"checklist.status.{s}", lang).strip().lower()] = s
        m[s] = s
    txt = words.astype(object).where(words.notna(), None)
    low = txt.map(lambda v: None if blank(v) else str(v).strip().lower())
    return low.map(lambda v: None if blank(v) else m.get(v, "?"))


def check_rows(project, frame: pd.DataFrame, lang: str = "zh") -> tuple[pd.DataFrame, pd.DataFrame, int]:  # noqa: ANN001
    """Check a sheet read back (keys as columns, ``row``): (rows to store,
    problems with row, column, message, empty rows not assessed)."""
    p = as_project(project)
    letters = frame.attrs.get("letters", {})
    f = frame.copy()
    for c in ("county", "item_id", *FILLED):
        if c not in f:
            f[c] = None
    text = {c: f[c].map(lambda v: None if blank(v) else str(v).strip() or None) for c in ("county", "item_id", "document", "photo", "note")}
    status = _status_code(f["status"])
    anything = pd.concat([f[c].notna() for c in ("document", "page", "photo", "note")], axis=1).any(axis=1)
    empty = status.isna() & ~anything
    problems: list[pd.DataFrame] = []

    def flag(mask: pd.Series, column: str, key: str, **fields: object) -> None:
        mask = mask.fillna(False).astype(bool) & ~empty
        if mask.any():
            letter = letters.get(column, "")
            head = t(f"checklist.col.{column}", lang)
            msgs = [t(key, lang, **{k: (v.loc[i] if isinstance(v, pd.Series) else v) for k, v in fields.items()})
                    for i in f.index[mask]]
            problems.append(pd.DataFrame({"row": f.loc[mask, "row"].to_numpy(), "column": f"{letter} {head}".strip(),
                                          "message": msgs}))

    counties = [c.name for c in p.evaluation.counties]
    items = set(load_items(p)["item_id"])
    flag(~text["county"].isin(counties), "county", "checklist.err.county", value=text["county"].fillna(""),
         choices="、".join(counties))
    flag(~text["item_id"].isin(items), "item_id", "checklist.err.item", value=text["item_id"].fillna(""))
    dup = pd.DataFrame({"c": text["county"], "i": text["item_id"]}).duplicated(keep="first") & ~empty
    flag(dup, "item_id", "checklist.err.duplicate", value=text["item_id"].fillna(""))
    words = " / ".join(t(f"checklist.status.{s}", lang) for s in STATUSES)
    flag(status.eq("?"), "status", "checklist.err.status", value=f["status"].astype(object).where(f["status"].notna(), "").astype(str), choices=words)
    flag(status.isna() & anything, "status", "checklist.err.no_status", choices=words)
    flag(status.isin(("met", "partly")) & text["document"].isna(), "document", "checklist.err.no_document")
    flag(status.isin(("partly", "not_met", "not_applicable")) & text["note"].isna(), "note", "checklist.err.no_note",
         status=status_words(status, lang))
    page = f["page"]
    is_date = page.map(lambda v: hasattr(v, "year"))
    flag(is_date, "page", "checklist.err.page_date")
    ptxt = page.map(lambda v: None if blank(v) or hasattr(v, "year") or pd.isna(v) else str(v)).astype(object)
    flag(ptxt.notna() & ~ptxt.fillna("").str.match(PAGE), "page", "checklist.err.page", value=ptxt.fillna(""))
    ph = text["photo"].fillna("")
    flag(ph.str.contains(r"[/\\]|^\.\.|^[A-Za-z]:", regex=True), "photo", "checklist.err.photo", value=ph)
    for c in ("document", "note", "photo"):
        flag(text[c].fillna("").str.len() > MAX_TEXT, c, "checklist.err.too_long", limit=MAX_TEXT)
    probs = pd.concat(problems, ignore_index=True) if problems else pd.DataFrame(columns=["row", "column", "message"])
    bad = f["row"].isin(set(probs["row"]))
    keep = ~bad & ~empty
    good = pd.DataFrame({"county": text["county"], "item_id": text["item_id"], "status": status,
                         "document": text["document"], "page": ptxt.map(lambda v: v.strip() if isinstance(v, str) else None),
                         "photo": text["photo"], "note": text["note"]})[keep]
    return good, probs.sort_values(["row"], kind="stable").reset_index(drop=True), int(empty.sum())


def import_workbooks(project, files: list[str | Path], who: str | None = None, lang: str = "zh") -> ImportResult:  # noqa: ANN001
    """Read filled-in checklist workbooks back and store their good rows
    (module doc). Who = ``who`` (or the signed-in hub user / the OS user)."""
    from toolkit.project.review import who_default

    p = as_project(project)
    added = unchanged = n_blank = 0
    probs = []
    for path in files:
        for sheet, frame in read_sheets(path, header_map(), "item_id",
                                        f"{t('checklist.col.item_id', 'zh')} / {t('checklist.col.item_id', 'en')}"):
            good, pr, b = check_rows(p, frame, lang)
            n_blank += b
            if len(pr):
                probs.append(pr.assign(file=Path(path).name, sheet=sheet))
            if len(good):
                a, u = save_entries(p, good, who_default(who), t("checklist.why_import", lang, file=Path(path).name))
                added, unchanged = added + a, unchanged + u
    cols = ["file", "sheet", "row", "column", "message"]
    problems = pd.concat(probs, ignore_index=True)[cols] if probs else pd.DataFrame(columns=cols)
    return ImportResult(added, unchanged, n_blank, problems)


def problem_lines(problems: pd.DataFrame, lang: str = "zh") -> list[str]:
    """Each problem as one line a person reads: file, sheet, row, column, what to do."""
    return [t("checklist.problem", lang, file=r.file, sheet=r.sheet, row=int(r.row), column=r.column,
              message=r.message) for r in problems.itertuples()]


__all__ = ["export", "import_workbooks", "check_rows", "county_frame", "header_map", "problem_lines",
           "ImportResult", "COLUMNS"]
