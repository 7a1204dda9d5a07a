"""Forum notes as a workbook, and read back (``fieldeval forum export|import``).

One sheet, one row per statement: forum id, county, date, participant roles
(never names: toolkit.forums.roles), statement number, aspect (one of the
six, in words), finding type (optional, in words), relation to the visit
evidence (支持 / 矛盾 / 无关; 撤回 withdraws a statement stored before) and
the statement. Export writes the current round's statements (withdrawn ones
left out), with drop-down lists for the aspect and the relation; an empty
export is the template. Import checks every row and names each problem with
row and column: the county is the project's, the date a real date not in
the future, roles only (a piece that reads like a name refuses the row; a
column whose header asks for names is not read and is reported), aspect and
relation known words, a positive statement number unique in its forum, one
county, date and set of roles per forum, the statement not blank and at
most 2,000 characters. Rows without problems are stored (only ever added,
with who and when; unchanged rows add nothing), the others are not.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.checklist.items import ASPECT_KEYS, as_project, round_words
from toolkit.checklist.sheetio import MAX_TEXT, blank, read_sheets
from toolkit.checklist.store import save_statements, statements
from toolkit.forums.roles import name_headers, name_like, normalise
from toolkit.i18n import catalog, t

COLUMNS = ("forum_id", "county", "held_on", "roles", "seq", "aspect", "finding_type", "stance", "text")
STANCES = ("supports", "contradicts", "neither", "withdrawn")
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


@dataclass(frozen=True)
class ImportResult:
    """Statements added (or changed), unchanged, problems (file, sheet, row,
    column, message) of the rows refused, and the headers not read because
    they ask for names."""

    added: int
    unchanged: int
    problems: pd.DataFrame
    stripped: tuple[str, ...] = ()


def header_map() -> dict[str, str]:
    return {t(f"forum.col.{c}", lang): c for c in COLUMNS for lang in ("zh", "en")}


def finding_types() -> dict[str, str]:
    """Finding type code → its key in the report's catalogue (words)."""
    return {k.removeprefix("report.finding."): k for k in catalog()
            if k.startswith("report.finding.") and k != "report.finding.archive_mismatch_field"}


def _aspect_words(lang: str) -> dict[str, str]:
    from toolkit.verify.indicators import ASPECTS

    return {k: ASPECTS[k][0 if lang == "zh" else 1] for k in ASPECT_KEYS}


def current(project, lang: str = "zh") -> pd.DataFrame:  # noqa: ANN001
    """The current round's statements (withdrawn left out), ordered by date,
    forum and number: forum_id, seq, county, held_on, roles, aspect,
    finding_type, stance, text, who, at."""
    s = statements(project)
    s = s[s["stance"] != "withdrawn"]
    return s.sort_values(["held_on", "forum_id", "seq"], kind="stable").reset_index(drop=True)


