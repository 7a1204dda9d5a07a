"""ODK Central exports: the root CSV, and the zip holding it with one CSV per repeat.

Shape followed (ODK Central "Downloading submissions" docs,
docs.getodk.org/central-submissions; ruODK's ``submission_export`` notes;
ODK Briefcase's CSV format that Central kept, getodk/briefcase issue 646 on
repeat keys):

- root file ``<form_id>.csv``: ``SubmissionDate`` first, then one column per
  field named by its group path joined with ``-`` (``sec_a-archive_id``);
  a geopoint is split into ``<path>-Latitude``, ``-Longitude``, ``-Altitude``,
  ``-Accuracy``; a select_multiple is its space-separated choice names (with
  "split select multiples", extra 0/1 columns ``<path>/<choice>`` built from
  the values actually chosen); then ``meta-instanceID``, ``KEY``,
  ``SubmitterID``, ``SubmitterName``, ``AttachmentsPresent``,
  ``AttachmentsExpected``, ``Status``, ``ReviewState``, ``DeviceID``,
  ``Edits``, ``FormVersion``;
- repeat file ``<form_id>-<repeat>.csv`` (nested: ``<form_id>-<outer>-<inner>.csv``
  or the repeat name alone): the repeat's fields, then ``PARENT_KEY`` (the
  submission's KEY, or the enclosing repeat row's KEY) and ``KEY``
  (``<parent key>/<repeat>[<n>]``, n 1-based).

A zip is read whole: every root table of this form (a split export gives
several), every repeat table, placed by file name, else by its KEY values,
else by its headers; a member named twice is read twice (its rows then show as
duplicate keys). What cannot be placed is listed in ``Submissions.not_read``
with its row count. Attachments under ``media/`` (photos, per-submission
``audit.csv``) and the merged ``<form id> - audit.csv`` are never taken for a
data table: the audit logs are paradata (toolkit.ingest.paradata).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import UserError
from toolkit.forms.model import Form
from toolkit.ingest.columns import CONFLICTS, apply_map, map_headers
from toolkit.ingest.files import csv_bytes, read_csv, zip_members, zip_other_tables
from toolkit.ingest.model import Submissions, build, not_read_frame
from toolkit.ingest.paradata import is_audit_table

META = {"SubmissionDate": "submitted_at", "SubmitterName": "enumerator", "DeviceID": "device_id",
        "FormVersion": "form_version", "ReviewState": "_review_state_raw"}
SYSTEM = ("SubmissionDate", "meta-instanceID", "KEY", "SubmitterID", "SubmitterName",
          "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID",
          "Edits", "FormVersion", "PARENT_KEY", "meta-instanceName", "instanceID")
_INDEX = re.compile(r"\[(\d+)\]$")


def _root(table: pd.DataFrame, form: Form) -> pd.DataFrame:
    hm = map_headers(table.columns, form, "", seps="-", meta=SYSTEM)
    out = apply_map(table, hm)
    if "KEY" in table.columns:
        out["KEY"] = table["KEY"]
    elif "meta-instanceID" in table.columns:
        out["KEY"] = table["meta-instanceID"]
    else:
        raise UserError("ingest.no_key", path=form.form_id)
    for src, dst in META.items():
        if src in table.columns:
            out[dst] = table[src]
    return out


def _repeat(table: pd.DataFrame, form: Form, name: str) -> pd.DataFrame:
    hm = map_headers(table.columns, form, name, seps="-/", meta=SYSTEM)
    out = apply_map(table, hm)
    out["PARENT_KEY"] = table["PARENT_KEY"]
    if "KEY" in table.columns:
        out["KEY"] = table["KEY"]
        idx = table["KEY"].astype(str).str.extract(_INDEX, expand=False)
        out["index"] = pd.to_numeric(idx, errors="coerce")
    return out


def _repeat_name(member: str, form: Form) -> str | None:
    stem = Path(member.split(" (")[0]).stem
    names = [g.name for g in form.repeats]
    for n in sorted(names, key=len, reverse=True):
        if stem == n or stem.endswith(("-" + n, "_" + n)):
            return n
    return None


_KEY_REPEAT = re.compile(r"/([^/\[\]]+)\[\d+\]$")


def identify_repeat(member: str, table: pd.DataFrame, form: Form) -> str | None:
    """Which repeat of ``form`` a table with ``PARENT_KEY`` holds: by its file
    name (``<form>-<repeat>.csv``); failing that by its ``KEY`` values, which
    end in ``/<repeat>[n]``; failing that by its headers (the repeat whose
    questions most of its columns name). None when nothing says."""
    names = {g.name for g in form.repeats}
    by_name = _repeat_name(member, form)
    if by_name is not None:
        return by_name
    if "KEY" in table.columns and len(table):
        found = table["KEY"].astype(str).str.extract(_KEY_REPEAT, expand=False).dropna()
        if len(found):
            top = found.value_counts().index[0]
            if top in names:
                return str(top)
    scores = {g.name: len(map_headers(table.columns, form, g.name, seps="-/", meta=SYSTEM).direct)
              for g in form.repeats}
    best = max(scores.values(), default=0)
    winners = [n for n, v in scores.items() if v == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def _is_this_form(table: pd.DataFrame, form: Form) -> bool:
    """A root table belongs to ``form`` when some header names one of its top-level questions."""
    hm = map_headers(table.columns, form, "", seps="-", meta=SYSTEM)
    return bool(hm.direct or hm.onehot)


def _read_zip(path: Path, form: Form, encoding: str) -> Submissions:
    """Every CSV of an ODK Central zip: each root table of this form (stacked,
    each row keeping its member name), each repeat table (by file name, KEY or
    headers; several tables of one repeat stacked). A table that cannot be
    placed is listed in ``not_read`` with its row count, never dropped silently."""
    roots: list[tuple[str, pd.DataFrame]] = []
    repeats: dict[str, list[pd.DataFrame]] = {}
    skipped: list[tuple[str, int, str, str]] = []
    for m, raw in zip_members(path):
        t = csv_bytes(raw, encoding, f"{path}!{m}")
        where = f"{path.name}!{m}"
        if is_audit_table(m, t):   # paradata (toolkit.ingest.paradata reads it), never the data
            continue
        if "PARENT_KEY" in t.columns:
            rn = identify_repeat(m, t, form)
            if rn is None:
                skipped.append((where, len(t), "unknown_repeat", "repeat"))
            else:
                repeats.setdefault(rn, []).append(_repeat(t, form, rn))
        elif _is_this_form(t, form) or not [q for q in form.questions if not q.repeat]:
            roots.append((where, t))
        else:
            skipped.append((where, len(t), "not_this_form", ""))
    skipped += [(f"{path.name}!{m}", 0, "not_csv", "") for m in zip_other_tables(path)]
    if not roots:
        raise UserError("ingest.zip_no_root", path=str(path))
    mains = [_root(t, form) for _, t in roots]
    main = _stack(mains)
    files = [w for w, t in roots for _ in range(len(t))]
    rows = np.concatenate([np.arange(2, len(t) + 2) for _, t in roots])
    reps = {n: _stack(fs) for n, fs in repeats.items()}
    return build(form, main, reps, platform="odk", source_file=files if len(roots) > 1 else roots[0][0],
                 source_row=rows, not_read=not_read_frame(skipped))


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Tables of one level, one after the other, keeping each one's duplicate-column
    conflicts (their row positions shifted to the stacked rows)."""
    if len(frames) == 1:
        return frames[0]
    out = pd.concat(frames, ignore_index=True)
    found, offset = [], 0
    for f in frames:
        found += [(pos + offset, fld, val) for pos, fld, val in f.attrs.get(CONFLICTS, ())]
        offset += len(f)
    out.attrs = {CONFLICTS: tuple(found)} if found else {}
    return out


def read_odk(path: Path, form: Form, encoding: str = "auto") -> Submissions:
    """An ODK Central CSV (root table only) or zip (root + repeat CSVs)."""
    if path.suffix.lower() == ".zip":
        return _read_zip(path, form, encoding)
    root = read_csv(path, encoding)
    main = _root(root, form)
    return build(form, main, {}, platform="odk", source_file=path.name,
                 source_row=np.arange(2, len(main) + 2))


def read_odk_repeat_csv(path: Path, form: Form, encoding: str = "auto") -> tuple[str, pd.DataFrame]:
    """A lone repeat CSV given beside its root CSV: (repeat name, raw table)."""
    t = read_csv(path, encoding)
    name = identify_repeat(path.name, t, form)
    if name is None:
        raise UserError("ingest.unknown_repeat_file", path=str(path))
    return name, _repeat(t, form, name)
