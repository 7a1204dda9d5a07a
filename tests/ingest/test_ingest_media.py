"""Photos kept from the field exports (issue 15 item 5): the photos of accepted
submissions are copied into the ingest folder, owner-only, with media.parquet;
anything that is not a photo, a path in a name, an oversize file or a missing
one is an issue in words and never copied."""
from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ingest_data import answers, form

from toolkit.ingest import media
from toolkit.ingest import writers as W
from toolkit.ingest.pipeline import run_ingest, write_outputs

N = 8


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 60, 20)).save(out, "JPEG")
    return out.getvalue()


JPEG = _jpeg()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
HTML = b"<html><script>alert(1)</script></html>"
NAMES = ["1767225600001.jpg", "fake.jpg", "../../etc/passwd.jpg", "big.jpg", "missing.jpg", None,
         "1767225600007.png", "drop.jpg"]


def _zip(path: Path, members: dict[str, bytes], subs) -> Path:  # noqa: ANN001
    W.write_odk_zip(subs, form(), path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        for n, b in members.items():
            zf.writestr(n, b)
    return path


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):  # noqa: ANN001, ANN201
    d = tmp_path_factory.mktemp("media")
    subs = answers(N, seed=5, visit_result="met", evidence_photo=np.array(NAMES, dtype=object))
    subs.main["hh_size_actual"] = subs.main["hh_size_actual"].astype(object)
    subs.main.loc[7, "hh_size_actual"] = "not a number"   # the last one is quarantined: its photo is not kept
    big = b"\xff\xd8\xff" + bytes(range(256)) * 200       # 51 kB, over the test's 50 kB limit
    files = {"media/1767225600001.jpg": JPEG, "media/fake.jpg": HTML, "media/big.jpg": big,
             "media/1767225600007.png": PNG, "media/drop.jpg": JPEG, "media/unclaimed.jpg": JPEG}
    p = _zip(d / "household_visit.zip", files, subs)
    old = media.LIMITS
    media.LIMITS = media.MediaLimits(max_file_bytes=50_000)
    try:
        res = run_ingest(p, form(), lang="en")
    finally:
        media.LIMITS = old
    out = d / "out"
    write_outputs(res, out, lang="en")
    return res, out, subs


def test_photos_of_accepted_submissions_are_kept(ingested) -> None:  # noqa: ANN001
    res, out, subs = ingested
    table = pd.read_parquet(out / media.MEDIA_TABLE)
    keys = subs.main["KEY"].astype(str).tolist()
    assert list(table.columns) == list(media.MEDIA_COLUMNS)
    assert sorted(table["KEY"]) == sorted([keys[0], keys[6]])
    row = table[table["KEY"] == keys[0]].iloc[0]
    assert row["question"] == "evidence_photo"
    kept = out / row["file"]
    assert kept.read_bytes() == JPEG
    assert row["bytes"] == len(JPEG) and row["sha256"] == hashlib.sha256(JPEG).hexdigest()
    assert kept.suffix == ".jpg" and kept.parent.parent == out / "media"
    assert (out / table[table["KEY"] == keys[6]].iloc[0]["file"]).suffix == ".png"


def test_media_files_are_owner_only(ingested) -> None:  # noqa: ANN001
    _, out, _ = ingested
    for p in [out / "media", *(out / "media").rglob("*"), out / media.MEDIA_TABLE]:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o700 if p.is_dir() else 0o600), (p, oct(mode))
    assert not list((out / "media").rglob(".*")), "no temporary file left behind"


def test_refused_files_are_issues_in_words(ingested) -> None:  # noqa: ANN001
    res, out, subs = ingested
    keys = subs.main["KEY"].astype(str).tolist()
    from toolkit.ingest.issues_file import read_issues

    iss = read_issues(out)
    m = iss[iss["rule"].str.startswith("media_")].set_index("key")
    assert m.loc[keys[1], "rule"] == "media_not_image" and "not a photo" in m.loc[keys[1], "message"]
    assert m.loc[keys[2], "rule"] == "media_unsafe_name" and "path" in m.loc[keys[2], "message"]
    assert m.loc[keys[3], "rule"] == "media_too_large" and "0.0 MB" in m.loc[keys[3], "message"]
    assert m.loc[keys[4], "rule"] == "media_missing" and "missing.jpg" in m.loc[keys[4], "message"]
    status = res.submissions.main.set_index("KEY")["_status"]
    assert status[keys[7]] == "quarantined" and status[keys[0]] == "accepted"
    assert keys[7] not in m.index and keys[5] not in m.index
    assert set(m["severity"]) == {"warning"}
    # nothing but the two photos was copied; the HTML page is nowhere in the output
    copied = [p for p in (out / "media").rglob("*") if p.is_file()]
    assert len(copied) == 2
    assert not any(HTML in p.read_bytes() for p in out.rglob("*") if p.is_file())
    assert not (out / "etc").exists() and not (out.parent / "etc").exists()


def test_issue_messages_in_chinese() -> None:
    from toolkit.i18n import t

    msg = t("evidence.issue.not_image", "zh", name="x.jpg")
    assert "不是照片" in msg and "x.jpg" in msg


def test_safe_component_and_sniff() -> None:
    assert media.safe_component("../../a b/c.jpg") == "_.._a_b_c.jpg"
    assert "/" not in media.safe_component("../x") and not media.safe_component("../x").startswith(".")
    assert media.sniff(JPEG[:16]) == "jpeg" and media.sniff(PNG[:16]) == "png"
    assert media.sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
    assert media.sniff(HTML[:16]) is None and media.sniff(b"<svg") is None
    assert media.key_folder("uuid:a") != media.key_folder("uuid_a")


def test_kobo_media_download_beside_the_workbook(tmp_path: Path) -> None:
    subs = answers(4, seed=9, visit_result="met",
                   evidence_photo=np.array(["p1.jpg", "p2.jpg", None, "p4.jpg"], dtype=object))
    subs.main["KEY"] = [f"uuid:0000000{i}-aaaa-4aaa-aaaa-aaaaaaaaaaaa" for i in range(4)]
    xlsx = W.write_plain_xlsx(subs, form(), tmp_path / "visits.xlsx")
    z = tmp_path / "attachments.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for i, name in ((0, "p1.jpg"), (1, "p2.jpg")):
            zf.writestr(f"user/attachments/formuuid/0000000{i}-aaaa-4aaa-aaaa-aaaaaaaaaaaa/{name}", JPEG)
        # p4.jpg under another submission's folder does not belong to submission 3
        zf.writestr("user/attachments/formuuid/00000000-aaaa-4aaa-aaaa-aaaaaaaaaaaa/p4.jpg", JPEG)
    assert media.split_inputs([xlsx, z]) == ([xlsx], [z])
    res = run_ingest([xlsx, z], form(), lang="en")
    assert res.read == 4
    plan = res.extra["media"]
    assert sorted(p.key for p in plan.files) == sorted(subs.main["KEY"].iloc[:2])
    assert plan.issues["rule"].tolist() == ["media_missing"]
    write_outputs(res, tmp_path / "out")
    assert len(pd.read_parquet(tmp_path / "out" / media.MEDIA_TABLE)) == 2


def test_no_image_question_no_media(tmp_path: Path) -> None:
    subs = answers(3, seed=2, visit_result="met")
    p = W.write_odk_zip(subs, form(), tmp_path / "household_visit.zip")
    res = run_ingest(p, form())
    write_outputs(res, tmp_path / "out")
    assert len(media.load(tmp_path / "out")) == len(res.extra["media"].files)
