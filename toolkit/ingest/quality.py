"""High-frequency checks: what a field manager reads every evening.

Modelled on Innovations for Poverty Action's ``ipacheck`` and the World
Bank's ``iefieldkit`` (both Stata), on whole columns. Each check takes the
submissions (and the form, settings) and returns one tidy DataFrame, empty
when nothing is wrong; ``run_all`` runs them all; toolkit.ingest.quality_words writes them
(``quality.xlsx`` in words, machine frames beside it); ``write_quality_xlsx``
writes the older code-headed workbook (one sheet per check).

=================  =====================================================
check              rows
=================  =====================================================
duplicates         KEYs used twice; two visits to the same archive household
duration           interviews shorter/longer than the settings (from start/end)
start_after_end    start later than end
outliers           numeric answers outside IQR fences or mean ± k·SD,
                   overall or within groups
missingness        blank share per field (unconditional questions flagged)
dont_know          don't-know and refusal rates per field (choices 8/9,
                   dont_know/refuse...; numeric -8/-9/-98/-99)
other_specify      every "other" answer, with its specify text when the
                   form has one
form_versions      submissions per form version; outdated ones flagged
gps                accuracy worse than the setting; distance to the
                   township centroid beyond the setting (when given)
field_period       dates outside the field period
devices            one device used by several enumerators
enumerators        per enumerator: interviews, median minutes, don't-know
                   rate, issues per interview, quarantined
=================  =====================================================

Settings come from the ``[quality]`` table of evaluation.toml (see
:class:`QualitySettings`); every one has a default.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from toolkit.errors import UserError
from toolkit.forms.model import Form, Question
from toolkit.i18n import t
from toolkit.ingest.model import Submissions, value_questions
from toolkit.tables import write_workbook

DK_NAMES = re.compile(r"^(8|98|-8|-98|dk|dont_?know|do_not_know|unknown_dk)$", re.I)
REFUSE_NAMES = re.compile(r"^(9|99|-9|-99|refuse[ds]?|refusal|no_answer|decline[ds]?)$", re.I)
NUMERIC_DK = (-8.0, -98.0, -888.0)
NUMERIC_REFUSE = (-9.0, -99.0, -999.0)
CHECKS = ("duplicates", "duration", "start_after_end", "outliers", "missingness", "dont_know",
          "other_specify", "form_versions", "gps", "field_period", "devices", "enumerators")


@dataclass(frozen=True)
class QualitySettings:
    """The ``[quality]`` table of evaluation.toml, with defaults.

    ``household_field``: the question naming the archive household (two
    visits to one household are flagged); ``township_field`` joins the
    optional centroids table; ``outlier_group`` a field to compute outliers
    within (e.g. ``county_code``).
    """

    min_minutes: float = 15.0
    max_minutes: float = 180.0
    field_start: date | None = None
    field_end: date | None = None
    gps_accuracy_m: float = 50.0
    max_distance_km: float = 10.0
    outlier_iqr: float = 1.5
    outlier_sd: float = 3.0
    outlier_group: str = ""
    max_missing_share: float = 0.2
    max_dont_know_share: float = 0.1
    household_field: str = "archive_id"
    township_field: str = "township"
    centroids: str = ""

    @classmethod
    def from_mapping(cls, table: Mapping[str, Any] | None) -> "QualitySettings":
        """Settings from ``ev.extra.get("quality", {})``; wrong values are a UserError."""
        table = dict(table or {})
        kw: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in table:
                continue
            v = table[f.name]
            try:
                if f.name in ("field_start", "field_end"):
                    kw[f.name] = v if isinstance(v, date) else date.fromisoformat(str(v))
                elif isinstance(f.default, float):
                    kw[f.name] = float(v)
                    if kw[f.name] < 0:
                        raise ValueError("negative")
                else:
                    kw[f.name] = str(v)
            except (TypeError, ValueError) as e:
                raise UserError("ingest.quality.bad_setting", key=f.name, detail=str(e)) from None
        s = cls(**kw)
        if s.max_minutes <= s.min_minutes:
            raise UserError("ingest.quality.bad_setting", key="max_minutes", detail="<= min_minutes")
        return s


def _first_of_type(form: Form, qtype: str) -> str | None:
    return next((q.name for q in form.questions if q.type == qtype and not q.repeat), None)


def _ids(main: pd.DataFrame) -> pd.DataFrame:
    return main[["KEY", "enumerator"]].reset_index(drop=True)


# ----------------------------------------------------------------- checks

def duplicates(subs: Submissions, form: Form, s: QualitySettings) -> pd.DataFrame:
    """Repeated KEYs and households visited more than once."""
    m = subs.main.reset_index(drop=True)
    parts = []
    dk = m["KEY"].duplicated(keep=False) & m["KEY"].notna()
    if dk.any():
        d = m.loc[dk, ["KEY", "enumerator", "submitted_at"]].copy()
        d.insert(0, "value", d["KEY"])
        d.insert(0, "kind", "key")
        parts.append(d)
    hf = s.household_field
    if hf in m.columns:
        dh = m[hf].duplicated(keep=False) & m[hf].notna()
        if dh.any():
            d = m.loc[dh, [hf, "KEY", "enumerator", "submitted_at"]].rename(columns={hf: "value"})
            d.insert(0, "kind", "household")
            parts.append(d)
    cols = ["kind", "value", "KEY", "enumerator", "submitted_at", "count"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    out["count"] = out.groupby(["kind", "value"])["KEY"].transform("size")
    return out.sort_values(["kind", "value", "submitted_at"], kind="stable").reset_index(drop=True)[cols]


def interview_minutes(subs: Submissions, form: Form) -> pd.Series:
    """Interview length in minutes from the form's start and end (NaN when absent)."""
    m = subs.main
    st, en = _first_of_type(form, "start"), _first_of_type(form, "end")
    if st is None or en is None or st not in m or en not in m:
        return pd.Series(np.nan, index=m.index)
    return (m[en] - m[st]).dt.total_seconds() / 60.0


