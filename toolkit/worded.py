"""Tables as a person reads them: code columns renamed to words, code values as words.

One job: the last step before a machine frame becomes a CSV or a sheet a person
opens (issue 16 item 4). Headers come from the catalogue (``words2.col.<code>``,
then the area's own ``<prefix>.col.<code>`` keys, then
:func:`toolkit.labels.field_label`), so zh is the default and ``lang="en"``
gives English headers. :func:`codes_back` undoes the header renaming for a
file the toolkit reads back (both languages are recognised), so a worded file
is still a machine file.

Values: :func:`toolkit.labels.yes_no` for booleans, :func:`toolkit.labels.field_labels`
for columns that name a field, :func:`toolkit.labels.percent` for shares; blanks stay blank.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from toolkit.i18n import LANGS, catalog, t
from toolkit.labels import field_label


def header(code: str, lang: str = "zh", prefixes: Iterable[str] = ("words2.col",)) -> str:
    """The words for column ``code``: the first catalogue key ``<prefix>.<code>``
    found, else the field's label (labels.field_label)."""
    for p in prefixes:
        key = f"{p}.{code}"
        if key in catalog():
            return t(key, lang)
    return field_label(code, lang)


def with_headers(frame: pd.DataFrame, lang: str = "zh", prefixes: Iterable[str] = ("words2.col",)) -> pd.DataFrame:
    """A copy of ``frame`` whose column names are words (:func:`header`)."""
    return frame.rename(columns={c: header(str(c), lang, prefixes) for c in frame.columns})


def codes_back(frame: pd.DataFrame, codes: Iterable[str], prefixes: Iterable[str] = ("words2.col",)) -> pd.DataFrame:
    """``frame`` read from a worded file with its headers back to ``codes``
    (either language's words, or the code itself, are recognised)."""
    back: dict[str, str] = {}
    for c in codes:
        for lang in LANGS:
            back.setdefault(header(c, lang, prefixes), c)
    return frame.rename(columns={h: back[h] for h in frame.columns if h in back})


def words_of(values: pd.Series, words: Mapping[str, str]) -> pd.Series:
    """Codes in ``values`` replaced by ``words``; others as written, blanks ''."""
    from toolkit.labels import map_words

    return map_words(values, dict(words))


__all__ = ["codes_back", "header", "with_headers", "words_of"]
