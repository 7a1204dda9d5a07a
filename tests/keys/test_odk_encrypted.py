"""Encrypted ODK submissions: built in the test exactly as Collect encrypts
them (tests/keys/odk_encrypt.py), decrypted by toolkit.ingest.odk_crypt;
a wrong key, a tampered or a missing file is refused in words with nothing
read; ``fieldeval ingest --private-key`` reads them end to end."""
from __future__ import annotations

import zipfile

import pandas as pd
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.keys.odk_encrypt import encrypt_submission, instance_xml, write_zip
from toolkit.cli import main
from toolkit.errors import UserError
from toolkit.forms.reader import read_xlsform
from toolkit.ingest import odk_crypt
from toolkit.project import form_path

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
NAME = "王秀英"
ID_NUMBER = "340102199001011234"


@pytest.fixture(scope="module")
def form():
    return read_xlsform(form_path())


@pytest.fixture(scope="module")
def keypair(tmp_path_factory):
    from toolkit.ingest.odk_keys import write_keypair

    d = tmp_path_factory.mktemp("odkkeys")
    private, public, line = write_keypair(d)
    from cryptography.hazmat.primitives import serialization

    return private, serialization.load_pem_public_key(public.read_bytes()), line


def _sub(form, public, *, key="uuid:0f0e0d0c-0000-4000-8000-000000000001", oaep=None, archive="HF-0001"):
    values = {"archive_id": archive, "visit_result": "met", "interviewer_1": NAME, "deviceid": "collect:abc",
              "evidence_photo": "p1.jpg", "end": "2026-05-02T10:00:00.000+08:00"}
    reps = {"member": [{"m_label": NAME, "m_age": "61"}, {"m_label": "李四", "m_age": "12"}]}
    xml = instance_xml(form, values, reps, key)
    kw = {"oaep": oaep} if oaep else {}
    return encrypt_submission(xml, {"p1.jpg": JPEG}, public, form_id=form.form_id, version=form.version,
                              instance_id=key, **kw)


def test_roundtrip_every_oaep_variant(form, keypair):
    private, public, _ = keypair
    key = odk_crypt.load_private_key(private)
    for algo, mgf in odk_crypt.OAEP_VARIANTS:
        oaep = padding.OAEP(mgf=padding.MGF1(mgf()), algorithm=algo(), label=None)
        files = _sub(form, public, oaep=oaep)
        blob = b"".join(files.values())
        assert NAME.encode() not in blob and b"HF-0001" not in blob and JPEG[:64] not in blob
        d = odk_crypt.decrypt_submission(files["submission.xml"], files, key, "test")
        assert d.media == {"p1.jpg": JPEG}
        values, reps = odk_crypt.instance_answers(d.xml, {"member", "payment"})
        assert values["archive_id"] == "HF-0001" and values["interviewer_1"] == NAME
        assert [r["m_label"] for r in reps["member"]] == [NAME, "李四"]


def test_iv_seed_increments_one_byte_per_file():
    ivs = odk_crypt.iv_sequence("uuid:x", b"k" * 32, 18)
    import hashlib

    seed = hashlib.md5(b"uuid:x" + b"k" * 32).digest()
    assert ivs[0] == bytes([(seed[0] + 1) % 256]) + seed[1:]
    assert ivs[16][0] == (seed[0] + 2) % 256 and ivs[17][1] == (seed[1] + 2) % 256
    assert len(set(ivs)) == 18


def test_wrong_key_tampered_and_missing_are_refused(form, keypair, tmp_path):
    private, public, _ = keypair
    key = odk_crypt.load_private_key(private)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    files = _sub(form, public)
    with pytest.raises(UserError) as e:
        odk_crypt.decrypt_submission(files["submission.xml"], files, other, "batch.zip")
    assert e.value.key == "keys.odk.wrong_key" and "batch.zip" in e.value.message("en")
    for name in ("submission.xml.enc", "p1.jpg.enc"):
        bad = dict(files)
        b = bytearray(bad[name])
        b[len(b) // 2] ^= 1
        bad[name] = bytes(b)
        with pytest.raises(UserError) as e:
            odk_crypt.decrypt_submission(bad["submission.xml"], bad, key, "batch.zip")
        assert e.value.key == "keys.odk.tampered"
    forged = dict(files)                     # a re-signed manifest is still refused: signature needs the key
    forged["submission.xml"] = files["submission.xml"].replace(b"<base64EncryptedElementSignature>",
                                                               b"<base64EncryptedElementSignature>AAAA")
    with pytest.raises(UserError) as e:
        odk_crypt.decrypt_submission(forged["submission.xml"], forged, key, "batch.zip")
    assert e.value.key == "keys.odk.tampered"
    missing = {k: v for k, v in files.items() if k != "p1.jpg.enc"}
    with pytest.raises(UserError) as e:
        odk_crypt.decrypt_submission(missing["submission.xml"], missing, key, "batch.zip")
    assert e.value.key == "keys.odk.missing_file" and "p1.jpg.enc" in e.value.message("zh")


def test_ingest_private_key_end_to_end(form, keypair, tmp_path, capsys):
    private, public, line = keypair
    subs = {f"uuid{i}": _sub(form, public, key=f"uuid:0f0e0d0c-0000-4000-8000-00000000000{i}",
                             archive=f"HF-000{i}") for i in range(1, 4)}
    z = write_zip(tmp_path / "encrypted.zip", subs)
    out = tmp_path / "ingest"
    code = main(["ingest", str(z), "--out", str(out), "--private-key", str(private), "--lang", "en"])
    assert code in (0, 1)
    m = pd.read_parquet(out / "submissions.parquet")
    assert sorted(m["archive_id"]) == ["HF-0001", "HF-0002", "HF-0003"]
    assert set(m["interviewer_1"]) == {NAME}
    members = pd.read_parquet(out / "repeat_member.parquet")     # (incomplete answers: quarantined, still kept)
    assert len(members) == 6 and set(members["m_label"]) == {NAME, "李四"}
    assert not list(tmp_path.glob(".ingest-plain-*"))            # the plain copies are gone
    # no key given: refused in words, nothing written
    capsys.readouterr()
    code = main(["ingest", str(z), "--out", str(tmp_path / "o2"), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and "--private-key" in err and "Traceback" not in err
    assert not (tmp_path / "o2").exists()
    # one tampered file anywhere: the whole batch refused, nothing written
    with zipfile.ZipFile(z) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    victim = next(n for n in members if n.endswith("uuid2/submission.xml.enc"))
    members[victim] = members[victim][:-16] + bytes(16)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        for n, b in members.items():
            zf.writestr(n, b)
    code = main(["ingest", str(bad), "--out", str(tmp_path / "o3"), "--private-key", str(private), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and "uuid2" in err and "changed or damaged" in err
    assert not (tmp_path / "o3").exists()


def test_keypair_command_prints_the_form_setting(tmp_path, capsys):
    assert main(["key", "odk-keypair", "--out", str(tmp_path / "k"), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "public_key" in out and (tmp_path / "k" / "odk_private_key.pem").stat().st_mode & 0o077 == 0
    line = out.strip().splitlines()[-1]
    from cryptography.hazmat.primitives import serialization
    import base64

    pub = serialization.load_der_public_key(base64.b64decode(line))
    assert pub.key_size == 2048
    assert main(["key", "odk-keypair", "--out", str(tmp_path / "k")]) == 2   # never overwritten
    _ = hashes
