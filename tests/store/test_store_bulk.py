"""The bulk insert of a round's rows (issue 21: ~300,000 findings at 30,000
visits) stores exactly what SQLAlchemy Core's per-row ``INSERT … ON CONFLICT
DO NOTHING`` stored before: the same text for every value (times included),
ids in the frame's order, stored keys left alone. On SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import sqlalchemy as sa

from toolkit.store import frames as F
from toolkit.store import schema as S
from toolkit.store.api import _bulk_insert, _insert


def _frames() -> dict[str, pd.DataFrame]:
    t0 = dt.datetime(2026, 3, 1, 8, 30, 0)
    findings = pd.DataFrame({
        "archive_id": ["A1", "A2", "A3", "B9"],
        "finding_type": ["wrong_inclusion", "payment", "payment", "wrong_exit"],
        "item": ["", "2025-12", "x", ""],
        "verdict": ["flagged", None, "clear", np.nan],
        "rule": ["net income >= 低保", "", None, "a 'quoted' rule; DROP"],
        "value_archive": ["800", None, "12.5", "[masked]"],
        "value_visit": ["1200", "0", None, "tab\tand\nnewline \\ backslash"],
        "evidence": [None, '{"a": 1}', None, '"text"'],
    })
    disp = pd.DataFrame({
        "archive_id": ["A1", "A2", "A3"],
        "recorded_at": [t0, t0 + dt.timedelta(microseconds=7), t0.replace(microsecond=0)],
        "code": ["1.1", "2.11", "3.1"],
        "visits": pd.Series([1, None, 3], dtype=object),
        "replaced_by": [None, "R1", None],
        "recorded_by": ["张三", "fieldeval verify", "李四"],
    })
    return {"findings": findings, "dispositions": disp}


def _raw(store, table: sa.Table, rid: int) -> list[tuple]:   # noqa: ANN001
    cols = [c.name for c in table.columns if c.name not in ("id", "round_id")]
    sql = (f"SELECT {', '.join(cols)} FROM {table.name} WHERE round_id = {int(rid)} ORDER BY id")
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql).fetchall()]


def test_bulk_insert_stores_what_core_stored(store) -> None:   # noqa: ANN001
    r_bulk, r_core = store.ensure_round("bulk"), store.ensure_round("core")
    stamp = {"saved_at": dt.datetime(2026, 3, 2, 9, 0, 0, 123456)}
    for name, frame in _frames().items():
        table = getattr(S, name)
        extra = stamp if name == "findings" else {}
        key = ["archive_id", "finding_type", "item"] if name == "findings" else ["archive_id", "recorded_at"]
        with store.engine.begin() as conn:
            _bulk_insert(conn, table, frame, {"round_id": r_bulk, **extra}, ["round_id", *key])
            rows = [{"round_id": r_core, **r, **extra} for r in F.records(frame)]
            conn.execute(_insert(conn, table).on_conflict_do_nothing(index_elements=["round_id", *key]), rows)
        got, want = _raw(store, table, r_bulk), _raw(store, table, r_core)
        assert len(got) == len(frame)
        assert got == want, name
        # frame order gives the ids
        with store.engine.connect() as conn:
            ids = conn.execute(sa.select(table.c.archive_id).where(table.c.round_id == r_bulk)
                               .order_by(table.c.id)).scalars().all()
        assert ids == frame["archive_id"].tolist()


def test_bulk_insert_leaves_stored_keys(store) -> None:   # noqa: ANN001
    rid = store.ensure_round("r")
    f = _frames()["findings"]
    stamp = {"round_id": rid, "saved_at": dt.datetime(2026, 3, 2)}
    key = ["round_id", "archive_id", "finding_type", "item"]
    with store.engine.begin() as conn:
        _bulk_insert(conn, S.findings, f.iloc[:2], stamp, key)
    changed = f.copy()
    changed["verdict"] = "changed"
    with store.engine.begin() as conn:
        _bulk_insert(conn, S.findings, changed, stamp, key)
    stored = store.findings(rid).set_index("archive_id")["verdict"]
    assert stored.isna().tolist() == [False, True, False, False]
    assert stored.dropna().to_dict() == {"A1": "flagged", "A3": "changed", "B9": "changed"}


def test_save_findings_round_trip_and_again(store) -> None:   # noqa: ANN001
    """Through ``save_findings``: equal rows unchanged, one changed row corrected with its audit entry."""
    rid = store.ensure_round("r")
    f = _frames()["findings"]
    first = store.save_findings(f, rid)
    assert (first.inserted, first.unchanged, first.updated) == (4, 0, 0)
    again = store.save_findings(f, rid)
    assert (again.inserted, again.unchanged, again.updated) == (0, 4, 0)
    g = f.copy()
    g.loc[2, "value_visit"] = "13"
    third = store.save_findings(g, rid)
    assert (third.inserted, third.unchanged, third.updated) == (0, 3, 1)
    audit = store.audit(table="findings")
    assert audit[["field", "value_before", "value_after"]].values.tolist() == [["value_visit", None, "13"]]


def test_canon_series_equals_canon() -> None:
    for s in (pd.Series(["a", None, np.nan, " b "], dtype=object), pd.Series([1.0, 2.5, np.nan]),
              pd.Series([1, "x", None], dtype=object), pd.Series(pd.array(["a", None], dtype="string")),
              pd.Series([], dtype=object), pd.Series([dt.datetime(2026, 1, 1), None], dtype=object)):
        got, want = F.canon_series(s), s.map(F.canon).astype(object)
        assert got.isna().tolist() == want.isna().tolist()
        assert got[got.notna()].tolist() == want[want.notna()].tolist()


def test_manifest_units_as_core_stored(store) -> None:   # noqa: ANN001
    """A manifest's units (bulk) hold the same text as Core's per-row insert gave."""
    import store_data as D

    m = D.manifest(n=4)
    m["selected"][0]["pi1"], m["selected"][0]["psu"] = 0.25, "P1"
    a = store.save_manifest(m).id
    b = store.save_manifest({**m, "seed": {"value": "other", "source": "x"}}).id
    cols = [c.name for c in S.units.columns if c.name != "manifest_id"]
    with store.engine.begin() as conn:
        rows = [dict(zip(cols, r)) for r in conn.execute(sa.select(*(S.units.c[c] for c in cols))
                                                         .where(S.units.c.manifest_id == b))]
        conn.execute(sa.delete(S.units).where(S.units.c.manifest_id == b))
        conn.execute(sa.insert(S.units), [{"manifest_id": b, **r} for r in rows])
    sql = f"SELECT {', '.join(cols)} FROM units WHERE manifest_id = {{}} ORDER BY role, archive_id"
    with store.engine.connect() as conn:
        got = [tuple(r) for r in conn.exec_driver_sql(sql.format(a)).fetchall()]
        want = [tuple(r) for r in conn.exec_driver_sql(sql.format(b)).fetchall()]
    assert got == want and len(got) == len(m["selected"]) + len(m.get("reserves") or [])
