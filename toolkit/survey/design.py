"""The survey design object and its Taylor-linearisation estimators.

Modelled on R's ``survey`` package (Lumley): one immutable :class:`Design`
describes how the sample was drawn (strata, PSUs, second-stage units,
finite-population corrections, weights); estimators are methods that take a
variable and return a tidy ``DataFrame``, one row per domain. Domains are
*subsets of the design*, never filters of the data: a domain estimate keeps
every stratum and PSU of the full design, as R's ``subset(design, ...)`` and
``svyby`` do, so its standard error accounts for the random domain size.

Variance (``svyrecvar`` in R). For an estimator with linearised influence
values ``z_i`` (``w_i (y_i − ȳ)/Ŵ`` for a mean, ``w_i y_i`` for a total,
``w_i (y_i − r x_i)/X̂`` for a ratio), with PSU totals ``t_hj = Σ_{i∈hj} z_i``
in stratum ``h`` (``n_h`` sampled PSUs out of ``N_h``)::

    V₁ = Σ_h (1 − n_h/N_h) · n_h/(n_h − 1) · Σ_j (t_hj − t̄_h)²

(``1 − n_h/N_h`` is 1 without an fpc: with-replacement, "ultimate cluster").
When the fpc is given for two stages (PSU and SSU), R adds the second-stage
term for every sampled PSU ``p`` with ``m_p`` of ``M_p`` SSUs::

    V₂ = Σ_p (n_h/N_h) · (1 − m_p/M_p) · m_p/(m_p − 1) · Σ_k (u_pk − ū_p)²

Degrees of freedom are (PSUs − strata) counted among the rows of the domain,
as R's ``degf`` of a subset design.

Lonely PSUs (a stratum with one sampled PSU; R's ``survey.lonely.psu``):

* ``"adjust"``   — the lonely PSU's total is centred at zero (the grand mean
  of the influence values) instead of its own stratum mean; conservative.
* ``"average"``  — the stratum gets the average variance of the other strata.
* ``"certainty"`` — the PSU is taken with certainty: contributes nothing.
* ``"remove"``   — the stratum contributes nothing (degrees of freedom are
  still counted from the data, as R does).
* ``"fail"``     — refuse the design (:class:`SurveyError` ``survey.lonely_psu``).

Domains that leave a single PSU in a stratum (R's option
``survey.adjust.domain.lonely``; ``Design(..., adjust_domain_lonely=True)``):
by default such a stratum is an ordinary one (its other PSUs are zeros of the
domain, so it contributes ``t²`` for the lone total ``t``). With the option,
as R: under ``"adjust"`` the lone total is not centred, contributing
``f · n_h/(n_h − 1) · t²``; under ``"average"`` the stratum is left out and
the others are scaled up (NaN at stage 2); the other rules are unchanged. Post-stratified
designs keep every row, so no domain is lonely there (as R).

A stratum whose fpc says every PSU was taken (``n_h = N_h``) is
self-representing and contributes nothing at stage 1, whatever the rule.

Example
-------
>>> import pandas as pd
>>> df = pd.DataFrame({"county": list("AAAABBBB"), "township": list("11223344"),
...                    "w": [10.0] * 8, "ok": [1, 0, 1, 1, 0, 0, 1, 1]})
>>> d = Design(df, strata="county", psu="township", weights="w")
>>> d.degf
2
>>> round(float(d.proportion("ok")["estimate"].iloc[0]), 3)
0.625
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from . import ci as _ci
from ._util import (DENSE_LIMIT, as_list, cells, check_columns, compress, count_distinct,
                    factorize_sorted, numeric)
from .errors import SurveyError

LONELY_PSU_RULES = ("adjust", "average", "certainty", "remove", "fail")

#: below this the stage's finite-population factor counts as zero (R: 1e-7)
_SELF_REPRESENTING = 1e-7

RESULT_COLUMNS = ("variable", "estimate", "se", "ci_low", "ci_high", "df", "deff",
                  "n", "n_eff", "ci_method")


def _stats():  # noqa: ANN202 - scipy.stats, imported when a quantile is first needed
    """scipy.stats on first use: importing it costs 1–3 s, and a dashboard kernel that only
    reads stored results never needs it (issue 15, first render)."""
    from scipy import stats

    return stats


@dataclass(frozen=True)
class _PostStrata:
    codes: np.ndarray      # post-stratum of each row
    n_cells: int
    old_weights: np.ndarray
    new_weights: np.ndarray


def _copy_on_write() -> bool:
    """pandas ≥ 3 (or 2.x with the option on) copies on write, so a shallow
    copy already protects the design from the caller's later edits."""
    if int(pd.__version__.split(".")[0]) >= 3:
        return True
    try:
        return pd.get_option("mode.copy_on_write") is True
    except (KeyError, ValueError):  # pragma: no cover - option absent
        return False


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.asarray(a)
    a.flags.writeable = False
    return a


def _constant_within(vals: np.ndarray, group: np.ndarray, n_group: int) -> tuple[np.ndarray, bool]:
    """One value per group (any member's) and whether all members agree."""
    rep = np.zeros(n_group)
    rep[group] = vals
    return rep, bool(np.all(rep[group] == vals))


