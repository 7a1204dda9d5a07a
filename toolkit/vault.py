"""Encryption at rest of a project's identifiable files: the one module that does it.

Why AES-256-GCM from ``cryptography`` (not age/pyrage): it was already
installed (msoffcrypto-tool needs it; now named in pyproject.toml: no new
wheel to vet), it is a FIPS/GB-comparable AEAD every
auditor recognises, and it lets us bind associated data (the file's path in
the project) so that two encrypted files cannot be swapped unnoticed. age
would add a second library and has no associated data.

Encryption is ON when the project has a key: the project folder holds
``encryption.json`` (plain, no secret: project id and the current key id;
see :mod:`toolkit.keys`), and the key itself lives outside the project
(toolkit.keys). Without that file every writer writes plain files, as before.

File format (version 1), chunked so memory stays bounded for large files
(the "STREAM" construction of Hoang, Reyhanitabar, Rogaway, Vizár 2015)::

    offset  size  field
    0       7     magic  b"FEVAULT"
    7       1     version (1)
    8       8     key id (random, names the key in the key file)
    16      7     nonce prefix (random per file)
    23      4     chunk size in bytes (big-endian; 1 MiB by default)
    27      ...   chunks: AES-256-GCM(chunk) = ciphertext + 16-byte tag

Chunk ``i`` (0-based) is sealed with the 12-byte nonce
``prefix ‖ i (4 bytes big-endian) ‖ last (1 byte: 1 on the final chunk, else 0)``
and the associated data ``header (27 bytes) ‖ relative path (UTF-8, POSIX,
from the project folder)``. A truncated, extended, reordered, edited or
moved file therefore fails authentication; it is never half-read: the
pandas/bytes readers decrypt everything before returning anything, and the
streaming reader writes to a temporary file renamed only after the last tag
checked. An empty file is one final chunk holding only its tag.

Writers call :func:`write_bytes` / :func:`seal_file` / :func:`seal_tree`
(atomic: temporary file beside the target, then rename; 0600). Readers call
:func:`source` (a path for a plain file, an in-memory buffer for an
encrypted one) wherever they open a file, or :func:`read_bytes`.
"""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import struct
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from toolkit.errors import UserError

MAGIC = b"FEVAULT"
VERSION = 1
HEADER = struct.Struct(">7sB8s7sI")
HEADER_SIZE = HEADER.size   # 27
TAG = 16
CHUNK = 1 << 20
MARKER = "encryption.json"
"""The plain file in the project folder that says the project encrypts."""


def is_sealed(path: str | Path) -> bool:
    """True when ``path`` is a file in this module's format."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def project_root(path: str | Path) -> Path | None:
    """The nearest folder above ``path`` (or itself) holding ``encryption.json``;
    None when the file is not inside an encrypting project."""
    p = Path(path).resolve()
    for d in (p, *p.parents):
        if (d / MARKER).is_file():
            return d
    return None


def relative_name(path: str | Path, root: Path) -> str:
    """The associated data's path: ``path`` relative to ``root``, POSIX."""
    return Path(path).resolve().relative_to(root).as_posix()


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def encrypt_stream(src: BinaryIO, dst: BinaryIO, key: bytes, key_id: bytes, name: str, *,
                   chunk: int = CHUNK) -> None:
    """Encrypt ``src`` into ``dst`` (format in the module doc) chunk by chunk."""
    header = HEADER.pack(MAGIC, VERSION, key_id, os.urandom(7), chunk)
    aad = header + name.encode("utf-8")
    aes = AESGCM(key)
    dst.write(header)
    buf = src.read(chunk)
    i = 0
    while True:
        nxt = src.read(chunk)
        last = not nxt
        dst.write(aes.encrypt(_nonce(header[16:23], i, last), buf, aad))
        if last:
            return
        buf, i = nxt, i + 1


