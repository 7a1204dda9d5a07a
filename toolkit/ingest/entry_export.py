"""Entry-dashboard submissions written as ODK Central exports, so that
``fieldeval ingest`` reads, validates and checks them like any other export.

One submission per file. :func:`write_entry_submission` writes
``<directory>/<uuid>.zip``: the zip of an ODK Central export holding that
one submission (shape: toolkit.ingest.odk) —

* ``<form_id>.csv``: ``SubmissionDate`` (UTC, ISO 8601 with ``Z``, as
  Central writes it), one column per answer named by its group path joined
  with "-" (a geopoint split into ``-Latitude``/``-Longitude``/``-Altitude``/
  ``-Accuracy``), then ``meta-instanceID``, ``KEY`` (``uuid:…``),
  ``SubmitterID``, ``SubmitterName`` (who entered it), ``AttachmentsPresent``,
  ``AttachmentsExpected``, ``Status``, ``ReviewState``, ``DeviceID``,
  ``Edits``, ``FormVersion``;
* ``<form_id>-<repeat>.csv`` per repeat: the repeat's answers, then
  ``PARENT_KEY`` (the submission's KEY) and ``KEY``
  (``<KEY>/<repeat>[<n>]``, n from 1).

Why one file per submission: each save is a single atomic rename (temporary
file in the same directory, ``os.replace``), so two laptops or two browser
tabs saving at once never interleave a shared table, and a crash leaves no
half-written submission. Files are created with mode 0600 (and a new
directory with 0700): they hold a household's answers.

:func:`entry_exports` assembles every saved submission of a form into one
ODK Central zip (``<directory>/export/entry-<form_id>.zip``, rebuilt on each
call, also 0600) and returns those paths: what ``fieldeval ingest`` (or
``toolkit.ingest.pipeline.run_ingest``) is given. Submissions saved by older
versions of the entry dashboard as JSON (``<uuid>.json``: answers, repeats,
KEY, form_id, form_version, submitted_at, who) are converted into the same
export, so none is left behind. Values are written as entered (no formula
neutralising: these files are read back by ingest, whose spreadsheet
outputs are neutralised).
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError
from toolkit.forms.model import Form
from toolkit.ingest.files import zip_members
from toolkit.ingest.model import value_questions
from toolkit.vault import project_root, relative_name, seal_file

EXPORT_DIR = "export"
ODK_GEO = ("Latitude", "Longitude", "Altitude", "Accuracy")
ENTRY_SUBMITTER_ID = "entry"
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")
Rows = tuple[list[str], list[list[str]]]
"""A CSV member as (header, rows of text cells)."""


def _columns(form: Form, level: str, answers: Mapping[str, object], depth: int) -> dict[str, str]:
    """ODK Central's answer columns of one level for one record of text answers."""
    out: dict[str, str] = {}
    for q in value_questions(form, level):
        head = "-".join((*q.path[depth:], q.name))
        text = _text(answers.get(q.name))
        if q.type == "geopoint":
            parts = (text.split() + [""] * 4)[:4]
            out.update({f"{head}-{p}": v for p, v in zip(ODK_GEO, parts)})
        else:
            out[head] = text
    return out


def _text(v: object) -> str:
    if v is None or (isinstance(v, float) and v != v):  # noqa: PLR0124 - NaN check on a scalar
        return ""
    if isinstance(v, (list, tuple)):
        return " ".join(map(str, v))
    return str(v)


