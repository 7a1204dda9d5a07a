"""Visit lists for the field teams: one Excel workbook per team, and a CSV to
pre-load into ODK Collect / KoboToolbox.

Workbook (``入户名单_<team>.xlsx``), made to be printed and carried:
  * sheet 入户名单: the team's sampled households grouped by county
    (区县) and township (街道（乡镇）), then by ticket rank; blank columns for
    three visits, the result code and the reserve that replaced the household.
    Names, addresses and phones are printed IN FULL: the interviewer has to
    find the door and call ahead. The ID number is masked (first 6 + last 4)
    unless ``mask=False``: it is not needed to find anyone. No inclusion
    probabilities or weights (they are for the analysis, not the field).
  * sheet 备用名单: the reserves in release order (stratum / PSU, then
    备用顺序); release strictly in this order.
  * sheet 说明: seed and its source, roster fingerprint, the result codes.
  Every list sheet prints on A4 landscape, fitted to the page width, with the
  header row repeated on each page, gridlines, the team in the page header
  and the result codes as numbered words (1 见到并完成访问 …, from
  :data:`toolkit.sampling.field_dispositions.CODE_NUMBERS` and the
  dispositions catalogue) with "第 X 页 共 Y 页" in the page footer; the
  结果代码 cells offer the same numbered words as a drop-down.
  These workbooks are the evaluator's identifiable working files (see Privacy
  in the README): written owner-only (0600) in the project's field folder,
  never handed to leadership. Written through toolkit.tables (atomic; roster
  text that looks like a formula — ``=``, ``+``, ``-``, ``@`` … — gets a
  leading ``'``). ``lang="en"`` writes English headers and words;
  :func:`toolkit.sampling.field_dispositions.read_visit_lists` reads either,
  and accepts a result written as its number, its numbered words or its word.

Teams: ``teams`` maps a county to a team name; by default each county is
one team.

ODK / Kobo preload CSV (``odk_preload.csv``), UTF-8 without BOM, one row per
sampled or reserve household. It follows the shape that both ODK
(``select_one_from_file``, ``pulldata()`` and ODK Central Entity-list CSV
upload) and KoboToolbox (media-file ``pulldata()`` / ``select_one_from_file``)
accept: the first two columns are ``name`` (the choice/entity key = archive
id) and ``label`` (what the interviewer sees: "township · surname＊ · id"),
followed by properties: archive_id, county, township, stratum, psu, role
(sample | reserve), reserve_rank, name_masked, phone_last4, address, team
(no probabilities or weights: the file goes onto the tablets). Attach it to
the form as ``households.csv`` and use e.g.
``select_one_from_file households.csv`` and
``pulldata('households', 'township', 'name', ${hh})``. Formula-like text
is neutralised here too (the file is opened in Excel before upload).
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.roster.privacy import mask_id, mask_name
from toolkit.sampling.select import Sample
from toolkit.sampling.visit_books import prepared, sheet_kinds, sheet_rows, team_rows, widths_of, write_book
from toolkit.tables import atomic_path, write_table

SAMPLE_COLUMNS = {  # output header: source column
    "序号": "_no", "区县": "county", "街道（乡镇）": "township", "档案编号": "archive_id",
    "户主姓名": "name", "联系电话": "phone", "家庭住址": "address", "身份证号": "id_number",
    "档案状态": "status", "困难类别": "category", "层": "stratum", "抽签顺序": "rank",
    "第1次走访（日期/结果）": None, "第2次走访（日期/结果）": None, "第3次走访（日期/结果）": None,
    "结果代码": None, "替换的备用户档案编号": None, "备注": None,
}
RESERVE_COLUMNS = {
    "备用顺序": "reserve_rank", "层": "stratum", "区县": "county", "街道（乡镇）": "township",
    "档案编号": "archive_id", "户主姓名": "name", "联系电话": "phone", "家庭住址": "address",
    "身份证号": "id_number", "档案状态": "status", "启用日期": None, "替换的样本户档案编号": None,
    "结果代码": None, "备注": None,
}
ODK_COLUMNS = ("name", "label", "archive_id", "county", "township", "stratum", "psu", "role",
               "reserve_rank", "name_masked", "phone_last4", "address", "team")
WIDE = {"家庭住址": 34.0, "第1次走访（日期/结果）": 16.0, "第2次走访（日期/结果）": 16.0,
        "第3次走访（日期/结果）": 16.0, "结果代码": 16.0, "替换的备用户档案编号": 16.0,
        "替换的样本户档案编号": 16.0, "启用日期": 12.0, "备注": 18.0}
"""Column widths (characters) of the columns written by hand or long."""


@dataclass(frozen=True)
class VisitLists:
    """Paths written: one workbook per team and the ODK/Kobo CSV."""

    workbooks: dict[str, Path]
    odk_csv: Path


def _keys(frame: pd.DataFrame, comparison: pd.DataFrame | None, id_column: str) -> list[pd.Series]:
    """Each frame's stripped ids (Arrow), found once for the units and the reserves."""
    srcs = [frame] + ([comparison] if comparison is not None else [])
    return [f[id_column].astype("string").str.strip() for f in srcs]   # a national roster has millions of rows


