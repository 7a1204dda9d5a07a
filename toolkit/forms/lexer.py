"""Tokens of the ODK expression language (the XPath 1.0 subset XLSForms use).

Follows XPath 1.0's lexical disambiguation: after a token that can end an
operand, ``*`` is multiplication and ``and or div mod`` are operators; elsewhere
they are names. ``${name}`` is one token (XLSForm's reference syntax).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.forms.exprerrors import ExpressionError

# Token kinds: num str ref name op lpar rpar comma dot dotdot slash lbr rbr at end
_NAME = r"[^\W\d][\w.\-\u00b7]*"
_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<num>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<ref>\$\{[^{}]*\})
  | (?P<name>""" + _NAME + r"""(?::""" + _NAME + r""")?)
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\|)
  | (?P<dotdot>\.\.)
  | (?P<dot>\.)
  | (?P<lpar>\()
  | (?P<rpar>\))
  | (?P<comma>,)
  | (?P<slash>//|/)
  | (?P<lbr>\[)
  | (?P<rbr>\])
  | (?P<at>@)
    """,
    re.VERBOSE,
)
_REF_NAME = re.compile(r"^[^\W\d][\w.\-\u00b7]*$")
_OPERATOR_NAMES = {"and", "or", "div", "mod"}
# After these token kinds the next token starts an operand (so '*' is a wildcard).
_PRECEDES_OPERAND = {"op", "lpar", "comma", "lbr", "at", "slash", None}


@dataclass(frozen=True)
class Token:
    """One lexical token: kind, text (strings unquoted, refs unwrapped) and offset."""

    kind: str
    text: str
    pos: int


def tokenize(source: str) -> list[Token]:
    """Split ``source`` into tokens ending with an ``end`` token.

    Raises ExpressionError for a character no token starts with, an unclosed
    quote or ``${``, or a malformed ``${name}``.
    """
    tokens: list[Token] = []
    pos = 0
    prev: str | None = None
    n = len(source)
    while pos < n:
        m = _TOKEN.match(source, pos)
        if m is None:
            ch = source[pos]
            if ch in "'\"":
                raise ExpressionError("unclosed", pos, source, f"string opened with {ch} is never closed")
            if source.startswith("${", pos):
                raise ExpressionError("unclosed", pos, source, "'${' without a closing '}'")
            if ch in "\u2018\u2019\u201c\u201d":
                raise ExpressionError("syntax", pos, source,
                                      f"typographic quote {ch} (use a straight quote ' or \")")
            raise ExpressionError("syntax", pos, source, f"unexpected character {ch!r}")
        kind = m.lastgroup or ""
        text = m.group()
        start = pos
        pos = m.end()
        if kind == "ws":
            continue
        if kind == "str":
            text = text[1:-1]
        elif kind == "ref":
            text = text[2:-1].strip()
            if not _REF_NAME.match(text):
                raise ExpressionError("syntax", start, source, f"bad reference ${{{text}}}")
        elif kind == "name" and prev not in _PRECEDES_OPERAND and text in _OPERATOR_NAMES:
            kind = "op"
        elif kind == "op" and text == "*" and prev in _PRECEDES_OPERAND:
            kind = "name"  # wildcard name test
        tokens.append(Token(kind, text, start))
        prev = kind if not (kind == "op" and text == "|") else "op"
    tokens.append(Token("end", "", n))
    return tokens
