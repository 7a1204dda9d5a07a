"""A screen for text meant for leadership: ID numbers, mobile numbers, names.

Used twice: as a guard when the report is built (a hit is a bug, raised as
UserError ``report.privacy_leak``), and by the tests over every file the
report and the notebooks write.

* ID number: 18 characters (17 digits + digit or X) whose check character is
  valid under GB 11643 (toolkit.roster.idcard), not inside a longer run of
  letters or digits;
* mobile number: 11 digits starting 13–19, not inside a longer run;
* names: any of the given full names (2+ characters) as a substring.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.errors import UserError
from toolkit.roster.idcard import check_char

ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17})([0-9Xx])(?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d{9})(?![0-9A-Za-z])")
DATA_URI_RE = re.compile(r"data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]+")


@dataclass(frozen=True)
class Hit:
    """One suspicious string: kind (id_number | phone | name), the match, where."""

    kind: str
    text: str
    where: str


def scan_text(text: str, where: str = "", names: Iterable[str] = ()) -> list[Hit]:
    """Every ID number with a valid check character, mobile number and given
    name in ``text`` (embedded base64 images are skipped)."""
    text = DATA_URI_RE.sub(" ", text)
    hits = [Hit("id_number", m.group(0), where) for m in ID_RE.finditer(text)
            if check_char(m.group(1)) == m.group(2).upper()]
    hits += [Hit("phone", m.group(0), where) for m in PHONE_RE.finditer(text)]
    for n in names:
        if len(n) >= 2 and n in text:
            hits.append(Hit("name", n, where))
    return hits


def scan_frame(frame, where: str = "", names: Iterable[str] = ()) -> list[Hit]:
    """:func:`scan_text` over the headers and every cell of a DataFrame."""
    cells = [str(c) for c in frame.columns] + [str(v) for v in frame.astype(str).to_numpy().ravel()]
    return scan_text("\n".join(cells), where, names)


def assert_clean(report) -> None:
    """Raise UserError ``report.privacy_leak`` when any paragraph or table cell
    of a :class:`toolkit.report.model.Report` holds an ID or mobile number."""
    hits: list[Hit] = []

    def walk(s) -> None:
        hits.extend(scan_text("\n".join([s.title, *s.paragraphs]), s.key))
        for tb in s.tables:
            hits.extend(scan_frame(tb.frame, tb.key))
        for sub in s.subsections:
            walk(sub)

    for s in report.sections:
        walk(s)
    if hits:
        raise UserError("report.privacy_leak", kind=hits[0].kind, where=hits[0].where, count=len(hits))


__all__ = ["Hit", "scan_text", "scan_frame", "assert_clean", "ID_RE", "PHONE_RE"]
