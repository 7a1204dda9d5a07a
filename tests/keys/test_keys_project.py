"""A small project run end to end with a key (600 households): every
identifiable file the pipeline writes is encrypted (no roster name or ID
number in its bytes), the results, the walkthrough's data and its photos load
through the same readers, leadership tables stay plain, rotation (even cut
off halfway) keeps everything readable, and a missing key stops a reader with
words naming the key file."""
from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pandas as pd
import pytest

from toolkit import keys, vault
from toolkit.cli import main
from toolkit.errors import UserError
from toolkit.project import Project
from toolkit.sampling.select import Design
from toolkit.synthetic import make_city, write_city
from toolkit.synthetic_visits import simulate_visits, write_photos, write_visits

SEED = 11


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    base = tmp_path_factory.mktemp("keys_project")
    mp.setenv("FIELDEVAL_KEY_DIR", str(base / "home-keys"))
    mp.delenv("FIELDEVAL_KEY", raising=False)
    d = base / "proj"
    city = make_city(600, SEED)
    write_city(city, d)
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["key", "init", "--project", str(d)]) == 0
    p = Project.open(d)
    design = Design(seed=str(SEED), seed_source="test", strata=("county",), method="two_stage", reserves=2,
                    psu="township", psus_per_stratum=2, per_psu=6)
    sample, _ = p.draw(design)
    visits = simulate_visits(city, sample.units, sample.reserves, seed=SEED)
    field = base / "field_export"           # what the field team hands over (outside the project)
    xlsx, _ = write_visits(visits, field)
    photos = write_photos(visits, field)
    p.save_dispositions(visits.dispositions)
    from toolkit.forms.reader import read_xlsform
    from toolkit.ingest.entry_export import write_entry_submission
    from toolkit.project import form_path

    form = read_xlsform(form_path())
    write_entry_submission({"archive_id": str(sample.units["archive_id"].iloc[0]), "visit_result": "met"}, {},
                           form, p.paths.entry / "submissions", submitter="entry clerk")
    p.ingest([xlsx, photos])
    results = p.verify(lang="en")
    yield {"dir": d, "project": p, "city": city, "results": results, "mp": mp, "base": base, "visits": visits,
           "form": form}
    mp.undo()


def _secrets(city) -> list[bytes]:
    r = city.roster
    names = [c for c in ("name", "head_name", "applicant_name") if c in r]
    ids = [c for c in ("id_number", "head_id", "applicant_id") if c in r]
    assert names and ids, list(r.columns)
    return [str(v).encode() for c in names + ids for v in r[c].dropna().head(200)]


def test_identifiable_files_are_encrypted(env):
    p = env["project"]
    secrets = _secrets(env["city"])
    files = [f for stage in (p.paths.sample, p.paths.ingest, p.paths.verify, p.paths.entry, p.paths.field)
             for f in stage.rglob("*") if f.is_file()]
    files.append(p.evaluation.path("roster"))
    sealed = [f for f in files if vault.is_sealed(f)]
    plain = [f for f in files if not vault.is_sealed(f)]
    assert {f.name for f in plain} <= keys.PLAIN, sorted(f.name for f in plain)
    for must in ("households.parquet", "roster.parquet", "visits_submissions.parquet", "submissions.parquet",
                 "sample.csv", "dispositions.csv", "roster.xlsx"):
        assert any(f.name == must for f in sealed), must
    assert any("media" in f.parts for f in sealed), "photos"
    assert any(f.suffix == ".zip" and "entry" in f.parts for f in sealed), "entry submissions"
    for f in sealed:
        raw = f.read_bytes()
        assert not any(s in raw for s in secrets), f
    assert all(oct(f.stat().st_mode & 0o777) == "0o600" for f in sealed)
    assert vault.is_sealed(p.evaluation.path("key_file"))     # the pseudonym key (inside the project) too
    assert len(p.evaluation.key()) == 32


