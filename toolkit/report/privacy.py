"""A screen for text meant for leadership: ID numbers, bank cards, phones,
names and addresses.

Used twice: as a guard when the report is built (a hit is a bug, raised as
UserError ``report.privacy_leak``), and by the tests over every file the
report and the notebooks write.

* ID number: 18 characters (17 digits + digit or X), spaces or dashes allowed
  between them, whose check character is valid under GB 11643
  (toolkit.roster.idcard), not inside a longer run of letters or digits;
* bank card: 16–19 digits in any grouping that pass the Luhn check;
* mobile number: 11 digits starting 13–19, with or without +86, in any
  spacing (``199 5667 8295``, ``199-5667-8295``), not inside a longer run;
* names: any of the given full names (2+ characters) — the roster's
  household, member and helper names (toolkit.roster.privacy.private_terms);
* addresses: any of the given roster addresses, and street addresses down to
  a house or room number.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.errors import UserError
from toolkit.roster.idcard import check_char
from toolkit.roster.privacy import CARD_ANY, ID_ANY, PHONE_ANY, terms_in

ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17})([0-9Xx])(?![0-9A-Za-z])")
PHONE_RE = PHONE_ANY
DATA_URI_RE = re.compile(r"data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=]+")
_NOT_DIGIT = re.compile(r"[^0-9Xx]")
STREET_NO_RE = re.compile(r"[\u4e00-\u9fff]{1,10}(?:路|街|巷|弄|里|村|小区|花园|公寓|大厦|苑)"
                          r"\s?\d+\s?(?:号|栋|幢|单元|室)(?:\s?\d+\s?(?:号|栋|幢|单元|室|楼|层))*")
"""A street address with a house, building or room number (明光路12号3栋201室)."""
KINDS = ("id_number", "bank_card", "phone", "name", "address")


@dataclass(frozen=True)
class Hit:
    """One suspicious string: kind (one of :data:`KINDS`), the match, where."""

    kind: str
    text: str
    where: str


def luhn_ok(digits: str) -> bool:
    """True when the digit string passes the Luhn check (bank cards)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class TermSet:
    """Terms (roster names or addresses) looked for in text by length: the
    text's substrings of each length the terms have, intersected with the
    terms. ``n in text`` for every term is the same answer, but a national
    roster has millions of terms and the report hundreds of texts; this costs
    (text length × distinct term lengths) set look-ups instead of (terms ×
    text length). Terms keep their given order (first occurrence)."""

    __slots__ = ("order", "by_len", "first")

    def __init__(self, terms: Iterable[str], shortest: int = 1) -> None:
        self.order: dict[str, int] = {}
        for n in terms:
            if len(n) >= shortest and n not in self.order:
                self.order[n] = len(self.order)
        self.by_len: dict[int, set[str]] = {}
        for n in self.order:
            self.by_len.setdefault(len(n), set()).add(n)
        self.first: frozenset[str] = frozenset(n[0] for n in self.order if n)

    def found(self, text: str) -> list[str]:
        """The terms occurring in ``text``, in the terms' order. Only the
        positions holding some term's first character are tried (a report's
        tables are mostly digits and pseudonyms: at national size the fix
        list's text is ~10⁶ characters × ~20 address lengths)."""
        hit: set[str] = set()
        n = len(text)
        first = self.first
        starts = [i for i, ch in enumerate(text) if ch in first]
        for k, terms in self.by_len.items():
            if k > n:
                continue
            subs = {text[i:i + k] for i in starts if i + k <= n}
            hit |= subs & terms
        return sorted(hit, key=self.order.__getitem__)

    def without(self, text: str) -> TermSet:
        """These terms less those occurring in ``text``."""
        drop = set(self.found(text))
        return TermSet((n for n in self.order if n not in drop))


def _terms(text: str, terms: Iterable[str] | TermSet, kind: str, where: str, shortest: int) -> list[Hit]:
    if not isinstance(terms, TermSet):
        terms = TermSet(terms, shortest)
    return [Hit(kind, n, where) for n in terms.found(text) if len(n) >= shortest]


