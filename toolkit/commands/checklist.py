"""``fieldeval checklist`` and ``fieldeval forum``: document review and forum notes.

* ``checklist export --project DIR [--out FOLDER] [--county NAME]``: one
  xlsx per county (the checklist items in words, the status as a drop-down
  list, evidence columns), holding what is stored;
* ``checklist import FILE... --project DIR [--who NAME]``: read back, every
  row checked (problems printed with file, row and column), good rows stored
  with who and when;
* ``checklist show --project DIR``: scores per county and aspect, and the
  items not met or partly met;
* ``forum export|import|show``: the same for the forum notes (one workbook).

Exit 0; 1 when an import refused rows; 2 on a user's mistake.
"""
from __future__ import annotations

import argparse

from toolkit.i18n import t


def _project(args: argparse.Namespace):  # noqa: ANN202
    from toolkit.project import Project

    return Project.open(args.project)


def _c_export(args: argparse.Namespace) -> int:
    from toolkit.checklist.workbook import export

    files = export(_project(args), args.out, args.lang, counties=args.county or None)
    print(t("checklist.exported", args.lang, n=len(files), path=files[0].parent if files else ""))
    return 0


def _c_import(args: argparse.Namespace) -> int:
    from toolkit.checklist.workbook import import_workbooks, problem_lines

    res = import_workbooks(_project(args), args.files, args.who, args.lang)
    for line in problem_lines(res.problems, args.lang):
        print(line)
    print(t("checklist.imported", args.lang, added=res.added, unchanged=res.unchanged, blank=res.blank,
            refused=len(set(zip(res.problems["file"], res.problems["sheet"], res.problems["row"])))))
    return 1 if len(res.problems) else 0


def show_lines(project, lang: str = "zh") -> list[str]:  # noqa: ANN001
    """The scores and unmet items as lines for the terminal."""
    from toolkit.checklist import rollup
    from toolkit.verify.indicators import ASPECTS

    s = rollup.scores(project)
    if not len(s):
        return [t("checklist.show_none", lang)]
    zh = lang == "zh"
    lines = [t("checklist.show_head", lang)]
    lines += [t("checklist.show_line", lang, county=r.county, aspect=ASPECTS[r.aspect][0 if zh else 1],
                score=f"{r.score * 100:.1f}%", n=r.items_applicable) for r in s.itertuples()]
    u = rollup.unmet(project)
    lines.append(t("checklist.show_unmet", lang, n=len(u)))
    words = rollup.status_words(u["status"], lang)
    lines += [t("checklist.show_unmet_line", lang, county=r.county, item_id=r.item_id,
                item=r.item_zh if zh else r.item_en, status=w, note=r.note or "")
              for r, w in zip(u.itertuples(), words)]
    return lines


def _c_show(args: argparse.Namespace) -> int:
    print("\n".join(show_lines(_project(args), args.lang)))
    return 0


def _f_export(args: argparse.Namespace) -> int:
    from toolkit.forums import export

    path, n = export(_project(args), args.out, args.lang)
    print(t("forum.exported", args.lang, n=n, path=path))
    return 0


def _f_import(args: argparse.Namespace) -> int:
    from toolkit.checklist.workbook import problem_lines
    from toolkit.forums import import_workbook

    res = import_workbook(_project(args), args.file, args.who, args.lang)
    if res.stripped:
        print(t("forum.stripped", args.lang, columns="、".join(res.stripped)))
    for line in problem_lines(res.problems, args.lang):
        print(line)
    print(t("forum.imported", args.lang, added=res.added, unchanged=res.unchanged,
            refused=res.problems["row"].nunique()))
    return 1 if len(res.problems) else 0


def forum_lines(project, lang: str = "zh") -> list[str]:  # noqa: ANN001
    """The current round's forum statements as lines for the terminal."""
    from toolkit.forums.workbook import _aspect_words, current

    s = current(project, lang)
    if not len(s):
        return [t("forum.show_none", lang)]
    aspects = _aspect_words(lang)
    lines = []
    for fid, g in s.groupby("forum_id", sort=False):
        r = g.iloc[0]
        lines.append(t("forum.show_head", lang, forum=fid, county=r["county"], date=str(r["held_on"])[:10],
                       roles=r["roles"]))
        lines += [t("forum.show_line", lang, seq=int(x.seq), aspect=aspects.get(x.aspect, ""),
                    stance=t(f"forum.stance.{x.stance}", lang), text=x.text) for x in g.itertuples()]
    return lines


def _f_show(args: argparse.Namespace) -> int:
    print("\n".join(forum_lines(_project(args), args.lang)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """The ``checklist`` and ``forum`` verbs."""
    from toolkit.cli import add_lang

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--project", required=True, help="评估项目目录 / project directory")
        add_lang(q)

    who_help = "录入人（默认为当前系统用户）/ who entered it (default: the OS user)"
    p = sub.add_parser("checklist", help="查阅档案资料检查表 / document review checklist")
    acts = p.add_subparsers(dest="action", required=True)
    e = acts.add_parser("export", help="按区县导出检查表（xlsx）/ one xlsx per county")
    common(e)
    e.add_argument("--out", default=None, help="输出文件夹 / output folder (default output/checklist)")
    e.add_argument("--county", action="append", default=None, help="只导出该区县 / only this county (repeatable)")
    e.set_defaults(func=_c_export)
    i = acts.add_parser("import", help="导入填好的检查表 / read filled-in checklists back")
    i.add_argument("files", nargs="+", help="检查表 xlsx / checklist workbooks")
    common(i)
    i.add_argument("--who", default=None, help=who_help)
    i.set_defaults(func=_c_import)
    s = acts.add_parser("show", help="显示得分和未达标项目 / scores and unmet items")
    common(s)
    s.set_defaults(func=_c_show)

    f = sub.add_parser("forum", help="座谈会记录 / forum notes")
    facts = f.add_subparsers(dest="action", required=True)
    fe = facts.add_parser("export", help="导出座谈会记录表（xlsx）/ write the forum notes workbook")
    common(fe)
    fe.add_argument("--out", default=None, help="输出文件 / output .xlsx (default output/forums/座谈会记录.xlsx)")
    fe.set_defaults(func=_f_export)
    fi = facts.add_parser("import", help="导入座谈会记录表 / read the forum notes back")
    fi.add_argument("file", help="座谈会记录 xlsx / forum notes workbook")
    common(fi)
    fi.add_argument("--who", default=None, help=who_help)
    fi.set_defaults(func=_f_import)
    fs = facts.add_parser("show", help="显示座谈会记录 / print the forum notes")
    common(fs)
    fs.set_defaults(func=_f_show)
