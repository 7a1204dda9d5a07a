"""The evaluation project: one place that knows its paths, stages and shared rules.

* :mod:`toolkit.project.core` — :class:`Project` (``open``, ``draw``,
  ``ingest``, ``verify``, ``results``, ``record``);
* :mod:`toolkit.project.paths` — where each stage lives (defined once);
* :mod:`toolkit.project.rules` — interval method, small-cell suppression;
* :mod:`toolkit.project.summaries` — RR1, findings and satisfaction tables;
* :mod:`toolkit.project.results` — the stored verification every output reads;
* :mod:`toolkit.project.sample` — the drawn sample as the population;
* :mod:`toolkit.project.stagefiles` — a stage's folder written as a whole.
"""
from toolkit.project.core import FieldRecord, Project, form_path
from toolkit.project.results import Results

__all__ = ["Project", "Results", "FieldRecord", "form_path"]