def test_visit_lists_decrypted_for_printing(env, tmp_path):
    from openpyxl import load_workbook

    lists = env["project"].paths.sample / "visit_lists"
    assert all(vault.is_sealed(f) for f in lists.glob("*.xlsx"))
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["key", "decrypt", "--project", str(env["dir"]), str(lists), "--out", str(tmp_path / "print")]) == 0
    printed = sorted((tmp_path / "print").glob("*.xlsx"))
    assert len(printed) == len(list(lists.glob("*.xlsx"))) > 0
    assert load_workbook(printed[0]).worksheets


def test_results_walkthrough_and_photos_read_through_the_key(env):
    from toolkit.widgets.data import load_results
    from toolkit.widgets.evidence import _media_table, thumbnail_uri

    p, r = env["project"], env["results"]
    again = load_results(env["dir"])
    assert len(again.households) == r.interviewed > 0 and len(again.roster) > 0
    assert again.households["archive_id"].astype(str).isin(r.roster["archive_id"].astype(str)).all()
    media = _media_table(p.paths.ingest)
    assert len(media) > 0
    uri = thumbnail_uri(p.paths.ingest / media["file"].iloc[0], p.paths.ingest / "media")
    assert uri and uri.startswith("data:image/")
    card = pd.read_csv(p.paths.verify / "scorecard.csv")            # leadership output: plain
    assert len(card) > 0
    assert (p.paths.ingest / "issues.csv").exists() and vault.is_sealed(p.paths.ingest / "issues.csv")
    entry_keys = r.submissions["KEY"].astype(str)
    assert len(entry_keys) > 0


def test_missing_key_stops_readers_in_words(env, tmp_path, capsys):
    mp = env["mp"]
    mp.setenv("FIELDEVAL_KEY_DIR", str(tmp_path / "nowhere"))
    try:
        with pytest.raises(UserError) as e:
            env["project"].results()
        assert e.value.key == "keys.missing" and str(tmp_path / "nowhere") in e.value.message("en")
        assert main(["key", "status", "--project", str(env["dir"]), "--lang", "en"]) == 2
        out = capsys.readouterr()
        assert "encrypts its identifiable data" in out.out and "was not found" in out.err
        assert "Traceback" not in out.err
    finally:
        mp.setenv("FIELDEVAL_KEY_DIR", str(env["base"] / "home-keys"))


def test_rotation_cut_halfway_keeps_everything_readable(env, capsys):
    d, p = env["dir"], env["project"]
    before = p.results().households.sort_values("archive_id").reset_index(drop=True)
    old = keys.load_ring(d).current_id
    with pytest.raises(KeyboardInterrupt):
        keys.rotate(d, stop_after=3)                     # killed after three files
    ring = keys.load_ring(d)
    assert len(ring.keys) == 2 and ring.current_id != old
    ids = {vault.HEADER.unpack(f.read_bytes()[:vault.HEADER_SIZE])[2] for f in vault.sealed_files(d)}
    assert ids == {old, ring.current_id}                 # a mix, all readable
    pd.testing.assert_frame_equal(p.results().households.sort_values("archive_id").reset_index(drop=True), before)
    assert main(["key", "rotate", "--project", str(d), "--lang", "en"]) == 0   # finishes the pending one
    assert "re-encrypted" in capsys.readouterr().out
    ring = keys.load_ring(d)
    assert list(ring.keys) == [ring.current_id]
    ids = {vault.HEADER.unpack(f.read_bytes()[:vault.HEADER_SIZE])[2] for f in vault.sealed_files(d)}
    assert ids == {ring.current_id}
    pd.testing.assert_frame_equal(p.results().households.sort_values("archive_id").reset_index(drop=True), before)
    assert len(p.sample().units) > 0


def test_pseudonym_rotation_writes_a_consistent_mapping(env):
    from toolkit.roster.privacy import pseudonym

    d, p = env["dir"], env["project"]
    old_key = p.evaluation.key()
    out, n = keys.rotate_pseudonym_key(d)
    new_key = Project.open(d).evaluation.key()
    assert new_key != old_key and n == env["city"].roster["archive_id"].nunique()
    assert vault.is_sealed(out)                                    # evaluator-only, encrypted
    m = pd.read_csv(vault.source(out), dtype=str, encoding="utf-8-sig")
    row = m.iloc[0]
    assert pseudonym(row["archive_id"], old_key) == row["old"] and pseudonym(row["archive_id"], new_key) == row["new"]
    assert not Path(str(p.evaluation.path("key_file")) + ".new").exists()
    assert vault.is_sealed(p.evaluation.path("key_file"))          # the pseudonym key too