def duration(subs: Submissions, form: Form, s: QualitySettings) -> pd.DataFrame:
    """Interviews shorter than ``min_minutes`` or longer than ``max_minutes``."""
    m = subs.main
    mins = interview_minutes(subs, form)
    flag = np.where(mins < s.min_minutes, "too_short", np.where(mins > s.max_minutes, "too_long", ""))
    keep = flag != ""
    st, en = _first_of_type(form, "start"), _first_of_type(form, "end")
    out = _ids(m).loc[keep].copy()
    out["start"] = m[st].to_numpy()[keep] if st else pd.NaT
    out["end"] = m[en].to_numpy()[keep] if en else pd.NaT
    out["minutes"] = mins.to_numpy()[keep].round(1)
    out["flag"] = flag[keep]
    out["limit"] = np.where(out["flag"] == "too_short", s.min_minutes, s.max_minutes)
    return out.reset_index(drop=True)


def start_after_end(subs: Submissions, form: Form, s: QualitySettings) -> pd.DataFrame:
    m = subs.main
    mins = interview_minutes(subs, form)
    keep = (mins < 0).to_numpy()
    st, en = _first_of_type(form, "start"), _first_of_type(form, "end")
    out = _ids(m).loc[keep].copy()
    if keep.any():
        out["start"] = m[st].to_numpy()[keep]
        out["end"] = m[en].to_numpy()[keep]
    else:
        out["start"] = pd.Series(dtype="datetime64[ns]")
        out["end"] = pd.Series(dtype="datetime64[ns]")
    return out.reset_index(drop=True)


def _numeric_fields(form: Form, main: pd.DataFrame) -> list[str]:
    return [q.name for q in value_questions(form, "") if q.type in ("integer", "decimal")
            and q.name in main.columns]


