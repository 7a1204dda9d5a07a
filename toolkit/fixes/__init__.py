"""The fix list (整改清单, issue 19 item 4) and the previous round's fixes verified.

* ``items``: the items generated from the stored results (failing or
  inconclusive indicators, confirmed finding types, unmet checklist items),
  with stable numbers and the union's own archive ids;
* ``export``: ``fieldeval fixes export`` (xlsx with a status drop-down, docx);
* ``plan``: ``fieldeval fixes import`` (checks per row, all at once; stores);
* ``store``: the items and the append-only history of each (migration 0005_fixes);
* ``previous``: the previous round's items, their last status and evidence,
  and the indicator each was meant to move, before → now;
* ``checklist``: the adapter to the document-review checklist.
"""
