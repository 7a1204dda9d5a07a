"""Hash tickets: the only source of randomness in toolkit.sampling.

Every random decision is derived from the recorded seed, so anyone with the
seed and the roster re-derives the same sample on any machine, in any row
order, with nothing but SHA-256.

Byte encoding (algorithm ``fieldeval-sampling/1``)
--------------------------------------------------
* Unit ticket::

      digest = SHA-256( UTF-8(seed) || 0x00 || UTF-8(unit_id) )
      ticket = first 8 bytes of digest, read as an unsigned big-endian integer

  ``seed`` and ``unit_id`` are Unicode NFC-normalised with surrounding
  whitespace removed before encoding. A seed may not contain NUL. With a shell
  you can check one ticket::

      printf '%s\\0%s' "$SEED" "$ID" | sha256sum     # first 16 hex digits

  Units are ranked by (ticket, unit_id); the unit with the smallest ticket
  comes first. Equal 64-bit tickets (probability about N²/2⁶⁵) fall back to
  the id's code points, so the order is always total.

* Derived uniform number for a named purpose (a systematic random start)::

      digest = SHA-256( UTF-8(seed) || 0x01 || UTF-8(purpose) )
      u      = (first 8 bytes as big-endian integer >> 11 + 1) / 2⁵³   ∈ (0, 1]

  0x01 instead of 0x00 keeps a purpose from ever colliding with a unit id.

Speed: with ``polars-hash`` installed (a Rust SHA-256 over an Arrow column,
bit-identical to ``hashlib``; tests compare both over 10,000 random ids),
tickets for a million ids cost a fraction of a second; otherwise
``hashlib`` runs once per id in chunks. Both give the same numbers.
"""
from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from operator import methodcaller

import numpy as np

ALGORITHM_VERSION = "fieldeval-sampling/1"
_CHUNK = 1 << 18
_DIGEST = methodcaller("digest")

try:  # the builtin (non-OpenSSL) SHA-256 has a cheaper per-call setup
    from _sha256 import sha256 as _sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - other Python builds
    _sha256 = hashlib.sha256


def normalise_text(value: object) -> str:
    """NFC-normalised text with surrounding whitespace removed."""
    return unicodedata.normalize("NFC", str(value)).strip()


def seed_bytes(seed: str) -> bytes:
    """UTF-8 of the normalised seed; a seed must be non-empty and free of NUL."""
    s = normalise_text(seed)
    if not s or "\x00" in s or "\x01" in s:
        raise ValueError("seed must be non-empty text without NUL/0x01 characters")
    return s.encode("utf-8")


def _messages(ids: Sequence[str], seed_text: str) -> list[bytes]:
    """UTF-8(seed) || 0x00 || UTF-8(id) for each id, built by one join and one
    split in C (ids never contain a newline; checked, with a slow path)."""
    if not ids:
        return []
    head = seed_text + "\x00"
    joined = head + ("\n" + head).join(ids)
    if joined.count("\n") != len(ids) - 1:  # pragma: no cover - an id holding a newline
        prefix = head.encode("utf-8")
        return [prefix + i.encode("utf-8") for i in ids]
    return joined.encode("utf-8").split(b"\n")


def _fast_engine() -> Callable[[object, str], np.ndarray] | None:
    """The vectorised SHA-256 (polars + polars-hash) when both import, else None.
    Takes a list of ids or a polars String series (Arrow strings: no Python
    string per id)."""
    try:
        import polars as pl
        import polars_hash  # noqa: F401  (registers the ``chash`` namespace)
    except ImportError:  # pragma: no cover - optional speed-up
        return None

    def run(ids: object, seed_text: str) -> np.ndarray:
        col = ids if isinstance(ids, pl.Series) else pl.Series("m", ids, dtype=pl.String)
        frame = pl.DataFrame({"m": col}).select(
            pl.concat_str([pl.lit(seed_text + "\x00"), pl.col("m")]).chash.sha2_256()
            .str.slice(0, 16).str.to_integer(base=16, dtype=pl.UInt64).alias("t"))
        return frame.get_column("t").to_numpy().astype(np.uint64, copy=False)

    return run


