"""The audit log: overrides and notes write it in the same transaction with
the value before; the Store has no way to change it; the database itself
refuses UPDATE and DELETE on it."""
from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from toolkit.errors import UserError
from toolkit.store import Store


def _findings(store, rid: int) -> None:
    store.save_findings(pd.DataFrame({"archive_id": ["A1", "A1", "A2"],
                                      "finding_type": ["wrong_inclusion", "payment_short", "wrong_exit"],
                                      "verdict": ["yes", "no", "yes"]}), rid)


def test_override_records_value_before(store) -> None:
    rid = store.ensure_round("r")
    _findings(store, rid)
    o1 = store.override("A1", "wrong_inclusion", "no", "王评估", "income verified with the employer")
    o2 = store.override("A1", "wrong_inclusion", "yes", "李组长", "second review")
    assert (o1.before, o1.after, o2.before, o2.after) == ("yes", "no", "no", "yes")
    audit = store.audit(table="findings")
    assert list(audit["value_before"]) == ["yes", "no"]
    assert list(audit["value_after"]) == ["no", "yes"]
    assert list(audit["who"]) == ["王评估", "李组长"]
    assert list(audit["why"]) == ["income verified with the employer", "second review"]
    assert set(audit["record_key"]) == {f"{rid}/A1/wrong_inclusion"}
    assert audit["at"].notna().all()
    f = store.findings(rid).set_index(["archive_id", "finding_type"])
    assert f.loc[("A1", "wrong_inclusion"), "verdict"] == "yes"          # the finding as found
    assert f.loc[("A1", "wrong_inclusion"), "final_verdict"] == "yes"    # after both overrides
    assert f.loc[("A2", "wrong_exit"), "final_verdict"] == "yes"
    assert len(store.overrides(rid)) == 2


def test_override_and_note_need_who_and_why_and_a_finding(store) -> None:
    rid = store.ensure_round("r")
    _findings(store, rid)
    with pytest.raises(UserError) as e:
        store.override("A1", "wrong_inclusion", "no", "王评估", "  ")
    assert e.value.key == "store.who_why_required"
    with pytest.raises(UserError) as e:
        store.add_note("A1", "text", "", "why")
    assert e.value.key == "store.who_why_required"
    with pytest.raises(UserError) as e:
        store.override("A9", "wrong_inclusion", "no", "王评估", "x")
    assert e.value.key == "store.no_finding"
    assert store.audit().empty and store.overrides().empty


def test_notes_are_audited(store) -> None:
    nid = store.add_note("A1", "household moved to 瑶海区; new phone 13912345678", "王评估", "visit log")
    notes = store.notes("A1")
    assert list(notes["id"]) == [nid]
    assert "13912345678" not in notes["text"].iloc[0] and "[masked]" in notes["text"].iloc[0]
    a = store.audit()
    assert list(a["table_name"]) == ["notes"] and a["value_before"].isna().all()
    assert a["value_after"].iloc[0] == notes["text"].iloc[0]


def test_corrections_are_audited(store) -> None:
    rid = store.ensure_round("r")
    d = pd.DataFrame({"archive_id": ["A1"], "code": ["not_at_home"], "visits": [3],
                      "recorded_at": ["2026-03-01 09:00"], "by": ["张调查员"]})
    assert store.save_dispositions(d, rid).inserted == 1
    assert store.save_dispositions(d, rid).unchanged == 1
    r = store.save_dispositions(d.assign(code="refused", by="李督导"), rid, why="callback: refused")
    assert (r.inserted, r.unchanged, r.updated) == (0, 0, 1)
    a = store.audit(table="dispositions")
    assert a[["field", "value_before", "value_after"]].values.tolist() == [
        ["code", "not_at_home", "refused"], ["recorded_by", "张调查员", "李督导"]]
    assert set(a["why"]) == {"callback: refused"} and set(a["who"]) == {"李督导"}


def test_store_api_cannot_change_the_audit_log() -> None:
    names = [n for n in dir(Store) if not n.startswith("__")]
    assert not [n for n in names if any(w in n.lower() for w in ("delete", "remove", "purge", "truncate"))]
    assert not [n for n in names if "audit" in n.lower() and n not in ("audit", "_audit")]


@pytest.mark.parametrize("sql", ["UPDATE audit_log SET who = 'someone else'",
                                 "UPDATE audit_log SET value_before = NULL WHERE id = 1",
                                 "DELETE FROM audit_log",
                                 "DELETE FROM audit_log WHERE id = 1"])
def test_database_refuses_update_and_delete(store, sql: str) -> None:
    store.add_note("A1", "first", "王评估", "x")
    before = store.audit()
    with pytest.raises(DBAPIError) as e:
        with store.engine.begin() as conn:
            conn.execute(sa.text(sql))
    assert "append-only" in str(e.value)
    pd.testing.assert_frame_equal(store.audit(), before)


def test_database_refuses_truncate_on_postgresql(store) -> None:
    if store.backend != "postgresql":
        return  # SQLite has no TRUNCATE; its DELETE is refused above
    store.add_note("A1", "first", "王评估", "x")
    with pytest.raises(DBAPIError):
        with store.engine.begin() as conn:
            conn.execute(sa.text("TRUNCATE audit_log"))
    assert len(store.audit()) == 1
