"""``fieldeval round start|verify|status``: evaluation rounds (baseline, follow-ups).

* ``start --project DIR --name NAME (--panel SHARE | --fresh) --seed S
  [--comparison FILE]``: closes the current round (its estimation frame and
  stages kept under ``output/rounds/<old>/``) and opens NAME with a panel
  re-visit of the previous sample or a fresh draw (toolkit.project.rounds);
* ``verify --project DIR``: re-derives the current panel's picks (exit 1
  when one differs);
* ``status --project DIR``: the rounds and, after a verification, the change
  of every indicator since the previous round with its 95 % interval.

Exit 0; 1 for a failed verify; 2 on a user's mistake.
"""
from __future__ import annotations

import argparse

from toolkit.i18n import t


def _start(args: argparse.Namespace) -> int:
    from toolkit.project import Project
    from toolkit.project import rounds

    p = Project.open(args.project)
    old = p.current_round()
    r = rounds.start(p, args.name, seed=args.seed, panel=args.panel, fresh=args.fresh, comparison=args.comparison)
    print(t("rounds.closed", args.lang, name=old, path=str(rounds.round_dir(p, old))))
    key = "rounds.opened_panel" if r.kind == "panel" else "rounds.opened_fresh"
    print(t(key, args.lang, name=r.name, share=f"{(r.share or 0):.0%}", seed=r.seed,
            path=str(Project.open(args.project).paths.sample)))
    return 0


def _verify(args: argparse.Namespace) -> int:
    from toolkit.project import Project
    from toolkit.project.rounds import verify_panel

    c = verify_panel(Project.open(args.project))
    if c.ok:
        print(t("rounds.verify_ok", args.lang))
        return 0
    print(t("rounds.verify_failed", args.lang))
    for key, ids in (("rounds.verify_missing", c.missing), ("rounds.verify_extra", c.extra),
                     ("rounds.verify_reordered", c.reordered)):
        if ids:
            print("  " + t(key, args.lang, n=len(ids), ids="、".join(ids[:10]) + ("……" if len(ids) > 10 else "")))
    return 1


def _status(args: argparse.Namespace) -> int:
    from toolkit.project import Project
    from toolkit.project import rounds
    from toolkit.report.rounds_section import change_words, round_name

    p = Project.open(args.project)
    for r in rounds.rounds_of(p):
        print(t(f"rounds.kind.{r.kind}", args.lang) + f"  {round_name(r.name, args.lang)}" +
              (("  " + t("rounds.after", args.lang, name=round_name(r.previous, args.lang))) if r.previous else ""))
    ch = rounds.read_change(p.evaluation)
    if ch is None or not len(ch):
        print(t("rounds.no_change_yet", args.lang))
        return 0
    print(change_words(ch, args.lang).to_string(index=False))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """The ``round`` verb and its sub-verbs."""
    from toolkit.cli import add_lang

    p = sub.add_parser("round", help=t("rounds.help", "zh"))
    verbs = p.add_subparsers(dest="round_verb", required=True)
    s = verbs.add_parser("start", help=t("rounds.help.start", "zh"))
    s.add_argument("--project", required=True, help="评估项目目录 / project directory")
    s.add_argument("--name", required=True, help="新一轮的名称 / name of the new round")
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--panel", type=float, default=None,
                   help="回访上一轮样本的比例（0–1）/ share of the previous sample re-visited")
    g.add_argument("--fresh", action="store_true", help="重新抽取独立样本 / a fresh independent sample")
    s.add_argument("--seed", required=True, help="本轮抽样种子 / seed of this round's draw")
    s.add_argument("--comparison", default=None, help="对照名单（重新抽样时）/ comparison frame (fresh draw)")
    add_lang(s)
    s.set_defaults(func=_start)
    v = verbs.add_parser("verify", help=t("rounds.help.verify", "zh"))
    v.add_argument("--project", required=True, help="评估项目目录 / project directory")
    add_lang(v)
    v.set_defaults(func=_verify)
    st = verbs.add_parser("status", help=t("rounds.help.status", "zh"))
    st.add_argument("--project", required=True, help="评估项目目录 / project directory")
    add_lang(st)
    st.set_defaults(func=_status)