def outliers(subs: Submissions, form: Form, s: QualitySettings, group: str | None = None) -> pd.DataFrame:
    """Answers outside Q1 − k·IQR … Q3 + k·IQR, or mean ± k·SD (numeric questions).

    ``group`` (default: the ``outlier_group`` setting) computes the fences
    within each group. Negative don't-know codes are left out of the fences.
    """
    m = subs.main.reset_index(drop=True)
    cols = _numeric_fields(form, m)
    out_cols = ["KEY", "enumerator", "field", "value", "method", "low", "high", "group"]
    if not cols:
        return pd.DataFrame(columns=out_cols)
    X = m[cols].astype(float)
    X = X.mask(X.isin(NUMERIC_DK + NUMERIC_REFUSE))
    group = group if group is not None else s.outlier_group
    if group and group in m.columns:
        g = m[group].astype(object).fillna("")
        grouped = X.groupby(g)
        q1, q3 = grouped.transform(lambda c: c.quantile(0.25)), grouped.transform(lambda c: c.quantile(0.75))
        mean, sd = grouped.transform("mean"), grouped.transform("std")
        gvals = g.to_numpy()
    else:
        return _outliers_overall(m, X, cols, s, out_cols)
    iqr = q3 - q1
    parts = []
    for method, lo, hi in (("iqr", q1 - s.outlier_iqr * iqr, q3 + s.outlier_iqr * iqr),
                           ("sd", mean - s.outlier_sd * sd, mean + s.outlier_sd * sd)):
        hit = ((X < lo) | (X > hi)).to_numpy() & (hi - lo > 0).to_numpy()
        r, c = np.nonzero(hit)
        if len(r):
            parts.append(pd.DataFrame({
                "KEY": m["KEY"].to_numpy()[r], "enumerator": m["enumerator"].to_numpy()[r],
                "field": np.array(cols, dtype=object)[c], "value": X.to_numpy()[r, c], "method": method,
                "low": lo.to_numpy()[r, c].round(2), "high": hi.to_numpy()[r, c].round(2),
                "group": gvals[r]}))
    if not parts:
        return pd.DataFrame(columns=out_cols)
    return pd.concat(parts, ignore_index=True)[out_cols]


def _outliers_overall(m: pd.DataFrame, X: pd.DataFrame, cols: list[str], s: QualitySettings,
                      out_cols: list[str]) -> pd.DataFrame:
    """Outliers against one set of fences per field (no grouping).

    The statistics are pandas' (quantile, mean, sample SD over the answered
    rows), one value per field; the fences are computed once per field and
    compared with every row by numpy broadcasting, so no rows × fields frame
    of fences is built. Same rows and fences as the grouped path gives with
    one group."""
    q1, q3 = X.quantile(0.25).to_numpy(), X.quantile(0.75).to_numpy()
    mean, sd = X.mean().to_numpy(), X.std().to_numpy()
    iqr = q3 - q1
    xa = X.to_numpy()
    parts = []
    for method, lo, hi in (("iqr", q1 - s.outlier_iqr * iqr, q3 + s.outlier_iqr * iqr),
                           ("sd", mean - s.outlier_sd * sd, mean + s.outlier_sd * sd)):
        with np.errstate(invalid="ignore"):
            hit = ((xa < lo) | (xa > hi)) & (hi - lo > 0)
        r, c = np.nonzero(hit)
        if len(r):
            parts.append(pd.DataFrame({
                "KEY": m["KEY"].to_numpy()[r], "enumerator": m["enumerator"].to_numpy()[r],
                "field": np.array(cols, dtype=object)[c], "value": xa[r, c], "method": method,
                "low": lo[c].round(2), "high": hi[c].round(2), "group": np.full(len(r), "", dtype=object)}))
    if not parts:
        return pd.DataFrame(columns=out_cols)
    return pd.concat(parts, ignore_index=True)[out_cols]


