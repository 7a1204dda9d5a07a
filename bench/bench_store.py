"""Benchmark: the walkthrough's and dashboards' store calls on a round of 30,000 households.

    python bench/bench_store.py [--households 30000] [--clicks 30] [--pg URL]

A store (SQLite file in a temporary folder; PostgreSQL too when ``--pg`` or
$FIELDEVAL_TEST_PG_URL is given: ``eval "$(bash scripts/start-postgres.sh)"``)
gets one round: 30,000 households' dispositions and submission keys, four
findings each (120,000 rows), 600 decisions and 300 submission statuses. Then
each per-click call is timed ``--clicks`` times (median and worst, ms):

* decide: what the walkthrough's decision button does
  (``walkthrough.record_override``: open the store, then ONE transaction
  (``Store.decide_household``): the round, the household's four findings
  saved (idempotent), the decision with its audit entry);
* note: ``walkthrough.record_note`` (open, add a note);
* decisions: what the review queue re-reads after a click
  (``project.review.load_decisions``: open, round id, the round's latest
  decisions and submission statuses, each one query on its index);
* one household's findings and audit entries (open, two indexed selects).

Goal: each under 100 ms. Loading the round's 120,000 findings whole
(``Store.findings``) is printed for comparison; no click does that.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TYPES = ("wrong_inclusion", "archive_mismatch", "cause_unconfirmed", "payment_short")


def fill(url: str, n: int) -> tuple[int, list[str]]:
    from toolkit.store import open_store

    ids = [f"HF{k:08d}" for k in range(n)]
    rng = np.random.default_rng(21)
    with open_store(url) as st:
        rid = st.ensure_round("2026")
        now = pd.Timestamp("2026-06-01 10:00")
        st.save_dispositions(pd.DataFrame({"archive_id": ids, "code": "completed", "visits": 1,
                                           "recorded_at": now}), rid, by="bench")
        st.save_submission_keys(pd.DataFrame({"key": [f"uuid:{k:032x}" for k in range(n)], "archive_id": ids,
                                              "form_id": "household_visit", "status": "accepted"}), rid)
        f = pd.DataFrame({"archive_id": np.repeat(ids, len(TYPES)), "finding_type": np.tile(TYPES, n)})
        f["verdict"] = np.where(rng.random(len(f)) < 0.1, "flagged", "clear")
        f["rule"] = "收入核查"
        st.save_findings(f, rid)
        for k in rng.choice(n, 600, replace=False).tolist():
            st.decide(ids[k], TYPES[k % 4], "confirmed", "评估员", "复核")
        for k in rng.choice(n, 300, replace=False).tolist():
            st.set_submission_status(f"uuid:{k:032x}", "approved", "评估员", "复核", round_id=rid)
    return rid, ids


def clock(fn, clicks: int) -> tuple[float, float]:
    ms = []
    for i in range(clicks):
        t = time.perf_counter()
        fn(i)
        ms.append((time.perf_counter() - t) * 1000)
    return statistics.median(ms), max(ms)


def run(url: str, label: str, n: int, clicks: int) -> None:
    from toolkit.store import open_store
    from toolkit.store import schema as S

    t = time.perf_counter()
    rid, ids = fill(url, n)
    print(f"{label}: filled a round of {n:,} households in {time.perf_counter() - t:.1f} s")
    rng = np.random.default_rng(5)
    pick = [ids[k] for k in rng.choice(n, clicks, replace=False)]

    def decide(i: int) -> None:
        aid = pick[i]
        rows = [{"archive_id": aid, "finding_type": f, "verdict": v, "rule": "收入核查"}
                for f, v in zip(TYPES, ["flagged", "clear", "clear", "clear"])]
        with open_store(url) as st:
            st.decide_household("2026", aid, TYPES[0], "overturned", "评估员", "走访照片与档案一致", findings=rows)

    def note(i: int) -> None:
        with open_store(url) as st:
            st.add_note(pick[i], "家中无人，邻居称已搬迁", "评估员", "走访")

    def decisions(i: int) -> None:
        with open_store(url) as st:
            r = st.round_id("2026")
            st.decisions(r)
            st.submission_reviews(r)

    def household(i: int) -> None:
        aid = pick[i]
        with open_store(url) as st, st.engine.connect() as conn:
            conn.execute(sa.select(S.findings).where(S.findings.c.round_id == rid,
                                                     S.findings.c.archive_id == aid)).fetchall()
            conn.execute(sa.select(S.audit_log).where(S.audit_log.c.table_name == "findings",
                                                      S.audit_log.c.record_key == f"{rid}/{aid}/{TYPES[0]}")).fetchall()

    for name, fn in (("decide (walkthrough button)", decide), ("note", note),
                     ("decisions + statuses (review queue)", decisions), ("one household's findings + audit", household)):
        med, worst = clock(fn, clicks)
        verdict = "goal met" if worst < 100 else ("median under goal" if med < 100 else "goal NOT met")
        print(f"  {name:<38} median {med:6.1f} ms, worst {worst:6.1f} ms  [goal < 100 ms: {verdict}]")
    with open_store(url) as st:
        t = time.perf_counter()
        whole = st.findings(rid)
        print(f"  (whole round's findings, {len(whole):,} rows, not per click: "
              f"{(time.perf_counter() - t) * 1000:.0f} ms)")


def load() -> str:
    """The load averages as ``uptime`` prints them (2 shared cores: clicks wait for a core)."""
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--households", type=int, default=30_000)
    ap.add_argument("--clicks", type=int, default=30)
    ap.add_argument("--pg", default=os.environ.get("FIELDEVAL_TEST_PG_URL"))
    args = ap.parse_args()
    print(f"load: {load()}")
    with tempfile.TemporaryDirectory() as d:
        run(f"sqlite:///{Path(d) / 'bench.db'}", "SQLite", args.households, args.clicks)
    if args.pg:
        eng = sa.create_engine(args.pg)
        with eng.begin() as conn:   # a clean schema for the run
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        eng.dispose()
        run(args.pg, "PostgreSQL", args.households, args.clicks)
    else:
        print("PostgreSQL: skipped (no --pg / FIELDEVAL_TEST_PG_URL)")
    print(f"load: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
