"""Field progress against the drawn sample, for the field manager.

Per county (team) and township (PSU): households assigned (selected, the
comparison frame included), reserves released, households with a
disposition, completed, refused, not at home, other non-response (moved,
deceased, not eligible), and outstanding (released, nothing recorded yet).
Built from the sample, the reconciled field record (visit lists, the
dispositions table, the questionnaires' visit result) and the ingested
visits, so it changes at every ingest; visits from outside the sample are
listed apart (who, when), never counted. Daily completions give the
cumulative progress towards the target (households assigned).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

PROGRESS_COLUMNS = ["county", "team", "township", "assigned", "reserves_released", "recorded", "completed",
                    "refused", "not_at_home", "other", "outstanding"]
NONRESPONSE_OTHER = ("moved", "deceased", "not_eligible", "replaced")


@dataclass(frozen=True, eq=False)
class Progress:
    """``table`` (PROGRESS_COLUMNS, one row per township plus one per county
    with township "" and a city row), ``daily`` (date, completed,
    cumulative, target), ``outside`` (visits outside the sample) and
    ``reserves`` (released reserves: archive_id, county, township, replaces,
    reason: the disposition code of the household replaced, "" when the
    field did not say which one)."""

    table: pd.DataFrame
    daily: pd.DataFrame
    outside: pd.DataFrame
    reserves: pd.DataFrame


def _county(stratum: pd.Series) -> pd.Series:
    return stratum.astype(str).str.split("|").str[-1]


def field_progress(units: pd.DataFrame, reserves: pd.DataFrame, dispositions: pd.DataFrame | None,
                   submissions: pd.DataFrame, outside: pd.DataFrame, teams: dict | None = None,
                   total_label: str = "全市") -> Progress:
    """The progress tables (module doc). ``units``/``reserves``: the sample
    (archive_id, stratum, psu); ``dispositions``: the reconciled field record
    (archive_id, code, role) or None; ``submissions``: accepted in-sample
    visits (archive_id, visit_result, today); ``outside``: toolkit.verify.run
    OUTSIDE_COLUMNS."""
    teams = teams or {}
    sel = units.assign(county=_county(units["stratum"]), township=units["psu"].astype(str), role="selected")
    d = dispositions if dispositions is not None else pd.DataFrame(columns=["archive_id", "code", "role"])
    codes = d.drop_duplicates("archive_id", keep="last").set_index(d.drop_duplicates("archive_id", keep="last")
                                                                   ["archive_id"].astype(str))["code"]
    rel_ids = set(d.loc[d.get("role", pd.Series(dtype=str)).astype(str) == "reserve", "archive_id"].astype(str))
    res = reserves[reserves["archive_id"].astype(str).isin(rel_ids)]
    res = res.assign(county=_county(res["stratum"]), township=res["psu"].astype(str), role="reserve")
    hh = pd.concat([sel, res], ignore_index=True)[["archive_id", "county", "township", "role"]]
    hh["archive_id"] = hh["archive_id"].astype(str)
    code = hh["archive_id"].map(codes)
    if dispositions is None and "visit_result" in submissions:   # no field record: the questionnaires alone
        met = submissions.loc[submissions["visit_result"].astype("string").eq("met").fillna(False), "archive_id"]
        code = code.where(~hh["archive_id"].isin(set(met.astype(str))), "completed")
    hh["code"] = code
    g = pd.DataFrame({
        "county": hh["county"], "township": hh["township"],
        "assigned": hh["role"].eq("selected").astype(int), "reserves_released": hh["role"].eq("reserve").astype(int),
        "recorded": hh["code"].notna().astype(int), "completed": hh["code"].eq("completed").astype(int),
        "refused": hh["code"].eq("refused").astype(int), "not_at_home": hh["code"].eq("not_at_home").astype(int),
        "other": hh["code"].isin(NONRESPONSE_OTHER).astype(int), "outstanding": hh["code"].isna().astype(int)})
    nums = [c for c in PROGRESS_COLUMNS if c not in ("county", "team", "township")]
    by_t = g.groupby(["county", "township"], sort=True)[nums].sum().reset_index()
    by_c = g.groupby("county", sort=True)[nums].sum().reset_index().assign(township="")
    whole = g[nums].sum().to_frame().T.assign(county=total_label, township="")
    table = pd.concat([by_t, by_c, whole], ignore_index=True)
    table["team"] = table["county"].map(lambda c: str(teams.get(c, c)))
    table = table[PROGRESS_COLUMNS]
    day = pd.to_datetime(submissions.get("today", pd.Series(dtype=object)), errors="coerce")
    completed_ids = set(hh.loc[hh["code"].eq("completed"), "archive_id"])
    done = submissions["archive_id"].astype(str).isin(completed_ids) if "archive_id" in submissions \
        else pd.Series(False, index=submissions.index)
    first = pd.DataFrame({"id": submissions.get("archive_id", pd.Series(dtype=str)).astype(str), "day": day})[
        done.to_numpy()].sort_values("day").drop_duplicates("id")   # a household completes once
    per_day = first["day"].dt.date.value_counts().sort_index()
    daily = pd.DataFrame({"date": per_day.index.astype(str), "completed": per_day.to_numpy(dtype=int)})
    daily["cumulative"] = daily["completed"].cumsum()
    daily["target"] = int(sel.shape[0])
    rep = d.get("replaced_by", pd.Series(dtype=str))
    replaces = dict(zip(rep.astype(str), d["archive_id"].astype(str))) if len(d) else {}
    reserves_out = res.assign(replaces=res["archive_id"].astype(str).map(replaces).fillna(""))
    reserves_out["reason"] = reserves_out["replaces"].map(codes).fillna("").astype(str)   # why it was released
    reserves_out = reserves_out[["archive_id", "county", "township", "replaces", "reason"]].reset_index(drop=True)
    return Progress(table, daily, outside.reset_index(drop=True), reserves_out)


__all__ = ["PROGRESS_COLUMNS", "Progress", "field_progress"]