def missingness(subs: Submissions, form: Form, s: QualitySettings, cache: dict | None = None) -> pd.DataFrame:
    """Blank share per top-level question; unconditional ones above the setting flagged.

    ``cache``: columns already factorised by the don't-know check (run_all):
    their blanks are the rows without a code, so they are not scanned again."""
    m = subs.main
    qs = [q for q in value_questions(form, "") if q.type not in ("calculate", "note")]
    names = [f"{q.name}_latitude" if q.type == "geopoint" else q.name for q in qs]
    names = [c for c in names if c in m.columns]
    if not names or not len(m):
        return pd.DataFrame(columns=["field", "n", "blank", "blank_share", "conditional", "flag"])
    cache = cache or {}
    blank = np.array([int((cache[(id(m), c)][0] < 0).sum()) if (id(m), c) in cache
                      else int(m[c].isna().sum()) for c in names], dtype=np.int64)
    cond = np.array([bool(q.relevant) or any(g.relevant for g in form.groups if g.name in q.path)
                     for q in qs if (f"{q.name}_latitude" if q.type == "geopoint" else q.name) in m.columns])
    share = blank / len(m)
    out = pd.DataFrame({"field": [n.removesuffix("_latitude") for n in names], "n": len(m),
                        "blank": blank, "blank_share": share.round(4), "conditional": cond})
    out["flag"] = (~out["conditional"]) & (out["blank_share"] > s.max_missing_share)
    return out


def _codes(frame: pd.DataFrame, name: str, cache: dict | None) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of one column (codes, distinct values as objects), hashed once per run:
    the don't-know masks, the answered mask and the other-specify check all read it."""
    key = (id(frame), name)
    if cache is not None and key in cache:
        return cache[key]
    codes, uniq = pd.factorize(frame[name])
    got = (codes, np.asarray(uniq, dtype=object))
    if cache is not None:
        cache[key] = got
    return got


