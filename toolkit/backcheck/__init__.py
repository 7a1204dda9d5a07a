"""Back-checks (复核): an independent re-interview of a random share of completed
visits, compared item by item, so the evaluation measures its own field team.

* :mod:`settings` — ``[backcheck]`` in evaluation.toml (thresholds, weights);
* :mod:`spec` — the compared items, read from the back-check form's own columns;
* :mod:`draw` — the back-check sample (hash tickets, stratified by interviewer,
  weighted towards findings and non-response, a back-checker who is never the
  original interviewer, top-ups) and :mod:`manifest` (record and re-derivation);
* :mod:`lists` — back-check visit lists and the form's preload CSV;
* :mod:`pairs` — the original visit's answers in the back-check's terms;
* :mod:`compare` — item-by-item comparison (toolkit.verify.compare semantics);
* :mod:`stats` — error rates, flags, SRV and reliability, paired tests, coverage;
* :mod:`outputs` — comparison.xlsx / parquet and ``field/backchecks.parquet``.

docs/backcheck.md explains the method and the numbers.
"""
