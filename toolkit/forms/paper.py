"""A Form laid out for paper: numbered questions, options and skip rules in words.

For households visited without a tablet. ``paper(form, lang)`` builds the
layout (frozen dataclasses); toolkit.forms.render writes it as HTML or DOCX.
Skip logic is written out: a question gated by ``${A8} = 'yes'`` makes A8 say
“若 A8 选“否”，跳至 H1”, and the gated question says when it is asked.

What a person reads is words only: options are printed by their labels
(never the choice names such as ``met`` or ``head``); a repeat table's legend
numbers them 1, 2, … (or by the choice's own number when every choice of the
list is a number, as in a five-point scale); a ``${members_n}`` in a label
becomes a write-in blank followed by its meaning (the referenced question's
code and label, or a calculation put in words). The cover block (问卷编号,
访问日期, 访员, 受访人签名) and the consent statement come from
toolkit.i18n.paper.
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
    """One option: ``code`` is the choice name (kept for data entry, never
    printed); ``number`` is what the paper shows beside the label in a repeat
    table's legend (1, 2, … or the choice's own number on numeric lists)."""

    code: str
    label: str
    number: str = ""


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
    """The printable questionnaire: ``evaluation`` heads every page;
    ``cover`` lists the cover-block fields (label, blank to fill);
    ``consent`` is the statement read to the respondent before A-section."""

    title: str
    lang: str
    blocks: tuple[PaperBlock, ...]
    footer: str
    evaluation: str = ""
    cover: tuple[tuple[str, str], ...] = ()
    consent: str = ""


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


_PLACEHOLDER = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}")
BLANK = "＿＿＿＿"
"""A write-in blank on paper (full-width low lines)."""


def _numbers(names: list[str]) -> list[str]:
    """What a legend prints beside each option: the choice names when they
    are all whole numbers (a scale 5 … 1, 8, 9), else 1, 2, …"""
    if names and all(re.fullmatch(r"-?\d+", n.strip()) for n in names):
        return [n.strip() for n in names]
    return [str(i) for i in range(1, len(names) + 1)]


def _calc_words(e: Expr, form: Form, lang: str, namer: _Namer, depth: int) -> str:
    """A calculation in words: ``count(${m_age})`` -> "C1 家庭成员 的项数"."""
    from toolkit.forms.nodes import Call as _Call

    if isinstance(e, Ref):
        return meaning(e.name, form, lang, namer, depth + 1, short=True)
    if isinstance(e, Num):
        return f"{e.value:g}"
    if isinstance(e, Neg):
        return "−" + _calc_words(e.operand, form, lang, namer, depth)
    if isinstance(e, BinOp) and e.op in ("+", "-", "*", "div", "mod"):
        terms = _sum_terms(e) if e.op == "+" else None
        if terms and all(isinstance(x, Ref) for x in terms):
            run = _code_run([x.name for x in terms], form, namer)   # type: ignore[union-attr]
            if run:
                return run
        sym = {"+": " + ", "-": " − ", "*": " × ", "div": " ÷ ", "mod": " mod "}[e.op]
        left = _calc_words(e.left, form, lang, namer, depth)
        right = _calc_words(e.right, form, lang, namer, depth)
        if isinstance(e.left, BinOp) and e.op in ("*", "div") and e.left.op in ("+", "-"):
            left = f"（{left}）"
        return left + sym + right
    if isinstance(e, _Call):
        if e.name in ("round", "int", "number") and e.args:
            return _calc_words(e.args[0], form, lang, namer, depth)
        if e.name in ("count", "sum") and e.args and isinstance(e.args[0], Ref):
            try:
                rep = form.question(e.args[0].name).repeat
            except KeyError:
                rep = ""
            table = namer.code(rep) if rep else ""
            if e.name == "count":
                return t("paper.form.count", lang, table=table)
            inner = meaning(e.args[0].name, form, lang, namer, depth + 1, short=True)
            if inner == t("paper.form.computed", lang):
                return t("paper.form.sum_rows", lang, table=table)
            return t("paper.form.sum", lang, table=table, what=inner)
    return t("paper.form.computed", lang)


def _sum_terms(e: Expr) -> list[Expr]:
    if isinstance(e, BinOp) and e.op == "+":
        return _sum_terms(e.left) + _sum_terms(e.right)
    return [e]


def _code_run(names: list[str], form: Form, namer: _Namer) -> str:
    """Printed questions in a row (C3, C4 … C9) as "C3 至 C9 合计"; '' otherwise."""
    printed = [q.name for q in form.questions if q.type not in _HIDDEN]
    try:
        pos = [printed.index(n) for n in names]
    except ValueError:
        return ""
    if len(pos) < 3 or pos != list(range(pos[0], pos[0] + len(pos))):
        return ""
    return t("paper.form.total_of", namer.lang, first=namer.code(names[0]), last=namer.code(names[-1]))


def meaning(name: str, form: Form, lang: str, namer: _Namer, depth: int = 0, *, short: bool = False) -> str:
    """What ``${name}`` stands for, in words: a printed question's code and
    label ("A1 档案编号"; the code alone when ``short``), a labelled
    calculation's label, else its calculation put in words."""
    try:
        q = form.question(name)
    except KeyError:
        return t("paper.form.computed", lang)
    label = split_code(form.label(q, lang))[1] if form.label(q, lang) else ""
    if q.type not in _HIDDEN:
        code = namer.code(name)
        return code if short else f"{code} {_PLACEHOLDER.sub(BLANK, label)}".strip()
    if label:
        return _PLACEHOLDER.sub(BLANK, label)
    if q.calculation and depth < 4:
        try:
            return _calc_words(parse(q.calculation), form, lang, namer, depth)
        except ExpressionError:
            pass
    return t("paper.form.computed", lang)


