"""A Form laid out for paper: numbered questions, options and skip rules in words.

For households visited without a tablet. ``paper(form, lang)`` builds the
layout (frozen dataclasses); toolkit.forms.render writes it as HTML or DOCX.
Skip logic is written out: a question gated by ``${A8} = 'yes'`` makes A8 say
“若 A8 选“否”，跳至 H1”, and the gated question says when it is asked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.forms.exprerrors import ExpressionError
from toolkit.forms.model import Form, Group, Item, Question
from toolkit.forms.nodes import BinOp, Call, Expr, Neg, Num, Ref, Str
from toolkit.forms.parser import parse
from toolkit.i18n import t

_CODE = re.compile(r"^\s*([A-Z]{1,2}[0-9]{1,3}[a-z]?)\s*[.．、:：]?\s*")
_HIDDEN = {"calculate", "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
           "username", "email", "audit", "instanceid", "start-geopoint", "background-audio",
           "background-geopoint", "xml-external", "csv-external"}
_OPS = {"<": "<", "<=": "≤", ">": ">", ">=": "≥", "=": "=", "!=": "≠"}


@dataclass(frozen=True)
class PaperOption:
    code: str
    label: str


@dataclass(frozen=True)
class PaperQuestion:
    """One printed question."""

    code: str
    name: str
    label: str
    type: str
    hint: str
    options: tuple[PaperOption, ...]
    multiple: bool
    required: bool
    asked_if: str
    skips: tuple[str, ...]
    check: str


@dataclass(frozen=True)
class PaperBlock:
    """A section (group) or a repeat table, with its questions."""

    title: str
    asked_if: str
    repeat: bool
    rows: int
    questions: tuple[PaperQuestion, ...]


@dataclass(frozen=True)
class Paper:
    title: str
    lang: str
    blocks: tuple[PaperBlock, ...]
    footer: str


def split_code(label: str) -> tuple[str, str]:
    """``'A8. 是否同意'`` -> ``('A8', '是否同意')``; no code -> ('', label)."""
    m = _CODE.match(label)
    return (m.group(1), label[m.end():]) if m else ("", label)


class _Namer:
    """Paper codes for questions: the label's own code, else Q1, Q2 ..."""

    def __init__(self, form: Form, lang: str) -> None:
        self.form, self.lang = form, lang
        self.codes: dict[str, str] = {}
        n = 0
        for item in form.items:
            code = ""
            for text in [form.label(item, lang)] + list(item.labels.values()):
                code = split_code(text)[0]
                if code:
                    break
            if not code and isinstance(item, Question) and item.type not in _HIDDEN:
                n += 1
                code = f"Q{n}"
            self.codes[item.name] = code or item.name

    def code(self, name: str) -> str:
        return self.codes.get(name, name)


def _literal(e: Expr) -> str | None:
    if isinstance(e, Str):
        return e.value
    if isinstance(e, Num):
        return f"{e.value:g}"
    if isinstance(e, Neg) and isinstance(e.operand, Num):
        return f"-{e.operand.value:g}"
    return None


def describe(text: str, form: Form, lang: str, namer: _Namer | None = None) -> str:
    """An expression in words: ``${consent} = 'yes'`` -> ``A8 选“是”``."""
    namer = namer or _Namer(form, lang)
    try:
        tree = parse(text)
    except ExpressionError:
        return text
    return _words(tree, form, lang, namer)


def _choice_label(form: Form, qname: str, value: str, lang: str) -> str:
    try:
        q = form.question(qname)
    except KeyError:
        return value
    return form.choice_labels(q.list_name, lang).get(value, value) if q.list_name else value


