"""``fieldeval estimate``: one reproducible design-based estimate.

::

    fieldeval estimate visits.csv --strata county --psu township \\
        --fpc n_townships,n_households --ssu household_id \\
        --proportion wrong_exit --by county [--ci korn-graubard] [--json] [--lang en]

DATA may be .csv (UTF-8 or GB18030), .xlsx/.xls, .parquet, .sav or .dta.
The estimate, its standard error, confidence interval, degrees of freedom,
design effect and sample sizes are printed as a table, or as JSON with
``--json`` (numbers unrounded; the design is echoed so the run can be
repeated). A mistake in the data or the options exits with code 2 and one
message in the chosen language, no traceback.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError
from toolkit.i18n import t

READERS = (".csv", ".txt", ".xlsx", ".xls", ".parquet", ".sav", ".dta")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``estimate`` verb."""
    from toolkit.cli import add_lang
    from toolkit.survey import CI_METHODS, LONELY_PSU_RULES

    p = sub.add_parser("estimate", help=t("survey.cli_help"),
                       description=t("survey.cli_help") + " / " + t("survey.cli_help", "en"))
    p.add_argument("data", metavar="DATA", help="数据文件 / data file (.csv .xlsx .parquet .sav .dta)")
    p.add_argument("--strata", help="分层列 / stratum column")
    p.add_argument("--psu", help="一阶段单位列 / PSU column")
    p.add_argument("--ssu", help="二阶段单位列 / second-stage unit column (with a 2-stage --fpc)")
    p.add_argument("--fpc", help="有限总体校正列，逗号分隔（每阶段一列）/ fpc column(s), comma separated")
    p.add_argument("--weights", help="权重列 / weight column")
    p.add_argument("--lonely-psu", default="adjust", choices=LONELY_PSU_RULES,
                   help="单 PSU 层的处理 / lonely PSU rule (default adjust)")
    stat = p.add_mutually_exclusive_group(required=True)
    stat.add_argument("--mean", metavar="VAR")
    stat.add_argument("--total", metavar="VAR")
    stat.add_argument("--proportion", metavar="VAR")
    stat.add_argument("--ratio", nargs=2, metavar=("NUM", "DEN"))
    p.add_argument("--by", help="子总体列，逗号分隔 / domain column(s), comma separated")
    p.add_argument("--ci", default=None, choices=CI_METHODS,
                   help="比例的区间方法（默认取项目设置，未设则 wilson，与记分卡一致）"
                        " / interval for proportions (default: the project's setting, else wilson, as the scorecard)")
    p.add_argument("--project", default=None,
                   help="评估项目目录：采用其区间方法，缺失值作为子总体之外（与记分卡相同）"
                        " / project directory: its interval method; missing values outside the domain, as the scorecard")
    p.add_argument("--level", type=float, default=0.95, help="置信水平 / confidence level")
    p.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    add_lang(p)
    p.set_defaults(func=run)


def read_data(path: str) -> pd.DataFrame:
    """Read a survey data file by its suffix; user errors for missing,
    unsupported or unreadable files."""
    f = Path(path)
    if not f.exists():
        raise UserError("common.file_not_found", path=path)
    suffix = f.suffix.lower()
    if suffix not in READERS:
        raise UserError("survey.cli_format", suffix=suffix or f.name)
    try:
        if suffix in (".csv", ".txt"):
            try:
                return pd.read_csv(f, encoding="utf-8-sig")
            except UnicodeDecodeError:
                return pd.read_csv(f, encoding="gb18030")
        if suffix in (".xlsx", ".xls"):
            return pd.read_excel(f)
        if suffix == ".parquet":
            return pd.read_parquet(f)
        if suffix == ".sav":
            return pd.read_spss(f, convert_categoricals=False)
        return pd.read_stata(f, convert_categoricals=False)
    except UserError:
        raise
    except Exception as e:  # any parser failure is the file's problem, not ours
        raise UserError("survey.cli_unreadable", path=path, detail=f"{type(e).__name__}: {e}") from e


def _split(text: str | None) -> list[str] | None:
    if not text:
        return None
    return [s.strip() for s in text.split(",") if s.strip()]