def scan_text(text: str, where: str = "", names: Iterable[str] | TermSet = (),
              addresses: Iterable[str] | TermSet = ()) -> list[Hit]:
    """Every ID number with a valid check character, bank card, mobile number,
    given name and address in ``text`` (embedded base64 images are skipped).
    ``names``/``addresses``: terms, or a :class:`TermSet` built once for many texts."""
    text = DATA_URI_RE.sub(" ", text)
    hits = []
    for m in ID_ANY.finditer(text):
        d = _NOT_DIGIT.sub("", m.group(0))
        if len(d) == 18 and check_char(d[:17]) == d[17].upper():
            hits.append(Hit("id_number", m.group(0), where))
    for m in CARD_ANY.finditer(text):
        d = _NOT_DIGIT.sub("", m.group(0))
        if 16 <= len(d) <= 19 and luhn_ok(d) and not any(h.text == m.group(0) for h in hits):
            hits.append(Hit("bank_card", m.group(0), where))
    hits += [Hit("phone", m.group(0), where) for m in PHONE_ANY.finditer(text)]
    hits += _terms(text, names, "name", where, 2)
    hits += _terms(text, addresses, "address", where, 4)
    hits += [Hit("address", m.group(0), where) for m in STREET_NO_RE.finditer(text)]
    return hits


def scan_frame(frame, where: str = "", names: Iterable[str] | TermSet = (),
               addresses: Iterable[str] | TermSet = ()) -> list[Hit]:
    """:func:`scan_text` over the headers and every cell of a DataFrame."""
    return scan_text(frame_text(frame), where, names, addresses)


def frame_text(frame) -> str:
    """A DataFrame's headers and every cell as one text, a line each (what a reader sees of a table)."""
    cells = [str(c) for c in frame.columns] + [str(v) for v in frame.astype(str).to_numpy().ravel()]
    return "\n".join(cells)


_POOLED_KINDS = "OiufbU"


def _poolable(frame) -> tuple | None:  # noqa: ANN001 - DataFrame
    """The dtypes of ``frame`` when its cells may be turned to text pooled
    with other frames of the same dtypes (plain numbers, booleans, objects,
    strings; unique column names), else None."""
    import numpy as np
    import pandas as pd

    if frame.columns.has_duplicates or not len(frame.columns):
        return None
    kinds = []
    for t in frame.dtypes:
        if isinstance(t, pd.StringDtype):
            kinds.append(f"{t}/{t.storage}/{t.na_value}")
        elif isinstance(t, np.dtype) and t.kind in _POOLED_KINDS:
            kinds.append(str(t))
        else:
            return None
    return tuple(kinds)


def frame_texts(frames: list) -> list[str]:
    """``[frame_text(f) for f in frames]``, the cells of frames of the same
    dtypes turned to text in one ``astype(str)`` (stacked, then cut back into
    the frames' rows): turning a cell to text depends on the cell and its
    dtype only, and the national report has ~330 tables (a fix list per
    county), each costing ~ms per column in pandas whatever its rows."""
    import pandas as pd

    out: list[str | None] = [None] * len(frames)
    groups: dict[tuple, list[int]] = {}
    for i, f in enumerate(frames):
        key = _poolable(f)
        if key is None:
            out[i] = frame_text(f)
        else:
            groups.setdefault(key, []).append(i)
    for idx in groups.values():
        if len(idx) == 1:
            out[idx[0]] = frame_text(frames[idx[0]])
            continue
        parts = [frames[i].set_axis(range(len(frames[i].columns)), axis=1) for i in idx]
        cells = pd.concat(parts, ignore_index=True).astype(str).to_numpy()
        start = 0
        for i, part in zip(idx, parts):
            rows = cells[start:start + len(part)]
            start += len(part)
            out[i] = "\n".join([str(c) for c in frames[i].columns] + [str(v) for v in rows.ravel()])
    return out