_FAST = _fast_engine()


def tickets_hashlib(ids: Sequence[str], seed: str,
                    progress: Callable[[int], None] | None = None) -> np.ndarray:
    """The reference implementation: ``hashlib`` once per id (see module doc)."""
    return _tickets(ids, seed, progress, fast=False)


def tickets(ids: Sequence[str], seed: str,
            progress: Callable[[int], None] | None = None) -> np.ndarray:
    """uint64 tickets (see module doc) for already-normalised ids (a list,
    or a polars String series, which the vectorised engine hashes in place).

    Works in chunks of 2¹⁸ ids so peak memory stays at a few tens of
    megabytes above the id list; each chunk is hashed by the vectorised
    engine when present, else by ``hashlib`` through C-level ``map``.
    """
    return _tickets(ids, seed, progress, fast=_FAST is not None)


def _tickets(ids: Sequence[str], seed: str, progress: Callable[[int], None] | None,
             fast: bool) -> np.ndarray:
    seed_text = seed_bytes(seed).decode("utf-8")
    series = type(ids).__module__.startswith("polars")
    if fast and _FAST is not None and (len(ids) >= 64 or series):
        out = np.empty(len(ids), dtype=np.uint64)
        step = _CHUNK * 4
        for start in range(0, len(ids), step):
            part = ids[start:start + step]
            out[start:start + len(part)] = _FAST(part if series else list(part), seed_text)
            if progress is not None:
                progress(len(part))
        return out
    if series:
        ids = ids.to_list()
    out = np.empty(len(ids), dtype=np.uint64)
    for start in range(0, len(ids), _CHUNK):
        part = _messages(ids[start:start + _CHUNK], seed_text)
        dig = b"".join(map(_DIGEST, map(_sha256, part)))
        first8 = np.frombuffer(dig, dtype=np.uint8).reshape(-1, 32)[:, :8]
        out[start:start + len(part)] = np.ascontiguousarray(first8).view(">u8").ravel()
        if progress is not None:
            progress(len(part))
    return out


def ticket_hex(unit_id: str, seed: str) -> str:
    """Full hex digest of one unit's ticket message (for people checking by hand)."""
    return hashlib.sha256(seed_bytes(seed) + b"\x00" + normalise_text(unit_id).encode("utf-8")).hexdigest()


def uniform(seed: str, purpose: str) -> float:
    """A number in (0, 1] derived from the seed for ``purpose`` (see module doc)."""
    d = hashlib.sha256(seed_bytes(seed) + b"\x01" + normalise_text(purpose).encode("utf-8")).digest()
    return ((int.from_bytes(d[:8], "big") >> 11) + 1) / float(1 << 53)


def ticket_order(tix: np.ndarray, ids: Sequence[str] | np.ndarray,
                 groups: np.ndarray | None = None) -> np.ndarray:
    """Positions sorted by (group, ticket, id): the ranking used everywhere.

    ``groups`` are integer codes (strata or PSUs); None means one group.
    """
    n = len(tix)
    if n == 0:
        return np.empty(0, dtype=np.intp)
    order = np.argsort(tix, kind="stable")
    st = tix[order]
    if np.any(st[1:] == st[:-1]):  # equal 64-bit tickets: break ties by id
        ids_arr = np.asarray(ids.to_list() if hasattr(ids, "to_list") else ids, dtype=object)
        order = np.array(sorted(range(n), key=lambda i: (int(tix[i]), ids_arr[i])), dtype=np.intp)
    if groups is not None:
        g = groups[order]
        if len(g) and 0 <= g.min() and g.max() < 32768:
            g = g.astype(np.int16)     # numpy's stable sort is a radix sort for 16-bit integers
        order = order[np.argsort(g, kind="stable")]
    return order


def iter_ids(values: Iterable[object]) -> list[str]:
    """Normalised id strings of a column."""
    return [normalise_text(v) for v in values]


__all__ = ["ALGORITHM_VERSION", "tickets", "tickets_hashlib", "ticket_hex", "uniform", "ticket_order",
           "seed_bytes", "normalise_text", "iter_ids"]
