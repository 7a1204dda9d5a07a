"""The six-aspect scorecard per county: estimate, interval, n, threshold, verdict.

Verdict of an estimate against its threshold t (shares 0–1, evaluation.toml
``[thresholds]``):

* direction ``max`` (错评率, 漏评率, 错退率, 漏退率: must stay below t):
  pass when the whole interval is below t (ci_high < t), fail when it is at
  or above t (ci_low ≥ t), inconclusive when it straddles t;
* direction ``min`` (match, coverage, approval …: must reach t): pass when
  ci_low ≥ t, fail when ci_high < t, inconclusive otherwise;
* a census indicator (no sampling error) has ci_low = ci_high = estimate;
* no threshold → "info"; no households in the denominator → "no_data";
* an estimate without an interval (undefined variance, e.g. a township with a
  single household under the ``average`` lonely-unit rule, or no degrees of
  freedom) → "no_interval" (无法判断（无区间）), never pass or fail; the
  ``reason`` column holds why (an i18n key of toolkit.i18n.survey, see
  :func:`toolkit.survey.ci.no_interval_reason`), shown beside the verdict.

Leadership-facing: the scorecard holds counties and rates only — no names, ID
numbers, phones or addresses, and no household rows.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.config import Thresholds
from toolkit.i18n import t
from toolkit.survey.ci import no_interval_reason
from toolkit.verify.indicators import ALL, ASPECTS, INDICATORS, Indicator

VERDICTS = ("pass", "fail", "inconclusive", "info", "no_data", "no_interval")


def verdict(estimate: np.ndarray, ci_low: np.ndarray, ci_high: np.ndarray, threshold: np.ndarray,
            direction: np.ndarray) -> np.ndarray:
    """Vectorised verdicts (see module doc); threshold NaN → info, estimate NaN →
    no_data, an estimate whose interval is NaN → no_interval."""
    est = np.asarray(estimate, dtype=float)
    lo = np.asarray(ci_low, dtype=float)
    hi = np.asarray(ci_high, dtype=float)
    th = np.asarray(threshold, dtype=float)
    mx = np.asarray(direction, dtype=object) == "max"
    with np.errstate(invalid="ignore"):
        pass_ = np.where(mx, hi < th, lo >= th)
        fail_ = np.where(mx, lo >= th, hi < th)
    out = np.where(pass_, "pass", np.where(fail_, "fail", "inconclusive")).astype(object)
    out = np.where(np.isnan(lo) | np.isnan(hi), "no_interval", out)
    out = np.where(np.isnan(th), "info", out)
    return np.where(np.isnan(est), "no_data", out)


def build(estimates: pd.DataFrame, thresholds: Thresholds, counties: list[str],
          indicators: tuple[Indicator, ...] = INDICATORS) -> pd.DataFrame:
    """One row per indicator × (全市 + each county), in DOMAIN.md's order, with
    threshold, direction and verdict; missing estimates appear as no_data."""
    order = [i.name for i in indicators]
    spec = {i.name: i for i in indicators}
    grid = pd.MultiIndex.from_product([order, [ALL, *counties]], names=["indicator", "county"]).to_frame(index=False)
    sc = grid.merge(estimates, on=["indicator", "county"], how="left")
    sc["aspect"] = sc["indicator"].map({k: v.aspect for k, v in spec.items()})
    sc["threshold"] = sc["indicator"].map(
        {k: (getattr(thresholds, v.threshold) if v.threshold else np.nan) for k, v in spec.items()}).astype(float)
    sc["direction"] = sc["indicator"].map({k: v.direction for k, v in spec.items()})
    sc["verdict"] = verdict(sc["estimate"], sc["ci_low"], sc["ci_high"], sc["threshold"], sc["direction"])
    sc["n"] = sc["n"].fillna(0).astype(np.int64)
    df = sc["df"] if "df" in sc else pd.Series(np.inf, index=sc.index)
    reason = no_interval_reason(sc["estimate"], sc["se"], df.fillna(np.inf))
    sc["reason"] = np.where(sc["verdict"] == "no_interval", reason, "")
    return sc[["aspect", "indicator", "county", "estimate", "ci_low", "ci_high", "se", "n", "threshold",
               "direction", "verdict", "method", "reason"]]


REVIEW_COLUMNS = ["estimate_as_found", "ci_low_as_found", "ci_high_as_found", "decisions"]


def with_review(after: pd.DataFrame, as_found: pd.DataFrame, moves: pd.DataFrame) -> pd.DataFrame:
    """The scorecard after the evaluators' review (``after``, its main
    columns) with the figures as found beside it (``estimate_as_found``,
    ``ci_low_as_found``, ``ci_high_as_found``) and ``decisions``: households
    whose value of that indicator a review decision changed (``moves``:
    indicator, county, decisions)."""
    keys = ["indicator", "county"]
    found = as_found[keys + ["estimate", "ci_low", "ci_high"]].rename(
        columns={"estimate": "estimate_as_found", "ci_low": "ci_low_as_found", "ci_high": "ci_high_as_found"})
    out = after.drop(columns=[c for c in REVIEW_COLUMNS if c in after]).merge(found, on=keys, how="left")
    out = out.merge(moves, on=keys, how="left")
    out["decisions"] = out["decisions"].fillna(0).astype(np.int64)
    return out


def verdict_text(scorecard: pd.DataFrame, lang: str = "zh") -> pd.Series:
    """The translated verdict of each row; "no_interval" is followed by its
    reason (无法判断（无区间）：方差无法估计……)."""
    text = scorecard["verdict"].map(lambda v: t(f"verify.verdict.{v}", lang))
    if "reason" not in scorecard:
        return text
    sep = t("verify.reason_sep", lang)
    why = scorecard["reason"].map(lambda k: sep + t(k, lang) if isinstance(k, str) and k else "")
    return text + why


def presentable(scorecard: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The scorecard with translated headers, indicator and aspect names, rates
    in percent (1 decimal) and translated verdicts; for csv/xlsx and printing."""
    zh = lang == "zh"
    spec = {i.name: i for i in INDICATORS}
    name = scorecard["indicator"].map({k: (v.zh if zh else v.en) for k, v in spec.items()})
    aspect = scorecard["aspect"].map({k: v[0 if zh else 1] for k, v in ASPECTS.items()})
    county = scorecard["county"].where(scorecard["county"] != ALL, t("verify.all_counties", lang))
    pct = lambda s: (s.astype(float) * 100).round(1)  # noqa: E731
    sign = scorecard["direction"].map({"max": "<", "min": "≥"}).fillna("")
    th = (sign + (scorecard["threshold"] * 100).round(1).astype("string") + "%").where(scorecard["threshold"].notna(), "")
    return pd.DataFrame({
        t("verify.col.aspect", lang): aspect, t("verify.col.indicator", lang): name,
        t("verify.col.county", lang): county, t("verify.col.estimate", lang): pct(scorecard["estimate"]),
        t("verify.col.ci_low", lang): pct(scorecard["ci_low"]), t("verify.col.ci_high", lang): pct(scorecard["ci_high"]),
        t("verify.col.n", lang): scorecard["n"], t("verify.col.threshold", lang): th,
        t("verify.col.verdict", lang): verdict_text(scorecard, lang),
    } | _review_columns(scorecard, lang, pct))


