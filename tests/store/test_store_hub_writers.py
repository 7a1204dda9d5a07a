"""Issue 20: a team under the hub writes notes and decisions into one store at
once (PostgreSQL when ``FIELDEVAL_TEST_PG_URL`` is set, and SQLite), each
record attributed to its writer; nothing lost, nothing doubled.

Twelve signed-in users (threads, each with its own store connection, as each
user's server has) write notes and decisions on the same households at the
same moment (a barrier): every note is there once with its author, every
decision too, and the audit log holds one entry for each.
"""
from __future__ import annotations

import threading

import pandas as pd

from toolkit.store import open_store

USERS = 12
EACH = 6          # notes and decisions per user
HOUSEHOLDS = [f"H{i:03d}" for i in range(4)]   # everyone works on the same few households


def _setup(url: str) -> int:
    with open_store(url) as st:
        rid = st.ensure_round("current")
        st.save_findings(pd.DataFrame({"archive_id": HOUSEHOLDS, "finding_type": ["wrong_inclusion"] * 4,
                                       "verdict": ["flagged"] * 4, "rule": ["income"] * 4}), rid)
    return rid


def _user(url: str, name: str, rid: int, barrier: threading.Barrier, errors: list) -> None:
    try:
        with open_store(url) as st:
            barrier.wait(timeout=60)
            for i in range(EACH):
                aid = HOUSEHOLDS[i % len(HOUSEHOLDS)]
                st.add_note(aid, f"{name} note {i}", name, "walkthrough")
                st.decide(aid, "wrong_inclusion", ("confirmed", "overturned", "unclear")[i % 3], name,
                          f"{name} decision {i}", round_id=rid)
    except Exception as e:  # noqa: BLE001 - reported by the test
        errors.append((name, repr(e)))


def test_twelve_users_write_at_once(store_url: str) -> None:
    rid = _setup(store_url)
    names = [f"user{u:02d}" for u in range(USERS)]
    barrier, errors = threading.Barrier(USERS), []
    threads = [threading.Thread(target=_user, args=(store_url, n, rid, barrier, errors)) for n in names]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=180)
    assert errors == []
    with open_store(store_url) as st:
        notes, decisions, latest = st.notes(), st.overrides(rid), st.decisions(rid)
        audit_notes, audit_dec = st.audit(table="notes"), st.audit(table="findings")
    assert len(notes) == USERS * EACH and not notes["text"].duplicated().any()
    assert (notes["text"].str.split(" ").str[0] == notes["who"]).all()         # each note its author's
    assert len(decisions) == USERS * EACH and not decisions["why"].duplicated().any()
    assert (decisions["why"].str.split(" ").str[0] == decisions["who"]).all()
    assert decisions.groupby("who").size().to_dict() == {n: EACH for n in names}
    assert len(latest) == len(HOUSEHOLDS)                                     # the latest decision per household
    assert len(audit_notes) == USERS * EACH and len(audit_dec) == USERS * EACH