_DETAIL_COLUMNS = ["county", "township", "name", "phone", "id_number", "address", "status", "category"]


def _isin(key: pd.Series, wanted: set[str]) -> np.ndarray:
    """``key.isin(wanted)`` (missing → False) as a writable bool array; an
    Arrow-backed key through ``pyarrow.compute.is_in`` with the wanted ids
    made one Arrow array (pandas makes a pyarrow scalar per wanted id)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from toolkit.sampling.select import _pandas_arrow

    arr = _pandas_arrow(key)
    if arr is None or not wanted:
        return key.isin(wanted).fillna(False).to_numpy(dtype=bool).copy()
    hit = pc.is_in(arr, value_set=pa.array(sorted(wanted), type=arr.type))
    return pc.fill_null(hit, False).to_numpy(zero_copy_only=False).astype(bool, copy=True)


def _records(wanted: set[str], frame: pd.DataFrame, comparison: pd.DataFrame | None, id_column: str,
             keys: list[pd.Series] | None = None) -> pd.DataFrame:
    """The roster (then comparison) record of each archive id in ``wanted``,
    first one per id: archive_id and :data:`_DETAIL_COLUMNS` present."""
    cols = _DETAIL_COLUMNS
    srcs = [frame] + ([comparison] if comparison is not None else [])
    keys = keys if keys is not None else _keys(frame, comparison, id_column)
    recs = []
    for f, key in zip(srcs, keys):
        keep = [c for c in cols if c in f.columns]
        hit = _isin(key, wanted)
        if not wanted:             # no units (no reserves drawn): one record keeps the merge's key types
            hit[:1] = True
        r = f.loc[hit, [id_column, *keep]].copy()            # only the drawn households' records
        r["archive_id"] = key[hit].astype(str).array      # the same text dtype as before
        if id_column != "archive_id":
            r = r.drop(columns=[id_column])
        recs.append(r)
    return pd.concat(recs, ignore_index=True).drop_duplicates("archive_id")


def _details(units: pd.DataFrame, frame: pd.DataFrame, comparison: pd.DataFrame | None,
             id_column: str, mask: bool, keys: list[pd.Series] | None = None,
             info: pd.DataFrame | None = None) -> pd.DataFrame:
    """Units joined with their roster record by archive id. Names, phones
    and addresses stay in full (the field needs them); ``mask`` masks the ID
    number only. ``keys``: :func:`_keys` of the frames, when already found;
    ``info``: :func:`_records` of these units (or of more), when already found."""
    cols = _DETAIL_COLUMNS
    if info is None:
        info = _records(set(units["archive_id"].astype(str)), frame, comparison, id_column, keys)
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


_METHOD = {"srswor": ("简单随机抽样", "simple random sampling"), "systematic": ("系统抽样", "systematic sampling"),
           "two_stage": ("两阶段抽样（PPS 抽街道（乡镇），再抽住户）", "two-stage (townships by PPS, then households)")}
_STRATUM = {"county": ("区县", "county"), "township": ("街道（乡镇）", "township")}


def _about(sample: Sample, manifest: Mapping | None, lang: str) -> pd.DataFrame:
    """The 说明 sheet: draw facts, result codes as numbered words, the reserve and privacy rules."""
    from toolkit.i18n import t
    from toolkit.sampling.field_dispositions import numbered_codes

    i = 0 if lang == "zh" else 1
    d = sample.design
    strata = [(_STRATUM.get(x) or (x, x))[i] for x in d.strata]
    rows = [(t("paper.lists.about.seed", lang), d.seed), (t("paper.lists.about.seed_source", lang), d.seed_source),
            (t("paper.lists.about.method", lang), (_METHOD.get(d.method) or (d.method, d.method))[i]),
            (t("paper.lists.about.strata", lang), ("、" if lang == "zh" else ", ").join(strata))]
    if manifest:
        rows.append((t("paper.lists.about.roster", lang), (manifest.get("roster") or {}).get("sha256", "")))
        rows.append((t("paper.lists.about.algorithm", lang), manifest.get("algorithm", "")))
    rows += [("", ""), (t("paper.lists.codes_title", lang), "")]
    rows += [(w.split(" ", 1)[0], w.split(" ", 1)[1]) for w in numbered_codes(lang)]
    rows += [("", ""), (t("paper.lists.about.reserves", lang), t("paper.lists.reserves_rule", lang)),
             (t("paper.lists.about.privacy", lang), t("paper.lists.privacy", lang))]
    return pd.DataFrame(rows, columns=["项目", "内容"])


def _headers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    from toolkit.sampling.field_dispositions import HEADERS_EN

    return frame if lang == "zh" else frame.rename(columns=HEADERS_EN)


def print_setup(path: Path, team: str, lang: str) -> None:
    """A4 landscape, fit to the page width, header row repeated on every page,
    gridlines, the team in the page header, the result codes as numbered words
    and "第 X 页 共 Y 页" in the footer, a drop-down of the numbered words on
    the result column; saved atomically and owner-only (0600)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    setup_book(wb, team, lang)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    os.chmod(path, 0o600)