def fill_placeholders(text: str, form: Form, lang: str, namer: _Namer | None = None) -> str:
    """``已登记 ${members_n} 名`` -> ``已登记 ＿＿＿＿（C1 家庭成员 的项数） 名``."""
    if not text or "${" not in text:
        return text
    namer = namer or _Namer(form, lang)
    return _PLACEHOLDER.sub(lambda m: t("paper.form.blank", lang, blank=BLANK,
                                        meaning=meaning(m.group(1), form, lang, namer)), text)


def paper(form: Form, lang: str = "zh", evaluation: str = "") -> Paper:
    """The printable layout of ``form`` in ``lang`` (zh/en); ``evaluation``
    (the evaluation's name) heads every page, the form title when blank."""
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
        label = fill_placeholders(split_code(form.label(item, lang))[1] or item.name, form, lang, namer)
        options: tuple[PaperOption, ...] = ()
        if item.is_select and not item.from_file:
            choices = list(form.choices.get(item.list_name, ()))
            names = [c.name for c in choices] + (["other"] if item.or_other else [])
            nums = _numbers(names)
            opts = [PaperOption(c.name, fill_placeholders(form.label(c, lang), form, lang, namer), nums[i])
                    for i, c in enumerate(choices)]
            if item.or_other:
                opts.append(PaperOption("other", t("forms.render.other", lang), nums[-1]))
            options = tuple(opts)
        check = fill_placeholders(form.text(item.constraint_message, lang), form, lang, namer) if item.constraint else ""
        current.append(PaperQuestion(
            code=code, name=item.name, label=label, type=item.type,
            hint=fill_placeholders(form.text(item.hints, lang), form, lang, namer),
            options=options, multiple=item.type == "select_multiple", required=item.is_required,
            asked_if=describe(item.relevant, form, lang, namer) if item.relevant else "",
            skips=tuple(skips.get(item.name, ())), check=check))
    while group_ends:
        group_ends.pop()
        flush()
        title, asked_if, is_repeat, current = stack.pop()
        current = []
    flush()
    cover = tuple((t(f"paper.cover.{k}", lang), t(f"paper.cover.{k}_blank", lang))
                  for k in ("number", "date", "interviewer", "signature"))
    return Paper(form.title, lang, tuple(b for b in blocks if b.questions),
                 t("forms.render.footer", lang, source=form.source.rsplit("/", 1)[-1]),
                 evaluation=evaluation or form.title, cover=cover,
                 consent=t("paper.consent", lang, who=t("paper.consent.who_named", lang, evaluation=evaluation)
                           if evaluation else t("paper.consent.who_generic", lang)))


def item_label(form: Form, item: Item, lang: str) -> str:
    """A label without its paper code."""
    return split_code(form.label(item, lang))[1]