def _words(e: Expr, form: Form, lang: str, namer: _Namer) -> str:
    if isinstance(e, BinOp) and e.op in ("and", "or"):
        return f" {t('forms.render.' + e.op, lang)} ".join(
            _words(x, form, lang, namer) for x in (e.left, e.right))
    if isinstance(e, BinOp) and e.op in _OPS:
        left, right = e.left, e.right
        if isinstance(right, Ref) and not isinstance(left, Ref):
            left, right = right, left
        lit = _literal(right)
        if isinstance(left, Ref) and lit is not None:
            code = namer.code(left.name)
            if lit == "" and e.op in ("=", "!="):
                return t("forms.render.not_answered" if e.op == "=" else "forms.render.answered", lang, q=code)
            if e.op in ("=", "!=") and isinstance(right, Str):
                v = _choice_label(form, left.name, lit, lang)
                return t("forms.render.is" if e.op == "=" else "forms.render.is_not", lang, q=code, v=v)
            return t("forms.render.cmp", lang, q=code, op=_OPS[e.op], v=lit)
    if isinstance(e, Call):
        if e.name == "selected" and isinstance(e.args[0], Ref) and isinstance(e.args[1], Str):
            v = _choice_label(form, e.args[0].name, e.args[1].value, lang)
            return t("forms.render.includes", lang, q=namer.code(e.args[0].name), v=v)
        if e.name == "not" and isinstance(e.args[0], Call) and e.args[0].name == "selected":
            inner = e.args[0]
            if isinstance(inner.args[0], Ref) and isinstance(inner.args[1], Str):
                v = _choice_label(form, inner.args[0].name, inner.args[1].value, lang)
                return t("forms.render.excludes", lang, q=namer.code(inner.args[0].name), v=v)
        if e.name == "not":
            return t("forms.render.not", lang, x=_words(e.args[0], form, lang, namer))
    return _raw(e, namer)


def _raw(e: Expr, namer: _Namer) -> str:
    """Fallback: the expression text with ${name} replaced by paper codes."""
    from toolkit.forms.nodes import Current, Path

    if isinstance(e, Ref):
        return namer.code(e.name)
    if isinstance(e, Str):
        return f"'{e.value}'"
    if isinstance(e, Num):
        return f"{e.value:g}"
    if isinstance(e, Current):
        return "."
    if isinstance(e, Path):
        return "/".join(e.steps)
    if isinstance(e, Neg):
        return f"-{_raw(e.operand, namer)}"
    if isinstance(e, BinOp):
        return f"{_raw(e.left, namer)} {e.op} {_raw(e.right, namer)}"
    if isinstance(e, Call):
        return f"{e.name}({', '.join(_raw(a, namer) for a in e.args)})"
    return "?"


def _conjuncts(text: str) -> list[tuple[str, str]]:
    """(question, value) conditions that must all hold for ``text`` to be true.

    ``value`` is the choice for ``${q} = 'v'`` and ``selected(${q}, 'v')``, and
    ``''`` for another comparison of ``${q}`` with a non-empty literal (false
    whenever q is blank).
    """
    try:
        e = parse(text)
    except ExpressionError:
        return []
    out: list[tuple[str, str]] = []
    stack = [e]
    while stack:
        x = stack.pop()
        if isinstance(x, BinOp) and x.op == "and":
            stack += [x.right, x.left]
        elif isinstance(x, BinOp) and x.op in ("=", "<", "<=", ">", ">="):
            left, right = (x.left, x.right) if isinstance(x.left, Ref) else (x.right, x.left)
            lit = _literal(right)
            if isinstance(left, Ref) and lit not in (None, ""):
                out.append((left.name, lit if x.op == "=" and isinstance(right, Str) else ""))  # type: ignore[arg-type]
        elif isinstance(x, Call) and x.name == "selected" and isinstance(x.args[0], Ref) \
                and isinstance(x.args[1], Str):
            out.append((x.args[0].name, x.args[1].value))
    return out


