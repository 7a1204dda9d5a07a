"""Encrypted ODK submissions decrypted locally with the evaluator's private key.

A form whose settings sheet has a ``public_key`` (an RSA public key, base64
of its DER SubjectPublicKeyInfo on one line) makes ODK Collect encrypt each
finalised submission (ODK docs "Encrypted Forms"; Collect's
``EncryptionUtils``; Briefcase's decryption). One submission is a folder of:

* ``submission.xml``, the manifest: root ``data`` in the namespace
  ``http://www.opendatakit.org/xforms/encrypted`` with ``id`` (form id),
  ``version`` and ``encrypted="yes"``; children ``base64EncryptedKey``,
  ``meta/instanceID`` (OpenRosa namespace), one ``media/file`` per attachment
  (``<name>.enc``), ``encryptedXmlFile`` (``submission.xml.enc``) and
  ``base64EncryptedElementSignature``;
* ``submission.xml.enc`` and ``<name>.enc`` per attachment.

The scheme: a random 256-bit AES key, wrapped with the form's RSA public key
by RSA-OAEP (Collect today: ``RSA/NONE/OAEPWithSHA256AndMGF1Padding``;
older Collect and Enketo: SHA-1 or SHA-256 with MGF1-SHA-1 — all three are
tried, a wrong padding never decrypts). Each file is
``AES/CFB/PKCS5Padding`` (CFB-128, PKCS#7 padding) with its own IV: the IV
seed is MD5(instanceID as UTF-8 ‖ AES key) (16 bytes); before each file,
byte ``i mod 16`` of the seed is incremented (i = 0, 1, … in the order the
files were encrypted: the media in manifest order, then submission.xml) and
the seed is that file's IV. The signature: the lines ``form id``,
``version`` (when there is one), ``base64EncryptedKey``, ``instanceID``,
then ``<file name without .enc>::<md5 hex of its decrypted bytes>`` for each
attachment and for ``submission.xml``, each followed by ``\\n``; MD5 of that
text, RSA-OAEP-encrypted, base64. We decrypt the signature and compare.

Everything of a batch is decrypted and checked in memory before anything is
returned: a wrong key, a missing file or a tampered one is a UserError in
words naming the submission and the file, never a half-read.

The decrypted submissions become an ODK Central export zip (the shape
toolkit.ingest.odk reads, built by toolkit.ingest.entry_export; photos under
``media/``) in a private folder that lives only while ingest reads it.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree as ET

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

try:   # CFB lives among the "decrepit" modes from cryptography 47 on
    from cryptography.hazmat.decrepit.ciphers.modes import CFB
except ImportError:  # pragma: no cover - older cryptography
    from cryptography.hazmat.primitives.ciphers.modes import CFB

from toolkit import safezip
from toolkit.errors import UserError

ENC_NS = "http://www.opendatakit.org/xforms/encrypted"
ORX_NS = "http://openrosa.org/xforms"
MANIFEST = "submission.xml"
OAEP_VARIANTS = ((hashes.SHA256, hashes.SHA256), (hashes.SHA256, hashes.SHA1), (hashes.SHA1, hashes.SHA1))
"""(OAEP hash, MGF1 hash) pairs Collect/Enketo versions have used, tried in turn."""
MAX_MANIFEST = 1 << 20


@dataclass(frozen=True)
class Decrypted:
    """One decrypted submission: form id and version, instance id, the
    instance XML, its attachments {plain name: bytes}, where it came from."""

    form_id: str
    version: str
    instance_id: str
    xml: bytes
    media: dict
    where: str


def load_private_key(path: str | Path) -> rsa.RSAPrivateKey:
    """The RSA private key in PEM (PKCS#8 or PKCS#1, unencrypted) at ``path``."""
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError, TypeError):
        raise UserError("keys.odk.bad_private_key", path=str(path)) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise UserError("keys.odk.bad_private_key", path=str(path))
    return key


def _oaep_decrypt(key: rsa.RSAPrivateKey, data: bytes) -> bytes | None:
    for algo, mgf in OAEP_VARIANTS:
        try:
            return key.decrypt(data, padding.OAEP(mgf=padding.MGF1(mgf()), algorithm=algo(), label=None))
        except ValueError:
            continue
    return None


def iv_sequence(instance_id: str, aes_key: bytes, count: int) -> list[bytes]:
    """The IVs of the first ``count`` files (module doc: the MD5 seed, one byte
    incremented per file, wrapping at 256 as Java's byte does)."""
    seed = bytearray(hashlib.md5(instance_id.encode("utf-8") + aes_key).digest())  # noqa: S324 - ODK's scheme
    out = []
    for i in range(count):
        seed[i % 16] = (seed[i % 16] + 1) % 256
        out.append(bytes(seed))
    return out


