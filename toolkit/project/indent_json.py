"""``json.dumps(obj, ensure_ascii=False, indent=2, default=str)``, the same
text, faster.

Why: verify's ``meta.json`` holds the sample's whole manifest (26,684 drawn
households at 600,000, 30,000 at 5.5 million, ten fields each: 8 MB). With
``indent`` the standard library encodes through its pure-Python encoder
(0.9 s of CPU for that file); only the compact form has the C encoder. Here
every container whose values are all scalars (a drawn household's record)
is encoded by the C encoder in one call, with the item separator that
holds the line break and the indent of its level, and only the containers
above it are walked in Python. Scalars, keys, ``default`` and the special
floats are encoded by the same encoder, so the text is byte for byte
``json.dumps``'s (tests/project/test_indent_json.py).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache

_CONTAINERS = (dict, list, tuple)


@lru_cache(maxsize=64)
def _flat(level: int) -> Callable[[object], str]:
    """The compact C encoder whose item separator breaks the line and indents
    to ``level``, made once (``JSONEncoder.encode`` builds a new one per call:
    microseconds, per drawn household)."""
    from json.encoder import c_make_encoder, encode_basestring

    e = json.JSONEncoder(ensure_ascii=False, default=str, separators=(",\n" + "  " * level, ": "))
    if c_make_encoder is None:   # pragma: no cover - no C accelerator: the library's own way
        return e.encode
    run = c_make_encoder({}, e.default, encode_basestring, None, e.key_separator, e.item_separator,
                         False, False, True)
    return lambda o: "".join(run(o, 0))


_SCALAR = json.JSONEncoder(ensure_ascii=False, default=str)


def _key(k: object) -> str:
    """A dict key as ``json`` writes it (text, or a number, true/false/null as text)."""
    if isinstance(k, str):
        return _SCALAR.encode(k)
    if k is True or k is False or k is None or isinstance(k, int | float):
        return _SCALAR.encode(_SCALAR.encode(k))   # json's rule: the number's JSON text, as a string
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")


def _enc(o: object, level: int) -> str:
    if isinstance(o, dict):
        if not o:
            return "{}"
        inner = "\n" + "  " * (level + 1)
        if not any(isinstance(v, _CONTAINERS) for v in o.values()):
            return "{" + inner + _flat(level + 1)(o)[1:-1] + "\n" + "  " * level + "}"
        return "{" + inner + ("," + inner).join(_key(k) + ": " + _enc(v, level + 1) for k, v in o.items()) \
            + "\n" + "  " * level + "}"
    if isinstance(o, list | tuple):
        if not o:
            return "[]"
        inner = "\n" + "  " * (level + 1)
        if not any(isinstance(v, _CONTAINERS) for v in o):
            return "[" + inner + _flat(level + 1)(list(o))[1:-1] + "\n" + "  " * level + "]"
        if all(type(v) is dict and v and not any(isinstance(x, _CONTAINERS) for x in v.values()) for v in o):
            return _records(list(o), level)
        return "[" + inner + ("," + inner).join(_enc(v, level + 1) for v in o) + "\n" + "  " * level + "]"
    return _SCALAR.encode(o)   # a scalar, or what ``default=str`` makes of any other object: text


def _records(rows: list[dict], level: int) -> str:
    """A list of non-empty dicts of scalars (the manifest's drawn households)
    in one C encoder call. Its item separator (a line break, then the indent
    of a record's fields) also falls between the records; JSON text never
    holds a raw line break inside a string, and only a record's closing
    brace stands right before a separator and only an opening one right
    after it, so those places are rewritten to close and open records on
    lines of their own, as the indenting encoder writes them."""
    ind0, ind1, ind2 = ("\n" + "  " * (level + k) for k in (0, 1, 2))
    text = _flat(level + 2)(rows)
    text = text[2:-2].replace("}," + ind2 + "{", ind1 + "}," + ind1 + "{" + ind2)
    return "[" + ind1 + "{" + ind2 + text + ind1 + "}" + ind0 + "]"


def dumps(obj: object) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2, default=str)`` (module doc)."""
    return _enc(obj, 0)


__all__ = ["dumps"]
