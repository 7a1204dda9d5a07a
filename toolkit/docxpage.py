"""Print layout shared by the Word files fieldeval writes (paper
questionnaire, report): A4 portrait, a wider inner margin for binding, a
running header and "第 X 页 共 Y 页" in the footer made of Word's PAGE and
NUMPAGES fields (Word fills the numbers in when it opens or prints)."""
from __future__ import annotations

from toolkit.i18n import t


def add_field(paragraph, code: str) -> None:  # noqa: ANN001 - a python-docx Paragraph
    """Append a Word field (``PAGE``, ``NUMPAGES``) to ``paragraph``: Word
    fills in the number when the document is opened or printed."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, f" {code} "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text.strip() == code:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def page_setup(doc, header: str, lang: str, *, left_mm: float = 25, right_mm: float = 20) -> None:  # noqa: ANN001
    """A4 portrait, a wider inner margin for binding, ``header`` on every page
    and "第 X 页 共 Y 页" (PAGE / NUMPAGES fields) in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    for sec in doc.sections:
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.left_margin, sec.right_margin = Mm(left_mm), Mm(right_mm)
        sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
        sec.header_distance = sec.footer_distance = Mm(10)
        hp = sec.header.paragraphs[0]
        hp.text = header
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for r in hp.runs:
            r.font.size = Pt(9)
        fp = sec.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        before, middle, after = t("paper.form.page_words", lang).split("|")
        fp.add_run(before)
        add_field(fp, "PAGE")
        fp.add_run(middle)
        add_field(fp, "NUMPAGES")
        fp.add_run(after)
        for r in fp.runs:
            r.font.size = Pt(9)


__all__ = ["add_field", "page_setup"]
