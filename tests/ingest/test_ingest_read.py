"""Every platform's export shape, made by the generator from household_visit.xlsx,
reads back to the same submissions; encodings, labels and one-hot columns."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from ingest_data import answers, differences, form, write_gbk_dta
from toolkit.errors import UserError
from toolkit.ingest import detect_platform, read_submissions, validate
from toolkit.ingest import writers as W
from toolkit.ingest.model import META_COLUMNS


@pytest.fixture(scope="module")
def subs():
    return answers(40, seed=11)


def _same(original, read) -> None:
    assert list(read.main.columns[:8]) == ["KEY", *META_COLUMNS]
    assert differences(original.main, read.main) == []
    for name, frame in original.repeats.items():
        assert differences(frame, read.repeats[name]) == [], name


def test_odk_zip_round_trip(tmp_path: Path, subs) -> None:
    p = W.write_odk_zip(subs, form(), tmp_path / "household_visit.zip")
    assert detect_platform(p) == "odk"
    got = read_submissions(p, form())
    _same(subs, got)
    assert set(got.main["source_platform"]) == {"odk"}
    assert got.problems.empty


def test_odk_zip_with_one_hot_columns(tmp_path: Path, subs) -> None:
    p = W.write_odk_zip(subs, form(), tmp_path / "x.zip", onehot=True)
    import zipfile
    with zipfile.ZipFile(p) as zf:
        head = zf.read("household_visit.csv").decode().splitlines()[0].split(",")
    assert "sec_d-medical_cover/none" in head and "sec_h-location-Latitude" in head
    assert "sec_a-archive_id" in head and head[0] == "SubmissionDate" and head[-1] == "FormVersion"
    _same(subs, read_submissions(p, form()))


def test_odk_csv_with_repeat_csvs(tmp_path: Path, subs) -> None:
    root = W.write_odk_csv(subs, form(), tmp_path / "household_visit.csv")
    rep = W.write_odk_repeat_csv(subs, form(), "member", tmp_path / "household_visit-member.csv")
    got = read_submissions([root, rep], form())
    assert differences(subs.main, got.main) == []
    assert differences(subs.repeats["member"], got.repeats["member"]) == []
    assert len(got.repeats["payment"]) == 0


def test_kobo_xlsx_round_trip(tmp_path: Path, subs) -> None:
    p = W.write_kobo_xlsx(subs, form(), tmp_path / "kobo.xlsx")
    head = pd.read_excel(p, nrows=0).columns
    assert "sec_a/archive_id" in head and "_uuid" in head and "sec_d/medical_cover/none" in head
    assert "_sec_h/location_precision" in head
    assert detect_platform(p) == "kobo"
    got = read_submissions(p, form())
    _same(subs, got)
    member = pd.read_excel(p, sheet_name="member", nrows=0).columns
    assert {"_index", "_parent_index", "_parent_table_name"} <= set(member)


def test_kobo_one_hot_only_rebuilds_select_multiple(tmp_path: Path, subs) -> None:
    p = W.write_kobo_xlsx(subs, form(), tmp_path / "kobo.xlsx")
    sheets = pd.read_excel(p, sheet_name=None)
    main = sheets["household_visit"].drop(columns=["sec_d/medical_cover", "sec_e/help_items"])
    p2 = tmp_path / "kobo_onehot.xlsx"
    with pd.ExcelWriter(p2) as xw:
        main.to_excel(xw, sheet_name="household_visit", index=False)
        for name, df in list(sheets.items())[1:]:
            df.to_excel(xw, sheet_name=name, index=False)
    got = read_submissions(p2, form())
    assert differences(subs.main[["medical_cover", "help_items"]], got.main) == []


def test_kobo_csv_main_only_semicolon(tmp_path: Path, subs) -> None:
    p = W.write_kobo_xlsx(subs, form(), tmp_path / "kobo.xlsx")
    csv = tmp_path / "kobo.csv"
    pd.read_excel(p, dtype=object).to_csv(csv, sep=";", index=False)
    got = read_submissions(csv, form())
    assert detect_platform(csv) == "kobo"
    assert differences(subs.main, got.main, skip=("source_platform", "source_file", "source_row",
                                                   "submitted_at", "start", "end", "today")) == []


@pytest.mark.parametrize("headers", ["name", "label"])
def test_plain_workbook(tmp_path: Path, subs, headers: str) -> None:
    p = W.write_plain_xlsx(subs, form(), tmp_path / "plain.xlsx", headers=headers, lang="zh")
    assert detect_platform(p) == "plain"
    first = pd.read_excel(p, nrows=0).columns
    assert "KEY" in first and "form_version" in first
    assert ("A1. 档案编号" in first) == (headers == "label")
    _same(subs, read_submissions(p, form()))


def test_plain_csv_gbk_with_english_labels(tmp_path: Path, subs) -> None:
    frame = W.plain_frames(subs, form(), headers="label", lang="en")["submissions"]
    p = tmp_path / "typed.csv"
    frame.to_csv(p, index=False, encoding="gbk")
    got = read_submissions(p, form())
    assert differences(subs.main, got.main) == []


def test_sav_main_and_repeat_files(tmp_path: Path, subs) -> None:
    main = W.write_sav(subs.main, form(), tmp_path / "visits.sav")
    rep = W.write_sav(subs.repeats["payment"], form(), tmp_path / "visits_payment.sav", level="payment")
    got = read_submissions([main, rep], form())
    assert set(got.main["source_platform"]) == {"spss"}
    assert differences(subs.main, got.main) == []
    assert differences(subs.repeats["payment"], got.repeats["payment"]) == []


def test_sav_from_another_team_labels_map_to_choice_names(tmp_path: Path) -> None:
    """Codes of their own (1 是 / 2 否, 1-4 sample types by label), an unlabelled
    code, and user-missing 8/9 on the satisfaction scale kept as codes."""
    df = pd.DataFrame({"KEY": ["a", "b", "c"], "consent": [1.0, 2.0, 1.0],
                       "sample_type": [3.0, 1.0, 7.0], "sat_overall": [5.0, 8.0, 9.0]})
    p = tmp_path / "team.sav"
    pyreadstat.write_sav(df, str(p), variable_value_labels={
        "consent": {1.0: "是", 2.0: "否"},
        "sample_type": {1.0: "已脱困户", 3.0: "A4. 非建档对照户"},
        "sat_overall": {5.0: "非常满意", 8.0: "不知道/说不清", 9.0: "拒绝回答"}},
        missing_ranges={"sat_overall": [8.0, 9.0]})
    got = read_submissions(p, form()).main
    assert got["consent"].tolist() == ["yes", "no", "yes"]
    assert got["sample_type"].tolist() == ["non_registered", "exited", "7"]
    assert got["sat_overall"].tolist() == ["5", "8", "9"]
    _, issues = validate(read_submissions(p, form()), form())
    bad = issues[(issues["rule"] == "choice") & (issues["field"] == "sample_type")]
    assert bad["value"].tolist() == ["7"]


def test_dta_version_14_round_trip(tmp_path: Path, subs) -> None:
    p = W.write_dta(subs.main, form(), tmp_path / "visits.dta")
    assert p.read_bytes()[:11] == b"<stata_dta>"
    got = read_submissions(p, form())
    assert set(got.main["source_platform"]) == {"stata"}
    assert differences(subs.main, got.main) == []


def _gbk_frame() -> pd.DataFrame:
    return pd.DataFrame({"KEY": ["k1", "k2", "k3"], "archive_id": ["HF0001", "HF0002", "HF0003"],
                         "township": ["瑶海区明光路街道", "庐阳区双岗街道", "蜀山区三里庵街道"],
                         "notes": ["家中有长期病人", "", "房屋漏雨需要修缮"]})


def test_gbk_dta_detected_when_auto(tmp_path: Path) -> None:
    p = write_gbk_dta(_gbk_frame(), tmp_path / "old.dta")
    assert p.read_bytes()[0] == 115
    got = read_submissions(p, form()).main
    assert got["township"].tolist() == _gbk_frame()["township"].tolist()


def test_gbk_dta_with_the_right_encoding(tmp_path: Path) -> None:
    p = write_gbk_dta(_gbk_frame(), tmp_path / "old.dta")
    got = read_submissions(p, form(), encoding="gbk").main
    assert got["notes"].tolist()[0] == "家中有长期病人"


@pytest.mark.parametrize("wrong", ["latin1", "cp1252", "utf-8"])
def test_gbk_dta_with_a_wrong_encoding_is_refused(tmp_path: Path, wrong: str) -> None:
    p = write_gbk_dta(_gbk_frame(), tmp_path / "old.dta")
    with pytest.raises(UserError) as e:
        read_submissions(p, form(), encoding=wrong)
    assert e.value.key in ("ingest.garbled_binary", "ingest.undecodable_binary")
    assert "old.dta" in e.value.message("en")


def test_bad_cells_become_type_problems_not_losses(tmp_path: Path, subs) -> None:
    frame = W.plain_frames(subs, form())["submissions"].copy()
    frame["school_children"] = frame["school_children"].astype(object)
    frame.loc[0, "school_children"] = "两个"
    frame.loc[1, "school_children"] = 1.5
    frame["start"] = frame["start"].astype(object)
    frame.loc[2, "start"] = "昨天上午"
    p = tmp_path / "bad.xlsx"
    frame.to_excel(p, index=False)
    got = read_submissions(p, form())
    assert len(got.main) == len(frame)
    probs = got.problems.set_index("field")
    assert probs.loc["school_children", "value"].tolist() == ["两个", "1.5"]
    assert probs.loc["start", "value"] == "昨天上午"
    _, issues = validate(got, form())
    assert (issues["rule"] == "type").sum() == 3


def test_unknown_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(UserError) as e:
        read_submissions(tmp_path / "nope.csv", form())
    assert e.value.key == "common.file_not_found"
    odd = tmp_path / "x.json"
    odd.write_text("{}")
    with pytest.raises(UserError) as e:
        read_submissions(odd, form())
    assert e.value.key == "ingest.unknown_format"


def test_several_files_stack_and_keep_their_source(tmp_path: Path) -> None:
    a, b = answers(10, seed=1), answers(12, seed=2)
    pa = W.write_odk_zip(a, form(), tmp_path / "a.zip")
    pb = W.write_kobo_xlsx(b, form(), tmp_path / "b.xlsx")
    got = read_submissions([pa, pb], form())
    assert len(got.main) == 22
    assert got.main["source_file"].str.startswith("a.zip").sum() == 10
    assert (got.main["source_platform"] == "kobo").sum() == 12
    assert len(got.repeats["member"]) == len(a.repeats["member"]) + len(b.repeats["member"])
    assert np.array_equal(got.main["source_row"].to_numpy()[:3], [2, 3, 4])
