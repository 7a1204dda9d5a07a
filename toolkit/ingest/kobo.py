"""KoboToolbox exports (XLSX with one sheet per repeat, or CSV of the main table).

Shape followed (KoboToolbox's export library ``kobotoolbox/formpack``, whose
test data show the flattened rows; the ``kobotoolbox/xls-import`` README on
the XLS layout; KoboToolbox help "Downloading data"):

- headers are group paths joined with ``/`` (``sec_a/archive_id``), or labels
  when the export was made "with labels";
- a select_multiple is its space-separated choice names plus one column per
  choice ``<path>/<choice>`` holding 1/0 (blank when the question was not
  answered); a geopoint is its ``"lat lon alt precision"`` text plus
  ``_<path>_latitude``, ``_longitude``, ``_altitude``, ``_precision``;
- system columns after the questions: ``__version__`` (Kobo's deployment
  id, e.g. ``vHk3…``: it changes with every redeploy and is never the
  XLSForm ``version``, so it is not compared with the form; the XLSForm
  ``version`` is read from ``_version_`` when present, else the version is
  unknown and not judged (a ``__version__`` cell equal to the form's version,
  as toolkit.ingest.writers writes it, is taken as the version)),
  ``meta/instanceID``, ``_id``, ``_uuid``, ``_submission_time``,
  ``_validation_status``, ``_notes``, ``_status``, ``_submitted_by``,
  ``_tags``, ``_index``;
- each repeat on its own sheet named after the repeat (cut to 31
  characters), with ``_index``, ``_parent_table_name``, ``_parent_index``
  (the ``_index`` of the parent row on the parent sheet) and
  ``_submission__uuid``...; CSV exports hold the main table only, comma or
  semicolon separated. A sheet of child rows (``_parent_index``) named after
no repeat of the form is listed as not read, with its rows.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import UserError
from toolkit.forms.model import Form
from toolkit.ingest.columns import apply_map, map_headers
from toolkit.ingest.files import read_tables
from toolkit.ingest.model import Submissions, as_text, build, not_read_frame

SYSTEM = ("__version__", "_version_", "meta/instanceID", "meta/instanceName", "_id", "_uuid",
          "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
          "_tags", "_index", "_parent_table_name", "_parent_index", "_submission__id",
          "_submission__uuid", "_submission__submission_time", "_submission__validation_status",
          "_submission__notes", "_submission__status", "_submission__submitted_by",
          "_submission__tags", "_attachments", "_geolocation", "formhub/uuid", "meta/rootUuid",
          "meta/deprecatedID")


def _root(table: pd.DataFrame, form: Form, name: str) -> pd.DataFrame:
    hm = map_headers(table.columns, form, "", seps="/", meta=SYSTEM)
    out = apply_map(table, hm)
    if "meta/instanceID" in table.columns and as_text(table["meta/instanceID"]).notna().all():
        out["KEY"] = table["meta/instanceID"]
    elif "_uuid" in table.columns:
        out["KEY"] = "uuid:" + as_text(table["_uuid"]).fillna("")
    else:
        raise UserError("ingest.no_key", path=name)
    if "_submission_time" in table.columns:
        out["submitted_at"] = table["_submission_time"]
    if "_version_" in table.columns:       # the XLSForm version; __version__ is Kobo's deployment id
        out["form_version"] = table["_version_"]
    elif "__version__" in table.columns and form.version:
        # a deployment id is never the form's version; a cell equal to it was written as the version
        dep = as_text(table["__version__"])
        out["form_version"] = dep.where(dep == form.version)
    if "_submitted_by" in table.columns:
        out["enumerator"] = table["_submitted_by"]
    if "_validation_status" in table.columns:  # toolkit.ingest.review_state
        out["_review_state_raw"] = table["_validation_status"]
    return out


def _sheet_for(sheets: dict[str, pd.DataFrame], repeat: str) -> str | None:
    for s in sheets:
        if s == repeat or s == repeat[:31]:
            return s
    return None


def read_kobo(path: Path, form: Form, encoding: str = "auto") -> Submissions:
    """A KoboToolbox XLSX (main sheet first, repeats after) or CSV export."""
    sheets = read_tables(path, encoding)
    names = list(sheets)
    main_sheet = names[0]
    table = sheets[main_sheet].reset_index(drop=True)
    main = _root(table, form, str(path))
    # _index of each table -> KEY, to link children through _parent_index
    key_of: dict[str, pd.Series] = {}
    idx = (pd.to_numeric(table["_index"], errors="coerce") if "_index" in table.columns
           else pd.Series(np.arange(1, len(table) + 1)))
    key_of[main_sheet] = pd.Series(as_text(main["KEY"]).to_numpy(), index=idx.to_numpy())
    repeats: dict[str, pd.DataFrame] = {}
    for g in form.repeats:
        sname = _sheet_for(sheets, g.name)
        if sname is None:
            continue
        t = sheets[sname].reset_index(drop=True)
        hm = map_headers(t.columns, form, g.name, seps="/", meta=SYSTEM)
        raw = apply_map(t, hm)
        parent_sheet = as_text(t["_parent_table_name"]).fillna(main_sheet) \
            if "_parent_table_name" in t.columns else pd.Series([main_sheet] * len(t))
        pidx = pd.to_numeric(t["_parent_index"], errors="coerce")
        pk = np.full(len(t), None, dtype=object)
        for ps in pd.unique(parent_sheet):
            lookup = key_of.get(ps) if ps in key_of else key_of.get(_sheet_for(sheets, ps) or "", None)
            if lookup is None:
                lookup = key_of[main_sheet]
            m = (parent_sheet == ps).to_numpy()
            pk[m] = lookup.reindex(pidx[m].to_numpy()).to_numpy()
        raw["PARENT_KEY"] = pk
        order = pd.Series(pk).groupby(pd.Series(pk).fillna(""), sort=False).cumcount() + 1
        raw["index"] = order.to_numpy()
        raw["KEY"] = (pd.Series(pk, dtype=object).fillna("") + f"/{g.name}[" +
                      order.astype(str).to_numpy() + "]").to_numpy()
        repeats[g.name] = raw
        own = (pd.to_numeric(t["_index"], errors="coerce") if "_index" in t.columns
               else pd.Series(np.arange(1, len(t) + 1)))
        key_of[sname] = pd.Series(raw["KEY"].to_numpy(), index=own.to_numpy())
    used = {main_sheet} | {_sheet_for(sheets, g.name) for g in form.repeats}
    skipped = [(f"{path.name}!{s}", len(t), "unknown_repeat", "repeat") for s, t in sheets.items()
               if s not in used and "_parent_index" in t.columns]
    return build(form, main, repeats, platform="kobo", source_file=path.name,
                 source_row=np.arange(2, len(main) + 2), not_read=not_read_frame(skipped))
