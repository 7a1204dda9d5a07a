"""``read_submissions``: any export(s) of one form -> :class:`Submissions`.

The platform is told or sniffed: ``.zip`` is ODK Central; ``.sav``/``.zsav``
SPSS; ``.dta`` Stata; a CSV or workbook whose header has ``SubmissionDate``
or ``meta-instanceID`` is ODK Central, ``_uuid``/``_submission_time`` Kobo,
anything else plain. Several paths are read and stacked (each keeps its
``source_file``); an ODK repeat CSV or an SPSS/Stata repeat file (one with
``PARENT_KEY``) joins the main file it is given with.

Two checks stop a run before anything misleading is written, each as a
UserError in words (never a traceback):

* wrong form: when fewer than half of the form's top-level questions are
  found among a main table's headers and the table has columns the form does
  not know (three or more; fewer when fewer questions matched), the export
  belongs to another form (a partial sheet of this form's own columns is
  read as before):
  "导出文件与问卷不匹配", naming the columns only the export has and the
  questions only the form has (:func:`check_matches`);

and one makes the run incomplete without stopping it:

* missing repeat table: a repeat the form declares for which no input holds
  a table (no sheet, zip member or CSV of that name, and no rows read) while
  submissions were read, and no table was left unplaced, is listed in ``not_read`` (reason
  ``missing_repeat``, 0 rows, the repeat's label and name as ``file``):
  ``fieldeval ingest`` prints it as an error saying which file to add and
  exits 1 (:func:`check_repeats`). Kobo's and plain CSV exports hold the
  main table only: give the XLSX export (one sheet per repeat) or the repeat
  CSVs with it. ``main_only=True`` reads a main table alone on purpose.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError
from toolkit.forms.model import Form
from toolkit.ingest import kobo as _kobo
from toolkit.ingest import odk as _odk
from toolkit.ingest import plain as _plain
from toolkit.ingest.columns import map_headers
from toolkit.ingest.files import check_file, header_of
from toolkit.ingest.kobo import read_kobo
from toolkit.ingest.model import NO_VALUE_TYPES, Submissions, build, concat, not_read_frame
from toolkit.ingest.odk import _root as odk_root
from toolkit.ingest.odk import read_odk, read_odk_repeat_csv
from toolkit.ingest.plain import read_plain
from toolkit.ingest.stats import read_stats

PLATFORMS = ("auto", "odk", "kobo", "plain", "spss", "stata")


def detect_platform(path: Path, encoding: str = "auto") -> str:
    """The platform of one export file, from its suffix and header."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return "odk"
    if suffix in (".sav", ".zsav"):
        return "spss"
    if suffix == ".dta":
        return "stata"
    if suffix not in (".csv", ".xlsx", ".xls", ".xlsm"):
        raise UserError("ingest.unknown_format", path=str(path))
    head = set(header_of(path, encoding))
    if head & {"SubmissionDate", "meta-instanceID"} or ("PARENT_KEY" in head and suffix == ".csv"
                                                         and any("-" in h for h in head)):
        return "odk"
    if head & {"_uuid", "_submission_time", "__version__", "_submission__uuid"}:
        return "kobo"
    return "plain"


def read_submissions(path_or_paths: str | Path | Iterable[str | Path], form: Form,
                     platform: str = "auto", encoding: str = "auto",
                     progress: Callable[[str], None] | None = None, *, main_only: bool = False) -> Submissions:
    """Read one or more exports of ``form`` into typed :class:`Submissions`.

    ``platform``: auto | odk | kobo | plain | spss | stata. ``encoding``: auto
    or a codec name for CSV text and old Stata files (garbled text is refused
    either way). ``progress`` is called with each file name as it is read.
    ``main_only`` reads a main table alone on purpose (a round trip of the
    main table): repeat tables the input lacks are then not listed.
    """
    if platform not in PLATFORMS:
        raise UserError("ingest.bad_platform", platform=platform, choices=", ".join(PLATFORMS))
    paths = [Path(path_or_paths)] if isinstance(path_or_paths, (str, Path)) else [Path(p) for p in path_or_paths]
    if not paths:
        raise UserError("ingest.no_files")
    for p in paths:
        check_file(p)
    kinds = {p: (detect_platform(p, encoding) if platform == "auto" else platform) for p in paths}
    for p in paths:
        check_matches(p, kinds[p], form, encoding)
    parts: list[Submissions] = []
    stats_group = [p for p in paths if kinds[p] in ("spss", "stata")]
    if stats_group:
        if progress:
            progress(", ".join(p.name for p in stats_group))
        parts.append(read_stats(stats_group, form, encoding))
    # CSV repeat tables (ODK Central's <form>-<repeat>.csv, or plain ones): any CSV with PARENT_KEY
    csv_repeats = [p for p in paths if p.suffix.lower() == ".csv" and kinds[p] in ("odk", "plain")
                   and "PARENT_KEY" in header_of(p, encoding)]
    repeat_set = set(csv_repeats)
    for p in paths:
        kind = kinds[p]
        if kind in ("spss", "stata") or p in repeat_set:
            continue
        if progress:
            progress(p.name)
        if p.suffix.lower() == ".csv" and kind in ("odk", "plain") and csv_repeats:
            parts.append(_csv_with_repeats(p, kind, csv_repeats, form, encoding))
            csv_repeats = []
        elif kind == "odk":
            parts.append(read_odk(p, form, encoding))
        elif kind == "kobo":
            parts.append(read_kobo(p, form, encoding))
        else:
            parts.append(read_plain(p, form, encoding))
    if not parts:
        raise UserError("ingest.no_main_file", path=", ".join(map(str, paths)))
    subs = concat(parts)
    if not main_only:
        missing = check_repeats(subs, form, paths, encoding)
        if len(missing):
            subs = replace(subs, not_read=pd.concat([subs.not_read, missing], ignore_index=True)
                           if len(subs.not_read) else missing)
    return subs


