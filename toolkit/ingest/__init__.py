"""Field data in: platform exports -> validated submissions, quality checks,
corrections and labelled export.

Public API:

- ``read_submissions(path_or_paths, form, platform="auto", encoding="auto") -> Submissions``
- ``validate(submissions, form, lang="zh") -> (Submissions with _status, issues)``
- ``toolkit.ingest.quality.run_all(...)``, ``toolkit.ingest.corrections``,
  ``toolkit.ingest.export``.

Imports toolkit.forms, toolkit.roster.encoding, toolkit.tables,
toolkit.config, toolkit.errors and toolkit.i18n only.
"""
from __future__ import annotations

from toolkit.ingest.model import META_COLUMNS, Submissions
from toolkit.ingest.read import detect_platform, read_submissions
from toolkit.ingest.validate import ISSUE_COLUMNS, validate

__all__ = ["ISSUE_COLUMNS", "META_COLUMNS", "Submissions", "detect_platform", "read_submissions",
           "validate"]
