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
from pathlib import Path

import pandas as pd

from toolkit.i18n import t


def run(project: str | Path, *, roster: str | None = None, sample: str | None = None, visits: str | None = None,
        dispositions: str | None = None, out: str | None = None, lang: str = "zh", quiet: bool = False,
        planted: pd.DataFrame | None = None, ci: str | None = None):
    """The command's work, callable from the demo; returns the
    toolkit.verify.project.ProjectRun (inputs read and the Result)."""
    from toolkit.verify import scorecard as sc
    from toolkit.verify.project import evaluate_project

    pr = evaluate_project(project, roster=roster, sample=sample, visits=visits, ci=ci)
    res, dflt = pr.result, pr.paths
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
    return pr


def record(pr, dispositions: Path | None, round_name: str = "current") -> int:  # noqa: ANN001 - ProjectRun
    """Keep this verification in the project's evaluation store (toolkit.store):
    the roster snapshot hash, the manifest and its units, dispositions,
    submission keys and findings, in the round ``round_name`` (the one the
    walkthrough dashboard's notes and overrides attach to). Saves are
    idempotent; a re-run with changed values is written to the audit log.
    Returns the round id."""
    from toolkit.store import open_store

    m = pr.manifest
    subs = pr.visits.submissions
    e = pr.result.findings.evidence
    findings = pd.DataFrame({"archive_id": e["archive_id"], "finding_type": e["finding"],
                             "verdict": e["flagged"].map({True: "flagged", False: "clear"}).astype(str),
                             "rule": e["rule"].astype(str), "value_archive": e["archive_value"].astype(str),
                             "value_visit": e["visit_value"].astype(str)})
    keys = pd.DataFrame({"key": subs["KEY"].astype(str), "archive_id": subs["archive_id"].astype(str),
                         "form_id": "household_visit", "status": "accepted"})
    if "form_version" in subs:
        keys["form_version"] = subs["form_version"].astype(str)
    with open_store(pr.evaluation) as st:
        rid = st.ensure_round(round_name)
        st.save_snapshot(m["roster"], source_name=pr.paths["roster"].name)
        st.save_manifest(m, round_id=rid)
        if dispositions is not None and dispositions.exists():
            st.save_dispositions(pd.read_csv(dispositions, dtype={"archive_id": str, "replaced_by": str},
                                             keep_default_na=False), rid, by="fieldeval verify")
        st.save_submission_keys(keys, rid)
        st.save_findings(findings, rid)
    return rid


def _verify(args: argparse.Namespace) -> int:
    pr = run(args.project, roster=args.roster, sample=args.sample, visits=args.visits,
             dispositions=args.dispositions, out=args.out, lang=args.lang, ci=args.ci)
    if not args.no_store:
        disp = Path(args.dispositions) if args.dispositions else pr.paths["dispositions"]
        record(pr, disp)
        print(t("verify.stored", args.lang, path=pr.evaluation.path("store")))
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
    p.add_argument("--no-store", action="store_true",
                   help="不写入评估库 / do not record the run in the evaluation store")
    add_lang(p)
    p.set_defaults(func=_verify)
