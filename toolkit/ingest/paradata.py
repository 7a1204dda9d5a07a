"""Paradata: the form's ``audit`` log (ODK Collect, KoboCollect), read from
the exports and turned into flags a field manager reads.

Where the audit logs are (looked up in ODK Central and KoboToolbox docs and
issues: getodk/central-backend#947, getodk/central#654, robotoolbox's
``kobo_audit``):

* **ODK Central, merged**: the submissions ``.csv.zip`` holds one table
  ``<form id> - audit.csv`` with every submission's events; its first column
  ``instance ID`` names the submission (our ``KEY``).
* **ODK Central, per submission** (older exports, Briefcase, attachments
  downloaded one by one): ``media/…/audit.csv``; the submission is named by
  the folder (``…/uuid:…/audit.csv``) or, failing that, the table's own
  ``instance ID`` column.
* **KoboToolbox**: the media download puts each submission's attachments in a
  folder named by its uuid (``…/attachments/…/<uuid>/audit.csv``).

Columns (ODK Collect's audit format): ``event`` (``question``, ``group
questions``, ``form start``, ``end screen`` …), ``node`` (the question's
XPath, ``/data/sec_c/inc_wage``), ``start`` and ``end`` (milliseconds since
1970), and with ``track-changes=true`` ``old-value`` and ``new-value``.
Unknown columns are ignored; a table without ``event``/``node``/``start`` is
not an audit log.

What is computed (:func:`paradata_flags`), per submission:

* seconds per section (the top-level group of the node: ``sec_c``), summed
  over ``question`` and ``group questions`` events (end − start);
* the income block (C3–C12) and the verdict block (H1–H3) answered too fast:
  seconds on the block below the sum of the answered items' ``min_seconds``
  (a column of the form's survey sheet, as SurveyCTO does);
* answers changed after the verdict block was reached: a ``question`` event
  outside the verdict block, starting after the first verdict event, whose
  ``old-value`` was not blank and differs from ``new-value``.

Audit tables are paradata, never the data: :func:`is_audit_table` tells
toolkit.ingest.odk to keep them out of the root and repeat tables.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.forms.model import Form
from toolkit.ingest.files import csv_bytes
from toolkit import safezip

AUDIT_HEADERS = {"event", "node", "start"}
INCOME_BLOCK = re.compile(r"^(inc|exp)_")
VERDICT_BLOCK = re.compile(r"^verdict_")
FLAG_COLUMNS = ("KEY", "events", "seconds", "income_seconds", "income_min_seconds", "income_fast",
                "verdict_seconds", "verdict_min_seconds", "verdict_fast", "changed_after_verdict")
_UUID = re.compile(r"(uuid:[0-9a-fA-F-]{8,}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})")


def is_audit_name(member: str) -> bool:
    """A zip member named like an audit log (``audit.csv``, ``<form> - audit.csv``)."""
    base = member.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return base == "audit.csv" or base.endswith("- audit.csv") or base.endswith("-audit.csv")


def is_audit_table(member: str, table: pd.DataFrame) -> bool:
    """An audit log: named like one and holding the audit columns (a table
    with the columns but another name is not taken for one: it stays visible
    among the tables not read)."""
    cols = {str(c).strip().lower() for c in table.columns}
    return is_audit_name(member) and AUDIT_HEADERS <= cols


def _key_of_path(member: str) -> str:
    """The submission a per-submission audit log belongs to, from its folder."""
    parts = member.replace("\\", "/").split("/")[:-1]
    for p in reversed(parts):
        m = _UUID.search(p)
        if m:
            return m.group(1) if m.group(1).startswith("uuid:") else "uuid:" + m.group(1)
    return ""


def _normalise(table: pd.DataFrame, member: str) -> pd.DataFrame:
    cols = {c: str(c).strip().lower() for c in table.columns}
    t = table.rename(columns=cols)
    key = t["instance id"].astype(str) if "instance id" in t else pd.Series(_key_of_path(member), index=t.index)
    out = pd.DataFrame({"KEY": key.to_numpy(), "event": t["event"].astype(str).str.strip().str.lower(),
                        "node": t["node"].astype(str),
                        "start": pd.to_numeric(t["start"], errors="coerce"),
                        "end": pd.to_numeric(t["end"], errors="coerce") if "end" in t else np.nan,
                        "old": t["old-value"].astype(str) if "old-value" in t else "",
                        "new": t["new-value"].astype(str) if "new-value" in t else "",
                        "file": member})
    return out


def read_audits(paths: list[Path], encoding: str = "auto") -> pd.DataFrame:
    """Every audit log in the zip inputs (module doc), one row per event:
    KEY, event, node, start, end (ms), old, new, file. Empty when none."""
    frames = []
    for path in paths:
        p = Path(path)
        if p.suffix.lower() != ".zip" or not p.is_file():
            continue
        infos = safezip.check(p)
        with zipfile.ZipFile(p) as zf:
            for info in infos:
                if info.is_dir() or not info.filename.lower().endswith(".csv") or not is_audit_name(info.filename):
                    continue
                raw = safezip.read_member(zf, info, p)
                table = csv_bytes(raw, encoding, f"{p}!{info.filename}")
                if AUDIT_HEADERS <= {str(c).strip().lower() for c in table.columns}:
                    frames.append(_normalise(table, f"{p.name}!{info.filename}"))
    if not frames:
        return pd.DataFrame(columns=["KEY", "event", "node", "start", "end", "old", "new", "file"])
    return pd.concat(frames, ignore_index=True)


def min_seconds(form_path: str | Path | None) -> dict[str, float]:
    """``min_seconds`` per question from the form's survey sheet ({} when the
    form has no such column)."""
    if not form_path or not Path(form_path).is_file() or Path(form_path).suffix.lower() not in (".xlsx", ".xls"):
        return {}
    survey = pd.read_excel(form_path, sheet_name="survey", dtype=str)
    if "min_seconds" not in survey or "name" not in survey:
        return {}
    v = pd.to_numeric(survey["min_seconds"], errors="coerce")
    ok = v.notna() & survey["name"].notna()
    return dict(zip(survey.loc[ok, "name"].astype(str), v[ok].astype(float)))


def paradata_flags(audits: pd.DataFrame, form: Form, minimum: dict[str, float] | None = None) -> pd.DataFrame:
    """Per submission with an audit log: FLAG_COLUMNS plus ``sec_<group>``
    seconds per section (module doc). Vectorised over events."""
    if not len(audits):
        return pd.DataFrame(columns=list(FLAG_COLUMNS))
    minimum = minimum or {}
    a = audits[audits["KEY"].astype(str) != ""].copy()
    a["name"] = a["node"].str.rstrip("/").str.rsplit("/", n=1).str[-1].str.replace(r"\[\d+\]$", "", regex=True)
    parts = a["node"].str.strip("/").str.split("/")
    a["section"] = parts.str[1].fillna("")
    a["secs"] = ((a["end"] - a["start"]) / 1000.0).clip(lower=0)
    timed = a[a["event"].isin(["question", "group questions"])]
    keys = pd.Index(sorted(a["KEY"].astype(str).unique()), name="KEY")
    out = pd.DataFrame(index=keys)
    out["events"] = a.groupby("KEY").size().reindex(keys).fillna(0).astype(int)
    out["seconds"] = timed.groupby("KEY")["secs"].sum().reindex(keys).fillna(0.0).round(1)
    groups = {g.name for g in form.groups} if hasattr(form, "groups") else set()
    per_sec = timed.groupby(["KEY", "section"])["secs"].sum().unstack(fill_value=0.0)
    for s in per_sec.columns:
        if s and (not groups or s in groups):
            out[f"sec_{s}" if not s.startswith("sec_") else s] = per_sec[s].reindex(keys).fillna(0.0).round(1)
    mins = timed["name"].map(minimum).astype(float)
    for block, pat in (("income", INCOME_BLOCK), ("verdict", VERDICT_BLOCK)):
        inb = timed["name"].str.match(pat)
        q = timed[inb]
        secs = q.groupby("KEY")["secs"].sum().reindex(keys)
        # each item's minimum counted once per submission (an item revisited is one item)
        need = (pd.DataFrame({"KEY": q["KEY"], "name": q["name"], "m": mins[inb]}).drop_duplicates(["KEY", "name"])
                .groupby("KEY")["m"].sum(min_count=1).reindex(keys))
        out[f"{block}_seconds"] = secs.round(1)
        out[f"{block}_min_seconds"] = need
        out[f"{block}_fast"] = np.where(secs.notna() & need.notna(), (secs < need).astype(float), np.nan)
    ver = a[a["name"].str.match(VERDICT_BLOCK)]
    first_v = ver.groupby("KEY")["start"].min()
    q = a[(a["event"] == "question") & ~a["name"].str.match(VERDICT_BLOCK)]
    q = q.assign(fv=q["KEY"].map(first_v))
    old = q["old"].fillna("").str.strip()
    changed = (q["start"] > q["fv"]) & old.ne("") & old.str.lower().ne("nan") & old.ne(q["new"].fillna("").str.strip())
    out["changed_after_verdict"] = changed.groupby(q["KEY"]).sum().reindex(keys).fillna(0).astype(int)
    return out.reset_index()


__all__ = ["FLAG_COLUMNS", "is_audit_name", "is_audit_table", "min_seconds", "paradata_flags", "read_audits"]