def _dk_masks(q: Question, form: Form, col: pd.Series,
              fact: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    if q.type == "select_one":
        names = [c.name for c in form.choices.get(q.list_name, ())]
        dk = [n for n in names if DK_NAMES.match(n)]
        rf = [n for n in names if REFUSE_NAMES.match(n)]
        if not dk and not rf:
            return None
        # one hashing pass; masks from the distinct values
        codes, u = fact if fact is not None else (lambda c, v: (c, np.asarray(v, dtype=object)))(*pd.factorize(col))
        if not len(u):   # every answer blank (e.g. one submission where the question was not relevant)
            none = np.zeros(len(col), dtype=bool)
            return none, none.copy()
        pick = lambda names: np.isin(u, names)[np.maximum(codes, 0)] & (codes >= 0)  # noqa: E731
        return pick(dk), pick(rf)
    if q.type in ("integer", "decimal"):
        x = col.to_numpy(dtype=float, na_value=np.nan) if pd.api.types.is_numeric_dtype(col.dtype) \
            else col.astype(float).to_numpy()
        return np.isin(x, NUMERIC_DK), np.isin(x, NUMERIC_REFUSE)
    return None


def _answered(col: pd.Series, fact: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    if col.dtype == object:
        return (fact[0] if fact is not None else pd.factorize(col)[0]) >= 0
    return col.notna().to_numpy()


def dont_know_matrix(subs: Submissions, form: Form,
                     cache: dict | None = None) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """(fields, answered, don't know, refused) boolean matrices rows × fields.

    ``cache``: factorised columns shared with the other checks of one run (run_all)."""
    m = subs.main
    cache = {} if cache is None else cache
    names, ans, dks, rfs = [], [], [], []
    for q in value_questions(form, ""):
        if q.name not in m.columns:
            continue
        col = m[q.name]
        fact = _codes(m, q.name, cache) if q.type == "select_one" and col.dtype == object else None
        masks = _dk_masks(q, form, col, fact)
        if masks is None:
            continue
        names.append(q.name)
        ans.append(_answered(col, fact))
        dks.append(masks[0])
        rfs.append(masks[1])
    if not names:
        z = np.zeros((len(m), 0), dtype=bool)
        return [], z, z, z
    # one contiguous row per field, handed out transposed (rows × fields, a view):
    # column_stack would write each field with a stride of a whole row
    return names, np.vstack(ans).T, np.vstack(dks).T, np.vstack(rfs).T


def dont_know(subs: Submissions, form: Form, s: QualitySettings, matrix: tuple | None = None) -> pd.DataFrame:
    """Don't-know and refusal counts and shares per field (over answered rows)."""
    names, ans, dk, rf = matrix or dont_know_matrix(subs, form)
    cols = ["field", "answered", "dont_know", "refused", "dont_know_share", "refused_share", "flag"]
    if not names:
        return pd.DataFrame(columns=cols)
    a = ans.sum(0)
    out = pd.DataFrame({"field": names, "answered": a, "dont_know": dk.sum(0), "refused": rf.sum(0)})
    with np.errstate(invalid="ignore", divide="ignore"):
        out["dont_know_share"] = np.where(a > 0, out["dont_know"] / np.maximum(a, 1), 0.0).round(4)
        out["refused_share"] = np.where(a > 0, out["refused"] / np.maximum(a, 1), 0.0).round(4)
    out["flag"] = (out["dont_know_share"] + out["refused_share"]) > s.max_dont_know_share
    return out[cols]


def _specify_field(form: Form, q: Question) -> str | None:
    for other in form.questions:
        if other.type == "text" and q.name in other.relevant and "other" in other.relevant:
            return other.name
    return None


def other_specify(subs: Submissions, form: Form, s: QualitySettings, cache: dict | None = None) -> pd.DataFrame:
    """Every answer 'other' (or free text under or_other) with its specify text.

    ``cache``: factorised columns shared with the don't-know check (run_all)."""
    parts = []
    levels = {"": subs.main, **subs.repeats}
    for q in form.questions:
        if not q.is_select:
            continue
        frame = levels.get(q.repeat)
        if frame is None or q.name not in frame.columns or not len(frame):
            continue
        names = {c.name for c in form.choices.get(q.list_name, ())}
        col = frame[q.name]
        codes, uniq = _codes(frame, q.name, cache)
        if not len(uniq):
            continue
        hit_u = np.array([("other" in str(u).split()) or (q.or_other and not set(str(u).split()) <= names)
                          for u in uniq], dtype=bool)
        hit = np.where(codes >= 0, hit_u[np.maximum(codes, 0)], False)
        if not hit.any():
            continue
        spec = _specify_field(form, q)
        d = pd.DataFrame({"KEY": frame["KEY"].to_numpy()[hit], "field": q.name,
                          "value": col.to_numpy()[hit],
                          "specify_field": spec or "",
                          "specify": frame[spec].to_numpy()[hit] if spec and spec in frame.columns else ""})
        parts.append(d)
    cols = ["KEY", "field", "value", "specify_field", "specify"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def form_versions(subs: Submissions, form: Form, s: QualitySettings) -> pd.DataFrame:
    """Submissions per form version; every recorded version other than the
    form's is outdated (a version not recorded — Kobo keeps its deployment id,
    not the form's version — is not known to be outdated)."""
    v = subs.main["form_version"].astype(object).fillna("")
    out = v.value_counts(sort=False).rename_axis("form_version").reset_index(name="submissions")
    out["current"] = form.version
    out["outdated"] = (out["form_version"] != form.version) & (out["form_version"] != "")
    return out.sort_values(["outdated", "form_version"], ascending=[True, True]).reset_index(drop=True)


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    r = 6371.0088
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * r * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def gps(subs: Submissions, form: Form, s: QualitySettings,
        centroids: pd.DataFrame | None = None) -> pd.DataFrame:
    """Geopoints with poor accuracy or far from their township's centroid.

    ``centroids`` has ``township, latitude, longitude`` (the township as the
    ``township_field`` answer holds it).
    """
    m = subs.main.reset_index(drop=True)
    parts = []
    cols = ["KEY", "enumerator", "field", "accuracy_m", "distance_km", "flag"]
    for q in value_questions(form, ""):
        if q.type != "geopoint" or f"{q.name}_accuracy" not in m.columns:
            continue
        acc = m[f"{q.name}_accuracy"].to_numpy(dtype=float)
        dist = np.full(len(m), np.nan)
        if centroids is not None and s.township_field in m.columns and len(centroids):
            c = centroids.drop_duplicates("township").set_index("township")
            tw = m[s.township_field].astype(object)
            clat = c["latitude"].reindex(tw).to_numpy(dtype=float)
            clon = c["longitude"].reindex(tw).to_numpy(dtype=float)
            dist = haversine_km(m[f"{q.name}_latitude"].to_numpy(float), m[f"{q.name}_longitude"].to_numpy(float),
                                clat, clon)
        bad_acc = acc > s.gps_accuracy_m
        far = dist > s.max_distance_km
        keep = bad_acc | far
        if keep.any():
            parts.append(pd.DataFrame({
                "KEY": m["KEY"].to_numpy()[keep], "enumerator": m["enumerator"].to_numpy()[keep],
                "field": q.name, "accuracy_m": acc[keep], "distance_km": np.round(dist[keep], 2),
                "flag": np.where(bad_acc[keep] & far[keep], "accuracy+distance",
                                 np.where(bad_acc[keep], "accuracy", "distance"))}))
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def field_period(subs: Submissions, form: Form, s: QualitySettings) -> pd.DataFrame:
    """Dates (start, end, today, date questions) before ``field_start`` or after ``field_end``."""
    cols = ["KEY", "enumerator", "field", "value", "flag"]
    if s.field_start is None and s.field_end is None:
        return pd.DataFrame(columns=cols)
    m = subs.main.reset_index(drop=True)
    parts = []
    lo = pd.Timestamp(s.field_start) if s.field_start else None
    hi = pd.Timestamp(s.field_end) + pd.Timedelta(days=1) if s.field_end else None
    for q in value_questions(form, ""):
        if q.type not in ("start", "end", "today", "date", "datetime") or q.name not in m.columns:
            continue
        x = m[q.name]
        before = (x < lo).to_numpy() if lo is not None else np.zeros(len(m), bool)
        after = (x >= hi).to_numpy() if hi is not None else np.zeros(len(m), bool)
        keep = before | after
        if keep.any():
            parts.append(pd.DataFrame({"KEY": m["KEY"].to_numpy()[keep],
                                       "enumerator": m["enumerator"].to_numpy()[keep], "field": q.name,
                                       "value": x.to_numpy()[keep],
                                       "flag": np.where(before[keep], "before_start", "after_end")}))
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def devices(subs: Submissions, form: Form, s: QualitySettings) -> pd.DataFrame:
    """Devices used by more than one enumerator (shared phones, or curbstoning)."""
    m = subs.main[["device_id", "enumerator"]].dropna()
    cols = ["device_id", "n_enumerators", "enumerators", "submissions"]
    if not len(m):
        return pd.DataFrame(columns=cols)
    g = m.groupby("device_id")
    out = pd.DataFrame({"n_enumerators": g["enumerator"].nunique(), "submissions": g.size()})
    out = out[out["n_enumerators"] > 1]
    if not len(out):
        return pd.DataFrame(columns=cols)
    names = m[m["device_id"].isin(out.index)].drop_duplicates().groupby("device_id")["enumerator"] \
        .agg(lambda x: "、".join(sorted(map(str, x))))
    out["enumerators"] = names
    return out.rename_axis("device_id").reset_index()[cols]


def enumerators(subs: Submissions, form: Form, s: QualitySettings,
                issues: pd.DataFrame | None = None, matrix: tuple | None = None) -> pd.DataFrame:
    """Per enumerator: interviews, median minutes, don't-know rate, issues per interview."""
    m = subs.main.reset_index(drop=True)
    enum = m["enumerator"].astype(object).fillna("")
    mins = interview_minutes(subs, form).reset_index(drop=True)
    names, ans, dk, rf = matrix or dont_know_matrix(subs, form)
    frame = pd.DataFrame({"enumerator": enum, "minutes": mins,
                          "answered": ans.sum(1) if names else 0, "dk": (dk | rf).sum(1) if names else 0})
    g = frame.groupby("enumerator", sort=True)
    out = pd.DataFrame({"interviews": g.size(), "median_minutes": g["minutes"].median().round(1)})
    a, d = g["answered"].sum(), g["dk"].sum()
    out["dont_know_rate"] = (d / a.where(a > 0)).fillna(0.0).round(4)
    if issues is not None and len(issues):
        key_enum = pd.Series(enum.to_numpy(), index=m["KEY"].to_numpy())
        key_enum = key_enum[~key_enum.index.duplicated()]
        ie = key_enum.reindex(issues["key"].to_numpy()).dropna()
        out["issues"] = ie.value_counts().reindex(out.index).fillna(0).astype(int)
    else:
        out["issues"] = 0
    out["issues_per_interview"] = (out["issues"] / out["interviews"]).round(3)
    if "_status" in m.columns:
        out["quarantined"] = (m["_status"] == "quarantined").groupby(enum).sum().reindex(out.index).astype(int)
    return out.rename_axis("enumerator").reset_index()


def run_all(subs: Submissions, form: Form, settings: QualitySettings | None = None, *,
            issues: pd.DataFrame | None = None, centroids: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Every check: {check name: tidy frame}, in the order of ``CHECKS``."""
    s = settings or QualitySettings()
    cache: dict = {}   # factorised columns, hashed once for every check of this run
    dk = dont_know_matrix(subs, form, cache)
    return {
        "duplicates": duplicates(subs, form, s),
        "duration": duration(subs, form, s),
        "start_after_end": start_after_end(subs, form, s),
        "outliers": outliers(subs, form, s),
        "missingness": missingness(subs, form, s, cache),
        "dont_know": dont_know(subs, form, s, dk),
        "other_specify": other_specify(subs, form, s, cache),
        "form_versions": form_versions(subs, form, s),
        "gps": gps(subs, form, s, centroids),
        "field_period": field_period(subs, form, s),
        "devices": devices(subs, form, s),
        "enumerators": enumerators(subs, form, s, issues, dk),
    }


def load_centroids(path: str | Path) -> pd.DataFrame:
    """A township centroid table (CSV or Excel: township, latitude, longitude)."""
    p = Path(path)
    if not p.exists():
        raise UserError("common.file_not_found", path=str(p))
    df = pd.read_csv(p, dtype={"township": str}) if p.suffix.lower() == ".csv" else pd.read_excel(p)
    missing = {"township", "latitude", "longitude"} - set(df.columns)
    if missing:
        raise UserError("ingest.quality.bad_setting", key="centroids", detail=", ".join(sorted(missing)))
    return df


def write_quality_xlsx(results: Mapping[str, pd.DataFrame], path: str | Path, lang: str = "zh") -> Path:
    """``quality.xlsx``: one sheet per check (titles in ``lang``), formula-safe."""
    sheets = {sheet_title(name, lang): df for name, df in results.items()}
    return write_workbook(path, sheets)


def sheet_title(name: str, lang: str = "zh") -> str:
    """A check's sheet title in quality.xlsx (the location check is toolkit.maps.location's)."""
    key = {"start_after_end": "ingest.check.start_end", "location": "maps.check.location"}
    return re.sub(r"[\[\]:*?/\\]", "_", t(key.get(name, f"ingest.check.{name}"), lang))[:31]
