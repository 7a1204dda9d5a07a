"""Tables computed once per verification and stored with its results, so the
report, the notebooks and the dashboards show the same numbers.

* :func:`response_rates` — AAPOR RR1 per county and 全市 from the sample's
  released units and the field's dispositions;
* :func:`findings_by_type` — households checked and flagged per finding and
  county (the payment check included), over the drawn sample only;
* :func:`satisfaction_tables` — the satisfaction scale: reliability
  (Cronbach's α), design-weighted top-two-box and 0–100 scores, and the
  design-weighted answer distribution per item and county.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.scoring import Scale
from toolkit.verify.indicators import ALL

SAT_ITEMS = ("sat_overall", "sat_fairness", "sat_exit", "sat_cadres")
RESPONSE_COLUMNS = ["county", "released", "completed", "refused", "non_contact", "other", "not_eligible",
                    "unknown", "rr1"]
FINDINGS_COLUMNS = ["finding", "county", "checked", "flagged", "rate"]


def _county_of(stratum: pd.Series) -> pd.Series:
    return stratum.astype(str).str.split("|").str[-1]


def response_rates(manifest: dict, dispositions: pd.DataFrame | None, counties: list[str]) -> pd.DataFrame:
    """RR1 per county and 全市 (RESPONSE_COLUMNS; rr1 a share, NaN when
    undefined). Without dispositions the table is empty: the caller says
    that completed visits are taken as the respondents.

    One pass (national size: 300 counties): the dispositions are validated
    once for the whole sample (``check_dispositions``: every per-county rule
    follows from the whole's, plus a replacement named in another county's
    row, refused as each county's own check refused it), then each county's
    released units, AAPOR classes and unknowns are counted by group; the
    figures are those of ``response_rate`` on each county's own units,
    reserves and dispositions (tests/sampling/test_response_rates_counties.py,
    tests/project/test_response_rates_one_pass.py)."""
    from toolkit.errors import UserError
    from toolkit.sampling.manifest import design_of
    from toolkit.sampling.reserves import check_dispositions
    from toolkit.sampling.select import Sample

    if dispositions is None or not len(dispositions):
        return pd.DataFrame(columns=RESPONSE_COLUMNS)
    units = pd.DataFrame(manifest.get("selected", []))
    reserves = pd.DataFrame(manifest.get("reserves", []))
    if not len(units):
        units = pd.DataFrame({"archive_id": pd.Series(dtype=object), "stratum": pd.Series(dtype=object)})
    if not len(reserves):
        reserves = pd.DataFrame({"archive_id": pd.Series(dtype=object), "stratum": pd.Series(dtype=object)})
    design = design_of(manifest)
    d = dispositions.assign(archive_id=dispositions["archive_id"].astype(str).str.strip())
    whole = Sample(design=design, allocation=None, units=units, reserves=reserves, psus=None, population=0)  # type: ignore[arg-type]
    d = check_dispositions(whole, d).reset_index(drop=True)   # validation, role and AAPOR class: once
    stratum = pd.concat([units.set_index("archive_id")["stratum"], reserves.set_index("archive_id")["stratum"]])
    county_of = _county_of(stratum)
    county_of = county_of[~county_of.index.duplicated(keep="first")]
    d_county = d["archive_id"].map(county_of)
    # released: the selected units, reserves with a disposition, reserves named in replaced_by
    rel = [pd.DataFrame({"county": _county_of(units["stratum"]).to_numpy(), "id": units["archive_id"].to_numpy()}),
           pd.DataFrame({"county": d_county[d["role"] == "reserve"].to_numpy(),
                         "id": d.loc[d["role"] == "reserve", "archive_id"].to_numpy()})]
    if "replaced_by" in d:
        rep = d["replaced_by"].dropna().astype(str).str.strip()
        rep = rep[rep != ""]
        own = rep.map(county_of)
        wrong = own.to_numpy() != d_county[rep.index].to_numpy()   # each county's check knew its own reserves only
        if wrong.any():
            raise UserError("sampling.unknown_unit", id=rep[wrong].iloc[0])
        rel.append(pd.DataFrame({"county": d_county[rep.index].to_numpy(), "id": rep.to_numpy()}))
    released = pd.concat(rel, ignore_index=True).drop_duplicates()
    last = d.assign(county=d_county).drop_duplicates("archive_id", keep="last")[["county", "archive_id", "aapor"]]
    known = released.merge(last.rename(columns={"archive_id": "id"})[["county", "id"]], on=["county", "id"],
                           how="left", indicator=True)
    classes = ("I", "R", "NC", "O", "NE")

    def counts(rel_key: pd.Series, unk_key: pd.Series, cls_key: pd.Series, cls: pd.Series) -> pd.DataFrame:
        out = pd.DataFrame({"released": rel_key.value_counts(),
                            "unknown": unk_key.value_counts()})
        tab = pd.crosstab(cls_key, cls).reindex(columns=list(classes), fill_value=0)
        return out.join(tab, how="outer").fillna(0).astype(int)

    unknown = known["_merge"] == "left_only"
    by_county = counts(released["county"], known.loc[unknown, "county"], last["county"], last["aapor"])
    all_key = pd.Series(ALL, index=released.index)
    whole_tab = counts(all_key, all_key[unknown.to_numpy()], pd.Series(ALL, index=last.index), last["aapor"])
    rows = []
    for name in [ALL, *counties]:
        tab = whole_tab if name == ALL else by_county
        r = tab.loc[name] if name in tab.index else pd.Series(0, index=["released", "unknown", *classes])
        i, rr, nc, o, ne, unk = (int(r[k]) for k in (*classes, "unknown"))
        denom = i + rr + nc + o + unk
        rows.append((name, int(r["released"]), i, rr, nc, o, ne, unk, (i / denom) if denom else np.nan))
    return pd.DataFrame(rows, columns=RESPONSE_COLUMNS)


def evidence_with_payments(evidence: pd.DataFrame, households: pd.DataFrame) -> pd.DataFrame:
    """The evidence table plus one ``payment_short`` row per household with
    ledger payments checked (flagged when any was short or not received)."""
    ev = evidence[["archive_id", "county", "finding", "flagged", "archive_value", "visit_value"]]
    has = households["pay_checked"].fillna(0) > 0 if "pay_checked" in households else \
        pd.Series(False, index=households.index)
    pay = households[has]
    if len(pay):
        rows = pd.DataFrame({
            "archive_id": pay["archive_id"], "county": pay["county"], "finding": "payment_short",
            "flagged": (pay["pay_full"] < pay["pay_checked"]).to_numpy(),
            "archive_value": pay["pay_ledger"].round(0).astype("Int64").astype("string"),
            "visit_value": pay["pay_received"].round(0).astype("Int64").astype("string")})
        ev = pd.concat([ev, rows], ignore_index=True)
    return ev


def findings_by_type(evidence: pd.DataFrame, households: pd.DataFrame) -> pd.DataFrame:
    """finding, county (incl. 全市), checked (households in the finding's
    denominator), flagged, rate — untranslated, not suppressed."""
    ev = evidence_with_payments(evidence, households)
    if not len(ev):
        return pd.DataFrame(columns=FINDINGS_COLUMNS)
    ev = ev.assign(flagged=ev["flagged"].astype(bool))
    g = ev.groupby(["finding", "county"])["flagged"].agg(checked="size", flagged="sum").reset_index()
    a = ev.groupby("finding")["flagged"].agg(checked="size", flagged="sum").reset_index().assign(county=ALL)
    out = pd.concat([a, g], ignore_index=True)
    out["flagged"] = out["flagged"].astype(int)
    out["rate"] = out["flagged"] / out["checked"]
    return out[FINDINGS_COLUMNS]


def satisfaction_scale() -> Scale:
    """The G1–G4 satisfaction scale of the household visit (1–5, 8/9 missing)."""
    return Scale("satisfaction", items=SAT_ITEMS, min_answered=2)


def satisfaction_answers(frame: pd.DataFrame, submissions: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (households with design columns) with the satisfaction answers
    of their submissions as numbers (select_one names "1" … "5", "8", "9")."""
    sat_cols = [c for c in submissions.columns if str(c).startswith("sat_")]
    answers = submissions[["KEY", *sat_cols]].copy()
    for c in sat_cols:
        answers[c] = pd.to_numeric(answers[c], errors="coerce")
    return frame.merge(answers, on="KEY", how="left", suffixes=("", "_answer"))


def _distribution(item: str, v: np.ndarray, w: np.ndarray, county: np.ndarray) -> list[tuple]:
    """Rows (item, county or 全市, answer 1–5, count, share) of one item: count
    = valid answers with that code, share = Σw[answer] ÷ Σw[valid] (NaN when
    Σw is not positive). Each sum is numpy's over the same weights in the
    same order as masking them would give (so the same float, bit for bit):
    the rows are sorted once, stably, by county (then by answer) and every
    group is a contiguous slice, instead of a mask over every household for
    each county × answer (300 counties × 5 answers × 8 items)."""
    names = sorted(set(county))
    valid = ~np.isnan(v)
    out = []
    tw = w[valid].sum()
    for code in range(1, 6):
        hit = valid & (v == code)
        out.append((item, ALL, code, int(hit.sum()), float(w[hit].sum() / tw) if tw > 0 else np.nan))
    rows = np.flatnonzero(valid)
    cidx = pd.Categorical(county[rows], categories=names).codes.astype(np.int64)
    by_c = rows[np.argsort(cidx, kind="stable")]                   # each county's valid rows, in order
    c_start = np.searchsorted(np.sort(cidx), np.arange(len(names) + 1))
    vv = v[rows]
    by_cv = rows[np.lexsort((vv, cidx))]                             # then by answer, in order (stable)
    keys = np.stack([cidx, vv])[:, np.lexsort((vv, cidx))]
    for i, name in enumerate(names):
        tw = w[by_c[c_start[i]:c_start[i + 1]]].sum()
        for code in range(1, 6):
            a = c_start[i] + np.searchsorted(keys[1, c_start[i]:c_start[i + 1]], code, side="left")
            b = c_start[i] + np.searchsorted(keys[1, c_start[i]:c_start[i + 1]], code, side="right")
            out.append((item, name, code, int(b - a), float(w[by_cv[a:b]].sum() / tw) if tw > 0 else np.nan))
    return out


def satisfaction_tables(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Satisfaction over registered interviewed households of ``frame``
    (:func:`satisfaction_answers`), all design-weighted except α:

    ``reliability`` (alpha, standardized_alpha, n, k); ``items`` (item, mean,
    sd, item_total_r, alpha_if_deleted); ``estimates`` (measure, county,
    estimate, ci_low, ci_high, n); ``distribution`` (item, county, answer
    1–5, count = valid answers, share = Σw[answer] ÷ Σw[valid]).
    Empty dict when the items are missing or nobody answered."""
    from toolkit.survey import Design

    scale = satisfaction_scale()
    f = frame[frame["status"].astype("string").ne("非建档").fillna(True)].reset_index(drop=True) \
        if "status" in frame else frame.reset_index(drop=True)
    if any(i not in f for i in SAT_ITEMS) or not len(f):
        return {}
    rel = scale.reliability(f)
    d = Design(f, strata="_stratum", psu="_psu", weights="_w", fpc="_fpc", lonely_psu="adjust")
    parts = []
    for by in ("county", None):
        e = scale.estimate(d, by=by)
        parts.append(e.assign(county=e["county"].astype(str) if by else ALL))
    est = pd.concat(parts, ignore_index=True)[["measure", "county", "estimate", "ci_low", "ci_high", "n"]]
    clean = scale.clean(f)
    w = f["_w"].to_numpy(dtype=float)
    county = f["county"].astype(str).to_numpy()
    dist = []
    for it in SAT_ITEMS:
        dist += _distribution(it, clean[it].to_numpy(dtype=float), w, county)
    return {
        "reliability": pd.DataFrame([{"alpha": rel.alpha, "standardized_alpha": rel.standardized_alpha,
                                      "n": rel.n, "k": rel.k}]),
        "items": rel.items,
        "estimates": est,
        "distribution": pd.DataFrame(dist, columns=["item", "county", "answer", "count", "share"]),
    }


__all__ = ["response_rates", "findings_by_type", "evidence_with_payments", "satisfaction_tables",
           "satisfaction_answers", "satisfaction_scale", "SAT_ITEMS", "RESPONSE_COLUMNS", "FINDINGS_COLUMNS"]
