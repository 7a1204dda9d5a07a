"""The engine's own error type.

``toolkit.survey`` imports nothing of the rest of the toolkit but the leaf
``toolkit.errors`` (which itself imports nothing). :class:`SurveyError` is a
``ValueError`` and a ``toolkit.errors.FieldevalError`` carrying an i18n key
(``"survey.…"``) and the fields of the message: the command line, notebooks
and dashboards translate it like any other error (no traceback), and a
library caller gets an ordinary ``ValueError`` with a readable English text.
"""
from __future__ import annotations

from toolkit.errors import FieldevalError


class SurveyError(FieldevalError, ValueError):
    """A problem with the caller's data or design specification.

    Parameters
    ----------
    key : str
        Message key in ``toolkit/i18n/survey.py`` (for example
        ``"survey.unknown_columns"``).
    **fields
        Values for the message placeholders.
    """

    def __init__(self, key: str, /, **fields: object) -> None:
        super().__init__(key, **fields)
        detail = ", ".join(f"{k}={v}" for k, v in fields.items())
        self.args = (f"{key}: {detail}" if detail else key,)

    def __str__(self) -> str:
        return str(self.args[0])
