"""Document review (查阅档案资料): the checklist, its entries per county, the roll-up.

* the checklist as data: ``items.toml`` shipped here, or the project's own
  ``checklist.toml`` (:mod:`toolkit.checklist.items`);
* entries per county and item — status 符合 / 部分符合 / 不符合 / 不适用,
  evidence (document name, page, photo file) and a note — in the evaluation
  store, only ever added, with who and when (:mod:`toolkit.checklist.store`);
* entered through an xlsx per county (``fieldeval checklist export|import``,
  :mod:`toolkit.checklist.workbook`);
* rolled up (:mod:`toolkit.checklist.rollup`): :func:`unmet` (for the fix
  list) and :func:`scores` (share of applicable items met, partly met = ½),
  shown in the scorecard beside the household indicators as "文件审查（无区间）"
  (:mod:`toolkit.checklist.scorecard`) and in the report
  (:mod:`toolkit.checklist.report`, which also quotes the forum notes of
  :mod:`toolkit.forums`).
"""
from __future__ import annotations

from toolkit.checklist.items import ASPECT_KEYS, STATUSES, load_items
from toolkit.checklist.rollup import scores, status_words, unmet
from toolkit.checklist.store import entries, fingerprint, save_entries

__all__ = ["unmet", "scores", "status_words", "load_items", "entries", "save_entries", "fingerprint",
           "ASPECT_KEYS", "STATUSES"]