def setup_book(wb: object, team: str, lang: str) -> None:
    """The print setup of :func:`print_setup` on an open openpyxl workbook."""
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.properties import PageSetupProperties

    from toolkit.i18n import t
    from toolkit.sampling.field_dispositions import HEADERS_EN, SHEETS_EN, numbered_codes

    codes = numbered_codes(lang)
    for ws in wb.worksheets:
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.right.text = t("paper.lists.page", lang)
        ws.oddFooter.right.size = 8
        if ws.title in (SHEETS_EN["说明"], "说明"):
            ws.page_setup.orientation = "portrait"
            continue
        ws.page_setup.orientation = "landscape"
        ws.print_title_rows = "1:1"
        ws.print_options.gridLines = True
        reserve = ws.title in ("备用名单", SHEETS_EN["备用名单"])
        ws.oddHeader.center.text = t("paper.lists.reserve_header" if reserve else "paper.lists.header", lang,
                                     team=team)
        ws.oddHeader.center.size = 10
        ws.oddFooter.left.text = t("paper.lists.codes", lang, codes="  ".join(codes))
        ws.oddFooter.left.size = 8
        heads = {str(c.value): c.column_letter for c in ws[1] if c.value is not None}
        for zh, width in WIDE.items():
            col = heads.get(zh if lang == "zh" else HEADERS_EN.get(zh, zh))
            if col:
                ws.column_dimensions[col].width = width
        result = heads.get("结果代码" if lang == "zh" else HEADERS_EN["结果代码"])
        if result and ws.max_row >= 2:
            dv = DataValidation(type="list", formula1='"' + ",".join(codes) + '"', allow_blank=True,
                                showErrorMessage=False)
            dv.add(f"{result}2:{result}{ws.max_row}")
            ws.add_data_validation(dv)


