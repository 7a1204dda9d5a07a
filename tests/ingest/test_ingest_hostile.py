"""Hostile and odd exports (issue 14): every row read or reported, zips
bounded before reading, locked workbooks refused in words. Fixtures are made
here from the generator's ODK zip, re-packed."""
from __future__ import annotations

import io
import json
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from ingest_data import FORM_PATH, answers, form

from toolkit import safezip
from toolkit.cli import main
from toolkit.errors import UserError
from toolkit.ingest import read_submissions
from toolkit.ingest import writers as W
from toolkit.ingest.pipeline import run_ingest


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> tuple[dict[str, bytes], object]:
    subs = answers(40, seed=21)
    p = W.write_odk_zip(subs, form(), tmp_path_factory.mktemp("base") / "household_visit.zip")
    with zipfile.ZipFile(p) as zf:
        return {n: zf.read(n) for n in zf.namelist()}, subs


def _pack(path: Path, members: list[tuple[str, bytes]]) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # zipfile warns on a duplicate name: that is the case
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for n, b in members:
                zf.writestr(n, b)
    return path


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def _table(b: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(b), dtype=str, keep_default_na=False)


ROOT, MEMBER, PAYMENT = "household_visit.csv", "household_visit-member.csv", "household_visit-payment.csv"


def test_two_root_tables_are_both_read(tmp_path: Path, base) -> None:
    files, subs = base
    root = _table(files[ROOT])
    p = _pack(tmp_path / "split.zip", [("part1/" + ROOT, _csv(root.iloc[:20])),
                                       ("part2/" + ROOT, _csv(root.iloc[20:])),
                                       (MEMBER, files[MEMBER]), (PAYMENT, files[PAYMENT])])
    got = read_submissions(p, form())
    assert len(got.main) == 40 and got.not_read.empty
    assert got.main["source_file"].value_counts().to_dict() == {
        "split.zip!part1/household_visit.csv": 20, "split.zip!part2/household_visit.csv": 20}
    assert got.main["source_row"].tolist()[19:21] == [21, 2]
    assert len(got.repeats["member"]) == len(subs.repeats["member"])


@pytest.mark.parametrize("drop_key", [False, True])
def test_repeat_file_with_an_unexpected_name_is_read(tmp_path: Path, base, drop_key: bool) -> None:
    files, subs = base
    member = _table(files[MEMBER])
    if drop_key:     # then only the headers say which repeat it is
        member = member.drop(columns="KEY")
    p = _pack(tmp_path / "renamed.zip", [(ROOT, files[ROOT]), ("export_3.csv", _csv(member)),
                                         (PAYMENT, files[PAYMENT])])
    got = read_submissions(p, form())
    assert len(got.repeats["member"]) == len(subs.repeats["member"]) > 0
    assert got.not_read.empty


def test_unplaceable_tables_are_reported_with_their_rows(tmp_path: Path, base) -> None:
    files, _ = base
    other_root = pd.DataFrame({"SubmissionDate": ["2026-05-05"] * 4, "q_sat1": ["5"] * 4,
                               "KEY": [f"uuid:o{i}" for i in range(4)]})
    stray = pd.DataFrame({"colour": ["red"] * 7, "PARENT_KEY": ["x"] * 7, "KEY": [f"x/thing[{i}]" for i in range(7)]})
    p = _pack(tmp_path / "mixed.zip", [(ROOT, files[ROOT]), (MEMBER, files[MEMBER]), (PAYMENT, files[PAYMENT]),
                                       ("satisfaction.csv", _csv(other_root)), ("stray.csv", _csv(stray))])
    got = read_submissions(p, form())
    assert len(got.main) == 40
    nr = got.not_read.set_index("file")
    assert nr.loc["mixed.zip!satisfaction.csv", ["rows", "reason"]].tolist() == [4, "not_this_form"]
    assert nr.loc["mixed.zip!stray.csv", ["rows", "reason"]].tolist() == [7, "unknown_repeat"]
    out = tmp_path / "out"
    code = main(["ingest", str(p), "--form", str(FORM_PATH), "--out", str(out), "--lang", "en"])
    assert code == 1
    manifest = json.loads((out / "ingest.json").read_text(encoding="utf-8"))
    assert manifest["not_read"] == 4
    assert {t["file"]: t["rows"] for t in manifest["tables_not_read"]} == {
        "mixed.zip!satisfaction.csv": 4, "mixed.zip!stray.csv": 7}


