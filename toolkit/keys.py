"""The project key: where it lives, how it is made, rotated, backed up and restored.

The key never lives in the project folder. The project folder holds only
``encryption.json`` (plain: ``project_id`` and ``key_id``, the key now used
for writing); the key is found, in this order:

1. the environment variable ``FIELDEVAL_KEY``: ``<key id hex>:<base64 key>``,
   several separated by commas (a server's secret store can set it);
2. the key file named in ``evaluation.toml`` (``[encryption] key_file``, ``~``
   expanded; refused when it lies inside the project folder);
3. ``$FIELDEVAL_KEY_DIR/<project_id>.key``, else
   ``$XDG_CONFIG_HOME/fieldeval/keys/<project_id>.key`` (default
   ``~/.config/fieldeval/keys/``).

A key file is JSON (``{"fieldeval_key": 1, "project_id", "keys": {id: base64}}``)
with mode 0600 in a 0700 folder; a file others can read is refused, as ssh
does. Each key is 32 random bytes (AES-256); its id is 8 random bytes.

Rotation (:func:`rotate`) is crash-safe: the new key is added to the key file
first (old one kept), then ``encryption.json`` names it, then every encrypted
file is re-encrypted one at a time (each an atomic rename), and only when all
are done is the old key dropped. A crash at any point leaves every file
readable; running ``fieldeval key rotate`` again finishes the pending rotation.

A backup (:func:`backup`) is the key file wrapped with a passphrase:
scrypt (n=2^15, r=8, p=1, 16-byte salt) derives a 256-bit key that seals the
key file with AES-256-GCM.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from toolkit import vault
from toolkit.errors import UserError

ENV = "FIELDEVAL_KEY"
SCRYPT = {"n": 1 << 15, "r": 8, "p": 1}


@dataclass(frozen=True)
class Ring:
    """A project's keys: ``current_id`` (writes use it) and every key kept
    (``{id: 32 bytes}``), read from ``source`` (a file path or the environment)."""

    project_id: str
    current_id: bytes
    keys: dict
    source: str


def marker(root: Path) -> dict:
    """``encryption.json`` of the project folder ``root`` ({} when absent)."""
    p = Path(root) / vault.MARKER
    if not p.is_file():
        return {}
    try:
        m = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UserError("keys.bad_marker", path=str(p)) from None
    if not isinstance(m, dict) or not m.get("project_id") or not m.get("key_id"):
        raise UserError("keys.bad_marker", path=str(p))
    return m


def key_path(root: Path, project_id: str | None = None) -> Path:
    """Where the project's key file is (whether or not it exists)."""
    root = Path(root).resolve()
    cfg = root / "evaluation.toml"
    if cfg.is_file():
        try:
            enc = tomllib.loads(cfg.read_text(encoding="utf-8")).get("encryption", {})
        except (OSError, tomllib.TOMLDecodeError):
            enc = {}
        if isinstance(enc, dict) and isinstance(enc.get("key_file"), str) and enc["key_file"].strip():
            p = Path(os.path.expanduser(enc["key_file"].strip()))
            p = p if p.is_absolute() else (root / p)
            p = p.resolve()
            if p == root or root in p.parents:
                raise UserError("keys.key_in_project", path=str(p))
            return p
    pid = project_id or str(marker(root).get("project_id", ""))
    base = os.environ.get("FIELDEVAL_KEY_DIR")
    if base:
        folder = Path(base)
    else:
        folder = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "fieldeval" / "keys"
    return folder / f"{pid}.key"


def _from_env(text: str, where: str) -> dict:
    keys = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        kid, _, b64 = part.partition(":")
        try:
            k, key = bytes.fromhex(kid), base64.b64decode(b64, validate=True)
        except ValueError:
            raise UserError("keys.bad_key_file", path=where) from None
        if len(k) != 8 or len(key) != 32:
            raise UserError("keys.bad_key_file", path=where)
        keys[k] = key
    return keys