def words_frame(s: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Statements as the workbook shows them (headers and codes in words)."""
    ft = finding_types()
    return pd.DataFrame({
        t("forum.col.forum_id", lang): s["forum_id"].astype(str),
        t("forum.col.county", lang): s["county"].astype(str),
        t("forum.col.held_on", lang): pd.to_datetime(s["held_on"]).dt.strftime("%Y-%m-%d"),
        t("forum.col.roles", lang): s["roles"].astype(str),
        t("forum.col.seq", lang): s["seq"].astype(int),
        t("forum.col.aspect", lang): s["aspect"].map(_aspect_words(lang)),
        t("forum.col.finding_type", lang): s["finding_type"].map(lambda v: t(ft[v], lang) if v in ft else ""),
        t("forum.col.stance", lang): s["stance"].map(lambda v: t(f"forum.stance.{v}", lang)),
        t("forum.col.text", lang): s["text"].astype(str)}, columns=[t(f"forum.col.{c}", lang) for c in COLUMNS])


def export(project, out: str | Path | None = None, lang: str = "zh") -> tuple[Path, int]:  # noqa: ANN001
    """Write the forum notes workbook (default ``output/forums/座谈会记录.xlsx``); returns (path, statements)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from toolkit.project.stagefiles import private
    from toolkit.tables import Sheet, write_workbook

    p = as_project(project)
    s = current(p, lang)
    frame = words_frame(s, lang)
    path = Path(out) if out else p.paths.output / "forums" / t("forum.file", lang)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lists = {"aspect": list(_aspect_words(lang).values()),
             "stance": [t(f"forum.stance.{x}", lang) for x in STANCES]}
    rows = max(len(frame), 0) + 200   # room for new statements under the stored ones

    def finish(book) -> None:  # noqa: ANN001
        ws = book.worksheets[0]
        for key, words in lists.items():
            col = get_column_letter(COLUMNS.index(key) + 1)
            dv = DataValidation(type="list", formula1='"' + ",".join(words) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle=t("checklist.dv_title", lang),
                                error=t("checklist.dv_error", lang, choices=" / ".join(words)))
            dv.add(f"{col}4:{col}{3 + rows}")
            ws.add_data_validation(dv)

    write_workbook(path, {t("forum.sheet", lang): Sheet(frame, title=t("forum.title", lang, name=p.evaluation.name,
                                                                             round=round_words(p, lang))),
                          t("checklist.help_sheet", lang): Sheet(pd.DataFrame(
                              {t("checklist.help_sheet", lang): [t("forum.note", lang)]}))},
                   freeze=True, finish=finish)
    private(path)
    return path, len(frame)


def _code(words: pd.Series, table: dict[str, tuple[str, ...]]) -> pd.Series:
    """Words (either language or the code) → code; blank → None; unknown → "?"."""
    m: dict[str, str] = {}
    for code, names in table.items():
        for n in (code, *names):
            m[str(n).strip().lower()] = code
    return words.astype(object).map(lambda v: None if blank(v) or not str(v).strip() else m.get(str(v).strip().lower(), "?"))


def _dates(cells: pd.Series) -> pd.Series:
    def one(v: object) -> object:
        if blank(v):
            return None
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        m = _DATE.match(str(v))
        if not m:
            return "?"
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return "?"
    return cells.astype(object).map(one)


def check_rows(project, frame: pd.DataFrame, lang: str = "zh") -> tuple[pd.DataFrame, pd.DataFrame]:  # noqa: ANN001
    """Check statements read back: (rows to store, problems: row, column, message)."""
    p = as_project(project)
    letters = frame.attrs.get("letters", {})
    f = frame.copy()
    for c in COLUMNS:
        if c not in f:
            f[c] = None
    txt = {c: f[c].map(lambda v: None if blank(v) else str(v).strip() or None) for c in COLUMNS}
    problems: list[pd.DataFrame] = []

    def flag(mask: pd.Series, column: str, key: str, **fields: object) -> None:
        mask = mask.fillna(False).astype(bool)
        if mask.any():
            head = f"{letters.get(column, '')} {t(f'forum.col.{column}', lang)}".strip()
            msgs = [t(key, lang, **{k: (v.loc[i] if isinstance(v, pd.Series) else v) for k, v in fields.items()})
                    for i in f.index[mask]]
            problems.append(pd.DataFrame({"row": f.loc[mask, "row"].to_numpy(), "column": head, "message": msgs}))

    counties = [c.name for c in p.evaluation.counties]
    flag(txt["forum_id"].isna(), "forum_id", "forum.err.blank")
    flag(~txt["county"].isin(counties), "county", "checklist.err.county", value=txt["county"].fillna(""),
         choices="、".join(counties))
    date = _dates(f["held_on"])
    today = dt.date.today()
    flag(date.isna() | date.eq("?"), "held_on", "forum.err.date", value=txt["held_on"].fillna(""))
    ok_date = date.map(lambda d: isinstance(d, dt.date))
    flag(ok_date & date.map(lambda d: isinstance(d, dt.date) and (d > today or d.year < 2000)), "held_on",
         "forum.err.date_range", value=txt["held_on"].fillna(""))
    roles = normalise(f["roles"])
    flag(roles.isna(), "roles", "forum.err.no_roles")
    who = name_like(f["roles"])
    flag(who.ne(""), "roles", "forum.err.name", value=who)
    seq = pd.to_numeric(f["seq"].map(lambda v: None if blank(v) else str(v).strip()), errors="coerce")
    flag(seq.isna() | (seq < 1) | (seq % 1 != 0), "seq", "forum.err.seq", value=txt["seq"].fillna(""))
    dup = pd.DataFrame({"f": txt["forum_id"], "s": seq}).duplicated(keep="first") & seq.notna()
    flag(dup, "seq", "forum.err.seq_twice", value=txt["seq"].fillna(""), forum=txt["forum_id"].fillna(""))
    aspect = _code(f["aspect"], {k: (_aspect_words("zh")[k], _aspect_words("en")[k]) for k in ASPECT_KEYS})
    flag(aspect.isna() | aspect.eq("?"), "aspect", "forum.err.aspect", value=txt["aspect"].fillna(""),
         choices=" / ".join(_aspect_words(lang).values()))
    ft = finding_types()
    finding = _code(f["finding_type"], {k: (t(v, "zh"), t(v, "en")) for k, v in ft.items()})
    flag(finding.eq("?"), "finding_type", "forum.err.finding", value=txt["finding_type"].fillna(""))
    stance = _code(f["stance"], {s: (t(f"forum.stance.{s}", "zh"), t(f"forum.stance.{s}", "en")) for s in STANCES})
    flag(stance.isna() | stance.eq("?"), "stance", "forum.err.stance", value=txt["stance"].fillna(""),
         choices=" / ".join(t(f"forum.stance.{s}", lang) for s in STANCES))
    flag(txt["text"].isna(), "text", "forum.err.no_text")
    for c in ("text", "roles", "forum_id"):
        flag(txt[c].fillna("").str.len() > MAX_TEXT, c, "checklist.err.too_long", limit=MAX_TEXT)
    # one county, date and set of roles per forum
    key = pd.DataFrame({"f": txt["forum_id"], "c": txt["county"], "d": date.astype(str), "r": roles})
    varies = key.groupby("f")[["c", "d", "r"]].transform("nunique").gt(1).any(axis=1) & key["f"].notna()
    flag(varies, "forum_id", "forum.err.forum_varies", forum=txt["forum_id"].fillna(""))
    probs = pd.concat(problems, ignore_index=True) if problems else pd.DataFrame(columns=["row", "column", "message"])
    keep = ~f["row"].isin(set(probs["row"]))
    good = pd.DataFrame({"forum_id": txt["forum_id"], "seq": seq, "county": txt["county"], "held_on": date,
                         "roles": roles, "aspect": aspect, "finding_type": finding, "stance": stance,
                         "text": txt["text"]})[keep]
    return good, probs.sort_values("row", kind="stable").reset_index(drop=True)


def import_workbook(project, path: str | Path, who: str | None = None, lang: str = "zh") -> ImportResult:  # noqa: ANN001
    """Read a forum notes workbook back and store its good rows (module doc)."""
    from toolkit.project.review import who_default

    p = as_project(project)
    added = unchanged = 0
    probs = []
    stripped: list[str] = []
    label = f"{t('forum.col.forum_id', 'zh')} / {t('forum.col.forum_id', 'en')}"
    for sheet, frame in read_sheets(path, header_map(), "forum_id", label):
        names = name_headers([c for c in frame.columns if c not in COLUMNS and c != "row"])
        stripped += names
        frame = frame.drop(columns=names)
        good, pr = check_rows(p, frame, lang)
        if len(pr):
            probs.append(pr.assign(file=Path(path).name, sheet=sheet))
        if len(good):
            a, u = save_statements(p, good, who_default(who), t("forum.why_import", lang, file=Path(path).name))
            added, unchanged = added + a, unchanged + u
    cols = ["file", "sheet", "row", "column", "message"]
    problems = pd.concat(probs, ignore_index=True)[cols] if probs else pd.DataFrame(columns=cols)
    return ImportResult(added, unchanged, problems, tuple(stripped))


__all__ = ["export", "import_workbook", "current", "check_rows", "words_frame", "header_map", "finding_types",
           "ImportResult", "COLUMNS", "STANCES"]
