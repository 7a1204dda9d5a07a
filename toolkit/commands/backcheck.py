"""``fieldeval backcheck draw|verify|compare``: back-checks (复核) of the field team.

* ``draw --project DIR --seed SEED [--share 0.15] [--min-per-enumerator 2]
  [--backcheckers A,B]``: draws (or tops up) the round's back-checks from the
  stored verification; writes ``output/backcheck/`` (manifest.json,
  picks.csv, lists/ with one A4 list per back-checker and the preload CSV);
* ``verify --project DIR``: re-derives every draw from the manifest (exit 1
  when something was changed);
* ``compare --project DIR [--export FILE ...]``: ingests the back-check
  export with the back-check form (into ``output/backcheck/ingest``) and
  compares item by item; writes comparison.xlsx + parquet and
  ``output/field/backchecks.parquet`` (the quality page's back-check column).

docs/backcheck.md explains the method. Exit 0; 1 for a failed verify; 2 on a user's mistake.
"""
from __future__ import annotations

import argparse

from toolkit.i18n import t


def _draw(args: argparse.Namespace) -> int:
    from toolkit.backcheck.run import draw_project

    bcs = [b.strip() for b in args.backcheckers.split(",") if b.strip()] if args.backcheckers else None
    r = draw_project(args.project, seed=args.seed, share=args.share, min_per=args.min_per_enumerator,
                     backcheckers=bcs, lang=args.lang)
    print(t("backcheck.drawn", args.lang, draw=r.draw, new=len(r.new), total=len(r.picks), population=r.population,
            interviewers=r.picks["interviewer"].nunique(), seed=r.seed))
    if len(r.left_out):
        print(t("backcheck.left_out", args.lang, n=len(r.left_out)))
    for p in r.written.values():
        print(t("backcheck.wrote", args.lang, path=str(p)))
    return 0


def _verify(args: argparse.Namespace) -> int:
    from toolkit.backcheck.run import verify_project

    m, problems = verify_project(args.project)
    if not problems:
        print(t("backcheck.verify_ok", args.lang, draws=len(m["draws"]),
                picks=sum(len(d["picks"]) for d in m["draws"])))
        return 0
    print(t("backcheck.verify_failed", args.lang))
    for key, fields in problems:
        print("  " + t(key, args.lang, **fields))
    return 1


def _compare(args: argparse.Namespace) -> int:
    from toolkit.backcheck.run import compare_project

    res, written, ing = compare_project(args.project, args.export or None, lang=args.lang)
    if ing is not None:
        print(t("backcheck.ingest_note", args.lang, path=str(written["xlsx"].parent / "ingest"), read=ing.read,
                accepted=ing.accepted, quarantined=ing.quarantined))
    o = res.overall.iloc[0] if len(res.overall) else None
    flagged = res.enumerators[res.enumerators["flagged"]]["enumerator"].astype(str).tolist()
    rate = "—" if o is None or o["error_rate_1"] != o["error_rate_1"] else f"{o['error_rate_1']:.1%}"
    print(t("backcheck.compared", args.lang, households=res.pairs["id"].nunique(),
            pairs=int(o["compared"]) if o is not None else 0, rate1=rate, flagged=len(flagged),
            names=("：" if args.lang == "zh" else ": ") + ", ".join(flagged) if flagged else ""))
    for f in flagged:
        print(f"  {f}: " + t("backcheck.flag_enumerator", args.lang))
    for p in written.values():
        if p.suffix == ".xlsx" or p.name == "backchecks.parquet":
            print(t("backcheck.wrote", args.lang, path=str(p)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """The ``backcheck`` verb and its three sub-verbs."""
    from toolkit.cli import add_lang

    p = sub.add_parser("backcheck", help=t("backcheck.help", "zh"))
    verbs = p.add_subparsers(dest="backcheck_verb", required=True)
    d = verbs.add_parser("draw", help=t("backcheck.help.draw", "zh"))
    d.add_argument("--project", required=True, help="评估项目目录 / project directory")
    d.add_argument("--seed", required=True, help="复核抽样种子 / seed of the back-check draw")
    d.add_argument("--share", type=float, default=None, help="复核比例（默认 0.15）/ share (default 0.15)")
    d.add_argument("--min-per-enumerator", type=int, default=None, dest="min_per_enumerator",
                   help="每名访员至少（默认 2）/ at least per interviewer (default 2)")
    d.add_argument("--backcheckers", default=None, help="复核员编号，逗号分隔 / back-checker IDs, comma-separated")
    add_lang(d)
    d.set_defaults(func=_draw)
    v = verbs.add_parser("verify", help=t("backcheck.help.verify", "zh"))
    v.add_argument("--project", required=True, help="评估项目目录 / project directory")
    add_lang(v)
    v.set_defaults(func=_verify)
    c = verbs.add_parser("compare", help=t("backcheck.help.compare", "zh"))
    c.add_argument("--project", required=True, help="评估项目目录 / project directory")
    c.add_argument("--export", action="append", default=None,
                   help="复核问卷导出文件（可多次）/ back-check export (repeatable)")
    add_lang(c)
    c.set_defaults(func=_compare)
