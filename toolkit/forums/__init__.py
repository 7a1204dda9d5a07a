"""Forum notes (座谈会): structured, role-only records of what was said.

Each statement belongs to one forum (county, date, participant roles —
never names) and is tagged to one of the six aspects, optionally to a
finding type, and to whether it supports or contradicts the household-visit
evidence. Entered through an xlsx round trip (:mod:`toolkit.forums.workbook`,
``fieldeval forum export|import|show``) and kept in the evaluation store
(toolkit.checklist.store, only ever added, with who and when); the report
quotes them beside the numbers of their aspect (toolkit.checklist.report).
"""
from __future__ import annotations

from toolkit.forums.workbook import current, export, import_workbook

__all__ = ["export", "import_workbook", "current"]
