"""What the back-check comparison says: rates, flags, reliability, stability, coverage.

All on whole columns (groupby, numpy, scipy's vectorised distributions):

* **error rate** = different ÷ compared (pairs not compared — a side missing,
  "not known" — count in neither), by any grouping, split by type 1/2/3;
* **households above the threshold**: a household whose type-t error rate
  exceeds ``threshold_type<t>`` ([backcheck] in evaluation.toml);
* **flagged interviewers (and back-checkers)**: type-1 error rate above
  ``threshold_type1`` AND its households' type-1 error rates significantly
  above the other households': one-sided Mann–Whitney U test (this
  interviewer's households against all others', normal approximation with
  tie and continuity corrections), Holm-adjusted over the interviewers,
  flagged when the adjusted p < ``alpha``. Households, not items, are the
  independent units (one made-up household gives several differing items);
  Holm keeps the chance of flagging any honest interviewer in a round at
  most ``alpha``. Only households with ≥ MIN_ITEMS type-1 items compared
  (interviews) enter the test; a non-response re-checked for "was the
  household there" shows in the household list and the rates. Back-checkers get the same test (a careless one shows);
* **simple response variance** (numeric items): SRV = Σ(x₁ − x₂)² / (2n) over
  the n pairs with both numbers; total variance = (s₁² + s₂²)/2 (sample
  variances, ddof 1); reliability ratio = 1 − SRV / total variance; index of
  inconsistency = SRV / total variance (US Census Bureau reinterview
  convention: < 0.2 low, 0.2–0.5 moderate, > 0.5 high inconsistency);
* **paired tests of stability**: numbers and ordered scales (satisfaction
  1–5) — paired t (``scipy.stats.ttest_rel``) and Wilcoxon signed-rank
  (``scipy.stats.wilcoxon``, zero differences dropped); yes/no items —
  exact McNemar (``scipy.stats.binomtest`` on the discordant pairs). A small
  p says the answers moved between the visits in one direction;
* **coverage**: per interviewer the target of the draw (manifest), households
  drawn, back-checked, and back-checked ÷ target.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as sps

from toolkit.backcheck.settings import BackcheckSettings

TYPES = (1, 2, 3)
MIN_ITEMS = 2
"""A household enters the interviewer test with at least this many type-1 items
compared: a completed interview, not a non-response checked only for "was the
household there" (those differences are listed per household instead)."""


