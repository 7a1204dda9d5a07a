"""Platform review states at ingest: ODK Central ``ReviewState`` and Kobo
``_validation_status``, read into one column ``_review_state``.

What the platforms write (as they spell it):

* ODK Central CSV export, column ``ReviewState``: empty (received, never
  reviewed), ``hasIssues``, ``edited``, ``approved``, ``rejected``;
* KoboToolbox, column ``_validation_status``: the status uid
  (``validation_status_approved``, ``validation_status_not_approved``,
  ``validation_status_on_hold``), its label (``Approved``, ``Not Approved``,
  ``On Hold``), the JSON object of the API
  (``{"uid": "validation_status_on_hold", "label": "On Hold", ...}``) or
  empty (never reviewed).

The readers keep the raw text in ``_review_state_raw``; :func:`apply` turns
it into ``_review_state``, one of :data:`STATES`:

=============  ====================================  ==========================
state          from                                  at ingest
=============  ====================================  ==========================
received       ODK empty / received, Kobo empty      accepted
edited         ODK ``edited``                        accepted
approved       ODK ``approved``, Kobo approved       accepted
has_issues     ODK ``hasIssues``                     accepted, review queue
on_hold        Kobo on hold                          accepted, review queue
unknown        any other text                        accepted, review queue
rejected       ODK ``rejected``, Kobo not approved   excluded (never verified)
=============  ====================================  ==========================

A rejected submission gets ``_status = "excluded"`` and one issue (rule
``review_rejected``) naming the state as the platform spells it, so nothing is
silently lost: rows read = accepted + quarantined + excluded by review. A
state held for review gets a warning (rule ``review_held``). Text only is
searched (no JSON or Python evaluation of untrusted cells).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.i18n import t

RAW = "_review_state_raw"
COLUMN = "_review_state"
EXCLUDED = "excluded"
STATES = ("received", "edited", "approved", "has_issues", "on_hold", "unknown", "rejected")
HELD = ("has_issues", "on_hold", "unknown")
REJECTED = ("rejected",)

# spelled-out text (lower case, spaces/underscores/dashes removed) -> state
_WORDS = {
    "": "received", "received": "received", "none": "received", "null": "received", "nan": "received",
    "edited": "edited", "approved": "approved", "hasissues": "has_issues", "rejected": "rejected",
    "notapproved": "rejected", "onhold": "on_hold",
    "validationstatusapproved": "approved", "validationstatusnotapproved": "rejected",
    "validationstatusonhold": "on_hold",
}
_UID = r"validation_status_(not_approved|approved|on_hold)"


def normalise(raw: pd.Series) -> pd.Series:
    """The state of each cell (see the module doc), vectorised: a Kobo JSON
    object is recognised by the uid inside its text."""
    text = raw.astype("string").fillna("").str.strip()
    squeezed = text.str.lower().str.replace(r"[\s_\-]+", "", regex=True)
    state = squeezed.map(_WORDS)
    uid = text.str.extract(_UID, expand=False)
    from_uid = uid.map({"approved": "approved", "not_approved": "rejected", "on_hold": "on_hold"})
    state = state.where(state.notna(), from_uid)
    return state.fillna("unknown").astype(object)


def apply(subs, issues: pd.DataFrame, lang: str = "zh"):  # noqa: ANN001, ANN201 - ingest.model.Submissions
    """(submissions with ``_review_state`` and rejected rows ``_status =
    excluded``, issues with one row per excluded or held submission). A
    submission without a platform column is ``received``."""
    from toolkit.ingest.model import Submissions

    main = subs.main.copy()
    raw = main[RAW] if RAW in main else pd.Series("", index=main.index, dtype=object)
    state = normalise(raw)
    main[COLUMN] = state.to_numpy()
    if RAW in main:
        main = main.drop(columns=[RAW])
    rej = state.isin(REJECTED).to_numpy()
    held = state.isin(HELD).to_numpy()
    if "_status" in main:
        main["_status"] = np.where(rej, EXCLUDED, main["_status"].astype(object))
    shown = raw.astype("string").fillna("").str.slice(0, 200).to_numpy(dtype=object)
    keys = main["KEY"].astype(str).to_numpy(dtype=object) if "KEY" in main else np.full(len(main), "")
    extra = []
    for mask, rule, sev in ((rej, "review_rejected", "error"), (held, "review_held", "warning")):
        if mask.any():
            words = [t(f"review.state.{s}", lang) for s in state[mask]]
            extra.append(pd.DataFrame({
                "key": keys[mask], "field": "ReviewState", "value": shown[mask], "rule": rule, "severity": sev,
                "message": [t(f"review.ingest.{rule}", lang, state=w, value=v) for w, v in zip(words, shown[mask])],
                "repeat_key": ""}))
    if extra:
        issues = pd.concat([issues, *extra], ignore_index=True)[list(issues.columns)]
    return Submissions(subs.form_id, main, subs.repeats, subs.problems, subs.not_read), issues


def excluded(main: pd.DataFrame) -> int:
    """Rows excluded by their platform review state."""
    return int((main["_status"] == EXCLUDED).sum()) if "_status" in main else 0


__all__ = ["normalise", "apply", "excluded", "STATES", "HELD", "REJECTED", "COLUMN", "RAW", "EXCLUDED"]
