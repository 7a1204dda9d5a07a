"""The checklist's and the forums' entries in the evaluation store (0004_checklist).

Both tables are only ever added to, like the evaluators' submission
reviews: an assessment saved again with other values is a new entry with
who and when (and an audit-log entry in the same transaction); the latest
entry per key counts; saving the same values again adds nothing (so
importing an unchanged workbook twice is a no-op). Entries belong to the
project's current round (``Project.current_round``).

Reading never creates the store: with no store file yet, or no such round,
the frames are empty (with their columns).
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from toolkit.store import frames as F
from toolkit.store import schema as S

ENTRY_VALUES = ["status", "document", "page", "photo", "note"]
ENTRY_COLUMNS = ["county", "item_id", *ENTRY_VALUES, "who", "at"]
STATEMENT_VALUES = ["county", "held_on", "roles", "aspect", "finding_type", "stance", "text"]
STATEMENT_COLUMNS = ["forum_id", "seq", *STATEMENT_VALUES, "who", "at"]


def _exists(evaluation: object) -> bool:
    from toolkit.store.connect import resolve_url

    url = resolve_url(evaluation)
    return not (url.drivername.startswith("sqlite") and url.database and not Path(url.database).exists())


def _text(s: pd.Series) -> pd.Series:
    """Text cells as str, blank and missing as None; long digit runs masked."""
    out = s.astype(object).where(s.notna(), None).map(lambda v: None if v is None or not str(v).strip()
                                                     else str(v).strip())
    return F.mask_digits(out).where(out.notna(), None)


def _changed(new: pd.DataFrame, old: pd.DataFrame, key: list[str], values: list[str]) -> pd.Series:
    """True for rows of ``new`` that are not already the latest stored values."""
    if not len(old):
        return pd.Series(True, index=new.index)
    canon = lambda f: f.apply(lambda s: s.map(F.canon)).astype(object)  # noqa: E731
    a = canon(new[key + values])
    b = canon(old[key + values]).drop_duplicates(key, keep="last")
    m = a.reset_index().merge(b, on=key, how="left", suffixes=("", "_old"), indicator=True).set_index("index")
    diff = m["_merge"].eq("left_only")
    for c in values:
        x, y = m[c], m[f"{c}_old"]
        diff |= ~((x == y) | (x.isna() & y.isna()))
    return diff.reindex(new.index).astype(bool)


def _save(project, table: sa.Table, frame: pd.DataFrame, key: list[str], values: list[str], latest: pd.DataFrame,
          who: str, why: str) -> tuple[int, int]:  # noqa: ANN001
    from toolkit.store import open_store

    new = frame[_changed(frame, latest, key, values)]
    if not len(new):
        return 0, len(frame)
    now = F.utcnow()
    with open_store(project.evaluation) as st:
        rid = st.ensure_round(project.current_round())
        rows = [{"round_id": rid, **r, "who": who, "why": why, "at": now} for r in F.records(new[key + values])]
        audit = [{"at": now, "who": who, "why": why, "table_name": table.name,
                  "record_key": "/".join([str(rid), *(str(r[k]) for k in key)]), "field": "entry",
                  "value_before": None, "value_after": json.dumps({c: F.canon(r[c]) for c in values},
                                                                  ensure_ascii=False)} for r in rows]
        with st._write() as conn:   # one transaction: the entries and their audit entries
            st._lock_round(conn, rid)
            conn.execute(sa.insert(table), rows)
            st._audit(conn, audit)
    return len(new), len(frame) - len(new)


def _read(project, table: sa.Table, key: list[str], columns: list[str], history: bool) -> pd.DataFrame:  # noqa: ANN001
    from toolkit.store import open_store

    if not _exists(project.evaluation):
        return pd.DataFrame(columns=columns)
    with open_store(project.evaluation) as st:
        rid = st.round_id(project.current_round())
        if rid is None:
            return pd.DataFrame(columns=columns)
        df = st._read(sa.select(*(table.c[c] for c in columns)).where(table.c.round_id == rid)
                      .order_by(table.c.id))
    if not history:
        df = df.drop_duplicates(key, keep="last")
    return df.reset_index(drop=True)


def save_entries(project, frame: pd.DataFrame, who: str, why: str) -> tuple[int, int]:  # noqa: ANN001
    """Add checklist entries (county, item_id, status and the optional
    document, page, photo, note) to the current round; rows equal to the
    latest stored entry are left. Returns (added, unchanged)."""
    d = pd.DataFrame({c: _text(frame[c]) if c in frame else None for c in ["county", "item_id", *ENTRY_VALUES]},
                     index=frame.index)
    return _save(project, S.checklist_entries, d, ["county", "item_id"], ENTRY_VALUES,
                 entries(project), who, why)


def entries(project, *, history: bool = False) -> pd.DataFrame:  # noqa: ANN001
    """The current round's checklist entries: the latest per county × item
    (or every entry with ``history``), columns :data:`ENTRY_COLUMNS`."""
    return _read(project, S.checklist_entries, ["county", "item_id"], ENTRY_COLUMNS, history)


def save_statements(project, frame: pd.DataFrame, who: str, why: str) -> tuple[int, int]:  # noqa: ANN001
    """Add forum statements (forum_id, seq, county, held_on, roles, aspect,
    finding_type, stance, text) to the current round. Returns (added, unchanged)."""
    d = pd.DataFrame({c: _text(frame[c]) if c in frame else None
                      for c in ["forum_id", "county", "roles", "aspect", "finding_type", "stance", "text"]},
                     index=frame.index)
    d["seq"] = pd.to_numeric(frame["seq"]).astype(int)
    d["held_on"] = pd.to_datetime(frame["held_on"]).dt.date
    return _save(project, S.forum_statements, d, ["forum_id", "seq"], STATEMENT_VALUES,
                 statements(project), who, why)


def statements(project, *, history: bool = False) -> pd.DataFrame:  # noqa: ANN001
    """The current round's forum statements, the latest per forum ×
    statement number (withdrawn ones included: stance ``withdrawn``)."""
    return _read(project, S.forum_statements, ["forum_id", "seq"], STATEMENT_COLUMNS, history)


def fingerprint(project) -> str:  # noqa: ANN001
    """SHA-256 of the current round's entries and statements (their number
    and newest id): a new entry makes stored results stale."""
    from toolkit.store import open_store

    if not _exists(project.evaluation):
        return "none"
    with open_store(project.evaluation) as st:
        rid = st.round_id(project.current_round())
        if rid is None:
            return "none"
        stamp = []
        for t in (S.checklist_entries, S.forum_statements):
            df = st._read(sa.select(sa.func.count(t.c.id), sa.func.max(t.c.id)).where(t.c.round_id == rid))
            stamp.append([int(df.iat[0, 0]), None if pd.isna(df.iat[0, 1]) else int(df.iat[0, 1])])
    return hashlib.sha256(json.dumps(stamp).encode()).hexdigest()


__all__ = ["save_entries", "entries", "save_statements", "statements", "fingerprint", "ENTRY_COLUMNS",
           "STATEMENT_COLUMNS"]
