"""The Word report prints on A4 with a header and "page X of Y"; the method
text names the design in words and gives the ticket rule in words; an
unreliable satisfaction scale (Cronbach's α below 0.6, or negative) is
called out with what it means."""
from __future__ import annotations

import re
from dataclasses import replace

import pytest
from docx import Document
from docx.shared import Mm

from toolkit.report.content import build


def _section(report, key):  # noqa: ANN001, ANN202
    return next(s for s in report.sections if s.key == key)


def test_docx_is_a4_with_header_and_page_numbers(report_files) -> None:
    for lang in ("zh", "en"):
        doc = Document(str(report_files[lang]["docx"]))
        title = doc.core_properties.title
        for sec in doc.sections:
            assert abs(sec.page_width - Mm(210)) < Mm(0.5) and abs(sec.page_height - Mm(297)) < Mm(0.5)
            assert sec.header.paragraphs[0].text == title
            xml = sec.footer._element.xml
            assert "PAGE" in xml and "NUMPAGES" in xml and "fldChar" in xml
        assert ("第" in doc.sections[0].footer.paragraphs[0].text) == (lang == "zh")


def test_method_text_in_words(report_zh, inputs) -> None:
    text = "\n".join(_section(report_zh, "method").paragraphs)
    assert "按 区县 分层" in text and "街道（乡镇）" in text
    assert not re.search(r"\b(county|township|two_stage|srswor|ticket)\b", text)
    assert "SHA-256(UTF-8" not in text and "big-endian" not in text
    assert "签号" in text and "种子" in text
    en = "\n".join(_section(build(inputs, "en"), "method").paragraphs)
    assert "Strata: county" in en and "ticket = first 8 bytes" not in en


@pytest.mark.parametrize(("alpha", "word"), [(-0.72, "为负数"), (0.41, "低于 0.6"), (0.83, None)])
def test_unreliable_scale_is_called_out(inputs, alpha: float, word: str | None) -> None:
    rel = inputs.satisfaction["reliability"].copy()
    rel["alpha"] = alpha
    changed = replace(inputs, satisfaction={**inputs.satisfaction, "reliability": rel})
    paras = _section(build(changed, "zh"), "satisfaction").paragraphs
    flagged = [p for p in paras if "不可靠" in p]
    if word is None:
        assert not flagged
    else:
        assert len(flagged) == 1 and word in flagged[0] and f"{alpha:.2f}" in flagged[0]
        assert "逐题" in flagged[0]
    en = _section(build(changed, "en"), "satisfaction").paragraphs
    assert any("unreliable" in p for p in en) == (word is not None)
