"""The printed questionnaire: A4 with a page header and "page X of Y", a
cover block with the consent statement, option labels only (no choice
names), ${...} placeholders as write-in blanks with their meaning."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm

from toolkit.cli import main
from toolkit.forms.paper import BLANK, paper
from toolkit.forms.reader import read_xlsform

ROOT = Path(__file__).resolve().parents[2]
HV = ROOT / "toolkit" / "questionnaires" / "household_visit.xlsx"


@pytest.fixture(scope="module")
def form():
    return read_xlsform(HV)


def _all_text(doc) -> str:  # noqa: ANN001
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def _choice_names(form) -> set[str]:  # noqa: ANN001
    """Choice names that are identifiers (not numbers): none may be printed."""
    return {c.name for cs in form.choices.values() for c in cs if not c.name.isdigit()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_is_a4_with_header_footer_and_cover(form, tmp_path: Path, lang: str) -> None:
    out = tmp_path / f"hv_{lang}.docx"
    assert main(["form", "render", str(HV), "--out", str(out), "--lang", lang,
                 "--evaluation", "合肥市困难职工帮扶第三方评估"]) == 0
    doc = Document(str(out))
    for sec in doc.sections:
        assert abs(sec.page_width - Mm(210)) < Mm(0.5) and abs(sec.page_height - Mm(297)) < Mm(0.5)
        assert sec.left_margin > sec.right_margin            # binding edge
        assert "合肥市困难职工帮扶第三方评估" in sec.header.paragraphs[0].text
        footer_xml = sec.footer._element.xml
        assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml and "fldChar" in footer_xml
        assert ("第" in sec.footer.paragraphs[0].text) == (lang == "zh")
    text = _all_text(doc)
    if lang == "zh":
        for word in ("问卷编号", "访问日期", "访员", "受访人签名", "知情同意", "自愿"):
            assert word in text, word
    else:
        for word in ("Questionnaire no.", "Date of visit", "Interviewer", "Respondent's signature", "voluntary"):
            assert word in text, word
    # no choice names, no "code = label", no raw placeholders
    words = set(re.findall(r"[A-Za-z_]+", text))
    names = _choice_names(form)
    leaked = (names & words) if lang == "zh" else {n for n in names & words if "_" in n}
    assert not leaked, leaked
    assert "${" not in text and " = " not in text and not re.search(r"\bmet\.|\bhead =", text)


def test_option_labels_only_and_numbered_legend(form) -> None:
    page = paper(form, "zh")
    a7 = next(q for b in page.blocks for q in b.questions if q.code == "A7")
    assert [o.label for o in a7.options][:2] == ["见到受访户", "多次上门无人"]
    relation = next(q for b in page.blocks for q in b.questions if q.code == "C1b")
    assert [o.number for o in relation.options][:3] == ["1", "2", "3"]
    g1 = next(q for b in page.blocks for q in b.questions if q.code == "G1")
    assert [o.number for o in g1.options][:2] == ["5", "4"]    # a numeric scale keeps its own numbers


def test_placeholders_become_blanks_with_their_meaning(form, tmp_path: Path) -> None:
    page = paper(form, "zh")
    c2 = next(q for b in page.blocks for q in b.questions if q.code == "C2")
    assert "${" not in c2.label and c2.label.count(BLANK) == 2
    assert "C1 表中填写的行数" in c2.label
    c13 = next(q for b in page.blocks for q in b.questions if q.code == "C13")
    assert "C3 至 C9 合计" in c13.label and "C10 至 C12 合计" in c13.label and "÷ 12" in c13.label
    html = tmp_path / "hv.html"
    assert main(["form", "render", str(HV), "--out", str(html)]) == 0
    text = html.read_text(encoding="utf-8")
    assert "${" not in text and "met." not in text and "head =" not in text
    assert "受访人签名" in text and "知情同意" in text
