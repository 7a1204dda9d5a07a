"""Dispositions stamped with one time read back only the stored rows of that
time (issue 21, seventh session: each verify run adds 33,208 dispositions at
national size, and every later run read all of them back). The same
SaveResults, stored rows and audit entries as the full read, on SQLite and
PostgreSQL: a run again at the same time, a new time, a correction at an
earlier time, mixed times."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from toolkit.store import api


def _rows(store, rid: int) -> tuple[list, list]:   # noqa: ANN001
    d = store.dispositions(rid, latest=False)
    with store.engine.connect() as conn:
        audit = [(who, why, table, key.split("/", 1)[1], field, before, after) for who, why, table, key, field,
                 before, after in conn.exec_driver_sql(
            "SELECT who, why, table_name, record_key, field, value_before, value_after FROM audit_log "
            "ORDER BY id").fetchall() if key.startswith(f"{int(rid)}/")]
    return d.astype(object).where(d.notna(), None).values.tolist(), audit


def _play(store, few: bool, monkeypatch) -> tuple[list, list, list]:   # noqa: ANN001
    if not few:
        monkeypatch.setattr(api, "_few_times", lambda *a: None)
    rid = store.ensure_round(f"few {few}")
    t1, t2 = dt.datetime(2026, 11, 30, 21, 0, 0, 250), dt.datetime(2026, 11, 30, 22, 0, 0)
    ids = [f"A{i:03d}" for i in range(40)]
    base = pd.DataFrame({"archive_id": ids, "code": ["completed"] * 20 + ["refused"] * 20,
                         "visits": [1] * 40, "recorded_at": [t1] * 40})
    results = []
    for frame in (base, base,                                              # again at the same time
                  base.assign(recorded_at=t2),                            # the next run
                  base.assign(code="moved").iloc[:5],                     # corrected at t1
                  pd.concat([base.iloc[:3], base.iloc[3:6].assign(recorded_at=t2, visits=4)])):   # mixed
        r = store.save_dispositions(frame, rid, by="fieldeval verify")
        results.append((r.inserted, r.unchanged, r.updated))
    rows, audit = _rows(store, rid)
    monkeypatch.undo()
    return results, rows, audit


def test_same_as_reading_every_row(store_url, monkeypatch) -> None:   # noqa: ANN001
    from toolkit.store import open_store

    got = {}
    for few in (True, False):   # each in its own round
        with open_store(store_url) as st:
            got[few] = _play(st, few, monkeypatch)
    assert got[True][0] == got[False][0]
    assert got[True][0][1] == (0, 40, 0) and got[True][0][3] == (0, 0, 5)
    assert got[True][1] == got[False][1]
    assert got[True][2] == got[False][2] and len(got[True][2]) == 11


def test_few_times_only_for_one_kind_of_value() -> None:
    from toolkit.store import schema as S

    t = dt.datetime(2026, 1, 1)
    frame = pd.DataFrame({"archive_id": ["a", "b"], "recorded_at": pd.Series([t, t], dtype=object)})
    assert api._few_times(S.dispositions, frame, ["archive_id", "recorded_at"]) == ("recorded_at", [t])
    mixed = frame.assign(recorded_at=pd.Series([t, "2026-01-01"], dtype=object))
    assert api._few_times(S.dispositions, mixed, ["archive_id", "recorded_at"]) is None
    assert api._few_times(S.dispositions, frame.iloc[:0], ["archive_id", "recorded_at"]) is None
