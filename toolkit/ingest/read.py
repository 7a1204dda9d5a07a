"""``read_submissions``: any export(s) of one form -> :class:`Submissions`.

The platform is told or sniffed: ``.zip`` is ODK Central; ``.sav``/``.zsav``
SPSS; ``.dta`` Stata; a CSV or workbook whose header has ``SubmissionDate``
or ``meta-instanceID`` is ODK Central, ``_uuid``/``_submission_time`` Kobo,
anything else plain. Several paths are read and stacked (each keeps its
``source_file``); an ODK repeat CSV or an SPSS/Stata repeat file (one with
``PARENT_KEY``) joins the main file it is given with.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError
from toolkit.forms.model import Form
from toolkit.ingest.files import check_file, header_of
from toolkit.ingest.kobo import read_kobo
from toolkit.ingest.model import Submissions, build, concat
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
                     progress: Callable[[str], None] | None = None) -> Submissions:
    """Read one or more exports of ``form`` into typed :class:`Submissions`.

    ``platform``: auto | odk | kobo | plain | spss | stata. ``encoding``: auto
    or a codec name for CSV text and old Stata files (garbled text is refused
    either way). ``progress`` is called with each file name as it is read.
    """
    if platform not in PLATFORMS:
        raise UserError("ingest.bad_platform", platform=platform, choices=", ".join(PLATFORMS))
    paths = [Path(path_or_paths)] if isinstance(path_or_paths, (str, Path)) else [Path(p) for p in path_or_paths]
    if not paths:
        raise UserError("ingest.no_files")
    for p in paths:
        check_file(p)
    kinds = {p: (detect_platform(p, encoding) if platform == "auto" else platform) for p in paths}
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
    return concat(parts)


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
