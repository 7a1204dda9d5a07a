"""The fix list in the evaluation store (migration 0005_fixes).

``fix_items``: a round's items as exported (saved again with the same
number: unchanged). ``fix_updates``: every state the union's plan gave an
item, with who read it in and when, only ever added (the database refuses
UPDATE and DELETE); an item's state is its latest row.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import sqlalchemy as sa

from toolkit.store.schema import fix_items, fix_updates

UPDATE_COLUMNS = ["item_id", "unit", "person", "deadline", "status", "evidence", "note", "source", "who", "at"]


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def _round(st: object, name: str, create: bool) -> int | None:
    return st.ensure_round(name) if create else st.round_id(name)


def save_items(project: object, items: pd.DataFrame, round_name: str) -> int:
    """Keep the round's items (new numbers added, known ones left as they
    are); returns how many were new."""
    from toolkit.store import open_store

    with open_store(project.evaluation) as st:
        rid = _round(st, round_name, True)
        with st.engine.begin() as conn:
            known = {r[0] for r in conn.execute(sa.select(fix_items.c.item_id).where(fix_items.c.round_id == rid))}
            new = items[~items["item_id"].isin(known)]
            if len(new):
                now = _now()
                conn.execute(fix_items.insert(), [
                    {"round_id": rid, "item_id": r.item_id, "county": r.county, "kind": r.kind,
                     "subject": r.subject, "indicator": r.indicator if isinstance(r.indicator, str) else None,
                     "what": r.what, "n_households": int(r.n_households), "created_at": now}
                    for r in new.itertuples()])
    return len(new)


def items(project: object, round_name: str) -> pd.DataFrame:
    """The round's stored items (item_id, county, kind, subject, indicator, what, n_households)."""
    from toolkit.store import open_store

    cols = ["item_id", "county", "kind", "subject", "indicator", "what", "n_households"]
    with open_store(project.evaluation) as st:
        rid = _round(st, round_name, False)
        if rid is None:
            return pd.DataFrame(columns=cols)
        with st.engine.connect() as conn:
            rows = conn.execute(sa.select(*[fix_items.c[c] for c in cols]).where(fix_items.c.round_id == rid)
                                .order_by(fix_items.c.id)).fetchall()
    return pd.DataFrame(rows, columns=cols)


def history(project: object, round_name: str) -> pd.DataFrame:
    """Every stored update of the round's items, oldest first (:data:`UPDATE_COLUMNS`)."""
    from toolkit.store import open_store

    with open_store(project.evaluation) as st:
        rid = _round(st, round_name, False)
        if rid is None:
            return pd.DataFrame(columns=UPDATE_COLUMNS)
        with st.engine.connect() as conn:
            rows = conn.execute(sa.select(*[fix_updates.c[c] for c in UPDATE_COLUMNS])
                                .where(fix_updates.c.round_id == rid).order_by(fix_updates.c.id)).fetchall()
    return pd.DataFrame(rows, columns=UPDATE_COLUMNS)


def latest(project: object, round_name: str) -> pd.DataFrame:
    """Each item's latest stored state (one row per item with any update)."""
    h = history(project, round_name)
    return h.drop_duplicates("item_id", keep="last").reset_index(drop=True)


def add_updates(project: object, plan: pd.DataFrame, round_name: str, *, who: str, source: str) -> datetime:
    """Append the plan's rows (item_id, unit, person, deadline (date), status,
    evidence, note) as one transaction; returns when."""
    from toolkit.store import open_store

    now = _now()
    with open_store(project.evaluation) as st:
        rid = _round(st, round_name, True)
        recs = [{"round_id": rid, "item_id": r.item_id, "unit": r.unit, "person": r.person,
                 "deadline": r.deadline if isinstance(r.deadline, date) else None, "status": r.status,
                 "evidence": r.evidence or None, "note": r.note or None, "source": source[:300], "who": who[:200],
                 "at": now} for r in plan.itertuples()]
        if recs:
            with st.engine.begin() as conn:
                conn.execute(fix_updates.insert(), recs)
    return now


__all__ = ["save_items", "items", "history", "latest", "add_updates", "fix_items", "fix_updates"]
