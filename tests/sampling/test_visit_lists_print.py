"""Visit lists made to be printed and carried: A4 landscape fitted to the
width, header row on every page, result codes as numbered words, names,
addresses and phones in full, no probabilities or weights, owner-only; the
same lists read back for dispositions with numbers or numbered words."""
from __future__ import annotations

import stat
from pathlib import Path

import openpyxl
import pytest
from sampling_data import make_roster

from toolkit.sampling.field_dispositions import (
    CODE_NUMBERS,
    normalise_codes,
    numbered_codes,
    read_visit_lists,
    reconcile,
    units_of,
)
from toolkit.sampling.select import Design, draw
from toolkit.sampling.visit_lists import write_visit_lists


@pytest.fixture(scope="module")
def drawn():
    roster = make_roster()
    s = draw(roster, Design(seed="print", strata=("county",), method="two_stage", psus_per_stratum=2,
                            per_psu=4, reserves=2, seed_source="lottery"))
    return roster, s


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_print_settings_and_contents(drawn, tmp_path: Path, lang: str) -> None:
    roster, s = drawn
    out = write_visit_lists(s, roster, tmp_path, lang=lang)
    for path in out.workbooks.values():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        wb = openpyxl.load_workbook(path)
        lists = ["入户名单", "备用名单"] if lang == "zh" else ["Visit list", "Reserves"]
        assert wb.sheetnames[:2] == lists
        for name in lists:
            ws = wb[name]
            assert ws.page_setup.orientation == "landscape"
            assert str(ws.page_setup.paperSize) == str(ws.PAPERSIZE_A4) == "9"
            assert ws.sheet_properties.pageSetUpPr.fitToPage is True
            # fitToWidth: 1 is the attribute's default in the OOXML schema; a writer may leave it out
            assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0
            assert ws.print_title_rows == "$1:$1"
            codes = ws.oddFooter.left.text
            assert ("1 见到并完成访问" if lang == "zh" else "1 met and interviewed") in codes
            assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text
        ws = wb[lists[0]]
        heads = [c.value for c in ws[1]]
        assert not {"入样概率", "权数", "Inclusion probability", "Weight"} & set(heads)
        assert not any("pi" == str(h).lower() or "weight" in str(h).lower() for h in heads)
        name_col = heads.index("户主姓名" if lang == "zh" else "Head of household")
        phone_col = heads.index("联系电话" if lang == "zh" else "Phone")
        id_col = heads.index("档案编号" if lang == "zh" else "Archive no.")
        full = roster.set_index("archive_id")
        rows = list(ws.iter_rows(min_row=2, values_only=True))
        assert rows
        for r in rows:
            assert r[name_col] == full.at[r[id_col], "name"]               # in full, not "张＊"
            assert r[phone_col] == full.at[r[id_col], "phone"]             # in full, not "*******4950"
        assert ws.data_validations.dataValidation                        # the drop-down of numbered words
        about = wb.worksheets[2]
        text = " ".join(str(c.value) for row in about.iter_rows() for c in row if c.value is not None)
        assert all(w.split(" ", 1)[1] in text for w in numbered_codes(lang))
        assert "two_stage" not in text and "county" not in text.replace("County", "") or lang == "en"
    assert stat.S_IMODE(out.odk_csv.stat().st_mode) == 0o600


def test_numbers_and_numbered_words_read_back(drawn, tmp_path: Path) -> None:
    roster, s = drawn
    out = write_visit_lists(s, roster, tmp_path)
    book = out.workbooks[min(out.workbooks)]
    wb = openpyxl.load_workbook(book)
    ws = wb["入户名单"]
    head = {c.value: c.column for c in ws[1]}
    ids = [ws.cell(r, head["档案编号"]).value for r in range(2, 6)]
    written = ["1", "2 拒绝访问", "4. 已搬迁或查无此户", "6 不符合调查条件"]
    for r, v in zip(range(2, 6), written):
        ws.cell(r, head["结果代码"]).value = v
    wb.save(book)
    lists = read_visit_lists(tmp_path)
    got = lists.set_index("archive_id").loc[ids, "code"].tolist()
    assert got == ["completed", "refused", "moved", "not_eligible"]
    fd = reconcile(units_of(s), lists)
    f = fd.frame.set_index("archive_id")
    assert f.loc[ids, "code"].tolist() == ["completed", "refused", "moved", "not_eligible"]
    assert not len(fd.errors())


def test_en_lists_read_back(drawn, tmp_path: Path) -> None:
    roster, s = drawn
    out = write_visit_lists(s, roster, tmp_path, lang="en")
    book = next(iter(out.workbooks.values()))
    assert book.name.startswith("visit_list_")
    wb = openpyxl.load_workbook(book)
    ws = wb["Visit list"]
    head = {c.value: c.column for c in ws[1]}
    aid = ws.cell(2, head["Archive no."]).value
    ws.cell(2, head["Result"]).value = "1 met and interviewed"
    wb.save(book)
    lists = read_visit_lists(tmp_path)
    assert lists.set_index("archive_id").at[aid, "code"] == "completed"


def test_number_and_words_must_agree() -> None:
    import pandas as pd

    got = normalise_codes(pd.Series(["1", "１", "3 三次上门未遇", "2 见到并完成访问", "9", "1 拒访", "7"]))
    assert got.tolist() == ["completed", "completed", "not_at_home", None, None, None, CODE_NUMBERS["7"]]
