"""``fieldeval ingest`` and ``fieldeval export``: field data in, checked data out.

``fieldeval ingest EXPORT... --form FORM --project DIR [--corrections FILE] --out OUTDIR``
reads the exports, applies the corrections workbook, validates against the
form, runs the high-frequency checks (thresholds from ``[quality]`` in the
project's evaluation.toml) and writes the files listed in
toolkit.ingest.pipeline; it prints read / accepted / quarantined and the
issues by rule, the same counts per repeat table and any table it could not
read (with its rows). Exit 0 when nothing is quarantined or left unread, 1
when some row (submission or repeat row) is quarantined or a table was not
read, 2 when an input is unusable.

``fieldeval ingest template corrections --out FILE`` writes the corrections
workbook to fill in, with a sheet documenting its columns, the allowed
actions and an example row.

``fieldeval export OUTDIR --to sav|dta|xlsx|parquet [--form FORM]`` writes
``OUTDIR/export/submissions.<fmt>`` (labels from the form given, or from the
form recorded by the ingest run).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from toolkit.errors import UserError
from toolkit.i18n import t
from toolkit.ingest.issues_file import rule_name as issue_rule_name


def _load_form(path: str):
    from toolkit.forms.reader import read_xlsform

    p = Path(path)
    if not p.exists():
        raise UserError("common.file_not_found", path=str(p))
    form = read_xlsform(p)
    if not form.ok:
        raise UserError("ingest.form_unusable", path=str(p), detail=form.errors[0].message())
    return form


def _template(args: argparse.Namespace) -> int:
    """``fieldeval ingest template corrections --out FILE``: the corrections
    workbook to fill in, with its documentation sheet."""
    from toolkit.ingest.corrections import write_template

    what = args.exports[1] if len(args.exports) > 1 else ""
    if what != "corrections" or len(args.exports) > 2:
        raise UserError("paper.template.unknown", what=" ".join(args.exports[1:]))
    if not args.out:
        raise UserError("paper.template.need_out")
    path = write_template(args.out, args.lang)
    print(t("paper.corrections.wrote", args.lang, path=str(path)))
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from toolkit.project import Project

    if args.exports[0] == "template" and not Path("template").exists():
        return _template(args)

    from toolkit.project import form_path

    lang = args.lang
    args.form = args.form or str(form_path())
    if not Path(args.form).exists():
        raise UserError("common.file_not_found", path=str(args.form))
    project = Project.open(args.project) if args.project else None
    own = project is not None and (not args.out or Path(args.out).resolve() == project.paths.ingest.resolve())
    with tqdm(total=len(args.exports) + 2, desc=t("ingest.progress", lang), unit="step", disable=None,
              file=sys.stderr, leave=False) as bar:
        def progress(what: str) -> None:
            bar.set_postfix_str(what[:40])
            bar.update(1)

        if project is not None:
            result = project.ingest(args.exports, form=args.form, out=args.out, corrections=args.corrections,
                                    platform=args.platform, encoding=args.encoding, lang=lang, progress=progress,
                                    include_entry=own, private_key=args.private_key)
        else:
            result = _ingest_alone(args, progress)
    out = Path(args.out) if args.out else project.paths.ingest  # type: ignore[union-attr]
    return print_result(result, out, lang)


def _ingest_alone(args: argparse.Namespace, progress):  # noqa: ANN001, ANN202 - IngestResult
    """Ingest without a project (default quality settings), the stage written as a whole."""
    from toolkit.ingest.pipeline import run_ingest, write_outputs
    from toolkit.project.stagefiles import write_stage

    if not args.out:
        raise UserError("ingest.need_out")
    form = _load_form(args.form)
    from toolkit.ingest.unseal import plain_inputs

    with plain_inputs([Path(e) for e in args.exports], Path(args.out).parent, form=form,
                      private_key=args.private_key) as exports:   # encrypted ODK submissions decrypted for the run
        result = run_ingest(exports, form, corrections=args.corrections, lang=args.lang, platform=args.platform,
                            encoding=args.encoding, form_path=str(Path(args.form).resolve()), progress=progress)
        write_stage(Path(args.out), lambda tmp: write_outputs(result, tmp, args.lang),   # photos copied here
                    {"stage": "ingest", "read": result.read, "accepted": result.accepted})
    return result


def print_result(result, out: Path, lang: str, form=None) -> int:  # noqa: ANN001 - IngestResult, Form
    """Print read / accepted / quarantined (per repeat too), the tables not
    read and the issues by rule; the exit code: 0 when everything was read
    and accepted, 1 otherwise."""
    if form is None:
        from toolkit.forms.reader import read_xlsform

        form = read_xlsform(result.form_path)
    print(t("ingest.summary", lang, read=result.read, accepted=result.accepted,
            quarantined=result.quarantined))
    if result.extra.get("excluded_by_review"):   # read = accepted + quarantined + excluded (review_state)
        print(t("review.ingest.excluded", lang, n=result.extra["excluded_by_review"]))
    groups = {g.name: g for g in form.repeats}
    for name, c in result.repeat_counts.items():
        label = form.label(groups[name], lang) if name in groups else ""
        if label:   # the repeat by its label (its table name is a code; said only when it has no label)
            print(t("words2.summary_repeat", lang, label=label, **c))
        else:
            print(t("ingest.summary_repeat", lang, label=name, repeat=name, **c))
    for r in result.not_read.itertuples():
        key = "paper.not_read.missing_repeat" if r.reason == "missing_repeat" else f"ingest.not_read.{r.reason}"
        print(t(key, lang, file=r.file, rows=int(r.rows), form_id=form.form_id,
                name=str(r.file).rsplit("（", 1)[-1].rstrip("）")))
    by_rule = result.issues_by_rule()
    if len(by_rule):
        print(t("ingest.by_rule", lang))
        for r in by_rule.itertuples():
            print(t("words2.ingest_rule_line", lang, rule=issue_rule_name(r.rule, lang),
                    severity=t(f"ingest.severity.{r.severity}", lang), count=r.count))
    from toolkit.maps.location import summary_line   # location problems in one line (issue 22)

    if line := summary_line(result.quality.get("location"), lang):
        print(line)
    if len(result.audit):
        applied = int((result.audit["status"] == "applied").sum())
        print(t("ingest.corrections_applied", lang, applied=applied, refused=len(result.audit) - applied))
    print(t("ingest.wrote", lang, path=str(out)))
    return 1 if result.incomplete else 0


def _export(args: argparse.Namespace) -> int:
    from toolkit.ingest.export import export
    from toolkit.ingest.pipeline import load_outputs

    form = None
    if args.form:
        form = _load_form(args.form)
    else:
        _, manifest = load_outputs(args.outdir)
        if manifest.get("form") and Path(manifest["form"]).exists():
            form = _load_form(manifest["form"])
    files = export(args.outdir, args.to, form, lang=args.lang)
    for p in files:
        print(t("ingest.wrote", args.lang, path=str(p)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """The ``ingest`` and ``export`` verbs."""
    from toolkit.cli import add_lang

    p = sub.add_parser("ingest", help="读取并核验回收数据 / read and check field data")
    p.add_argument("exports", nargs="+", metavar="EXPORT",
                   help="ODK/Kobo 导出、CSV/Excel、.sav、.dta；或 template corrections 写出更正表模板 / export files, "
                        "or: template corrections --out FILE")
    p.add_argument("--form", default=None,
                   help="XLSForm 问卷（默认随附的入户核查表）/ the form (.xlsx; default: the shipped household visit form)")
    p.add_argument("--project", help="评估项目目录（[quality] 阈值）/ project directory")
    p.add_argument("--corrections", help="更正与重复处理表 .xlsx / corrections workbook")
    p.add_argument("--out", default=None,
                   help="输出目录（有 --project 时默认 output/ingest）/ output directory (default output/ingest of --project)")
    p.add_argument("--platform", default="auto", choices=("auto", "odk", "kobo", "plain", "spss", "stata"))
    p.add_argument("--encoding", default="auto", help="auto | utf-8 | gbk | gb18030")
    p.add_argument("--private-key", dest="private_key", default=None,
                   help="ODK 加密表单的私钥 PEM / private key of an encrypted ODK form (docs/encryption.md)")
    add_lang(p)
    p.set_defaults(func=_ingest)

    e = sub.add_parser("export", help="导出已核验数据 / export checked data")
    e.add_argument("outdir", metavar="OUTDIR", help="fieldeval ingest 的输出目录 / an ingest output directory")
    e.add_argument("--to", required=True, choices=("sav", "dta", "xlsx", "parquet"))
    e.add_argument("--form", help="XLSForm（变量与值标签）/ the form, for labels")
    add_lang(e)
    e.set_defaults(func=_export)
