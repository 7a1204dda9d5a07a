"""DOMAIN.md's indicators, estimated with the sample's own design.

Design (from the sample's manifest or :class:`toolkit.sampling.Sample`):

* **Two-stage** (townships by PPS, then households by tickets). A selected
  PSU *i* of stratum *h* has first-stage probability π1ᵢ and Mᵢ frame
  households. The released households of a PSU (selected ones, then reserves
  strictly in ticket order) are an equal-probability random subset of its
  households, so the rᵢ that were interviewed are treated as a simple random
  sample of the PSU (non-response missing at random within the PSU): the
  weight of each is ``w = Mᵢ / (π1ᵢ · rᵢ)`` (households). This is the
  weighting-class non-response adjustment with the PSU as the class;
  refusals, not-at-home and moved households never get a weight and are not
  replaced by neighbours. Variance: ultimate clusters (PSUs with
  replacement within strata, R ``svydesign(ids=~psu, strata=~stratum,
  weights=~w)``), except certainty PSUs (π1 = 1), which become their own
  stratum with households as PSUs and the finite-population correction
  Mᵢ.
* **One-stage** (stratified SRSWOR or systematic): ``w = N_h / r_h`` with
  the r_h respondents of stratum h, fpc N_h.

Estimates come from :class:`toolkit.survey.Design`: proportions (households)
with Wilson score 95 % intervals at the effective sample size p(1−p)/se²,
capped at n (at 0 or 100 % events: n divided by the design effect borrowed
from the same indicator city-wide, see toolkit.survey.ci; an undefined
variance gives no interval, which the scorecard shows as 无法判断（无区间）)
with the design's t critical value
(``DEFAULT_CI``; ``ci="korn-graubard"`` gives R's svyciprop "beta"
intervals, which are conservative for the rare events of this table: they
covered the planted rates of 错评/漏评/错退/漏退 in ~98.5 % of simulated
evaluations against ~96 % for Wilson), the payment indicators as ratios of totals
(payments received in full ÷ payments checked; yuan received ÷ yuan in the
ledger). Both are shares in [0, 1] whose sampling distribution is skewed when
shortfalls are rare, so their interval is the same Korn–Graubard interval as
the proportions, at the effective number of payments (p(1−p)/se², the number
of payments checked when p is 0 or 1) instead of the symmetric t interval
(which collapses to [1, 1] when no shortfall is seen). Each indicator is estimated over
its own denominator (a domain: e.g. 在档 households for 错评率), per county
and for the whole city ("全市"). Households whose verdict could not be
determined (NaN) are left out of that indicator's denominator.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.survey import Design
from toolkit.survey import ci as _ci

ALL = "全市"
DEFAULT_CI = "wilson"


@dataclass(frozen=True)
class Indicator:
    """One row of DOMAIN.md's table.

    kind: ``proportion`` of ``var`` (0/1) over households of ``domain``
    (a boolean column of the households frame, or None: every household with
    a value); ``ratio`` of totals ``num`` ÷ ``den``; ``census`` (from the
    roster, not the sample). direction: ``max`` (the rate must stay below the
    threshold) or ``min`` (must reach it). threshold: a Thresholds attribute.
    """

    name: str
    aspect: str
    zh: str
    en: str
    kind: str
    var: str = ""
    num: str = ""
    den: str = ""
    domain: str | None = None
    count: str = ""
    threshold: str | None = None
    direction: str = "min"


INDICATORS: tuple[Indicator, ...] = (
    Indicator("wrong_inclusion", "targeting", "错评率", "Wrong-inclusion rate", "proportion",
              var="wrong_inclusion", threshold="wrong_inclusion_rate_max", direction="max"),
    Indicator("missed", "targeting", "漏评率", "Missed rate", "proportion", var="missed",
              threshold="missed_rate_max", direction="max"),
    Indicator("archive_match", "targeting", "建档信息比对率", "Archive match rate", "proportion",
              var="archive_match", threshold="archive_match_rate_min"),
    Indicator("needs_identified", "needs", "需求识别准确率", "Needs identification rate", "proportion",
              var="needs_identified", threshold="needs_identification_rate_min"),
    Indicator("helper_coverage", "mechanism", "结对帮扶覆盖率", "Helper coverage rate", "proportion",
              var="helper_coverage", threshold="helper_coverage_rate_min"),
    Indicator("funds_in_full", "funds", "资金到户率", "Funds-to-household rate", "ratio",
              num="pay_full", den="pay_checked", count="pay_checked", threshold="funds_to_household_rate_min"),
    Indicator("funds_amount", "funds", "资金到户金额比", "Amount received ÷ ledger", "ratio",
              num="pay_received", den="pay_ledger", count="kish:pay_ledger"),
    Indicator("data_completeness", "data", "数据完整率", "Data completeness rate", "census",
              threshold="data_completeness_rate_min"),
    Indicator("wrong_exit", "outcomes", "错退率", "Wrong-exit rate", "proportion", var="wrong_exit",
              threshold="wrong_exit_rate_max", direction="max"),
    Indicator("missed_exit", "outcomes", "漏退率", "Missed-exit rate", "proportion", var="missed_exit",
              threshold="missed_exit_rate_max", direction="max"),
    Indicator("approval", "approval", "满意度（认可度）", "Approval rate", "proportion", var="approval",
              threshold="approval_rate_min"),
    Indicator("fairness", "approval", "识别公平认可度", "Approval of fair identification", "proportion",
              var="fairness"),
    Indicator("overall_precision", "overall", "综合精准率", "Overall precision rate", "proportion",
              var="overall_precision", threshold="overall_precision_rate_min"),
)
ASPECTS = {"targeting": ("帮扶对象准不准", "Targeting"), "needs": ("脱困需求清不清", "Needs"),
           "mechanism": ("帮扶机制实不实", "Mechanism"), "funds": ("资金使用准不准", "Funds"),
           "data": ("指标数据全不全", "Data"), "outcomes": ("脱困成效真不真", "Outcomes"),
           "approval": ("满意度", "Approval"), "overall": ("综合", "Overall")}

ESTIMATE_COLUMNS = ["indicator", "county", "estimate", "se", "ci_low", "ci_high", "n", "df", "method"]


def design_weights(households: pd.DataFrame, units: pd.DataFrame, *, psus: pd.DataFrame | None = None,
                   strata_sizes: dict[str, int] | None = None) -> pd.DataFrame:
    """The households frame with design columns ``_stratum``, ``_psu``, ``_w``
    (households per interviewed household) and ``_fpc`` (inf = with
    replacement), from the sample's units (+ released reserves) and PSU table
    (see the module doc). Households not in the sample are dropped.

    ``units``: archive_id, stratum, psu of every released household (selected
    and reserves); ``psus``: stratum, psu, households (Mᵢ), pi1 (two-stage);
    ``strata_sizes``: N_h per stratum (one-stage).
    """
    u = units.drop_duplicates("archive_id").set_index("archive_id")
    hh = households[households["archive_id"].isin(u.index)].copy()
    hh["_stratum"] = hh["archive_id"].map(u["stratum"]).astype(str).to_numpy()
    hh["_psu"] = hh["archive_id"].map(u["psu"]).astype(str).to_numpy()
    w = np.full(len(hh), np.nan)
    fpc = np.full(len(hh), np.nan)
    stratum = hh["_stratum"].to_numpy(dtype=object).copy()
    psu = hh["_psu"].to_numpy(dtype=object).copy()
    ids = hh["archive_id"].astype(str).to_numpy(dtype=object)
    two = np.zeros(len(hh), dtype=bool)
    if psus is not None and len(psus):
        p = psus.assign(stratum=psus["stratum"].astype(str), psu=psus["psu"].astype(str))
        p = p.set_index(["stratum", "psu"])
        idx = pd.MultiIndex.from_arrays([hh["_stratum"], hh["_psu"]])
        M = p["households"].reindex(idx).to_numpy(dtype=float)
        pi1 = p["pi1"].reindex(idx).to_numpy(dtype=float)
        two = ~np.isnan(M)
        r = hh.groupby(["_stratum", "_psu"])["archive_id"].transform("size").to_numpy(dtype=float)
        cert = two & (pi1 >= 1 - 1e-9)
        w = np.where(two, M / (pi1 * r), w)
        fpc = np.where(cert, M, np.where(two, np.inf, fpc))
        stratum = np.where(cert, stratum + "|" + psu, stratum)
        psu = np.where(cert, ids, psu)
    one = ~two
    if one.any():
        sizes = pd.Series(strata_sizes or {}, dtype=float)
        N = hh["_stratum"].map(sizes).to_numpy(dtype=float)
        r = hh.groupby("_stratum")["archive_id"].transform("size").to_numpy(dtype=float)
        w = np.where(one, N / r, w)
        fpc = np.where(one, N, fpc)
        psu = np.where(one, ids, psu)
    hh["_w"], hh["_fpc"], hh["_stratum"], hh["_psu"] = w, fpc, stratum, psu
    if hh["_w"].isna().any():
        bad = hh.loc[hh["_w"].isna(), "archive_id"].iloc[0]
        raise ValueError(f"no design information for sampled household {bad}")
    return hh.reset_index(drop=True)


def _design(frame: pd.DataFrame) -> Design:
    return Design(frame, strata="_stratum", psu="_psu", weights="_w", fpc="_fpc", lonely_psu="adjust")


def _tidy(res: pd.DataFrame, name: str, county: str | None, method: str, clip: bool) -> pd.DataFrame:
    lo, hi = res["ci_low"].to_numpy(dtype=float), res["ci_high"].to_numpy(dtype=float)
    if clip:
        lo, hi = np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)
    return pd.DataFrame({"indicator": name,
                         "county": res[county].astype(str).to_numpy() if county else ALL,
                         "estimate": res["estimate"].to_numpy(dtype=float), "se": res["se"].to_numpy(dtype=float),
                         "ci_low": lo, "ci_high": hi, "n": res["n"].to_numpy(dtype=np.int64),
                         "df": res["df"].to_numpy(dtype=float), "method": method})


def _units(frame: pd.DataFrame, has: np.ndarray, den: str, by: str | None, res: pd.DataFrame) -> np.ndarray:
    """Units behind a ratio per domain of ``res`` (a Design result): Σ den
    (e.g. payments checked), or for ``kish:<col>`` the effective number of
    payments of a yuan-weighted share, (Σ amount)² ÷ Σ amount² (Kish), from
    the column and its ``<col>_sq``."""
    if den.startswith("kish:"):
        col = den[5:]
        a = frame.loc[has, col].astype(float)
        a2 = frame.loc[has, f"{col}_sq"].astype(float)
        if by is None:
            return np.full(len(res), a.sum() ** 2 / a2.sum())
        g = frame.loc[has, by].astype(str)
        k = a.groupby(g).sum() ** 2 / a2.groupby(g).sum()
        return res[by].astype(str).map(k).to_numpy(dtype=float)
    x = frame.loc[has, den].astype(float)
    if by is None:
        return np.full(len(res), x.sum())
    tot = x.groupby(frame.loc[has, by].astype(str)).sum()
    return res[by].astype(str).map(tot).to_numpy(dtype=float)


def estimate(frame: pd.DataFrame, indicators: tuple[Indicator, ...] = INDICATORS, *,
             ci: str = DEFAULT_CI, level: float = 0.95) -> pd.DataFrame:
    """Design-based estimates of every sample indicator, per county and 全市.

    ``frame``: :func:`design_weights` output. Returns ESTIMATE_COLUMNS; census
    indicators are left out (see toolkit.verify.scorecard).
    """
    design = _design(frame)
    out = []
    for ind in indicators:
        if ind.kind == "census":
            continue
        if ind.kind == "proportion":
            has = frame[ind.var].notna().to_numpy()
            if ind.domain:
                has &= frame[ind.domain].to_numpy(dtype=bool)
            if not has.any():
                continue
            d = design.subset(has)
            for by in ("county", None):
                r = d.proportion(ind.var, by=by, ci=ci, level=level)
                out.append(_tidy(r, ind.name, by, f"design:{ci}", clip=False))
        else:
            has = frame[ind.den].notna().to_numpy() & (frame[ind.den].fillna(0).to_numpy() > 0)
            if not has.any():
                continue
            d = design.subset(has)
            for by in ("county", None):
                r = d.ratio(ind.num, ind.den, by=by, level=level)
                n_units = _units(frame, has, ind.count or ind.den, by, r)
                if ci in ("korn-graubard", "wilson", "logit", "xlogit", "asin"):
                    lo, hi = _ci.proportion_ci(ci, r["estimate"].to_numpy(float), r["se"].to_numpy(float) ** 2,
                                               n_units, r["df"].to_numpy(float), level)
                    r = r.assign(ci_low=lo, ci_high=hi)
                out.append(_tidy(r, ind.name, by, f"design:ratio-{ci}", clip=True))
    if not out:
        return pd.DataFrame(columns=ESTIMATE_COLUMNS)
    return pd.concat(out, ignore_index=True)[ESTIMATE_COLUMNS]


def _counties_at(county: pd.Series, rows: pd.Series) -> pd.Series:
    """The county (object values, NaN where missing) of each roster row label
    in ``rows``: ``rows.map(county as a Series on the roster's index)``, NaN
    for a label not in the index. A roster on its default index (0 … n−1,
    as read) with whole-number labels is answered by position (``take``)
    instead of building a 5.5M-label map."""
    labels = pd.Series(rows.to_numpy())
    idx = county.index
    whole = pd.api.types.is_integer_dtype(labels.dtype)
    if not (whole and isinstance(idx, pd.RangeIndex) and idx.start == 0 and idx.step == 1):
        return labels.map(pd.Series(county.astype(object).to_numpy(), index=idx))
    at = labels.to_numpy(dtype=np.int64)
    inside = (at >= 0) & (at < len(county))
    out = np.full(len(at), np.nan, dtype=object)
    if inside.any():
        got = county.take(at[inside]).astype(object)
        out[inside] = got.where(got.notna(), np.nan).to_numpy(dtype=object)
    return pd.Series(out, dtype=object)


def data_completeness(roster: pd.DataFrame, problems: pd.DataFrame, required: tuple[str, ...]) -> pd.DataFrame:
    """Census indicator 数据完整率 per county and 全市::

        rate = 1 − (required cells with an error) ÷ (households × required fields)

    A cell has an error when the roster problems table (toolkit.roster.validate)
    holds an error-severity problem on that row and required column (blank,
    unparseable, failed check such as an ID check character). ``problems.row``
    is the roster frame's index.
    """
    req = [c for c in required]
    p = problems[(problems["severity"] == "error") & problems["column"].isin(req)]
    p = p.drop_duplicates(["row", "column"])
    county = roster["county"] if "county" in roster else pd.Series("", index=roster.index, dtype=object)
    bad = _counties_at(county, p["row"]).fillna("?").value_counts()
    text = pd.api.types.is_string_dtype(county.dtype)   # Arrow text counted as it is (no 5.5M Python strings)
    hh = (county if text else county.astype(object)).value_counts()
    rows = []
    for c, n in hh.items():
        cells = n * len(req)
        rows.append((c, 1.0 - bad.get(c, 0) / cells, int(n)))
    total = len(roster) * len(req)
    rows.append((ALL, 1.0 - len(p) / total if total else np.nan, len(roster)))
    out = pd.DataFrame(rows, columns=["county", "estimate", "n"])
    out.insert(0, "indicator", "data_completeness")
    out["se"] = 0.0
    out["ci_low"] = out["estimate"]
    out["ci_high"] = out["estimate"]
    out["df"] = np.nan
    out["method"] = "census"
    return out[ESTIMATE_COLUMNS]


__all__ = ["Indicator", "INDICATORS", "ASPECTS", "ALL", "design_weights", "estimate", "data_completeness"]
