"""``fieldeval reconcile template|check``: system-data reconciliation (查看系统数据).

* ``template --project DIR [--out FILE.xlsx] [--years 2024,2025]``: the
  workbook the union fills in (counties of the project, drop-down lists);
* ``check --project DIR --report FILE.xlsx``: reads the filled report (every
  row accepted or excluded with its reason), compares it with the roster and
  the payment ledger, prints the data consistency per county and every
  difference, and writes ``output/reconcile/`` (reconcile.xlsx in words).

Exit 0 when every tally agrees, 1 when there are differences, 2 on a user's mistake.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from toolkit.i18n import t


def _template(args: argparse.Namespace) -> int:
    from toolkit.project import Project
    from toolkit.reconcile.run import template

    p = Project.open(args.project)
    years = [int(y) for y in args.years.split(",") if y.strip()] if args.years else None
    out = Path(args.out) if args.out else p.paths.output / "reconcile_template.xlsx"
    path, yrs = template(p, out, lang=args.lang, years=years)
    print(t("recon.template_written", args.lang, path=path, counties=len(p.evaluation.counties),
            years="、".join(map(str, yrs)) if args.lang == "zh" else ", ".join(map(str, yrs))))
    return 0


def print_check(res, lang: str) -> None:  # noqa: ANN001 - toolkit.reconcile.run.CheckResult
    """What ``check`` prints: rows read, sheets, tallies compared, consistency per county, every difference."""
    from toolkit.reconcile.outputs import pct

    rep, rec = res.reported, res.reconciliation
    sh = rep.sheets
    cells = int((rep.excluded["scope"] == "cell").sum()) if len(rep.excluded) else 0
    print(t("recon.read_summary", lang, path=rep.source, read=int(sh["read"].sum()),
            accepted=int(sh["accepted"].sum()), excluded=int(sh["excluded"].sum()), cells=cells))
    for r in sh.itertuples():
        if r.kind:
            print(t("recon.sheet_line", lang, sheet=r.sheet, kind=t(f"recon.kind.{r.kind}", lang), header=r.header_row,
                    read=r.read, accepted=r.accepted, excluded=r.excluded))
        else:
            print(t("recon.sheet_skipped", lang, sheet=r.sheet, reason=t(f"recon.rule.{r.reason}", lang)))
    if res.ledger is None:
        print(t("recon.no_ledger", lang, path=res.ledger_expected, setting="paths.help_records"))
    for k in rec.unreported_kinds:
        print(t("recon.kind_unreported", lang, kind=t(f"recon.kind.{k}", lang)))
    if rec.years:
        print(t("recon.years", lang, years="、".join(map(str, rec.years))))
    whole = rec.consistency.iloc[0]
    print("\n" + t("recon.headline", lang))
    print(t("recon.summary", lang, compared=int(whole["compared"]), agree=int(whole["agree"]),
            differs=int(whole["differs"]), not_reported=int(whole["not_reported"])))
    for r, share in zip(rec.consistency.itertuples(), pct(rec.consistency["consistency"])):
        county = t("verify.all_counties", lang) if r.county == "全市" else r.county
        print(t("recon.county_line", lang, county=county, share=share, agree=r.agree, compared=r.compared))
    from toolkit.reconcile.outputs import compared_words

    words = compared_words(rec.differences, lang)
    col = lambda k: t(f"recon.col.{k}", lang)  # noqa: E731
    for _, w in words.iterrows():
        group = w[col("group")] + (f" {w[col('year')]}" if w[col("year")] else "")
        print(t("recon.difference_line", lang, county=w[col("county")], kind=w[col("kind")], group=group,
                measure=w[col("measure")], reported=w[col("reported")], archive=w[col("archive")],
                difference=w[col("difference")] if w[col("status")] != t("recon.status.not_reported", lang)
                else w[col("status")]))
    if len(res.archive.unplaced):
        print(t("recon.unplaced", lang, n=len(res.archive.unplaced)))
    print(t("recon.written", lang, path=res.folder / "reconcile.xlsx"))


def _check(args: argparse.Namespace) -> int:
    from toolkit.reconcile.run import check

    res = check(args.project, args.report, lang=args.lang)
    print_check(res, args.lang)
    return 1 if len(res.reconciliation.differences) else 0


def register(sub: argparse._SubParsersAction) -> None:
    """``fieldeval reconcile template|check``."""
    from toolkit.cli import add_lang

    p = sub.add_parser("reconcile", help="系统数据核对：工会上报统计数与档案、台账比对 / system-data reconciliation")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    tp = verbs.add_parser("template", help="生成工会填报的统计表模板 / write the union's report template")
    tp.add_argument("--project", required=True, help="评估项目目录 / project directory")
    tp.add_argument("--out", help="输出 .xlsx（默认 output/reconcile_template.xlsx）/ output file")
    tp.add_argument("--years", help="帮扶资金年度，如 2024,2025（默认取台账中的年度）/ payment years")
    add_lang(tp)
    tp.set_defaults(func=_template)
    cp = verbs.add_parser("check", help="读取工会上报的统计表并与档案、台账核对 / reconcile the union's report")
    cp.add_argument("--project", required=True, help="评估项目目录 / project directory")
    cp.add_argument("--report", required=True, help="工会填好的统计表 .xlsx / the filled report")
    add_lang(cp)
    cp.set_defaults(func=_check)
