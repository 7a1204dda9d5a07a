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
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import UserError
from toolkit.forms.model import Form
from toolkit.ingest.columns import apply_map, map_headers
from toolkit.ingest.files import csv_bytes, read_csv, zip_members
from toolkit.ingest.model import Submissions, build

META = {"SubmissionDate": "submitted_at", "SubmitterName": "enumerator", "DeviceID": "device_id",
        "FormVersion": "form_version"}
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
    stem = Path(member).stem
    names = [g.name for g in form.repeats]
    for n in sorted(names, key=len, reverse=True):
        if stem == n or stem.endswith("-" + n) or stem.endswith("_" + n):
            return n
    return None


def read_odk(path: Path, form: Form, encoding: str = "auto") -> Submissions:
    """An ODK Central CSV (root table only) or zip (root + repeat CSVs)."""
    if path.suffix.lower() == ".zip":
        members = zip_members(path)
        root_name = None
        repeats: dict[str, pd.DataFrame] = {}
        tables = {m: csv_bytes(b, encoding, f"{path}!{m}") for m, b in members.items()}
        for m, t in tables.items():
            if "PARENT_KEY" in t.columns:
                rn = _repeat_name(m, form)
                if rn is None:
                    continue
                repeats[rn] = _repeat(t, form, rn)
            elif root_name is None or Path(m).stem == form.form_id:
                root_name = m
        if root_name is None:
            raise UserError("ingest.zip_no_root", path=str(path))
        root = tables[root_name]
        source = f"{path.name}!{root_name}"
    else:
        root = read_csv(path, encoding)
        repeats = {}
        source = path.name
    main = _root(root, form)
    return build(form, main, repeats, platform="odk", source_file=source,
                 source_row=np.arange(2, len(main) + 2))


def read_odk_repeat_csv(path: Path, form: Form, encoding: str = "auto") -> tuple[str, pd.DataFrame]:
    """A lone repeat CSV given beside its root CSV: (repeat name, raw table)."""
    t = read_csv(path, encoding)
    name = _repeat_name(path.name, form)
    if name is None:
        raise UserError("ingest.unknown_repeat_file", path=str(path))
    return name, _repeat(t, form, name)
