"""The evaluation report (评估报告): Word, self-contained HTML and Excel, zh or en.

>>> # from toolkit.report import build_report
>>> # paths = build_report("demo-project", formats=("docx", "html", "xlsx"), lang="zh")

* :mod:`toolkit.report.gather` — read the project's files, run the verification;
* :mod:`toolkit.report.content` — sections, de-identified tables and charts;
* :mod:`toolkit.report.charts` — matplotlib with the Noto CJK font;
* :mod:`toolkit.report.render` — .html (Jinja2), .docx (python-docx), .xlsx;
* :mod:`toolkit.report.privacy` — screen for ID and phone numbers and names;
* :mod:`toolkit.report.notebooks` — the evaluation notebooks and their runner;
* :mod:`toolkit.report.steps` — the calls the notebooks make.
"""
from __future__ import annotations

import functools
from pathlib import Path

FORMATS = ("docx", "html", "xlsx")
REPORT_DIR = "report"


def build_report(project: str | Path, formats: tuple[str, ...] | list[str] = FORMATS, lang: str = "zh", *,
                 out: str | Path | None = None) -> dict[str, Path]:
    """Build the report of the project in ``lang`` and write each of ``formats``
    into ``out`` (default ``<output>/report``) as ``评估报告.<fmt>``
    (``evaluation_report.<fmt>`` in English); return {format: path}. The
    charts are drawn, and the files written beside the privacy guard, in
    forked processes (toolkit.report.parallel; the same bytes; no file when
    the guard refuses).
    UserError for an unknown format or missing project files."""
    from toolkit.errors import UserError
    from toolkit.i18n import check_lang, t
    from toolkit.report import content, gather, parallel, render
    from toolkit.report.privacy import assert_clean

    lang = check_lang(lang)
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UserError("report.bad_format", value=",".join(bad), choices=",".join(FORMATS))
    parallel.warm("scipy.stats")     # the interviewer section's tests; imported while the result is read
    inputs = gather.from_project(project)
    with parallel.aside():       # the charts drawn by a helper process while the tables are built
        report = parallel.settle(content.build(inputs, lang, screen=False))
    out_dir = Path(out) if out is not None else inputs.evaluation.path("output") / REPORT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = t("report.file_stem", lang)
    writers = {"docx": render.write_docx, "html": render.write_html, "xlsx": render.write_xlsx}
    order = sorted(formats, key=("xlsx", "docx", "html").index)     # the longest first; the last one here

    def screen() -> None:       # the privacy guard content.build runs; files only when it passes
        assert_clean(report, inputs.private_names, inputs.private_addresses, inputs.place_names)

    paths = parallel.screened_files(screen, {f: functools.partial(writers[f], report) for f in order},
                                    {f: out_dir / f"{stem}.{f}" for f in order})
    return {f: paths[f] for f in formats}


__all__ = ["build_report", "FORMATS", "REPORT_DIR"]