def write_visit_lists(sample: Sample, frame: pd.DataFrame, outdir: str | Path, *,
                      comparison: pd.DataFrame | None = None, teams: Mapping[str, str] | None = None,
                      mask: bool = True, manifest: Mapping | Callable[[], Mapping] | None = None,
                      lang: str = "zh") -> VisitLists:
    """Write the team workbooks and ``odk_preload.csv`` into ``outdir``.
    ``manifest`` (for the 说明 sheet) may be a function giving it, called once
    every team's rows are ready.

    ``mask`` masks the ID number only (names, phones and addresses are always
    printed in full); ``lang`` the headers and words of the workbooks."""
    from toolkit.sampling.field_dispositions import HEADERS_EN, SHEETS_EN
    from toolkit.sampling.sample_files import stratum_words   # "roster|包河区" → "包河区 · 档案户"

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    idc = sample.design.id_column
    keys = _keys(frame, comparison, idc)
    # the drawn households' records found once for units and reserves (one pass over the roster's ids)
    info = _records(set(sample.units["archive_id"].astype(str)) | set(sample.reserves["archive_id"].astype(str)),
                    frame, comparison, idc, keys)
    units = _details(sample.units, frame, comparison, idc, mask, keys, info)
    res = _details(sample.reserves, frame, comparison, idc, mask, keys, info)
    del keys
    units["team"] = _team_of(units, teams)
    res["team"] = _team_of(res, teams)
    units = units.sort_values(["county", "township", "stratum", "rank", "archive_id"], kind="mergesort",
                              na_position="last")
    res = res.sort_values(["stratum", "psu", "reserve_rank"], kind="mergesort")
    sheet = (lambda zh: zh) if lang == "zh" else (lambda zh: SHEETS_EN[zh])
    prefix = "入户名单" if lang == "zh" else "visit_list"
    # every team's rows neutralised and in words once, then split by team (300 teams at national size)
    u_team = units["team"].astype(str).to_numpy()
    r_team = res["team"].astype(str).to_numpy()
    u_all = units.assign(stratum=stratum_words(units["stratum"], lang),
                         _no=units.groupby(u_team, sort=False).cumcount().to_numpy() + 1)
    u_heads, u_cols = prepared(_headers(_sheet(u_all, SAMPLE_COLUMNS), lang))
    r_heads, r_cols = prepared(_headers(_sheet(res.assign(stratum=stratum_words(res["stratum"], lang)),
                                               RESERVE_COLUMNS), lang))
    u_w, r_w = widths_of(u_cols), widths_of(r_cols)          # cell widths and kinds once, not per team
    u_k, r_k = sheet_kinds(u_cols), sheet_kinds(r_cols)
    u_rows = pd.Series(np.arange(len(u_team))).groupby(u_team, sort=False).indices if len(u_team) else {}
    r_rows = pd.Series(np.arange(len(r_team))).groupby(r_team, sort=False).indices if len(r_team) else {}
    none = np.empty(0, dtype=np.int64)
    # every row's XML once for all teams (row number = place in its team's sheet + 2)
    u_xml = sheet_rows(u_cols, u_k, pd.Series(u_team).groupby(u_team, sort=False).cumcount().to_numpy() + 2)
    r_xml = sheet_rows(r_cols, r_k, pd.Series(r_team).groupby(r_team, sort=False).cumcount().to_numpy() + 2)
    result = "结果代码" if lang == "zh" else HEADERS_EN["结果代码"]
    if callable(manifest):          # the manifest may still be in the making (its fingerprint): wanted only now
        manifest = manifest()
    about_sheet = prepared(_headers(_about(sample, manifest, lang), lang))
    wide = {(zh if lang == "zh" else HEADERS_EN.get(zh, zh)): w for zh, w in WIDE.items()}
    written: dict[str, Path] = {}
    for team in sorted(set(u_team) | set(r_team)):
        ui, ri = u_rows.get(team, none), r_rows.get(team, none)
        path = write_book(outdir / f"{prefix}_{_safe(team)}.xlsx", {
            sheet("入户名单"): (u_heads, [c[ui] for c in u_cols], [w[ui] for w in u_w], u_k, team_rows(u_xml, ui)),
            sheet("备用名单"): (r_heads, [c[ri] for c in r_cols], [w[ri] for w in r_w], r_k, team_rows(r_xml, ri)),
            sheet("说明"): about_sheet}, team=team, lang=lang, about_sheet=sheet("说明"),
            reserve_sheet=sheet("备用名单"), result_header=result, wide=wide)
        os.chmod(path, 0o600)
        written[team] = path
    both = pd.concat([units.assign(role="sample", reserve_rank=""),
                      res.assign(role="reserve")], ignore_index=True)
    both["name"] = both["archive_id"]
    both["label"] = (both["township"].astype("string").fillna("") + " · " +
                     both["name_masked"].astype("string").fillna("") + " · " + both["archive_id"])
    both["address"] = both["address"].astype("string").fillna("")
    odk = both[list(ODK_COLUMNS)]
    odk_path = write_table(odk, outdir / "odk_preload.csv", encoding="utf-8")
    os.chmod(odk_path, 0o600)
    return VisitLists(written, odk_path)


__all__ = ["write_visit_lists", "VisitLists", "SAMPLE_COLUMNS", "RESERVE_COLUMNS", "ODK_COLUMNS"]
