"""The engine's own error type.

``toolkit.survey`` imports nothing of the rest of the toolkit, so it cannot
raise ``toolkit.errors.UserError`` itself. It raises :class:`SurveyError`
instead: a ``ValueError`` that carries an i18n key (``"survey.…"``) and the
fields of the message. The command line turns it into a ``UserError`` with the
same key, so the message comes out in the user's language with no traceback;
a library caller gets an ordinary ``ValueError`` with a readable English text.
"""
from __future__ import annotations


class SurveyError(ValueError):
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
        self.key = key
        self.fields = fields
        detail = ", ".join(f"{k}={v}" for k, v in fields.items())
        super().__init__(f"{key}: {detail}" if detail else key)
