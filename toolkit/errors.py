"""The one exception type for a user's mistake (bad file, bad setting, bad
argument). It carries an i18n key and fields, so the command line prints it in
the user's language with no traceback, and an exit code (2: input unusable)."""
from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix; rendered through toolkit.i18n."""

    def __init__(self, key: str, /, *, exit_code: int = 2, **fields: object) -> None:
        self.key = key
        self.fields = fields
        self.exit_code = exit_code
        super().__init__(key)

    def message(self, lang: str | None = None) -> str:
        from toolkit.i18n import t  # i18n imports nothing of toolkit

        return t(self.key, lang, **self.fields)

    def __str__(self) -> str:  # pragma: no cover - exercised through CLI tests
        return self.message()
