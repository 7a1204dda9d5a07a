"""The ``fieldeval`` command: a thin argparse shell over the toolkit.

Each area registers its verbs from ``toolkit/commands/<area>.py`` (a
``register(subparsers)`` function whose parsers set ``func``). A user's
mistake (any toolkit.errors.FieldevalError) prints one clear message in the chosen language and exits
with its code (2: input unusable); no traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from toolkit import __version__
from toolkit.errors import FieldevalError
from toolkit.i18n import t

# Areas whose verbs the command offers; each module has register(subparsers).
COMMAND_MODULES = (
    "toolkit.commands.project",
    "toolkit.commands.roster",
    "toolkit.commands.synth",
    "toolkit.commands.sample",
    "toolkit.commands.form",
    "toolkit.commands.estimate",
    "toolkit.commands.ingest",
    "toolkit.commands.verify",
    "toolkit.commands.review",
    "toolkit.commands.progress",
    "toolkit.commands.serve",
    "toolkit.commands.notebooks",
    "toolkit.commands.lab",
    "toolkit.commands.report",
    "toolkit.commands.key",
    "toolkit.commands.backcheck",
    "toolkit.commands.maps",
    "toolkit.commands.hub",
    "toolkit.commands.fixes",
    "toolkit.commands.reconcile",
    "toolkit.commands.checklist",
    "toolkit.commands.round",
)


def _lang_from_argv(argv: list[str]) -> str:
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--lang="):
            return a.split("=", 1)[1]
    return "zh"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fieldeval",
        description="fieldeval：困难职工帮扶第三方评估工具 / third-party evaluation toolkit",
    )
    parser.add_argument("--version", action="version", version=f"fieldeval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def add_lang(p: argparse.ArgumentParser) -> None:
    """The ``--lang zh|en`` option every verb takes."""
    p.add_argument("--lang", choices=("zh", "en"), default="zh",
                   help="输出语言 / language of messages (default zh)")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from_argv(argv)
    if lang not in ("zh", "en"):
        lang = "zh"
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code = args.func(args)
    except FieldevalError as e:   # UserError, SurveyError, …: one translated line, no traceback
        print(t("common.error_prefix", lang) + e.message(lang), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print(t("common.interrupted", lang), file=sys.stderr)
        return 130
    return int(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