def _aes_cfb(key: bytes, iv: bytes, data: bytes, *, decrypt: bool) -> bytes:
    c = Cipher(algorithms.AES(key), CFB(iv))
    op = c.decryptor() if decrypt else c.encryptor()
    return op.update(data) + op.finalize()


def _unpad(data: bytes) -> bytes | None:
    n = data[-1] if data else 0
    if not 1 <= n <= 16 or len(data) < n or data[-n:] != bytes([n]) * n:
        return None
    return data[:-n]


def signature_text(form_id: str, version: str, b64_key: str, instance_id: str,
                   files: list[tuple[str, bytes]]) -> bytes:
    """The text whose MD5 ODK signs (module doc); ``files``: (plain name, plain bytes), xml last."""
    lines = [form_id, *([version] if version else []), b64_key, instance_id]
    lines += [f"{name}::{hashlib.md5(data).hexdigest()}" for name, data in files]  # noqa: S324
    return "".join(x + "\n" for x in lines).encode("utf-8")


def _text(root: ET.Element, tag: str) -> str:
    el = root.find(f"{{{ENC_NS}}}{tag}")
    if el is None:
        el = root.find(tag)
    return (el.text or "").strip() if el is not None else ""


def parse_manifest(raw: bytes, where: str) -> dict:
    """The manifest's fields (form_id, version, key, instance_id, media, xml_file, signature)."""
    if len(raw) > MAX_MANIFEST or b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:   # no entity expansion
        raise UserError("keys.odk.bad_manifest", path=where, detail="DOCTYPE")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as e:
        raise UserError("keys.odk.bad_manifest", path=where, detail=str(e)) from None
    meta = root.find(f"{{{ORX_NS}}}meta")
    meta = meta if meta is not None else root.find(f"{{{ENC_NS}}}meta")
    inst = None
    if meta is not None:
        inst = meta.find(f"{{{ORX_NS}}}instanceID")
        inst = inst if inst is not None else meta.find(f"{{{ENC_NS}}}instanceID")
    media = [(f.text or "").strip() for f in root.iter() if f.tag in (f"{{{ENC_NS}}}file", "file")]
    out = {"form_id": root.get("id", ""), "version": root.get("version", "") or "",
           "key": _text(root, "base64EncryptedKey"), "instance_id": (inst.text or "").strip() if inst is not None else "",
           "media": media, "xml_file": _text(root, "encryptedXmlFile"),
           "signature": _text(root, "base64EncryptedElementSignature")}
    for k in ("form_id", "key", "instance_id", "xml_file", "signature"):
        if not out[k]:
            raise UserError("keys.odk.bad_manifest", path=where, detail=k)
    return out


def is_manifest(raw: bytes) -> bool:
    """True when ``raw`` looks like an ODK encrypted submission manifest."""
    head = raw[:4096]
    return ENC_NS.encode() in head and b'encrypted="yes"' in head


def decrypt_submission(manifest: bytes, files: dict, key: rsa.RSAPrivateKey, where: str) -> Decrypted:
    """Decrypt and check one submission (``files``: {file name: bytes} of its
    folder). UserError on a wrong key, a missing or tampered file, a bad signature."""
    m = parse_manifest(manifest, where)
    inst = m["instance_id"]
    try:
        wrapped = base64.b64decode(m["key"], validate=True)
        signed = base64.b64decode(m["signature"], validate=True)
    except (binascii.Error, ValueError):
        raise UserError("keys.odk.tampered", path=where, instance=inst, file=MANIFEST) from None
    aes_key = _oaep_decrypt(key, wrapped)
    if aes_key is None or len(aes_key) != 32:
        raise UserError("keys.odk.wrong_key", path=where, instance=inst)
    names = [*m["media"], m["xml_file"]]
    for n in names:
        if PurePosixPath(n).name != n or n.startswith("."):
            raise UserError("keys.odk.bad_manifest", path=where, detail=n)
        if n not in files:
            raise UserError("keys.odk.missing_file", path=where, instance=inst, file=n)
    plain: list[tuple[str, bytes]] = []
    for n, iv in zip(names, iv_sequence(inst, aes_key, len(names))):
        data = _unpad(_aes_cfb(aes_key, iv, files[n], decrypt=True))
        if data is None:
            raise UserError("keys.odk.tampered", path=where, instance=inst, file=n)
        plain.append((n.removesuffix(".enc"), data))
    expected = hashlib.md5(signature_text(m["form_id"], m["version"], m["key"], inst, plain)).digest()  # noqa: S324
    if _oaep_decrypt(key, signed) != expected:
        raise UserError("keys.odk.tampered", path=where, instance=inst, file=MANIFEST)
    return Decrypted(m["form_id"], m["version"], inst, plain[-1][1], dict(plain[:-1]), where)


def _folders_in_zip(path: Path) -> dict[str, dict[str, bytes]]:
    infos = safezip.check(path)
    out: dict[str, dict[str, bytes]] = {}
    with zipfile.ZipFile(path) as zf:
        for i in infos:
            if i.is_dir():
                continue
            p = PurePosixPath(i.filename.replace("\\", "/"))
            out.setdefault(str(p.parent), {})[p.name] = safezip.read_member(zf, i, path)
    return out


