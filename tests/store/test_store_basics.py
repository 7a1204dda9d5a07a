"""Frames in, frames out: what each save keeps, idempotent saves, privacy
screening, and where open_store puts the database."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import store_data as D
from toolkit import config
from toolkit.errors import UserError
from toolkit.i18n import catalog
from toolkit.store import open_store
from toolkit.store.frames import MASK, WITHHELD


def test_rounds_get_or_create(store) -> None:
    a = store.ensure_round("2026 第一轮", note="瑶海区")
    assert store.ensure_round("2026 第一轮") == a
    b = store.ensure_round("2026 第二轮")
    assert b != a and list(store.rounds()["name"]) == ["2026 第一轮", "2026 第二轮"]


def test_snapshot_kept_once_without_contents(store) -> None:
    fp = {"sha256": "AB" * 32, "rows": 1200, "columns": {"archive_id": "cd" * 32}, "rule": "fieldeval-snapshot/1"}
    r1 = store.save_snapshot(fp, source_name="/home/eval/人员/困难职工档案.xlsx", read_at="2026-03-01T08:00:00+08:00")
    r2 = store.save_snapshot(fp, source_name="other.xlsx")
    assert (r1.inserted, r2.inserted, r2.unchanged, r1.id) == (1, 0, 1, r2.id)
    s = store.snapshots()
    assert s[["sha256", "source_name", "rows"]].values.tolist() == [["ab" * 32, "困难职工档案.xlsx", 1200]]
    assert s["read_at"].iloc[0] == pd.Timestamp("2026-03-01 00:00:00")   # UTC
    with pytest.raises(UserError) as e:
        store.save_snapshot("not-a-hash", source_name="x.csv", rows=1)
    assert e.value.key == "store.bad_sha256"


def test_manifest_and_units_idempotent(store) -> None:
    rid = store.ensure_round("r")
    m = D.manifest()
    r1 = store.save_manifest(m, round_id=rid)
    r2 = store.save_manifest(dict(reversed(list(m.items()))), round_id=rid)  # same content, other key order
    assert (r1.inserted, r2.inserted, r2.unchanged, r2.id) == (1, 0, 1, r1.id)
    ms = store.manifests()
    assert len(ms) == 1
    assert ms[["seed", "roster_sha256", "round_id"]].values.tolist() == [["20260301", "ab" * 32, rid]]
    assert store.manifest(r1.id) == m
    u = store.units(r1.id)
    assert list(u["role"]) == ["selected"] * 4 + ["reserve"] * 2
    assert list(u["rank"]) == [1, 2, 3, 4, 1, 2]
    assert u["weight"].tolist() == [10.0] * 6 and u["pi"].tolist() == [0.1] * 6
    assert store.save_manifest(D.manifest(seed="other")).inserted == 1
    with pytest.raises(UserError) as e:
        store.save_manifest({"manifest": "something else"})
    assert e.value.key == "store.not_a_manifest"


def test_findings_round_trip_and_idempotent(store) -> None:
    rid = store.ensure_round("r")
    f = D.findings_frame(1, 0)
    assert store.save_findings(f, rid).inserted == len(f)
    again = store.save_findings(f, rid)
    assert (again.inserted, again.unchanged, again.updated) == (0, len(f), 0)
    got = store.findings(rid)
    exp = f.assign(item=f["item"].fillna("")).sort_values(["archive_id", "finding_type", "item"])
    assert got["archive_id"].tolist() == exp["archive_id"].tolist()
    assert got["evidence"].tolist() == exp["evidence"].tolist()
    assert got["value_archive"].tolist() == exp["value_archive"].tolist()
    assert got["final_verdict"].tolist() == exp["verdict"].tolist()
    assert store.audit().empty
    # a finding saved with a new value is a correction, audited
    changed = f.iloc[[0]].assign(verdict="no" if f["verdict"].iloc[0] == "yes" else "yes")
    r = store.save_findings(changed, rid, who="verify", why="re-run after a corrected visit")
    assert (r.inserted, r.unchanged, r.updated) == (0, 0, 1)
    a = store.audit(table="findings")
    assert a[["field", "value_before", "value_after", "who"]].values.tolist() == [
        ["verdict", f["verdict"].iloc[0], changed["verdict"].iloc[0], "verify"]]
    # two rows with one key in one frame are refused, nothing written
    with pytest.raises(UserError) as e:
        store.save_findings(pd.concat([f.iloc[[0]], f.iloc[[0]]]), rid)
    assert e.value.key == "store.duplicate_rows"
    with pytest.raises(UserError) as e:
        store.save_findings(f, 999)
    assert e.value.key == "store.no_round"


def test_personal_values_never_stored(store) -> None:
    rid = store.ensure_round("r")
    f = pd.DataFrame({"archive_id": ["A1", "A1", "A2"],
                      "finding_type": ["archive_mismatch"] * 3,
                      "item": ["phone", "name", "household_size"],
                      "value_archive": ["13812345678", "张三", "3"],
                      "value_visit": ["13987654321", "张山", "4"],
                      "evidence": [{"archive": "13812345678"}, {"archive": "张三"},
                                   {"note": "ID 34010219800101123X on the form"}],
                      "name": ["张三", "张三", "李四"]})          # extra column: not kept
    store.save_findings(f, rid)
    got = store.findings(rid).set_index("item")
    assert got.loc["phone", "value_archive"] == WITHHELD and got.loc["name", "value_visit"] == WITHHELD
    assert got.loc["household_size", "value_visit"] == "4"
    assert got.loc["household_size", "evidence"] == {"note": f"ID {MASK} on the form"}
    assert "name" not in got.columns
    text = got.astype(str).to_string()
    for secret in ("13812345678", "13987654321", "张三", "34010219800101123X"):
        assert secret not in text


def test_dispositions_and_submission_keys(store) -> None:
    rid = store.ensure_round("r")
    d = pd.DataFrame({"archive_id": ["A1", "A2", "A2"], "code": ["completed", "not_at_home", "replaced"],
                      "visits": [1, 3, None], "replaced_by": [None, None, "R1"],
                      "recorded_at": ["2026-03-01 09:00", "2026-03-01 10:00", "2026-03-02 10:00"]})
    assert store.save_dispositions(d, rid, by="张调查员").inserted == 3
    assert store.save_dispositions(d, rid, by="张调查员").unchanged == 3
    latest = store.dispositions(rid)
    assert latest[["archive_id", "code"]].values.tolist() == [["A1", "completed"], ["A2", "replaced"]]
    assert pd.isna(latest["replaced_by"].iloc[0]) and latest["replaced_by"].iloc[1] == "R1"
    assert latest["visits"].iloc[0] == 1 and pd.isna(latest["visits"].iloc[1])
    assert len(store.dispositions(rid, latest=False)) == 3
    with pytest.raises(UserError) as e:
        store.save_dispositions(d.drop(columns="recorded_at"), rid)
    assert e.value.key == "store.who_why_required"

    k = pd.DataFrame({"key": ["uuid:1", "uuid:2"], "archive_id": ["A1", None], "form_id": ["household_visit"] * 2,
                      "form_version": ["2026030101"] * 2, "received_at": ["2026-03-01T10:00:00Z", None],
                      "status": ["accepted", "quarantined"], "reason": [None, "unknown archive id"]})
    assert store.save_submission_keys(k, rid).inserted == 2
    r = store.save_submission_keys(k.assign(status="accepted"), rid, who="李督导", why="id corrected")
    assert (r.unchanged, r.updated) == (1, 1)
    assert store.submission_keys(rid)["status"].tolist() == ["accepted", "accepted"]
    assert store.audit(table="submission_keys")["value_before"].tolist() == ["quarantined"]
    with pytest.raises(UserError) as e:
        store.save_submission_keys(k.assign(status="maybe"), rid)
    assert e.value.key == "store.bad_status"


# --- where the store lives ------------------------------------------------------------

def test_project_directory_gets_its_sqlite_file(tmp_path: Path) -> None:
    config.init(tmp_path)
    with open_store(tmp_path) as s:
        assert s.backend == "sqlite"
    assert (tmp_path / "fieldeval.db").exists()
    with open_store(config.load(tmp_path)) as s:
        assert s.rounds().empty
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000


def test_environment_url_wins_over_project_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config.init(tmp_path / "p")
    monkeypatch.setenv("FIELDEVAL_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    with open_store(tmp_path / "p"):
        pass
    assert (tmp_path / "elsewhere.db").exists() and not (tmp_path / "p" / "fieldeval.db").exists()


@pytest.mark.parametrize("where, key", [
    ("http://example.com/db", "store.unsupported_url"),
    ("mysql://u@h/db", "store.unsupported_url"),
    ("postgresql://u:secret@127.0.0.1:1/none", "store.cannot_open"),
])
def test_bad_urls(where: str, key: str) -> None:
    with pytest.raises(UserError) as e:
        open_store(where)
    assert e.value.key == key
    assert "secret" not in e.value.message("en")


def test_not_a_database_and_missing_directory(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database file at all" * 100)
    with pytest.raises(UserError) as e:
        open_store(junk)
    assert e.value.key == "store.cannot_open"
    with pytest.raises(UserError) as e:
        open_store(tmp_path / "no" / "such" / "dir" / "x.db")
    assert e.value.key == "store.cannot_open"


def test_every_store_message_exists_in_both_languages() -> None:
    src = "\n".join(p.read_text(encoding="utf-8")
                    for p in (Path(__file__).parents[2] / "toolkit" / "store").rglob("*.py"))
    used = set(re.findall(r'"(store\.[a-z_]+)"', src))
    cat = catalog()
    assert used and used <= set(cat)
    for k in (k for k in cat if k.startswith("store.")):
        zh, en = cat[k]
        assert sorted(set(re.findall(r"{(\w+)}", zh))) == sorted(set(re.findall(r"{(\w+)}", en))), k
