"""A checked roster kept on disk, so the next command does not read the export again.

An evaluator runs the chain as separate commands or kernels (roster check,
draw, ingest, verify, report). :mod:`toolkit.verify.roster_once` keeps the
parsed roster only inside one process; at national size every further
process paid a full read and check again (about two minutes at 5.5 million
households). This module keeps, in the project's private area
(``<project>/.fieldeval/cache/roster/<key>/``, folders 0700, files 0600),
what the reader produced:

* ``roster.json``: the Roster dataclass's scalar fields (source, format,
  encoding, sheet, header row, header map, unmapped columns, sheets) and,
  per frame, its column dtypes as pandas names them;
* one Arrow IPC file per frame (``frame``, ``parse_problems``,
  ``not_households``, ``skipped_sheets``, ``help_records``), written and read
  through pyarrow (never pickle), index ``row`` kept, dtypes restored
  exactly (Arrow-backed text stays Arrow-backed);
* ``problems-<settings>.arrow``: the validation problems per evaluation
  settings (the settings' repr, language and date, hashed);
* ``derived-<name>.json``: any value a caller registers for this roster
  (e.g. the draw's roster fingerprint), JSON only.

In a project with a key (``encryption.json``, :mod:`toolkit.vault`) every
file is written encrypted (AES-256-GCM, bound to its path); a plain snapshot
found in such a project is not used. Nothing here goes into leadership
outputs.

Validity key: SHA-256 of the file's bytes (streamed by hashlib, or taken
by the reader from the bytes it read when no snapshot of the file is kept,
see :meth:`Snapshots.lookup`; hashed
again whenever the file's inode, size, modification or change time
differs, see :meth:`Snapshots.digest`), the
resolved path, the reading options and the reader version (SHA-256 of the
source of every module that reads or validates rosters, of this module,
and of the pandas and pyarrow versions), so a changed file or a changed
reader is never served a stale snapshot. The two snapshots used last are
kept (a roster and its comparison frame); older ones are removed. A damaged,
partial or undecryptable snapshot is removed and the file read again:
never an error for the user.
"""
from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import pandas as pd

CACHE = Path(".fieldeval") / "cache" / "roster"
"""The snapshots' folder inside a project (the evaluator's private area)."""
KEEP = 2
FORMAT = 1
_PLAIN = b"FESNAP1\0"          # a plain snapshot file ends with this and the SHA-256 (32 bytes) of what precedes it
_READERS = Path(__file__).resolve().parent          # toolkit/roster: every module that reads or validates
_ALSO = ("verify/roster_once.py",)                   # relative to toolkit/
_KEY_PATH: dict[str, str] = {}                      # snapshot key -> the resolved path it was made for (this process)


