"""``fieldeval verify``: archive vs visit, findings per household, the scorecard.

A thin client of :meth:`toolkit.project.Project.verify`: it reads the
project's stages (roster ``paths.roster``; ``output/sample``; ``output/ingest``;
the field's dispositions from ``output/field/``), verifies the drawn sample's
visits only (visits to other households are listed, never counted), and
writes the results stage ``output/verify/`` as a whole — the one stored result
the report, the notebooks and the dashboards read (see
toolkit.project.results for the files). Prints the response rate (AAPOR RR1)
and the scorecard with the interval method used, and records the run in the
evaluation store (``--no-store`` skips that). Exit 0; 2 on unusable input.
"""
from __future__ import annotations

import argparse
import math

import pandas as pd

from toolkit.i18n import t


def summary_lines(results, lang: str) -> list[str]:  # noqa: ANN001 - toolkit.project.Results
    """What verify prints before the scorecard: interviewed, RR1 (or that there
    are no dispositions yet), findings, outside visits."""
    from toolkit.verify.indicators import ALL

    flags = int(results.findings.loc[results.findings["county"] == ALL, "flagged"].sum()) \
        if len(results.findings) else 0
    r = results.response
    whole = r[r["county"] == ALL] if len(r) else r
    lines = []
    if len(whole) and not math.isnan(float(whole["rr1"].iloc[0])):
        lines.append(t("verify.summary", lang, done=results.interviewed, released=int(whole["released"].iloc[0]),
                       rr=f"{float(whole['rr1'].iloc[0]):.1%}", flags=flags))
        lines.append(t("report.rr_definition", lang))   # the one RR1 definition
    else:
        lines.append(t("verify.summary_no_rr", lang, done=results.interviewed, flags=flags))
        lines.append(t("project.no_dispositions", lang))
    if len(results.outside):
        lines.append(t("verify.outside_sample", lang, n=len(results.outside)))
    if results.meta.get("field_problems"):
        lines.append(t("verify.field_problems", lang, n=results.meta["field_problems"]))
    lines.append(t("verify.ci_used", lang, method=t(f"verify.ci.{results.ci}", lang)))
    return lines


def run(project: str, *, ci: str | None = None, lang: str = "zh", quiet: bool = False,
        planted: pd.DataFrame | None = None, record: bool = True):  # noqa: ANN201 - toolkit.project.Results
    """The command's work, callable from the demo; returns the stored Results."""
    from toolkit.project import Project
    from toolkit.verify import scorecard as sc

    p = Project.open(project)
    res = p.verify(ci=ci, record=record, lang=lang)
    if not quiet:
        for line in summary_lines(res, lang):
            print(line)
        print(sc.render(res.scorecard, lang, planted))
        from toolkit.checklist import scores as documents   # the document review beside it (issue 19)

        if len(documents(p)):
            from toolkit.commands.checklist import show_lines

            print("\n" + "\n".join(show_lines(p, lang)))
        for name in ("findings.parquet", "scorecard.csv", "scorecard.xlsx"):
            print(t("verify.written", lang, path=p.paths.verify / name))
        if record:
            print(t("verify.stored", lang, path=p.store_location()))
    return res


def _verify(args: argparse.Namespace) -> int:
    run(args.project, ci=args.ci, lang=args.lang, record=not args.no_store)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """``fieldeval verify --project DIR [--ci METHOD] [--no-store] [--lang zh|en]``."""
    from toolkit.cli import add_lang
    from toolkit.project.rules import CI_METHODS

    p = sub.add_parser("verify", help="档案与入户核查比对、问题清单与评估记分卡 / archive vs visit, findings, scorecard")
    p.add_argument("--project", required=True, help="评估项目目录 / project directory (evaluation.toml)")
    p.add_argument("--ci", choices=CI_METHODS, default=None,
                   help="置信区间方法（默认取 evaluation.toml 的 [estimation] ci，未设则 wilson）"
                        " / interval method (default: [estimation] ci of evaluation.toml, else wilson)")
    p.add_argument("--no-store", action="store_true",
                   help="不写入评估库 / do not record the run in the evaluation store")
    add_lang(p)
    p.set_defaults(func=_verify)
