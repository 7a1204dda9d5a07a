"""The document-review checklist's unmet items, through a tiny adapter.

The checklist (issue 19 item 1, ``toolkit.checklist``) is built in parallel;
until it is there, :func:`unmet` returns an empty frame with its columns, so
the fix list is generated from the household results alone.
"""
from __future__ import annotations

import pandas as pd

COLUMNS = ["county", "aspect", "item_id", "item_zh", "item_en", "status", "note"]
"""What ``toolkit.checklist.unmet(project)`` returns: one row per county × item
whose status is partly met or not met."""


def unmet(project: object) -> pd.DataFrame:
    """Unmet checklist items per county (:data:`COLUMNS`); empty when the
    checklist module is not installed."""
    try:
        from toolkit.checklist import unmet as checklist_unmet  # type: ignore[import-not-found]
    except ImportError:
        return pd.DataFrame(columns=COLUMNS)
    frame = checklist_unmet(project)
    for c in COLUMNS:
        if c not in frame:
            frame[c] = ""
    return frame[COLUMNS].reset_index(drop=True)


__all__ = ["unmet", "COLUMNS"]
