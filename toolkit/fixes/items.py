"""The fix list's items, generated from the STORED results (never recomputed).

One item per county for each of:

* an indicator whose verdict is fail, inconclusive or no interval (the
  scorecard after review, ``Project.results().scorecard``): the households
  concerned are those with a confirmed finding behind the indicator
  (toolkit.report.content.FIX_FINDINGS), none for an indicator without
  household findings (satisfaction, data);
* a finding type with households still flagged after the evaluators' review
  (overturned findings and rejected submissions no longer count): the count
  and those households;
* a document-review checklist item partly met or not met
  (toolkit.fixes.checklist.unmet): no households.

Households are the union's OWN archive ids (``archive_id`` of its roster), so
that the union can act on them; no name, ID number, phone or address is read.
An item's number (``ZG<area code>-<I|F|C><6 hex>``, SHA-256 of kind and
subject) is the same in every export of the round, so a filled plan can be
read back against it.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from toolkit.i18n import t
from toolkit.verify.indicators import ALL, ASPECTS, INDICATORS

STATUSES = ("open", "in_progress", "done", "verified")
"""未开始 → 整改中 → 已完成 → 已核实: a status only moves forward."""
RANK = {s: i for i, s in enumerate(STATUSES)}
KINDS = ("indicator", "finding", "checklist")
BAD_VERDICTS = ("fail", "inconclusive", "no_interval")
COLUMNS = ["item_id", "county", "county_code", "kind", "subject", "indicator", "what", "n_households", "households"]
SEP = "、"


def round_words(name: str, lang: str) -> str:
    """A round's name as people read it: the name given in evaluation.toml
    (``[project] round``), or "unnamed round" for the default."""
    return t("fixes.round_unnamed", lang) if str(name) in ("", "current") else str(name)


def item_id(county_code: str, kind: str, subject: str) -> str:
    """The stable item number of (county, kind, subject)."""
    h = hashlib.sha256(f"{kind}|{subject}".encode()).hexdigest()[:6].upper()
    return f"ZG{county_code}-{kind[0].upper()}{h}"


def meant_to_move(finding: pd.Series) -> pd.Series:
    """The indicator each finding type is meant to move (None when none)."""
    from toolkit.report.content import FIX_FINDINGS

    back: dict[str, str] = {}
    for ind, kinds in FIX_FINDINGS.items():
        for k in kinds:
            back.setdefault(k, ind)
    return finding.astype(str).str.split(":").str[0].map(back)


def confirmed_findings(results: object) -> pd.DataFrame:
    """archive_id, county, finding of every finding still standing after the
    review: flagged, not overturned, household still in the sample."""
    from toolkit.project.summaries import evidence_with_payments

    ev = evidence_with_payments(results.evidence, results.households)
    ev = ev[ev["flagged"].astype(bool)][["archive_id", "county", "finding"]].astype(str)
    ov = results.review.get("overturned") if isinstance(results.review, dict) else None
    if ov is not None and len(ov) and {"archive_id", "finding_type"} <= set(ov.columns):
        gone = set(zip(ov["archive_id"].astype(str), ov["finding_type"].astype(str)))
        ev = ev[[(a, f) not in gone for a, f in zip(ev["archive_id"], ev["finding"])]]
    if len(results.households) and "archive_id" in results.households:
        ev = ev[ev["archive_id"].isin(set(results.households["archive_id"].astype(str)))]
    return ev.drop_duplicates().reset_index(drop=True)


def _pct(x: float) -> str:
    return "" if pd.isna(x) else f"{x * 100:.1f}%"


def _indicator_items(card: pd.DataFrame, conf: pd.DataFrame, codes: dict, lang: str) -> pd.DataFrame:
    from toolkit.report.content import FIX_FINDINGS

    spec = {i.name: i for i in INDICATORS}
    bad = card[(card["county"] != ALL) & card["verdict"].isin(BAD_VERDICTS) & card["indicator"].isin(spec)]
    if not len(bad):
        return pd.DataFrame(columns=COLUMNS)
    conf = conf.assign(kind=conf["finding"].str.split(":").str[0])
    rows = []
    for r in bad.itertuples():   # one row per failing indicator × county: a few dozen at most
        s = spec[r.indicator]
        hh = conf[(conf["county"] == r.county) & conf["kind"].isin(FIX_FINDINGS.get(r.indicator, ()))]
        ids = sorted(set(hh["archive_id"]))
        thr = "" if pd.isna(r.threshold) else f"{'<' if r.direction == 'max' else '≥'}{r.threshold * 100:.1f}%"
        no = t("fixes.no_interval", lang)
        what = t("fixes.what.indicator", lang, indicator=s.zh if lang == "zh" else s.en, estimate=_pct(r.estimate),
                 low=_pct(r.ci_low) or no, high=_pct(r.ci_high) or no, threshold=thr or "—",
                 verdict=t(f"verify.verdict.{r.verdict}", lang))
        code = codes.get(r.county, "")
        rows.append({"item_id": item_id(code, "indicator", r.indicator), "county": r.county, "county_code": code,
                     "kind": "indicator", "subject": r.indicator, "indicator": r.indicator, "what": what,
                     "n_households": len(ids), "households": SEP.join(ids)})
    return pd.DataFrame(rows, columns=COLUMNS)


def _finding_items(conf: pd.DataFrame, codes: dict, lang: str) -> pd.DataFrame:
    from toolkit.labels import finding_names

    if not len(conf):
        return pd.DataFrame(columns=COLUMNS)
    g = conf.sort_values("archive_id").groupby(["county", "finding"], sort=False)["archive_id"]
    out = g.agg(n_households="nunique", households=lambda s: SEP.join(pd.unique(s))).reset_index()
    out["county_code"] = out["county"].map(codes).fillna("")
    out["kind"], out["subject"] = "finding", out["finding"]
    out["indicator"] = meant_to_move(out["finding"]).astype(object).where(lambda s: s.notna(), None)
    names = finding_names(out["finding"], lang)
    out["what"] = [t("fixes.what.finding", lang, finding=w, n=n) for w, n in zip(names, out["n_households"])]
    out["item_id"] = [item_id(c, "finding", f) for c, f in zip(out["county_code"], out["finding"])]
    return out[COLUMNS]


def _checklist_items(unmet: pd.DataFrame, codes: dict, lang: str) -> pd.DataFrame:
    if not len(unmet):
        return pd.DataFrame(columns=COLUMNS)
    u = unmet.astype({"county": str, "item_id": str}).reset_index(drop=True)
    aspect = u["aspect"].astype(str).map(lambda a: ASPECTS[a][0 if lang == "zh" else 1] if a in ASPECTS else a)
    item = u["item_zh" if lang == "zh" else "item_en"].astype("string").fillna("").astype(str)
    status = u["status"].astype(str).map(lambda s: t(f"fixes.checklist.{s}", lang)
                                         if s in ("partly", "not_met") else s)
    note = u["note"].astype("string").fillna("").astype(str)
    note = note.where(note.str.strip() == "", "（" + note + "）" if lang == "zh" else " (" + note + ")")
    out = pd.DataFrame({"county": u["county"], "county_code": u["county"].map(codes).fillna(""), "kind": "checklist",
                        "subject": u["item_id"], "indicator": None, "n_households": 0, "households": ""})
    out["what"] = [t("fixes.what.checklist", lang, aspect=a, item=i, status=s, note=n)
                   for a, i, s, n in zip(aspect, item, status, note)]
    out["item_id"] = [item_id(c, "checklist", s) for c, s in zip(out["county_code"], out["subject"])]
    return out[COLUMNS]


def generate(project: object, lang: str = "zh", *, unmet: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every fix item of the project's stored results (module doc), ordered by
    county (the evaluation's order), then kind; :data:`COLUMNS`.
    ``unmet``: the checklist's unmet items (default toolkit.fixes.checklist.unmet)."""
    from toolkit.fixes.checklist import unmet as checklist_unmet

    results = project.results()
    ev = project.evaluation
    codes = {c.name: c.code for c in ev.counties}
    conf = confirmed_findings(results)
    parts = [_indicator_items(results.scorecard, conf, codes, lang), _finding_items(conf, codes, lang),
             _checklist_items(checklist_unmet(project) if unmet is None else unmet, codes, lang)]
    items = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) \
        else pd.DataFrame(columns=COLUMNS)
    order = {c.name: i for i, c in enumerate(ev.counties)}
    items = items.assign(_c=items["county"].map(order).fillna(len(order)),
                         _k=items["kind"].map({k: i for i, k in enumerate(KINDS)}))
    items = items.sort_values(["_c", "_k", "subject"], kind="stable").drop(columns=["_c", "_k"])
    items["n_households"] = items["n_households"].astype(np.int64)
    return items.drop_duplicates("item_id").reset_index(drop=True)


__all__ = ["generate", "item_id", "round_words", "confirmed_findings", "meant_to_move", "STATUSES", "RANK", "KINDS", "COLUMNS"]
