"""Photo files kept from the field: their types by signature, and where ingest keeps them.

Shared by ``toolkit.ingest.media`` (which keeps them) and
``toolkit.widgets.evidence`` (which shows them) without importing the ingest
package into a dashboard kernel. No dependencies.
"""
from __future__ import annotations

MEDIA_DIR = "media"
"""Folder of the photos inside the ingest stage (``media/<key>/<file>``)."""
MEDIA_TABLE = "media.parquet"
"""Which photo belongs to which submission, inside the ingest stage."""
MEDIA_COLUMNS = ("KEY", "question", "file", "bytes", "sha256")
EXTENSION = {"jpeg": "jpg", "png": "png", "webp": "webp"}
MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def sniff(head: bytes) -> str | None:
    """The photo type of a file from its first bytes: ``jpeg``, ``png``,
    ``webp`` or None (anything else: HTML, SVG, video, text …); the name's
    suffix is never trusted."""
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


__all__ = ["EXTENSION", "MEDIA_COLUMNS", "MEDIA_DIR", "MEDIA_TABLE", "MIME", "sniff"]
