"""Data and child-process bodies for the store tests.

Child processes are started with the ``spawn`` method, so everything they run
lives here (importable by module name) and takes only picklable arguments.
"""
from __future__ import annotations

import time
from typing import Any

import pandas as pd

ROUND = "2026 第一轮"
WORKERS = 8
BATCHES = 4
ROWS_PER_BATCH = 30
SHARED_ROWS = 10


def findings_frame(worker: int, batch: int, rows: int = ROWS_PER_BATCH) -> pd.DataFrame:
    """Distinct findings of one worker's batch: content derived from the key,
    so the reader can check every value."""
    ids = [f"W{worker:02d}-{batch:02d}-{i:04d}" for i in range(rows)]
    return pd.DataFrame({
        "archive_id": ids,
        "finding_type": ["wrong_inclusion" if i % 3 else "helper_no_contact" for i in range(rows)],
        "item": ["" if i % 2 else f"payment_{i}" for i in range(rows)],
        "verdict": ["yes" if i % 5 else "no" for i in range(rows)],
        "rule": ["net income >= 低保"] * rows,
        "value_archive": [str(800 + i) for i in range(rows)],
        "value_visit": [str(1200 + worker * 10 + batch) for _ in range(rows)],
        "evidence": [{"worker": worker, "batch": batch, "i": i, "note": "收入核实"} for i in range(rows)],
    })


def shared_frame() -> pd.DataFrame:
    """Findings every worker saves too: must be stored once, never twice."""
    return pd.DataFrame({"archive_id": [f"S-{i:03d}" for i in range(SHARED_ROWS)],
                         "finding_type": ["wrong_exit"] * SHARED_ROWS,
                         "verdict": ["yes"] * SHARED_ROWS,
                         "evidence": [{"shared": i} for i in range(SHARED_ROWS)]})


def expected_findings(workers: int = WORKERS, batches: int = BATCHES) -> pd.DataFrame:
    """Every finding the concurrent writers should leave, sorted by key."""
    parts = [findings_frame(w, b) for w in range(workers) for b in range(batches)] + [shared_frame()]
    out = pd.concat(parts, ignore_index=True)
    out["item"] = out["item"].fillna("")
    return out.sort_values(["archive_id", "finding_type", "item"]).reset_index(drop=True)


def manifest(seed: str = "20260301", n: int = 4) -> dict:
    """A small sample manifest in the shape toolkit.sampling.manifest.build writes."""
    def unit(i: int, rank_key: str, rank: int) -> dict:
        return {"archive_id": f"A{i:05d}", "source": "roster", "stratum": "340102", "psu": None,
                rank_key: rank, "pi1": None, "pi2": None, "pi": 0.1, "weight": 10.0, "ticket": 12345 + i}
    return {
        "manifest": "fieldeval-sample", "manifest_version": 1, "algorithm": "tickets/1",
        "software": {"name": "fieldeval", "version": "0.1.0"}, "created": "2026-03-01T00:00:00Z",
        "seed": {"value": seed, "source": "drawn at the kick-off meeting"},
        "roster": {"sha256": "ab" * 32, "rows": 100, "columns": {"archive_id": "cd" * 32},
                   "rule": "fieldeval-snapshot/1"},
        "comparison": None, "design": {"method": "stratified"},
        "allocation": {"method": "proportional", "n": n, "strata": [{"stratum": "340102", "N_h": 100, "n_h": n}]},
        "psus": None,
        "selected": [unit(i, "rank", i + 1) for i in range(n)],
        "reserves": [unit(100 + i, "reserve_rank", i + 1) for i in range(2)],
        "counts": {"population": 100, "selected": n, "reserves": 2},
    }


# --- child processes ------------------------------------------------------------------

def concurrent_writer(url: str, worker: int, barrier: Any, results: Any) -> None:
    """Open the store (possibly fresh: opening migrates it), get the round,
    wait for every worker, then save this worker's batches and the shared
    rows, one transaction each; report the save results."""
    from toolkit.store import open_store

    try:
        with open_store(url) as store:
            rid = store.ensure_round(ROUND)
            barrier.wait(timeout=120)
            done = []
            for b in range(BATCHES):
                r = store.save_findings(findings_frame(worker, b), rid, who=f"worker{worker}")
                done.append((r.inserted, r.unchanged, r.updated))
                if b == 1:
                    s = store.save_findings(shared_frame(), rid, who=f"worker{worker}")
                    done.append((s.inserted, s.unchanged, s.updated))
            store.add_note(f"W{worker:02d}-00-0000", f"worker {worker} was here", f"worker{worker}", "test")
            results.put((worker, "ok", done))
    except BaseException as e:  # report, never hang the parent
        results.put((worker, "error", repr(e)))


def crash_writer(url: str, what: str, events: Any) -> None:
    """Save acknowledged work (telling the parent after each commit), then
    start one more transaction (``what``: "findings" or "override") and stop
    inside it, just before COMMIT, until the parent kills this process."""
    import sqlalchemy as sa

    from toolkit.store import open_store

    store = open_store(url)
    rid = store.ensure_round(ROUND)
    for b in range(2):
        store.save_findings(findings_frame(0, b), rid, who="crash")
        events.put(("ack", "findings", b))
    store.override("W00-00-0001", "wrong_inclusion", "overruled", "王评估", "ledger shows income")
    events.put(("ack", "override", 1))
    store.add_note("W00-00-0001", "checked twice", "王评估", "follow-up")
    events.put(("ack", "note", 1))

    def hang(_conn: object) -> None:
        events.put(("in_transaction", what, None))
        time.sleep(600)

    sa.event.listen(store.engine, "commit", hang)
    if what == "findings":
        store.save_findings(findings_frame(0, 2, rows=2000), rid, who="crash")
    else:
        store.override("W00-00-0001", "wrong_inclusion", "confirmed", "王评估", "changed my mind")
    events.put(("ack", "never", None))  # must not be reached