def _read_key_file(p: Path) -> tuple[str, dict]:
    if p.stat().st_mode & 0o077:
        raise UserError("keys.key_file_open", path=str(p))
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        keys = {bytes.fromhex(k): base64.b64decode(v, validate=True) for k, v in data["keys"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise UserError("keys.bad_key_file", path=str(p)) from None
    if not keys or any(len(k) != 8 or len(v) != 32 for k, v in keys.items()):
        raise UserError("keys.bad_key_file", path=str(p))
    return str(data.get("project_id", "")), keys


def load_ring(root: Path) -> Ring:
    """The keys of the encrypting project ``root``; UserError in words (which
    file, what to do) when the key is missing, unreadable or not this project's."""
    root = Path(root)
    m = marker(root)
    if not m:
        raise UserError("keys.not_encrypting", path=str(root))
    current = bytes.fromhex(str(m["key_id"]))
    env = os.environ.get(ENV, "").strip()
    if env:
        keys, source = _from_env(env, ENV), ENV
    else:
        p = key_path(root, m["project_id"])
        if not p.is_file():
            raise UserError("keys.missing", path=str(p), project=str(root), key_id=current.hex())
        pid, keys = _read_key_file(p)
        if pid and pid != m["project_id"]:
            raise UserError("keys.other_project", path=str(p), project=str(root))
        source = str(p)
    if current not in keys:
        raise UserError("keys.wrong_key", path=source, key_id=current.hex())
    return Ring(str(m["project_id"]), current, keys, source)


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _save_keys(path: Path, project_id: str, keys: dict) -> None:
    _write_private(path, json.dumps({"fieldeval_key": 1, "project_id": project_id,
                                     "keys": {k.hex(): base64.b64encode(v).decode() for k, v in keys.items()}},
                                    indent=1) + "\n")


def _save_marker(root: Path, project_id: str, key_id: bytes) -> None:
    p = Path(root) / vault.MARKER
    text = json.dumps({"project_id": project_id, "key_id": key_id.hex(),
                       "about": "This project encrypts identifiable files; the key is kept outside this folder "
                                "(fieldeval key status)."}, ensure_ascii=False, indent=1) + "\n"
    tmp = p.with_name(f".{p.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, p)


def identifiable_files(root: Path) -> list[Path]:
    """Files of the project that hold personal information and are plain now:
    the stage folders' files and the back-checks' (except each stage's ``meta.json`` and the
    leadership tables of toolkit.keys.PLAIN) and a roster copy inside the project."""
    from toolkit import config as config_mod
    from toolkit.project.paths import ProjectPaths

    ev = config_mod.load(root)
    paths = ProjectPaths.of(ev)
    out = []
    backchecks = paths.output / "backcheck"   # toolkit.backcheck.run.FOLDER (keys sits below backcheck)
    for stage in (paths.sample, paths.entry, paths.ingest, paths.verify, paths.field, backchecks):
        if stage.is_dir():
            out += [p for p in sorted(stage.rglob("*")) if p.is_file() and p.name not in PLAIN
                    and not p.name.startswith(".") and not vault.is_sealed(p)]
    inside = Path(root).resolve()
    for f in (ev.path("roster"), ev.path("key_file")):   # the roster copy and the pseudonym key, when inside
        if f.is_file() and inside in f.resolve().parents and not vault.is_sealed(f):
            out.append(f)
    return out


PLAIN = frozenset({
    "meta.json", "manifest.json", "ingest.json",   # stage records: counts, hashes, settings, file names
    # leadership outputs: de-identified tables, as people read them
    "scorecard.parquet", "scorecard.csv", "scorecard.xlsx", "findings_by_type.parquet", "response.parquet",
    "roster_problems.parquet", "review_by_type.parquet", "satisfaction_reliability.parquet",
    "satisfaction_items.parquet", "satisfaction_estimates.parquet", "satisfaction_distribution.parquet",
    "comparison_by_field.csv",
})
"""File names in a stage folder that stay plain (aggregates the leadership reads)."""


def init(root: Path, *, key_file: Path | None = None) -> tuple[Ring, int]:
    """Give the project ``root`` a new key and encrypt its identifiable files.
    Returns (the ring, how many files were encrypted). UserError when it already has one."""
    root = Path(root).resolve()
    if marker(root):
        raise UserError("keys.already", path=str(root / vault.MARKER))
    pid = uuid.uuid4().hex[:16]
    kid, key = os.urandom(8), AESGCM.generate_key(256)
    path = Path(key_file).resolve() if key_file else key_path(root, pid)
    if path == root or root in path.parents:
        raise UserError("keys.key_in_project", path=str(path))
    if path.exists():
        raise UserError("keys.key_exists", path=str(path))
    _save_keys(path, pid, {kid: key})
    _save_marker(root, pid, kid)
    n = sum(vault.seal_file(p, root=root) for p in identifiable_files(root))
    drop_roster_snapshots(root)
    return load_ring(root), n


def drop_roster_snapshots(root: Path) -> None:
    """Remove the project's roster snapshots (toolkit.roster.snapshot): those
    written before a key are plain, those of a rotated key undecryptable; the
    next command that reads the roster writes one again, under the current key."""
    from toolkit.roster.snapshot import CACHE

    shutil.rmtree(Path(root) / CACHE, ignore_errors=True)


def rotate(root: Path, *, stop_after: int | None = None) -> tuple[Ring, int]:
    """Re-encrypt every encrypted file of ``root`` with a new key (crash-safe;
    see the module doc); a pending rotation (several keys in the file) is
    finished instead of starting another. ``stop_after``: for tests, raise
    after that many files. Returns (the new ring, files re-encrypted)."""
    root = Path(root).resolve()
    ring = load_ring(root)
    if ring.source == ENV:
        raise UserError("keys.rotate_env")
    path = Path(ring.source)
    if len(ring.keys) == 1:
        kid = os.urandom(8)
        keys = {**ring.keys, kid: AESGCM.generate_key(256)}
        _save_keys(path, ring.project_id, keys)       # 1. new key kept beside the old
        _save_marker(root, ring.project_id, kid)      # 2. new writes use it
    else:
        kid, keys = ring.current_id, ring.keys
    n = 0
    for p in vault.sealed_files(root):                 # 3. each file re-encrypted atomically
        if stop_after is not None and n >= stop_after:
            raise KeyboardInterrupt
        n += vault.reseal(p, root, keys, kid)
    for p in identifiable_files(root):                 # plain leftovers (written before the key) encrypted too
        vault.seal_file(p, root=root)
    _save_keys(path, ring.project_id, {kid: keys[kid]})  # 4. old key dropped last
    drop_roster_snapshots(root)
    return load_ring(root), n


def backup(root: Path, passphrase: str, out: Path) -> Path:
    """Write the project's key file wrapped with ``passphrase`` to ``out`` (0600)."""
    if len(passphrase) < 12:
        raise UserError("keys.passphrase_short")
    ring = load_ring(Path(root))
    plain = json.dumps({"fieldeval_key": 1, "project_id": ring.project_id,
                        "keys": {k.hex(): base64.b64encode(v).decode() for k, v in ring.keys.items()}}).encode()
    salt, nonce = os.urandom(16), os.urandom(12)
    kek = Scrypt(salt=salt, length=32, **SCRYPT).derive(passphrase.encode("utf-8"))
    sealed = AESGCM(kek).encrypt(nonce, plain, b"fieldeval key backup v1")
    doc = {"fieldeval_key_backup": 1, "project_id": ring.project_id, "kdf": "scrypt", **SCRYPT,
           "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode(),
           "ciphertext": base64.b64encode(sealed).decode()}
    out = Path(out).resolve()
    if out == Path(root).resolve() or Path(root).resolve() in out.parents:
        raise UserError("keys.key_in_project", path=str(out))
    _write_private(out, json.dumps(doc, indent=1) + "\n")
    return out


def restore(root: Path, passphrase: str, backup_file: Path) -> Path:
    """Put the key of a backup back where the project looks for it."""
    try:
        doc = json.loads(Path(backup_file).read_text(encoding="utf-8"))
        salt, nonce, sealed = (base64.b64decode(doc[k]) for k in ("salt", "nonce", "ciphertext"))
        kdf = Scrypt(salt=salt, length=32, n=int(doc["n"]), r=int(doc["r"]), p=int(doc["p"]))
    except (OSError, ValueError, KeyError, TypeError):
        raise UserError("keys.bad_backup", path=str(backup_file)) from None
    try:
        plain = AESGCM(kdf.derive(passphrase.encode("utf-8"))).decrypt(nonce, sealed, b"fieldeval key backup v1")
    except InvalidTag:
        raise UserError("keys.bad_passphrase", path=str(backup_file)) from None
    data = json.loads(plain)
    m = marker(Path(root))
    if m and m["project_id"] != data["project_id"]:
        raise UserError("keys.other_project", path=str(backup_file), project=str(root))
    path = key_path(Path(root), data["project_id"])
    keys = {bytes.fromhex(k): base64.b64decode(v) for k, v in data["keys"].items()}
    _save_keys(path, data["project_id"], keys)
    return path


def status(root: Path) -> dict:
    """What a person checks: encrypting or not, where the key is, whether it
    was found, the key id, encrypted and still-plain identifiable files."""
    root = Path(root).resolve()
    m = marker(root)
    if not m:
        return {"encrypting": False, "plain": len(identifiable_files(root))}
    out = {"encrypting": True, "project_id": m["project_id"], "key_id": m["key_id"],
           "key_file": os.environ.get(ENV) and ENV or str(key_path(root, m["project_id"]))}
    try:
        ring = load_ring(root)
        out.update(found=True, keys=len(ring.keys))
    except UserError as e:
        out.update(found=False, problem=e)
    out.update(sealed=len(vault.sealed_files(root)), plain=len(identifiable_files(root)))
    return out




def rotate_pseudonym_key(root: Path, mapping: Path | None = None) -> tuple[Path, int]:
    """Replace the pseudonym key (``paths.key_file``) with a new one and write,
    for the evaluator only, the mapping old pseudonym → new pseudonym of every
    household of the roster (CSV: archive_id, old, new; 0600, encrypted when
    the project has a key; default ``output/pseudonym-rotation-<UTC time>.csv``).
    Crash-safe: the new key is written beside the old (``.new``) first, the
    mapping next, the new key over the old one (atomic) last, then ``.new``
    removed; a rerun reuses a pending ``.new`` key so the mapping stays consistent.
    Returns (the mapping file, households mapped)."""
    import io
    from datetime import UTC, datetime

    import pandas as pd

    from toolkit import config as config_mod
    from toolkit.roster import read_roster
    from toolkit.roster.privacy import pseudonyms

    ev = config_mod.load(root)
    old_key = ev.key()
    kp = ev.path("key_file")
    pending = kp.with_name(kp.name + ".new")
    new_key = bytes.fromhex(vault.read_bytes(pending).decode("ascii").strip()) if pending.is_file() else None
    if new_key is None or new_key == old_key:   # none pending, or the last run stopped after installing it
        new_key = os.urandom(32)
        vault.write_bytes(pending, new_key.hex().encode() + b"\n")
    ids = read_roster(ev.path("roster")).frame["archive_id"].astype("string").dropna().drop_duplicates()
    table = pd.DataFrame({"archive_id": ids.values, "old": pseudonyms(ids, old_key).values,
                          "new": pseudonyms(ids, new_key).values})
    out = Path(mapping) if mapping else ev.path("output") / f"pseudonym-rotation-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.csv"
    buf = io.StringIO()
    table.to_csv(buf, index=False)
    vault.write_bytes(out, buf.getvalue().encode("utf-8-sig"))
    vault.write_bytes(kp, new_key.hex().encode() + b"\n")   # atomic; encrypted when the project has a key
    pending.unlink()
    return out, len(table)


__all__ = ["Ring", "load_ring", "key_path", "marker", "init", "rotate", "backup", "restore", "status",
           "identifiable_files", "rotate_pseudonym_key", "PLAIN", "ENV"]
