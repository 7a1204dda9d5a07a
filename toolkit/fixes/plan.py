"""``fieldeval fixes import``: the union's filled plan read back, checked, stored.

Checks, on whole columns, every row at once (a row may have several):

* the item number is one of this round's exported items, and appears once;
* the responsible unit and the person in charge (a role or title) are given,
  and no typed text holds a roster name or address, a phone, an ID number or
  a bank card (toolkit.roster.privacy.scrub_text: the store keeps none);
* the deadline is a date (2027-03-31, 2027/3/31, 2027年3月31日 or a date
  cell) and, for an item not yet done, after today (``today``, for tests);
  a done or verified item keeps the deadline it had;
* the status is one of 未开始 / 整改中 / 已完成 / 已核实 (or the English words)
  and does not move backwards against the item's stored state.

Each problem is one row of ``errors`` (row as the spreadsheet numbers it,
column as its header reads, the value, the reason in words). When there is
any, nothing is stored unless ``accept_valid`` (then the rows without a
problem are). Stored rows are the ones whose state changed, appended to the
item's history with who and when (toolkit.fixes.store).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError
from toolkit.fixes import items as it
from toolkit.fixes import store as fs
from toolkit.fixes.export import EDITABLE, SHEET_COLUMNS
from toolkit.i18n import t

REQUIRED = ("item_id", "unit", "person", "deadline", "status")
ERROR_COLUMNS = ["row", "column", "value", "reason"]


@dataclass(frozen=True, eq=False)
class ImportResult:
    """What an import did: rows stored, the problems (:data:`ERROR_COLUMNS`,
    reasons in words), who and when (None when nothing was stored)."""

    stored: int
    errors: pd.DataFrame
    who: str
    at: object = None

    @property
    def refused_rows(self) -> int:
        return int(self.errors["row"].nunique()) if len(self.errors) else 0


def _header_map() -> dict[str, str]:
    return {t(f"fixes.col.{c}", lang): c for c in SHEET_COLUMNS for lang in ("zh", "en")}


def read_plan(path: Path) -> pd.DataFrame:
    """The plan sheet as text, columns as codes, ``row`` = spreadsheet row."""
    from toolkit.safezip import check

    check(path)   # from the evaluated party: bounded before it is inflated
    grid = pd.read_excel(path, sheet_name=0, header=None, dtype=str, engine="openpyxl")
    hm = _header_map()
    for i in range(min(len(grid), 10)):
        cells = [str(v).strip() for v in grid.iloc[i].tolist()]
        if hm.get(cells[0] if cells else "") == "item_id" or {"item_id", "status"} <= {hm.get(c) for c in cells}:
            body = grid.iloc[i + 1:].copy()
            body.columns = [hm.get(c, c) for c in cells]
            body = body.loc[:, [c for c in body.columns if c in SHEET_COLUMNS]]
            body["row"] = body.index + 1
            missing = [c for c in REQUIRED if c not in body]
            if missing:
                raise UserError("fixes.import_missing_columns", path=path.name,
                                columns="、".join(t(f"fixes.col.{c}", "zh") + "/" + t(f"fixes.col.{c}", "en")
                                                 for c in missing))
            for c in EDITABLE:
                if c not in body:
                    body[c] = pd.NA
            text = body.drop(columns="row").apply(lambda s: s.astype("string").str.strip())
            notes = {t("fixes.note", lang) for lang in ("zh", "en")}
            blank = text.isna() | text.eq("")
            is_note = text["item_id"].isin(notes) & blank.drop(columns="item_id").all(axis=1)
            keep = ~blank.all(axis=1) & ~is_note
            return pd.concat([text[keep], body.loc[keep, ["row"]]], axis=1).reset_index(drop=True)
    raise UserError("fixes.import_no_header", path=path.name)


def parse_dates(text: pd.Series) -> pd.Series:
    """Dates written as 2027-03-31, 2027/3/31, 2027.3.31, 2027年3月31日 or a
    date cell (``2027-03-31 00:00:00``); NaT when not a date."""
    s = text.astype("string").str.strip().str.split(" ").str[0]
    s = s.str.replace(r"[年月/.]", "-", regex=True).str.replace("日", "", regex=False)
    return pd.to_datetime(s, format="%Y-%m-%d", errors="coerce")


def _status_codes(text: pd.Series) -> pd.Series:
    words = {}
    for s in it.STATUSES:
        words[s] = s
        for lang in ("zh", "en"):
            words[t(f"fixes.status.{s}", lang).lower()] = s
    return text.astype("string").str.strip().str.lower().map(words)


def check(plan: pd.DataFrame, known: set[str], stored: pd.DataFrame, today: date, lang: str, *,
          names: tuple[str, ...] = (), addresses: tuple[str, ...] = ()) -> pd.DataFrame:
    """Every problem of every row (:data:`ERROR_COLUMNS`; module doc).
    ``names``/``addresses``: the roster's, refused in the typed text like
    phones, ID numbers and bank cards (the store keeps no personal data)."""
    from toolkit.roster.privacy import scrub_text

    blank = t("fixes.err.blank", lang)
    found: list[pd.DataFrame] = []

    def add(mask: pd.Series, col: str, reason: str | pd.Series) -> None:
        if mask.any():
            v = plan.loc[mask, col].astype("string").fillna("")
            found.append(pd.DataFrame({"row": plan.loc[mask, "row"], "column": t(f"fixes.col.{col}", lang),
                                       "value": v.where(v != "", blank),
                                       "reason": reason[mask] if isinstance(reason, pd.Series) else reason}))

    def empty(col: str) -> pd.Series:
        return plan[col].isna() | plan[col].astype("string").str.strip().eq("")

    ids = plan["item_id"].astype("string").fillna("")
    add(~ids.isin(known), "item_id", t("fixes.err.unknown_id", lang))
    add(ids.duplicated(keep=False) & ids.ne(""), "item_id", t("fixes.err.duplicate_id", lang))
    add(empty("unit"), "unit", t("fixes.err.no_unit", lang))
    add(empty("person"), "person", t("fixes.err.no_person", lang))
    for c in ("unit", "person", "evidence", "note"):   # a role or title, never a person's data
        v = plan[c].astype("string").fillna("")
        add(scrub_text(v, names, addresses) != v, c, t("fixes.err.personal", lang))
    status = _status_codes(plan["status"])
    add(status.isna(), "status", t("fixes.err.bad_status", lang))
    prev = ids.map(dict(zip(stored["item_id"], stored["status"]))) if len(stored) else pd.Series(pd.NA, index=ids.index)
    rank, prank = status.map(it.RANK), prev.map(it.RANK)
    back = rank.notna() & prank.notna() & (rank < prank)
    add(back, "status", prev.map(lambda s: t("fixes.err.backwards", lang, stored=t(f"fixes.status.{s}", lang))
                                 if isinstance(s, str) else ""))
    d = parse_dates(plan["deadline"])
    no_date = empty("deadline")
    add(no_date, "deadline", t("fixes.err.no_deadline", lang))
    add(~no_date & d.isna(), "deadline", t("fixes.err.bad_deadline", lang))
    open_ = status.isin(["open", "in_progress"]) | status.isna()
    past = d.notna() & (d.dt.date <= today) & open_
    add(past, "deadline", d.dt.strftime("%Y-%m-%d").map(
        lambda v: t("fixes.err.past_deadline", lang, value=v, today=today.isoformat())))
    if not found:
        return pd.DataFrame(columns=ERROR_COLUMNS)
    out = pd.concat(found, ignore_index=True)
    out["row"] = out["row"].astype(int)
    return out.sort_values("row", kind="stable").reset_index(drop=True)[ERROR_COLUMNS]


def _private_terms(project: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sampled households' names and addresses (stored results' roster rows), or none."""
    from toolkit.errors import FieldevalError
    from toolkit.roster.privacy import private_terms

    try:
        roster = project.results().roster
    except FieldevalError:
        return (), ()
    return private_terms(roster) if len(roster) else ((), ())


