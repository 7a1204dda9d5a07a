"""Questionnaires: the XLSForm model and ODK expressions evaluated on whole columns.

Public API: ``read_xlsform(path) -> Form`` (toolkit.forms.reader),
``parse``, ``evaluate``, ``evaluate_bool``, ``Context``, ``ExpressionError``
(toolkit.forms.expr). Imports only toolkit.i18n and toolkit.errors.
"""
from __future__ import annotations

from toolkit.forms.expr import Context, ExpressionError, Repeat, Rows, evaluate, evaluate_bool, parse

__all__ = ["Context", "ExpressionError", "Repeat", "Rows", "evaluate", "evaluate_bool", "parse"]
