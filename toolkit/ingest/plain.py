"""Plain CSV and Excel: hand-typed sheets and the "fieldeval plain workbook".

Shape (our own, agreed with the synthetic visit generator): sheet 1 holds
one row per submission, headers are question names or labels (either
language, with or without the paper code), ``KEY`` and ``form_version``
included; meta columns may use our names (``submitted_at``, ``enumerator``,
``device_id``); a geopoint is either its ``"lat lon alt acc"`` text or four
``<name>_latitude/_longitude/_altitude/_accuracy`` columns; a select_multiple
is space-separated names or one-hot ``<name>/<choice>`` columns. Each repeat
is a further sheet named after the repeat group, with ``PARENT_KEY`` (the
submission's KEY), ``KEY`` and the repeat's question names as headers. A
CSV holds the main table only. A further sheet with ``PARENT_KEY`` under
another name is placed by its KEY values or headers, or listed as not read. Without a ``KEY`` column the key is made from
the file name and row (``<file>#<row>``) so every row stays traceable.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.forms.model import Form
from toolkit.ingest.columns import apply_map, map_headers
from toolkit.ingest.files import read_tables
from toolkit.ingest.model import META_COLUMNS, Submissions, build, not_read_frame
from toolkit.ingest.odk import identify_repeat

KEY_ALIASES = ("KEY", "key", "instanceID", "meta/instanceID", "meta-instanceID", "_uuid", "uuid")
META_ALIASES = {
    "form_version": ("form_version", "FormVersion", "__version__", "version"),
    "submitted_at": ("submitted_at", "SubmissionDate", "_submission_time"),
    "enumerator": ("enumerator", "SubmitterName", "_submitted_by"),
    "device_id": ("device_id", "DeviceID"),
}
SYSTEM = KEY_ALIASES + tuple(a for v in META_ALIASES.values() for a in v) + (
    "PARENT_KEY", "index", "source_platform", "source_file", "source_row", "_status")


def main_table(table: pd.DataFrame, form: Form, name: str) -> pd.DataFrame:
    """Question-named main table with KEY and meta columns from a plain sheet."""
    table = table.reset_index(drop=True)
    hm = map_headers(table.columns, form, "", meta=SYSTEM)
    out = apply_map(table, hm)
    key = next((k for k in KEY_ALIASES if k in table.columns), None)
    if key is not None:
        out["KEY"] = table[key]
    else:
        out["KEY"] = [f"{name}#{i}" for i in range(2, len(table) + 2)]
    for meta, aliases in META_ALIASES.items():
        for a in aliases:
            if a in table.columns and a not in hm.direct:
                out[meta] = table[a]
                break
    return out


def repeat_table(table: pd.DataFrame, form: Form, repeat: str) -> pd.DataFrame:
    table = table.reset_index(drop=True)
    hm = map_headers(table.columns, form, repeat, meta=SYSTEM)
    out = apply_map(table, hm)
    out["PARENT_KEY"] = table["PARENT_KEY"]
    if "KEY" in table.columns:
        out["KEY"] = table["KEY"]
    if "index" in table.columns:
        out["index"] = table["index"]
    return out


def read_plain(path: Path, form: Form, encoding: str = "auto") -> Submissions:
    """A plain CSV (main table) or workbook (main sheet + one sheet per repeat)."""
    sheets = read_tables(path, encoding)
    first = next(iter(sheets))
    main = main_table(sheets[first], form, path.name)
    repeats = {}
    used = {first}
    for g in form.repeats:
        for s, t in sheets.items():
            if s != first and s in (g.name, g.name[:31]) and "PARENT_KEY" in t.columns:
                repeats[g.name] = repeat_table(t, form, g.name)
                used.add(s)
    # a further sheet of rows with PARENT_KEY under another name: placed by its
    # KEY values or headers, else reported as not read (with its rows)
    skipped = []
    for s, t in sheets.items():
        if s in used or "PARENT_KEY" not in t.columns:
            continue
        name = identify_repeat(s, t, form)
        if name is not None and name not in repeats:
            repeats[name] = repeat_table(t, form, name)
        else:
            skipped.append((f"{path.name}!{s}", len(t), "unknown_repeat", "repeat"))
    return build(form, main, repeats, platform="plain", source_file=path.name,
                 source_row=np.arange(2, len(main) + 2), not_read=not_read_frame(skipped))


__all__ = ["META_COLUMNS", "main_table", "read_plain", "repeat_table"]