_META = frozenset(_odk.SYSTEM) | frozenset(_kobo.SYSTEM) | frozenset(_plain.SYSTEM) | {
    "PARENT_KEY", "KEY", "SubmissionDate"}
_SHOWN = 8


def _shown(names: list[str], lang_sep: str = "、") -> str:
    more = len(names) - _SHOWN
    text = lang_sep.join(names[:_SHOWN])
    return text + (f" …（+{more}）" if more > 0 else "")


def check_matches(path: Path, kind: str, form: Form, encoding: str = "auto") -> None:
    """Refuse an export of another form (module doc): UserError
    ``paper.ingest.form_mismatch`` naming the columns that differ.

    Only main tables are judged (a table with ``PARENT_KEY`` is a repeat);
    SPSS/Stata files are not sniffed here, and an ODK zip is judged member
    by member by its reader (after its safety checks).
    """
    if kind in ("spss", "stata") or path.suffix.lower() == ".zip":
        return   # a zip is judged member by member by the ODK reader (another form's table: not read)
    heads = [header_of(path, encoding)]
    heads = [h for h in heads if h and "PARENT_KEY" not in h and "_parent_index" not in h]
    if not heads:
        return
    expected = [q for q in form.questions if not q.repeat and q.type not in NO_VALUE_TYPES
                and q.type not in ("note", "calculate") and not q.is_metadata]
    if not expected:
        return
    for header in heads:
        hm = map_headers(header, form, "", seps="-/", meta=_META)
        found = {re.sub(r"_(latitude|longitude|altitude|accuracy)$", "", v) for v in hm.direct.values()}
        found |= set(hm.onehot)
        matched = [q for q in expected if q.name in found]
        extra = [h for h in hm.unmapped if h not in hm.duplicates and not h.startswith("_")]
        if len(matched) * 2 < len(expected) and len(extra) >= min(3, max(1, len(matched))):
            missing = [q.name for q in expected if q.name not in found]
            raise UserError("paper.ingest.form_mismatch", path=path.name, form=form.title or form.form_id,
                            form_id=form.form_id, matched=len(matched), expected=len(expected),
                            extra=_shown(extra), missing=_shown(missing), n_extra=len(extra),
                            n_missing=len(missing))


def _table_names(path: Path, encoding: str) -> set[str]:
    """Names of the tables an input holds: its sheets, zip members or the CSV itself (stems)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl

        from toolkit.ingest.xlsx_head import sheet_names

        fast = sheet_names(path)   # workbook.xml only (openpyxl parses every shared string on opening)
        if fast is not None:
            return set(fast)
        try:
            wb = openpyxl.load_workbook(path, read_only=True)
            try:
                return set(wb.sheetnames)
            finally:
                wb.close()
        except Exception:  # noqa: BLE001 - the reader has already read (or refused) this workbook
            return set()
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as z:
                return {Path(n.split(" (")[0]).stem for n in z.namelist()}
        except (zipfile.BadZipFile, OSError):
            return set()
    return {path.stem}


def check_repeats(subs: Submissions, form: Form, paths: list[Path], encoding: str = "auto") -> pd.DataFrame:
    """Repeat tables the form declares that no input holds (module doc), as
    ``not_read`` rows: file = "label（name）", rows 0, reason ``missing_repeat``."""
    if not form.repeats or not len(subs.main) or (subs.not_read["level"] == "repeat").any():
        # a table that could not be placed may be the missing one: its not-read line already says so
        return not_read_frame([])
    names: set[str] = set()
    for p in paths:
        names |= _table_names(p, encoding)
    missing = []
    for g in form.repeats:
        if g.name in subs.repeats and len(subs.repeats[g.name]):
            continue
        if any(n == g.name or n == g.name[:31] or n.endswith(("-" + g.name, "_" + g.name)) for n in names):
            continue
        missing.append((f"{form.label(g) or g.name}（{g.name}）", 0, "missing_repeat", "repeat"))
    return not_read_frame(missing)


def _csv_with_repeats(root: Path, kind: str, repeat_files: list[Path], form: Form,
                      encoding: str) -> Submissions:
    """A main CSV with the repeat CSVs given beside it."""
    from toolkit.ingest.files import read_csv
    from toolkit.ingest.plain import main_table

    table = read_csv(root, encoding)
    main = odk_root(table, form) if kind == "odk" else main_table(table, form, root.name)
    reps: dict[str, pd.DataFrame] = {}
    for rp in repeat_files:
        name, rt = read_odk_repeat_csv(rp, form, encoding)
        reps[name] = rt
    return build(form, main, reps, platform=kind, source_file=root.name)
