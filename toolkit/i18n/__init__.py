"""Every user-visible word, in Chinese (default) and English.

Catalogs live beside this file, one module per area (``roster.py``,
``sampling.py`` ...), each holding ``MESSAGES = {key: (zh, en)}`` with
``str.format`` placeholders. Keys are namespaced by area: ``"roster.missing_columns"``.

>>> t("common.file_not_found", "en", path="x.csv")
'File not found: x.csv'
"""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


@lru_cache(maxsize=1)
def catalog() -> dict[str, tuple[str, str]]:
    """All messages of every area module, merged; duplicate keys are a bug."""
    merged: dict[str, tuple[str, str]] = {}
    for info in pkgutil.iter_modules(__path__):
        mod = importlib.import_module(f"{__name__}.{info.name}")
        for key, pair in getattr(mod, "MESSAGES", {}).items():
            if key in merged:
                raise RuntimeError(f"duplicate i18n key {key!r} in {info.name}")
            merged[key] = pair
    return merged


def check_lang(lang: str | None) -> str:
    """Return a supported language code ('zh' when None)."""
    if lang is None:
        return DEFAULT_LANG
    lang = lang.lower().split("-")[0].split("_")[0]
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; use one of {LANGS}")
    return lang


def t(key: str, lang: str | None = None, /, **fields: object) -> str:
    """Message ``key`` in ``lang`` with ``fields`` filled in.

    An unknown key returns the key itself so that a missing translation is
    visible but never crashes a user's run.
    """
    pair = catalog().get(key)
    if pair is None:
        return key if not fields else f"{key} {fields}"
    text = pair[LANGS.index(check_lang(lang))]
    try:
        return text.format_map(_Fields(fields))
    except (IndexError, ValueError, AttributeError):
        return text


class _Fields(dict):
    """Message fields; a placeholder nobody filled reads "…", never "{name}"."""

    def __missing__(self, key: str) -> str:
        return "…"