@functools.lru_cache(maxsize=1)
def reader_version() -> str:
    """SHA-256 of the source of the roster reading/validation modules (and
    this one), the memo, and the pandas/pyarrow versions: any code change
    gives another key."""
    import pyarrow

    h = hashlib.sha256(f"format {FORMAT} pandas {pd.__version__} pyarrow {pyarrow.__version__}".encode())
    files = sorted(_READERS.glob("*.py")) + [_READERS.parent / a for a in _ALSO]
    for p in files:
        h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def file_digest(path: str | Path) -> str:
    """SHA-256 of the file's bytes, streamed (bounded memory)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


# --- the file's SHA-256 from the bytes the reader reads ------------------------------------
# A roster check with no snapshot of the file (the first command of a chain) used to hash the
# file (a pass over 2.35 GB at national size: 5-27 s, cold or cached) and then read it again.
# Now :meth:`Snapshots.lookup` asks for the digest only when a snapshot of that file is kept;
# otherwise it marks the file as wanted, the reader (``read_bytes``) hashes the bytes it read in a
# thread (hashlib releases the GIL) beside decoding and parsing them, and :meth:`Snapshots.digest`
# takes that value when the file's device, inode, size and times are still those of the read.

_WANTED: set[str] = set()                           # resolved paths whose bytes should be hashed as read
_HASHED: dict[str, tuple[list[int], object, list[str]]] = {}   # resolved path -> (stamp, thread, [hex digest])


def _stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def read_bytes(path: str | Path) -> bytes:
    """``path.read_bytes()``; when a snapshot key will be wanted for this
    file (:meth:`Snapshots.lookup` found none kept), its SHA-256 is computed
    from these same bytes in a thread, kept for :meth:`Snapshots.digest`
    (only when the file did not change while it was read)."""
    p = Path(path)
    name = str(p.resolve())
    if name not in _WANTED:
        return p.read_bytes()
    before = _stamp(p)
    raw = p.read_bytes()
    if _stamp(p) == before and len(raw) == before[2]:
        import threading

        out: list[str] = []
        worker = threading.Thread(target=lambda: out.append(hashlib.sha256(raw).hexdigest()), daemon=True)
        worker.start()
        _HASHED[name] = (before, worker, out)
    return raw


def hashed(path: str | Path) -> None:
    """Wait until the bytes of ``path`` the reader read are hashed (so the
    reader can drop them: the thread holds them until then)."""
    hit = _HASHED.get(str(Path(path).resolve()))
    if hit is not None:
        hit[1].join()


def _digest_read(name: str, stamp: list[int]) -> str | None:
    """The SHA-256 the reader took of ``name``'s bytes, when they are the
    file's bytes of ``stamp``; else None."""
    hit = _HASHED.pop(name, None)
    _WANTED.discard(name)
    if hit is None or hit[0] != stamp:
        return None
    hit[1].join()
    return hit[2][0] if hit[2] else None


def _option_text(value: object) -> str:
    """A reading option as key text: pandas objects by their values (their
    repr is shortened with "..." for long ones), the rest by repr."""
    if isinstance(value, pd.Series | pd.DataFrame):
        h = pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes()
        dtypes = value.dtypes if isinstance(value, pd.DataFrame) else [value.dtype]
        return f"{type(value).__name__} {hashlib.sha256(h).hexdigest()} {[str(t) for t in dtypes]}"
    return repr(value)


