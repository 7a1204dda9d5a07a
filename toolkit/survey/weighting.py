"""Non-response adjustment of design weights by weighting classes.

Every sampled case carries a disposition code. Following the AAPOR Standard
Definitions, the leading digit tells its group: ``1`` interview
(respondent), ``2`` eligible non-interview (refusal, non-contact),
``3`` unknown eligibility (address never reached), ``4`` not eligible (moved,
dead, wrongly sampled). Within each weighting class ``c`` (for example county
× household category), with ``W_R, W_NR, W_U, W_IN`` the summed base weights
of the four groups (Valliant, Dever & Kreuter 2018, *Practical Tools for
Designing and Weighting Survey Samples*, §13.5)::

    a_c = (W_R + W_NR + W_U + W_IN) / (W_R + W_NR + W_IN)   unknown eligibility
    b_c = (W_R + W_NR) / W_R                                 non-response

Respondents get ``w · a_c · b_c``; ineligible cases ``w · a_c`` (when kept,
so that an ineligibility rate can be estimated) or 0; non-respondents and
unknowns get 0. The respondents' adjusted weights add up to the class's
estimated eligible population, so nothing is silently lost: every case is
counted in ``table``. A class with non-respondents but no respondent cannot
be adjusted (collapse classes first).

>>> import pandas as pd
>>> df = pd.DataFrame({"county": ["A"] * 4, "w": [10.0] * 4, "disp": ["1.1", "1.1", "2.11", "4.2"]})
>>> adj = adjust_nonresponse(df, "w", "disp", classes="county")
>>> adj.weights.tolist()
[15.0, 15.0, 0.0, 0.0]
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from ._util import as_list, check_columns, factorize_sorted, numeric
from .errors import SurveyError

GROUPS = ("respondent", "nonrespondent", "unknown", "ineligible")
_AAPOR_LEADING = {"1": "respondent", "2": "nonrespondent", "3": "unknown", "4": "ineligible"}


@dataclass(frozen=True)
class NonresponseAdjustment:
    """Result of :func:`adjust_nonresponse`.

    weights : adjusted weight of every row (aligned on the data's index).
    group   : respondent / nonrespondent / unknown / ineligible per row.
    table   : one row per weighting class: counts and summed base weights per
              group, the factors ``a`` (unknown eligibility) and ``b``
              (non-response) and the respondents' adjusted weight total.
    """

    weights: pd.Series
    group: pd.Series
    table: pd.DataFrame


def _classify(codes: pd.Series, mapping: dict[str, Iterable] | None) -> np.ndarray:
    text = codes.astype("string").str.strip()
    out = np.full(len(codes), -1, np.int64)
    if mapping is None:
        lead = text.str[:1].to_numpy(dtype=object, na_value="")
        for digit, group in _AAPOR_LEADING.items():
            out[lead == digit] = GROUPS.index(group)
    else:
        unknown_keys = set(mapping) - set(GROUPS)
        if unknown_keys:
            raise SurveyError("survey.bad_disposition_groups", groups=", ".join(sorted(unknown_keys)),
                              allowed=", ".join(GROUPS))
        for group, values in mapping.items():
            vals = {str(v).strip() for v in as_list(values) if v is not None} if not isinstance(
                values, (str, int, float)) else {str(values).strip()}
            out[text.isin(vals).to_numpy(dtype=bool, na_value=False)] = GROUPS.index(group)
    return out


def adjust_nonresponse(data: pd.DataFrame, weights: str, disposition: str,
                       classes: str | Sequence[str] | None = None,
                       groups: dict[str, Iterable] | None = None,
                       keep_ineligible: bool = False) -> NonresponseAdjustment:
    """Weighting-class non-response adjustment from disposition codes.

    Parameters
    ----------
    data : one row per *sampled* case, respondents and non-respondents alike.
    weights : base (design) weight column.
    disposition : disposition code column (AAPOR codes such as ``"1.1"``,
        ``"2.11"``, ``"3.2"``, ``"4.5"``; grouped by their leading digit).
    classes : weighting-class column(s); None: one class.
    groups : explicit ``{"respondent": [...], "nonrespondent": [...],
        "unknown": [...], "ineligible": [...]}`` code lists instead of the
        AAPOR leading digit.
    keep_ineligible : give ineligible cases their eligibility-adjusted weight
        instead of 0.
    """
    cls_cols = as_list(classes)
    check_columns(data, [weights, disposition] + cls_cols)
    w = numeric(data, weights)
    if np.isnan(w).any():
        raise SurveyError("survey.design_missing", column=weights, rows=int(np.isnan(w).sum()))
    g = _classify(data[disposition], groups)
    if (g < 0).any():
        bad = data[disposition][g < 0].astype("string").fillna("<NA>").unique()[:5]
        raise SurveyError("survey.unknown_disposition", column=disposition,
                          codes=", ".join(map(str, bad)), rows=int((g < 0).sum()))
    # class codes
    code = np.zeros(len(data), np.int64)
    levels = []
    for c in cls_cols:
        cc, lv = factorize_sorted(data[c])
        if (cc < 0).any():
            raise SurveyError("survey.design_missing", column=c, rows=int((cc < 0).sum()))
        code = code * len(lv) + cc
        levels.append(lv)
    present, code = np.unique(code, return_inverse=True)
    C = len(present)
    key = code * 4 + g
    sums = np.bincount(key, weights=w, minlength=4 * C).reshape(C, 4)
    counts = np.bincount(key, minlength=4 * C).reshape(C, 4)
    WR, WNR, WU, WIN = sums.T
    known = WR + WNR + WIN
    if ((WR == 0) & (WNR > 0)).any() or ((known == 0) & (WU > 0)).any():
        bad = int(np.argmax(((WR == 0) & (WNR > 0)) | ((known == 0) & (WU > 0))))
        raise SurveyError("survey.class_without_respondents",
                          cls=_class_label(present[bad], levels, cls_cols))
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(known > 0, (known + WU) / known, 1.0)
        b = np.where(WR > 0, (WR + WNR) / WR, 1.0)
    factor = np.zeros((C, 4))
    factor[:, 0] = a * b
    if keep_ineligible:
        factor[:, 3] = a
    new_w = w * factor[code, g]
    table = pd.DataFrame({"class": [_class_label(p, levels, cls_cols) for p in present]})
    for j, name in enumerate(GROUPS):
        table[f"n_{name}"] = counts[:, j]
    for j, name in enumerate(GROUPS):
        table[f"w_{name}"] = sums[:, j]
    table["a_unknown_eligibility"] = a
    table["b_nonresponse"] = b
    table["w_adjusted_respondents"] = np.bincount(code[g == 0], weights=new_w[g == 0], minlength=C)
    return NonresponseAdjustment(
        weights=pd.Series(new_w, index=data.index, name=f"{weights}_nr"),
        group=pd.Series(np.asarray(GROUPS, dtype=object)[g], index=data.index, name="group"),
        table=table,
    )


def _class_label(code: int, levels: list[pd.Index], cols: list[str]) -> str:
    if not cols:
        return "(all)"
    parts = []
    rem = int(code)
    for lv in reversed(levels):
        parts.append(str(lv[rem % len(lv)]))
        rem //= len(lv)
    return " × ".join(reversed(parts))
