"""``fieldeval form check FORM`` and ``fieldeval form render FORM --out FILE``.

check: questions by type, languages, expressions parsed, problems with sheet
and row; exit 0 when clean (warnings allowed), 1 on errors, 2 when the file
cannot be read. render: a printable paper questionnaire (.html or .docx).
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from toolkit.i18n import t


def _check(args: argparse.Namespace) -> int:
    from toolkit.forms.exprerrors import ExpressionError
    from toolkit.forms.parser import parse
    from toolkit.forms.reader import read_xlsform

    lang = args.lang
    form = read_xlsform(args.form)
    print(t("forms.check.title", lang, title=form.title, form_id=form.form_id))
    print(t("forms.check.languages", lang,
            languages=", ".join(x for x in form.languages if x) or t("forms.check.none", lang)))
    types = Counter(q.type for q in form.questions)
    print(t("forms.check.counts", lang, questions=len(form.questions),
            groups=sum(1 for g in form.groups if not g.is_repeat), repeats=len(form.repeats),
            lists=len(form.choices)))
    print(t("forms.check.types", lang, types=", ".join(f"{k} {v}" for k, v in sorted(types.items()))))
    total = parsed = unsupported = bad = 0
    for _item, _col, text in form.expressions():
        total += 1
        try:
            parse(text)
            parsed += 1
        except ExpressionError as e:
            if e.code == "unsupported":
                unsupported += 1
            else:
                bad += 1
    print(t("forms.check.expressions", lang, total=total, parsed=parsed, unsupported=unsupported, bad=bad))
    if not form.problems:
        print(t("forms.check.no_problems", lang))
    for p in form.problems:
        print(f"{t('forms.check.' + p.severity, lang)} {p.message(lang)}")
    errors = len(form.errors)
    print(t("forms.check.summary", lang, errors=errors, warnings=len(form.problems) - errors))
    return 1 if errors else 0


def _render(args: argparse.Namespace) -> int:
    from toolkit.errors import UserError
    from toolkit.forms.reader import read_xlsform
    from toolkit.forms.render import render

    suffix = args.out.lower().rsplit(".", 1)[-1] if "." in args.out else ""
    if suffix not in ("html", "htm", "docx"):
        raise UserError("forms.render.bad_out", path=args.out)
    form = read_xlsform(args.form)
    if form.errors:
        raise UserError("forms.render.has_errors", exit_code=1, errors=len(form.errors))
    path = render(form, args.lang, args.out, evaluation=args.evaluation or _evaluation_name())
    print(t("common.wrote", args.lang, path=path))
    return 0


def _evaluation_name() -> str:
    """The name in ./evaluation.toml when the command runs in a project, else ''."""
    from toolkit.config import CONFIG_NAME, load
    from toolkit.errors import UserError

    if not Path(CONFIG_NAME).is_file():
        return ""
    try:
        return load(".").name
    except UserError:  # a broken project file only loses the page header's name; `check` reports it
        return ""


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``form check`` and ``form render``."""
    from toolkit.cli import add_lang

    p = sub.add_parser("form", help="问卷（XLSForm）检查与打印 / check and print XLSForms")
    verbs = p.add_subparsers(dest="form_command", metavar="VERB")
    c = verbs.add_parser("check", help="检查问卷 / check a form")
    c.add_argument("form", help="XLSForm (.xlsx/.xls)")
    add_lang(c)
    c.set_defaults(func=_check)
    r = verbs.add_parser("render", help="生成纸质问卷 / printable questionnaire")
    r.add_argument("form", help="XLSForm (.xlsx/.xls)")
    r.add_argument("--out", required=True, help="输出文件 .html 或 .docx / output .html or .docx")
    r.add_argument("--evaluation", default="",
                   help="评估名称，印在每页页眉（默认取当前目录 evaluation.toml 的 name）/ evaluation name for the page header")
    add_lang(r)
    r.set_defaults(func=_render)
