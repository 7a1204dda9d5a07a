"""Questionnaires: the XLSForm model and ODK expressions evaluated on whole columns.

Public API:
- ``read_xlsform(path) -> Form`` (reader.py; model.py for Form/Question/Group/Choice/Problem);
- ``parse``, ``evaluate``, ``evaluate_bool``, ``Context``/``Rows``/``Repeat``,
  ``ExpressionError`` (expr.py);
- ``form_context``, ``check_columns`` (run.py): a form's relevants and constraints on submissions;
- ``render(form, lang, out)`` (render.py): the paper questionnaire.
Imports only toolkit.i18n and toolkit.errors.
"""
from __future__ import annotations

from toolkit.forms.expr import Context, ExpressionError, Repeat, Rows, evaluate, evaluate_bool, parse
from toolkit.forms.model import Choice, Form, Group, Problem, Question
from toolkit.forms.reader import read_xlsform
from toolkit.forms.run import QuestionCheck, check_columns, form_context

__all__ = [
    "Choice", "Context", "ExpressionError", "Form", "Group", "Problem", "Question", "QuestionCheck", "Repeat",
    "Rows", "check_columns", "evaluate", "evaluate_bool", "form_context", "parse", "read_xlsform",
]
