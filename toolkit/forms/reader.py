"""read_xlsform: an XLSForm workbook (.xlsx/.xls) -> Form, with problems.

Accepts the spellings pyxform accepts: ``select one from X``, ``select all
that apply from X or specify other``, ``string``/``int``/``trigger``,
``begin loop over X``, ``label:English``, ``bind:relevant``, ``list name``.
A file that cannot be read raises UserError (exit 2); everything wrong inside
a readable form becomes a Problem with sheet and row (toolkit.forms.checks).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.errors import UserError
from toolkit.forms.checks import check_form
from toolkit.forms.model import Choice, Form, Group, Item, Problem, Question
from toolkit.forms.sheets import Rows, read_workbook

#: Plain types: written form -> canonical type.
TYPE_ALIASES: dict[str, str] = {
    "integer": "integer", "int": "integer", "decimal": "decimal", "text": "text", "string": "text",
    "date": "date", "datetime": "datetime", "datetime ": "datetime", "time": "time",
    "geopoint": "geopoint", "geotrace": "geotrace", "geoshape": "geoshape", "note": "note",
    "calculate": "calculate", "hidden": "calculate", "acknowledge": "acknowledge", "trigger": "acknowledge",
    "range": "range", "image": "image", "photo": "image", "audio": "audio", "video": "video",
    "file": "file", "barcode": "barcode", "start": "start", "end": "end", "today": "today",
    "deviceid": "deviceid", "imei": "deviceid", "uri:deviceid": "deviceid", "subscriberid": "subscriberid",
    "uri:subscriberid": "subscriberid", "simserial": "simserial", "uri:simserial": "simserial",
    "phonenumber": "phonenumber", "phone number": "phonenumber", "uri:phonenumber": "phonenumber",
    "username": "username", "uri:username": "username", "email": "email", "uri:email": "email",
    "audit": "audit", "start-geopoint": "start-geopoint", "background-audio": "background-audio",
    "background-geopoint": "background-geopoint", "xml-external": "xml-external",
    "csv-external": "csv-external", "instanceid": "instanceid",
}
_BEGIN = {"begin group": "group", "begin_group": "group", "begin repeat": "repeat", "begin_repeat": "repeat"}
_END = {"end group": "group", "end_group": "group", "end repeat": "repeat", "end_repeat": "repeat",
        "end loop": "loop", "end_loop": "loop"}
_SELECT = re.compile(
    r"^(?P<kind>select_one|select_multiple|select one|select multiple|select1|select all that apply|rank)"
    r"(?P<file>_from_file|_external)?"
    r"(?:\s+from)?\s+(?P<list>\S+)"
    r"(?P<other>\s+(?:or_other|or specify other))?$")
_LOOP = re.compile(r"^begin[ _]loop\s+over\s+(\S+)$")
_SELECT_KIND = {"select_one": "select_one", "select one": "select_one", "select1": "select_one",
                "select_multiple": "select_multiple", "select multiple": "select_multiple",
                "select all that apply": "select_multiple", "rank": "rank"}
#: Header spellings -> canonical column (before any ::language part).
COLUMN_ALIASES = {
    "bind:relevant": "relevant", "bind::relevant": "relevant", "relevance": "relevant",
    "bind:constraint": "constraint", "bind::constraint": "constraint",
    "bind:jr:constraintmsg": "constraint_message", "constraint message": "constraint_message",
    "constraint-message": "constraint_message", "constraintmsg": "constraint_message",
    "bind:calculate": "calculation", "calculate": "calculation",
    "bind:required": "required", "bind:readonly": "read_only", "readonly": "read_only",
    "read only": "read_only", "read-only": "read_only",
    "requiredmsg": "required_message", "bind:jr:requiredmsg": "required_message",
    "required message": "required_message", "required-message": "required_message",
    "jr:count": "repeat_count", "repeat count": "repeat_count", "control:jr:count": "repeat_count",
    "list name": "list_name", "choice filter": "choice_filter", "media:image": "image",
    "control:appearance": "appearance", "default_language": "default_language",
}
_TRANSLATABLE = {"label", "hint", "constraint_message", "required_message", "image", "audio", "video",
                 "guidance_hint", "big-image"}


@dataclass(frozen=True)
class Header:
    """One column header: canonical column name and its language ('' if none)."""

    column: str
    language: str = ""


def parse_header(raw: str) -> Header:
    """``'label::中文 (zh)'`` -> Header('label', '中文 (zh)'); aliases resolved."""
    text = raw.strip()
    low = text.lower()
    if low in COLUMN_ALIASES:
        return Header(COLUMN_ALIASES[low])
    for sep in ("::", ":"):
        if sep in text:
            base, lang = text.split(sep, 1)
            b = base.strip().lower()
            b = COLUMN_ALIASES.get(b, b)
            if b in _TRANSLATABLE:
                return Header(b, lang.strip())
    return Header(COLUMN_ALIASES.get(low, low))


@dataclass
class _Sheet:
    """A sheet as header + data rows (Excel row numbers kept)."""

    name: str
    headers: list[Header]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)

    def record(self, cells: list[str]) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        """(plain columns, {translatable column: {language: text}}) of one row."""
        plain: dict[str, str] = {}
        texts: dict[str, dict[str, str]] = {}
        for h, v in zip(self.headers, cells):
            if not h.column:
                continue
            v = v.strip() if h.column not in ("label", "hint") else v
            if h.column in _TRANSLATABLE:
                if v:
                    texts.setdefault(h.column, {})[h.language] = v
            elif v or h.column not in plain:
                plain[h.column] = v
        return plain, texts


def _sheet(book: dict[str, Rows], name: str) -> _Sheet | None:
    for title, rows in book.items():
        if title.strip().lower() == name:
            if not rows:
                return _Sheet(title, [])
            headers = [parse_header(h) for h in rows[0]]
            body = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(c.strip() for c in r)]
            return _Sheet(title, headers, body)
    return None


def _yes(value: str) -> str:
    """Normalise required/read_only: '' / 'yes' / an expression."""
    v = value.strip()
    low = v.lower()
    if low in ("", "no", "false", "false()", "0", "=false()"):
        return ""
    if low in ("yes", "true", "true()", "1", "=true()"):
        return "yes"
    return v


@dataclass(frozen=True)
class TypeInfo:
    """A parsed type cell."""

    type: str
    list_name: str = ""
    or_other: bool = False
    from_file: bool = False


def parse_type(raw: str) -> TypeInfo | None:
    """The canonical type of a survey ``type`` cell; None if unknown."""
    t = " ".join(raw.strip().split())
    low = t.lower()
    if low in TYPE_ALIASES:
        return TypeInfo(TYPE_ALIASES[low])
    m = _SELECT.match(t) or _SELECT.match(low)
    if m:
        kind = _SELECT_KIND[m.group("kind").lower()]
        return TypeInfo(kind, m.group("list"), bool(m.group("other")), bool(m.group("file")))
    return None


def _languages(*sheets: _Sheet | None) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for sh in sheets:
        if sh is None:
            continue
        for h in sh.headers:
            if h.column in ("label", "hint", "constraint_message", "required_message"):
                seen.setdefault(h.language, None)
    named = [lang for lang in seen if lang]
    return tuple(named) if named else (("",) if seen else ())


def read_xlsform(path: str | Path) -> Form:
    """Read an XLSForm into a Form; its ``problems`` say what is wrong, by sheet and row.

    Raises UserError (exit 2) when the file is missing or unreadable or has no
    survey sheet.
    """
    book = read_workbook(path)
    survey = _sheet(book, "survey")
    if survey is None:
        raise UserError("forms.no_survey", path=str(path))
    choices_sheet = _sheet(book, "choices")
    settings_sheet = _sheet(book, "settings")
    problems: list[Problem] = []

    settings: dict[str, str] = {}
    if settings_sheet is not None and settings_sheet.rows:
        first = settings_sheet.rows[0][1]
        for h, v in zip(settings_sheet.headers, first):
            if h.column and v.strip():
                settings[h.column] = v.strip()

    choices: dict[str, list[Choice]] = {}
    if choices_sheet is not None:
        for rownum, cells in choices_sheet.rows:
            plain, texts = choices_sheet.record(cells)
            lst = plain.pop("list_name", "")
            name = plain.pop("name", "")
            if not lst and not name:
                continue
            if not lst or not name:
                problems.append(Problem("error", "choice_incomplete", choices_sheet.name, rownum,
                                        "list_name" if not lst else "name"))
                continue
            extra = {k: v for k, v in plain.items() if v}
            choices.setdefault(lst, []).append(Choice(lst, name, texts.get("label", {}), extra, rownum))

    items: list[Item] = []
    stack: list[tuple[dict[str, object], int]] = []  # (group fields, index in items)
    gpath: list[str] = []
    for rownum, cells in survey.rows:
        plain, texts = survey.record(cells)
        raw_type = plain.get("type", "")
        name = plain.get("name", "")
        low = " ".join(raw_type.lower().split())
        if not raw_type:
            if name or texts:
                problems.append(Problem("error", "missing_type", survey.name, rownum, "type", {"name": name}))
            continue
        loop = _LOOP.match(low)
        if low in _BEGIN or loop:
            kind = "loop" if loop else _BEGIN[low]
            if not name:
                problems.append(Problem("error", "missing_name", survey.name, rownum, "name", {"type": raw_type}))
                name = f"_row{rownum}"
            g = dict(kind=kind, name=name, labels=texts.get("label", {}), relevant=plain.get("relevant", ""),
                     appearance=plain.get("appearance", ""), repeat_count=plain.get("repeat_count", ""),
                     path=tuple(gpath), row=rownum, end_row=0, loop_list=loop.group(1) if loop else "")
            stack.append((g, len(items)))
            items.append(Group(**g))  # type: ignore[arg-type]  # end_row filled at 'end'
            gpath.append(name)
            continue
        if low in _END:
            kind = _END[low]
            if not stack:
                problems.append(Problem("error", "unmatched_end", survey.name, rownum, "type", {"type": raw_type}))
                continue
            g, idx = stack[-1]
            if g["kind"] != kind and not (kind == "repeat" and g["kind"] == "loop"):
                problems.append(Problem("error", "mismatched_end", survey.name, rownum, "type",
                                        {"type": raw_type, "begin": f"begin {g['kind']}", "name": g["name"],
                                         "begin_row": g["row"]}))
                # an 'end group' inside a repeat closes nothing; keep going
                continue
            stack.pop()
            gpath.pop()
            items[idx] = Group(**{**g, "end_row": rownum})  # type: ignore[arg-type]
            continue
        info = parse_type(raw_type)
        if info is None:
            problems.append(Problem("error", "unknown_type", survey.name, rownum, "type", {"type": raw_type}))
            info = TypeInfo("text")
        if not name:
            problems.append(Problem("error", "missing_name", survey.name, rownum, "name", {"type": raw_type}))
            name = f"_row{rownum}"
        repeat = next((p for p, (g, _) in zip(reversed(gpath), reversed(stack))
                       if g["kind"] in ("repeat", "loop")), "")
        items.append(Question(
            name=name, type=info.type, labels=texts.get("label", {}), hints=texts.get("hint", {}), row=rownum,
            list_name=info.list_name, or_other=info.or_other, from_file=info.from_file,
            required=_yes(plain.get("required", "")), required_message=texts.get("required_message", {}),
            relevant=plain.get("relevant", ""), constraint=plain.get("constraint", ""),
            constraint_message=texts.get("constraint_message", {}), calculation=plain.get("calculation", ""),
            default=plain.get("default", ""), choice_filter=plain.get("choice_filter", ""),
            appearance=plain.get("appearance", ""), read_only=_yes(plain.get("read_only", "")),
            parameters=plain.get("parameters", ""), path=tuple(gpath), repeat=repeat, raw_type=raw_type,
        ))
        if info.or_other:  # pyxform adds a text question for the 'other' answer
            items.append(Question(
                name=f"{name}_other", type="text", labels={lang: "Specify other" for lang in texts.get("label", {})},
                hints={}, row=rownum, relevant=f"selected(${{{name}}}, 'other')", path=tuple(gpath),
                repeat=repeat, raw_type="text"))
    for g, _ in stack:
        problems.append(Problem("error", "unclosed_group", survey.name, int(g["row"]), "type",  # type: ignore[call-overload]
                                {"kind": g["kind"], "name": g["name"]}))

    languages = _languages(survey, choices_sheet)
    default_language = settings.get("default_language", "")
    if not default_language or default_language not in languages:
        default_language = languages[0] if languages else ""
    form = Form(
        source=str(path), title=settings.get("form_title", Path(path).stem),
        form_id=settings.get("form_id", Path(path).stem), version=settings.get("version", ""),
        default_language=default_language, languages=languages, items=tuple(items),
        choices={k: tuple(v) for k, v in choices.items()}, settings=settings, problems=(),
    )
    sheet_names = {"survey": survey.name, "choices": choices_sheet.name if choices_sheet else "choices"}
    all_problems = tuple(problems) + check_form(form, sheet_names)
    return Form(**{**form.__dict__, "problems": tuple(sorted(all_problems, key=lambda p: (p.sheet != survey.name, p.sheet, p.row)))})
