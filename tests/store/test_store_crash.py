"""A writer killed with SIGKILL inside a transaction leaves the store
consistent: every acknowledged write is there, the interrupted one is not,
and the next writer is not blocked.

The child stops inside the transaction at the COMMIT (an engine event hook
waits there), tells the parent, and is killed.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import signal

import pytest
import sqlalchemy as sa

import store_data as D
from toolkit.store import open_store


@pytest.mark.parametrize("what", ["findings", "override"])
def test_sigkill_mid_transaction(store_url: str, what: str) -> None:
    ctx = mp.get_context("spawn")
    events = ctx.Queue()
    child = ctx.Process(target=D.crash_writer, args=(store_url, what, events))
    child.start()
    acks = []
    try:
        while True:
            kind, name, detail = events.get(timeout=120)
            if kind == "in_transaction":
                break
            acks.append((name, detail))
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=30)
    finally:
        if child.is_alive():
            child.kill()
    assert child.exitcode == -signal.SIGKILL
    assert acks == [("findings", 0), ("findings", 1), ("override", 1), ("note", 1)]

    with open_store(store_url) as store:
        if store.backend == "sqlite":
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        rid = int(store.rounds()["id"].iloc[0])
        got = store.findings(rid)
        acked = [f"W00-{b:02d}-{i:04d}" for b in range(2) for i in range(D.ROWS_PER_BATCH)]
        assert sorted(got["archive_id"]) == sorted(acked)          # nothing of batch 2
        assert not got["archive_id"].str.startswith("W00-02-").any()
        ov = store.overrides(rid)
        assert list(ov["verdict"]) == ["overruled"]                 # not "confirmed"
        audit = store.audit()
        assert list(audit["table_name"]) == ["findings", "notes"]
        assert list(audit["value_after"]) == ["overruled", "checked twice"]
        row = got[(got["archive_id"] == "W00-00-0001") & (got["finding_type"] == "wrong_inclusion")]
        assert list(row["final_verdict"]) == ["overruled"]
        # the lock the dead writer held is gone: the next writer goes through
        again = store.save_findings(D.findings_frame(0, 2, rows=5), rid, who="after")
        assert again.inserted == 5
        ov2 = store.override("W00-00-0001", "wrong_inclusion", "confirmed", "王评估", "after the crash")
        assert ov2.before == "overruled"
        with store.engine.connect() as conn:
            n = conn.execute(sa.text("SELECT count(*) FROM findings WHERE round_id = :r"), {"r": rid}).scalar()
        assert n == len(acked) + 5