def _review_columns(scorecard: pd.DataFrame, lang: str, pct) -> dict:  # noqa: ANN001
    """The figures as found and the households review changed, when the
    scorecard has them (toolkit.verify.run.apply_review)."""
    if not set(REVIEW_COLUMNS) <= set(scorecard.columns):
        return {}
    lo, hi = pct(scorecard["ci_low_as_found"]), pct(scorecard["ci_high_as_found"])
    ci = ("[" + lo.astype("string") + ", " + hi.astype("string") + "]").fillna("")
    return {t("review.col.as_found", lang): pct(scorecard["estimate_as_found"]),
            t("review.col.as_found_ci", lang): ci,
            t("review.col.decisions", lang): scorecard["decisions"].astype(np.int64)}


def write(scorecard: pd.DataFrame, out_dir: str | Path, lang: str = "zh") -> tuple[Path, Path]:
    """Write ``scorecard.csv`` and ``scorecard.xlsx`` (translated, see
    :func:`presentable`) into ``out_dir``; return both paths."""
    from toolkit.ingest.quality_xlsx import write_sheets
    from toolkit.tables import write_table

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    table = presentable(scorecard, lang)
    csv = write_table(table, out / "scorecard.csv")
    # the workbook write_table would write (one sheet, neutralised, sized), through xlsxwriter: seconds at 300 counties
    xlsx = write_sheets(out / "scorecard.xlsx", {t("verify.sheet", lang): table})
    return csv, xlsx


def render(scorecard: pd.DataFrame, lang: str = "zh", planted: pd.DataFrame | None = None) -> str:
    """The scorecard as text for the terminal: one block per indicator, one
    line per county; with ``planted`` (county, indicator, rate) a column with
    the planted truth beside the estimate."""
    spec = {i.name: i for i in INDICATORS}
    zh = lang == "zh"
    truth = {} if planted is None else {(r.county, r.indicator): r.rate for r in planted.itertuples()}
    lines = []
    head = t("verify.render_head", lang)
    if planted is not None:
        head += t("verify.render_truth", lang)
    for ind, grp in scorecard.groupby("indicator", sort=False):
        s = spec[ind]
        asp = ASPECTS[s.aspect][0 if zh else 1]
        th = grp["threshold"].iloc[0]
        th_txt = "" if np.isnan(th) else f"  ({'<' if s.direction == 'max' else '≥'}{th * 100:.1f}%)"
        lines.append(f"\n[{asp}] {s.zh if zh else s.en}{th_txt}")
        lines.append(head)
        texts = verdict_text(grp, lang)
        for r, vtext in zip(grp.itertuples(), texts):
            cname = t("verify.all_counties", lang) if r.county == ALL else r.county
            if np.isnan(r.estimate):
                est = "      –"
                ci = " " * 17
            else:
                est = f"{r.estimate * 100:6.1f}%"
                ci = f"[{r.ci_low * 100:5.1f}, {r.ci_high * 100:5.1f}]"
            line = f"  {cname:<6}\t{est} {ci} {r.n:>6}  {vtext}"
            if planted is not None:
                tv = truth.get((r.county, ind))
                line += "" if tv is None or np.isnan(tv) else f"\t{tv * 100:6.1f}%"
            lines.append(line)
    return "\n".join(lines)


__all__ = ["verdict", "verdict_text", "build", "with_review", "REVIEW_COLUMNS", "presentable", "write", "render", "VERDICTS"]