def rates(table: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Per group: compared, different, error_rate overall and per type
    (``compared_1``, ``different_1``, ``error_rate_1`` …)."""
    res = table["result"].astype(str)
    typ = table["type"].astype(int)
    comp = res.isin(("same", "different")).astype(np.int64)
    diff = res.eq("different").astype(np.int64)
    f = pd.DataFrame({b: (table[b].astype(int) if b == "type" else table[b].astype(object).where(table[b].notna(), ""))
                      for b in by})
    f["compared"], f["different"] = comp, diff
    for t in TYPES:   # one column per type, summed in the same groupby
        f[f"compared_{t}"] = comp * (typ == t)
        f[f"different_{t}"] = diff * (typ == t)
    if not by:
        f["_all"] = ""
        by = ["_all"]
    out = f.groupby(by, sort=True)[[c for c in f.columns if c not in by]].sum()
    for suffix in ("", "_1", "_2", "_3"):
        c = out[f"compared{suffix}"]
        out[f"error_rate{suffix}"] = out[f"different{suffix}"] / c.where(c > 0)
    out = out.reset_index()
    return out.drop(columns=["_all"], errors="ignore")


def households_above(table: pd.DataFrame, settings: BackcheckSettings) -> pd.DataFrame:
    """Households whose error rate of some type exceeds that type's threshold,
    with ``over`` naming the types (e.g. "1,2")."""
    r = rates(table, ["id", "team", "enumerator", "backchecker"])
    over = np.zeros(len(r), dtype=bool)
    which = pd.Series("", index=r.index)
    for t in TYPES:
        hit = (r[f"error_rate_{t}"] > settings.threshold(t)).fillna(False).to_numpy()
        over |= hit
        which = which.where(~hit, which + np.where(which == "", "", ",") + str(t))
    return r[over].assign(over=which[over]).reset_index(drop=True)


def holm(p: np.ndarray, family: np.ndarray | None = None) -> np.ndarray:
    """Holm step-down adjusted p-values within each ``family`` (one family when
    None); NaN stays NaN and does not count. Vectorised: sort by (family, p),
    m − rank + 1 multipliers, running maximum within the family."""
    p = np.asarray(p, dtype=float)
    fam = np.zeros(len(p), dtype=np.int64) if family is None else pd.factorize(np.asarray(family))[0]
    out = np.full(len(p), np.nan)
    ok = ~np.isnan(p)
    if not ok.any():
        return out
    f = pd.DataFrame({"fam": fam[ok], "p": p[ok], "pos": np.flatnonzero(ok)}).sort_values(
        ["fam", "p"], kind="mergesort")
    rank = f.groupby("fam").cumcount().to_numpy()
    m = f.groupby("fam")["p"].transform("size").to_numpy()
    f["adj"] = (m - rank) * f["p"].to_numpy()
    f["adj"] = f.groupby("fam")["adj"].cummax().clip(upper=1.0)
    out[f["pos"].to_numpy()] = f["adj"].to_numpy()
    return out


def mann_whitney_greater(values: np.ndarray, groups: np.ndarray, family: np.ndarray | None = None) -> pd.DataFrame:
    """One-sided Mann–Whitney U of each group's values against all the others
    in its family (H1: this group's values are larger), on whole columns:
    average ranks within the family computed once; U = R − n(n+1)/2; normal
    approximation with the tie correction and a continuity correction of ½ —
    what ``scipy.stats.mannwhitneyu(x, rest, alternative="greater",
    method="asymptotic")`` gives for each group. Returns n, U, z, p per
    (family, group)."""
    v = np.asarray(values, dtype=float)
    fam = np.zeros(len(v), dtype=np.int64) if family is None else np.asarray(family)
    f = pd.DataFrame({"fam": fam, "grp": np.asarray(groups), "v": v})
    f["rank"] = f.groupby("fam")["v"].rank(method="average")
    ties = f.groupby(["fam", "v"]).size()
    tie = (ties ** 3 - ties).groupby(level="fam").sum()
    big_n = f.groupby("fam").size()
    g = f.groupby(["fam", "grp"]).agg(n=("rank", "size"), r=("rank", "sum"))
    fam_of = g.index.get_level_values("fam")
    nn = big_n.reindex(fam_of).to_numpy(dtype=float)
    tt = tie.reindex(fam_of).to_numpy(dtype=float)
    n1 = g["n"].to_numpy(dtype=float)
    n2 = nn - n1
    u = g["r"].to_numpy() - n1 * (n1 + 1) / 2
    with np.errstate(all="ignore"):
        sd = np.sqrt(n1 * n2 / 12 * ((nn + 1) - tt / (nn * (nn - 1))))
        z = (u - n1 * n2 / 2 - 0.5) / sd
        pv = np.where((n1 > 0) & (n2 > 0) & (sd > 0), sps.norm.sf(z), np.nan)
    return pd.DataFrame({"n": n1.astype(int), "u": u, "z": z, "p": pv}, index=g.index)


def household_rates(table: pd.DataFrame, by: str = "enumerator", type_: int = 1,
                    family: str | None = None) -> pd.DataFrame:
    """Per (family, unit, household): type-``type_`` items compared (c) and different (d), and their rate."""
    t1 = table[table["type"].astype(int) == type_]
    res = t1["result"].astype(str)
    hh = pd.DataFrame({"fam": t1[family].astype(str).to_numpy() if family else "",
                       "unit": t1[by].astype(str).to_numpy(), "id": t1["id"].astype(str).to_numpy(),
                       "c": res.isin(("same", "different")).to_numpy(dtype=np.int64),
                       "d": res.eq("different").to_numpy(dtype=np.int64)})
    per = hh.groupby(["fam", "unit", "id"], sort=True)[["c", "d"]].sum()
    per = per[per["c"] > 0]
    return per.assign(rate=per["d"] / per["c"])


def flag_units(table: pd.DataFrame, settings: BackcheckSettings, by: str = "enumerator",
               family: str | None = None) -> pd.DataFrame:
    """Per interviewer (or back-checker, ``by="backchecker"``): type-1 item rates,
    households compared on type 1 and with a type-1 difference, the one-sided
    test of its households' type-1 error rates against all other households
    (:func:`mann_whitney_greater`), Holm-adjusted, and ``flagged`` (module doc).
    ``family``: a column whose values are separate rounds or projects (tests
    and the benchmark judge many at once); one family by default."""
    keys = [family, by] if family else [by]
    r = rates(table.assign(**{by: table[by].astype(str)}, **({family: table[family].astype(str)} if family else {})),
              keys).set_index(keys)
    out = r[["compared_1", "different_1", "error_rate_1"]].copy()
    per = household_rates(table, by, family=family)
    per = per[per["c"] >= MIN_ITEMS]   # interviews, not a lone "was the household there" answer
    per = per.assign(hit=(per["d"] > 0).astype(np.int64))
    g = per.groupby(level=["fam", "unit"]).agg(households=("c", "size"), households_different=("hit", "sum"))
    if len(per):
        mw = mann_whitney_greater(per["rate"].to_numpy(), per.index.get_level_values("unit").to_numpy(),
                                  per.index.get_level_values("fam").to_numpy())
        g["p_value"] = mw["p"].to_numpy() if mw.index.equals(g.index) else mw["p"].reindex(g.index).to_numpy()
    else:
        g["p_value"] = pd.Series(dtype=float)
    if not family:
        g.index = g.index.droplevel("fam")
    g.index.names = keys
    out = out.join(g, how="left")
    out[["households", "households_different"]] = out[["households", "households_different"]].fillna(0).astype(np.int64)
    fam_col = out.index.get_level_values(family).to_numpy() if family else None
    out["p_holm"] = holm(out["p_value"].to_numpy(), fam_col)
    out["flagged"] = ((out["error_rate_1"] > settings.threshold_type1) &
                      (out["p_holm"] < settings.alpha)).fillna(False).astype(bool)
    return out.reset_index()


def _numbers(s: pd.Series) -> pd.Series:
    """Numbers of a mixed column: one conversion per distinct value, then a hash lookup."""
    if pd.api.types.is_numeric_dtype(s):
        return s.astype(float)
    vals = pd.unique(s.dropna())
    num = pd.to_numeric(pd.Series(vals, dtype=object), errors="coerce")
    return s.map(dict(zip(vals, num.to_numpy(dtype=float)))).astype(float)


def _numeric_pairs(table: pd.DataFrame) -> pd.DataFrame:
    """Compared rows whose both sides are numbers (numbers and 1–5 scales)."""
    ok = table["result"].isin(("same", "different"))
    t = table[ok]
    x1, x2 = _numbers(t["original"]), _numbers(t["backcheck"])
    both = x1.notna() & x2.notna()
    return pd.DataFrame({"item": t["item"][both], "type": t["type"][both], "kind": t["kind"][both],
                         "x1": x1[both].astype(float), "x2": x2[both].astype(float)})


def reliability(table: pd.DataFrame) -> pd.DataFrame:
    """Per numeric item: n, means, SRV, total variance, reliability ratio,
    index of inconsistency (module doc); vectorised by groupby."""
    p = _numeric_pairs(table)
    p = p[p["kind"] == "number"]
    if not len(p):
        return pd.DataFrame(columns=["item", "type", "n", "mean_original", "mean_backcheck", "srv",
                                     "total_variance", "reliability", "inconsistency"])
    p = p.assign(sq=(p["x1"] - p["x2"]) ** 2)
    g = p.groupby(["item", "type"], sort=True)
    out = pd.DataFrame({"n": g.size(), "mean_original": g["x1"].mean(), "mean_backcheck": g["x2"].mean(),
                        "srv": g["sq"].sum() / (2 * g.size()),
                        "total_variance": (g["x1"].var(ddof=1) + g["x2"].var(ddof=1)) / 2})
    tv = out["total_variance"].where(out["total_variance"] > 0)
    out["inconsistency"] = out["srv"] / tv
    out["reliability"] = 1 - out["inconsistency"]
    return out.reset_index()


def paired_tests(table: pd.DataFrame) -> pd.DataFrame:
    """Per item: the paired test that fits (module doc) with statistic and p;
    ``test`` names it (t / wilcoxon / mcnemar) — one row per item and test."""
    rows = []
    p = _numeric_pairs(table)
    for (item, type_), g in p.groupby(["item", "type"], sort=True):
        d = (g["x2"] - g["x1"]).to_numpy()
        n = len(d)
        if n >= 2 and np.any(d != 0):
            tt = sps.ttest_rel(g["x2"], g["x1"])
            rows.append((item, type_, "t", n, float(np.mean(d)), float(tt.statistic), float(tt.pvalue)))
            w = sps.wilcoxon(d[d != 0]) if np.count_nonzero(d) >= 1 else None
            rows.append((item, type_, "wilcoxon", n, float(np.median(d)), float(w.statistic), float(w.pvalue)))
        else:
            rows.append((item, type_, "t", n, 0.0 if n else np.nan, np.nan, 1.0 if n else np.nan))
    ch = table[table["result"].isin(("same", "different")) & (table["kind"] == "choice")]
    ch = ch[pd.to_numeric(ch["original"], errors="coerce").isna()]
    for (item, type_), g in ch.groupby(["item", "type"], sort=True):
        a, b = g["original"].astype(str), g["backcheck"].astype(str)
        values = sorted(set(a) | set(b))
        if len(values) != 2:
            continue
        hi = "yes" if "yes" in values else values[-1]
        up = int(((a != hi) & (b == hi)).sum())
        down = int(((a == hi) & (b != hi)).sum())
        pv = float(sps.binomtest(up, up + down, 0.5).pvalue) if up + down else 1.0
        rows.append((item, type_, "mcnemar", len(g), (up - down) / len(g), float(up - down), pv))
    return pd.DataFrame(rows, columns=["item", "type", "test", "n", "shift", "statistic", "p_value"])


def coverage(picks: pd.DataFrame, targets: pd.DataFrame | None, checked: pd.DataFrame) -> pd.DataFrame:
    """Per interviewer: visits (the population), target, drawn, back-checked
    (a back-check submission used), coverage = back-checked ÷ target."""
    drawn = picks.groupby(picks["interviewer"].astype(str)).size() if len(picks) else pd.Series(dtype=int)
    done_ids = set(checked["archive_id"].astype(str)) if len(checked) else set()
    done = (picks[picks["archive_id"].astype(str).isin(done_ids)].groupby("interviewer").size()
            if len(picks) else pd.Series(dtype=int))
    extra = checked[~checked["archive_id"].astype(str).isin(set(picks["archive_id"].astype(str)))] \
        if len(picks) else checked
    idx = set(drawn.index) | set(targets.index if targets is not None else [])
    if len(checked):
        idx |= set(checked["enumerator"].astype(str))
    idx = sorted(idx)
    out = pd.DataFrame(index=pd.Index(idx, name="enumerator"))
    if targets is not None:
        out = out.join(targets)
    else:
        out["visits"], out["target"] = np.nan, np.nan
    out["drawn"] = drawn.reindex(out.index).fillna(0).astype(int)
    out["checked"] = done.reindex(out.index).fillna(0).astype(int)
    out["outside_draw"] = (extra.groupby(extra["enumerator"].astype(str)).size().reindex(out.index)
                           .fillna(0).astype(int) if len(extra) else 0)
    out["coverage"] = out["checked"] / out["target"].where(out["target"] > 0)
    return out.reset_index()


__all__ = ["rates", "households_above", "flag_units", "holm", "mann_whitney_greater", "household_rates",
           "reliability", "paired_tests", "coverage", "TYPES", "MIN_ITEMS"]
