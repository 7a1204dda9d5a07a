"""The rules every output of one evaluation shares, each defined once.

* **Interval method** (:func:`ci_method`): ``[estimation] ci`` in
  evaluation.toml, default Wilson (see toolkit.verify.indicators for why);
  the scorecard, the report, the dashboards and ``fieldeval estimate
  --project`` use it and say which one they used.
* **Small-cell suppression** (:func:`small_cell`, :func:`suppress_counts`):
  ``[privacy] small_cell`` (``[report] small_cell`` is read too, for older
  projects), default 5: a count of 1 … k−1 is shown as "<k" in everything
  leadership reads (report, leadership dashboard, exports).
* **Response rate**: AAPOR RR1 (toolkit.sampling.reserves.RR_DEFINITION)
  everywhere; computed once per verification (toolkit.project.summaries).
* **Satisfaction**: design-weighted everywhere (toolkit.project.summaries).
"""
from __future__ import annotations

import pandas as pd

from toolkit.config import Evaluation
from toolkit.errors import UserError

CI_METHODS = ("wilson", "korn-graubard", "logit", "asin")
SMALL_CELL = 5


def _table(ev: Evaluation, name: str) -> dict:
    v = ev.extra.get(name, {}) if isinstance(ev.extra, dict) else {}
    return v if isinstance(v, dict) else {}


def ci_method(ev: Evaluation | None, override: str | None = None) -> str:
    """The project's interval method for proportions and rates: ``override``
    if given, else ``[estimation] ci``, else the engine default (Wilson)."""
    from toolkit.verify.indicators import DEFAULT_CI

    if override:
        return override   # a caller's explicit choice (validated by its own options)
    m = (str(_table(ev, "estimation").get("ci", "")) if ev is not None else "") or DEFAULT_CI
    if m not in CI_METHODS:
        raise UserError("project.bad_ci", value=m, choices=", ".join(CI_METHODS))
    return m


def small_cell(ev: Evaluation | None) -> int:
    """k of small-cell suppression: ``[privacy] small_cell`` (or ``[report]
    small_cell``), default 5; at least 1."""
    if ev is None:
        return SMALL_CELL
    raw = _table(ev, "privacy").get("small_cell", _table(ev, "report").get("small_cell", SMALL_CELL))
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        raise UserError("project.bad_small_cell", value=raw) from None


def suppress_counts(counts: pd.Series, k: int) -> pd.Series:
    """Counts as text for leadership: 0 and counts ≥ k as numbers, 1 … k−1 as
    "<k" (so a single household cannot be singled out)."""
    c = pd.to_numeric(counts, errors="coerce").fillna(0).astype(int)
    return c.astype(str).where((c == 0) | (c >= k), f"<{k}")


__all__ = ["ci_method", "small_cell", "suppress_counts", "CI_METHODS", "SMALL_CELL"]
