"""Audit logs (paradata) read from an ODK Central-shaped zip; the zip's
media and audit CSVs are never taken for data tables."""
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ingest"))
from ingest_data import FORM_PATH, answers, form  # noqa: E402

from toolkit.ingest.paradata import min_seconds, paradata_flags, read_audits  # noqa: E402
from toolkit.ingest.pipeline import run_ingest, write_outputs  # noqa: E402
from toolkit.ingest.writers import write_odk_zip  # noqa: E402

INCOME = ["inc_wage", "inc_pension", "inc_business", "inc_property", "inc_transfer", "inc_union", "inc_other",
          "exp_medical", "exp_disability", "exp_school"]
VERDICT = ["verdict_eligible", "verdict_exit_wrong", "verdict_should_exit"]
T0 = 1_767_225_600_000   # ms since 1970


def _events(income_s: float, verdict_s: float, change: bool) -> pd.DataFrame:
    rows, t = [("form start", "", T0, T0, "", "")], T0
    for q in INCOME:
        rows.append(("question", f"/data/sec_c/{q}", t, t + income_s * 1000, "", "100"))
        t += income_s * 1000
    for q in VERDICT:
        rows.append(("question", f"/data/sec_h/{q}", t, t + verdict_s * 1000, "", "no"))
        t += verdict_s * 1000
    if change:   # back to the income block after the verdict: 5000 → 8000
        rows.append(("question", "/data/sec_c/inc_wage", t, t + 2000, "5000", "8000"))
    rows.append(("form exit", "", t + 3000, "", "", ""))
    return pd.DataFrame(rows, columns=["event", "node", "start", "end", "old-value", "new-value"])


@pytest.fixture(scope="module")
def central_zip(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    subs = answers(12, seed=3)
    f = form()
    d = tmp_path_factory.mktemp("central")
    plain = write_odk_zip(subs, f, d / "plain.zip")
    keys = subs.main["KEY"].astype(str).tolist()
    fast = _events(1, 2, True)                       # 10 s on income (40 needed), 6 s on verdicts (15 needed)
    slow = _events(6, 10, False)
    merged = pd.concat([fast.assign(**{"instance ID": keys[0]}), slow.assign(**{"instance ID": keys[1]})])
    merged = merged[["instance ID", *fast.columns]]
    out = d / "household_visit.zip"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w") as zf:
        # audit and media first: nothing but the form's own tables may be read as data
        zf.writestr(f"{f.form_id} - audit.csv", merged.to_csv(index=False))
        zf.writestr(f"media/{keys[2]}/audit.csv", _events(1, 1, True).to_csv(index=False))
        zf.writestr("media/photo_1.jpg", b"\xff\xd8\xff\xe0not really a photo")
        root = src.read(f"{f.form_id}.csv")
        zf.writestr("media/copy_of_root.csv", root)   # a CSV attachment shaped like the root table
        for name in src.namelist():
            zf.writestr(name, src.read(name))
    return out, subs.main


@pytest.fixture(scope="module")
def ingested(central_zip):
    return run_ingest([central_zip[0]], form(), form_path=str(FORM_PATH))


def test_zip_reads_only_the_data_tables(central_zip, ingested) -> None:
    path, main = central_zip
    r = ingested
    assert r.read == len(main)                      # the media copy of the root is not read twice
    assert len(r.not_read) == 0                     # audit logs are paradata, not "tables not read"
    assert sorted(r.submissions.main["KEY"].astype(str)) == sorted(main["KEY"].astype(str))


def test_audit_logs_from_merged_and_per_submission_files(central_zip, ingested, tmp_path) -> None:
    path, main = central_zip
    keys = main["KEY"].astype(str).tolist()
    a = read_audits([path])
    assert keys[2].startswith("uuid:") and set(a["KEY"]) == {keys[0], keys[1], keys[2]}   # folder names the third
    ms = min_seconds(FORM_PATH)
    assert ms["inc_wage"] == 4 and ms["verdict_eligible"] == 5
    flags = paradata_flags(a, form(), ms).set_index("KEY")
    one, two = flags.loc[keys[0]], flags.loc[keys[1]]
    # 10 × 1 s, and 2 s more when the wage was changed after the verdict
    assert one["income_seconds"] == 12 and one["income_min_seconds"] == 40 and one["income_fast"] == 1
    assert one["verdict_seconds"] == 6 and one["verdict_min_seconds"] == 15 and one["verdict_fast"] == 1
    assert one["changed_after_verdict"] == 1
    assert two["income_fast"] == 0 and two["verdict_fast"] == 0 and two["changed_after_verdict"] == 0
    assert one["sec_c"] == 12 and two["sec_h"] == 30    # seconds per section (the change counted in C)
    # the ingest stage keeps them, in words too
    r = ingested
    written = {p.name for p in write_outputs(r, tmp_path, "en")}
    assert {"paradata.parquet", "interviewers.xlsx", "interviewer_signals.parquet"} <= written
    book = pd.read_excel(tmp_path / "interviewers.xlsx", sheet_name=None)
    sheet = book["Audit log"]
    assert "Income block too fast" in sheet.columns
    assert set(sheet["Income block too fast"]) <= {"Yes", "No", "—"}
    sig = r.extra["interviewers"]
    assert set(sig.per_submission.dropna(subset=["income_fast"])["KEY"]) <= set(keys[:3])


def test_kobo_media_download_audit_logs(tmp_path) -> None:
    uuid = "3f2b8c1e-9a4d-4e2f-8b1a-0c9d8e7f6a5b"
    z = tmp_path / "attachments.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr(f"enum1/attachments/aBcD1234/{uuid}/audit.csv", _events(6, 10, True).to_csv(index=False))
        zf.writestr(f"enum1/attachments/aBcD1234/{uuid}/photo.jpg", b"\xff\xd8\xff")
    a = read_audits([z])
    assert set(a["KEY"]) == {"uuid:" + uuid} and len(a) == len(_events(6, 10, True))
    f = paradata_flags(a, form(), min_seconds(FORM_PATH)).iloc[0]
    assert f["income_fast"] == 0 and f["changed_after_verdict"] == 1