def test_unplaceable_tables_are_printed(tmp_path: Path, base, capsys) -> None:
    files, _ = base
    stray = pd.DataFrame({"colour": ["red"] * 7, "PARENT_KEY": ["x"] * 7})
    p = _pack(tmp_path / "s.zip", [(ROOT, files[ROOT]), ("stray.csv", _csv(stray))])
    assert main(["ingest", str(p), "--form", str(FORM_PATH), "--out", str(tmp_path / "o"), "--lang", "en"]) == 1
    text = capsys.readouterr().out
    assert "Not read: s.zip!stray.csv (7 rows)" in text


def test_duplicated_member_keeps_both_copies(tmp_path: Path, base) -> None:
    files, subs = base
    p = _pack(tmp_path / "dup.zip", [(ROOT, files[ROOT]), (ROOT, files[ROOT]), (MEMBER, files[MEMBER]),
                                     (MEMBER, files[MEMBER]), (PAYMENT, files[PAYMENT])])
    res = run_ingest(p, form(), lang="en")
    assert res.read == 80 and res.quarantined == 80           # every row twice: duplicate keys
    assert set(res.issues.loc[res.issues["field"] == "KEY", "rule"]) == {"duplicate_key"}
    assert res.submissions.main["source_file"].str.endswith("(2)").sum() == 40
    assert res.repeat_counts["member"]["read"] == 2 * len(subs.repeats["member"])


def test_orphan_repeat_rows_count_as_quarantined(tmp_path: Path, base, capsys) -> None:
    files, _ = base
    member = _table(files[MEMBER])
    orphans = member.iloc[:3].copy()
    orphans["PARENT_KEY"] = ["uuid:nobody-1", "uuid:nobody-2", "uuid:nobody-3"]
    orphans["KEY"] = [k + "/member[1]" for k in orphans["PARENT_KEY"]]
    p = _pack(tmp_path / "orph.zip", [(ROOT, files[ROOT]), (MEMBER, _csv(pd.concat([member, orphans]))),
                                      (PAYMENT, files[PAYMENT])])
    res = run_ingest(p, form(), lang="en")
    c = res.repeat_counts["member"]
    assert c["read"] == len(member) + 3 == c["accepted"] + c["quarantined"]
    assert c["quarantined"] >= 3
    assert res.incomplete
    out = tmp_path / "o"
    assert main(["ingest", str(p), "--form", str(FORM_PATH), "--out", str(out), "--lang", "en"]) == 1
    text = capsys.readouterr().out
    # the repeat by its label, not its table name
    assert f"': read {c['read']} rows, {c['accepted']} accepted, {c['quarantined']} quarantined" in text
    assert "(member)" not in text
    manifest = json.loads((out / "ingest.json").read_text(encoding="utf-8"))
    assert manifest["repeat_counts"]["member"] == c


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    p = tmp_path / "bomb.zip"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("household_visit.csv", "w") as f:
        f.write(b"SubmissionDate,KEY\n")
        block = b"0" * (1 << 20)
        for _ in range(200):            # 200 MB of zeros, about 200 KB packed
            f.write(block)
    assert p.stat().st_size < 400_000
    tracemalloc.start()
    try:
        with pytest.raises(UserError) as e:
            read_submissions(p, form())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert e.value.key == "archive.ratio"
    assert "zip bomb" in e.value.message("en") and "household_visit.csv" in e.value.message("zh")
    assert peak < 20 * (1 << 20)        # nothing of the 200 MB was held
    code = main(["ingest", str(p), "--form", str(FORM_PATH), "--out", str(tmp_path / "o")])
    assert code == 2


@pytest.mark.parametrize("name", ["../../escape.csv", "/etc/cron.d/x.csv", "C:/Windows/x.csv",
                                  "a/../../b.csv", "..\\..\\win.csv"])
