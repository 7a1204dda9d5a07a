"""Change between two evaluation rounds with a 95 % interval for the difference.

Each round is a frame of interviewed households with design columns
(``_stratum``, ``_psu``, ``_w``, ``_fpc``; toolkit.verify.indicators.
design_weights) and indicator values. The two rounds are *stacked* into one
design and the difference of the two estimates is linearised, as R's
``svyby(~y, ~round, stacked, svymean, covmat=TRUE)`` followed by
``svycontrast(…, c(-1, 1))`` does.

Estimate of indicator y in domain d (a county or 全市) in round r, a ratio
of weighted totals (a proportion is the ratio with x ≡ 1)::

    R̂_r = Σ_{i∈d,r} w_i y_i / X̂_r,        X̂_r = Σ_{i∈d,r} w_i x_i

with linearised (influence) values ``z_ri = 1[i∈d,r] · w_i (y_i − R̂_r x_i) / X̂_r``.
The change is ``Δ̂ = R̂_1 − R̂_0`` with influence ``z_i = z_1i − z_0i``, and

    V(Δ̂) = Σ_h (1 − f_h) · n_h/(n_h − 1) · Σ_j (t_hj − t̄_h)²,   t_hj = Σ_{i∈hj} z_i

over the strata h and PSUs j of the stacked design (toolkit.survey.Design,
``svyrecvar``). Two cases:

* **Independent samples** (a fresh draw): the rounds' strata and PSUs are
  kept apart (labels prefixed by the round), so no PSU total mixes the two
  rounds and ``V(Δ̂) = V(R̂_0) + V(R̂_1)``: the two designs' variances add.
* **Panel** (the follow-up re-visits a subsample of the previous sample):
  the paired design. Only households interviewed in both rounds are used;
  both rows of a household carry the follow-up's design columns (its
  stratum, PSU and weight), so the PSU totals ``t_hj`` hold both rounds'
  influence values and ``V(Δ̂) = V(R̂_0) + V(R̂_1) − 2 Cov(R̂_0, R̂_1)``.
  A household's persistent state cancels: the interval is narrower when the
  rounds are positively correlated, as a panel is.

Interval: ``Δ̂ ± t_{df, 0.975} · se`` with df = PSUs − strata among the rows
of the domain in the stacked design (R: ``confint(contrast, df=degf(...))``).
**No interval collapses to a point.** When the linearised variance of the
difference is zero (a panel in which no household's answer changed, or a
share of 0 % or 100 % in both rounds) the Wald interval above would be the
single point Δ̂. Then:

* for a proportion, the MOVER interval with Wilson limits (Newcombe 1998,
  method 10; Zou & Donner 2008), each round's Wilson limits ``l_r, u_r`` at
  its effective sample size (toolkit.survey.ci.wilson)::

      L = Δ̂ − √((p̂₁ − l₁)² + (u₀ − p̂₀)² − 2φ (p̂₁ − l₁)(u₀ − p̂₀))
      U = Δ̂ + √((u₁ − p̂₁)² + (p̂₀ − l₀)² − 2φ (u₁ − p̂₁)(p̂₀ − l₀))

  with φ = 0 for independent samples and, for a panel, Newcombe's
  continuity-corrected correlation of the households' paired answers
  ``φ = max(AD − BC − N/2, 0) / √(efgh)`` (A…D the 2×2 cells, e…h its
  margins; 0 when a margin is empty), so that identical answers still give
  an interval of the width the sample size allows;
* for a ratio, the two rounds' variances added (``V₀ + V₁``, as if
  independent: wider than the paired one, never narrower);
* when that too is zero, no interval (NaN, verdict ``undetermined``).

The change is *significant* when the interval excludes 0; with the
indicator's direction (a rate that must stay below its threshold improves
when it falls) it is called an improvement or a worsening.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.survey import Design

ALL = "全市"
EPS = 1e-12
"""Below this a change or a standard error is floating-point noise (shares in [0, 1]) and taken as 0."""
DESIGN_COLUMNS = ("_stratum", "_psu", "_w", "_fpc")
CHANGE_COLUMNS = ["indicator", "county", "before", "after", "change", "se", "ci_low", "ci_high", "df",
                  "n_before", "n_after", "paired", "verdict"]
"""One row per indicator and domain: the two rounds' estimates, the change
(after − before, in the indicator's units: a share in [0, 1]), its standard
error, the 95 % interval, df, the households behind each round's estimate,
whether the paired design was used, and the verdict code (``improved``,
``worsened``, ``no_change``, ``undetermined``; the words come from
toolkit.i18n.rounds)."""


@dataclass(frozen=True)
class Measure:
    """What to difference: ``num`` ÷ ``den`` (den None: a proportion of
    ``num``), and whether a fall is an improvement (``lower_is_better``)."""

    name: str
    num: str
    den: str | None = None
    lower_is_better: bool = False


def stack(before: pd.DataFrame, after: pd.DataFrame, *, paired: bool, id_col: str = "archive_id") -> pd.DataFrame:
    """The two rounds as one frame with ``_round`` 0 (before) / 1 (after).

    Independent: strata and PSUs prefixed by the round (``0|…``, ``1|…``).
    Paired: only households in both rounds; the before rows take the after
    rows' design columns (see the module doc)."""
    b, a = before.copy(), after.copy()
    if paired:
        ids = pd.Index(a[id_col].astype(str))
        b = b[b[id_col].astype(str).isin(ids)].copy()
        a = a[a[id_col].astype(str).isin(set(b[id_col].astype(str)))].copy()
        keyed = a.drop_duplicates(id_col).set_index(a.drop_duplicates(id_col)[id_col].astype(str))
        for c in DESIGN_COLUMNS:
            b[c] = b[id_col].astype(str).map(keyed[c]).to_numpy()
    else:
        for r, f in ((0, b), (1, a)):
            f["_stratum"] = f"{r}|" + f["_stratum"].astype(str)
            f["_psu"] = f"{r}|" + f["_psu"].astype(str)
    b["_round"], a["_round"] = 0, 1
    out = pd.concat([b, a], ignore_index=True)
    out["_stratum"] = out["_stratum"].astype(str)
    out["_psu"] = out["_psu"].astype(str)
    return out


def _influence(frame: pd.DataFrame, m: Measure, dom: np.ndarray) -> tuple[np.ndarray, list, list, np.ndarray]:
    """z = z_1 − z_0 (module doc), the two estimates and counts, and the rows in the domain.
    The two rounds' own influence values are ``np.where(round == 1, z, 0)`` and
    ``−np.where(round == 0, z, 0)``."""
    y = pd.to_numeric(frame[m.num], errors="coerce").to_numpy(dtype=float)
    if m.den is None:
        x = np.where(np.isnan(y), np.nan, 1.0)
    else:
        x = pd.to_numeric(frame[m.den], errors="coerce").to_numpy(dtype=float)
        x = np.where(x > 0, x, np.nan)
    ok = dom & ~np.isnan(y) & ~np.isnan(x)
    w = frame["_w"].to_numpy(dtype=float)
    rnd = frame["_round"].to_numpy()
    z = np.zeros(len(frame))
    est, n = [], []
    for r in (0, 1):
        k = ok & (rnd == r)
        X = float(np.sum(w[k] * x[k]))
        if not k.any() or X <= 0:
            est.append(np.nan)
            n.append(int(k.sum()))
            continue
        R = float(np.sum(w[k] * y[k]) / X)
        zr = np.where(k, w * (np.where(k, y, 0.0) - R * np.where(k, x, 0.0)) / X, 0.0)
        z += zr if r == 1 else -zr
        est.append(R)
        n.append(int(k.sum()))
    return z, est, n, ok


def _verdict(lo: float, hi: float, lower_is_better: bool) -> str:
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return "undetermined"
    if lo > 0:
        return "worsened" if lower_is_better else "improved"
    if hi < 0:
        return "improved" if lower_is_better else "worsened"
    return "no_change"


def change(before: pd.DataFrame, after: pd.DataFrame, *, paired: bool, measures: tuple[Measure, ...],
           by: str = "county", level: float = 0.95, id_col: str = "archive_id") -> pd.DataFrame:
    """Change of every measure per ``by`` value and overall (全市) between
    two rounds' household frames (see the module doc). Returns CHANGE_COLUMNS.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"archive_id": list("abcdefgh"), "county": "A", "_stratum": "A",
    ...                   "_psu": list("11223344"), "_w": 2.0, "_fpc": float("inf"), "y": [1, 0, 1, 1, 0, 0, 1, 0]})
    >>> g = f.assign(y=[1, 1, 1, 1, 0, 1, 1, 0])
    >>> r = change(f, g, paired=True, measures=(Measure("y", "y"),))
    >>> float(r["change"].iloc[0])
    0.25
    """
    from scipy import stats

    s = stack(before, after, paired=paired, id_col=id_col)
    if not len(s):
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    fpc = pd.to_numeric(s["_fpc"], errors="coerce")
    s["_fpc"] = fpc.fillna(np.inf)
    domains = [(ALL, np.ones(len(s), dtype=bool))]
    if by in s:
        g = s[by].astype(str)
        domains += [(c, (g == c).to_numpy()) for c in sorted(g.unique())]
    zcols, meta = {}, []
    rnd = s["_round"].to_numpy()
    for m in measures:
        if m.num not in s or (m.den is not None and m.den not in s):
            continue
        for name, dom in domains:
            z, est, n, ok = _influence(s, m, dom)
            col = f"_z{len(meta)}"
            zcols[col] = z
            zcols[col + "b"] = np.where(rnd == 0, -z, 0.0)   # round 0's own influence values
            zcols[col + "a"] = np.where(rnd == 1, z, 0.0)    # round 1's
            meta.append((m, name, est, n, ok, col))
    if not meta:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    # the influence values are already weighted; Design.total multiplies by w, so divide it out (w > 0)
    w = s["_w"].to_numpy(dtype=float)
    zf = pd.DataFrame({c: v / w for c, v in zcols.items()}, index=s.index)
    d = Design(pd.concat([s, zf], axis=1), strata="_stratum", psu="_psu", weights="_w", fpc="_fpc",
               lonely_psu="adjust")
    rows = []
    q = 1 - (1 - level) / 2
    for m, name, est, n, ok, col in meta:
        b0, a1 = est
        diff = a1 - b0 if np.isfinite(b0) and np.isfinite(a1) else np.nan
        se = dfree = np.nan
        if np.isfinite(diff):
            r = d.subset(ok).total(col)
            se, dfree = float(r["se"].iloc[0]), float(r["df"].iloc[0])
        if np.isfinite(diff) and abs(diff) < EPS:   # rounding noise of two equal estimates is no change
            diff = 0.0
        if np.isfinite(se) and se < EPS:
            se = 0.0
        t = stats.t.ppf(q, dfree) if np.isfinite(dfree) and dfree > 0 else np.nan
        lo, hi = diff - t * se, diff + t * se
        if np.isfinite(diff) and se == 0.0 and np.isfinite(t):   # never a point (module doc)
            sub = d.subset(ok)
            v0 = float(sub.total(col + "b")["se"].iloc[0]) ** 2
            v1 = float(sub.total(col + "a")["se"].iloc[0]) ** 2
            if m.den is None and _binary(s.loc[ok, m.num]):
                phi = _newcombe_phi(s.loc[ok], m.num, id_col) if paired else 0.0
                lo, hi = _mover_wilson(b0, a1, v0, v1, n, dfree, phi, level)
            elif v0 + v1 > EPS ** 2:   # se stays the linearised one (R's); only the interval widens
                lo, hi = diff - t * np.sqrt(v0 + v1), diff + t * np.sqrt(v0 + v1)
            else:
                lo = hi = np.nan
        rows.append((m.name, name, b0, a1, diff, se, lo, hi, dfree, n[0], n[1], paired,
                     _verdict(lo, hi, m.lower_is_better)))
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _binary(y: pd.Series) -> bool:
    """True when every answer is 0 or 1 (a proportion)."""
    v = pd.to_numeric(y, errors="coerce").dropna()
    return bool(len(v)) and bool(v.isin((0, 1)).all())


def _newcombe_phi(rows: pd.DataFrame, y: str, id_col: str) -> float:
    """Newcombe's continuity-corrected φ of the paired 0/1 answers (module doc)."""
    wide = rows.pivot_table(index=id_col, columns="_round", values=y, aggfunc="first").dropna()
    if wide.shape[1] < 2 or not len(wide):
        return 0.0
    b, a = wide[0].to_numpy(dtype=float), wide[1].to_numpy(dtype=float)
    A, B = float(np.sum((b == 1) & (a == 1))), float(np.sum((b == 1) & (a == 0)))
    C, D = float(np.sum((b == 0) & (a == 1))), float(np.sum((b == 0) & (a == 0)))
    N = A + B + C + D
    margins = (A + B) * (C + D) * (A + C) * (B + D)
    if margins <= 0:
        return 0.0
    return max(A * D - B * C - N / 2, 0.0) / float(np.sqrt(margins))


def _mover_wilson(p0: float, p1: float, v0: float, v1: float, n: list, df: float, phi: float,
                  level: float) -> tuple[float, float]:
    """Newcombe's method-10 interval for p₁ − p₀ from each round's Wilson limits (module doc)."""
    from toolkit.survey.ci import wilson

    l0, u0 = (float(x) for x in wilson(p0, v0, n[0], df, level))
    l1, u1 = (float(x) for x in wilson(p1, v1, n[1], df, level))
    d = p1 - p0
    lo = d - np.sqrt(max((p1 - l1) ** 2 + (u0 - p0) ** 2 - 2 * phi * (p1 - l1) * (u0 - p0), 0.0))
    hi = d + np.sqrt(max((u1 - p1) ** 2 + (p0 - l0) ** 2 - 2 * phi * (u1 - p1) * (p0 - l0), 0.0))
    return float(lo), float(hi)


__all__ = ["change", "stack", "Measure", "CHANGE_COLUMNS", "ALL"]
