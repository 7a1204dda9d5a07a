"""A stage's folder written as a whole, or not at all.

:func:`write_stage` builds the new folder beside the old one
(``.<name>.partial-<pid>``), writes ``meta.json`` last with ``"complete":
true``, then swaps it in with two renames; a kill at any point leaves either
the old folder or the new one, never a mix. :func:`read_meta` refuses a
folder without a complete ``meta.json`` (half-written, or written by a
version that did not record one) with a message saying which command to run.

Files are private by default: the folder is 0700 and every file 0600
(identifiable data stays in the evaluator's area).
"""
from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from toolkit.errors import UserError
from toolkit.project import indent_json

META = "meta.json"


def private(path: Path) -> None:
    """Make ``path`` (a file or a folder and everything under it) owner-only."""
    if path.is_dir():
        path.chmod(0o700)
        for p in path.rglob("*"):
            p.chmod(0o700 if p.is_dir() else 0o600)
    elif path.exists():
        path.chmod(0o600)


def write_stage(folder: Path, write: Callable[[Path], None], meta: dict) -> Path:
    """Write a stage: ``write(tmp)`` fills a fresh folder, ``meta`` is saved as
    ``meta.json`` (``complete`` set), then the folder replaces ``folder``."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = folder.with_name(f".{folder.name}.partial-{os.getpid()}")
    old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(mode=0o700)
    try:
        write(tmp)
        _seal(tmp, folder)   # encrypted at rest when the project has a key (toolkit.vault)
        data = indent_json.dumps({**meta, "complete": True})   # json.dumps(…, indent=2)'s text, faster
        (tmp / META).write_text(data, encoding="utf-8")
        private(tmp)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not folder.exists():
            old.rename(folder)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return folder


def _seal(tmp: Path, folder: Path) -> None:
    from toolkit.keys import PLAIN
    from toolkit.vault import seal_tree

    seal_tree(tmp, folder, plain=PLAIN)


def read_meta(folder: Path, *, missing_key: str, incomplete_key: str = "project.stage_incomplete") -> dict:
    """The stage's ``meta.json``; UserError ``missing_key`` when the folder is
    absent, ``incomplete_key`` when it has no complete record."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(missing_key, path=str(folder))
    p = folder / META
    try:
        meta = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise UserError(incomplete_key, path=str(folder)) from None
    if not meta.get("complete"):
        raise UserError(incomplete_key, path=str(folder))
    return meta


__all__ = ["write_stage", "read_meta", "private", "META"]