def _text_key(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()[:24]


# --- frames <-> Arrow -------------------------------------------------------------------

_NULLS = {"none": None, "nan": float("nan"), "na": pd.NA, "nat": pd.NaT}


def _null_kind(v: object) -> str:
    if v is None:
        return "none"
    if v is pd.NA:
        return "na"
    if v is pd.NaT:
        return "nat"
    if isinstance(v, float):
        return "nan"
    raise TypeError("a missing value of another kind")


def _object_nulls(frame: pd.DataFrame) -> dict[str, str]:
    """Per object column with missing cells, which missing value it holds
    (Arrow has one null: None/NaN/NA/NaT come back as they went in). A
    column mixing kinds is refused (not kept)."""
    out = {}
    for c in [c for c, t in frame.dtypes.items() if t == np.dtype(object)]:
        miss = frame[c].isna().to_numpy()
        if miss.any():
            kinds = {_null_kind(v) for v in frame[c].to_numpy()[miss]}
            if len(kinds) > 1:
                raise TypeError("missing values of several kinds")
            out[str(c)] = kinds.pop()
    return out


def _frame_table(frame: pd.DataFrame) -> tuple[object, dict]:
    """(the frame as an Arrow table, notes: dtypes, index,
    missing-value kinds, JSON attrs). Raises when the frame cannot be stored
    exactly (a column of mixed Python objects, attrs that are not JSON)."""
    import pyarrow as pa

    if any(not isinstance(c, str) for c in frame.columns):
        raise TypeError("column names that are not text")
    plain = frame.copy(deep=False)
    plain.attrs = {}
    table = pa.Table.from_pandas(plain, preserve_index=None)   # a RangeIndex stays one (metadata only)
    attrs = {k: v for k, v in frame.attrs.items() if not isinstance(v, pd.DataFrame)}
    json.dumps(attrs)
    notes = {"dtypes": [[str(c), str(t)] for c, t in frame.dtypes.items()],
             "index": str(frame.index.dtype), "index_name": frame.index.name,
             "columns": [str(c) for c in frame.columns], "nulls": _object_nulls(frame), "attrs": attrs,
             "frame_attrs": sorted(k for k, v in frame.attrs.items() if isinstance(v, pd.DataFrame))}
    return table, notes


def _frame_from(buf: object, notes: dict) -> pd.DataFrame:
    """The frame back from its Arrow IPC bytes, dtypes as written (attrs
    that are frames are put back by the caller)."""
    import pyarrow as pa

    frame = pa.ipc.open_file(pa.py_buffer(buf)).read_all().to_pandas()
    if [str(c) for c in frame.columns] != notes["columns"]:
        raise ValueError("columns differ")
    for col, dtype in notes["dtypes"]:
        if str(frame[col].dtype) != dtype:
            frame[col] = frame[col].astype(pd.api.types.pandas_dtype(dtype))
    for col, kind in notes["nulls"].items():
        miss = frame[col].isna().to_numpy()
        if miss.any():
            vals = frame[col].to_numpy(copy=True)
            vals[miss] = _NULLS[kind]
            frame[col] = pd.Series(vals, index=frame.index, dtype=object)
    if str(frame.index.dtype) != notes["index"]:
        frame.index = frame.index.astype(pd.api.types.pandas_dtype(notes["index"]))
    frame.index.name = notes["index_name"]
    if [str(t) for t in frame.dtypes] != [t for _, t in notes["dtypes"]]:
        raise ValueError("dtypes differ")
    frame.attrs = dict(notes["attrs"])
    return frame


# --- files (plain or sealed) ---------------------------------------------------------------

class _IpcPipe:
    """An Arrow table's IPC file bytes, read (``read(n)``) as a thread writes
    them: :func:`toolkit.vault.encrypt_stream` encrypts a snapshot chunk by
    chunk while it is written, instead of the whole IPC file (3.4 GB at
    national size) being built in memory first. At most a few MiB wait
    between the two."""

    PART = 1 << 20

    def __init__(self, table: object) -> None:
        import queue
        import threading

        self._q: queue.Queue = queue.Queue(maxsize=8)
        self._buf = bytearray()
        self._end = False
        self._error: list[BaseException] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, args=(table,), daemon=True)
        self._thread.start()

    def _produce(self, table: object) -> None:
        import pyarrow as pa

        pipe = self

        class Sink(io.RawIOBase):
            def __init__(self) -> None:
                super().__init__()
                self.part = bytearray()
                self.pos = 0

            def writable(self) -> bool:
                return True

            def write(self, b: object) -> int:
                if pipe._stop.is_set():
                    raise OSError("reader gone")
                n = len(memoryview(b).cast("B"))
                self.part += b
                self.pos += n
                if len(self.part) >= pipe.PART:
                    pipe._q.put(bytes(self.part))
                    self.part = bytearray()
                return n

            def tell(self) -> int:
                return self.pos

        try:
            sink = Sink()
            with pa.ipc.new_file(sink, table.schema) as w:
                w.write_table(table)
            if sink.part:
                self._q.put(bytes(sink.part))
        except BaseException as e:   # noqa: BLE001 - raised again by the reader
            self._error.append(e)
        finally:
            self._q.put(None)

    def read(self, n: int) -> bytes:
        while len(self._buf) < n and not self._end:
            item = self._q.get()
            if item is None:
                self._end = True
            else:
                self._buf += item
        if self._end and self._error:
            raise self._error[0]
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    def finish(self) -> None:
        """Stop the writer (when the reader stopped early) and wait for it."""
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._q.get(timeout=0.1)
            except Exception:   # noqa: BLE001 - queue.Empty
                pass
        self._thread.join()
        if self._error and not isinstance(self._error[0], OSError):
            raise self._error[0]


