"""Archive-vs-visit verification, findings per household, indicators and the scorecard.

Public API:

* :mod:`toolkit.verify.compare` — ``FieldPair``, ``compare`` (ipabcstats-style
  comparison: types 1/2/3, tolerances, normalisation, excluded values; error
  rates by household, field, enumerator, county);
* :mod:`toolkit.verify.load` — ``load_visits(outdir)`` (the ingest parquet layout), ``VisitData``;
* :mod:`toolkit.verify.findings` — ``findings(visits, roster, evaluation)`` → ``Findings``;
* :mod:`toolkit.verify.indicators` — ``INDICATORS``, ``design_weights``, ``estimate``,
  ``data_completeness``;
* :mod:`toolkit.verify.scorecard` — ``verdict``, ``build``, ``write``, ``render``;
* :mod:`toolkit.verify.run` — ``evaluate(...)``: the whole chain in memory.
"""
from toolkit.verify.compare import Comparison, FieldPair, compare
from toolkit.verify.findings import Findings, findings
from toolkit.verify.indicators import INDICATORS, Indicator, data_completeness, design_weights, estimate
from toolkit.verify.load import VisitData, from_layout, load_visits

__all__ = ["Comparison", "FieldPair", "compare", "Findings", "findings", "INDICATORS", "Indicator",
           "data_completeness", "design_weights", "estimate", "VisitData", "from_layout", "load_visits"]
