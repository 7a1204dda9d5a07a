"""``fieldeval roster check FILE``: read and validate a roster, print a summary.

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 file unusable.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from toolkit import config as config_mod
from toolkit.i18n import t
from toolkit.verify.roster_once import read_roster, validate   # the project's roster snapshot (toolkit.roster.snapshot)
from toolkit.roster.rule_words import column_words, rule_name, rule_names
from toolkit.roster.validate import summarise
from toolkit.tables import write_table


def _check(args: argparse.Namespace) -> int:
    ev = config_mod.load(args.project) if args.project else None
    return check(args.file, ev, problems_out=args.problems, encoding=args.encoding, sheet=args.sheet, lang=args.lang)


def check(file: str | Path, ev: object = None, *, problems_out: str | Path | None = None, encoding: str = "auto",
          sheet: str | None = None, lang: str = "zh") -> int:
    """Read and validate a roster, print the summary (and write the problems
    table); return the exit code: 0 no errors, 1 errors found."""
    from types import SimpleNamespace

    args = SimpleNamespace(file=str(file), problems=str(problems_out) if problems_out else None,
                           encoding=encoding, sheet=sheet)
    if args.problems and Path(args.problems).suffix.lower() not in (".csv", ".xlsx"):
        from toolkit.errors import UserError
        raise UserError("roster.check.bad_out", path=args.problems)
    with tqdm(total=2, desc=t("roster.progress", lang), unit="step", disable=None, file=sys.stderr,
              leave=False) as bar:
        bar.set_postfix_str(t("roster.progress_read", lang))
        roster = read_roster(args.file, project=ev, encoding=args.encoding, sheet=args.sheet)   # kept for the next command
        bar.update(1)
        bar.set_postfix_str(t("roster.progress_validate", lang))
        problems = validate(roster, ev, lang=lang)
        bar.update(1)
    errors = int((problems["severity"] == "error").sum())
    warnings = int((problems["severity"] == "warning").sum())
    enc = f", {roster.encoding}" if roster.encoding else ""
    print(t("roster.check.summary", lang, rows=roster.rows_read, path=args.file, fmt=roster.format, enc=enc,
            errors=errors, warnings=warnings, bad_rows=problems["row"].nunique()))
    if roster.unmapped:
        print(t("roster.check.unmapped", lang, cols="、".join(roster.unmapped)))
    print_office(roster, lang)
    summary = summarise(problems)
    if len(summary):
        print(t("roster.check.by_rule", lang))
        for r in summary.itertuples():
            print(t("words2.roster_rule_line", lang, severity=t(f"roster.severity.{r.severity}", lang),
                    count=r.count, text=rule_name(r.rule, lang)))
    if errors == 0:
        print(t("roster.check.ok", lang))
    if args.problems:
        from toolkit.roster.schema import BY_NAME

        out = pd.concat([problems, not_household_problems(roster, lang)], ignore_index=True)
        if "sheet" not in problems.columns:
            out = out.sort_values("row", kind="stable").drop(columns=["sheet", "sheet_row"], errors="ignore")
        else:   # several sheets: a row is found by its sheet and its row there
            order = {name: i for i, name in enumerate(roster.sheets)}
            out = out.assign(_o=out["sheet"].map(order)).sort_values(["_o", "sheet_row"], kind="stable")
            out = out.drop(columns=["row", "_o"])
        at = out.columns.get_loc("column") + 1
        out.insert(at, "header", out["column"].map(lambda c: BY_NAME[c].header if c in BY_NAME else c))
        out["column"] = column_words(out["column"], lang)
        out["rule"] = rule_names(out["rule"], lang)
        out["severity"] = out["severity"].map(lambda s: t(f"roster.severity.{s}", lang) if s != "note"
                                              else t("roster2.severity.note", lang))
        out.columns = [t(f"roster.col.{c}", lang) if c not in ("sheet", "sheet_row") else t(f"roster2.col.{c}", lang)
                       for c in out.columns]
        write_table(out, args.problems, sheet=t("words2.roster_problems_sheet", lang))
        print(t("roster.check.wrote", lang, path=args.problems))
    return 1 if errors else 0


MAX_LISTED = 50   # not-household rows printed; all of them go to the problems file


def print_office(roster: object, lang: str) -> None:
    """Say, in words, which sheets were read as one roster, which were not and
    why, and every row that is not a household (up to MAX_LISTED printed)."""
    if len(roster.sheets) > 1:
        print(t("roster2.check.sheets", lang, count=len(roster.sheets), sheets="、".join(roster.sheets)))
    for r in roster.skipped_sheets.itertuples():
        extra, _, lack = str(r.detail).partition("|")
        print(t("roster2.check.skipped", lang, sheet=r.sheet,
                reason=t(f"roster2.skip.{r.reason}", lang, extra=extra, lack=lack)))
    nh = roster.not_households
    if not len(nh):
        return
    counts = nh["kind"].value_counts()
    kinds = ("，" if lang != "en" else ", ").join(t("roster2.check.kind_count", lang, kind=t(f"roster2.kind.{k}", lang), count=int(n))
                     for k, n in counts.items())
    print(t("roster2.check.rows", lang, read=roster.rows_read, households=len(roster), other=len(nh), kinds=kinds))
    for r in nh.head(MAX_LISTED).itertuples():
        print(t("roster2.check.row_line" if r.text else "roster2.check.row_line_blank", lang,
                where=_where(r.sheet, r.row, len(roster.sheets) > 1, lang),
                kind=t(f"roster2.kind.{r.kind}", lang), text=r.text))
    if len(nh) > MAX_LISTED:
        print(t("roster2.check.more_rows", lang, count=len(nh) - MAX_LISTED))


def _where(sheet: object, row: int, several: bool, lang: str) -> str:
    if several and sheet:
        return t("roster2.where.sheet_row", lang, sheet=sheet, row=row)
    return t("roster2.where.row", lang, row=row)


def not_household_problems(roster: object, lang: str) -> pd.DataFrame:
    """The rows that are not households as lines of the problems table
    (severity "note", column "—"), so the file lists every row read."""
    nh = roster.not_households
    kinds = nh["kind"].map(lambda k: t(f"roster2.kind.{k}", lang))
    return pd.DataFrame({"sheet": nh["sheet"].fillna("").astype(object), "sheet_row": nh["row"],
                         "row": nh["row"], "column": "—", "value": nh["text"], "rule": "not_household",
                         "severity": "note",
                         "message": kinds.map(lambda k: t("roster2.not_household", lang, kind=k))})


def register(sub: argparse._SubParsersAction) -> None:
    from toolkit.cli import add_lang

    roster = sub.add_parser("roster", help="困难职工档案 / the roster")
    rsub = roster.add_subparsers(dest="roster_command", metavar="VERB")
    p = rsub.add_parser("check", help="读取并检查档案 / read and validate a roster file")
    p.add_argument("file")
    p.add_argument("--project", help="评估项目目录 / project directory (counties, thresholds)")
    p.add_argument("--problems", help="问题清单输出 .csv 或 .xlsx / write the problems table")
    p.add_argument("--encoding", default="auto", help="auto | utf-8 | gbk | gb18030")
    p.add_argument("--sheet", default=None, help="工作表名称 / sheet name")
    add_lang(p)
    p.set_defaults(func=_check)
    roster.set_defaults(func=lambda a: (roster.print_help(), 2)[1])
