"""The manifest's JSON text, written fast with the same bytes as ``json.dumps``.

``json.dumps(manifest, ensure_ascii=False, indent=1)`` runs Python's pure
Python encoder (the C encoder does not indent): at national size the
manifest lists ~36,000 drawn households and reserves, ten values each, and
the encoder's generators cost seconds. Here a list of flat records with the
same keys (``selected``, ``reserves``, ``psus``) is written column by column:
each column's values are turned into JSON by the C string encoder,
``float.__repr__`` and ``int.__repr__``, then every record is one ``%``
format of a template built once. Everything else goes through ``json.dumps``
itself, re-indented to its depth (JSON text never holds a raw newline inside
a string, so adding a space after every newline indents it exactly).
``tests/sampling/test_manifest_text.py`` compares the bytes with
``json.dumps`` on hostile values.
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from json.encoder import encode_basestring   # the C function when available, as json.dumps uses

_SCALARS = (str, int, float, bool, type(None))


def _float(v: float) -> str:
    if v != v:
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return float.__repr__(v)


def _scalar(v: object) -> str:
    """One scalar as json.dumps writes it (str first, then None, bools, int, float)."""
    if isinstance(v, str):
        return encode_basestring(v)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return int.__repr__(v)
    return _float(v)


def _column(vals: list) -> list[str]:
    kinds = set(map(type, vals))
    if kinds == {str}:
        return list(map(encode_basestring, vals))
    if kinds == {float}:
        if all(map(math.isfinite, vals)):
            return list(map(float.__repr__, vals))
    return [_scalar(v) for v in vals]


def _flat_records(v: object) -> tuple[str, ...] | None:
    """The shared keys when ``v`` is a non-empty list of dicts with the same
    str keys (in the same order) and scalar values only; else None."""
    if not isinstance(v, list) or not v or not all(type(r) is dict for r in v):
        return None
    keys = tuple(v[0])
    if not keys or not all(isinstance(k, str) for k in keys):
        return None
    for r in v:
        if tuple(r) != keys or not all(isinstance(x, _SCALARS) for x in r.values()):
            return None
    return keys


def _records_text(v: list, keys: tuple[str, ...], level: int) -> str:
    """A list of flat records at depth ``level`` (its '[' already placed)."""
    ind, ind1, ind2 = " " * level, " " * (level + 1), " " * (level + 2)
    body = (",\n").join(f"{ind2}{encode_basestring(k).replace('%', '%%')}: %s" for k in keys)
    tpl = f"{ind1}{{\n{body}\n{ind1}}}"
    cols = [_column([r[k] for r in v]) for k in keys]
    return "[\n" + ",\n".join(tpl % row for row in zip(*cols)) + f"\n{ind}]"


def dumps_indent1(obj: Mapping) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=1)`` for a dict, byte for byte."""
    if not isinstance(obj, dict) or not obj or not all(isinstance(k, str) for k in obj):
        return json.dumps(obj, ensure_ascii=False, indent=1)
    parts = []
    for k, v in obj.items():
        keys = _flat_records(v)
        text = _records_text(v, keys, 1) if keys else \
            json.dumps(v, ensure_ascii=False, indent=1).replace("\n", "\n ")
        parts.append(f" {encode_basestring(k)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}"


__all__ = ["dumps_indent1"]
