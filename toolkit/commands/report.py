"""``fieldeval report --project DIR [--format docx,html,xlsx] [--lang zh|en] [--out DIR]``.

Builds the evaluation report (toolkit.report.build_report) from the project's
sample, visits and roster, and prints the path of each file written. Exit 0;
2 when the project's files are missing or a format is unknown.
"""
from __future__ import annotations

import argparse
import sys

from toolkit.i18n import t


def _report(args: argparse.Namespace) -> int:
    from toolkit.report import build_report

    formats = tuple(f.strip().lower() for f in args.format.split(",") if f.strip())
    print(t("report.building", args.lang), file=sys.stderr)
    paths = build_report(args.project, formats, args.lang, out=args.out)
    for fmt, path in paths.items():
        print(t("report.written", args.lang, fmt=fmt, path=path))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """The ``report`` verb."""
    from toolkit.cli import add_lang

    p = sub.add_parser("report", help="生成评估报告（Word、HTML、Excel）/ write the evaluation report")
    p.add_argument("--project", required=True, help="评估项目目录 / project directory")
    p.add_argument("--format", default="docx,html,xlsx", help=t("report.help_format", "zh") + " / "
                   + t("report.help_format", "en"))
    p.add_argument("--out", default=None, help=t("report.help_out", "zh") + " / " + t("report.help_out", "en"))
    add_lang(p)
    p.set_defaults(func=_report)
