"""``fieldeval init`` and ``fieldeval demo``."""
from __future__ import annotations

import argparse

from toolkit import config
from toolkit.i18n import t


def _init(args: argparse.Namespace) -> int:
    path = config.init(args.dir, name=args.name, language=args.lang, overwrite=args.force)
    print(t("config.initialised", args.lang, path=path))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from toolkit.demo import run_demo

    run_demo(args.dir, seed=args.seed, households=args.households, lang=args.lang)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from toolkit.cli import add_lang

    p = sub.add_parser("init", help="新建评估项目 / create an evaluation project")
    p.add_argument("dir")
    p.add_argument("--name", default="评估项目")
    p.add_argument("--force", action="store_true", help="覆盖已有项目 / overwrite")
    add_lang(p)
    p.set_defaults(func=_init)

    p = sub.add_parser("demo", help="用合成数据演示全流程 / run the pipeline on a synthetic city")
    p.add_argument("dir", nargs="?", default="demo-project")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--households", type=int, default=3000)
    add_lang(p)
    p.set_defaults(func=_demo)
