"""``sample.csv``, ``reserves.csv`` and ``psus.csv``: the drawn sample in words, read back as codes.

These files are opened by people (the evaluator checks the draw in Excel)
and read back by the toolkit (verify, ``fieldeval sample verify``). They are
written in words — headers ``words2.col.*`` in the draw's language, the list
(名单来源) as 档案户 / 对照户（未建档）, a stratum as "包河区 · 档案户" (the
report's :func:`toolkit.report.content.stratum_label`), true/false as 是/否 —
and :func:`read_sample_table` turns either language's words (or an older
code-headed file) back into the machine columns. Probabilities and weights
keep their full precision.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.i18n import LANGS, t
from toolkit.labels import map_words, yes_no
from toolkit.worded import codes_back, with_headers

SOURCES = ("roster", "comparison")
CODES = ("archive_id", "stratum", "psu", "pi", "weight", "pi1", "pi2", "rank", "source", "reserve_rank",
         "households", "size", "certainty", "selected", "m")
_JOIN = " · "


def stratum_words(strata: pd.Series, lang: str = "zh") -> pd.Series:
    """"roster|包河区" → "包河区 · 档案户"; a stratum without a list prefix as it is."""
    s = strata.astype(object).where(strata.notna(), "").astype(str)
    if not len(s):
        return s.astype(object)
    parts = s.str.partition("|")
    has = parts[0].isin(SOURCES) & (parts[2] != "")
    words = parts[0].map({src: t(f"words2.source.{src}", lang) for src in SOURCES})
    return pd.Series(np.where(has, parts[2] + _JOIN + words.fillna(""), s), index=s.index, dtype=object)


class StratumWords(str):
    """A stratum label that an error message shows in words (toolkit.errors
    calls :meth:`words` with the message's language); otherwise the label itself."""

    def words(self, lang: str | None = None) -> str:
        return str(stratum_words(pd.Series([str(self)], dtype=object), lang or "zh").iat[0])


def _stratum_codes(strata: pd.Series) -> pd.Series:
    """The inverse of :func:`stratum_words` (either language)."""
    s = strata.astype(object).where(strata.notna(), "").astype(str)
    if not len(s):
        return s.astype(object)
    parts = s.str.rpartition(_JOIN)   # columns 0, 1, 2 (a transpose of the frame cost seconds at 15,000 rows)
    head, tail = parts[0].to_numpy(), parts[2].to_numpy()
    back = {t(f"words2.source.{src}", lang): src for src in SOURCES for lang in LANGS}
    src = pd.Series(tail, index=s.index).map(back)
    ok = src.notna().to_numpy() & (pd.Series(head, index=s.index) != "").to_numpy()
    return pd.Series(np.where(ok, src.fillna("") + "|" + pd.Series(head, index=s.index), s), index=s.index,
                     dtype=object)


def sample_words(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """A units / reserves / PSU frame as a person reads it (module doc)."""
    out = frame.copy()
    if "stratum" in out:
        out["stratum"] = stratum_words(out["stratum"], lang)
    if "source" in out:
        out["source"] = map_words(out["source"], {s: t(f"words2.source.{s}", lang) for s in SOURCES})
    for c in ("certainty", "selected"):
        if c in out:
            out[c] = yes_no(out[c], lang)
    return with_headers(out, lang)


def write_sample_table(frame: pd.DataFrame, path: str | Path, lang: str = "zh") -> Path:
    """Write one of the three files in words (atomic, formula-safe: toolkit.tables)."""
    from toolkit.tables import write_table

    return write_table(sample_words(frame, lang), path)


def read_sample_table(path: str | Path) -> pd.DataFrame:
    """One of the three files with its machine columns and codes (module doc);
    ids, strata and PSUs as text, blanks as ''."""
    from toolkit.vault import source   # the sample stage is encrypted when the project has a key

    raw = pd.read_csv(source(path), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    f = codes_back(raw, CODES)
    if "stratum" in f:
        f["stratum"] = _stratum_codes(f["stratum"])
    if "source" in f:
        back = {t(f"words2.source.{s}", lang): s for s in SOURCES for lang in LANGS}
        f["source"] = f["source"].map(lambda v: back.get(v, v))
    for c in ("certainty", "selected"):
        if c in f:
            yes = {t("labels.yes", lang) for lang in LANGS} | {"True", "true"}
            f[c] = f[c].isin(yes)
    for c in ("pi", "weight", "pi1", "pi2", "size"):
        if c in f:
            f[c] = pd.to_numeric(f[c], errors="coerce")
    for c in ("rank", "reserve_rank", "households", "m"):
        if c in f:
            n = pd.to_numeric(f[c], errors="coerce")
            f[c] = n.astype("int64") if n.notna().all() else n.astype("Int64")
    return f


__all__ = ["StratumWords", "read_sample_table", "sample_words", "stratum_words", "write_sample_table"]
