"""Text encodings of Chinese exports: detect UTF-8 / UTF-8-BOM / UTF-16 (by its
byte-order mark, or its NUL bytes) / GBK / GB18030,
and refuse text that decodes but comes out garbled (乱码).

Garble test: real Chinese text uses almost only the 6,763 common characters of
GB 2312; UTF-8 bytes read as GBK (or GBK read as Latin-1) produce rare CJK,
private-use, box-drawing and accented Latin characters instead. A line whose
share of such characters among its non-ASCII ones exceeds ``GARBLE_SHARE`` is
garbled. The check runs on whole blocks with numpy, not per character.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from toolkit.errors import UserError

GARBLE_SHARE = 0.35   # a line with more than this share of unusual characters is garbled
MIN_NON_ASCII = 2     # lines with fewer non-ASCII characters are not judged
BLOCK = 8 << 20       # bytes decoded and scanned at a time


@lru_cache(maxsize=1)
def _usual() -> np.ndarray:
    """Boolean table over the BMP: True for characters usual in Chinese records
    (ASCII, GB 2312 hanzi and symbols, full-width forms, CJK punctuation)."""
    table = np.zeros(0x10000, dtype=bool)
    table[:0x80] = True
    # every character GB 2312 can encode (two-byte area A1A1-F7FE)
    hi = np.arange(0xA1, 0xF8, dtype=np.uint16)
    lo = np.arange(0xA1, 0xFF, dtype=np.uint16)
    pairs = (hi[:, None] << 8 | lo[None, :]).ravel().astype(">u2").tobytes()
    text = pairs.decode("gb2312", errors="replace")
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    table[cps[cps < 0x10000]] = True
    table[0xFFFD] = False
    table[0x3000:0x3040] = True      # CJK punctuation
    table[0xFF00:0xFFF0] = True      # full-width forms
    table[[0xB7, 0xD7, 0x2014, 0x2026, 0x201C, 0x201D, 0x2018, 0x2019, 0xFEFF]] = True
    return table


@dataclass(frozen=True)
class Garbled:
    """Where garbled text was found: 1-based line number and a short sample."""

    line: int
    sample: str


def find_garbled(text: str, first_line: int = 1) -> Garbled | None:
    """The first garbled line of ``text`` (numbered from ``first_line``), or None."""
    if not text or text.isascii():
        return None
    cps = np.frombuffer(text.encode("utf-32-le", errors="surrogatepass"), dtype=np.uint32)
    # only the non-ASCII characters are looked up (a roster is mostly ASCII)
    where = np.flatnonzero(cps >= 0x80)
    wide = cps[where]
    unusual = (wide >= 0x10000) | ~_usual()[np.minimum(wide, 0xFFFF)]
    if not unusual.any():
        return None
    breaks = np.flatnonzero(cps == 0x0A)
    k = _first_garbled_line(breaks, where, unusual)
    if k is None:
        return None
    lines = text.split("\n", k + 1)
    return Garbled(first_line + k, lines[k][:40].strip())


def _first_garbled_line(breaks: np.ndarray, where: np.ndarray, unusual: np.ndarray) -> int | None:
    """Index (0-based) of the first line with at least ``MIN_NON_ASCII``
    non-ASCII characters of which more than ``GARBLE_SHARE`` are unusual, or
    None. ``breaks``: positions of the newlines; ``where``: positions of the
    non-ASCII characters; ``unusual``: which of them are unusual."""
    n_lines = len(breaks) + 1
    line_id = np.searchsorted(breaks, where, side="right")   # newlines before each character
    na = np.bincount(line_id, minlength=n_lines)
    un = np.bincount(line_id[unusual], minlength=n_lines)
    bad = np.nonzero((na >= MIN_NON_ASCII) & (un > GARBLE_SHARE * na))[0]
    return int(bad[0]) if bad.size else None


def find_garbled_utf8(data: bytes | memoryview, first_line: int = 1) -> Garbled | None:
    """``find_garbled`` of valid UTF-8 bytes, read from the bytes themselves
    (no decode into a Python string): every non-ASCII character has exactly one
    lead byte (≥ C0), its code point is put together from the lead and the
    continuation bytes with numpy, lines are counted by their newline bytes.
    Same answer as ``find_garbled(data.decode("utf-8"), first_line)``."""
    b = np.frombuffer(data, dtype=np.uint8)
    lead = np.flatnonzero(b >= 0xC0)
    if lead.size == 0:
        return None
    lb = b[lead].astype(np.uint32)
    pad = np.concatenate([b, np.zeros(3, dtype=np.uint8)]) if lead[-1] + 3 >= b.size else b
    b1 = pad[lead + 1].astype(np.uint32) & 0x3F
    b2 = pad[lead + 2].astype(np.uint32) & 0x3F
    two = lb < 0xE0
    cp = np.where(two, (lb & 0x1F) << 6 | b1, (lb & 0x0F) << 12 | b1 << 6 | b2)
    unusual = (lb >= 0xF0) | ~_usual()[np.minimum(cp, 0xFFFF)]
    if not unusual.any():
        return None
    breaks = np.flatnonzero(b == 0x0A)
    k = _first_garbled_line(breaks, lead, unusual)
    if k is None:
        return None
    start = int(breaks[k - 1]) + 1 if k > 0 else 0
    end = int(breaks[k]) if k < len(breaks) else b.size
    line = bytes(b[start:end]).decode("utf-8", errors="replace")
    return Garbled(first_line + k, line[:40].strip())


@lru_cache(maxsize=1)
def _unusual_class() -> str:
    """A regex class (Rust syntax) of every character ``_usual`` says is not usual."""
    cps = np.flatnonzero(_usual())
    cut = np.flatnonzero(np.diff(cps) > 1)
    starts, ends = cps[np.r_[0, cut + 1]], cps[np.r_[cut, len(cps) - 1]]
    return "[^" + "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}"
                          for a, b in zip(starts.tolist(), ends.tolist())) + "]"


def _any_unusual(data: bytes | memoryview, cuts: "list[int] | None" = None) -> np.ndarray:
    """Per block of valid UTF-8 ``data`` (``data[cuts[i]:cuts[i + 1]]``; one
    block when ``cuts`` is None): whether it holds any unusual character. One
    scan by polars' regex (a DFA over the bytes; the regex is compiled once per
    call, so blocks are checked together), much cheaper than putting every
    code point together; a clean block needs nothing more."""
    import polars as pl
    import pyarrow as pa

    offsets = pa.py_buffer(np.array(cuts if cuts is not None else [0, len(data)], dtype=np.int64).tobytes())
    arr = pa.Array.from_buffers(pa.large_string(), len(cuts) - 1 if cuts is not None else 1,
                                [None, offsets, pa.py_buffer(data)])
    return pl.from_arrow(arr).str.contains(_unusual_class()).to_numpy().astype(bool)


def _utf8_valid(raw: bytes, begin: int = 0) -> bool:
    """Whether ``raw[begin:]`` is valid UTF-8, checked by Arrow's validator
    (several times faster than decoding into a Python string; no copy)."""
    import pyarrow as pa

    buf = pa.py_buffer(raw)
    offsets = pa.py_buffer(np.array([begin, len(raw)], dtype=np.int64).tobytes())
    arr = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, buf])
    try:
        arr.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _line_of(raw: bytes, pos: int) -> int:
    return raw.count(b"\n", 0, pos) + 1


def detect_and_check(raw: bytes, encoding: str = "auto", *, path: str = "") -> str:
    """The Python codec name to read ``raw`` with; see ``decode_checked``."""
    return decode_checked(raw, encoding, path=path)[0]


def decode_checked(raw: bytes, encoding: str = "auto", *, path: str = "") -> tuple[str, bytes]:
    """(codec, the text re-encoded as UTF-8 without BOM); see ``check_text``."""
    enc, data, skip = check_text(raw, encoding, path=path)
    return enc, data[skip:] if skip else data


def check_text(raw: bytes, encoding: str = "auto", *, path: str = "") -> tuple[str, bytes, int]:
    """(codec, the text as UTF-8, bytes to skip at its start: a UTF-8 BOM
    left in place, so a UTF-8 file is never copied; ``data is raw`` then);
    raises UserError when
    the bytes do not decode (naming the line) or decode to garbled text.

    ``auto`` tries a UTF-8 BOM, a UTF-16 BOM (or UTF-16's NUL bytes), then UTF-8, then GB18030 (a superset of GBK and
    GB 2312). A file that is UTF-8 up to some line and something else after is
    reported as mixed encodings at that line.
    """
    if encoding != "auto":
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UserError("roster.bad_encoding_name", encoding=encoding) from None
        if codecs.lookup(encoding).name.startswith("utf-16"):
            return encoding, _utf16(raw, encoding, path), 0
        if utf16_codec(raw) is not None:
            raise UserError("roster.is_utf16", path=path, encoding=encoding)
    utf16 = utf16_codec(raw) if encoding == "auto" else None
    if utf16 is not None:
        return utf16, _utf16(raw, utf16, path), 0
    if encoding != "auto":
        bom = 3 if raw.startswith(codecs.BOM_UTF8) and codecs.lookup(encoding).name == "utf-8" else 0
        if codecs.lookup(encoding).name == "utf-8" and _utf8_valid(raw, bom):
            _scan_utf8(raw, encoding, path, bom)
            return encoding, raw, bom
        body = raw[bom:] if bom else raw
        return encoding, _scan(body, encoding, path), 0
    if raw.startswith(codecs.BOM_UTF8):
        if _utf8_valid(raw, 3):   # checked in place (a copy without the mark would double the memory)
            _scan_utf8(raw, "utf-8", path, 3)
            return "utf-8-sig", raw, 3
        return "utf-8-sig", _scan(raw[3:], "utf-8", path), 0
    if _utf8_valid(raw):
        _scan_utf8(raw, "utf-8", path)   # checked on its bytes: never decoded into a Python string
        return "utf-8", raw, 0
    bad = _first_bad_utf8(raw)
    if bad is not None:
        head = raw[:bad]
        if not head.isascii():
            raise UserError("roster.mixed_encoding", path=path, line=_line_of(raw, bad),
                            encoding="UTF-8") from None
    else:   # pragma: no cover - Arrow and Python disagree on what UTF-8 is
        _scan_utf8(raw, "utf-8", path)
        return "utf-8", raw, 0
    return "gb18030", _scan(raw, "gb18030", path), 0


def _first_bad_utf8(raw: bytes, step: int = 1 << 20) -> int | None:
    """Where ``raw.decode("utf-8")`` fails (``UnicodeDecodeError.start``), or
    None when it decodes: decoded ``step`` bytes at a time from a character's
    start (a whole decode allocates a string as long as the file even when it
    fails at its first byte, as a GBK file does: ~1 s for 132 MB under load)."""
    at, n = 0, len(raw)
    view = memoryview(raw)
    while at < n:
        end = min(n, at + step)
        try:
            _, used = codecs.utf_8_decode(view[at:end], "strict", end == n)
        except UnicodeDecodeError as e:
            return at + e.start
        if used == 0 and end < n:   # a character cut by ``end``: a longer step
            step *= 2
            continue
        at += used
    return None


def utf16_codec(raw: bytes) -> str | None:
    """"utf-16" when ``raw`` starts with a UTF-16 byte-order mark (Excel's "Unicode
    text" and some union systems write it); "utf-16-le"/"utf-16-be" when it has
    no mark but every other byte of its start is NUL (ASCII-heavy UTF-16); else None."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = raw[:4096]
    if len(head) >= 8 and head.count(b"\x00") * 4 >= len(head):
        even, odd = head[0::2].count(b"\x00"), head[1::2].count(b"\x00")
        if odd > 3 * even:
            return "utf-16-le"
        if even > 3 * odd:
            return "utf-16-be"
    return None


def _utf16(raw: bytes, codec: str, path: str) -> bytes:
    """UTF-16 bytes as checked UTF-8 text (decoded whole: a UTF-16 line end is two bytes)."""
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as e:
        line = raw[: e.start].count("\n".encode(codec if codec != "utf-16" else "utf-16-le")) + 1
        raise UserError("roster.undecodable", path=path, encoding="UTF-16", line=line) from None
    return _scan(text.lstrip("\ufeff").encode("utf-8"), "utf-8", path)


def _scan(raw: bytes, encoding: str, path: str) -> bytes:
    """Decode ``raw`` block by block (at line ends); raise on undecodable bytes
    or on the first garbled line; return the text as UTF-8 bytes.

    A large file in another encoding than UTF-8 (GBK, GB18030: Python's
    decoder is single-threaded C and holds the GIL) is decoded in two
    processes, each taking half the blocks (``_decode_parallel``); the blocks,
    the order of the checks and so every answer are those of one process."""
    n = len(raw)
    utf8 = codecs.lookup(encoding).name == "utf-8"
    cuts = _cuts(raw)
    decoded: list[bytes | int] | None = None
    if not utf8 and n >= PARALLEL_MIN and len(cuts) > 2:
        decoded = _decode_parallel(raw, cuts, encoding)
    if decoded is not None:
        return _check_decoded(raw, cuts, decoded, encoding, path)
    line = 1
    parts: list[bytes] = []
    for i in range(len(cuts) - 1):
        start, end = cuts[i], cuts[i + 1]
        res = decoded[i] if decoded is not None else _decode_block(raw, start, end, encoding, utf8)
        if isinstance(res, int):
            raise UserError("roster.undecodable", path=path, encoding=encoding,
                            line=line + raw.count(b"\n", start, start + res)) from None
        data = res
        g = find_garbled_utf8(data, line) if (end < n and raw[end - 1] != 0x0A) or _any_unusual(data)[0] else None
        if g is not None:
            raise UserError("roster.garbled", path=path, encoding=encoding, line=g.line,
                            sample=g.sample)
        if not utf8:
            parts.append(data)
        if decoded is not None:
            decoded[i] = b""   # its bytes are in ``parts`` now
        line += data.count(b"\n")
    return raw if utf8 else b"".join(parts)


def _check_decoded(raw: bytes, cuts: list[int], decoded: list[bytes | int], encoding: str, path: str) -> bytes:
    """``_scan``'s checks of blocks already decoded (``decoded[i]``: block i
    as UTF-8, or the offset of its first undecodable byte), in the same order
    with the same answers: the blocks before the first undecodable one are
    joined (the text returned) and sieved for unusual characters in one
    ``_any_unusual`` call (its regex compiled once, not once per block);
    a block the sieve flags, or one not ending at a line end, is checked line
    by line (``find_garbled_utf8``) from the first on; then the undecodable
    block, if any, is reported."""
    nb = len(cuts) - 1
    bad = next((i for i in range(nb) if isinstance(decoded[i], int)), nb)
    sizes = [len(decoded[i]) for i in range(bad)]
    text = b"".join(decoded[:bad])
    for i in range(bad):
        decoded[i] = b""   # their bytes are in ``text`` now
    at = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).tolist()
    dirty = _any_unusual(text, at) if bad else np.zeros(0, dtype=bool)
    view = memoryview(text)
    line = 1
    for i in range(bad):
        block = view[at[i]: at[i + 1]]
        if dirty[i] or (cuts[i + 1] < len(raw) and raw[cuts[i + 1] - 1] != 0x0A):
            g = find_garbled_utf8(block, line)
            if g is not None:
                raise UserError("roster.garbled", path=path, encoding=encoding, line=g.line, sample=g.sample)
        line += text.count(b"\n", at[i], at[i + 1])
    if bad < nb:
        start = cuts[bad]
        raise UserError("roster.undecodable", path=path, encoding=encoding,
                        line=line + raw.count(b"\n", start, start + decoded[bad])) from None
    return text