class Design:
    """A probability sample's design: strata, clusters, fpc and weights.

    Parameters
    ----------
    data : DataFrame
        One row per responding unit (household). Kept as a copy-on-write
        shallow copy, so later edits to the caller's frame do not leak in.
    strata : str, optional
        Stratum column (for example ``"county"``). None: one stratum.
    psu : str, optional
        Primary sampling unit column (``"township"``), labels taken within
        stratum (R's ``nest=TRUE``). None: every row is its own PSU.
    ssu : str, optional
        Second-stage unit column (``"household_id"``); used for the variance
        only when ``fpc`` gives both stages, as R does.
    fpc : str or [str, str], optional
        Finite-population correction per stage, as population counts
        (``N_h`` PSUs in the stratum, ``M_p`` SSUs in the PSU) or as sampling
        fractions (all values ≤ 1). Must be constant within stratum / PSU.
    weights : str, optional
        Sampling weight column (inverse inclusion probability; households
        represented per sampled household). When absent, derived from the fpc
        counts as ``N_h/n_h · M_p/m_p`` (R does the same); without fpc either,
        every weight is 1.
    lonely_psu : {"adjust", "average", "certainty", "remove", "fail"}
        What to do with a stratum (or, at stage 2, a PSU) that has a single
        sampled unit; R's meanings, see the module docstring.
    adjust_domain_lonely : bool
        R's ``options(survey.adjust.domain.lonely=TRUE)``: a stratum where a
        domain occupies a single one of several sampled PSUs is treated by
        the lonely-PSU rule too (see the module docstring). Default False,
        as R.

    Rows with weight 0 are outside the design's domain (as R's zero-weight
    rows). All estimators skip rows whose variable is missing (R ``na.rm``:
    the domain shrinks, the design does not).
    """

    __slots__ = ("_data", "_spec", "_lonely", "_w", "_h", "_H", "_strata_labels",
                 "_p", "_P", "_p_h", "_psu_is_row", "_n_h", "_f_h", "_N_h",
                 "_two_stage", "_s", "_S", "_s_p", "_m_p", "_f2_p", "_frac1_p",
                 "_mask", "_post", "_domain_lonely", "_frozen")

    def __init__(self, data: pd.DataFrame, strata: str | None = None, psu: str | None = None,
                 ssu: str | None = None, fpc: str | Sequence[str] | None = None,
                 weights: str | None = None, lonely_psu: str = "adjust",
                 adjust_domain_lonely: bool = False) -> None:
        set_ = object.__setattr__
        if not isinstance(data, pd.DataFrame):
            raise SurveyError("survey.not_a_frame", type=type(data).__name__)
        if lonely_psu not in LONELY_PSU_RULES:
            raise SurveyError("survey.bad_lonely_psu", value=lonely_psu,
                              allowed=", ".join(LONELY_PSU_RULES))
        fpc_cols = as_list(fpc)
        check_columns(data, [c for c in (strata, psu, ssu, weights) if c] + fpc_cols)
        if ssu and not psu:
            raise SurveyError("survey.ssu_without_psu", ssu=ssu)
        if len(fpc_cols) > (2 if ssu else 1):
            raise SurveyError("survey.fpc_stages", given=len(fpc_cols), stages=2 if ssu else 1)
        n = len(data)
        if n == 0:
            raise SurveyError("survey.empty")
        data = data.copy(deep=not _copy_on_write())
        for col in [c for c in (strata, psu, ssu) if c]:
            if data[col].isna().any():
                raise SurveyError("survey.design_missing", column=col,
                                  rows=int(data[col].isna().sum()))

        # strata
        if strata:
            h, labels = factorize_sorted(data[strata])
        else:
            h, labels = np.zeros(n, np.int64), pd.Index(["(all)"])
        H = len(labels)
        # PSUs nested within strata
        if psu:
            raw, raw_levels = factorize_sorted(data[psu])
            p, present = compress(h * len(raw_levels) + raw, H * len(raw_levels))
            p_h = present // len(raw_levels)
            psu_is_row = False
        else:
            p, p_h, psu_is_row = np.arange(n), h.copy(), True
        P = len(p_h)
        n_h = np.bincount(p_h, minlength=H).astype(float)

        # second-stage units nested within PSUs
        two_stage = bool(ssu) and len(fpc_cols) == 2
        s = s_p = m_p = None
        S = 0
        if ssu:
            raw2, lev2 = factorize_sorted(data[ssu])
            s, present2 = compress(p * len(lev2) + raw2, P * len(lev2))
            s_p = present2 // len(lev2)
            S = len(s_p)
            m_p = np.bincount(s_p, minlength=P).astype(float)

        # finite-population corrections
        N_h = np.full(H, np.inf)
        M_p = np.full(P, np.inf)
        if fpc_cols:
            vals = [numeric(data, c) for c in fpc_cols]
            for c, v in zip(fpc_cols, vals):
                if np.isnan(v).any():
                    raise SurveyError("survey.design_missing", column=c, rows=int(np.isnan(v).sum()))
                if (v <= 0).any():
                    raise SurveyError("survey.fpc_invalid", column=c)
            allv = np.concatenate(vals)
            counts = bool((allv > 1).any())
            if counts and (allv < 1).any():
                raise SurveyError("survey.fpc_mixed", columns=", ".join(fpc_cols))
            rep, ok = _constant_within(vals[0], h, H)
            if not ok:
                raise SurveyError("survey.fpc_not_constant", column=fpc_cols[0], within=strata or "-")
            N_h = rep if counts else n_h / rep
            if (N_h < n_h - 1e-9).any():
                bad = labels[int(np.argmax(N_h < n_h - 1e-9))]
                raise SurveyError("survey.fpc_too_small", column=fpc_cols[0], group=bad)
            if len(vals) == 2:
                rep2, ok2 = _constant_within(vals[1], p, P)
                if not ok2:
                    raise SurveyError("survey.fpc_not_constant", column=fpc_cols[1], within=psu)
                M_p = rep2 if counts else m_p / rep2
                if (M_p < m_p - 1e-9).any():
                    raise SurveyError("survey.fpc_too_small", column=fpc_cols[1],
                                      group=str(int(np.argmax(M_p < m_p - 1e-9))))
        with np.errstate(invalid="ignore", divide="ignore"):
            f_h = np.where(np.isinf(N_h), 1.0, (N_h - n_h) / N_h)
            f2_p = np.where(np.isinf(M_p), 1.0, (M_p - m_p) / M_p) if m_p is not None else None
            frac1_p = (n_h / N_h)[p_h]

        # weights
        if weights:
            w = numeric(data, weights)
            if np.isnan(w).any():
                raise SurveyError("survey.design_missing", column=weights, rows=int(np.isnan(w).sum()))
            if (w < 0).any():
                raise SurveyError("survey.negative_weights", column=weights)
        elif fpc_cols:
            w = (N_h / n_h)[h]
            if len(fpc_cols) == 2:
                w = w * (M_p / m_p)[s_p][s]
        else:
            w = np.ones(n)

        # lonely PSUs under "fail" (R raises when it meets them; we refuse early)
        if lonely_psu == "fail":
            lonely = (n_h == 1) & (f_h >= _SELF_REPRESENTING)
            if lonely.any():
                raise SurveyError("survey.lonely_psu", stratum=str(labels[int(np.argmax(lonely))]),
                                  stage=1, count=int(lonely.sum()))
            if two_stage:
                lonely2 = (m_p == 1) & (f2_p >= _SELF_REPRESENTING)
                if lonely2.any():
                    raise SurveyError("survey.lonely_psu", stratum=f"PSU {int(np.argmax(lonely2))}",
                                      stage=2, count=int(lonely2.sum()))

        set_(self, "_data", data)
        set_(self, "_spec", {"strata": strata, "psu": psu, "ssu": ssu,
                             "fpc": tuple(fpc_cols), "weights": weights})
        set_(self, "_lonely", lonely_psu)
        set_(self, "_w", _readonly(np.asarray(w, dtype=float)))
        set_(self, "_h", _readonly(h))
        set_(self, "_H", H)
        set_(self, "_strata_labels", labels)
        set_(self, "_p", _readonly(p))
        set_(self, "_P", P)
        set_(self, "_p_h", _readonly(p_h))
        set_(self, "_psu_is_row", psu_is_row)
        set_(self, "_n_h", _readonly(n_h))
        set_(self, "_f_h", _readonly(f_h))
        set_(self, "_N_h", _readonly(N_h))
        set_(self, "_two_stage", two_stage)
        set_(self, "_s", None if s is None else _readonly(s))
        set_(self, "_S", S)
        set_(self, "_s_p", None if s_p is None else _readonly(s_p))
        set_(self, "_m_p", None if m_p is None else _readonly(m_p))
        set_(self, "_f2_p", None if f2_p is None else _readonly(f2_p))
        set_(self, "_frac1_p", _readonly(frac1_p))
        set_(self, "_mask", _readonly(np.asarray(w) > 0))
        set_(self, "_post", None)
        set_(self, "_domain_lonely", bool(adjust_domain_lonely))
        set_(self, "_frozen", True)

    # -- immutability ---------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Design is immutable; use subset() or poststratify() for a new one")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("Design is immutable")

    def _replace(self, **changes: Any) -> "Design":
        new = object.__new__(Design)
        for name in Design.__slots__:
            object.__setattr__(new, name, changes.get(name, getattr(self, name)))
        return new

    # -- description ----------------------------------------------------
    @property
    def data(self) -> pd.DataFrame:
        """The design's data (all rows, including those outside a subset)."""
        return self._data

    @property
    def weights(self) -> np.ndarray:
        """Sampling weights (read-only array; after post-stratification, the
        calibrated weights)."""
        return self._w

    @property
    def lonely_psu(self) -> str:
        return self._lonely

    @property
    def in_domain(self) -> np.ndarray:
        """Boolean mask of the rows inside the design's current subset."""
        return self._mask

    @property
    def n(self) -> int:
        """Rows inside the design's current subset."""
        return int(self._mask.sum())

    @property
    def n_strata(self) -> int:
        return int(len(np.unique(self._h[self._mask])))

    @property
    def n_psu(self) -> int:
        return int(len(np.unique(self._p[self._mask])))

    @property
    def degf(self) -> int:
        """Design degrees of freedom: PSUs − strata among the rows in the
        current subset (R ``degf``)."""
        return self.n_psu - self.n_strata

    def __repr__(self) -> str:
        sp = self._spec
        stages = "two-stage" if self._two_stage else "one-stage"
        return (f"Design({stages}, n={self.n}, strata={self.n_strata} [{sp['strata']}], "
                f"psu={self.n_psu} [{sp['psu'] or 'row'}], fpc={list(sp['fpc']) or None}, "
                f"weights={sp['weights'] or ('from fpc' if sp['fpc'] else 'equal')}, "
                f"lonely_psu={self._lonely!r}{', post-stratified' if self._post else ''})")

    # -- domains --------------------------------------------------------
    def subset(self, mask: Any) -> "Design":
        """The design restricted to a domain, keeping every stratum and PSU.

        ``mask`` is a boolean array/Series (aligned on the data's index when
        it is a Series) or the name of a boolean / 0-1 column. Missing counts
        as False. Estimates on the result equal R's
        ``svymean(~y, subset(design, mask))``.
        """
        if isinstance(mask, str):
            check_columns(self._data, [mask])
            m = self._data[mask]
        else:
            m = mask
        if isinstance(m, pd.Series):
            if not m.index.equals(self._data.index):
                m = m.reindex(self._data.index)
            m = m.to_numpy(dtype=float, na_value=0.0) != 0
        else:
            m = np.asarray(m)
            if m.dtype != bool:
                m = pd.Series(m).to_numpy(dtype=float, na_value=0.0) != 0
        if m.shape != (len(self._data),):
            raise SurveyError("survey.bad_mask", expected=len(self._data), got=m.shape[0] if m.ndim else 0)
        return self._replace(_mask=_readonly(self._mask & m))

    def with_columns(self, columns: Mapping[str, Any] | pd.DataFrame) -> "Design":
        """The same design over its data plus derived columns (scores,
        indicators). Arrays must have one value per row; Series are aligned
        on the data's index. The sampling structure is shared, not rebuilt."""
        cols = dict(columns.items()) if isinstance(columns, pd.DataFrame) else dict(columns)
        for name, col in cols.items():
            if isinstance(col, pd.Series):
                cols[name] = col.reindex(self._data.index).to_numpy()
            elif len(col) != len(self._data):
                raise SurveyError("survey.bad_mask", expected=len(self._data), got=len(col))
        return self._replace(_data=self._data.assign(**cols))

    def poststratify(self, by: str | Sequence[str], population: Mapping | pd.Series | pd.DataFrame,
                     partial: bool = False) -> "Design":
        """Post-stratify to known population counts (R ``postStratify``).

        Weights in each post-stratum ``c`` are multiplied by ``N_c / Ŵ_c``
        (roster count over the weighted sample count), so that they add up to
        the roster. Variances use residuals from the post-stratum means, as R
        does, which is what makes post-stratification reduce them.

        Parameters
        ----------
        by : column name(s) defining the post-strata (no missing values).
        population : ``{level: count}``, a Series indexed by level (a
            MultiIndex for several columns), or a DataFrame with the ``by``
            columns and one count column.
        partial : ignore population cells absent from the sample (R
            ``partial=TRUE``); otherwise that is an error.

        Post-stratify the full design, then take subsets for domains.
        """
        if self._post is not None:
            raise SurveyError("survey.already_poststratified")
        if not np.array_equal(self._mask, self._w > 0):
            raise SurveyError("survey.poststratify_subset")
        cols = as_list(by)
        check_columns(self._data, cols)
        keys = self._data[cols]
        if keys.isna().any().any():
            raise SurveyError("survey.design_missing", column=", ".join(cols),
                              rows=int(keys.isna().any(axis=1).sum()))
        pop = _population_series(population, cols)
        # post-stratum codes over the sample
        codes = np.zeros(len(keys), np.int64)
        levels = []
        for c in cols:
            cc, lv = factorize_sorted(keys[c])
            codes = codes * len(lv) + cc
            levels.append(lv)
        code, present = compress(codes, int(np.prod([len(lv) for lv in levels])))
        labels = _decode(present, levels)
        sample_keys = [tuple(r) if len(cols) > 1 else r[0] for r in labels]
        pop_keys = list(pop.index)
        missing = [k for k in sample_keys if k not in pop.index]
        if missing:
            raise SurveyError("survey.poststrata_missing", levels=", ".join(map(str, missing)))
        absent = [k for k in pop_keys if k not in set(sample_keys) and pop[k] > 0]
        if absent and not partial:
            raise SurveyError("survey.poststrata_absent", levels=", ".join(map(str, absent)))
        N_c = np.array([float(pop[k]) for k in sample_keys])
        W_c = np.bincount(code, weights=self._w, minlength=len(sample_keys))
        with np.errstate(divide="ignore", invalid="ignore"):
            g = np.where(W_c > 0, N_c / W_c, 0.0)
        new_w = self._w * g[code]
        post = _PostStrata(_readonly(code), len(sample_keys), self._w, _readonly(new_w))
        return self._replace(_w=_readonly(new_w), _post=post,
                             _mask=_readonly(self._mask & (new_w > 0)))

    def _domains(self, by: str | Sequence[str] | None) -> tuple[np.ndarray, pd.DataFrame, int]:
        """Domain code of each row of the subset, label frame and the number
        of domains ``D``; rows outside the subset (or with a missing ``by``
        value) get the spare code ``D``."""
        cols = as_list(by)
        check_columns(self._data, cols)
        if not cols:
            return np.where(self._mask, 0, 1), pd.DataFrame(index=range(1)), 1
        codes = None
        ok = self._mask
        levels = []
        for c in cols:
            cc, lv = factorize_sorted(self._data[c])
            if (cc < 0).any():
                ok = ok & (cc >= 0)
                cc = np.maximum(cc, 0)
            codes = cc if codes is None else codes * max(len(lv), 1) + cc
            levels.append(lv)
        size = int(np.prod([max(len(lv), 1) for lv in levels]))
        if size <= DENSE_LIMIT:
            occ = np.bincount(codes, weights=ok, minlength=size) > 0
            present = np.flatnonzero(occ)
            remap = np.cumsum(occ) - 1
            de = np.where(ok, remap[codes], len(present))
        else:
            present, inv = np.unique(codes[ok], return_inverse=True)
            de = np.full(len(codes), len(present), np.int64)
            de[ok] = inv.reshape(-1)
        labels = _decode(present, levels)
        frame = pd.DataFrame({c: pd.Index([r[i] for r in labels], dtype=levels[i].dtype)
                              for i, c in enumerate(cols)})
        return de, frame, len(present)

    # -- variance engine ------------------------------------------------
    def _stage_terms(self, cd: np.ndarray, cg: np.ndarray, t: np.ndarray, D: int, G: int,
                     n_g: np.ndarray, f_g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per (domain, group) variance contribution of one stage.

        ``cd, cg, t``: domain, group (stratum, or PSU at stage 2) and total of
        each occupied unit cell. Groups have ``n_g`` sampled units (full
        design; absent units are zero-padded, as R) and fpc factor ``f_g``.
        Returns ``(contribution, not_available, present)``, each (D, G).
        """
        key = cd * G + cg
        size = D * G
        k = np.bincount(key, minlength=size)
        s1 = np.bincount(key, weights=t, minlength=size)
        nn = np.tile(n_g, D)
        f = np.tile(f_g, D)
        mean = s1 / nn
        dev = t - mean[key]
        ss = np.bincount(key, weights=dev * dev, minlength=size) + (nn - k) * mean * mean
        scale = np.where(nn > 1, f * nn / np.maximum(nn - 1, 1), f)
        contrib = scale * ss
        lonely = nn == 1
        na = np.zeros(size, bool)
        if self._lonely == "adjust":
            contrib = np.where(lonely, f * np.bincount(key, weights=t * t, minlength=size), contrib)
        elif self._lonely == "average":
            na = lonely.copy()
        if self._domain_lonely and self._post is None:
            dom_lonely = (k == 1) & (nn > 1)
            if self._lonely == "adjust":
                contrib = np.where(dom_lonely, scale * s1 * s1, contrib)
            elif self._lonely == "average":
                na = na | dom_lonely
        selfrep = f < _SELF_REPRESENTING
        contrib[selfrep] = 0.0
        na[selfrep] = False
        present = np.ones(size, bool) if self._post is not None else k > 0
        return contrib.reshape(D, G), na.reshape(D, G), present.reshape(D, G)

    def _unit_totals(self, x: np.ndarray, dom: np.ndarray, D: int, stage: int
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Occupied (domain, unit) cells with their totals of ``x``."""
        unit, U = (self._p, self._P) if stage == 1 else (self._s, self._S)
        if self._post is None:
            v = dom >= 0
            if stage == 1 and self._psu_is_row:
                idx = np.flatnonzero(v)
                return dom[idx], idx, x[idx]
            return cells(dom[v], unit[v], x[v], D, U)
        # post-stratified: residuals from post-stratum means, for all rows
        ps = self._post
        C = ps.n_cells
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(ps.new_weights > 0, ps.old_weights / ps.new_weights, 1.0)
        v = dom >= 0
        num = np.bincount(dom[v] * C + ps.codes[v], weights=(x * ratio)[v], minlength=D * C)
        den = np.bincount(ps.codes, weights=ps.old_weights, minlength=C)
        with np.errstate(divide="ignore", invalid="ignore"):
            m = np.where(den > 0, num.reshape(D, C) / den, 0.0)
        totals = np.empty((D, U))
        for d in range(D):  # per-domain loop; each pass is vectorised
            resid = np.where(dom == d, x, 0.0) - ps.new_weights * m[d, ps.codes]
            totals[d] = resid if (stage == 1 and self._psu_is_row) else np.bincount(
                unit, weights=resid, minlength=U)
        return np.repeat(np.arange(D), U), np.tile(np.arange(U), D), totals.ravel()

    def _dense_stage(self, T: np.ndarray, occ: np.ndarray, grp: np.ndarray, G: int,
                     n_g: np.ndarray, f_g: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`_stage_terms` on a dense (domain × unit) table of totals.

        Units absent from a domain hold 0, which is exactly R's zero padding,
        so the centred sum of squares runs over every unit of the group.
        """
        D = T.shape[0]
        S1 = np.stack([np.bincount(grp, weights=T[d], minlength=G) for d in range(D)])
        mean = S1 / n_g
        dev = T - mean[:, grp]
        ss = np.stack([np.bincount(grp, weights=dev[d] * dev[d], minlength=G) for d in range(D)])
        f = np.broadcast_to(f_g, ss.shape)
        scale = np.where(n_g > 1, f_g * n_g / np.maximum(n_g - 1, 1), f_g)
        contrib = scale * ss
        lonely = np.broadcast_to(n_g == 1, ss.shape)
        na = np.zeros(ss.shape, bool)
        if self._lonely == "adjust":
            contrib = np.where(lonely, f * S1 * S1, contrib)   # one unit: its total, uncentred
        elif self._lonely == "average":
            na = lonely.copy()
        if self._domain_lonely and self._post is None:
            k = np.stack([np.bincount(grp, weights=occ[d], minlength=G) for d in range(D)])
            dom_lonely = (k == 1) & (n_g > 1)
            if self._lonely == "adjust":
                contrib = np.where(dom_lonely, scale * S1 * S1, contrib)
            elif self._lonely == "average":
                na = na | dom_lonely
        selfrep = f < _SELF_REPRESENTING
        contrib = np.where(selfrep, 0.0, contrib)
        na = na & ~selfrep
        if self._post is not None:
            present = np.ones(ss.shape, bool)
        else:
            present = np.stack([np.bincount(grp, weights=occ[d], minlength=G) for d in range(D)]) > 0
        return contrib, na, present

    def _dense_totals(self, x: np.ndarray, dv: np.ndarray, D: int, stage: int
                      ) -> tuple[np.ndarray, np.ndarray] | None:
        """(D, U) unit totals of ``x`` and occupancy, or None when too large.

        ``dv`` codes excluded rows as ``D`` (a slot that is dropped), so no
        row is copied out of the data.
        """
        unit, U = (self._p, self._P) if stage == 1 else (self._s, self._S)
        if self._post is not None or (D + 1) * U > DENSE_LIMIT:
            return None
        key = dv * U + unit
        size = (D + 1) * U
        T = np.bincount(key, weights=x, minlength=size)[:D * U].reshape(D, U)
        occ = np.bincount(key, minlength=size)[:D * U].reshape(D, U) > 0
        return T, occ

    def _combine(self, contrib, na, present, stage: int) -> np.ndarray:
        if stage == 1:
            ok = present & ~na
            nstrat = present.sum(axis=1)
            nok = ok.sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(ok, contrib, 0.0).sum(axis=1) * np.where(nstrat > 0, nstrat / nok, 1.0)
        v2 = np.where(present, contrib * self._frac1_p, 0.0).sum(axis=1)
        return np.where((na & present).any(axis=1), np.nan, v2)

    def _variance(self, x: np.ndarray, dv: np.ndarray, D: int,
                  dense1: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        """Design-based variance of the domain totals of influence values ``x``.

        ``dv``: domain of each row, ``D`` for rows outside every domain (their
        ``x`` is ignored). ``dense1``: stage-1 totals already computed.
        """
        v = np.zeros(D)
        for stage in (1, 2) if self._two_stage else (1,):
            grp, G, n_g, f_g = ((self._p_h, self._H, self._n_h, self._f_h) if stage == 1 else
                                (self._s_p, self._P, self._m_p, self._f2_p))
            dense = dense1 if (stage == 1 and dense1 is not None) else self._dense_totals(x, dv, D, stage)
            if dense is not None:
                terms = self._dense_stage(dense[0], dense[1], grp, G, n_g, f_g)
            else:
                dom = np.where(dv < D, dv, -1)
                xc = np.where(dv < D, x, 0.0)
                cd, cu, t = self._unit_totals(xc, dom, D, stage=stage)
                terms = self._stage_terms(cd, grp[cu], t, D, G, n_g, f_g)
            v = v + self._combine(*terms, stage=stage)
        return v

    def _df(self, de: np.ndarray, D: int, occ: np.ndarray | None = None) -> np.ndarray:
        """PSUs − strata among each domain's rows (R ``degf`` of the subset)."""
        if occ is None and (D + 1) * self._P <= DENSE_LIMIT:
            size = (D + 1) * self._P
            occ = np.bincount(de * self._P + self._p, minlength=size)[:D * self._P].reshape(D, self._P) > 0
        if occ is not None:
            psus = occ.sum(axis=1)
            strata = np.stack([np.bincount(self._p_h, weights=occ[d], minlength=self._H)
                               for d in range(D)]) > 0
            return (psus - strata.sum(axis=1)).astype(float)
        v = de < D
        psus = count_distinct(de[v], self._p[v], D, self._P)
        strata = count_distinct(de[v], self._h[v], D, self._H)
        return (psus - strata).astype(float)

    # -- estimators -----------------------------------------------------
    def _frame(self, labels: pd.DataFrame, variable: str, est, se, lo, hi, df, deff, n, n_eff,
               method: str) -> pd.DataFrame:
        k = len(labels)
        cols = {c: labels[c].to_numpy() for c in labels.columns}
        cols.update({
            "variable": np.full(k, variable, dtype=object), "estimate": est, "se": se,
            "ci_low": lo, "ci_high": hi, "df": df, "deff": deff,
            "n": np.asarray(n, dtype=np.int64), "n_eff": n_eff,
            "ci_method": np.full(k, method, dtype=object),
        })
        out = pd.DataFrame(cols)
        for c in labels.columns:
            out[c] = out[c].astype(labels[c].dtype)
        return out

    def _prepare(self, y: np.ndarray, by) -> "_Prep":
        """Domain codes and weighted sums of ``y`` (one bincount each).

        Rows outside the subset, without a domain or with ``y`` missing get
        the spare code ``D``; their sums land in a slot that is dropped.
        """
        de, labels, D = self._domains(by)
        nan = np.isnan(y)
        has_nan = bool(nan.any())
        dv = np.where(nan, D, de) if has_nan else de
        w = self._w
        W = np.bincount(dv, weights=w, minlength=D + 1)[:D]
        n = np.bincount(dv, minlength=D + 1)[:D]
        return _Prep(labels, D, de, dv, has_nan, W, n)

    def _finish_t(self, prep: "_Prep", name: str, est, var, deff, level, dense1) -> pd.DataFrame:
        df = self._df(prep.de, prep.D, None if prep.has_nan or dense1 is None else dense1[1])
        lo, hi = self._t_interval(est, var, df, level)
        with np.errstate(divide="ignore", invalid="ignore"):
            n_eff = np.where(np.isfinite(deff) & (deff > 0), prep.n / deff, np.nan)
        return self._frame(prep.labels, name, est, np.sqrt(var), lo, hi, df, deff, prep.n, n_eff, "t")

    def _t_interval(self, est, var, df, level):
        with np.errstate(invalid="ignore"):
            t = _stats().t.ppf(1 - (1 - level) / 2, np.where(df > 0, df, np.nan))
        half = t * np.sqrt(var)
        return est - half, est + half

    @staticmethod
    def _vsrs(s2, W, n):
        """R's SRS-without-replacement variance of a mean: s²(N − n)/(N n);
        NaN when the weights add up to less than the sample (unscaled)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(W >= n, s2 * (W - n) / (W * n), np.nan)

    def _mean_parts(self, y: np.ndarray, prep: "_Prep"):
        """Mean, influence values, variance and deff for each domain."""
        D, dv, W, n, w = prep.D, prep.dv, prep.W, prep.n, self._w
        Wx = np.append(W, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            est = np.bincount(dv, weights=w * y, minlength=D + 1)[:D] / W
            r = y - np.append(est, 0.0)[dv]                  # deviation from the domain mean
            wr = w * r
            x = wr / Wx[dv]
            dense1 = self._dense_totals(x, dv, D, 1)
            var = self._variance(x, dv, D, dense1)
            # R's svyvar: n/(n−1) · Σw(y − ȳ)²/Σw
            s2 = np.bincount(dv, weights=wr * r, minlength=D + 1)[:D] / W * n / (n - 1)
        return est, var, s2, dense1

    def mean(self, var: str, by: str | Sequence[str] | None = None, level: float = 0.95) -> pd.DataFrame:
        """Weighted mean ``ȳ = Σw y / Σw`` per domain with its linearised SE.

        Equals R ``svymean(~var, design, deff=TRUE, na.rm=TRUE)`` (with
        ``svyby`` for ``by``). The interval is ``ȳ ± t_{df} · se`` (R
        ``confint(..., df=degf(design))``); ``deff`` is R's (relative to
        simple random sampling without replacement of the same size) and
        ``n_eff = n / deff``.
        """
        check_columns(self._data, [var])
        y = numeric(self._data, var)
        prep = self._prepare(y, by)
        est, v, s2, dense1 = self._mean_parts(y, prep)
        with np.errstate(divide="ignore", invalid="ignore"):
            deff = v / self._vsrs(s2, prep.W, prep.n)
        return self._finish_t(prep, var, est, v, deff, level, dense1)

    def proportion(self, var: str, by: str | Sequence[str] | None = None,
                   ci: str = "korn-graubard", level: float = 0.95,
                   edge_deff: str | float = "borrow") -> pd.DataFrame:
        """Weighted proportion of a 0/1 (or boolean) variable per domain.

        The estimate and SE are those of :meth:`mean` (a variance that is zero
        up to rounding is reported as 0); the interval is one of
        ``korn-graubard`` (default; R ``svyciprop(method="beta")``),
        ``likelihood``, ``logit``, ``xlogit``, ``asin``, ``wilson``, ``wald``
        — see :mod:`toolkit.survey.ci`. ``n_eff`` is the effective sample size
        ``min(p(1−p)/se², n)`` before the degrees-of-freedom adjustment.

        At p̂ = 0 or 1, or a zero variance, the Korn–Graubard and Wilson
        intervals use ``n_eff = n / deff₀`` (:func:`toolkit.survey.ci.effective_n`).
        ``edge_deff="borrow"`` (default) takes ``deff₀`` as the largest of 1,
        Kish's weighting effect ``n Σw²/(Σw)²`` of the domain and, for a
        ``by`` estimate, the design effect of the same variable over the
        whole design ``var / (p(1−p)/n)`` (the next level up; chosen by the
        coverage simulation in bench/bench_coverage.py). A number gives
        ``deff₀`` directly (1: the NCHS rule, actual n). An undefined variance
        or zero degrees of freedom give no interval (NaN bounds).

        >>> import pandas as pd
        >>> d = Design(pd.DataFrame({"x": [0] * 60}))
        >>> r = d.proportion("x")
        >>> float(r.ci_low[0]), round(float(r.ci_high[0]), 4)
        (0.0, 0.0596)
        """
        if ci not in _ci.CI_METHODS:
            raise SurveyError("survey.bad_ci", value=ci, allowed=", ".join(_ci.CI_METHODS))
        check_columns(self._data, [var])
        y = numeric(self._data, var)
        t = y * (y - 1)                          # 0 for 0/1, NaN for missing
        if (t > 0).any() or (t < 0).any():
            nonbinary = ((t > 0) | (t < 0)) & self._mask
        else:
            nonbinary = None
        if nonbinary is not None and nonbinary.any():
            raise SurveyError("survey.not_binary", column=var,
                              examples=", ".join(f"{b:g}" for b in np.unique(y[nonbinary])[:3]))
        prep = self._prepare(y, by)
        est, v, s2, dense1 = self._mean_parts(y, prep)
        v = _ci.clean_variance(est, v, prep.n)
        with np.errstate(divide="ignore", invalid="ignore"):
            deff = v / self._vsrs(s2, prep.W, prep.n)
        df = self._df(prep.de, prep.D, None if prep.has_nan or dense1 is None else dense1[1])
        # R's svyciprop counts the domain's rows, missing or not, in t_{n-1}
        n_rows = np.bincount(prep.de, minlength=prep.D + 1)[:prep.D] if prep.has_nan else prep.n
        deff0 = self._edge_deff(y, prep, by, edge_deff, edge=(est <= 0) | (est >= 1) | (v == 0))
        lo, hi = _ci.proportion_ci(ci, est, v, prep.n, df, level, n_rows=n_rows, deff0=deff0)
        n_eff = _ci.effective_n(est, v, prep.n, deff0)
        return self._frame(prep.labels, var, est, np.sqrt(v), lo, hi, df, deff, prep.n, n_eff, ci)

    def _edge_deff(self, y: np.ndarray, prep: "_Prep", by, edge_deff: str | float,
                   edge: np.ndarray) -> np.ndarray:
        """Design effect ``deff₀`` used at p̂ = 0/1 (see :meth:`proportion`);
        the level above is estimated only when some domain (``edge``) needs it."""
        if not isinstance(edge_deff, str):
            return np.full(prep.D, float(edge_deff))
        if edge_deff != "borrow":
            raise SurveyError("survey.bad_edge_deff", value=edge_deff)
        w = self._w
        with np.errstate(divide="ignore", invalid="ignore"):
            w2 = np.bincount(prep.dv, weights=w * w, minlength=prep.D + 1)[:prep.D]
            kish = prep.n * w2 / (prep.W * prep.W)
        out = np.where(np.isfinite(kish), kish, 1.0)
        if by is not None and len(as_list(by)) and edge.any():
            up = self._prepare(y, None)
            p0, v0, _, _ = self._mean_parts(y, up)
            v0 = _ci.clean_variance(p0, v0, up.n)
            with np.errstate(divide="ignore", invalid="ignore"):
                d_up = v0 / (p0 * (1 - p0) / up.n)
            d_up = float(d_up[0]) if np.isfinite(d_up[0]) else 1.0
            out = np.maximum(out, d_up)
        return np.maximum(out, 1.0)

    def total(self, var: str, by: str | Sequence[str] | None = None, level: float = 0.95) -> pd.DataFrame:
        """Weighted total ``Ŷ = Σ w y`` per domain (R ``svytotal``).

        Units are those of ``var`` times population units (for a 0/1 variable:
        households). Interval ``Ŷ ± t_{df} · se``; ``deff`` as R's.
        """
        check_columns(self._data, [var])
        y = numeric(self._data, var)
        prep = self._prepare(y, by)
        D, dv, W, n = prep.D, prep.dv, prep.W, prep.n
        with np.errstate(divide="ignore", invalid="ignore"):
            x = self._w * y
            Y = np.bincount(dv, weights=x, minlength=D + 1)[:D]
            r = y - np.append(Y / W, 0.0)[dv]
            s2 = np.bincount(dv, weights=self._w * r * r, minlength=D + 1)[:D] / W * n / (n - 1)
            dense1 = self._dense_totals(x, dv, D, 1)
            v = self._variance(x, dv, D, dense1)
            deff = v / (self._vsrs(s2, W, n) * W * W)
        return self._finish_t(prep, var, Y, v, deff, level, dense1)

    def ratio(self, num: str, den: str, by: str | Sequence[str] | None = None,
              level: float = 0.95) -> pd.DataFrame:
        """Ratio of weighted totals ``r = Σ w y / Σ w x`` per domain (R ``svyratio``).

        Influence values ``w_i (y_i − r x_i) / X̂``; rows where either variable
        is missing are left out of the domain. Interval ``r ± t_{df} · se``;
        ``deff`` as R's (``svytotal`` of the linearised variable).
        """
        check_columns(self._data, [num, den])
        y = numeric(self._data, num)
        xd = numeric(self._data, den)
        y = np.where(np.isnan(xd), np.nan, y)
        prep = self._prepare(y, by)
        D, dv, W, n, w = prep.D, prep.dv, prep.W, prep.n, self._w
        with np.errstate(divide="ignore", invalid="ignore"):
            Y = np.bincount(dv, weights=w * y, minlength=D + 1)[:D]
            X = np.bincount(dv, weights=w * xd, minlength=D + 1)[:D]
            r = Y / X
            z = (y - np.append(r, 0.0)[dv] * xd) / np.append(X, 1.0)[dv]
            wz = w * z
            dense1 = self._dense_totals(wz, dv, D, 1)
            v = self._variance(wz, dv, D, dense1)
            # svyvar(z): Σw z = 0 by construction, so the weighted mean is 0
            zbar = np.bincount(dv, weights=wz, minlength=D + 1)[:D] / W
            s2 = (np.bincount(dv, weights=wz * z, minlength=D + 1)[:D] / W - zbar * zbar) * n / (n - 1)
            deff = v / (self._vsrs(s2, W, n) * W * W)
        return self._finish_t(prep, f"{num}/{den}", r, v, deff, level, dense1)


@dataclass(frozen=True)
class _Prep:
    labels: pd.DataFrame
    D: int
    de: np.ndarray        # domain of each row in the subset, D elsewhere
    dv: np.ndarray        # the same, D also where the variable is missing
    has_nan: bool
    W: np.ndarray         # Σw per domain (valid rows)
    n: np.ndarray         # rows per domain (valid rows)


def _decode(present: np.ndarray, levels: list[pd.Index]) -> list[tuple]:
    """Mixed-radix codes back to tuples of level values."""
    out_cols = []
    rem = np.asarray(present, dtype=np.int64)
    for lv in reversed(levels):
        size = max(len(lv), 1)
        out_cols.append(np.asarray(lv)[rem % size] if len(lv) else np.array([], object))
        rem = rem // size
    out_cols.reverse()
    return list(zip(*out_cols)) if out_cols else []


def _population_series(population: Mapping | pd.Series | pd.DataFrame, cols: list[str]) -> pd.Series:
    if isinstance(population, pd.DataFrame):
        check_columns(population, cols)
        rest = [c for c in population.columns if c not in cols]
        if len(rest) != 1:
            raise SurveyError("survey.population_shape", columns=", ".join(map(str, population.columns)))
        s = population.set_index(cols)[rest[0]]
    elif isinstance(population, pd.Series):
        s = population
    else:
        s = pd.Series(dict(population))
    s = pd.to_numeric(s, errors="coerce")
    if s.isna().any() or (s < 0).any():
        raise SurveyError("survey.population_counts")
    return s
