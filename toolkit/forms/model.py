"""The Form model: what an XLSForm says, as frozen dataclasses.

Built by toolkit.forms.reader.read_xlsform. Later stages (ingest, the entry
dashboard, the paper render) use the helpers: ``form.question(name)``,
``form.choice_labels(list_name, lang)``, ``form.path_of(name)``,
``form.languages`` and ``form.label(item, lang)``.

Texts that exist per language (label, hint, messages) are ``{language: text}``
with the language as written in the header (``"中文 (zh)"``), and ``""`` for a
column without a language.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

Texts = Mapping[str, str]

#: Question types with a value of their own (others: notes, groups, media, metadata).
NUMERIC_TYPES = ("integer", "decimal", "range")
SELECT_TYPES = ("select_one", "select_multiple", "rank")
METADATA_TYPES = ("start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber",
                  "username", "email", "audit", "start-geopoint", "background-audio", "instanceid")


@dataclass(frozen=True)
class Problem:
    """Something wrong in a form, pointing at sheet, Excel row (1-based) and column.

    ``code`` names an i18n message ``forms.problem.<code>`` filled with ``fields``;
    ``severity`` is ``error`` (the form cannot be used) or ``warning``.
    """

    severity: str
    code: str
    sheet: str
    row: int
    column: str = ""
    fields: Mapping[str, object] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"forms.problem.{self.code}"

    def message(self, lang: str | None = None) -> str:
        """The problem in words, with sheet and row, in ``lang`` (zh/en)."""
        from toolkit.i18n import t

        where = t("forms.where", lang, sheet=self.sheet, row=self.row,
                  column=self.column or "-")
        return f"{where} {t(self.key, lang, **self.fields)}"


@dataclass(frozen=True)
class Choice:
    """One option of a choice list; ``extra`` holds other columns (filter keys)."""

    list_name: str
    name: str
    labels: Texts
    extra: Mapping[str, str]
    row: int


@dataclass(frozen=True)
class Group:
    """A ``begin group`` / ``begin repeat`` (``kind``: group, repeat or loop)."""

    kind: str
    name: str
    labels: Texts
    relevant: str
    appearance: str
    repeat_count: str
    path: tuple[str, ...]
    row: int
    end_row: int
    loop_list: str = ""

    @property
    def is_repeat(self) -> bool:
        return self.kind in ("repeat", "loop")


@dataclass(frozen=True)
class Question:
    """One row of the survey sheet that is not a group boundary.

    ``type`` is canonical (``text`` for ``string``, ``select_one`` for
    ``select one from``); ``list_name`` is set for selects; ``path`` lists
    the enclosing groups and repeats, outermost first; ``repeat`` is the
    innermost enclosing repeat, or '' at the top level. ``required`` is
    ``''``, ``'yes'`` or an expression.
    """

    name: str
    type: str
    labels: Texts
    hints: Texts
    row: int
    list_name: str = ""
    or_other: bool = False
    from_file: bool = False
    required: str = ""
    required_message: Texts = field(default_factory=dict)
    relevant: str = ""
    constraint: str = ""
    constraint_message: Texts = field(default_factory=dict)
    calculation: str = ""
    default: str = ""
    choice_filter: str = ""
    appearance: str = ""
    read_only: str = ""
    parameters: str = ""
    path: tuple[str, ...] = ()
    repeat: str = ""
    raw_type: str = ""

    @property
    def is_required(self) -> bool:
        """Always required (``yes``); an expression counts as conditionally required."""
        return self.required == "yes"

    @property
    def has_value(self) -> bool:
        """Does the question store an answer (not a note/acknowledge)?"""
        return self.type not in ("note",)

    @property
    def is_select(self) -> bool:
        return self.type in SELECT_TYPES

    @property
    def is_numeric(self) -> bool:
        return self.type in NUMERIC_TYPES

    @property
    def is_metadata(self) -> bool:
        return self.type in METADATA_TYPES


Item = Question | Group

#: Columns holding expressions, checked and evaluated: (attribute, column name).
EXPRESSION_COLUMNS = ("relevant", "constraint", "calculation", "required", "read_only",
                      "choice_filter", "repeat_count")
_LANG_CODE = re.compile(r"\(([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)\)\s*$")


def lang_code(language: str) -> str:
    """``'中文 (zh)'`` -> ``'zh'``; a language without a code -> its lower-cased name."""
    m = _LANG_CODE.search(language)
    return m.group(1).lower() if m else language.strip().lower()


@dataclass(frozen=True)
class Form:
    """An XLSForm read into our model, with the problems found while reading."""

    source: str
    title: str
    form_id: str
    version: str
    default_language: str
    languages: tuple[str, ...]
    items: tuple[Item, ...]
    choices: Mapping[str, tuple[Choice, ...]]
    settings: Mapping[str, str]
    problems: tuple[Problem, ...]

    # -- lookups
    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question in form order (groups left out)."""
        return tuple(i for i in self.items if isinstance(i, Question))

    @property
    def groups(self) -> tuple[Group, ...]:
        return tuple(i for i in self.items if isinstance(i, Group))

    @property
    def repeats(self) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if g.is_repeat)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def ok(self) -> bool:
        """True when no problem is an error (warnings allowed)."""
        return not self.errors

    def question(self, name: str) -> Question:
        """The question called ``name``; KeyError if none."""
        for q in self.questions:
            if q.name == name:
                return q
        raise KeyError(name)

    def by_name(self) -> dict[str, Question]:
        """{name: question} (the first one when a name repeats)."""
        out: dict[str, Question] = {}
        for q in self.questions:
            out.setdefault(q.name, q)
        return out

    def path_of(self, name: str) -> tuple[str, ...]:
        """Names of the groups and repeats around question ``name``, outermost first."""
        return self.question(name).path

    def questions_in(self, repeat: str) -> tuple[Question, ...]:
        """Questions whose innermost repeat is ``repeat`` ('' for the top level)."""
        return tuple(q for q in self.questions if q.repeat == repeat)

    # -- languages and labels
    def language(self, code: str | None) -> str:
        """The form language for ``zh``/``en`` (or a full name); the default one if no match."""
        if code:
            for lang in self.languages:
                if lang == code or lang_code(lang) == code.lower():
                    return lang
        if self.default_language in self.languages:
            return self.default_language
        return self.languages[0] if self.languages else ""

    def text(self, texts: Texts, lang: str | None = None) -> str:
        """A per-language text in ``lang``, falling back to the default, then any."""
        if not texts:
            return ""
        want = self.language(lang)
        if texts.get(want):
            return texts[want]
        for fallback in (self.default_language, ""):
            if texts.get(fallback):
                return texts[fallback]
        return next((v for v in texts.values() if v), "")

    def label(self, item: Item | Choice, lang: str | None = None) -> str:
        """The label of a question, group or choice in ``lang`` ('' if none)."""
        return self.text(item.labels, lang)

    def choice_labels(self, list_name: str, lang: str | None = None) -> dict[str, str]:
        """{choice name: label in ``lang``} of one list, in sheet order."""
        return {c.name: self.text(c.labels, lang) for c in self.choices.get(list_name, ())}

    def choice_labels_by_question(self, lang: str | None = None) -> dict[str, dict[str, str]]:
        """{question name: {choice name: label}} for every select (for jr:choice-name)."""
        return {q.name: self.choice_labels(q.list_name, lang) for q in self.questions
                if q.is_select and not q.from_file}

    def expressions(self) -> Iterator[tuple[Item, str, str]]:
        """(item, column, text) for every non-empty expression cell, in form order."""
        for item in self.items:
            for col in EXPRESSION_COLUMNS:
                text = getattr(item, col, "")
                if text and not (col in ("required", "read_only") and text in ("yes", "")):
                    yield item, col, text