def _utc(ts: datetime) -> str:
    if ts.tzinfo is None:
        ts = ts.astimezone()
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def _csv(frame: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8")


def _atomic_bytes(path: Path, members: Mapping[str, bytes]) -> Path:
    """Write a zip of ``members`` to ``path`` atomically with mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # created 0600
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in members.items():
                zf.writestr(name, data)
        os.chmod(tmp, 0o600)
        seal_file(tmp, name=relative_name(path, root)) if (root := project_root(path.parent)) else None
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def submission_tables(values: Mapping[str, object], repeats: Mapping[str, Sequence[Mapping[str, object]]],
                      form: Form, *, key: str, submitted_at: datetime, submitter: str = "",
                      device: str = "") -> dict[str, pd.DataFrame]:
    """{member name: table} of the ODK Central export of one submission (module doc)."""
    root: dict[str, str] = {"SubmissionDate": _utc(submitted_at)}
    root.update(_columns(form, "", values, 0))
    root.update({"meta-instanceID": key, "KEY": key, "SubmitterID": ENTRY_SUBMITTER_ID,
                 "SubmitterName": submitter, "AttachmentsPresent": "0", "AttachmentsExpected": "0",
                 "Status": "", "ReviewState": "", "DeviceID": device or _text(values.get("deviceid")),
                 "Edits": "0", "FormVersion": form.version or ""})
    tables = {f"{form.form_id}.csv": pd.DataFrame([root], dtype=object)}
    for g in form.repeats:
        depth = len(g.path) + 1
        rows = []
        for i, rec in enumerate(repeats.get(g.name, ()) or (), start=1):
            r = _columns(form, g.name, rec, depth)
            r.update({"PARENT_KEY": key, "KEY": f"{key}/{g.name}[{i}]"})
            rows.append(r)
        heads = [*_columns(form, g.name, {}, depth), "PARENT_KEY", "KEY"]
        tables[f"{form.form_id}-{g.name}.csv"] = pd.DataFrame(rows, columns=heads, dtype=object)
    return tables


def write_entry_submission(values: Mapping[str, object], repeats: Mapping[str, Sequence[Mapping[str, object]]],
                           form: Form, directory: str | Path, *, key: str | None = None,
                           submitted_at: datetime | None = None, submitter: str = "",
                           device: str = "") -> Path:
    """Save one final submission as ``<directory>/<uuid>.zip`` (module doc).

    ``values``: top-level answers as text ({question name: text}, '' blank);
    ``repeats``: {repeat name: [answers of each instance]}; ``key``:
    ``uuid:…`` (a new one when None); ``submitted_at``: when it was
    submitted (now when None); ``submitter``/``device``: who entered it and
    on which device (the form's ``deviceid`` answer when not given).
    Returns the path written.
    """
    key = key or f"uuid:{uuid.uuid4()}"
    if not re.fullmatch(r"uuid:[0-9a-fA-F-]{8,64}", key):
        raise ValueError(f"not an instance key: {key!r}")
    when = submitted_at or datetime.now(UTC)
    tables = submission_tables(values, repeats, form, key=key, submitted_at=when, submitter=submitter,
                               device=device)
    return _atomic_bytes(Path(directory) / f"{key.split(':', 1)[1]}.zip",
                         {name: _csv(t) for name, t in tables.items()})


def _legacy_json(path: Path, forms: Mapping[str, Form] | None) -> tuple[str, dict[str, Rows]] | None:
    """A submission saved as JSON by an older entry dashboard, as export tables
    (only when its form is given, since the group paths come from the form)."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    form = (forms or {}).get(str(raw.get("form_id", "")))
    if form is None:
        return None
    at = pd.Timestamp(raw.get("submitted_at") or datetime.fromtimestamp(path.stat().st_mtime, UTC))
    tables = submission_tables(raw.get("answers", {}), raw.get("repeats", {}), form, key=str(raw["KEY"]),
                               submitted_at=at.to_pydatetime(), submitter=str(raw.get("who", "")))
    return form.form_id, {name: _rows(t) for name, t in tables.items()}


def _saved_zip(path: Path) -> tuple[str, dict[str, Rows]]:
    """(form_id, {member: (header, rows)}) of one saved submission zip (read
    with the csv module: a pandas parse per small file would dominate)."""
    tables: dict[str, Rows] = {}
    for m, raw in zip_members(path):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise UserError("ingest.unreadable", path=f"{path}!{m}", detail=str(e)) from None
        rows = list(csv.reader(io.StringIO(text)))
        if rows:
            tables[m] = (rows[0], rows[1:])
    root = next((m for m, (head, _) in tables.items() if "PARENT_KEY" not in head), None)
    if root is None:
        raise UserError("ingest.zip_no_root", path=str(path))
    return Path(root).stem, tables


def _rows(frame: pd.DataFrame) -> Rows:
    return [str(c) for c in frame.columns], frame.astype(object).where(frame.notna(), "").astype(str).values.tolist()


def _joined(parts: list[Rows]) -> bytes:
    """One CSV from several (header, rows): the union of the headers in first-seen order."""
    head: dict[str, None] = {}
    for h, _ in parts:
        head.update(dict.fromkeys(h))
    cols = list(head)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for h, rows in parts:
        if h == cols:
            w.writerows(rows)
            continue
        pos = [h.index(c) if c in h else -1 for c in cols]
        w.writerows([[r[i] if 0 <= i < len(r) else "" for i in pos] for r in rows])
    return buf.getvalue().encode("utf-8")


def entry_exports(directory: str | Path, forms: Sequence[Form] | Mapping[str, Form] | None = None,
                  form_id: str | None = None) -> list[Path]:
    """The ODK Central zips ``fieldeval ingest`` should read for the saved
    entry submissions in ``directory``: one per form, assembled from every
    ``<uuid>.zip`` (and legacy ``<uuid>.json`` when its form is among
    ``forms``), written to ``<directory>/export/entry-<form_id>.zip``.
    ``form_id`` keeps one form only. No submission saved: ``[]``."""
    d = Path(directory)
    if not d.is_dir():
        return []
    by_id = forms if isinstance(forms, Mapping) else {f.form_id: f for f in (forms or ())}
    gathered: dict[str, list[dict[str, Rows]]] = {}
    for p in sorted(d.glob("*.zip")):
        fid, tables = _saved_zip(p)
        gathered.setdefault(fid, []).append(tables)
    for p in sorted(d.glob("*.json")):
        got = _legacy_json(p, by_id)
        if got is not None:
            gathered.setdefault(got[0], []).append(got[1])
    out = []
    for fid, parts in sorted(gathered.items()):
        if form_id is not None and fid != form_id:
            continue
        members: dict[str, list[Rows]] = {}
        for tables in parts:
            for name, t in tables.items():
                members.setdefault(name, []).append(t)
        data = {name: _joined(ts) for name, ts in members.items()}
        target = d / EXPORT_DIR / f"entry-{_SAFE.sub('_', fid) or 'form'}.zip"
        out.append(_atomic_bytes(target, data))
    return out


__all__ = ["EXPORT_DIR", "entry_exports", "submission_tables", "write_entry_submission"]
