"""ExpressionError: the one exception the expression parser and evaluator raise.

It carries a message code (an i18n key under ``forms.expr.``), the character
position in the expression text and the text itself, so a form check can point
at the exact place ("column 14: unexpected ')'").
"""
from __future__ import annotations


class ExpressionError(ValueError):
    """An ODK expression that cannot be parsed or evaluated.

    ``code`` is one of: ``syntax`` (unexpected token/character), ``unclosed``
    (missing ``)``/quote/``}``), ``unknown_function``, ``unsupported`` (a valid
    ODK construct this evaluator does not run, e.g. ``once()`` or predicates),
    ``arity`` (wrong number of arguments), ``unknown_ref`` and ``bad_regex``
    (raised at evaluation), ``not_a_nodeset`` (``sum(1)``), ``too_deep`` /
    ``too_long`` (past the parser's bounds), ``regex_timeout`` (a regex()
    that did not finish within its time budget).
    ``position`` is the 0-based character offset (``-1`` when not tied to one).
    """

    def __init__(self, code: str, position: int, expression: str, detail: str = "") -> None:
        self.code = code
        self.position = position
        self.expression = expression
        self.detail = detail
        super().__init__(self.describe())

    @property
    def i18n_key(self) -> str:
        """The message key in toolkit.i18n.forms for this error."""
        return f"forms.expr.{self.code}"

    def describe(self) -> str:
        """A one-line English description with a caret-free position."""
        where = f" at position {self.position}" if self.position >= 0 else ""
        return f"{self.code}{where}: {self.detail} in {self.expression!r}"
