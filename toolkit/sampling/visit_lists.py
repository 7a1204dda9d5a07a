"""Visit lists for the field teams: one Excel workbook per team, and a CSV to
pre-load into ODK Collect / KoboToolbox.

Workbook (``入户名单_<team>.xlsx``)
  * sheet 入户名单: the team's sampled households grouped by county
    (区县) and township (街道（乡镇）), then by ticket rank; Chinese column
    names; blank columns for three visits, the disposition code and the
    reserve that replaced the household.
  * sheet 备用名单: the reserves in release order (stratum / PSU, then
    备用顺序); release strictly in this order.
  * sheet 说明: seed and its source, roster fingerprint, disposition codes.
  Contacts are masked by default for field use (toolkit.roster.privacy):
  name → surname + ＊, phone → last 4 digits, ID number → first 6 + last 4.
  The address is kept in full: the team has to find the door.
  Written through toolkit.tables (atomic; roster text that looks like a
  formula — ``=``, ``+``, ``-``, ``@`` … — gets a leading ``'``).

Teams: ``teams`` maps a county to a team name; by default each county is
one team.

ODK / Kobo preload CSV (``odk_preload.csv``), UTF-8 without BOM, one row per
sampled or reserve household. It follows the shape that both ODK
(``select_one_from_file``, ``pulldata()`` and ODK Central Entity-list CSV
upload) and KoboToolbox (media-file ``pulldata()`` / ``select_one_from_file``)
accept: the first two columns are ``name`` (the choice/entity key = archive
id) and ``label`` (what the interviewer sees: "township · surname＊ · id"),
followed by properties: archive_id, county, township, stratum, psu, role
(sample | reserve), reserve_rank, pi, weight, name_masked, phone_last4,
address, team. Attach it to the form as ``households.csv`` and use e.g.
``select_one_from_file households.csv`` and
``pulldata('households', 'township', 'name', ${hh})``. Formula-like text
is neutralised here too (the file is opened in Excel before upload).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.roster.privacy import mask_id, mask_name, mask_phone
from toolkit.sampling.reserves import DISPOSITIONS
from toolkit.sampling.select import Sample
from toolkit.tables import write_table, write_workbook

SAMPLE_COLUMNS = {  # output header: source column
    "序号": "_no", "区县": "county", "街道（乡镇）": "township", "档案编号": "archive_id",
    "户主姓名": "name", "联系电话": "phone", "身份证号": "id_number", "家庭住址": "address",
    "档案状态": "status", "困难类别": "category", "层": "stratum", "抽签顺序": "rank",
    "入样概率": "pi", "权数": "weight",
    "第1次走访（日期/结果）": None, "第2次走访（日期/结果）": None, "第3次走访（日期/结果）": None,
    "结果代码": None, "替换的备用户档案编号": None, "备注": None,
}
RESERVE_COLUMNS = {
    "备用顺序": "reserve_rank", "层": "stratum", "区县": "county", "街道（乡镇）": "township",
    "档案编号": "archive_id", "户主姓名": "name", "联系电话": "phone", "身份证号": "id_number",
    "家庭住址": "address", "档案状态": "status", "启用日期": None, "替换的样本户档案编号": None,
    "结果代码": None, "备注": None,
}
ODK_COLUMNS = ("name", "label", "archive_id", "county", "township", "stratum", "psu", "role",
               "reserve_rank", "pi", "weight", "name_masked", "phone_last4", "address", "team")


@dataclass(frozen=True)
class VisitLists:
    """Paths written: one workbook per team and the ODK/Kobo CSV."""

    workbooks: dict[str, Path]
    odk_csv: Path


def _details(units: pd.DataFrame, frame: pd.DataFrame, comparison: pd.DataFrame | None,
             id_column: str, mask: bool) -> pd.DataFrame:
    """Units joined with their roster record by archive id; contacts masked."""
    cols = ["county", "township", "name", "phone", "id_number", "address", "status", "category"]
    srcs = [frame] + ([comparison] if comparison is not None else [])
    recs = []
    for f in srcs:
        keep = [c for c in cols if c in f.columns]
        r = f[[id_column, *keep]].copy()
        r["archive_id"] = r[id_column].astype(str).str.strip()
        if id_column != "archive_id":
            r = r.drop(columns=[id_column])
        recs.append(r)
    info = pd.concat(recs, ignore_index=True).drop_duplicates("archive_id")
    out = units.merge(info, on="archive_id", how="left", suffixes=("", "_roster"))
    for c in cols:
        if c not in out:
            out[c] = pd.NA
    if "township_roster" in out:
        out = out.drop(columns=["township_roster"])
    for c in ("name", "phone", "id_number"):
        out[c] = out[c].astype("string")
    out["phone_last4"] = out["phone"].str.slice(-4)
    out["name_masked"] = mask_name(out["name"]) if len(out) else out["name"]
    if mask and len(out):
        out["name"] = out["name_masked"]
        out["phone"] = mask_phone(out["phone"])
        out["id_number"] = mask_id(out["id_number"])
    return out


def _team_of(df: pd.DataFrame, teams: Mapping[str, str] | None) -> pd.Series:
    county = df["county"].astype("string").fillna(df["stratum"].astype(str))
    if not teams:
        return county
    return county.map(lambda c: teams.get(c, c))


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", str(name)).strip("_") or "team"


def _sheet(df: pd.DataFrame, spec: Mapping[str, str | None]) -> pd.DataFrame:
    out = pd.DataFrame(index=df.index)
    for head, src in spec.items():
        out[head] = df[src] if src else ""
    return out


def write_visit_lists(sample: Sample, frame: pd.DataFrame, outdir: str | Path, *,
                      comparison: pd.DataFrame | None = None, teams: Mapping[str, str] | None = None,
                      mask: bool = True, manifest: Mapping | None = None) -> VisitLists:
    """Write the team workbooks and ``odk_preload.csv`` into ``outdir``."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    idc = sample.design.id_column
    units = _details(sample.units, frame, comparison, idc, mask)
    res = _details(sample.reserves, frame, comparison, idc, mask)
    units["team"] = _team_of(units, teams)
    res["team"] = _team_of(res, teams)
    units = units.sort_values(["county", "township", "stratum", "rank", "archive_id"], kind="mergesort",
                              na_position="last")
    res = res.sort_values(["stratum", "psu", "reserve_rank"], kind="mergesort")
    about = [("抽样种子 seed", sample.design.seed), ("种子来源 seed source", sample.design.seed_source),
             ("抽样方法 method", sample.design.method), ("分层 strata", "、".join(sample.design.strata))]
    if manifest:
        about.append(("名册指纹 roster SHA-256", (manifest.get("roster") or {}).get("sha256", "")))
        about.append(("算法 algorithm", manifest.get("algorithm", "")))
    about.append(("", ""))
    about.append(("结果代码 disposition codes", ""))
    about += [(code, f"{zh} / {en}") for code, (zh, en, _) in DISPOSITIONS.items()]
    about.append(("备用户 reserves", "必须按“备用顺序”依次启用，不得跳号或以邻居代替。"))
    written: dict[str, Path] = {}
    for team in sorted(set(units["team"].astype(str)) | set(res["team"].astype(str))):
        u = units[units["team"].astype(str) == team].copy()
        u["_no"] = range(1, len(u) + 1)
        r = res[res["team"].astype(str) == team]
        path = write_workbook(outdir / f"入户名单_{_safe(team)}.xlsx", {
            "入户名单": _sheet(u, SAMPLE_COLUMNS), "备用名单": _sheet(r, RESERVE_COLUMNS),
            "说明": pd.DataFrame(about, columns=["项目", "内容"])}, freeze=True, autofilter=True)
        written[team] = path
    both = pd.concat([units.assign(role="sample", reserve_rank=""),
                      res.assign(role="reserve")], ignore_index=True)
    both["name"] = both["archive_id"]
    both["label"] = (both["township"].astype("string").fillna("") + " · " +
                     both["name_masked"].astype("string").fillna("") + " · " + both["archive_id"])
    both["address"] = both["address"].astype("string").fillna("")
    odk = both.rename(columns={})[list(ODK_COLUMNS)]
    odk_path = write_table(odk, outdir / "odk_preload.csv", encoding="utf-8")
    return VisitLists(written, odk_path)


__all__ = ["write_visit_lists", "VisitLists", "SAMPLE_COLUMNS", "RESERVE_COLUMNS", "ODK_COLUMNS"]