def _folders_in_dir(path: Path) -> dict[str, dict[str, bytes]]:
    out: dict[str, dict[str, bytes]] = {}
    for m in sorted(path.rglob(MANIFEST)):
        out[str(m.parent.relative_to(path))] = {f.name: f.read_bytes() for f in m.parent.iterdir() if f.is_file()}
    return out


def encrypted_folders(path: str | Path) -> dict[str, dict[str, bytes]] | None:
    """{folder: {file: bytes}} of the encrypted submissions in ``path`` (a
    folder as Briefcase or Collect keeps them, or a zip of it); None when it
    holds none (an ordinary export)."""
    p = Path(path)
    if p.is_dir():
        folders = _folders_in_dir(p)
    elif p.suffix.lower() == ".zip" and p.is_file():
        with zipfile.ZipFile(p) as zf:
            if not any(PurePosixPath(n).name == MANIFEST for n in zf.namelist()):
                return None
        folders = _folders_in_zip(p)
    else:
        return None
    found = {k: v for k, v in folders.items() if MANIFEST in v and is_manifest(v[MANIFEST])}
    return found or None


def decrypt_all(path: str | Path, key: rsa.RSAPrivateKey) -> list[Decrypted]:
    """Every encrypted submission of ``path``, all checked before any is returned."""
    folders = encrypted_folders(path) or {}
    return [decrypt_submission(files[MANIFEST], files, key, f"{path}!{name}") for name, files in sorted(folders.items())]


def _answers(el: ET.Element, repeats: set[str], values: dict, reps: dict, inside: str | None) -> None:
    for child in el:
        tag = child.tag.rsplit("}", 1)[-1]
        if tag in repeats and inside is None:
            rec: dict = {}
            _answers(child, repeats, rec, reps, tag)
            reps.setdefault(tag, []).append(rec)
        elif len(child):
            _answers(child, repeats, values, reps, inside)
        else:
            values[tag] = (child.text or "").strip()


def instance_answers(xml: bytes, repeat_names: set[str]) -> tuple[dict, dict]:
    """({question: text}, {repeat: [answers]}) of an instance XML (leaf tags
    are question names; groups flattened; nested repeats kept at their outer level)."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise UserError("keys.odk.bad_manifest", path="submission.xml", detail="DOCTYPE")
    root = ET.fromstring(xml)
    values: dict = {}
    reps: dict = {}
    _answers(root, repeat_names, values, reps, None)
    return values, reps


def as_central_zip(subs: list[Decrypted], form: object, out: Path) -> Path:
    """Write the decrypted submissions as one ODK Central export zip at
    ``out`` (root and repeat CSVs, attachments under ``media/``)."""
    from toolkit.ingest.entry_export import _csv, _joined, _rows, submission_tables

    members: dict[str, list] = {}
    media: dict[str, bytes] = {}
    names = {g.name for g in form.repeats}  # type: ignore[attr-defined]
    for s in subs:
        if s.form_id != form.form_id:  # type: ignore[attr-defined]
            raise UserError("keys.odk.form_mismatch", instance=s.instance_id, found=s.form_id,
                            expected=form.form_id)  # type: ignore[attr-defined]
        values, reps = instance_answers(s.xml, names)
        tables = submission_tables(values, reps, form, key=s.instance_id, submitted_at=datetime.now(UTC),
                                   device=values.get("deviceid", ""))
        root = f"{form.form_id}.csv"  # type: ignore[attr-defined]
        frame = tables[root]
        frame["SubmitterID"] = ""
        frame["AttachmentsPresent"] = str(len(s.media))
        frame["AttachmentsExpected"] = str(len(s.media))
        frame["FormVersion"] = s.version
        if "end" in values and values["end"]:
            frame["SubmissionDate"] = values["end"]
        for name, t in tables.items():
            members.setdefault(name, []).append(_rows(t))
        media.update(s.media)
    data = {name: _joined(parts) for name, parts in members.items()}
    if not data:
        data = {f"{form.form_id}.csv": _csv(submission_tables({}, {}, form, key="uuid:0",  # type: ignore
                                                              submitted_at=datetime.now(UTC))[f"{form.form_id}.csv"].iloc[:0])}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, raw in data.items():
            zf.writestr(name, raw)
        for name, raw in media.items():
            zf.writestr(f"media/{name}", raw)
    out.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    out.write_bytes(buf.getvalue())
    out.chmod(0o600)
    return out


__all__ = ["Decrypted", "load_private_key", "decrypt_submission", "decrypt_all", "encrypted_folders",
           "iv_sequence", "signature_text", "instance_answers", "as_central_zip", "is_manifest", "OAEP_VARIANTS"]