def plain_chunks(src: BinaryIO, keys: dict[bytes, bytes], name: str, shown: str) -> Iterator[bytes]:
    """The authenticated plaintext chunks of ``src``, one at a time (bounded
    memory). UserError ``keys.not_sealed`` / ``keys.wrong_key`` /
    ``keys.tampered`` naming ``shown``; a consumer that writes what it gets
    must only keep the result once the iteration has finished."""
    header = src.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE:
        raise UserError("keys.tampered", path=shown)
    magic, version, kid, prefix, chunk = HEADER.unpack(header)
    if magic != MAGIC:
        raise UserError("keys.not_sealed", path=shown)
    if version != VERSION or chunk <= 0 or chunk > 64 * CHUNK:
        raise UserError("keys.tampered", path=shown)
    key = keys.get(kid)
    if key is None:
        raise UserError("keys.wrong_key", path=shown, key_id=kid.hex())
    aes = AESGCM(key)
    aad = header + name.encode("utf-8")
    buf = src.read(chunk + TAG)
    i = 0
    while True:
        nxt = src.read(chunk + TAG)
        last = not nxt
        try:
            yield aes.decrypt(_nonce(prefix, i, last), buf, aad)
        except InvalidTag:
            raise UserError("keys.tampered", path=shown) from None
        if last:
            return
        buf, i = nxt, i + 1


def decrypt_stream(src: BinaryIO, dst: BinaryIO, keys: dict[bytes, bytes], name: str, shown: str) -> None:
    """Decrypt ``src`` into ``dst`` chunk by chunk (see :func:`plain_chunks`)."""
    for block in plain_chunks(src, keys, name, shown):
        dst.write(block)


