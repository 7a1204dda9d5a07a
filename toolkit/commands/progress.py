"""``fieldeval progress --project DIR [--out FILE.xlsx] [--lang zh|en]``: field progress against the sample.

Prints the per-team table (toolkit.project.Project.progress: households
assigned, reserves released, visited, completed, completed share, refused,
not at home, other non-response, outstanding) in words, then how many
reserves were released and how many visits came from outside the sample.
``--out`` also writes an Excel workbook (toolkit.tables.write_workbook:
formula-like text neutralised, written atomically) with four sheets: teams
and townships, daily progress, reserves released and why, visits outside
the sample. Reads the stored files only (sample, ingest, field record).
Exit 0; 2 when the project has no sample yet or the path is not .xlsx.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from toolkit.i18n import t


def daily_table(daily: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Progress.daily with headers in words."""
    d = daily.rename(columns={"completed": "day_completed"}).reindex(
        columns=["date", "day_completed", "cumulative", "target"])
    return d.rename(columns={c: t(f"progress.col.{c}", lang) for c in d.columns})


def workbook(pr, lang: str = "zh") -> dict[str, pd.DataFrame]:  # noqa: ANN001 - Progress
    """The four sheets of ``--out`` ({sheet title: frame}), in words."""
    from toolkit.widgets.progress import outside_table, reserves_table, team_table

    return {t("progress.sheet_teams", lang): team_table(pr.table, lang, townships=True),
            t("progress.sheet_daily", lang): daily_table(pr.daily, lang),
            t("progress.sheet_reserves", lang): reserves_table(pr.reserves, lang),
            t("progress.sheet_outside", lang): outside_table(pr.outside, lang)}


def text_table(pr, lang: str = "zh") -> str:  # noqa: ANN001 - Progress
    """What the command prints: the headline, the per-team table, reserves and outside visits."""
    from toolkit.widgets.progress import summary_line, team_table

    teams = team_table(pr.table, lang, townships=False)
    lines = [t("progress.title", lang), summary_line(pr.table, lang), "", t("progress.by_team_only", lang),
             teams.to_string(index=False), ""]
    lines.append(f"{t('progress.reserves', lang)}: {len(pr.reserves)}")
    lines.append(f"{t('progress.outside', lang)}: {len(pr.outside)}")
    return "\n".join(lines)


def _progress(args: argparse.Namespace) -> int:
    from toolkit.errors import UserError
    from toolkit.project import Project

    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() != ".xlsx":
        raise UserError("progress.need_xlsx", path=str(out))
    pr = Project.open(Path(args.project)).progress()
    print(text_table(pr, args.lang))
    if out is not None:
        from toolkit.tables import write_workbook

        out.parent.mkdir(parents=True, exist_ok=True)
        write_workbook(out, workbook(pr, args.lang), freeze=True, autofilter=True)
        print(t("progress.written", args.lang, path=str(out)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """The ``progress`` verb."""
    from toolkit.cli import add_lang

    p = sub.add_parser("progress", help=t("progress.help", "zh"))
    p.add_argument("--project", required=True, help="评估项目目录 / project directory")
    p.add_argument("--out", default=None, help=t("progress.help_out", "zh") + " / " + t("progress.help_out", "en"))
    add_lang(p)
    p.set_defaults(func=_progress)
