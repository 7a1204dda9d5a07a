"""SPSS .sav/.zsav and Stata .dta files (through pyreadstat / ReadStat).

Shape followed: the SPSS system-file and Stata dta format descriptions as
implemented by ReadStat (WizardMac/ReadStat; pyreadstat's docs on
``user_missing``, ``apply_value_formats`` and ``encoding``), and the usual
layout of survey files exported from ODK/Kobo/SurveyCTO by Stata/SPSS users:
one variable per question name; select_one as a numeric code with value
labels (or as text); select_multiple as its space-separated text or one 0/1
dummy per choice (``<name>_<choice>``); geopoint as four
``<name>_latitude/_longitude/_altitude/_accuracy`` numbers.

- Value labels map a code back to its choice name by the label (in any
  form language, with or without the paper code) or by the code itself when
  choice names are numbers (``sat5``: 1-5, 8, 9). A code with no label and no
  matching choice stays as its number, so validation reports it.
- User-missing codes (SPSS missing values, Stata ``.a``-``.z``) are read as
  the codes they are (``user_missing=True``), never turned into blanks.
- Text: .sav files name their encoding (UTF-8 when written by us); Stata
  before version 14 (dta 118) has none, and Chinese files are GBK. With
  ``encoding="auto"`` an old dta is read as its declared bytes, and if the
  text comes out garbled, as GB18030; a given encoding is used as is. Either
  way text that comes out garbled (乱码) is refused with a UserError, never
  accepted.
- Several files: a file holding ``PARENT_KEY`` is a repeat table (named
  ``<anything>_<repeat>`` or ``<repeat>``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from toolkit.errors import UserError
from toolkit.forms.model import Form
from toolkit.ingest.columns import _CODE
from toolkit.ingest.model import Submissions, _clean_cell, build, not_read_frame, value_questions
from toolkit.ingest.plain import main_table, repeat_table
from toolkit.roster.encoding import find_garbled

GARBLE_SAMPLE = 5000   # distinct text values per column checked for garbling


def dta_version(path: Path) -> int:
    """The dta format number (114, 115, 117, 118, 119) from the first bytes."""
    with open(path, "rb") as f:
        head = f.read(64)
    if head.startswith(b"<stata_dta>"):
        i = head.find(b"<release>")
        return int(head[i + 9:i + 12]) if i >= 0 else 117
    return head[0] if head else 0


PARALLEL_CELLS = 5_000_000
"""With ``FIELDEVAL_SAV_PROCESSES=N`` (N > 1) set, a .sav of at least this
many cells (rows × variables) is read by row ranges in N processes
(pyreadstat.read_file_multiprocessing, at most the machine's cores). Off by
default: on the shared 2-core machine the parallel read of 100,000 × 306 was
no faster (the row blocks are pickled back to this process; docs/performance.md)."""


def _workers(path: Path, fn: object) -> int:
    """How many processes read ``path`` (1: read here)."""
    import os

    try:
        wanted = int(os.environ.get("FIELDEVAL_SAV_PROCESSES", "1"))
    except ValueError:
        wanted = 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if fn is not pyreadstat.read_sav or wanted < 2 or cores < 2:
        return 1
    try:
        meta = pyreadstat.read_sav(str(path), metadataonly=True)[1]
    except Exception:  # noqa: BLE001 - the full read below names the problem
        return 1
    rows, cols = meta.number_rows or 0, meta.number_columns or 0
    return min(wanted, cores) if rows * cols >= PARALLEL_CELLS and rows >= 1000 else 1


def _read(path: Path, encoding: str | None) -> tuple[pd.DataFrame, object]:
    fn = pyreadstat.read_dta if path.suffix.lower() == ".dta" else pyreadstat.read_sav
    try:
        n = _workers(path, fn)
        if n > 1:
            return pyreadstat.read_file_multiprocessing(fn, str(path), num_processes=n, apply_value_formats=False,
                                                        user_missing=True, encoding=encoding)
        return fn(str(path), apply_value_formats=False, user_missing=True, encoding=encoding)
    except pyreadstat.ReadstatError as e:
        msg = str(e)
        if "encod" in msg.lower() or "convert" in msg.lower() or "iconv" in msg.lower():
            raise UserError("ingest.undecodable_binary", path=str(path),
                            encoding=encoding or "default") from None
        raise UserError("ingest.unreadable", path=str(path), detail=msg) from None
    except (OSError, pyreadstat.PyreadstatError) as e:  # type: ignore[attr-defined]
        raise UserError("ingest.unreadable", path=str(path), detail=str(e)) from None


def _non_ascii(s: pd.Series) -> list[str]:
    """The first GARBLE_SAMPLE distinct values of a text column, those with
    non-ASCII characters only, newlines as spaces (whole-column Arrow calls:
    an ASCII-only column, the usual ID or code, gives no Python string at all)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    u = pd.unique(s.dropna().astype(str))[:GARBLE_SAMPLE]
    if not len(u):
        return []
    try:
        arr = pa.array(u)   # an Arrow-backed column's distinct values are handed over as they are
        if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
            raise pa.ArrowTypeError(str(arr.type))
    except (pa.ArrowInvalid, pa.ArrowTypeError):   # not text after all: as before, value by value
        return [x.replace("\n", " ") for x in np.asarray(u, dtype=object) if x and not x.isascii()]
    keep = pc.invert(pc.string_is_ascii(arr))
    picked = pc.filter(arr, keep)
    if not len(picked):
        return []
    return pc.replace_substring(picked, "\n", " ").to_pylist()


def _garbled_sample(df: pd.DataFrame, meta: object) -> str | None:
    """A sample of garbled text among string cells and labels, or None."""
    texts: list[str] = []
    for c in df.columns:
        s = df[c]
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            texts.extend(_non_ascii(s))
    for lab in (getattr(meta, "column_labels", None) or []):
        if lab and not lab.isascii():
            texts.append(lab.replace("\n", " "))
    for labels in (getattr(meta, "variable_value_labels", None) or {}).values():
        texts.extend(str(v).replace("\n", " ") for v in labels.values() if not str(v).isascii())
    g = find_garbled("\n".join(texts)) if texts else None
    return g.sample if g is not None else None


def read_table(path: Path, encoding: str = "auto") -> tuple[pd.DataFrame, object, str]:
    """(data with codes, metadata, encoding used) with the garbled-text check."""
    if not path.exists():
        raise UserError("common.file_not_found", path=str(path))
    given = None if encoding in ("auto", "", None) else encoding
    old_dta = path.suffix.lower() == ".dta" and dta_version(path) < 118
    if given is None and old_dta:
        try:
            df, meta = _read(path, None)
            bad = _garbled_sample(df, meta)
        except UserError:
            bad = "?"
        if bad is None:
            return df, meta, "default"
        df, meta = _read(path, "GB18030")
        bad = _garbled_sample(df, meta)
        if bad is not None:
            raise UserError("ingest.garbled_binary", path=str(path), encoding="GB18030", sample=bad)
        return df, meta, "GB18030"
    df, meta = _read(path, given)
    bad = _garbled_sample(df, meta)
    if bad is not None:
        raise UserError("ingest.garbled_binary", path=str(path), encoding=given or "default", sample=bad)
    return df, meta, given or getattr(meta, "file_encoding", "") or "default"


def _choice_lookup(form: Form, list_name: str) -> dict[str, str]:
    """{label or name (any language, with/without paper code): choice name}."""
    out: dict[str, str] = {}
    for c in form.choices.get(list_name, ()):
        out.setdefault(c.name, c.name)
        for text in c.labels.values():
            for v in (text.strip(), _CODE.sub("", text).strip()):
                if v:
                    out.setdefault(v, c.name)
    return out


def _code_text(u: object) -> str | None:
    """A code as as_text shows it (1.0 -> '1', 2.5 -> '2.5'); the per-distinct-value twin of as_text."""
    if isinstance(u, (float, np.floating)):
        f = float(u)
        if f != f:
            return None
        return str(int(f)) if f.is_integer() else repr(f)
    return _clean_cell(u)   # type: ignore[return-value]


def _label_names(uniq: list, labels: dict, lookup: dict[str, str], names: set[str]) -> list[str | None]:
    """The choice name of each distinct code (module doc: by code, then by label)."""
    mapped: list[str | None] = []
    for u in uniq:   # one pass per distinct code (a few)
        code_txt = _code_text(u)
        key = float(u) if isinstance(u, (int, float, np.integer, np.floating)) else u
        lab = labels.get(key, labels.get(u))
        if code_txt in names:
            mapped.append(code_txt)
        elif lab is not None and str(lab).strip() in lookup:
            mapped.append(lookup[str(lab).strip()])
        elif lab is not None and _CODE.sub("", str(lab)).strip() in lookup:
            mapped.append(lookup[_CODE.sub("", str(lab)).strip()])
        else:
            mapped.append(code_txt)
    return mapped


def decode_labels(df: pd.DataFrame, meta: object, form: Form) -> pd.DataFrame:
    """Select columns with value labels: codes -> choice names, as a categorical.

    Whole-column work only: the codes are factorised once (numpy array, no
    Series per step), each distinct code is looked up once, and the column
    becomes ``Categorical.from_codes`` (row codes stay ints; typing reads
    the few categories only). All replaced columns are set in one step.
    """
    vvl: dict = getattr(meta, "variable_value_labels", None) or {}
    selects = {q.name: q for q in form.questions if q.is_select}
    new: dict[str, pd.Categorical] = {}
    for col, labels in vvl.items():
        q = selects.get(col)
        if q is None or col not in df.columns:
            continue
        lookup = _choice_lookup(form, q.list_name)
        names = {c.name for c in form.choices.get(q.list_name, ())}
        s = df[col]
        if pd.api.types.is_float_dtype(s.dtype):
            codes, uniq = pd.factorize(s.to_numpy(dtype=float, na_value=np.nan))
        else:
            codes, uniq = pd.factorize(s)
        mapped = _label_names(list(np.asarray(uniq, dtype=object)), labels, lookup, names)
        first: dict[str, int] = {}
        to_name = np.array([first.setdefault(m, len(first)) if m is not None else -1 for m in mapped],
                           dtype=np.int64)
        cat_codes = np.where(codes >= 0, to_name[np.maximum(codes, 0)], -1) if len(to_name) else \
            np.full(len(codes), -1, dtype=np.int64)
        cats = np.empty(len(first), dtype=object)
        cats[:] = list(first)
        new[col] = pd.Categorical.from_codes(cat_codes, categories=pd.Index(cats, dtype=object))
    if not new:
        return df
    out = df.copy(deep=False)
    for col, cat in new.items():
        out[col] = pd.Series(cat, index=df.index)
    return out


def _repeat_of(path: Path, form: Form, df: pd.DataFrame) -> str | None:
    stem = path.stem
    for g in sorted(form.repeats, key=lambda g: len(g.name), reverse=True):
        if stem == g.name or stem.endswith("_" + g.name) or stem.endswith("-" + g.name):
            return g.name
    best, hits = None, 0
    for g in form.repeats:
        n = sum(q.name in df.columns for q in value_questions(form, g.name))
        if n > hits:
            best, hits = g.name, n
    return best


def read_stats(paths: list[Path], form: Form, encoding: str = "auto") -> Submissions:
    """One or more .sav/.dta files: the main table and, optionally, repeat tables."""
    main = None
    main_path = None
    repeats: dict[str, pd.DataFrame] = {}
    skipped: list[tuple[str, int, str, str]] = []
    platform = "spss"
    for p in paths:
        df, meta, _enc = read_table(p, encoding)
        df = decode_labels(df, meta, form)
        if "PARENT_KEY" in df.columns:
            name = _repeat_of(p, form, df)
            if name is None:      # never dropped silently: reported with its rows
                skipped.append((p.name, len(df), "unknown_repeat", "repeat"))
            elif name in repeats:  # a second file of the same repeat: stacked, not overwritten
                repeats[name] = pd.concat([repeats[name], repeat_table(df, form, name)], ignore_index=True)
            else:
                repeats[name] = repeat_table(df, form, name)
            continue
        if main is not None:
            raise UserError("ingest.two_main_files", path=str(p), other=str(main_path))
        main, main_path = main_table(df, form, p.name), p
        platform = "stata" if p.suffix.lower() == ".dta" else "spss"
    if main is None:
        raise UserError("ingest.no_main_file", path=", ".join(map(str, paths)))
    return build(form, main, repeats, platform=platform, source_file=main_path.name,
                 source_row=np.arange(1, len(main) + 1), not_read=not_read_frame(skipped))
