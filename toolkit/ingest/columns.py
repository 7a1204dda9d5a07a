"""Export headers -> question names, shared by every reader.

A header is resolved, in order, as: a question name; a group path ending in a
question name (``sec_a-archive_id``, ``sec_a/archive_id``); a geopoint part
(``location-Latitude``, ``_location_latitude``, ``location_latitude``); a
one-hot select_multiple column (``path/option`` or ``name_option``); a
question label in any of the form's languages, with or without its paper
code (``A1. 档案编号`` or ``档案编号``). Headers that resolve to nothing are
kept aside as *unmapped* (reported, never silently dropped from view). A
second column of a question already mapped is unmapped too, and every row
where it disagrees with the first is a ``duplicate_column`` problem.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit.forms.model import Form
from toolkit.ingest.model import as_text, value_questions

_GEO_ODK = re.compile(r"^(?P<q>.+)-(?P<part>Latitude|Longitude|Altitude|Accuracy)$")
_GEO_KOBO = re.compile(r"^_?(?P<q>.+)_(?P<part>latitude|longitude|altitude|precision|accuracy)$")
_CODE = re.compile(r"^\s*[A-Z]\d+[a-z]?\s*[.．、:：]\s*")
_TRUE = {"1", "1.0", "true", "True", "TRUE", "yes"}


@dataclass(frozen=True)
class HeaderMap:
    """How the headers of one table map onto a form level.

    ``direct``: header -> question name (or ``<name>_<geo part>``);
    ``onehot``: question name -> {choice name: header};
    ``unmapped``: headers that are neither questions nor known metadata;
    ``duplicates``: a second header of an already-mapped question -> that question.
    """

    direct: dict[str, str] = field(default_factory=dict)
    onehot: dict[str, dict[str, str]] = field(default_factory=dict)
    unmapped: tuple[str, ...] = ()
    duplicates: dict[str, str] = field(default_factory=dict)


def _label_index(form: Form, names: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for q in form.questions:
        if q.name not in names:
            continue
        for text in q.labels.values():
            for variant in {text.strip(), _CODE.sub("", text).strip()}:
                if variant:
                    seen[variant] = seen.get(variant, 0) + 1
                    out.setdefault(variant, q.name)
    return {k: v for k, v in out.items() if seen[k] == 1}


def _suffixes(header: str, seps: str) -> Iterable[str]:
    """``a-b-c`` -> ``a-b-c``, ``b-c``, ``c`` (for each separator in ``seps``)."""
    yield header
    for sep in seps:
        parts = header.split(sep)
        for k in range(1, len(parts)):
            yield sep.join(parts[k:])


def map_headers(headers: Iterable[str], form: Form, repeat: str, *, seps: str = "-/",
                meta: Iterable[str] = ()) -> HeaderMap:
    """Resolve the headers of one table (top level when ``repeat`` is '')."""
    qs = {q.name: q for q in value_questions(form, repeat)}
    labels = _label_index(form, set(qs))
    meta_set = set(meta)
    direct: dict[str, str] = {}
    onehot: dict[str, dict[str, str]] = {}
    unmapped: list[str] = []
    taken: set[str] = set()
    duplicates: dict[str, str] = {}
    for h in headers:
        h = str(h)
        if h in meta_set:
            continue
        target = _resolve(h, qs, form, seps)
        if target is None and h.strip() in labels:
            target = labels[h.strip()]
        if target is None:
            oh = _onehot(h, qs, form, seps)
            if oh is not None:
                onehot.setdefault(oh[0], {})[oh[1]] = h
                continue
            unmapped.append(h)
            continue
        if target in taken:  # a second column for the same question: keep the first, compare later
            unmapped.append(h)
            duplicates[h] = target
            continue
        taken.add(target)
        direct[h] = target
    return HeaderMap(direct, onehot, tuple(unmapped), duplicates)


def _resolve(h: str, qs: dict, form: Form, seps: str) -> str | None:
    for suf in _suffixes(h, seps):
        if suf in qs and qs[suf].type != "geopoint":
            return suf
        if suf in qs and qs[suf].type == "geopoint":
            return suf  # whole "lat lon alt acc" text
        m = _GEO_ODK.match(suf)
        if m and m.group("q") in qs and qs[m.group("q")].type == "geopoint":
            return f"{m.group('q')}_{m.group('part').lower()}"
    for suf in _suffixes(h, seps):
        m = _GEO_KOBO.match(suf)
        if m and m.group("q") in qs and qs[m.group("q")].type == "geopoint":
            part = "accuracy" if m.group("part") == "precision" else m.group("part")
            return f"{m.group('q')}_{part}"
    return None


def _onehot(h: str, qs: dict, form: Form, seps: str) -> tuple[str, str] | None:
    for joiner in ("/", ".", "_", "-"):
        cuts = [i for i, ch in enumerate(h) if ch == joiner]
        for i in reversed(cuts):
            left, opt = h[:i], h[i + 1:]
            for suf in _suffixes(left, seps):
                q = qs.get(suf)
                if q is not None and q.type == "select_multiple":
                    names = {c.name for c in form.choices.get(q.list_name, ())}
                    if opt in names:
                        return q.name, opt
    return None


def apply_map(table: pd.DataFrame, hm: HeaderMap) -> pd.DataFrame:
    """The table with question-named columns (one-hot columns folded into text)."""
    cols: dict[str, pd.Series] = {}
    for h, target in hm.direct.items():
        cols[target] = table[h]
    for qname, opts in hm.onehot.items():
        if qname in cols and as_text(cols[qname]).notna().any():
            continue  # the space-separated column is the answer; one-hot is derived
        cols[qname] = fold_onehot(table, opts)
    out = pd.DataFrame(cols, index=table.index)
    conflicts = column_conflicts(table, hm)
    if len(conflicts):   # plain tuples: pandas compares attrs when frames are concatenated
        out.attrs[CONFLICTS] = tuple(conflicts.itertuples(index=False, name=None))
    return out


#: DataFrame.attrs key of the rows where a duplicate column disagrees (see column_conflicts)
CONFLICTS = "column_conflicts"


def column_conflicts(table: pd.DataFrame, hm: HeaderMap) -> pd.DataFrame:
    """Rows where a second column of one question holds another value than the
    first (the one used): ``pos`` (row position), ``field``, ``value`` naming
    both columns and both values. toolkit.ingest.model.build turns them into
    ``duplicate_column`` problems, so the disagreement is never silent."""
    first = {target: h for h, target in hm.direct.items()}
    parts = []
    for h, target in hm.duplicates.items():
        f = first.get(target)
        if f is None:
            continue
        a, b = as_text(table[f]), as_text(table[h])
        bad = (b.notna() & (a.isna() | (a != b))).to_numpy(dtype=bool)
        if bad.any():
            pos = np.flatnonzero(bad)
            shown = ("「" + f + "」: " + a.iloc[pos].fillna("").astype(str) + " ≠ 「" + h + "」: "
                     + b.iloc[pos].astype(str))
            parts.append(pd.DataFrame({"pos": pos, "field": target, "value": shown.to_numpy()}))
    if not parts:
        return pd.DataFrame({"pos": pd.Series(dtype="int64"), "field": pd.Series(dtype=object),
                             "value": pd.Series(dtype=object)})
    return pd.concat(parts, ignore_index=True)


def fold_onehot(table: pd.DataFrame, opts: dict[str, str]) -> pd.Series:
    """Space-separated choice names from one-hot columns (blank row -> missing)."""
    n = len(table)
    acc = np.full(n, "", dtype=object)
    for choice, h in opts.items():
        txt = as_text(table[h]).to_numpy()
        hit = np.isin(txt, list(_TRUE))
        acc = np.where(hit, acc + (choice + " "), acc)
    acc = np.where(acc == "", None, acc)
    return pd.Series(acc, index=table.index, dtype=object).str.rstrip()