class _HashingSink(io.RawIOBase):
    """A file Arrow's IPC writer writes to that hashes every byte on its way
    (SHA-256): a plain snapshot's digest without reading the written file
    back (3.4 GB at national size)."""

    def __init__(self, fh: object) -> None:
        super().__init__()
        self.fh = fh
        self.sha = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, b: object) -> int:
        self.sha.update(b)
        return self.fh.write(b)

    def tell(self) -> int:
        return self.fh.tell()

    def flush(self) -> None:
        self.fh.flush()


@dataclass(frozen=True)
class Snapshots:
    """The roster snapshots of one project (``root``: the project folder)."""

    root: Path

    @property
    def folder(self) -> Path:
        return Path(self.root) / CACHE

    @property
    def sealed(self) -> bool:
        from toolkit import vault

        return (Path(self.root) / vault.MARKER).is_file()

    def digest(self, path: str | Path) -> str:
        """SHA-256 of the file's bytes, hashed once per version of the file:
        kept in ``digests.json`` beside the snapshots with the file's device,
        inode, size, modification and change times (nanoseconds). Any write
        to the file changes its change time (a user cannot set it back), so
        a changed byte is hashed again; hashing a 5.5M-household CSV takes
        seconds in every command otherwise."""
        p = Path(path).resolve()
        stamp = _stamp(p)
        memo = self.folder / "digests.json"
        known: dict = {}
        read = _digest_read(str(p), stamp)   # hashed by the reader from the bytes it read
        try:
            known = json.loads(memoryview(self._read(memo)).tobytes().decode("utf-8")) if memo.is_file() else {}
            hit = known.get(str(p))
            if isinstance(hit, list) and hit[:-1] == stamp:
                return str(hit[-1])
        except Exception:   # noqa: BLE001 - damaged: hashed again
            known = {}
        value = read if read is not None else file_digest(p)
        known[str(p)] = stamp + [value]
        known = dict(list(known.items())[-8:])
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._write(memo, json.dumps(known).encode("utf-8"))
        except OSError:
            pass
        return value

    def key(self, path: str | Path, options: dict) -> str:
        """The validity key of ``path`` read with ``options``."""
        opts = sorted((k, _option_text(v)) for k, v in options.items())
        name = str(Path(path).resolve())
        text = json.dumps({"file": self.digest(path), "path": name, "options": opts,
                           "reader": reader_version()}, sort_keys=True)
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        _KEY_PATH[key] = name
        return key

    def lookup(self, path: str | Path, options: dict) -> str | None:
        """:meth:`key`, or None when no kept snapshot was read from this
        file's path (the key holds the resolved path, so none could match):
        then the file is not hashed now; the reader hashes the bytes it reads
        (:func:`read_bytes`) and :meth:`key` after the read takes that
        digest. A snapshot that does not say its path counts as this one's."""
        name = str(Path(path).resolve())
        if self.folder.is_dir():
            for d in self.folder.iterdir():
                if d.name.startswith(".") or not (d / "roster.json").is_file():
                    continue
                try:
                    kept = json.loads(memoryview(self._read(d / "roster.json")).tobytes().decode("utf-8")).get("path")
                except Exception:   # noqa: BLE001 - damaged: load() removes it
                    kept = None
                if kept is None or kept == name:
                    return self.key(path, options)
        _WANTED.add(name)
        return None

    # one file -------------------------------------------------------------------------
    def _write(self, path: Path, data: object, final: Path | None = None) -> None:
        """Write bytes or an Arrow table (as an IPC file) to ``path`` (0600,
        atomic), encrypted in a project with a key (bound to ``final``'s
        name when given), else behind a SHA-256 of the rest."""
        import pyarrow as pa

        from toolkit import vault

        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            if isinstance(data, pa.Table) and not self.sealed:    # streamed to disk: no copy in memory
                with os.fdopen(fd, "wb") as fh:
                    sink = _HashingSink(fh)        # hashed as written: the file is not read back
                    with pa.ipc.new_file(sink, data.schema) as w:
                        w.write_table(data)
                    fh.write(_PLAIN + sink.sha.digest())
            else:
                with os.fdopen(fd, "wb") as out:
                    if self.sealed:
                        from toolkit.keys import load_ring

                        ring = load_ring(Path(self.root).resolve())
                        name = vault.relative_name(final or path, Path(self.root).resolve())
                        src = _IpcPipe(data) if isinstance(data, pa.Table) else pa.BufferReader(data)
                        try:   # a table is encrypted as Arrow writes it (not built whole in memory first)
                            vault.encrypt_stream(src, out, ring.keys[ring.current_id], ring.current_id, name)
                        finally:
                            if isinstance(src, _IpcPipe):
                                src.finish()
                    else:   # no key: a digest guards against a damaged file (a sealed one is authenticated)
                        out.write(memoryview(data))
                        out.write(_PLAIN + hashlib.sha256(memoryview(data)).digest())
            os.chmod(tmp, 0o600)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    def _read(self, path: Path) -> object:
        """The plain bytes of a snapshot file (a memory map when plain).
        Raises on a damaged file, or a plain file in a project with a key."""
        import pyarrow as pa

        from toolkit import vault

        if self.sealed:
            if not vault.is_sealed(path):
                raise ValueError("plain snapshot in a project with a key")
            return vault.read_bytes(path)
        buf = pa.memory_map(str(path)).read_buffer()
        tail = len(_PLAIN) + 32
        if buf.size < tail or buf.slice(buf.size - tail, len(_PLAIN)).to_pybytes() != _PLAIN:
            raise ValueError("not a plain snapshot file")
        data = buf.slice(0, buf.size - tail)
        if hashlib.sha256(memoryview(data)).digest() != buf.slice(buf.size - 32).to_pybytes():
            raise ValueError("damaged")
        return data

    def _drop(self, key: str) -> None:
        shutil.rmtree(self.folder / key, ignore_errors=True)

    # the roster -----------------------------------------------------------------------
    def load(self, key: str) -> object | None:
        """The Roster kept under ``key``, or None (nothing kept, or damaged:
        then removed)."""
        from toolkit.roster.read import Roster

        d = self.folder / key
        if not (d / "roster.json").is_file():
            return None
        try:
            meta = json.loads(memoryview(self._read(d / "roster.json")).tobytes().decode("utf-8"))
            if meta.get("key") != key or meta.get("format") != FORMAT:
                raise ValueError("another snapshot")
            values = {}
            for name, v in meta["scalars"].items():
                values[name] = tuple(v["tuple"]) if isinstance(v, dict) and "tuple" in v else v
            for name, notes in meta["frames"].items():
                values[name] = None if notes is None else _frame_from(self._read(d / f"{name}.arrow"), notes)
            for name in [n for n in values if "@" in n]:      # frames kept in a frame's attrs
                owner, attr = name.split("@", 1)
                values[owner].attrs[attr] = values.pop(name)
            roster = Roster(**values)
            os.utime(d / "roster.json")          # used last: kept longest
            return roster
        except Exception:   # noqa: BLE001 - a damaged snapshot is read again, never an error
            self._drop(key)
            return None

    def save(self, key: str, roster: object) -> bool:
        """Keep ``roster`` under ``key`` (a folder written aside, then renamed);
        False when a frame cannot be stored (nothing kept)."""
        final = self.folder / key
        if (final / "roster.json").is_file():
            return True
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(self.folder, 0o700)
            tmp = Path(tempfile.mkdtemp(prefix=f".{key[:16]}.", dir=self.folder))
            scalars, frames = {}, {}
            for f in fields(roster):
                v = getattr(roster, f.name)
                if isinstance(v, pd.DataFrame):
                    for name, part in [(f.name, v)] + [(f"{f.name}@{a}", v.attrs[a]) for a in sorted(v.attrs)
                                                        if isinstance(v.attrs[a], pd.DataFrame)]:
                        buf, notes = _frame_table(part)
                        if notes["frame_attrs"] and part is not v:
                            raise TypeError("frames nested twice in attrs")
                        self._write(tmp / f"{name}.arrow", buf, final / f"{name}.arrow")
                        frames[name] = notes
                elif v is None and f.name == "help_records":
                    frames[f.name] = None
                else:
                    scalars[f.name] = {"tuple": list(v)} if isinstance(v, tuple) else v
            meta = {"format": FORMAT, "key": key, "scalars": scalars, "frames": frames, "path": _KEY_PATH.get(key)}
            self._write(tmp / "roster.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"),
                        final / "roster.json")
            shutil.rmtree(final, ignore_errors=True)
            os.replace(tmp, final)
            tmp = None
        except Exception:   # noqa: BLE001 - not kept: the next process reads the file again
            return False
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
        self.prune()
        return True

    def prune(self, keep: int = KEEP) -> None:
        """Remove all but the ``keep`` snapshots used last (and stray folders)."""
        if not self.folder.is_dir():
            return
        done = []
        for d in self.folder.iterdir():
            if d.name.startswith(".") or not d.is_dir():
                continue
            try:
                done.append(((d / "roster.json").stat().st_mtime_ns, d))
            except OSError:
                shutil.rmtree(d, ignore_errors=True)
        for _, d in sorted(done, reverse=True)[keep:]:
            shutil.rmtree(d, ignore_errors=True)

    # what belongs to a kept roster --------------------------------------------------------
    def problems(self, key: str, settings: str) -> pd.DataFrame | None:
        """Validation problems kept for ``settings``, or None."""
        d = self.folder / key
        p = d / f"problems-{_text_key(settings)}.arrow"
        if not p.is_file():
            return None
        try:
            meta = json.loads(memoryview(self._read(p.with_suffix(".json"))).tobytes().decode("utf-8"))
            if meta.get("settings") != settings:
                return None
            return _frame_from(self._read(p), meta["notes"])
        except Exception:   # noqa: BLE001 - damaged: validated again
            for q in (p, p.with_suffix(".json")):
                q.unlink(missing_ok=True)
            return None

    def save_problems(self, key: str, settings: str, problems: pd.DataFrame) -> None:
        d = self.folder / key
        if not (d / "roster.json").is_file():
            return
        p = d / f"problems-{_text_key(settings)}.arrow"
        try:
            buf, notes = _frame_table(problems)
            self._write(p, buf)
            self._write(p.with_suffix(".json"), json.dumps({"settings": settings, "notes": notes}).encode("utf-8"))
        except Exception:   # noqa: BLE001 - not kept
            return

    def derived(self, key: str, name: str) -> object | None:
        """A value registered for the roster under ``name`` (JSON), or None."""
        p = self.folder / key / f"derived-{_text_key(name)}.json"
        if not p.is_file():
            return None
        try:
            rec = json.loads(memoryview(self._read(p)).tobytes().decode("utf-8"))
            return rec["value"] if rec.get("name") == name else None
        except Exception:   # noqa: BLE001 - damaged: computed again
            p.unlink(missing_ok=True)
            return None

    def save_derived(self, key: str, name: str, value: object) -> None:
        d = self.folder / key
        if not (d / "roster.json").is_file():
            return
        try:
            data = json.dumps({"name": name, "value": value}, ensure_ascii=False).encode("utf-8")
        except (TypeError, ValueError):
            return
        self._write(d / f"derived-{_text_key(name)}.json", data)


__all__ = ["CACHE", "KEEP", "Snapshots", "file_digest", "hashed", "read_bytes", "reader_version"]
