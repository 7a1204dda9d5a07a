"""The inputs of one ingest run made readable: encrypted files opened for the run only.

Two kinds of input are encrypted: a project file encrypted at rest
(toolkit.vault: the entry dashboard's saved submissions and their assembled
export) and a batch of encrypted ODK submissions (toolkit.ingest.odk_crypt).
:func:`plain_inputs` gives ingest a list of plain files: the plain inputs as
they are, the others decrypted into a private folder (0700, files 0600,
``.ingest-plain-<pid>`` beside the project's output, else the system's
temporary folder) that is removed when the run ends, whatever happens.
Decryption happens before ingest reads anything: a wrong key or a tampered
file stops the run with nothing read.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from toolkit import vault
from toolkit.errors import UserError


@contextlib.contextmanager
def plain_inputs(paths: list[Path], work: Path | None, *, form: object,
                 private_key: str | Path | None = None) -> Iterator[list[Path]]:
    """``paths`` with every encrypted input replaced by its plain copy (module doc)."""
    from toolkit.ingest import odk_crypt

    folder: Path | None = None
    out: list[Path] = []
    try:
        for i, p in enumerate(paths):
            p = Path(p)
            sealed = vault.is_sealed(p)
            odk = None if sealed else odk_crypt.encrypted_folders(p)
            if not sealed and odk is None:
                out.append(p)
                continue
            if folder is None:
                if work is not None:
                    Path(work).mkdir(parents=True, exist_ok=True, mode=0o700)
                    folder = Path(work) / f".ingest-plain-{os.getpid()}"
                    folder.mkdir(mode=0o700, exist_ok=True)
                else:
                    folder = Path(tempfile.mkdtemp(prefix="fieldeval-ingest-"))
            target = folder / str(i) / p.name
            target.parent.mkdir(mode=0o700)
            if sealed:
                out.append(vault.decrypt_to(p, target))
                continue
            if not private_key:
                raise UserError("keys.odk.no_private_key", path=str(p))
            subs = odk_crypt.decrypt_all(p, odk_crypt.load_private_key(private_key))
            out.append(odk_crypt.as_central_zip(subs, form, target.with_suffix(".zip")))
        yield out
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def odk_private_key(evaluation: object) -> Path | None:
    """The ODK private key named in evaluation.toml (``[encryption]
    odk_private_key``, ``~`` expanded, relative to the project), else None."""
    extra = getattr(evaluation, "extra", {}) or {}
    enc = extra.get("encryption", {}) if isinstance(extra, dict) else {}
    name = enc.get("odk_private_key") if isinstance(enc, dict) else None
    if not isinstance(name, str) or not name.strip():
        return None
    p = Path(os.path.expanduser(name.strip()))
    return p if p.is_absolute() else Path(evaluation.root) / p  # type: ignore[attr-defined]


__all__ = ["plain_inputs", "odk_private_key"]
