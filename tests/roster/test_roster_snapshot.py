"""The checked roster kept on disk (toolkit.roster.snapshot through toolkit.verify.roster_once)."""
from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.roster.office_data import write_office_workbook
from tests.roster.roster_data import roster_once_on, good_rows, make_project, write_csv, write_xlsx  # noqa: F401 - a fixture
from toolkit.roster import read_roster as fresh_read
from toolkit.roster import snapshot
from toolkit.roster.validate import validate as fresh_validate
from toolkit.verify import roster_once

ROOT = Path(__file__).resolve().parents[2]


# every test here with the roster snapshot on, keys in its own folder (tests/roster/roster_data.py)
pytestmark = pytest.mark.usefixtures("roster_once_on")


def _rows() -> list[list[object]]:
    rows = good_rows()
    bad = list(rows[0])
    bad[0], bad[3], bad[11] = "HF340102-2021-00099", "340102198002120000", "很多"   # bad ID, money as words
    return rows + [bad]


def _files(tmp_path: Path) -> dict[str, Path]:
    d = tmp_path / "files"
    d.mkdir()
    return {"utf8": write_csv(d / "r.csv", _rows()), "gbk": write_csv(d / "r_gbk.csv", _rows(), encoding="gbk"),
            "xlsx": write_xlsx(d / "r.xlsx", _rows()), "office": write_office_workbook(d / "office.xlsx")}


def _assert_same(a: object, b: object) -> None:
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, pd.DataFrame):
            assert isinstance(y, pd.DataFrame), f.name
            assert list(x.dtypes.astype(str)) == list(y.dtypes.astype(str)), f.name
            assert x.index.name == y.index.name and str(x.index.dtype) == str(y.index.dtype), f.name
            pd.testing.assert_frame_equal(x, y, check_dtype=True, check_index_type=True), f.name
            assert sorted(x.attrs) == sorted(y.attrs), f.name
            for k, v in x.attrs.items():
                if isinstance(v, pd.DataFrame):
                    pd.testing.assert_frame_equal(v, y.attrs[k], check_dtype=True, check_index_type=True)
                else:
                    assert v == y.attrs[k]
        else:
            assert x == y, f.name


def _snapshot_dirs(ev) -> list[Path]:
    folder = ev.root / snapshot.CACHE
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")) if folder.is_dir() else []


@pytest.mark.parametrize("kind", ["utf8", "gbk", "xlsx", "office"])
def test_snapshot_gives_what_a_fresh_read_gives(tmp_path: Path, kind: str) -> None:
    ev = make_project(tmp_path)
    path = _files(tmp_path)[kind]
    first = roster_once.read_roster(path, project=ev)
    assert len(_snapshot_dirs(ev)) == 1
    roster_once.forget()                                   # as a new process: memory empty
    served = roster_once.read_roster(path, project=ev)
    want = fresh_read(path)
    _assert_same(want, first)
    _assert_same(want, served)
    if kind == "utf8":
        assert str(served.frame["archive_id"].dtype) == str(want.frame["archive_id"].dtype)
        assert served.frame.index.name == "row"
    problems = roster_once.validate(served, ev)
    roster_once.forget()
    again = roster_once.read_roster(path, project=ev)
    kept = roster_once.validate(again, ev)
    expect = fresh_validate(want, ev)
    assert len(expect) > 0 if kind != "office" else True
    pd.testing.assert_frame_equal(problems, expect)
    pd.testing.assert_frame_equal(kept, expect)


def test_served_from_snapshot_without_reading(tmp_path: Path, monkeypatch) -> None:
    ev = make_project(tmp_path)
    path = _files(tmp_path)["utf8"]
    roster_once.read_roster(path, project=ev)
    roster_once.forget()
    import toolkit.roster as roster_pkg

    def refuse(*a, **k):
        raise AssertionError("read again")

    monkeypatch.setattr(roster_pkg, "read_roster", refuse)
    assert len(roster_once.read_roster(path, project=ev).frame) == len(_rows())


def _count_reads(monkeypatch) -> list[int]:
    import toolkit.roster as roster_pkg

    calls = []
    real = roster_pkg.read_roster

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(roster_pkg, "read_roster", counting)
    return calls


def test_changed_byte_or_reader_version_reads_again(tmp_path: Path, monkeypatch) -> None:
    ev = make_project(tmp_path)
    path = _files(tmp_path)["utf8"]
    calls = _count_reads(monkeypatch)
    roster_once.read_roster(path, project=ev)
    roster_once.forget()
    roster_once.read_roster(path, project=ev)
    assert len(calls) == 1
    data = path.read_bytes()
    st = path.stat()
    path.write_bytes(data.replace("王芳".encode(), "王方".encode()))       # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))                   # same time: only the bytes differ
    roster_once.forget()
    r = roster_once.read_roster(path, project=ev)
    assert len(calls) == 2 and "王方" in set(r.frame["name"])
    roster_once.forget()
    monkeypatch.setattr(snapshot, "reader_version", lambda: "another reader")
    roster_once.read_roster(path, project=ev)
    assert len(calls) == 3
    assert len(_snapshot_dirs(ev)) == snapshot.KEEP                       # the oldest removed