def test_unsafe_member_names_are_refused(tmp_path: Path, base, name: str) -> None:
    files, _ = base
    p = _pack(tmp_path / "names.zip", [(ROOT, files[ROOT]), (name, b"a,b\n1,2\n")])
    with pytest.raises(UserError) as e:
        read_submissions(p, form())
    assert e.value.key == "archive.unsafe_name"


def test_member_count_and_size_limits(tmp_path: Path, base) -> None:
    files, _ = base
    p = _pack(tmp_path / "many.zip", [(f"t{i}.csv", b"a\n1\n") for i in range(6)])
    with pytest.raises(UserError) as e:
        safezip.check(p, safezip.ZipLimits(max_members=5))
    assert e.value.key == "archive.too_many_members"
    p2 = _pack(tmp_path / "big.zip", [(ROOT, files[ROOT])])
    with pytest.raises(UserError) as e:
        safezip.check(p2, safezip.ZipLimits(max_total_bytes=100))
    assert e.value.key == "archive.too_large"
    with pytest.raises(UserError) as e:
        safezip.check(p2, safezip.ZipLimits(max_member_bytes=100))
    assert e.value.key == "archive.member_too_large"
    # a member larger than the limit while inflating is stopped there, even if the directory lied
    with zipfile.ZipFile(p2) as zf:
        info = zf.infolist()[0]
        with pytest.raises(UserError) as e:
            safezip.read_member(zf, info, p2, safezip.ZipLimits(max_member_bytes=1000))
    assert e.value.key == "archive.member_too_large"


def test_workbook_bomb_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "visits.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as f:
            for _ in range(40):
                f.write(b" " * (1 << 20))
    with pytest.raises(UserError) as e:
        read_submissions(p, form())
    assert e.value.key == "archive.ratio"


