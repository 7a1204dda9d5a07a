"""Labelled export: .sav read back by pyreadstat and by GNU PSPP with the
Chinese labels; .dta version 14+; Excel cells neutralised."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from ingest_data import answers, differences, form
from toolkit.ingest import read_submissions
from toolkit.ingest.writers import choice_codes, write_dta, write_sav, write_plain_xlsx


@pytest.fixture(scope="module")
def subs():
    return answers(30, seed=44)


def test_sav_round_trip_values_and_labels(tmp_path: Path, subs) -> None:
    p = write_sav(subs.main, form(), tmp_path / "v.sav", lang="zh")
    df, meta = pyreadstat.read_sav(str(p), user_missing=True)
    f = form()
    # values: select_one codes, numbers, text, dates identical
    codes = choice_codes(f, "sample_type")
    assert df["sample_type"].tolist() == subs.main["sample_type"].map(codes).tolist()
    assert np.allclose(df["inc_wage"], subs.main["inc_wage"], equal_nan=True)
    assert df["archive_id"].tolist() == subs.main["archive_id"].tolist()
    assert (df["start"] == subs.main["start"]).all()
    assert df["sat_overall"].dropna().isin([1, 2, 3, 4, 5, 8, 9]).all()
    # labels: the form's Chinese question and choice labels
    labels = meta.column_names_to_labels
    assert labels["archive_id"] == f.label(f.question("archive_id"), "zh")
    assert labels["sat_overall"].startswith("G1.")
    vl = meta.variable_value_labels
    assert vl["sample_type"] == {float(codes[c.name]): f.label(c, "zh") for c in f.choices["sample_type"]}
    assert vl["sat_overall"][8.0] == "不知道/说不清"
    assert meta.missing_ranges["sat_overall"] == [{"lo": 8.0, "hi": 8.0}, {"lo": 9.0, "hi": 9.0}]
    assert labels["medical_cover_none"].endswith("无")
    # and our reader gets the same submissions back
    assert differences(subs.main, read_submissions(p, form(), main_only=True).main) == []


def test_sav_english_labels(tmp_path: Path, subs) -> None:
    p = write_sav(subs.main, form(), tmp_path / "en.sav", lang="en")
    _, meta = pyreadstat.read_sav(str(p), metadataonly=True)
    assert meta.column_names_to_labels["consent"].startswith("A8. ")
    assert meta.variable_value_labels["consent"] == {1.0: "Yes", 2.0: "No"}


def test_pspp_reads_our_sav_with_chinese_labels(tmp_path: Path, subs) -> None:
    assert shutil.which("pspp"), "GNU PSPP missing: apt-get install pspp (scripts/install-system-deps.sh)"
    p = write_sav(subs.main, form(), tmp_path / "visits.sav")
    syntax = tmp_path / "show.sps"
    syntax.write_text(f"GET FILE='{p}'.\nDISPLAY DICTIONARY /VARIABLES=sample_type sat_overall archive_id.\n"
                      "SHOW N.\n", encoding="utf-8")
    run = subprocess.run(["pspp", "-O", "format=txt", "-O", "width=200", str(syntax)], capture_output=True,
                         text=True, timeout=60, cwd=tmp_path)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    for text in ("样本类型", "在档困难职工户", "非建档对照户", "非常满意", "不知道/说不清", "档案编号"):
        assert text in out, text
    assert "User-missing" in out or "8; 9" in out


def test_dta_round_trip_version_14(tmp_path: Path, subs) -> None:
    p = write_dta(subs.main, form(), tmp_path / "v.dta")
    head = p.read_bytes()[:64]
    assert b"<release>118</release>" in head
    df, meta = pyreadstat.read_dta(str(p))
    assert meta.column_names_to_labels["archive_id"] == form().label(form().question("archive_id"), "zh")
    assert meta.variable_value_labels["consent"] == {1: "是", 2: "否"}
    assert df["township"].tolist() == subs.main["township"].fillna("").tolist()
    assert "ingest_status" not in df.columns    # no _status before validation


def test_excel_export_neutralises_formulas(tmp_path: Path, subs) -> None:
    m = subs.main.copy()
    m.loc[0, "notes"] = "=HYPERLINK(\"http://x\",\"点我\")"
    m.loc[1, "notes"] = "@SUM(A1)"
    m.loc[2, "notes"] = "-12"
    from dataclasses import replace
    p = write_plain_xlsx(replace(subs, main=m), form(), tmp_path / "x.xlsx")
    notes = pd.read_excel(p)["notes"].tolist()
    assert notes[0].startswith("'=") and notes[1].startswith("'@")
    assert str(notes[2]) in ("-12", "-12.0")
