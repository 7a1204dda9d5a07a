"""Zip containers from the evaluated party (ODK exports, .xlsx workbooks), checked
before anything is read.

A zip's central directory says, for every member, its name, its compressed
and its uncompressed size. ``check`` refuses, before a byte is inflated:

- member names that are absolute, carry a drive letter, a NUL or a ``..`` part;
- more than ``max_members`` members;
- a member declaring more than ``max_member_bytes`` uncompressed, or all
  members together more than ``max_total_bytes``;
- a member larger than ``ratio_floor`` whose uncompressed size is more than
  ``max_ratio`` times its compressed size (a "zip bomb": 200 MB of zeros
  packs into 200 KB, ratio 1,000; real CSV and sheet XML pack 5–30 times);
- encrypted members (a password-protected zip).

``read_member`` then inflates one member in 1 MiB steps and stops as soon as
it passes its declared size or the limits (a directory that lies about sizes
gains nothing). Python's zipfile itself never inflates a member past its
declared size, so a workbook checked here can be handed to openpyxl.

The default member bound leaves room for a full Excel sheet of a national
roster (1,048,575 rows of about 40 columns inflate to about 1.2 GB of sheet XML:
the former 1 GiB bound refused it, issue 21); the ratio bound still refuses
bombs of that size (3 GB at ratio 200 needs 15 MB of packed data).

Limits are a frozen dataclass (``LIMITS`` the defaults), so a caller or a
test can pass tighter ones.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from toolkit.errors import UserError

MiB = 1 << 20


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on one zip container (bytes are uncompressed sizes)."""

    max_members: int = 10_000
    max_member_bytes: int = 3072 * MiB   # a full sheet (1,048,575 rows × 40 columns) is ~1.2 GB of XML
    max_total_bytes: int = 4096 * MiB
    max_ratio: float = 200.0
    ratio_floor: int = 4 * MiB


LIMITS = ZipLimits()


def _unsafe_name(name: str) -> bool:
    n = name.replace("\\", "/")
    if "\x00" in n or n.startswith("/") or (len(n) > 1 and n[1] == ":"):
        return True
    return ".." in PurePosixPath(n).parts


def check(path: str | Path, limits: ZipLimits = LIMITS, *, opened: object = None) -> list[zipfile.ZipInfo]:
    """The members of the zip at ``path``, after every check above (UserError
    otherwise); ``opened``: its bytes already in memory (a decrypted file), read instead."""
    p = Path(path)
    try:
        with zipfile.ZipFile(opened if opened is not None else p) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise UserError("archive.unreadable", path=str(p), detail=str(e).splitlines()[0] if str(e) else "") from None
    if len(infos) > limits.max_members:
        raise UserError("archive.too_many_members", path=str(p), count=len(infos), limit=limits.max_members)
    total = 0
    for i in infos:
        if _unsafe_name(i.filename):
            raise UserError("archive.unsafe_name", path=str(p), member=i.filename)
        if i.flag_bits & 0x1:
            raise UserError("archive.encrypted", path=str(p), member=i.filename)
        if i.file_size > limits.max_member_bytes:
            raise UserError("archive.member_too_large", path=str(p), member=i.filename,
                            size=_mb(i.file_size), limit=_mb(limits.max_member_bytes))
        if i.file_size > limits.ratio_floor and i.file_size > limits.max_ratio * max(i.compress_size, 1):
            raise UserError("archive.ratio", path=str(p), member=i.filename,
                            ratio=f"{i.file_size / max(i.compress_size, 1):,.0f}", limit=f"{limits.max_ratio:g}")
        total += i.file_size
    if total > limits.max_total_bytes:
        raise UserError("archive.too_large", path=str(p), size=_mb(total), limit=_mb(limits.max_total_bytes))
    return infos


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: str | Path,
                limits: ZipLimits = LIMITS) -> bytes:
    """The bytes of one checked member, inflated step by step within its bounds."""
    cap = min(info.file_size, limits.max_member_bytes)
    parts: list[bytes] = []
    got = 0
    try:
        with zf.open(info) as f:
            while True:
                block = f.read(MiB)
                if not block:
                    break
                got += len(block)
                if got > cap:
                    raise UserError("archive.member_too_large", path=str(path), member=info.filename,
                                    size=_mb(got), limit=_mb(cap))
                parts.append(block)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:  # CRC, truncation, bad data
        raise UserError("archive.unreadable", path=str(path),
                        detail=f"{info.filename}: {str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
    return b"".join(parts)


def _mb(n: int) -> str:
    return f"{n / MiB:,.1f} MB"


__all__ = ["LIMITS", "ZipLimits", "check", "read_member"]