def error_lines(errors: pd.DataFrame, path: str, lang: str) -> list[str]:
    """Each problem as one sentence (file, row, column, value, reason)."""
    return [t("fixes.err.line", lang, path=path, row=r.row, column=r.column, value=r.value, reason=r.reason)
            for r in errors.itertuples()]


def import_plan(project: object, path: str | Path, *, who: str | None = None, lang: str = "zh",
                today: date | None = None, accept_valid: bool = False) -> ImportResult:
    """Read, check and store a filled plan (module doc)."""
    p = Path(path)
    if not p.exists():
        raise UserError("common.file_not_found", path=str(p))
    rname = project.current_round()
    known = fs.items(project, rname)
    if not len(known):
        raise UserError("fixes.no_items")
    plan = read_plan(p)
    stored = fs.latest(project, rname)
    names, addresses = _private_terms(project)
    errors = check(plan, set(known["item_id"]), stored, today or date.today(), lang, names=names,
                   addresses=addresses)
    from toolkit.project.review import who_default

    who = who_default(who)
    if len(errors) and not accept_valid:
        return ImportResult(0, errors, who)
    good = plan[~plan["row"].isin(set(errors["row"]))].copy()
    good["status"] = _status_codes(good["status"])
    good["deadline"] = parse_dates(good["deadline"]).dt.date
    for c in ("unit", "person", "evidence", "note"):
        good[c] = good[c].astype("string").fillna("").astype(str)
    if len(stored):   # only rows whose state changed join the history
        s = stored.set_index("item_id")
        same = pd.Series(True, index=good.index)
        for c in EDITABLE:
            old = good["item_id"].map(s[c]).astype("string").fillna("").astype(str)
            new = good[c].astype("string").fillna("").astype(str)
            same &= old == new
        good = good[~same]
    at = fs.add_updates(project, good, rname, who=who, source=p.name) if len(good) else None
    return ImportResult(len(good), errors, who, at)


__all__ = ["import_plan", "read_plan", "check", "parse_dates", "error_lines", "ImportResult", "ERROR_COLUMNS"]
