"""Write the paper questionnaire (toolkit.forms.paper) as HTML or DOCX.

HTML is one self-contained file (inline CSS, no CDN, system CJK fonts), made
with Jinja2 and auto-escaping; DOCX is made with python-docx. Both print on A4
with a cover block (问卷编号, 访问日期, 访员, 受访人签名) and the consent
statement; the DOCX has the evaluation's name in the page header and
"第 X 页 共 Y 页" (Word's PAGE / NUMPAGES fields) in the footer.
"""
from __future__ import annotations

from pathlib import Path

from toolkit.docxpage import page_setup
from toolkit.forms.model import Form
from toolkit.forms.paper import Paper, PaperOption, paper
from toolkit.i18n import t

_TEMPLATES = Path(__file__).resolve().parent / "templates"


def render_html(form: Form, lang: str = "zh", evaluation: str = "") -> str:
    """The paper questionnaire as a self-contained HTML page."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html", "j2"]),
                             trim_blocks=True, lstrip_blocks=True)
    page = paper(form, lang, evaluation)
    return env.get_template("paper.html.j2").render(paper=page, t=lambda key, **kw: t(key, lang, **kw),
                                                    option_text=option_text)


def option_text(o: PaperOption, legend: bool = False) -> str:
    """An option as printed: its label, with its number in a repeat table's
    legend or when the number is the answer itself (a numeric scale)."""
    return f"{o.number} {o.label}" if (legend or o.number == o.code) and o.number else o.label


def _docx(page: Paper, path: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    lang = page.lang
    page_setup(doc, f"{page.evaluation} · {page.title}" if page.evaluation != page.title else page.title, lang)
    doc.add_heading(page.title, level=0)
    cover = doc.add_table(rows=len(page.cover), cols=2)
    cover.style = "Table Grid"
    for i, (label, blank) in enumerate(page.cover):
        cover.cell(i, 0).text = label
        cover.cell(i, 1).text = blank
        cover.cell(i, 0).paragraphs[0].runs[0].bold = True
    doc.add_heading(t("paper.form.consent_title", lang), level=2)
    doc.add_paragraph(page.consent)
    for b in page.blocks:
        doc.add_heading(b.title, level=1)
        if b.asked_if:
            doc.add_paragraph(t("forms.render.section_if", lang, cond=b.asked_if)).runs[0].italic = True
        if b.repeat:
            doc.add_paragraph(t("forms.render.repeat", lang, label=b.title)).runs[0].italic = True
            table = doc.add_table(rows=b.rows + 1, cols=len(b.questions) + 1)
            table.style = "Table Grid"
            table.cell(0, 0).text = "#"
            for j, q in enumerate(b.questions, start=1):
                table.cell(0, j).text = f"{q.code} {q.label}"
            for i in range(1, b.rows + 1):
                table.cell(i, 0).text = str(i)
            if any(q.options for q in b.questions):
                doc.add_paragraph(t("paper.form.legend", lang)).runs[0].font.size = Pt(9)
            for q in b.questions:
                bits = [option_text(o, legend=True) for o in q.options]
                if q.asked_if:
                    bits.append(t("forms.render.skip_if", lang, cond=q.asked_if))
                if q.check:
                    bits.append(q.check)
                if bits:
                    p = doc.add_paragraph()
                    p.add_run(f"{q.code}  ").bold = True
                    p.add_run("；".join(bits)).font.size = Pt(9)
            continue
        for q in b.questions:
            p = doc.add_paragraph()
            p.add_run(f"{q.code}  ").bold = True
            p.add_run(q.label + (" *" if q.required else ""))
            if q.multiple:
                p.add_run(f"（{t('forms.render.choose_many', lang)}）").font.size = Pt(9)
            if not q.options and q.type != "note":
                p.add_run("  ________________________")
            if q.hint:
                doc.add_paragraph(q.hint).runs[0].font.size = Pt(9)
            if q.asked_if:
                doc.add_paragraph(t("forms.render.skip_if", lang, cond=q.asked_if)).runs[0].italic = True
            for o in q.options:
                doc.add_paragraph(f"{'☐' if q.multiple else '○'} {option_text(o)}").paragraph_format.left_indent = Pt(18)
            if q.check:
                doc.add_paragraph(q.check).runs[0].font.size = Pt(9)
            for s in q.skips:
                doc.add_paragraph("→ " + s).runs[0].bold = True
    doc.add_paragraph(page.footer).runs[0].font.size = Pt(8)
    doc.save(str(path))


def render(form: Form, lang: str, out: str | Path, evaluation: str = "") -> Path:
    """Write the paper questionnaire to ``out`` (.html or .docx); returns the path.

    ``evaluation`` (the evaluation's name) heads every page; the form title
    when blank. DOCX: A4, binding margin, page header, "第 X 页 共 Y 页".

    Raises UserError for another suffix.
    """
    from toolkit.errors import UserError

    path = Path(out)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        path.write_text(render_html(form, lang, evaluation), encoding="utf-8")
    elif suffix == ".docx":
        _docx(paper(form, lang, evaluation), path)
    else:
        raise UserError("forms.render.bad_out", path=str(path))
    return path
