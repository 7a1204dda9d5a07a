"""toolkit.vault and toolkit.keys on a bare folder (no pipeline): the file
format round-trips in chunks, is bound to its path, refuses a cut, edited,
moved or foreign file in words, and the key is found only outside the project."""
from __future__ import annotations

import io
import json
import os

import pandas as pd
import pytest

from toolkit import keys, vault
from toolkit.cli import main
from toolkit.errors import UserError

SECRET = "张三丰 340102199001011234"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An encrypting project folder (a marker + a key under FIELDEVAL_KEY_DIR)."""
    monkeypatch.setenv("FIELDEVAL_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.delenv("FIELDEVAL_KEY", raising=False)
    root = tmp_path / "proj"
    root.mkdir()
    (root / "evaluation.toml").write_text("", encoding="utf-8")   # no settings needed for the key itself
    pid, kid = "p1", os.urandom(8)
    keys._save_keys(keys.key_path(root, pid), pid, {kid: os.urandom(32)})
    keys._save_marker(root, pid, kid)
    return root


def test_plain_without_a_key(tmp_path):
    p = vault.write_bytes(tmp_path / "a.csv", SECRET.encode())
    assert p.read_bytes() == SECRET.encode() and oct(p.stat().st_mode & 0o777) == "0o600"
    assert vault.read_bytes(p) == SECRET.encode()


def test_roundtrip_in_chunks_and_unreadable_bytes(project):
    data = (SECRET * 5000).encode()
    p = project / "output" / "ingest" / "t.bin"
    with open(p.parent.mkdir(parents=True) or p, "wb") as fh:
        vault.encrypt_stream(io.BytesIO(data), fh, *_current(project), vault.relative_name(p, project), chunk=4096)
    raw = p.read_bytes()
    assert raw.startswith(vault.MAGIC) and "张三丰".encode() not in raw and b"340102199001011234" not in raw
    assert len(raw) == vault.HEADER_SIZE + len(data) + 16 * (-(-len(data) // 4096))
    assert vault.read_bytes(p) == data
    vault.decrypt_to(p, project.parent / "plain.bin")
    assert (project.parent / "plain.bin").read_bytes() == data
    empty = vault.write_bytes(project / "e.bin", b"")
    assert vault.read_bytes(empty) == b""


def _current(root):
    ring = keys.load_ring(root)
    return ring.keys[ring.current_id], ring.current_id


def test_tables_written_and_read_through_the_vault(project):
    frame = pd.DataFrame({"name": ["张三丰", "李四"], "id": ["340102199001011234", "x"]})
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    p = vault.write_bytes(project / "output" / "verify" / "households.parquet", buf.getvalue())
    assert b"340102199001011234" not in p.read_bytes()
    assert pd.read_parquet(vault.source(p)).equals(frame)


@pytest.mark.parametrize("damage", ["flip", "cut_chunk", "cut_tail", "append", "move"])
def test_damaged_or_moved_file_is_refused_whole(project, damage):
    data = os.urandom(10_000)
    p = project / "d.bin"
    with open(p, "wb") as fh:
        vault.encrypt_stream(io.BytesIO(data), fh, *_current(project), "d.bin", chunk=1000)
    raw = p.read_bytes()
    if damage == "flip":
        p.write_bytes(raw[:5000] + bytes([raw[5000] ^ 1]) + raw[5001:])
    elif damage == "cut_chunk":                      # drop the last whole chunk: the new last is not "final"
        p.write_bytes(raw[: len(raw) - (len(data) % 1000 or 1000) - 16])
    elif damage == "cut_tail":
        p.write_bytes(raw[:-3])
    elif damage == "append":
        p.write_bytes(raw + raw[vault.HEADER_SIZE: vault.HEADER_SIZE + 1016])
    else:
        p.rename(project / "other.bin")
        p = project / "other.bin"
    with pytest.raises(UserError) as e:
        vault.read_bytes(p)
    assert e.value.key == "keys.tampered" and str(p) in e.value.message("en")
    out = project.parent / "out.bin"
    with pytest.raises(UserError):
        vault.decrypt_to(p, out)
    assert not out.exists()                          # never half-written


def test_missing_wrong_and_open_key_are_words(project, tmp_path, monkeypatch, capsys):
    p = vault.write_bytes(project / "output" / "x.csv", SECRET.encode())
    kf = keys.key_path(project)
    kf.chmod(0o644)
    with pytest.raises(UserError) as e:
        vault.read_bytes(p)
    assert e.value.key == "keys.key_file_open" and "chmod 600" in e.value.message("en")
    kf.chmod(0o600)
    monkeypatch.setenv("FIELDEVAL_KEY_DIR", str(tmp_path / "elsewhere"))
    with pytest.raises(UserError) as e:
        vault.read_bytes(p)
    msg = e.value.message("en")
    assert e.value.key == "keys.missing" and str(tmp_path / "elsewhere") in msg and "restore" in msg
    code = main(["key", "decrypt", "--project", str(project), str(p), "--out", str(tmp_path / "o.csv"),
                 "--lang", "zh"])
    err = capsys.readouterr().err
    assert code == 2 and "找不到" in err and "Traceback" not in err and not (tmp_path / "o.csv").exists()
    monkeypatch.setenv("FIELDEVAL_KEY", f"{os.urandom(8).hex()}:{__import__('base64').b64encode(os.urandom(32)).decode()}")
    with pytest.raises(UserError) as e:
        vault.read_bytes(p)
    assert e.value.key == "keys.wrong_key"


def test_key_never_inside_the_project(project, tmp_path):
    (project / "evaluation.toml").write_text('[encryption]\nkey_file = "secret.key"\n', encoding="utf-8")
    with pytest.raises(UserError) as e:
        keys.key_path(project)
    assert e.value.key == "keys.key_in_project"


def test_backup_restore_with_a_passphrase(project, tmp_path, monkeypatch, capsys):
    p = vault.write_bytes(project / "r.csv", SECRET.encode())
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["key", "backup", "--project", str(project), "--out", str(tmp_path / "b.json")]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery staple\n"))
    assert main(["key", "backup", "--project", str(project), "--out", str(tmp_path / "b.json"), "--lang", "en"]) == 0
    doc = json.loads((tmp_path / "b.json").read_text())
    assert doc["kdf"] == "scrypt" and keys.load_ring(project).keys[keys.load_ring(project).current_id].hex() \
        not in json.dumps(doc)
    keys.key_path(project).unlink()
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong passphrase here\n"))
    assert main(["key", "restore", "--project", str(project), str(tmp_path / "b.json"), "--lang", "en"]) == 2
    assert "passphrase is wrong" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery staple\n"))
    assert main(["key", "restore", "--project", str(project), str(tmp_path / "b.json")]) == 0
    assert vault.read_bytes(p) == SECRET.encode()


def test_reseal_streams_a_many_chunk_file_to_the_new_key(project):
    data = os.urandom(25_500)
    p = project / "big.bin"
    with open(p, "wb") as fh:
        vault.encrypt_stream(io.BytesIO(data), fh, *_current(project), "big.bin", chunk=1000)
    ring = keys.load_ring(project)
    new = os.urandom(8)
    both = {**ring.keys, new: os.urandom(32)}
    assert vault.reseal(p, project, both, new)
    assert vault.HEADER.unpack(p.read_bytes()[:vault.HEADER_SIZE])[2] == new
    out = io.BytesIO()
    with open(p, "rb") as src:
        vault.decrypt_stream(src, out, both, "big.bin", str(p))
    assert out.getvalue() == data
    assert not vault.reseal(p, project, both, new)          # already on the new key: left alone
    raw = bytearray(p.read_bytes())
    raw[-5] ^= 1                                            # damaged: refused, the file left as it was
    p.write_bytes(bytes(raw))
    other = os.urandom(8)
    with pytest.raises(UserError):
        vault.reseal(p, project, {**both, other: os.urandom(32)}, other)
    assert p.read_bytes() == bytes(raw) and not list(project.glob(".big.bin.*"))
