"""``fieldeval review``: the evaluator's review from the command line.

* ``review export --project DIR [--out F.xlsx]``: the review queue as a
  workbook, one row per household × finding, with the evidence in words, two
  columns to fill (decision, reason) and an evidence hash per row;
* ``review import FILE --project DIR [--who NAME]``: reads it back; a row
  whose evidence changed since the export is refused, in words;
* ``review set --project DIR --archive-id ID --finding NAME --decision
  confirmed|overturned|unclear --why TEXT [--who NAME]``: one decision;
* ``review status --project DIR --submission KEY|ID --status
  approved|rejected|sent_back|to_review --why TEXT [--who NAME]``: an
  evaluator's status of a submission (rejected: a non-response at the next
  verify).

Who is ``--who`` or the OS user; every decision goes to the store's
append-only audit log. The next ``fieldeval verify`` applies them
(toolkit.project.review). Exit 0; 1 when an import refused rows; 2 on a
user's mistake.
"""
from __future__ import annotations

import argparse

from toolkit.i18n import t


def _project(args: argparse.Namespace):  # noqa: ANN202
    from toolkit.project import Project

    return Project.open(args.project)


def _export(args: argparse.Namespace) -> int:
    from toolkit.project import review as rv

    path, rows, (done, total) = rv.export(_project(args), args.out, args.lang)
    print(t("review.exported", args.lang, path=path, rows=rows,
            done=t("review.progress", args.lang, done=done, total=total)))
    return 0


def _import(args: argparse.Namespace) -> int:
    from toolkit.project import review as rv

    res = rv.import_workbook(_project(args), args.file, args.who, args.lang)
    for _, msg in res.refused:
        print(msg)
    print(t("review.import_done", args.lang, n=res.recorded, refused=len(res.refused)))
    return 1 if res.refused else 0


def _set(args: argparse.Namespace) -> int:
    import pandas as pd

    from toolkit.project import review as rv

    o = rv.decide(_project(args), args.archive_id, args.finding, args.decision, args.why, args.who)
    print(t("review.recorded", args.lang, archive_id=o.archive_id,
            finding=rv.finding_words(pd.Series([o.finding_type]), args.lang).iloc[0],
            decision=t(f"review.decision.{o.after}", args.lang), who=o.who, why=o.why))
    return 0


def _status(args: argparse.Namespace) -> int:
    from toolkit.project import review as rv

    rv.set_status(_project(args), args.submission, args.status, args.why, args.who, args.comment)
    print(t("review.recorded_status", args.lang, key=args.submission,
            status=t(f"review.status.{args.status}", args.lang), who=rv.who_default(args.who), why=args.why))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """The ``review`` verb and its four actions."""
    from toolkit.cli import add_lang

    p = sub.add_parser("review", help="评估人员复核核查发现 / the evaluator's review of findings")
    acts = p.add_subparsers(dest="action", required=True)

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--project", required=True, help="评估项目目录 / project directory")
        add_lang(q)

    e = acts.add_parser("export", help="导出复核清单（xlsx）/ write the review queue as xlsx")
    common(e)
    e.add_argument("--out", default=None, help="输出文件 / output .xlsx (default output/review/review_queue.xlsx)")
    e.set_defaults(func=_export)

    i = acts.add_parser("import", help="导入填好的复核清单 / read a filled-in review workbook back")
    i.add_argument("file", help="复核清单 xlsx / the review workbook")
    common(i)
    i.add_argument("--who", default=None, help="复核人（默认为当前系统用户）/ reviewer (default: the OS user)")
    i.set_defaults(func=_import)

    s = acts.add_parser("set", help="记录一条复核结论 / record one decision")
    common(s)
    s.add_argument("--archive-id", required=True, help="档案号 / archive id")
    s.add_argument("--finding", required=True, help="核查发现（代码或名称）/ finding (code or name)")
    s.add_argument("--decision", required=True, choices=("confirmed", "overturned", "unclear"),
                   help="确认 / 推翻 / 存疑")
    s.add_argument("--why", required=True, help="理由 / reason")
    s.add_argument("--who", default=None, help="复核人（默认为当前系统用户）/ reviewer (default: the OS user)")
    s.set_defaults(func=_set)

    st = acts.add_parser("status", help="设定问卷复核状态 / set a submission's review status")
    common(st)
    st.add_argument("--submission", required=True, help="问卷编号或档案号 / submission KEY or archive id")
    st.add_argument("--status", required=True, choices=("to_review", "approved", "rejected", "sent_back"),
                    help="待复核 / 已通过 / 已驳回 / 退回重访")
    st.add_argument("--why", required=True, help="理由 / reason")
    st.add_argument("--comment", default=None, help="退回说明 / comment for the field (sent back)")
    st.add_argument("--who", default=None, help="复核人（默认为当前系统用户）/ reviewer (default: the OS user)")
    st.set_defaults(func=_status)
