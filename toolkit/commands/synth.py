"""``fieldeval synth``: write a synthetic city with a planted truth."""
from __future__ import annotations

import argparse
import time

from toolkit.errors import UserError
from toolkit.i18n import t

MAX_HOUSEHOLDS = 300_000  # keeps every sheet under Excel's 1,048,576 rows


def _synth(args: argparse.Namespace) -> int:
    from toolkit.synthetic import make_city, write_city

    if not 1 <= args.households <= MAX_HOUSEHOLDS:
        raise UserError("synthetic.bad_households", value=args.households, limit=MAX_HOUSEHOLDS)
    start = time.perf_counter()
    city = make_city(args.households, args.seed)
    written = write_city(city, args.out)
    print(t("synthetic.built", args.lang, seed=args.seed, households=len(city.roster),
            counties=len(city.evaluation.counties), records=len(city.help_records),
            comparison=len(city.comparison), seconds=time.perf_counter() - start))
    for f in written:
        key = "synthetic.file_plain" if f.rows is None else "synthetic.file"
        print(t(key, args.lang, path=f.path, rows=f.rows))
    print(t("synthetic.truth_note", args.lang))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """``fieldeval synth --households N --seed S --out DIR [--lang zh|en]``."""
    from toolkit.cli import add_lang

    p = sub.add_parser("synth", help="生成带植入真相的合成城市 / write a synthetic city with a planted truth")
    p.add_argument("--households", type=int, default=3000, help="档案户数 / registered households")
    p.add_argument("--seed", type=int, default=2026, help="随机种子 / random seed")
    p.add_argument("--out", required=True, help="输出目录 / output directory")
    add_lang(p)
    p.set_defaults(func=_synth)
