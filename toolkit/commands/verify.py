"""``fieldeval verify``: archive vs visit, findings per household, the scorecard.

Reads (defaults inside the project directory DIR; ``paths.output`` of
evaluation.toml, default ``output``):

* the roster: ``paths.roster`` (default ``roster.xlsx``) or ``--roster``;
* the sample: ``DIR/output/sample`` (``manifest.json``, ``sample.csv``,
  ``reserves.csv``, ``psus.csv`` as ``fieldeval sample draw`` writes them) or
  ``--sample``;
* the visits: ``DIR/output/ingest`` (``submissions.parquet``,
  ``repeat_member.parquet``, ``repeat_payment.parquet`` as ``fieldeval
  ingest`` writes them) or ``--visits``;
* optionally ``DIR/output/visits/dispositions.csv`` (or ``--dispositions``)
  for the response rate.

Writes into ``DIR/output/verify`` (or ``--out``): ``findings.parquet`` (one
row per household × verdict with evidence: archive value, visit value,
rule), ``households.parquet`` (verdicts and design weights per interviewed
household), ``payments.parquet``, ``comparison.parquet`` (every archive field
pair), ``comparison_by_field.csv``, ``comparison_by_enumerator.csv`` — these
identify households by archive id and stay with the evaluator — and the
leadership-facing, de-identified ``scorecard.csv`` / ``scorecard.xlsx``
(counties and rates only). Prints the scorecard. Exit 0; 2 on unusable input.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError
from toolkit.i18n import t


def default_paths(project: Path, output: str = "output") -> dict[str, Path]:
    """Where verify looks and writes by default, inside the project directory."""
    out = project / output
    return {"sample": out / "sample", "visits": out / "ingest", "dispositions": out / "visits" / "dispositions.csv",
            "out": out / "verify"}


def read_sample(directory: Path) -> tuple[pd.DataFrame, pd.DataFrame | None, dict[str, int]]:
    """(units = selected + reserves: archive_id, stratum, psu; psus table or
    None; N_h per stratum) from a ``fieldeval sample draw`` output directory."""
    man = directory / "manifest.json"
    if not man.exists():
        raise UserError("verify.no_sample", path=str(directory))
    m = json.loads(man.read_text(encoding="utf-8"))
    read = lambda name: pd.read_csv(directory / name, dtype={"archive_id": str, "psu": str, "stratum": str},  # noqa: E731
                                    keep_default_na=False)
    units = read("sample.csv")
    parts = [units[["archive_id", "stratum", "psu"]]]
    if (directory / "reserves.csv").exists() and (directory / "reserves.csv").stat().st_size > 0:
        res = read("reserves.csv")
        if len(res):
            parts.append(res[["archive_id", "stratum", "psu"]])
    psus = None
    if (directory / "psus.csv").exists():
        psus = pd.read_csv(directory / "psus.csv", dtype={"stratum": str, "psu": str}, keep_default_na=False)
    sizes = {s["stratum"]: int(s["N_h"]) for s in m.get("allocation", {}).get("strata", [])}
    return pd.concat(parts, ignore_index=True), psus, sizes


def run(project: str | Path, *, roster: str | None = None, sample: str | None = None, visits: str | None = None,
        dispositions: str | None = None, out: str | None = None, lang: str = "zh", quiet: bool = False,
        planted: pd.DataFrame | None = None, ci: str | None = None):
    """The command's work, callable from the demo; returns the
    toolkit.verify.run.Result."""
    from toolkit import config as config_mod
    from toolkit.roster import read_roster
    from toolkit.verify import scorecard as sc
    from toolkit.verify.load import load_visits
    from toolkit.verify.run import evaluate

    pdir = Path(project)
    ev = config_mod.load(pdir)
    dflt = default_paths(pdir if pdir.is_dir() else pdir.parent, ev.paths.output)
    roster_path = Path(roster) if roster else ev.path("roster")
    if not roster_path.exists():
        raise UserError("verify.no_roster", path=str(roster_path))
    counties = ev.counties
    wages = pd.Series({c.name: c.min_wage for c in counties})
    r = read_roster(roster_path)
    frame = r.frame
    if "county" in frame:
        _ = wages  # the reader derives income_per_capita only when the roster lacks it
    units, psus, sizes = read_sample(Path(sample) if sample else dflt["sample"])
    vd = load_visits(Path(visits) if visits else dflt["visits"])
    from toolkit.roster.validate import validate

    problems = validate(r, ev)
    # the problems table names spreadsheet rows; the roster frame is indexed by them
    from toolkit.verify.indicators import DEFAULT_CI

    res = evaluate(frame, vd, units, ev, psus=psus, strata_sizes=sizes, problems=problems, ci=ci or DEFAULT_CI)
    if len(res.frame) == 0:
        raise UserError("verify.no_respondents", path=str(visits or dflt["visits"]))
    odir = Path(out) if out else dflt["out"]
    odir.mkdir(parents=True, exist_ok=True)
    f = res.findings
    f.evidence.to_parquet(odir / "findings.parquet", index=False)
    res.frame.to_parquet(odir / "households.parquet", index=False)
    f.payments.to_parquet(odir / "payments.parquet", index=False)
    ct = f.comparison.table.copy()
    for c in ("archive_value", "visit_value"):
        ct[c] = ct[c].astype("string")
    ct.to_parquet(odir / "comparison.parquet", index=False)
    from toolkit.tables import write_table

    write_table(f.comparison.by_field(), odir / "comparison_by_field.csv")
    write_table(f.comparison.by_enumerator(), odir / "comparison_by_enumerator.csv")
    csv, xlsx = sc.write(res.scorecard, odir, lang)
    if not quiet:
        disp_path = Path(dispositions) if dispositions else dflt["dispositions"]
        released, rr = len(res.frame), "–"
        if disp_path.exists():
            d = pd.read_csv(disp_path, dtype=str, keep_default_na=False)
            released = len(d)
            done = int((d["code"] == "completed").sum())
            rr = f"{done / released:.1%}" if released else "–"
        print(t("verify.summary", lang, done=len(res.frame), released=released, rr=rr,
                flags=int(f.evidence["flagged"].sum())))
        if res.outside:
            print(t("verify.outside_sample", lang, n=res.outside))
        print(sc.render(res.scorecard, lang, planted))
        for p in (odir / "findings.parquet", csv, xlsx):
            print(t("verify.written", lang, path=p))
    return res


def _verify(args: argparse.Namespace) -> int:
    run(args.project, roster=args.roster, sample=args.sample, visits=args.visits,
        dispositions=args.dispositions, out=args.out, lang=args.lang, ci=args.ci)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """``fieldeval verify --project DIR [--roster F] [--sample DIR] [--visits DIR]
    [--dispositions F] [--out DIR] [--ci METHOD] [--lang zh|en]``."""
    from toolkit.cli import add_lang

    p = sub.add_parser("verify", help="档案与入户核查比对、问题清单与评估记分卡 / archive vs visit, findings, scorecard")
    p.add_argument("--project", required=True, help="评估项目目录 / project directory (evaluation.toml)")
    p.add_argument("--roster", help="档案文件（默认 evaluation.toml 的 paths.roster）/ roster file")
    p.add_argument("--sample", help="抽样目录（默认 output/sample）/ sample directory")
    p.add_argument("--visits", help="入户数据目录（默认 output/ingest）/ ingested visits directory")
    p.add_argument("--dispositions", help="处置记录（默认 output/visits/dispositions.csv）/ dispositions csv")
    p.add_argument("--out", help="输出目录（默认 output/verify）/ output directory")
    p.add_argument("--ci", choices=("wilson", "korn-graubard", "logit", "asin"), default=None,
                   help="置信区间方法（默认 wilson）/ interval method (default wilson)")
    add_lang(p)
    p.set_defaults(func=_verify)