def test_encrypted_and_private_when_the_project_has_a_key(tmp_path: Path) -> None:
    from toolkit import keys, vault

    ev = make_project(tmp_path)
    keys.init(ev.root)
    path = _files(tmp_path)["utf8"]
    roster_once.read_roster(path, project=ev)
    roster_once.validate(roster_once.read_roster(path, project=ev), ev)
    (d,) = _snapshot_dirs(ev)
    files = [p for p in d.iterdir()]
    assert {p.name for p in files} >= {"roster.json", "frame.arrow", "parse_problems.arrow"}
    assert any(p.name.startswith("problems-") for p in files)
    for p in files:
        raw = p.read_bytes()
        assert vault.is_sealed(p), p.name
        assert "王芳".encode() not in raw and "欧阳娜娜".encode() not in raw and b"HF340102" not in raw
        assert p.stat().st_mode & 0o777 == 0o600
    assert (ev.root / snapshot.CACHE).stat().st_mode & 0o777 == 0o700
    roster_once.forget()
    _assert_same(fresh_read(path), roster_once.read_roster(path, project=ev))


def test_plain_snapshot_not_used_once_the_project_has_a_key(tmp_path: Path, monkeypatch) -> None:
    from toolkit import keys

    ev = make_project(tmp_path)
    path = _files(tmp_path)["utf8"]
    roster_once.read_roster(path, project=ev)
    assert _snapshot_dirs(ev)
    keys.init(ev.root)
    assert not (ev.root / snapshot.CACHE).exists()     # the plain snapshot is gone with the key's arrival
    calls = _count_reads(monkeypatch)
    roster_once.forget()
    roster_once.read_roster(path, project=ev)
    assert len(calls) == 1


