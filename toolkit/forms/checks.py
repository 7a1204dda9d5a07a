"""Checks on a read form: names, choice lists, references and expressions.

Each finding is a Problem with sheet and row. Errors are what pyxform or ODK
would reject (duplicate names in one group, a missing choice list, an unknown
``${ref}``, an expression that does not parse); warnings are legal but risky
(the same name in two groups, an ODK function this toolkit cannot evaluate).
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from toolkit.forms.exprerrors import ExpressionError
from toolkit.forms.model import EXPRESSION_COLUMNS, Form, Group, Problem, Question
from toolkit.forms.nodes import refs
from toolkit.forms.parser import parse

_REF = re.compile(r"\$\{([^{}]*)\}")


def _texts_with_refs(item: Question | Group) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for col in ("labels", "hints", "constraint_message", "required_message"):
        for lang, text in (getattr(item, col, None) or {}).items():
            out.append((col.rstrip("s") if col in ("labels", "hints") else col, text))
    if isinstance(item, Question) and item.default:
        out.append(("default", item.default))
    return out


def check_form(form: Form, sheets: Mapping[str, str]) -> tuple[Problem, ...]:
    """All problems of ``form`` beyond those found while reading rows."""
    survey, choices_sheet = sheets["survey"], sheets["choices"]
    problems: list[Problem] = []
    names: dict[str, list[Question | Group]] = {}
    for item in form.items:
        names.setdefault(item.name, []).append(item)
    for name, items in names.items():
        for later in items[1:]:
            same_parent = any(other.path == later.path for other in items if other is not later
                              and other.row < later.row)
            problems.append(Problem("error" if same_parent else "warning",
                                    "duplicate_name" if same_parent else "duplicate_name_elsewhere",
                                    survey, later.row, "name", {"name": name, "first_row": items[0].row}))

    allow_dupes = form.settings.get("allow_choice_duplicates", "").lower() in ("yes", "true")
    for lst, options in form.choices.items():
        seen: dict[str, int] = {}
        for c in options:
            if c.name in seen and not allow_dupes:
                problems.append(Problem("error", "duplicate_choice", choices_sheet, c.row, "name",
                                        {"list": lst, "name": c.name, "first_row": seen[c.name]}))
            seen.setdefault(c.name, c.row)

    for item in form.items:
        if isinstance(item, Question) and item.is_select and not item.from_file:
            if item.list_name not in form.choices:
                problems.append(Problem("error", "missing_list", survey, item.row, "type",
                                        {"list": item.list_name, "name": item.name}))
        if isinstance(item, Group) and item.loop_list and item.loop_list not in form.choices:
            problems.append(Problem("error", "missing_list", survey, item.row, "type",
                                    {"list": item.loop_list, "name": item.name}))

    for item in form.items:
        for col in EXPRESSION_COLUMNS:
            text = getattr(item, col, "")
            if not text or (col in ("required", "read_only") and text == "yes"):
                continue
            try:
                found = refs(parse(text))
            except ExpressionError as e:
                sev = "warning" if e.code == "unsupported" else "error"
                problems.append(Problem(sev, "expr_unsupported" if sev == "warning" else "expr_syntax",
                                        survey, item.row, col,
                                        {"expression": text, "position": e.position + 1, "detail": e.detail}))
                found = [m.strip() for m in _REF.findall(text)]
            for ref in found:
                if ref not in names:
                    problems.append(Problem("error", "unknown_ref", survey, item.row, col,
                                            {"ref": ref, "name": item.name}))
        for col, text in _texts_with_refs(item):
            for ref in _REF.findall(text):
                if ref.strip() not in names:
                    problems.append(Problem("error", "unknown_ref", survey, item.row, col,
                                            {"ref": ref.strip(), "name": item.name}))
    return tuple(problems)
