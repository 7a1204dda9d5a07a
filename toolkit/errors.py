"""One exception tree for everything a person may be told.

:class:`FieldevalError` carries an i18n key and the message's fields, so the
command line, the notebooks and the dashboards all print it in the reader's
language (zh default, en) with no traceback: :func:`describe` is the one
translation they call. :class:`UserError` is a mistake the user can fix (a
bad file, setting or argument), with an exit code (2: input unusable). The
engines' own errors (``toolkit.survey.SurveyError``) derive from the same
base, so an estimation problem under ``verify`` reads like any other.
"""
from __future__ import annotations


class FieldevalError(Exception):
    """Base of every translated error: ``key`` (an i18n message key) and
    ``fields`` (its placeholders)."""

    exit_code = 2

    def __init__(self, key: str, /, **fields: object) -> None:
        self.key = key
        self.fields = fields
        super().__init__(key)

    def message(self, lang: str | None = None) -> str:
        """The message in ``lang`` (zh when None)."""
        from toolkit.i18n import t  # i18n imports nothing of toolkit

        # a field that knows its own words (e.g. a stratum "roster|包河区" → "包河区 · 档案户") says them in lang
        fields = {k: (v.words(lang) if callable(getattr(v, "words", None)) else v) for k, v in self.fields.items()}
        return t(self.key, lang, **fields)

    def __str__(self) -> str:  # pragma: no cover - exercised through CLI tests
        return self.message()


class UserError(FieldevalError):
    """A problem the user can fix; rendered through toolkit.i18n."""

    def __init__(self, key: str, /, *, exit_code: int = 2, **fields: object) -> None:
        super().__init__(key, **fields)
        self.exit_code = exit_code


def describe(error: BaseException, lang: str | None = None) -> str:
    """What to tell a person about ``error``, in ``lang``: the translated
    message of a :class:`FieldevalError`; for anything else a generic sentence
    naming the error type (the details belong in a log, not on a page)."""
    from toolkit.i18n import t

    if isinstance(error, FieldevalError):
        return error.message(lang)
    return t("common.unexpected", lang, detail=type(error).__name__)


__all__ = ["FieldevalError", "UserError", "describe"]