def estimate(args: argparse.Namespace) -> tuple[pd.DataFrame, dict]:
    """Build the design and run the requested estimator; returns the result
    frame and a description of the run (for --json)."""
    from toolkit.project.rules import ci_method
    from toolkit.survey import Design, SurveyError

    ev = None
    if getattr(args, "project", None):
        from toolkit import config

        ev = config.load(args.project)
    args.ci = ci_method(ev, args.ci)   # one setting with the scorecard (toolkit.project.rules)
    data = read_data(args.data)
    fpc = _split(args.fpc)
    by = _split(args.by)
    spec = {"strata": args.strata, "psu": args.psu, "ssu": args.ssu, "fpc": fpc,
            "weights": args.weights, "lonely_psu": args.lonely_psu}
    try:
        design = Design(data, **spec)
        var = args.proportion or args.mean or args.total
        if ev is not None and var and var in data and data[var].isna().any():
            # as the scorecard (and R's na.rm = TRUE): a missing value is outside the domain
            design = design.subset(data[var].notna().to_numpy())
        if args.mean:
            stat, var, res = "mean", args.mean, design.mean(args.mean, by=by, level=args.level)
        elif args.total:
            stat, var, res = "total", args.total, design.total(args.total, by=by, level=args.level)
        elif args.proportion:
            stat, var = "proportion", args.proportion
            res = design.proportion(args.proportion, by=by, ci=args.ci, level=args.level)
        else:
            stat, var = "ratio", "/".join(args.ratio)
            res = design.ratio(args.ratio[0], args.ratio[1], by=by, level=args.level)
    except SurveyError as e:
        raise UserError(e.key, **e.fields) from None
    run = {"data": str(args.data), "rows": len(data), "design": spec, "degf": design.degf,
           "statistic": stat, "variable": var, "by": by, "level": args.level,
           "ci": args.ci if stat == "proportion" else "t"}
    return res, run


def _num(x: float, pct: bool) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if pct:
        return f"{x * 100:.2f}%"
    if abs(x) >= 1000:
        return f"{x:,.1f}"
    return f"{x:.4g}"


def _describe(run: dict, lang: str) -> str:
    d = run["design"]
    parts = []
    if d["strata"]:
        parts.append(f"strata={d['strata']}")
    parts.append(f"psu={d['psu'] or 'row'}")
    if d["ssu"]:
        parts.append(f"ssu={d['ssu']}")
    if d["fpc"]:
        parts.append("fpc=" + "+".join(d["fpc"]))
    parts.append(f"weights={d['weights'] or ('fpc' if d['fpc'] else '1')}")
    parts.append(f"lonely_psu={d['lonely_psu']}")
    parts.append(f"df={run['degf']}")
    parts.append(f"n={run['rows']}")
    return ", ".join(parts)


def format_table(res: pd.DataFrame, run: dict, lang: str) -> str:
    """A plain-text table in the chosen language."""
    pct = run["statistic"] == "proportion"
    by = run["by"] or []
    level = f"{run['level'] * 100:g}"
    head = ([t("survey.col_domain", lang)] if by else []) + [
        t("survey.col_estimate", lang), t("survey.col_se", lang),
        t("survey.col_ci", lang, level=level), t("survey.col_df", lang),
        t("survey.col_deff", lang), t("survey.col_n", lang), t("survey.col_n_eff", lang)]
    rows = []
    for r in res.itertuples(index=False):  # one line per domain for display
        cells = []
        if by:
            cells.append(" × ".join(str(getattr(r, c)) if c.isidentifier() else str(r[res.columns.get_loc(c)])
                                    for c in by))
        cells += [_num(r.estimate, pct), _num(r.se, pct),
                  f"{_num(r.ci_low, pct)} – {_num(r.ci_high, pct)}",
                  _num(r.df, False), _num(r.deff, False), str(r.n), _num(r.n_eff, False)]
        rows.append(cells)
    width = [max(_wide(x) for x in col) for col in zip(head, *rows)]
    lines = [t("survey.cli_design", lang, design=_describe(run, lang)),
             t("survey.cli_statistic", lang, stat=t(f"survey.cli_stat_{run['statistic']}", lang),
               var=run["variable"]),
             t("survey.cli_ci_method", lang, method=_method_words(run["ci"], lang)), ""]
    for cells in [head] + rows:
        lines.append("  ".join(_pad(c, w) for c, w in zip(cells, width)))
    return "\n".join(lines)


def _method_words(method: str, lang: str) -> str:
    """An interval method in words, with its name for R users: "Wilson 得分区间 (wilson)"."""
    words = t(f"verify.ci.{method}", lang)
    return f"{words} ({method})" if not words.startswith("verify.ci.") else method


def _wide(s: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _wide(s))


def _jsonable(v: object) -> object:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if hasattr(v, "item"):
        return _jsonable(v.item())
    return v


def run(args: argparse.Namespace) -> int:
    """Entry point of ``fieldeval estimate``; returns the exit code."""
    res, meta = estimate(args)
    if args.json:
        records = [{k: _jsonable(v) for k, v in rec.items()} for rec in res.to_dict("records")]
        out = {**meta, "results": records}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_table(res, meta, args.lang) + "\n")
    return 0
