"""The RSA key pair of an encrypted ODK form (``fieldeval key odk-keypair``).

ODK's form ``settings`` sheet takes the public key as ``public_key``: the
base64 of its DER SubjectPublicKeyInfo on one line (the PEM body without its
BEGIN/END lines and line breaks). The private key stays with the evaluator
(PEM, PKCS#8, mode 0600): ``fieldeval ingest --private-key FILE`` or
``[encryption] odk_private_key`` in evaluation.toml uses it.
"""
from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from toolkit.errors import UserError

PRIVATE_NAME, PUBLIC_NAME = "odk_private_key.pem", "odk_public_key.pem"


def public_key_line(public: rsa.RSAPublicKey) -> str:
    """The one-line value of the form's ``public_key`` setting."""
    der = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode()


def write_keypair(folder: Path, *, bits: int = 2048) -> tuple[Path, Path, str]:
    """Write ``odk_private_key.pem`` (0600) and ``odk_public_key.pem`` into
    ``folder``; refuses to overwrite. Returns (private, public, the one-line public key)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    priv_p, pub_p = folder / PRIVATE_NAME, folder / PUBLIC_NAME
    for p in (priv_p, pub_p):
        if p.exists():
            raise UserError("keys.key_exists", path=str(p))
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(priv_p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    pub_p.write_bytes(key.public_key().public_bytes(serialization.Encoding.PEM,
                                                    serialization.PublicFormat.SubjectPublicKeyInfo))
    return priv_p, pub_p, public_key_line(key.public_key())


__all__ = ["write_keypair", "public_key_line", "PRIVATE_NAME", "PUBLIC_NAME"]