class _ChunkReader(io.RawIOBase):
    """A read-only file over an iterator of byte blocks (rotation streams one
    file's plaintext from the old key's chunks into the new key's)."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks, self._buf = blocks, b""

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self._buf) < n:
            nxt = next(self._blocks, None)
            if nxt is None:
                break
            self._buf += nxt
        out, self._buf = (self._buf, b"") if n < 0 else (self._buf[:n], self._buf[n:])
        return out


def _keys_for(root: Path) -> tuple[bytes, bytes, dict[bytes, bytes]]:
    from toolkit.keys import load_ring

    ring = load_ring(root)
    return ring.current_id, ring.keys[ring.current_id], ring.keys


def _atomic(path: Path) -> tuple[int, str]:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)   # 0600


def _install(tmp: str, path: Path) -> None:
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def seal_file(path: str | Path, *, name: str | None = None, root: Path | None = None) -> bool:
    """Encrypt the plain file ``path`` in place (atomic, 0600) when it lies in
    an encrypting project; ``name``: the relative path to bind (default its
    own, relative to ``root``/the project). Returns True when it encrypted.
    An already encrypted file is left as it is."""
    path = Path(path)
    root = root or project_root(path)
    if root is None or is_sealed(path):
        return False
    kid, key, _ = _keys_for(root)
    fd, tmp = _atomic(path)
    try:
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            encrypt_stream(src, out, key, kid, name or relative_name(path, root))
        _install(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return True


def seal_tree(folder: str | Path, final: str | Path, *, plain: Iterable[str] = ()) -> int:
    """Encrypt every file under ``folder`` (a stage being written) as if it
    were already at ``final`` (the stage's real folder: the bound path is
    ``final``'s). Files whose name is in ``plain`` stay plain. Nothing
    happens outside an encrypting project. Returns how many were encrypted."""
    folder, final = Path(folder), Path(final)
    root = project_root(final.parent)
    if root is None:
        return 0
    keep = set(plain)
    n = 0
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name not in keep:
            n += seal_file(p, name=relative_name(final / p.relative_to(folder), root), root=root)
    return n


def write_private(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` plain, atomically, 0600 from creation (a
    token, the hub's config and secret: files other programs read as they are)."""
    path = Path(path)
    fd, tmp = _atomic(path)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        _install(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, 0600, encrypted when the project has a key."""
    path = Path(path)
    root = project_root(path.parent)
    fd, tmp = _atomic(path)
    try:
        with os.fdopen(fd, "wb") as out:
            if root is None:
                out.write(data)
            else:
                kid, key, _ = _keys_for(root)
                encrypt_stream(io.BytesIO(data), out, key, kid, relative_name(path, root))
        _install(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def read_bytes(path: str | Path) -> bytes:
    """The plain bytes of ``path`` (decrypted when it is encrypted; checked whole)."""
    path = Path(path)
    if not is_sealed(path):
        return path.read_bytes()
    out = io.BytesIO()
    with open(path, "rb") as src:
        _decrypt_file(src, out, path)
    return out.getvalue()


def _decrypt_file(src: BinaryIO, dst: BinaryIO, path: Path) -> None:
    root = project_root(path)
    if root is None:
        raise UserError("keys.no_project", path=str(path))
    _, _, keys = _keys_for(root)
    return decrypt_stream(src, dst, keys, relative_name(path, root), str(path))


def source(path: str | Path) -> Path | io.BytesIO:
    """What a reader opens: ``path`` itself when plain, else its decrypted
    bytes in memory (pandas and openpyxl accept both)."""
    path = Path(path)
    return io.BytesIO(read_bytes(path)) if is_sealed(path) else path


def decrypt_to(path: str | Path, out: str | Path) -> Path:
    """Decrypt ``path`` into the file ``out`` in bounded memory (a temporary
    file renamed only after every chunk authenticated; 0600)."""
    path, out = Path(path), Path(out)
    fd, tmp = _atomic(out)
    try:
        with os.fdopen(fd, "wb") as dst, open(path, "rb") as src:
            if is_sealed(path):
                _decrypt_file(src, dst, path)
            else:
                while block := src.read(CHUNK):
                    dst.write(block)
        _install(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


@contextlib.contextmanager
def plain_copy(path: str | Path) -> Iterator[Path]:
    """For readers that need a real file (a roster workbook, an export zip):
    ``path`` itself when plain; else a decrypted copy with the same name in a
    private folder beside it (``.<name>.plain-<pid>/``, 0700), removed on exit."""
    path = Path(path)
    if not is_sealed(path):
        yield path
        return
    folder = path.with_name(f".{path.name}.plain-{os.getpid()}")
    folder.mkdir(mode=0o700, exist_ok=True)
    try:
        yield decrypt_to(path, folder / path.name)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def reseal(path: Path, root: Path, keys: dict[bytes, bytes], new_id: bytes) -> bool:
    """Re-encrypt ``path`` with key ``new_id`` (rotation), atomically: the new
    file is complete and renamed over the old one, so a crash leaves either
    the old-key or the new-key file, both readable while both keys are kept.
    Returns True when it rewrote the file."""
    with open(path, "rb") as fh:
        head = fh.read(HEADER_SIZE)
    if len(head) < HEADER_SIZE or head[:7] != MAGIC or head[8:16] == new_id:
        return False
    name = relative_name(path, root)
    fd, tmp = _atomic(path)
    try:   # streamed: old chunks decrypted and re-encrypted one at a time; installed only when all checked
        with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
            encrypt_stream(_ChunkReader(plain_chunks(src, keys, name, str(path))), out, keys[new_id], new_id, name)
        _install(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return True


def sealed_files(root: Path) -> list[Path]:
    """Every encrypted file under the project folder ``root``."""
    return [p for p in sorted(Path(root).rglob("*")) if p.is_file() and not p.is_symlink() and is_sealed(p)]


__all__ = ["MAGIC", "MARKER", "is_sealed", "project_root", "seal_file", "seal_tree", "write_bytes", "read_bytes",
           "source", "decrypt_to", "plain_copy", "reseal", "sealed_files", "encrypt_stream", "decrypt_stream",
           "plain_chunks"]
