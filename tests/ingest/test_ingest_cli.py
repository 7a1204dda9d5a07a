"""`fieldeval ingest` and `fieldeval export`: files, counts, exit codes, zh/en."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from ingest_data import FORM_PATH, answers, form
from toolkit.cli import main
from toolkit.ingest import writers as W


def _project(tmp_path: Path) -> Path:
    d = tmp_path / "project"
    d.mkdir()
    (d / "evaluation.toml").write_text(
        '[evaluation]\nname = "测试评估"\nlanguage = "zh"\n\n[[counties]]\nname = "瑶海区"\ncode = "340102"\n'
        'dibao = 800\nmin_wage = 2060\n\n[quality]\nmin_minutes = 20\nmax_minutes = 120\n'
        'field_start = "2026-05-04"\nfield_end = "2026-05-31"\n', encoding="utf-8")
    return d


def test_ingest_writes_everything_and_counts(tmp_path: Path, capsys) -> None:
    subs = answers(30, seed=55)
    m = subs.main.copy()
    met = np.flatnonzero((m["visit_result"] == "met").to_numpy())
    m.loc[met[0], "housing_now"] = "castle"
    m.loc[met[1], "notes"] = "=cmd|' /C calc'!A0"
    m.loc[met[2], "form_version"] = "2025010101"
    export = W.write_odk_zip(replace(subs, main=m), form(), tmp_path / "household_visit.zip")
    corr = tmp_path / "corrections.xlsx"
    pd.DataFrame({"key": [m.loc[met[3], "KEY"], m.loc[met[4], "KEY"]], "field": ["township", "township"],
                  "old_value": [m.loc[met[3], "township"], "stale"], "new_value": ["新街道", "x"],
                  "reason": "回访", "initials": "WL", "date": "2026-05-12"}).to_excel(
        corr, index=False, sheet_name="corrections")
    out = tmp_path / "out"
    code = main(["ingest", str(export), "--form", str(FORM_PATH), "--project", str(_project(tmp_path)),
                 "--corrections", str(corr), "--out", str(out), "--lang", "en"])
    text = capsys.readouterr().out
    assert code == 1
    assert "Read 30 submissions: 29 accepted, 1 quarantined." in text
    assert "answer is not one of the choices (error): 1" in text            # rules by their names, not codes
    assert "form version differs or is missing (warning): 1" in text and "form_version" not in text
    assert "1 applied, 1 refused" in text
    sub = pd.read_parquet(out / "submissions.parquet")
    assert len(sub) == 30 and sub["_status"].value_counts().to_dict() == {"accepted": 29, "quarantined": 1}
    assert (sub["township"] == "新街道").sum() == 1
    assert {p.name for p in out.iterdir()} >= {"submissions.parquet", "repeat_member.parquet",
                                               "repeat_payment.parquet", "issues.csv", "issues.parquet",
                                               "quality.xlsx",
                                               "corrections_audit.csv", "ingest.json"}
    issues = pd.read_csv(out / "issues.csv", encoding="utf-8-sig")        # for people: words
    assert list(issues.columns[:6]) == ["Submission", "Question", "Value", "Rule", "Severity", "What to do"]
    assert "answer is not one of the choices" in set(issues["Rule"]) and "choice" not in set(issues["Rule"])
    from toolkit.ingest.issues_file import read_issues

    assert list(read_issues(out).columns[:6]) == ["key", "field", "value", "rule", "severity", "message"]
    assert len(pd.ExcelFile(out / "quality.xlsx").sheet_names) == 13   # 12 checks + location (issue 22)
    manifest = json.loads((out / "ingest.json").read_text(encoding="utf-8"))
    assert manifest["read"] == manifest["accepted"] + manifest["quarantined"] == 30

    assert main(["export", str(out), "--to", "sav"]) == 0
    df, meta = pyreadstat.read_sav(str(out / "export" / "submissions.sav"))
    assert len(df) == 30 and meta.column_names_to_labels["archive_id"].startswith("A1.")
    assert set(df["ingest_status"]) == {"accepted", "quarantined"}
    assert main(["export", str(out), "--to", "dta"]) == 0
    assert main(["export", str(out), "--to", "xlsx", "--form", str(FORM_PATH)]) == 0
    x = pd.read_excel(out / "export" / "submissions.xlsx", sheet_name=None)
    assert set(x) == {"submissions", "member", "payment"}
    assert x["submissions"]["notes"].astype(str).str.startswith("'=").sum() == 1
    assert main(["export", str(out), "--to", "parquet"]) == 0
    assert (out / "export" / "submissions_member.parquet").exists()


def test_clean_data_exit_0_chinese_summary(tmp_path: Path, capsys) -> None:
    subs = answers(12, seed=56)
    p = W.write_plain_xlsx(subs, form(), tmp_path / "plain.xlsx")
    assert main(["ingest", str(p), "--form", str(FORM_PATH), "--out", str(tmp_path / "o")]) == 0
    assert "读取 12 份提交：接受 12 份，隔离 0 份。" in capsys.readouterr().out


def test_unusable_input_exit_2(tmp_path: Path, capsys) -> None:
    code = main(["ingest", str(tmp_path / "none.zip"), "--form", str(FORM_PATH), "--out", str(tmp_path / "o"),
                 "--lang", "en"])
    assert code == 2
    assert "File not found" in capsys.readouterr().err
    assert main(["export", str(tmp_path / "empty"), "--to", "sav", "--lang", "en"]) == 2
    assert "run fieldeval ingest first" in capsys.readouterr().err