def test_entry_drafts_are_encrypted_and_reload(env):
    from toolkit.widgets.entry_logic import EntryState, list_drafts, load_draft, save_draft

    name = str(env["city"].roster["name" if "name" in env["city"].roster else env["city"].roster.columns[1]].iloc[0])
    state = EntryState({"archive_id": "HF-9", "interviewer_1": name}, {}, "d1")
    p = save_draft(env["dir"], state)
    assert vault.is_sealed(p) and name.encode() not in p.read_bytes()
    assert oct(p.stat().st_mode & 0o777) == "0o600"
    assert load_draft(env["dir"], "d1").answers["interviewer_1"] == name
    assert ("d1", "HF-9") in list_drafts(env["dir"])


def _text(v) -> str:
    if v is None or (isinstance(v, float) and v != v) or v is pd.NaT:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    return str(v)


def test_encrypted_odk_visits_with_photos_into_an_encrypting_project(env, tmp_path):
    """Two completed visits with photos sent as encrypted ODK submissions; the
    project's configured private key decrypts them; their photos land in the
    ingest stage encrypted with the project key and load in the walkthrough."""
    from cryptography.hazmat.primitives import serialization

    from tests.keys.odk_encrypt import encrypt_submission, instance_xml, write_zip
    from toolkit.ingest.odk_keys import write_keypair
    from toolkit.synthetic_visits import photo_bytes
    from toolkit.widgets.evidence import _media_table, thumbnail_uri

    d, p, v, form = env["dir"], env["project"], env["visits"], env["form"]
    private, public, _ = write_keypair(env["base"] / "odk")
    pub = serialization.load_pem_public_key(public.read_bytes())
    with open(d / "evaluation.toml", "a", encoding="utf-8") as fh:
        fh.write(f'\n[encryption]\nodk_private_key = "{private}"\n')
    subs = v.submissions
    two = subs[subs["evidence_photo"].notna() & (subs["visit_result"] == "met")].head(2)
    folders = {}
    for row in two.to_dict("records"):
        key = str(row["KEY"])
        values = {k: _text(x) for k, x in row.items() if _text(x) != "" and k != "KEY"}
        reps = {name: [{k: _text(x) for k, x in r.items() if k not in ("KEY", "PARENT_KEY") and _text(x) != ""}
                       for r in frame[frame["PARENT_KEY"] == key].to_dict("records")]
                for name, frame in (("member", v.members), ("payment", v.payments))}
        photo = str(row["evidence_photo"])
        folders[key.removeprefix("uuid:")] = encrypt_submission(
            instance_xml(form, values, reps, key), {photo: photo_bytes(photo)}, pub, form_id=form.form_id,
            version=form.version, instance_id=key)
    z = write_zip(tmp_path / "from-briefcase.zip", folders)
    out = p.paths.output / "ingest-odk"
    res = Project.open(d).ingest([z], out=out, include_entry=False)
    assert res.read == 2 and res.accepted == 2, res.issues_by_rule()
    assert vault.is_sealed(out / "submissions.parquet")
    media = _media_table(out)
    assert len(media) == 2
    for f in media["file"]:
        assert vault.is_sealed(out / f)
        assert thumbnail_uri(out / f, out / "media").startswith("data:image/")
    assert not list(p.paths.output.glob(".ingest-plain-*"))


def test_status_and_a_second_init_in_words(env, capsys):
    d = str(env["dir"])
    assert main(["key", "status", "--project", d, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "encrypts its identifiable data" in out and "identifiable files still plain: 0" in out
    assert main(["key", "init", "--project", d, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "already has a key" in err and "fieldeval key rotate" in err and "Traceback" not in err