def _skip_rules(form: Form, lang: str, namer: _Namer) -> dict[str, list[str]]:
    """Skip instructions to print under each source question: {question name: [text]}.

    A select question Q whose next printed question is asked only when Q has
    value v gets "if Q is <the other options>, skip to T", where T is the first
    later printed question that is not skipped when Q != v (following chains:
    a question that depends on a skipped question is skipped too).
    """
    groups = {g.name: g for g in form.groups}
    printed = [q for q in form.questions if q.type not in _HIDDEN]
    conds: dict[str, list[tuple[str, str]]] = {}
    for q in printed:
        cs = _conjuncts(q.relevant) if q.relevant else []
        for gname in q.path:
            g = groups.get(gname)
            if g is not None and g.relevant:
                cs += _conjuncts(g.relevant)
        conds[q.name] = cs
    out: dict[str, list[str]] = {}
    for i, q in enumerate(printed[:-1]):
        if q.type not in ("select_one", "select_multiple"):
            continue
        nxt = printed[i + 1]
        gate = next((v for name, v in conds[nxt.name] if name == q.name and v), None)
        if gate is None:
            continue
        skipped = {p.name for p in printed[i + 1:] if (q.name, gate) in conds[p.name]}
        changed = True
        while changed:
            changed = False
            for p in printed[i + 1:]:
                if p.name not in skipped and any(name in skipped for name, _ in conds[p.name]):
                    skipped.add(p.name)
                    changed = True
        target = next((p for p in printed[i + 1:] if p.name not in skipped and p.repeat == q.repeat), None)
        others = [lab for name, lab in form.choice_labels(q.list_name, lang).items() if name != gate] \
            if q.type == "select_one" else []
        if others:
            cond = t("forms.render.is", lang, q=namer.code(q.name), v="/".join(others))
        else:
            cond = t("forms.render.excludes" if q.type == "select_multiple" else "forms.render.is_not",
                     lang, q=namer.code(q.name), v=_choice_label(form, q.name, gate, lang))
        if target is None:
            key = "forms.render.skip_entry_end" if q.repeat else "forms.render.skip_end"
            out[q.name] = [t(key, lang, cond=cond)]
        else:
            out[q.name] = [t("forms.render.skip_to", lang, cond=cond, target=namer.code(target.name))]
    return out


def paper(form: Form, lang: str = "zh") -> Paper:
    """The printable layout of ``form`` in ``lang`` (zh/en)."""
    namer = _Namer(form, lang)
    skips = _skip_rules(form, lang, namer)
    blocks: list[PaperBlock] = []
    current: list[PaperQuestion] = []
    title, asked_if, is_repeat = "", "", False
    stack: list[tuple[str, str, bool, list[PaperQuestion]]] = []

    def flush() -> None:
        if current or title:
            blocks.append(PaperBlock(title, asked_if, is_repeat, 6 if is_repeat else 0, tuple(current)))

    group_ends: list[tuple[int, Group]] = []
    for item in form.items:
        while group_ends and item.row > group_ends[-1][0]:
            group_ends.pop()
            flush()
            title, asked_if, is_repeat, current = stack.pop()
            current = []
        if isinstance(item, Group):
            flush()
            stack.append((title, asked_if, is_repeat, []))
            group_ends.append((item.end_row or 10**9, item))
            title = form.label(item, lang) or item.name
            asked_if = describe(item.relevant, form, lang, namer) if item.relevant else ""
            is_repeat = item.is_repeat
            current = []
            continue
        if item.type in _HIDDEN:
            continue
        code = namer.code(item.name)
        label = split_code(form.label(item, lang))[1] or item.name
        options: tuple[PaperOption, ...] = ()
        if item.is_select and not item.from_file:
            opts = [PaperOption(c.name, form.label(c, lang)) for c in form.choices.get(item.list_name, ())]
            if item.or_other:
                opts.append(PaperOption("other", t("forms.render.other", lang)))
            options = tuple(opts)
        check = form.text(item.constraint_message, lang) if item.constraint else ""
        current.append(PaperQuestion(
            code=code, name=item.name, label=label, type=item.type, hint=form.text(item.hints, lang),
            options=options, multiple=item.type == "select_multiple", required=item.is_required,
            asked_if=describe(item.relevant, form, lang, namer) if item.relevant else "",
            skips=tuple(skips.get(item.name, ())), check=check))
    while group_ends:
        group_ends.pop()
        flush()
        title, asked_if, is_repeat, current = stack.pop()
        current = []
    flush()
    return Paper(form.title, lang, tuple(b for b in blocks if b.questions),
                 t("forms.render.footer", lang, source=form.source.rsplit("/", 1)[-1]))


def item_label(form: Form, item: Item, lang: str) -> str:
    """A label without its paper code."""
    return split_code(form.label(item, lang))[1]
