"""Eight processes writing findings into one store at once lose nothing.

The store is fresh, so the workers also race to create the schema and the
round. Every worker saves its own batches plus a shared set that all of them
save: afterwards every row is there exactly once with its content.
"""
from __future__ import annotations

import multiprocessing as mp
import queue

import pandas as pd

import store_data as D
from toolkit.store import open_store


def test_eight_writers_lose_nothing(store_url: str) -> None:
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(D.WORKERS), ctx.Queue()
    procs = [ctx.Process(target=D.concurrent_writer, args=(store_url, w, barrier, results))
             for w in range(D.WORKERS)]
    for p in procs:
        p.start()
    reports = {}
    try:
        for _ in procs:
            worker, status, detail = results.get(timeout=180)
            reports[worker] = (status, detail)
    except queue.Empty:
        pass
    finally:
        for p in procs:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    assert {w: s for w, (s, _) in reports.items()} == {w: "ok" for w in range(D.WORKERS)}, reports
    assert all(p.exitcode == 0 for p in procs)

    # each worker's own batches were all new; the shared rows were inserted once in all
    shared_inserted = 0
    for _, (_, done) in reports.items():
        own = [d for i, d in enumerate(done) if i != 2]
        assert own == [(D.ROWS_PER_BATCH, 0, 0)] * D.BATCHES
        ins, same, upd = done[2]
        assert ins + same == D.SHARED_ROWS and upd == 0
        shared_inserted += ins
    assert shared_inserted == D.SHARED_ROWS

    with open_store(store_url) as store:
        rounds = store.rounds()
        assert list(rounds["name"]) == [D.ROUND]
        got = store.findings(int(rounds["id"].iloc[0]))
        expected = D.expected_findings()
        assert len(got) == len(expected) == D.WORKERS * D.BATCHES * D.ROWS_PER_BATCH + D.SHARED_ROWS
        cols = ["archive_id", "finding_type", "item", "verdict"]
        pd.testing.assert_frame_equal(got[cols].astype(object).reset_index(drop=True),
                                      expected[cols].astype(object), check_dtype=False)
        assert list(got["evidence"]) == list(expected["evidence"])
        assert list(got["value_visit"].fillna("")) == list(expected["value_visit"].fillna(""))
        notes = store.notes()
        assert sorted(notes["who"]) == sorted(f"worker{w}" for w in range(D.WORKERS))
        assert len(store.audit(table="notes")) == D.WORKERS
