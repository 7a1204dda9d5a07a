"""Design-based estimation for complex samples, matching R's ``survey``.

A general engine (numpy, scipy and pandas only; it knows nothing of unions):

* :class:`Design` — strata, PSUs, SSUs, fpc, weights, lonely-PSU rule;
  ``.subset(mask)`` for domains, ``.poststratify(by, counts)``, ``.degf``.
* estimators on the design — ``.mean``, ``.total``, ``.ratio``,
  ``.proportion`` — each a tidy DataFrame, one row per domain, with
  estimate, se, ci_low, ci_high, df, deff, n, n_eff and ci_method.
* :func:`adjust_nonresponse` — weighting-class adjustment from disposition codes.
* :mod:`toolkit.survey.ci` — proportion intervals (Korn–Graubard default),
  with the rules at the edges (p̂ = 0/1, zero or undefined variance) and the
  list of differences from R.

>>> import pandas as pd
>>> from toolkit.survey import Design
>>> df = pd.DataFrame({"county": list("AAAABBBB"), "township": list("11223344"),
...                    "w": [10.0] * 8, "exited_wrongly": [0] * 8})
>>> r = Design(df, strata="county", psu="township", weights="w").proportion("exited_wrongly")
>>> float(r.estimate[0]), float(r.ci_low[0]), bool(r.ci_high[0] > 0)
(0.0, 0.0, True)
"""
from .ci import CI_METHODS
from .design import LONELY_PSU_RULES, RESULT_COLUMNS, Design
from .errors import SurveyError
from .weighting import NonresponseAdjustment, adjust_nonresponse

__all__ = ["Design", "SurveyError", "CI_METHODS", "LONELY_PSU_RULES", "RESULT_COLUMNS",
           "adjust_nonresponse", "NonresponseAdjustment"]
