"""``fieldeval sample plan | draw | verify``: random spot checks.

Defaults may be set in the project's ``evaluation.toml``::

    [sampling]
    p = 0.5              # anticipated share
    margin = 0.05        # margin of error (share)
    confidence = 0.95
    deff = 1.5           # design effect (applied before the FPC)
    response_rate = 0.85
    allocation = "proportional"   # proportional | neyman | equal | sqrt
    min_per_stratum = 2
    reserves = 5          # per stratum (one-stage) or per selected PSU
    strata = ["county"]
    [sampling.teams]      # county → field team (default: one team per county)
    "瑶海区" = "第一组"
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from toolkit.errors import UserError
from toolkit.i18n import catalog, t
# reading the roster and comparison frame, and the county check, live with the draw
from toolkit.project.draw import check_counties as _check_counties
from toolkit.project.draw import read_comparison as _read_comparison
from toolkit.project.draw import read_frame as _read_roster


def _project_defaults(project: str | None) -> tuple[object, dict]:
    if not project:
        return None, {}
    from toolkit import config

    ev = config.load(project)
    s = ev.extra.get("sampling", {}) if isinstance(ev.extra, dict) else {}
    return ev, s if isinstance(s, dict) else {}


def _opt(args: argparse.Namespace, name: str, defaults: dict, fallback: object) -> object:
    v = getattr(args, name, None)
    return v if v is not None else defaults.get(name, fallback)


def _strata(text: str | None, defaults: dict) -> tuple[str, ...]:
    if text is None:
        val = defaults.get("strata", ["county"])
        return tuple(val) if isinstance(val, list) else tuple(str(val).split(","))
    if text.strip().lower() in ("", "none", "无"):
        return ()
    return tuple(s.strip() for s in text.split(",") if s.strip())


# --- plan ----------------------------------------------------------------------------

def _plan(args: argparse.Namespace) -> int:
    from toolkit.sampling.allocation import allocate
    from toolkit.sampling.select import Design, prepare
    from toolkit.sampling.size import proportion_size, zero_failure_size

    lang = args.lang
    ev, dflt = _project_defaults(args.project)
    frame = _read_roster(args.roster) if args.roster else None
    population = args.population if args.population is not None else (len(frame) if frame is not None else None)
    ps = proportion_size(float(_opt(args, "p", dflt, 0.5)), float(_opt(args, "margin", dflt, 0.05)),
                         float(_opt(args, "confidence", dflt, 0.95)), deff=float(_opt(args, "deff", dflt, 1.0)),
                         population=population, response_rate=float(_opt(args, "response_rate", dflt, 1.0)))
    print(t("sampling.plan_size", lang, z=ps.z, n0=ps.n0, deff=ps.deff, n_deff=ps.n_deff, n_fpc=ps.n_fpc,
            n=ps.n, rr=ps.response_rate, n_draw=ps.n_draw))
    if args.zero_failure is not None:
        zf = zero_failure_size(args.zero_failure, float(_opt(args, "confidence", dflt, 0.95)), population=population)
        print(t("sampling.plan_zero_failure", lang, p0=zf.p0, method=zf.method, n=zf.n, miss=zf.miss_probability))
    if frame is not None:
        from toolkit.roster.schema import resolve_column

        strata = tuple(resolve_column(c, list(frame.columns)) for c in _strata(args.strata, dflt))
        _check_counties(ev, frame, strata)
        work = prepare(frame, Design(seed="plan", strata=strata))
        sizes = dict(zip(work.labels, np.bincount(work.codes, minlength=len(work.labels)).tolist()))
        n = args.n if args.n is not None else ps.n_draw
        alloc = allocate(sizes, n, str(_opt(args, "allocation", dflt, "proportional")),
                         min_per_stratum=int(_opt(args, "min_per_stratum", dflt, 2)))
        from toolkit.sampling.sample_files import stratum_words
        from toolkit.worded import with_headers

        method = t(f"words2.alloc.{alloc.method}", lang) if f"words2.alloc.{alloc.method}" in catalog() else alloc.method
        print(t("sampling.plan_table", lang, method=method, n=alloc.n))
        tab = alloc.frame()[["stratum", "N_h", "exact", "n_h", "fraction"]]
        tab["stratum"] = stratum_words(tab["stratum"], lang)      # the table in words, as the draw's files
        print(with_headers(tab, lang).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return 0


# --- draw ----------------------------------------------------------------------------

def _design(args: argparse.Namespace, dflt: dict) -> "object":
    from toolkit.sampling.select import Design

    if not args.seed or not str(args.seed).strip():
        raise UserError("sampling.seed_missing")
    method = "two_stage" if args.two_stage else str(_opt(args, "method", dflt, "srswor"))
    return Design(
        seed=str(args.seed), seed_source=args.seed_source or "",
        strata=_strata(args.strata, dflt), method=method,
        n=args.n, per_stratum=args.per_stratum,
        allocation=str(_opt(args, "allocation", dflt, "proportional")),
        min_per_stratum=int(_opt(args, "min_per_stratum", dflt, 2)),
        reserves=int(_opt(args, "reserves", dflt, 0)),
        sort_by=tuple(s for s in (args.sort_by or "").split(",") if s),
        psu=args.psu, psus_per_stratum=args.psus_per_stratum, per_psu=args.per_psu,
        psu_order=args.psu_order,
    )


def _draw(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from toolkit.project.draw import draw_into

    lang = args.lang
    out = Path(args.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError("sampling.out_exists", path=str(out))
    ev, dflt = _project_defaults(args.project)
    design = _design(args, dflt)            # a missing seed fails before any reading
    teams = dflt.get("teams") if isinstance(dflt.get("teams"), dict) else None
    with tqdm(desc=t("sampling.progress_tickets", lang), unit="hh", disable=None, file=sys.stderr,
              leave=False) as bar:
        notes: list[str] = []
        sample = draw_into(out, args.roster, design, comparison=args.comparison, evaluation=ev, teams=teams,
                           mask=not args.no_mask, progress=bar.update, notes=notes.append, lang=lang)
    for line in notes:
        print(line)
    print(t("sampling.drawn", lang, n=len(sample.units), strata=len(sample.allocation.strata),
            reserves=len(sample.reserves), seed=design.seed))
    print(t("common.wrote", lang, path=str(out)))
    return 0


# --- verify --------------------------------------------------------------------------

def _verify(args: argparse.Namespace) -> int:
    from toolkit.sampling import manifest as mf

    lang = args.lang
    m = mf.load(args.manifest)
    root = next((d for d in Path(args.manifest).resolve().parents if (d / "evaluation.toml").is_file()), None)
    if m.get("panel") and root is not None:   # a follow-up round's panel: re-derived by its own rule
        from toolkit.commands import round as round_cmd

        print(t("rounds.sample_verify_panel", lang, seed=(m.get("seed") or {}).get("value", "")))
        return round_cmd._verify(argparse.Namespace(project=str(root), lang=lang))
    frame = _read_roster(args.roster)
    comparison = _read_comparison(args.comparison)
    from tqdm import tqdm

    total = len(frame) + (len(comparison) if comparison is not None else 0)
    with tqdm(total=total, desc=t("sampling.progress_tickets", lang), unit="hh", disable=None,
              file=sys.stderr, leave=False) as bar:
        result = mf.verify(m, frame, comparison=comparison, progress=bar.update)
    sample_csv = Path(args.manifest).with_name("sample.csv")
    diffs = list(result.differences)
    if result.sample is not None and sample_csv.exists():
        from toolkit.sampling.sample_files import read_sample_table

        listed = read_sample_table(sample_csv)
        new = result.sample.units.set_index("archive_id")
        for rec in listed.to_dict("records"):
            aid = str(rec["archive_id"])
            if aid not in new.index:
                diffs.append(mf.Difference("selected_extra", f"sample.csv:{aid}", None, None))
                continue
            if not mf._same(float(rec["weight"]), float(new.at[aid, "weight"])):
                diffs.append(mf.Difference("selected_value", f"sample.csv:{aid}.weight", rec["weight"],
                                           float(new.at[aid, "weight"])))
        missing = set(new.index) - {str(a) for a in listed["archive_id"]}
        for aid in sorted(missing):
            diffs.append(mf.Difference("selected_missing", f"sample.csv:{aid}", None, None))
    if not diffs:
        print(t("sampling.verify_ok", lang))
        return 0
    print(t("sampling.diff_header", lang, count=len(diffs)))
    for d in diffs[:500]:
        print(d.message(lang))
    if len(diffs) > 500:
        print(f"  … (+{len(diffs) - 500})")
    return 1


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``sample plan``, ``sample draw`` and ``sample verify``."""
    from toolkit.cli import add_lang

    p = sub.add_parser("sample", help="随机抽查：样本量、分配、抽样、验证 / random spot-check sample")
    verbs = p.add_subparsers(dest="sample_command", metavar="VERB")

    pl = verbs.add_parser("plan", help="样本量与分层分配表 / sample size and allocation table")
    pl.add_argument("--project", help="评估项目目录 / project directory")
    pl.add_argument("--roster", help="名册文件，用于各层户数 / roster file for stratum sizes")
    pl.add_argument("--strata", help="分层变量，逗号分隔，表头或内部名均可（如 所属区县,档案状态 或 county,status）；none 表示不分层")
    pl.add_argument("--p", type=float, help="预期比例 / anticipated share (0.5)")
    pl.add_argument("--margin", type=float, help="允许误差 / margin of error (0.05)")
    pl.add_argument("--confidence", type=float, help="置信度 / confidence (0.95)")
    pl.add_argument("--deff", type=float, help="设计效应 / design effect (1)")
    pl.add_argument("--response-rate", dest="response_rate", type=float, help="预期应答率 / response rate (1)")
    pl.add_argument("--population", type=int, help="总体户数 N（默认为名册户数）")
    pl.add_argument("--n", type=int, help="总样本量（默认按公式）/ total sample")
    pl.add_argument("--allocation", choices=("proportional", "neyman", "equal", "sqrt"))
    pl.add_argument("--min-per-stratum", dest="min_per_stratum", type=int)
    pl.add_argument("--zero-failure", dest="zero_failure", type=float, metavar="P0",
                    help="零失败样本量的容忍比例 p0 / zero-failure share p0")
    add_lang(pl)
    pl.set_defaults(func=_plan)

    dr = verbs.add_parser("draw", help="抽取样本并写出清单、名单 / draw the sample")
    dr.add_argument("roster", help="名册文件 / roster file")
    dr.add_argument("--project", help="评估项目目录 / project directory")
    dr.add_argument("--strata", help="分层变量，逗号分隔，表头或内部名均可（如 所属区县,档案状态 或 county,status）；none 表示不分层")
    size = dr.add_mutually_exclusive_group()
    size.add_argument("--n", type=int, help="总样本量（按 --allocation 分配）/ total sample")
    size.add_argument("--per-stratum", dest="per_stratum", type=int, help="每层样本量 / per stratum")
    dr.add_argument("--allocation", choices=("proportional", "neyman", "equal", "sqrt"))
    dr.add_argument("--min-per-stratum", dest="min_per_stratum", type=int)
    dr.add_argument("--method", choices=("srswor", "systematic"), help="单阶段方法（默认 srswor 抽签号）")
    dr.add_argument("--sort-by", dest="sort_by", help="系统抽样的排序变量，逗号分隔 / systematic sort order")
    dr.add_argument("--two-stage", dest="two_stage", action="store_true",
                    help="两阶段：先按户数 PPS 抽街道（乡镇），再抽户")
    dr.add_argument("--psu", default="township", help="一级抽样单元列，表头或内部名 / PSU column (街道（乡镇） = township)")
    dr.add_argument("--psus-per-stratum", dest="psus_per_stratum", type=int)
    dr.add_argument("--per-psu", dest="per_psu", type=int)
    dr.add_argument("--psu-order", dest="psu_order", choices=("label", "ticket"), default="label")
    dr.add_argument("--reserves", type=int, help="每层（两阶段为每个街道）备用户数 / reserves")
    dr.add_argument("--comparison", help="非建档对照户框（CSV/Excel）/ non-registered comparison frame")
    dr.add_argument("--seed", help="公开随机种子（如彩票开奖号码）/ public seed")
    dr.add_argument("--seed-source", dest="seed_source", help="种子来源及日期 / where and when the seed came from")
    dr.add_argument("--out", required=True, help="输出目录（须不存在或为空）/ output directory")
    dr.add_argument("--no-mask", dest="no_mask", action="store_true", help="名单中显示完整身份证号（姓名、电话、地址总是完整显示）")
    add_lang(dr)
    dr.set_defaults(func=_draw)

    ve = verbs.add_parser("verify", help="按清单重新推导并核对样本 / re-derive and check a sample")
    ve.add_argument("manifest", help="manifest.json")
    ve.add_argument("--roster", required=True, help="名册文件 / roster file")
    ve.add_argument("--comparison", help="对照户框 / comparison frame")
    add_lang(ve)
    ve.set_defaults(func=_verify)

    p.set_defaults(func=lambda a: (p.print_help(), 2)[1])
