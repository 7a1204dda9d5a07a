"""Export ingested data: .sav, .dta (version 14+), .xlsx, .parquet.

``export(outdir, fmt, form=None, lang="zh")`` reads what ``fieldeval ingest``
wrote in ``outdir`` and writes ``outdir/export/submissions.<fmt>`` plus, for
.sav/.dta/.parquet, one ``submissions_<repeat>.<fmt>`` per repeat (an .xlsx
holds the repeats as extra sheets). With the form, SPSS and Stata files
carry Chinese (or ``lang``) variable and value labels (see
toolkit.ingest.writers); Excel cells are neutralised against formula
injection (toolkit.tables.write_workbook). Every row is exported with its
``_status`` (``ingest_status`` in SPSS/Stata, whose names cannot start with
an underscore), so the analyst filters, not the exporter.
"""
from __future__ import annotations

from pathlib import Path

from toolkit.errors import UserError
from toolkit.forms.model import Form
from toolkit.ingest.pipeline import load_outputs, write_parquet
from toolkit.ingest.writers import write_dta, write_sav
from toolkit.tables import write_workbook

FORMATS = ("sav", "dta", "xlsx", "parquet")


def _bare_form(form_id: str) -> Form:
    """A form with no questions: labels fall back to names."""
    return Form(source="", title=form_id, form_id=form_id, version="", default_language="",
                languages=(), items=(), choices={}, settings={}, problems=())


def export(outdir: str | Path, fmt: str, form: Form | None = None, lang: str = "zh",
           dest: str | Path | None = None) -> list[Path]:
    """Write the ingested submissions of ``outdir`` as ``fmt``; returns the files written."""
    if fmt not in FORMATS:
        raise UserError("ingest.export.bad_format", fmt=fmt)
    subs, manifest = load_outputs(outdir)
    target = Path(dest) if dest else Path(outdir) / "export"
    target.mkdir(parents=True, exist_ok=True)
    f = form or _bare_form(subs.form_id or "submissions")
    written: list[Path] = []
    tables = {"": subs.main, **subs.repeats}
    if fmt == "xlsx":
        sheets = {(name or "submissions")[:31]: frame for name, frame in tables.items()}
        return [write_workbook(target / "submissions.xlsx", sheets, widths=False)]
    for name, frame in tables.items():
        stem = "submissions" if not name else f"submissions_{name}"
        p = target / f"{stem}.{fmt}"
        if fmt == "sav":
            write_sav(frame, f, p, level=name, lang=lang)
        elif fmt == "dta":
            write_dta(frame, f, p, level=name, lang=lang)
        else:
            write_parquet(frame, p)
        written.append(p)
    return written