def test_password_protected_visits_workbook(tmp_path: Path, capsys) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = W.write_plain_xlsx(answers(5, seed=3), form(), tmp_path / "plain.xlsx")
    locked = tmp_path / "visits.xlsx"
    with plain.open("rb") as f, locked.open("wb") as out:
        OOXMLFile(f).encrypt("secret", out)
    with pytest.raises(UserError) as e:
        read_submissions(locked, form())
    assert e.value.key == "ingest.encrypted"
    assert main(["ingest", str(locked), "--form", str(FORM_PATH), "--out", str(tmp_path / "o")]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "密码" in captured.out + captured.err


def test_utf16_visits_csv_is_read(tmp_path: Path) -> None:
    subs = answers(6, seed=4)
    p = W.write_odk_csv(subs, form(), tmp_path / "v.csv")
    text = p.read_text(encoding="utf-8")
    p.write_bytes(text.encode("utf-16"))
    got = read_submissions(p, form())
    assert len(got.main) == 6
    assert got.main["KEY"].tolist() == subs.main["KEY"].tolist()


def test_repeat_counts_balance_on_clean_data(base, tmp_path: Path) -> None:
    files, subs = base
    p = _pack(tmp_path / "ok.zip", list(files.items()))
    res = run_ingest(p, form())
    for name, c in res.repeat_counts.items():
        assert c["read"] == len(subs.repeats[name]) == c["accepted"] + c["quarantined"]
    assert np.array_equal(res.not_read["rows"].to_numpy(), [])


def _rename_sheet(path: Path, old: str, new: str, out: Path) -> Path:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb[old].title = new
    wb.save(out)
    return out


def test_plain_workbook_repeat_sheet_under_another_name(tmp_path: Path) -> None:
    subs = answers(12, seed=5)
    p = W.write_plain_xlsx(subs, form(), tmp_path / "plain.xlsx")
    renamed = _rename_sheet(p, "member", "家庭成员", tmp_path / "renamed.xlsx")
    got = read_submissions(renamed, form())
    assert len(got.repeats["member"]) == len(subs.repeats["member"]) > 0
    assert got.not_read.empty


def test_plain_workbook_unknown_child_sheet_is_reported(tmp_path: Path) -> None:
    subs = answers(6, seed=5)
    p = W.write_plain_xlsx(subs, form(), tmp_path / "plain.xlsx")
    import openpyxl

    wb = openpyxl.load_workbook(p)
    ws = wb.create_sheet("其他")
    ws.append(["colour", "PARENT_KEY"])
    for i in range(5):
        ws.append(["red", f"k{i}"])
    wb.save(p)
    got = read_submissions(p, form())
    assert got.not_read[["file", "rows", "reason"]].values.tolist() == [["plain.xlsx!其他", 5, "unknown_repeat"]]


def test_kobo_child_sheet_of_no_repeat_is_reported(tmp_path: Path) -> None:
    subs = answers(8, seed=6)
    p = W.write_kobo_xlsx(subs, form(), tmp_path / "kobo.xlsx")
    renamed = _rename_sheet(p, "payment", "payments_2026", tmp_path / "k2.xlsx")
    got = read_submissions(renamed, form())
    nr = got.not_read
    assert nr["file"].tolist() == ["k2.xlsx!payments_2026"]
    assert nr["rows"].tolist() == [len(subs.repeats["payment"])]


def test_duplicate_columns_that_disagree_are_quarantined(tmp_path: Path, base) -> None:
    files, _ = base
    root = _table(files[ROOT])
    root["township"] = root["sec_a-township"]          # the same question under a second header
    root.loc[25, "township"] = "别的街道"
    first, second = root.iloc[:20], root.iloc[20:]
    p = _pack(tmp_path / "dupcol.zip", [("a/" + ROOT, _csv(first)), ("b/" + ROOT, _csv(second)),
                                        (MEMBER, files[MEMBER]), (PAYMENT, files[PAYMENT])])
    res = run_ingest(p, form(), lang="en")
    hit = res.issues[res.issues["rule"] == "duplicate_column"]
    assert hit["key"].tolist() == [root.loc[25, "KEY"]]       # the row in the second table, shifted right
    assert "「sec_a-township」" in hit["value"].iloc[0] and "「township」: 别的街道" in hit["value"].iloc[0]
    status = res.submissions.main.set_index("KEY")["_status"]
    assert status[root.loc[25, "KEY"]] == "quarantined"


def test_duplicate_columns_that_agree_are_quiet(tmp_path: Path, base) -> None:
    files, _ = base
    root = _table(files[ROOT])
    root["township"] = root["sec_a-township"]
    p = _pack(tmp_path / "same.zip", [(ROOT, _csv(root)), (MEMBER, files[MEMBER]), (PAYMENT, files[PAYMENT])])
    res = run_ingest(p, form())
    assert "duplicate_column" not in set(res.issues["rule"])


def test_spss_repeat_files_are_stacked_or_reported(tmp_path: Path) -> None:
    subs = answers(8, seed=9)
    main_p = W.write_sav(subs.main, form(), tmp_path / "main.sav")
    members = subs.repeats["member"]
    a = W.write_sav(members.iloc[:5], form(), tmp_path / "hv_member.sav", level="member")
    b = W.write_sav(members.iloc[5:], form(), tmp_path / "more_member.sav", level="member")
    odd = W.write_sav(pd.DataFrame({"PARENT_KEY": ["x", "y", "z"], "colour": ["r", "g", "b"]}), form(),
                      tmp_path / "odd.sav", level="member")
    got = read_submissions([main_p, a, b], form())
    assert len(got.repeats["member"]) == len(members)          # two files of one repeat: both kept
    got2 = read_submissions([main_p, odd], form())
    assert got2.not_read[["file", "rows", "reason"]].values.tolist() == [["odd.sav", 3, "unknown_repeat"]]


def test_non_csv_tables_in_a_zip_are_listed(tmp_path: Path, base) -> None:
    files, _ = base
    p = _pack(tmp_path / "extra.zip", [*files.items(), ("extra/other.xlsx", b"PK"), ("media/photo.jpg", b"jpg"),
                                       ("notes.txt", b"hello")])
    got = read_submissions(p, form())
    assert sorted(got.not_read["file"]) == ["extra.zip!extra/other.xlsx", "extra.zip!notes.txt"]
    assert set(got.not_read["reason"]) == {"not_csv"}
    assert len(got.main) == 40
