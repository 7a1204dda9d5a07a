"""``fieldeval init`` and ``fieldeval demo``."""
from __future__ import annotations

import argparse
import re
import sys

from toolkit import config
from toolkit.errors import UserError
from toolkit.i18n import t

INIT_FLAGS = ("name", "counties", "lines", "roster")


def _ask(key: str, lang: str) -> str:
    """One answer typed at the terminal (blank when nothing was typed)."""
    try:
        return input(t(key, lang)).strip()
    except EOFError:
        return ""


def _needs_lines(counties: str | None) -> bool:
    """Whether some county is written without its own 低保 and minimum wage."""
    if not counties:
        return True
    items = [x for x in re.split(r"[,，、;；]+", counties) if x.strip()]
    return any(len(re.split(r"[:：]", x)) != 4 for x in items)


def init_values(args: argparse.Namespace, *, interactive: bool) -> dict[str, str]:
    """The four things a new project needs: evaluation name, counties, lines
    (低保 and minimum wage) and the roster file. Flags first; at a terminal
    each missing one is asked for; otherwise (CI, a pipe) a UserError names
    the missing flags. Nothing is filled in silently."""
    lang = args.lang
    values = {k: (getattr(args, k) or "").strip() for k in INIT_FLAGS}
    for k in INIT_FLAGS:
        if k == "lines" and not _needs_lines(values["counties"]):
            continue
        if not values[k] and interactive:
            values[k] = _ask(f"roster2.init.ask_{k}", lang)
    missing = [k for k in INIT_FLAGS if not values[k] and (k != "lines" or _needs_lines(values["counties"]))]
    if missing:
        raise UserError("roster2.init.missing", flags="、".join(t(f"roster2.init.flag.{k}", lang) for k in missing))
    return values


def _init(args: argparse.Namespace) -> int:
    lang = args.lang
    values = init_values(args, interactive=bool(sys.stdin) and sys.stdin.isatty())
    counties = config.parse_counties(values["counties"], values["lines"] or None)
    path = config.init(args.dir, name=values["name"], language=lang, counties=counties, overwrite=args.force,
                       roster=values["roster"])
    ev = config.load(path)
    roster = ev.path("roster")
    print(t("roster2.init.summary", lang, name=ev.name, count=len(ev.counties),
            counties="、".join(c.name for c in ev.counties), roster=roster))
    print(t("config.initialised", lang, path=path))
    if not roster.exists():
        print(t("roster2.init.roster_missing", lang, path=roster))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from toolkit.demo import run_demo

    run_demo(args.dir, seed=args.seed, households=args.households, lang=args.lang,
             follow_up=not args.no_follow_up)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from toolkit.cli import add_lang

    p = sub.add_parser("init", help="新建评估项目 / create an evaluation project")
    p.add_argument("dir")
    p.add_argument("--name", help="评估项目名称 / evaluation name")
    p.add_argument("--counties", help="区县，逗号分隔，每个 名称:6位区划代码[:低保:最低工资]"
                                      "（如 瑶海区:340102,庐阳区:340103）/ counties, name:area code[:低保:min wage]")
    p.add_argument("--lines", help="低保标准,最低工资标准（元/人/月，如 880,2060）/ 低保 line,minimum wage")
    p.add_argument("--roster", help="名册文件路径 / roster file (recorded for roster check and verify)")
    p.add_argument("--force", action="store_true", help="覆盖已有项目 / overwrite")
    add_lang(p)
    p.set_defaults(func=_init)

    p = sub.add_parser("demo", help="用合成数据演示全流程 / run the pipeline on a synthetic city")
    p.add_argument("dir", nargs="?", default="demo-project")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--households", type=int, default=3000)
    p.add_argument("--no-follow-up", action="store_true", dest="no_follow_up",
                   help="只做基线，不做复评轮次 / the baseline only, no follow-up round")
    add_lang(p)
    p.set_defaults(func=_demo)


__all__ = ["register", "init_values", "INIT_FLAGS"]
