"""The one way the toolkit builds HTML from Python: escaped by construction.

Roster and visit text comes from the party being evaluated, so anything that
is not a literal of this code base is escaped before it reaches a page.
Widgets build markup only through these helpers, never with f-strings:

* :func:`esc` — any value as text safe inside an element or a quoted
  attribute (``& < > " '`` escaped; missing values become an empty string);
* :func:`tag` — one element: the tag name and attribute names are checked
  against a fixed pattern, attribute values and text children are escaped,
  children built by :func:`tag` / :func:`join` (class :class:`Markup`) are
  kept as they are;
* :func:`join` — several pieces (escaped unless already :class:`Markup`);
* :func:`table` — a DataFrame as an HTML table with every header and cell
  escaped (``pandas.DataFrame.to_html(escape=True)``, missing cells blank).

Reports and the paper form use Jinja2 templates with autoescape instead
(toolkit/report/templates, toolkit/forms/templates); the same rule holds.
"""
from __future__ import annotations

import html as _html
import math
import re

import pandas as pd

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


class Markup(str):
    """Text that is already safe HTML (made by :func:`tag`/:func:`join` only)."""

    __slots__ = ()


def esc(value: object) -> Markup:
    """``value`` as escaped HTML text; ``None``/NaN/NA give an empty string;
    :class:`Markup` is returned unchanged."""
    if isinstance(value, Markup):
        return value
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return Markup("")
    return Markup(_html.escape(str(value), quote=True))


def join(*parts: object) -> Markup:
    """Concatenate pieces, escaping every one that is not :class:`Markup`."""
    return Markup("".join(esc(p) for p in parts))


def tag(name: str, *children: object, **attrs: object) -> Markup:
    """``<name attr="value">children</name>``, escaped by construction.

    Attribute names use ``_`` for ``-`` (``data_indicator`` → ``data-indicator``)
    and a trailing ``_`` for Python keywords (``class_``); ``None``/``False``
    attributes are left out, ``True`` gives a bare attribute."""
    if not _NAME.match(name):
        raise ValueError(f"bad tag name {name!r}")
    bits = [name]
    for k, v in attrs.items():
        a = k.rstrip("_").replace("_", "-")
        if not _NAME.match(a) or a.startswith("on"):
            raise ValueError(f"bad attribute {k!r}")
        if v is None or v is False:
            continue
        bits.append(a if v is True else f'{a}="{esc(v)}"')
    if name in ("br", "hr", "img", "input"):
        return Markup(f"<{' '.join(bits)}>")
    return Markup(f"<{' '.join(bits)}>{join(*children)}</{name}>")


def table(frame: pd.DataFrame, classes: str = "", border: int = 1) -> Markup:
    """A DataFrame as an HTML table (no index), every header and cell escaped."""
    return Markup(frame.to_html(index=False, classes=classes or None, border=border, escape=True,
                                na_rep=""))


__all__ = ["Markup", "esc", "join", "table", "tag"]
