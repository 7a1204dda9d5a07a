"""``fieldeval notebooks run --project DIR --out DIR [--lang zh|en] [--seed S] [--notebooks DIR] [--only NAME,...]``
and ``fieldeval notebooks list``.

``run`` executes the evaluation notebooks in order with papermill (a kernel
spec for this interpreter is written at run time) and keeps the executed
copies in ``--out`` (``<name>.ipynb``, results in ``<name>/``). Notebooks come
from ``--notebooks``, else the checkout's ``notebooks/``, else the copies
packaged in toolkit.report.notebooks. Exit 0; 1 when a notebook fails (its
partly executed copy is kept); 2 for unusable input.
"""
from __future__ import annotations

import argparse
import sys

from toolkit.errors import UserError
from toolkit.i18n import t


def _run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from toolkit import config
    from toolkit.report import notebooks as nb

    config.load(args.project)   # a missing or broken project is a clear error before any kernel starts
    names = nb.NAMES
    if args.only:
        names = tuple(n for n in nb.NAMES if any(n.startswith(o.strip()) for o in args.only.split(",")))
        if not names:
            raise UserError("notebooks.not_found", path=args.only)
    with tqdm(total=len(names), desc="notebooks", unit="nb", disable=None, file=sys.stderr, leave=False) as bar:
        def progress(name: str) -> None:
            bar.set_postfix_str(name)
            bar.update(0)

        done = []
        for name in names:
            progress(name)
            done += nb.run(args.project, args.out, lang=args.lang, seed=args.seed, names=(name,),
                           source=args.notebooks)
            bar.update(1)
    for e in done:
        print(t("common.wrote", args.lang, path=e.path))
    print(t("notebooks.done", args.lang, n=len(done), path=args.out))
    return 0


def _list(args: argparse.Namespace) -> int:
    from toolkit.report import notebooks as nb

    print(t("notebooks.source", args.lang, path=nb.checkout_dir()))
    for name in nb.NAMES:
        print(f"  {name}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """The ``notebooks`` verb with ``run`` and ``list``."""
    from toolkit.cli import add_lang

    p = sub.add_parser("notebooks", help="评估笔记本 / evaluation notebooks")
    verbs = p.add_subparsers(dest="notebooks_verb", metavar="VERB")
    r = verbs.add_parser("run", help=t("notebooks.help_run", "zh") + " / " + t("notebooks.help_run", "en"))
    r.add_argument("--project", required=True, help="评估项目目录 / project directory")
    r.add_argument("--out", required=True, help="执行后副本的目录 / directory for the executed copies")
    r.add_argument("--seed", default=None, help="抽样种子（默认取 manifest 中的种子）/ seed (default: the manifest's)")
    r.add_argument("--notebooks", default=None, help="笔记本目录（默认：项目自带）/ notebook directory")
    r.add_argument("--only", default=None, help="只运行这些（前缀，逗号分隔）/ run only these (prefixes)")
    add_lang(r)
    r.set_defaults(func=_run)
    ls = verbs.add_parser("list", help=t("notebooks.help_list", "zh") + " / " + t("notebooks.help_list", "en"))
    add_lang(ls)
    ls.set_defaults(func=_list)