@pytest.mark.parametrize("damage", ["truncate", "flip", "json"])
def test_damaged_snapshot_is_read_again_silently(tmp_path: Path, monkeypatch, damage: str) -> None:
    ev = make_project(tmp_path)
    path = _files(tmp_path)["utf8"]
    roster_once.read_roster(path, project=ev)
    (d,) = _snapshot_dirs(ev)
    target = d / ("roster.json" if damage == "json" else "frame.arrow")
    raw = bytearray(target.read_bytes())
    if damage == "truncate":
        target.write_bytes(bytes(raw[: len(raw) // 2]))
    elif damage == "flip":
        raw[len(raw) // 2] ^= 0xFF
        target.write_bytes(bytes(raw))
    else:
        target.write_bytes(b"{not json")
    calls = _count_reads(monkeypatch)
    roster_once.forget()
    r = roster_once.read_roster(path, project=ev)
    assert len(calls) == 1                                  # a damaged snapshot is never served
    _assert_same(fresh_read(path), r)
    roster_once.forget()
    _assert_same(fresh_read(path), roster_once.read_roster(path, project=ev))   # written again, good
    assert len(calls) == 1


def test_off_switch(tmp_path: Path, monkeypatch) -> None:
    ev = make_project(tmp_path)
    monkeypatch.setenv("FIELDEVAL_ROSTER_ONCE", "0")
    roster_once.read_roster(_files(tmp_path)["utf8"], project=ev)
    assert _snapshot_dirs(ev) == []


def test_derived_value_kept_by_name(tmp_path: Path) -> None:
    ev = make_project(tmp_path)
    path = _files(tmp_path)["utf8"]
    r = roster_once.read_roster(path, project=ev)
    assert roster_once.derived(r, "fingerprint v1", lambda: {"sha256": "abc", "rows": 7}) == {"sha256": "abc", "rows": 7}
    roster_once.forget()
    r = roster_once.read_roster(path, project=ev)
    assert roster_once.derived(r, "fingerprint v1", lambda: pytest.fail("computed again")) == {"sha256": "abc", "rows": 7}
    assert roster_once.derived(r, "other", lambda: 3) == 3


def test_second_process_served_from_the_snapshot(tmp_path: Path) -> None:
    from toolkit import keys

    ev = make_project(tmp_path)
    keys.init(ev.root)
    path = _files(tmp_path)["gbk"]
    want = roster_once.read_roster(path, project=ev)
    code = (
        "import sys, toolkit.roster as R\n"
        "from toolkit import config\n"
        "from toolkit.verify import roster_once\n"
        "def refuse(*a, **k): raise SystemExit('read again')\n"
        "R.read_roster = refuse\n"
        f"r = roster_once.read_roster({str(path)!r}, project=config.load({str(ev.root)!r}))\n"
        "print(len(r.frame), r.encoding, r.frame.index.name)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FIELDEVAL_ROSTER_ONCE": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(len(want.frame)), str(want.encoding), "row"]


def test_roster_check_command_leaves_the_snapshot_for_the_draw(tmp_path: Path, monkeypatch, capsys) -> None:
    from toolkit.commands.roster import check
    from toolkit.project.draw import read_drawable

    ev = make_project(tmp_path)
    path = _files(tmp_path)["utf8"]
    check(path, ev, lang="en")
    first = capsys.readouterr().out
    roster_once.forget()
    calls = _count_reads(monkeypatch)
    d = read_drawable(path, project=ev)                   # the draw passes no reading options
    assert len(calls) == 0 and len(d.frame) == len(_rows())
    roster_once.forget()
    check(path, ev, lang="en")                            # problems served too: same words
    assert capsys.readouterr().out == first and len(calls) == 0


def test_damaged_encrypted_snapshot_is_read_again(tmp_path: Path, monkeypatch) -> None:
    from toolkit import keys

    ev = make_project(tmp_path)
    keys.init(ev.root)
    path = _files(tmp_path)["utf8"]
    roster_once.read_roster(path, project=ev)
    (d,) = _snapshot_dirs(ev)
    raw = bytearray((d / "frame.arrow").read_bytes())
    raw[-40] ^= 0x01
    (d / "frame.arrow").write_bytes(bytes(raw))
    calls = _count_reads(monkeypatch)
    roster_once.forget()
    _assert_same(fresh_read(path), roster_once.read_roster(path, project=ev))
    assert len(calls) == 1


def test_problems_in_the_default_language_kept_once(tmp_path: Path, monkeypatch) -> None:
    import toolkit.roster.validate as v

    ev = make_project(tmp_path)
    path = _files(tmp_path)["utf8"]
    zh = roster_once.validate(roster_once.read_roster(path, project=ev), ev, lang="zh")
    roster_once.forget()
    monkeypatch.setattr(v, "validate", lambda *a, **k: pytest.fail("validated again"))
    pd.testing.assert_frame_equal(roster_once.validate(roster_once.read_roster(path, project=ev), ev), zh)


@pytest.mark.parametrize("kind", ["utf8", "gbk"])
def test_first_read_hashes_the_bytes_it_reads(tmp_path: Path, monkeypatch, kind: str) -> None:
    """No snapshot of the file kept: the file is not hashed in a pass of its
    own; the key (from the digest of the bytes the reader read) is the key of
    the streamed digest, and the next process is served by it."""
    ev = make_project(tmp_path)
    path = _files(tmp_path)[kind]
    streamed = snapshot.Snapshots(ev.root).key(path, {})
    (ev.root / snapshot.CACHE / "digests.json").unlink()

    def refuse(p):
        raise AssertionError("hashed in a pass of its own")

    monkeypatch.setattr(snapshot, "file_digest", refuse)
    roster_once.read_roster(path, project=ev)
    assert [d.name for d in _snapshot_dirs(ev)] == [streamed]
    monkeypatch.undo()
    roster_once.forget()
    calls = _count_reads(monkeypatch)
    roster_once.read_roster(path, project=ev)      # a snapshot of this path: looked up by its key
    assert calls == []


def test_bytes_changed_while_read_not_taken(tmp_path: Path) -> None:
    """A digest of bytes whose file changed since (another stamp) is not used."""
    ev = make_project(tmp_path)
    path = _files(tmp_path)["utf8"]
    snaps = snapshot.Snapshots(ev.root)
    assert snaps.lookup(path, {}) is None
    snapshot.read_bytes(path)
    path.write_bytes(path.read_bytes().replace("王芳".encode(), "王方".encode()))
    assert snaps.digest(path) == snapshot.file_digest(path)


def test_table_encrypted_as_written_gives_the_ipc_bytes() -> None:
    """The sealed snapshot's source (_IpcPipe) hands over exactly the IPC file
    Arrow writes in memory, in reads of any size, and a writer's failure
    reaches the reader."""
    import pyarrow as pa

    table = pa.table({"a": pa.array([f"王芳{i}" for i in range(300_000)], pa.large_string()),
                      "b": pa.array(range(300_000))})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as w:
        w.write_table(table)
    want = sink.getvalue().to_pybytes()
    for size in (1 << 20, 4097):
        pipe, got = snapshot._IpcPipe(table), bytearray()
        while chunk := pipe.read(size):
            got += chunk
        pipe.finish()
        assert bytes(got) == want
    broken = snapshot._IpcPipe(object())        # no schema: the writer thread fails
    with pytest.raises(AttributeError):
        broken.read(10)
