"""``fieldeval fixes``: the fix list (整改清单) for the union, and its plan read back.

* ``fixes export --project DIR [--out DIR] [--lang]``: the round's fix items
  as xlsx (status drop-down) and docx, with the union's own archive ids;
* ``fixes import --project DIR FILE [--who NAME] [--today YYYY-MM-DD]
  [--accept-valid]``: the filled plan checked (every problem with row,
  column, value and reason) and stored with who and when; nothing stored
  when any row has a problem unless ``--accept-valid``;
* ``fixes previous --project DIR [--out FILE.xlsx]``: the previous round's
  items verified (last status, evidence, the indicator before → now).

Exit 0; 1 when the import found problems; 2 on a user's mistake.
"""
from __future__ import annotations

import argparse
from datetime import date

from toolkit.i18n import t


def _project(args: argparse.Namespace):  # noqa: ANN202
    from toolkit.project import Project

    return Project.open(args.project)


def _export(args: argparse.Namespace) -> int:
    from toolkit.fixes.export import export

    paths, items = export(_project(args), args.out, args.lang)
    print(t("fixes.exported", args.lang, n=len(items), paths=t("fixes.sep", args.lang).join(str(p) for p in paths)))
    return 0


def _today(text: str | None) -> date | None:
    from toolkit.errors import UserError

    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UserError("fixes.bad_today", value=text) from None


def _import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from toolkit.fixes.plan import error_lines, import_plan

    res = import_plan(_project(args), args.file, who=args.who, lang=args.lang, today=_today(args.today),
                      accept_valid=args.accept_valid)
    for line in error_lines(res.errors, Path(args.file).name, args.lang):
        print(line)
    if len(res.errors) and not args.accept_valid:
        print(t("fixes.import_refused", args.lang, n=len(res.errors)))
        return 1
    print(t("fixes.import_done", args.lang, stored=res.stored, who=res.who, at=res.at or "—",
            refused=res.refused_rows))
    return 1 if len(res.errors) else 0


def _previous(args: argparse.Namespace) -> int:
    from toolkit.fixes.previous import write_xlsx

    path = write_xlsx(_project(args), args.out, args.lang)
    print(t("fixes.prev.written", args.lang, path=path))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """The ``fixes`` verb: export, import, previous."""
    from toolkit.cli import add_lang

    p = sub.add_parser("fixes", help="整改清单 / the fix list")
    acts = p.add_subparsers(dest="action", required=True)

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--project", required=True, help="评估项目目录 / project directory")
        add_lang(q)

    e = acts.add_parser("export", help="导出整改清单（xlsx、docx）/ write the fix list (xlsx, docx)")
    common(e)
    e.add_argument("--out", default=None, help="输出目录 / output folder (default output/fixes)")
    e.set_defaults(func=_export)

    i = acts.add_parser("import", help="导入工会填写的整改计划 / read the union's filled plan back")
    i.add_argument("file", help="填好的整改清单 xlsx / the filled fix list")
    common(i)
    i.add_argument("--who", default=None, help="导入人（默认为当前系统用户）/ who reads it in (default: the OS user)")
    i.add_argument("--today", default=None, help="今天的日期 YYYY-MM-DD（测试用）/ today's date (for tests)")
    i.add_argument("--accept-valid", action="store_true",
                   help="有错时仍保存无误的行 / store the rows without a mistake even when others have one")
    i.set_defaults(func=_import)

    v = acts.add_parser("previous", help="上一轮整改核实表 / the previous round's fixes verified (xlsx)")
    common(v)
    v.add_argument("--out", default=None, help="输出文件 / output .xlsx (default output/fixes/上一轮整改核实.xlsx)")
    v.set_defaults(func=_previous)