PARALLEL_MIN = 32 << 20   # bytes from which a non-UTF-8 file is decoded in two processes


def _cuts(raw: bytes | str) -> list[int]:
    """Block boundaries: about ``BLOCK`` long, each ending at a line end when
    the block holds one."""
    n = len(raw)
    nl = b"\n" if isinstance(raw, bytes) else "\n"
    cuts = [0]
    while cuts[-1] < n:
        start = cuts[-1]
        end = min(n, start + BLOCK)
        if end < n:
            k = raw.rfind(nl, start, end)
            end = k + 1 if k > start else end
        cuts.append(end)
    return cuts


def _decode_block(raw: bytes, start: int, end: int, encoding: str, utf8: bool) -> bytes | int:
    """One block as UTF-8 bytes, or the offset (in the block) of its first
    undecodable byte."""
    if utf8:
        try:
            codecs.decode(memoryview(raw)[start:end], "utf-8")
        except UnicodeDecodeError as e:
            return e.start
        return raw[start:end]
    try:
        text = raw[start:end].decode(encoding)
    except UnicodeDecodeError as e:
        return e.start
    return text.encode("utf-8")


def _decode_parallel(raw: bytes, cuts: list[int], encoding: str) -> list[bytes | int] | None:
    """Every block decoded (``_decode_block``), the later half by a forked
    child process (it shares ``raw`` without a copy and sends back UTF-8
    bytes through a pipe), the first half here at the same time. A child
    stops at its first undecodable block. None when no child could be had
    (the caller then decodes in this process)."""
    import multiprocessing as mp

    try:
        ctx = mp.get_context("fork")
    except ValueError:   # pragma: no cover - no fork on this system
        return None
    nb = len(cuts) - 1
    half = next((i for i in range(nb) if cuts[i] >= cuts[-1] // 2), nb - 1) or 1
    recv, send = ctx.Pipe(duplex=False)
    try:
        child = ctx.Process(target=_child_decode, args=(send, raw, cuts, half, encoding), daemon=True)
        child.start()
    except OSError:   # pragma: no cover - no process to be had
        return None
    send.close()
    got: list[bytes | int] = []   # the child's blocks, read by a thread as they come (a pipe holds 64 KiB)
    failed: list[BaseException] = []

    def receive() -> None:
        try:
            for _ in range(half, nb):
                head = recv.recv_bytes()
                if head[:1] == b"E":
                    got.append(int(head[1:]))
                    return
                got.append(recv.recv_bytes())
        except (EOFError, OSError, ValueError) as e:   # the child died
            failed.append(e)

    import threading

    reader = threading.Thread(target=receive, daemon=True)
    reader.start()
    out: list[bytes | int] = []
    try:
        for i in range(half):
            res = _decode_block(raw, cuts[i], cuts[i + 1], encoding, False)
            out.append(res)
            if isinstance(res, int):
                return out + [b""] * (nb - len(out))   # the checks stop at this block
        reader.join()
        if failed:
            return None   # decode here instead
        out += got
        return out + [b""] * (nb - len(out))
    finally:
        if child.is_alive():
            child.kill()
        reader.join()
        recv.close()
        child.join()


def _child_decode(send, raw: bytes, cuts: list[int], first: int, encoding: str) -> None:
    """In the forked child: blocks ``first``… decoded and sent in order."""
    try:
        for i in range(first, len(cuts) - 1):
            res = _decode_block(raw, cuts[i], cuts[i + 1], encoding, False)
            if isinstance(res, int):
                send.send_bytes(b"E%d" % res)
                return
            send.send_bytes(b"D")
            send.send_bytes(res)
    finally:
        send.close()


def _scan_utf8(raw: bytes, encoding: str, path: str, begin: int = 0) -> None:
    """Raise on the first garbled line of valid UTF-8 ``raw[begin:]`` (its
    lines numbered from 1), checked in blocks of about ``BLOCK`` bytes cut at
    line ends (bounded memory); the blocks are first sieved together
    (``_any_unusual``), 32 at a time."""
    n = len(raw)
    cuts = [begin]
    while cuts[-1] < n:
        start = cuts[-1]
        end = min(n, start + BLOCK)
        if end < n:
            nl = raw.rfind(b"\n", start, end)
            end = nl + 1 if nl > start else end
        cuts.append(end)
    view = memoryview(raw)
    line = 1
    for g0 in range(0, len(cuts) - 1, 32):
        group = cuts[g0: g0 + 33]
        dirty = _any_unusual(view[group[0]: group[-1]], [c - group[0] for c in group])
        for i in range(len(group) - 1):
            start, end = group[i], group[i + 1]
            whole_lines = end == n or raw[end - 1] == 0x0A   # no character cut in two
            if dirty[i] or not whole_lines:
                g = find_garbled_utf8(view[start:end], line)
                if g is not None:
                    raise UserError("roster.garbled", path=path, encoding=encoding, line=g.line,
                                    sample=g.sample)
            line += raw.count(b"\n", start, end)


def _scan_text(text: str, encoding: str, path: str) -> None:
    """Raise on the first garbled line of already decoded ``text``, checked
    in blocks of about ``BLOCK`` characters cut at line ends (as ``_scan``)."""
    start, line, n = 0, 1, len(text)
    while start < n:
        end = min(n, start + BLOCK)
        if end < n:
            nl = text.rfind("\n", start, end)
            end = nl + 1 if nl > start else end
        chunk = text[start:end]
        g = find_garbled(chunk, line)
        if g is not None:
            raise UserError("roster.garbled", path=path, encoding=encoding, line=g.line, sample=g.sample)
        line += chunk.count("\n")
        start = end


def check_frame_text(values: "list[str]", what: str, path: str) -> None:
    """Refuse garbled strings read by a binary reader (SPSS/Stata): ``values``
    is a sample of text cells joined line by line."""
    g = find_garbled("\n".join(values))
    if g is not None:
        raise UserError("roster.garbled_binary", path=path, what=what, sample=g.sample)
