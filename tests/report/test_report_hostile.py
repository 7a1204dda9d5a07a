"""Hostile roster text and the leadership report: free text with a name and a
spaced phone in 主要致困原因 never reaches the docx, html or xlsx; the privacy
screen finds names, spaced phones, ID numbers, bank cards and addresses."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from report_data import cli, personal_strings, text_of

NAME = "郭家祥"
CAUSE = f"{NAME}患病(电话 199 5667 8295)"
OTHER = "住明光路12号3栋201室，卡号 6222 0212 3456 7890 125，身份证 340102 19800212 002X"
PHONE_FORMS = ("199 5667 8295", "199-5667-8295", "19956678295", "+86 199 5667 8295")


def _luhn_card() -> str:
    from toolkit.report.privacy import luhn_ok

    base = "622202123456789012"
    return next(base + d for d in "0123456789" if luhn_ok(base + d))


def _valid_id() -> str:
    from toolkit.roster.idcard import make_id

    return make_id("340102", "19800212", 2)


# --- the scrubber and the screen ------------------------------------------------------------------

def test_scrub_text_removes_every_kind() -> None:
    from toolkit.roster.privacy import SCRUBBED, scrub_text

    card, pid = _luhn_card(), _valid_id()
    spaced_card = " ".join(card[i:i + 4] for i in range(0, len(card), 4))
    spaced_id = f"{pid[:6]} {pid[6:14]} {pid[14:]}"
    texts = [CAUSE, *(f"电话{p}" for p in PHONE_FORMS), f"卡 {spaced_card}", f"卡{card}", f"证 {spaced_id}",
             f"证{pid}", "住明光路12号3栋201室", "联系0551-62345678", "张三丰家住某某花园", "患重特大疾病", None]
    out = scrub_text(pd.Series(texts), names=[NAME, "张三丰"], addresses=["某某花园"])
    for before, after in zip(texts[:-2], out[:-2]):
        assert SCRUBBED in after, (before, after)
        assert not any(ch.isdigit() for ch in after), (before, after)
    assert NAME not in out[0] and "8295" not in out[0]
    assert out.iloc[-2] == "患重特大疾病" and pd.isna(out.iloc[-1])
    # ordinary numbers stay
    assert scrub_text(pd.Series(["住院3次，花费12000元"])).iloc[0] == "住院3次，花费12000元"


def test_category_word_keeps_only_the_vocabulary() -> None:
    from toolkit.roster.privacy import category_word

    out = category_word(pd.Series([CAUSE, " 下岗失业 ", None]), ("下岗失业",), "（已隐去）")
    assert out.iloc[0] == "（已隐去）" and out.iloc[1] == "下岗失业" and pd.isna(out.iloc[2])


def test_scan_finds_spaced_phones_ids_cards_names_addresses() -> None:
    from toolkit.report.privacy import scan_text

    for p in PHONE_FORMS:
        assert [h.kind for h in scan_text(f"电话 {p}。")] == ["phone"], p
    pid, card = _valid_id(), _luhn_card()
    assert [h.kind for h in scan_text(f"证 {pid[:6]} {pid[6:14]} {pid[14:]}")] == ["id_number"]
    assert [h.kind for h in scan_text(f"卡 {' '.join(card[i:i + 4] for i in range(0, len(card), 4))}")] == \
        ["bank_card"]
    assert [h.kind for h in scan_text(CAUSE, names=[NAME])] == ["phone", "name"]
    assert [h.kind for h in scan_text("住明光路12号3栋201室")] == ["address"]
    assert [h.kind for h in scan_text("x 某某花园 y", addresses=["某某花园"])] == ["address"]
    # the report's own wording and counts are not personal data
    assert scan_text("每个街道抽 8 户，共 1500 户；表 3 合计 12000 元。\n1\n3\n2\n0\n5\n6\n7\n8\n9\n1\n2") == []


def test_guard_names_the_kind_in_words() -> None:
    from toolkit.errors import UserError
    from toolkit.report.model import Report, Section
    from toolkit.report.privacy import assert_clean

    leak = Report("t", (), "zh", (Section("s", "s", (f"原因：{CAUSE}",)),))
    with pytest.raises(UserError) as e:
        assert_clean(leak, names=[NAME])
    assert "电话号码" in e.value.message("zh") and "phone_" not in e.value.message("zh")
    only_name = Report("t", (), "en", (Section("s", "s", (f"{NAME}患病",)),))
    with pytest.raises(UserError) as e:
        assert_clean(only_name, names=[NAME])
    assert "a name from the roster" in e.value.message("en")
    assert_clean(Report("t", (), "zh", (Section("s", "s", ("金秋助学",)),)), names=["金秋"])  # our own word


# --- the whole report from a hostile roster --------------------------------------------------------

@pytest.fixture(scope="module")
def hostile(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo project whose roster's 主要致困原因 is free text with
    a name and a spaced phone (and, on every third row, an address, a bank
    card and an ID number); one household is called 郭家祥."""
    from openpyxl import load_workbook

    proj = tmp_path_factory.mktemp("hostile") / "proj"
    shutil.copytree(project, proj)
    book = load_workbook(proj / "roster.xlsx")
    ws = book.worksheets[0]
    head = {c.value: c.column for c in ws[1]}
    cause, name = head["主要致困原因"], head["姓名"]
    for r in range(2, ws.max_row + 1):
        ws.cell(row=r, column=cause, value=CAUSE if r % 3 else f"{CAUSE}；{OTHER}")
    ws.cell(row=2, column=name, value=NAME)
    book.save(proj / "roster.xlsx")
    return proj


def test_leadership_report_has_no_name_or_phone(hostile: Path) -> None:
    from toolkit.report.privacy import scan_text

    out = hostile / "output" / "report_hostile"
    code, _ = cli("report", "--project", str(hostile), "--format", "docx,html,xlsx", "--lang", "zh",
                  "--out", str(out))
    assert code == 0
    files = sorted(p for p in out.rglob("*") if p.suffix in (".docx", ".html", ".xlsx"))
    assert {p.suffix for p in files} == {".docx", ".html", ".xlsx"}
    names = personal_strings(hostile)["names"]
    assert NAME in names
    for p in files:
        text = text_of(p)
        assert NAME not in text, p
        assert not any(f in text for f in PHONE_FORMS) and "8295" not in text, p
        assert "6222" not in text and "明光路12号" not in text, p
        assert scan_text(text, str(p), names=names) == []
    # the examples table still shows the finding, with the cause withheld (not its free text)
    html = text_of(next(p for p in files if p.suffix == ".html"))
    assert "（已隐去）" in html
