"""An encryptor that does what ODK Collect does when it finalises a submission
of a form with a ``public_key`` (Collect's EncryptionUtils, as documented in
toolkit.ingest.odk_crypt), written independently of the decryptor so the
tests can build encrypted submissions: a random AES-256 key wrapped with
RSA-OAEP, each file AES/CFB/PKCS5Padding with the md5-seeded, incremented
IV (media first, submission.xml last), the manifest and its signature."""
from __future__ import annotations

import base64
import hashlib
import os
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def _pad(data: bytes) -> bytes:
    n = 16 - len(data) % 16
    return data + bytes([n]) * n


def encrypt_submission(xml: bytes, media: dict[str, bytes], public_key, *, form_id: str, version: str,
                       instance_id: str, oaep=OAEP) -> dict[str, bytes]:
    """{file name: bytes} of one encrypted submission folder."""
    key = os.urandom(32)
    seed = bytearray(hashlib.md5(instance_id.encode() + key).digest())
    counter = 0
    files: dict[str, bytes] = {}
    sig_lines = [form_id, version] if version else [form_id]
    wrapped = base64.b64encode(public_key.encrypt(key, oaep)).decode()
    sig_lines += [wrapped, instance_id]
    for name, data in [*media.items(), ("submission.xml", xml)]:
        seed[counter % 16] = (seed[counter % 16] + 1) % 256
        counter += 1
        enc = Cipher(algorithms.AES(key), CFB(bytes(seed))).encryptor()
        files[name + ".enc"] = enc.update(_pad(data)) + enc.finalize()
        sig_lines.append(f"{name}::{hashlib.md5(data).hexdigest()}")
    digest = hashlib.md5("".join(x + "\n" for x in sig_lines).encode()).digest()
    signature = base64.b64encode(public_key.encrypt(digest, oaep)).decode()
    media_xml = "".join(f"<media><file>{escape(n)}.enc</file></media>" for n in media)
    ver = f' version="{escape(version)}"' if version else ""
    files["submission.xml"] = (
        f'<data xmlns="http://www.opendatakit.org/xforms/encrypted" id="{escape(form_id)}"{ver} encrypted="yes">'
        f"<base64EncryptedKey>{wrapped}</base64EncryptedKey>"
        f'<orx:meta xmlns:orx="http://openrosa.org/xforms"><orx:instanceID>{escape(instance_id)}</orx:instanceID></orx:meta>'
        f"{media_xml}<encryptedXmlFile>submission.xml.enc</encryptedXmlFile>"
        f"<base64EncryptedElementSignature>{signature}</base64EncryptedElementSignature></data>").encode()
    return files


def instance_xml(form, values: dict, repeats: dict[str, list[dict]], instance_id: str) -> bytes:
    """The instance XML Collect would save for ``values`` (question name → text)
    and ``repeats`` (repeat name → list of answers), grouped as the form groups them."""
    def nest(tree: dict, path: tuple, name: str, text: str) -> None:
        for p in path:
            tree = tree.setdefault(p, {})
        tree[name] = text

    def render(tree: dict) -> str:
        out = []
        for k, v in tree.items():
            if isinstance(v, list):
                out += [f"<{k}>{render(r)}</{k}>" for r in v]
            elif isinstance(v, dict):
                out.append(f"<{k}>{render(v)}</{k}>")
            else:
                out.append(f"<{k}>{escape(str(v))}</{k}>")
        return "".join(out)

    root: dict = {}
    for q in form.questions:
        if not q.repeat and q.name in values:
            nest(root, q.path, q.name, values[q.name])
    for g in form.repeats:
        depth = len(g.path) + 1
        recs = []
        for rec in repeats.get(g.name, []):
            r: dict = {}
            for q in form.questions:
                if q.repeat == g.name and q.name in rec:
                    nest(r, q.path[depth:], q.name, rec[q.name])
            recs.append(r)
        if recs:
            tree = root
            for p in g.path:
                tree = tree.setdefault(p, {})
            tree[g.name] = recs
    root["meta"] = {"instanceID": instance_id}
    return (f'<data id="{form.form_id}" version="{form.version or ""}">' + render(root) + "</data>").encode()


def write_zip(path: Path, submissions: dict[str, dict[str, bytes]]) -> Path:
    """A zip holding one folder per submission (as Briefcase keeps them)."""
    with zipfile.ZipFile(path, "w") as zf:
        for folder, files in submissions.items():
            for name, data in files.items():
                zf.writestr(f"instances/{folder}/{name}", data)
    return path