def own_words() -> str:
    """All the toolkit's own wording (message catalog, indicator names, the
    roster's category words): a roster name that also occurs here (a person
    called 金秋, like 金秋助学) cannot be told apart from the report's own
    text, so the guard does not flag it; free text is scrubbed of it anyway."""
    from toolkit.i18n import catalog
    from toolkit.roster.schema import CAUSES, FUND_SOURCES, HELP_ITEMS
    from toolkit.verify.indicators import INDICATORS

    parts = [w for pair in catalog().values() for w in pair]
    parts += [*CAUSES, *HELP_ITEMS, *FUND_SOURCES] + [i.zh for i in INDICATORS] + [i.en for i in INDICATORS]
    return "\n".join(parts)


def public_places() -> tuple[str, ...]:
    """The names of China's provinces, cities and counties in the installed
    boundary data (``toolkit.maps.boundaries``; empty without it). The map
    section may print them (the nearest real counties to a code it cannot
    draw), so a roster name inside one (a person called 龙江 beside
    黑龙江省) cannot be told apart from it either."""
    try:
        from toolkit.maps.boundaries import county_index

        idx = county_index()
    except Exception:  # noqa: BLE001 - no boundary data installed: no map names in the report either
        return ()
    names = {str(v) for c in ("province", "city", "name") for v in idx[c].dropna().unique()}
    return tuple(sorted(n for n in names if n))


def _listed(terms: Iterable[str]) -> tuple[str, ...] | list[str]:
    return terms if isinstance(terms, (tuple, list)) else list(terms)


def assert_clean(report, names: Iterable[str] = (), addresses: Iterable[str] = (),
                 places: Iterable[str] = ()) -> None:
    """Raise UserError ``report.privacy_leak`` when any title, paragraph or table
    cell of a :class:`toolkit.report.model.Report` holds an ID number, bank
    card, phone, or one of the given roster names or addresses. A name that
    occurs in the toolkit's own words, in one of ``places`` (the county and
    township names the report shows by right) or in a real place name the
    report prints (:func:`public_places`) is not counted: it cannot be told
    apart from them."""
    from toolkit.i18n import t

    texts: list[tuple[str, str]] = []   # (where, text): every text a reader sees
    tables: list = []                    # (position in texts, table): their cells turned to text together

    def walk(s) -> None:
        texts.append((s.key, "\n".join([s.title, *s.paragraphs])))
        for tb in s.tables:
            tables.append((len(texts), tb))
            texts.append((tb.key, ""))
            texts.append((tb.key, f"{tb.title}\n{tb.note}"))
        for sub in s.subsections:
            walk(sub)

    texts.append(("title", "\n".join([report.title, *report.subtitle])))
    for s in report.sections:
        walk(s)
    for (k, tb), text in zip(tables, frame_texts([tb.frame for _, tb in tables])):
        texts[k] = (tb.key, text)
    every = "\n".join(text for _, text in texts)
    shown = TermSet(public_places(), 2).found(every)
    own = own_words() + "\n" + "\n".join(places) + "\n" + "\n".join(shown)
    # a national roster has millions of names: only those occurring somewhere in the report's text
    # (terms_in, every text joined) can occur in one of its texts; the same hits, from a small TermSet
    names = TermSet(terms_in(_listed(names), every), 2).without(own)
    addresses = TermSet(terms_in(_listed(addresses), every), 4)
    hits: list[Hit] = []
    for where, text in texts:
        hits.extend(scan_text(text, where, names, addresses))
    if hits:
        raise UserError("report.privacy_leak", kind=t(f"privacy.kind.{hits[0].kind}", report.lang),
                        where=hits[0].where, count=len(hits))


__all__ = ["DATA_URI_RE", "ID_RE", "KINDS", "PHONE_RE", "STREET_NO_RE", "Hit", "TermSet", "assert_clean", "luhn_ok", "own_words", "public_places",
           "frame_texts", "scan_frame", "scan_text"]
