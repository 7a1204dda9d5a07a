"""Write the paper questionnaire (toolkit.forms.paper) as HTML or DOCX.

HTML is one self-contained file (inline CSS, no CDN, system CJK fonts), made
with Jinja2 and auto-escaping; DOCX is made with python-docx. Both print on A4.
"""
from __future__ import annotations

from pathlib import Path

from toolkit.forms.model import Form
from toolkit.forms.paper import Paper, paper
from toolkit.i18n import t

_TEMPLATES = Path(__file__).resolve().parent / "templates"


def render_html(form: Form, lang: str = "zh") -> str:
    """The paper questionnaire as a self-contained HTML page."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html", "j2"]),
                             trim_blocks=True, lstrip_blocks=True)
    page = paper(form, lang)
    return env.get_template("paper.html.j2").render(paper=page, t=lambda key, **kw: t(key, lang, **kw))


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
    doc.add_heading(page.title, level=0)
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
            for q in b.questions:
                bits = [f"{o.code} = {o.label}" for o in q.options]
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
                doc.add_paragraph(f"{'☐' if q.multiple else '○'} {o.code}. {o.label}").paragraph_format.left_indent = Pt(18)
            if q.check:
                doc.add_paragraph(q.check).runs[0].font.size = Pt(9)
            for s in q.skips:
                doc.add_paragraph("→ " + s).runs[0].bold = True
    doc.add_paragraph(page.footer).runs[0].font.size = Pt(8)
    doc.save(str(path))


def render(form: Form, lang: str, out: str | Path) -> Path:
    """Write the paper questionnaire to ``out`` (.html or .docx); returns the path.

    Raises UserError for another suffix.
    """
    from toolkit.errors import UserError

    path = Path(out)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        path.write_text(render_html(form, lang), encoding="utf-8")
    elif suffix == ".docx":
        _docx(paper(form, lang), path)
    else:
        raise UserError("forms.render.bad_out", path=str(path))
    return path
