"""Read the union's filled report, however an office filled it.

Accepted (every case is in tests/reconcile):

* any sheet whose header names a county column, a group column (困难类别,
  档案状态 or 帮扶项目 with 年度) and at least one measure (户数, 人数, 笔数,
  金额); sheet names do not matter, other sheets (说明) are listed as not
  read with the reason; headers in Chinese or English, in any of the first
  15 rows after title rows;
* merged cells: a merged header over two columns (发放情况 over 笔数 and
  金额) and a county merged down its rows read as if every cell held the
  value; a header on two rows (the second row a continuation: no numbers)
  is combined;
* numbers as numbers or as text: thousands separators (1,234 and
  full-width １，２３４), full-width digits, a unit after the number
  (12户, 3人, 5笔, 1200元), 万 / 万元 after the number (×10,000), and
  "—", "-", "/", "无" meaning none (0, as in Chinese statistical tables);
* amounts in 万元 when the header says so (金额（万元）) or a title row above
  the header says 单位：万元; each such amount carries a rounding allowance
  of half a unit of its last digit (spec.py);
* rows that are not tallies are excluded with their reason: blank rows,
  totals (合计, 小计, 总计, 全市 …), notes and signatures (填表人, 审核人,
  盖章, 日期, 备注 …), a repeated header;
* a row whose county, category, status, item or year is blank or unknown,
  or a second row for the same tally (the first row is named), is excluded;
* a value cell that is not a number (待核), negative, not whole where a
  count is meant, or a formula without a saved value, is excluded as a cell
  and the rest of its row kept; a row left with no usable value is excluded.

Every row after the header is either accepted or excluded with (sheet, row,
column, value, rule): rows read = rows accepted + rows excluded, per sheet.
Only .xlsx is read (the template's format), bounded by toolkit.safezip.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import UserError
from toolkit.reconcile.spec import (COUNT_MEASURES, DASHES, GROUP_FIELD, GROUPS, MEASURES, NOTE_WORDS, TEN_THOUSAND,
                                    TOTAL_WORDS, header_field, norm)

HEADER_SCAN = 15
MAX_ROWS = 20_000
"""A tally report holds totals per county; more rows than this is not one."""


def _limits():  # noqa: ANN202 - toolkit.safezip.ZipLimits
    from toolkit.safezip import MiB, ZipLimits

    return ZipLimits(max_members=1_000, max_member_bytes=64 * MiB, max_total_bytes=128 * MiB)
EXCLUDED_COLUMNS = ["sheet", "row", "scope", "column", "value", "rule", "detail"]
REPORTED_COLUMNS = ["kind", "county", "group", "year", "measure", "value", "allowance", "sheet", "row", "cell"]


@dataclass(frozen=True, eq=False)
class Reported:
    """The union's report as read.

    tallies: one row per reported number (kind, county, group, year,
    measure, value in yuan / counts, allowance: rounding allowance in yuan,
    sheet, row, cell as written); excluded: rows and cells not used, with
    sheet, row, scope (row / cell), column (header as written), value,
    rule and detail; sheets: per sheet its kind (or why it was not read),
    header row, rows read, accepted and excluded."""

    tallies: pd.DataFrame
    excluded: pd.DataFrame
    sheets: pd.DataFrame
    source: str


def _cell_text(values: pd.Series) -> pd.Series:
    """Raw cells as text: numbers without a trailing .0, None as ''."""
    num = values.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    out = values.astype("string").fillna("")
    nums = pd.to_numeric(values.where(num), errors="coerce")
    whole = num & (nums % 1 == 0)
    out = out.where(~whole, nums.where(whole).astype("Int64").astype("string"))
    return out.fillna("")


def parse_numbers(values: pd.Series) -> pd.DataFrame:
    """Cells → number, decimals written, multiplier (1 or 10,000) and a rule
    for a cell that is not a number ('' when fine, 'blank' when empty)."""
    text = _cell_text(values).str.normalize("NFKC").str.replace(r"[\s\u3000]+", "", regex=True)
    blank = text == ""
    dash = text.isin(DASHES)
    s = text.str.replace(r"(?<=\d),(?=\d{3}(?:\D|$))", "", regex=True)
    wan = s.str.contains(r"\d万元?$", regex=True)
    s = s.str.replace(r"万元?$", "", regex=True).str.replace(r"(户|人次|人|笔|次|元)$", "", regex=True)
    s = s.where(~dash, "0")
    num = pd.to_numeric(s.where(s.str.fullmatch(r"[+-]?\d+(?:\.\d+)?"), None), errors="coerce")
    dec = s.str.extract(r"\.(\d+)$")[0].str.len().fillna(0).astype("int64")
    rule = pd.Series("", index=values.index, dtype=object)
    rule[num.isna()] = "not_a_number"
    rule[blank] = "blank"
    rule[num.notna() & (num < 0)] = "negative"
    return pd.DataFrame({"text": text, "number": num.astype(float), "decimals": dec,
                         "multiplier": np.where(wan, 10_000.0, 1.0), "rule": rule})


def _grid(ws, formulas) -> pd.DataFrame:  # noqa: ANN001 - openpyxl worksheets
    """The sheet's values with merged ranges filled from their top-left cell
    and formulas without a saved value marked; trailing blank rows dropped."""
    rows = list(ws.iter_rows(values_only=True))
    if len(rows) > MAX_ROWS:
        raise UserError("recon.too_many_rows", sheet=ws.title, rows=len(rows), limit=MAX_ROWS)
    width = max((len(r) for r in rows), default=0)
    g = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows], dtype=object)
    if formulas is not None and len(g):
        for r in formulas.iter_rows():
            for c in r:
                if isinstance(c.value, str) and c.value.startswith("=") and c.row - 1 < len(g) \
                        and c.column - 1 < width and g.iat[c.row - 1, c.column - 1] is None:
                    g.iat[c.row - 1, c.column - 1] = _Formula(c.value)
    for rng in ws.merged_cells.ranges:
        r0, c0 = rng.min_row - 1, rng.min_col - 1
        if r0 < len(g) and c0 < width:
            g.iloc[r0:rng.max_row, c0:rng.max_col] = g.iat[r0, c0]
    nonblank = g.apply(lambda col: col.map(lambda v: v is not None and str(v).strip() != "")).any(axis=1)
    last = nonblank[nonblank].index.max() if nonblank.any() else -1
    g = g.iloc[: last + 1]
    g.index = pd.RangeIndex(1, len(g) + 1)   # spreadsheet row numbers
    return g


class _Formula(str):
    """A formula cell whose value the file does not hold (never computed here)."""


def _header(g: pd.DataFrame) -> tuple[int, int, dict[int, str], dict[int, str]] | None:
    """(header row, first data row, column → field, column → header text) or None."""
    for r in list(g.index[:HEADER_SCAN]):
        top = g.loc[r].map(lambda v: "" if v is None else str(v).strip())
        fields = {j: header_field(v) for j, v in top.items()}
        if "county" not in fields.values():
            continue
        texts = dict(top.items())
        start = r + 1
        if r + 1 in g.index:
            nxt = g.loc[r + 1]
            nxt_text = nxt.map(lambda v: "" if v is None else str(v).strip())
            county_col = next(j for j, f in fields.items() if f == "county")
            cont = (not parse_numbers(nxt)["number"].notna().any() and (nxt_text != "").any()
                    and nxt_text[county_col] in ("", texts[county_col]))
            if cont:   # a second header row: combine (发放情况 + 笔数 → 发放情况笔数)
                texts = {j: texts[j] + nxt_text[j] if nxt_text[j] and nxt_text[j] != texts[j] else texts[j]
                         for j in texts}
                fields = {j: header_field(v) for j, v in texts.items()}
                start = r + 2
        got = set(fields.values())
        if got & {"category", "status", "item"} and got & {"households", "persons", "payments", "amount"}:
            return r, start, fields, texts
    return None


def _kind(fields: dict[int, str]) -> str:
    got = set(fields.values())
    if "item" in got:
        return "payments"
    if "category" in got:
        return "category"
    return "status"


def _words_match(text: pd.Series, words: tuple[str, ...]) -> pd.Series:
    n = text.map(norm)
    return n.map(lambda s: any(w in s for w in words)) if len(n) else pd.Series(False, index=text.index)


def read_report(path: str | Path, counties: list[tuple[str, str]]) -> Reported:
    """Read a filled report (see the module doc); ``counties``: the project's
    (name, area code) pairs. UserError when the file is not a readable xlsx or
    no sheet holds a tally."""
    import openpyxl

    from toolkit import safezip
    from toolkit.vault import source

    p = Path(path)
    if not p.is_file():
        raise UserError("recon.no_file", path=str(p))
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UserError("recon.not_xlsx", path=str(p))
    src = source(p)
    safezip.check(p, _limits(), opened=src if not isinstance(src, Path) else None)
    try:
        book = openpyxl.load_workbook(source(p), data_only=True)
        fbook = openpyxl.load_workbook(source(p), data_only=False)
    except Exception as e:  # noqa: BLE001 - any broken workbook is the user's file
        raise UserError("recon.unreadable", path=str(p), detail=str(e).splitlines()[0] if str(e) else "") from None
    names = {norm(n): n for n, _ in counties} | {norm(c): n for n, c in counties}
    names |= {norm(n).rstrip("区县市"): n for n, _ in counties if len(n) > 2}
    tallies, excluded, sheets = [], [], []
    for ws in book.worksheets:
        g = _grid(ws, fbook[ws.title])
        found = _header(g) if len(g) else None
        if found is None:
            sheets.append({"sheet": ws.title, "kind": "", "header_row": 0, "read": len(g), "accepted": 0,
                           "excluded": 0, "reason": "no_tally_header" if len(g) else "empty"})
            continue
        hrow, start, fields, texts = found
        kind = _kind(fields)
        title_text = " ".join(str(v) for v in g.loc[: hrow - 1].to_numpy().ravel() if v is not None) if hrow > 1 else ""
        sheet_wan = any(w in norm(title_text) for w in ("单位:万元", "单位万元", "unit:10kyuan", "单位:万"))
        t, x, info = _read_sheet(g.loc[start:], ws.title, kind, fields, texts, names, sheet_wan)
        tallies.append(t)
        excluded.append(x)
        sheets.append({"sheet": ws.title, "kind": kind, "header_row": hrow, **info, "reason": ""})
    sheet_frame = pd.DataFrame(sheets, columns=["sheet", "kind", "header_row", "read", "accepted", "excluded",
                                                "reason"])
    if not (sheet_frame["kind"] != "").any():
        raise UserError("recon.no_tallies", path=str(p))
    tl = [f for f in tallies if len(f)]
    xl = [f for f in excluded if len(f)]
    return Reported(pd.concat(tl, ignore_index=True) if tl else pd.DataFrame(columns=REPORTED_COLUMNS),
                    pd.concat(xl, ignore_index=True) if xl else pd.DataFrame(columns=EXCLUDED_COLUMNS),
                    sheet_frame, str(p))


def _read_sheet(d: pd.DataFrame, sheet: str, kind: str, fields: dict[int, str], texts: dict[int, str],
                names: dict[str, str], sheet_wan: bool) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    col = {f: j for j, f in reversed(list(fields.items())) if f}
    text = d.apply(lambda c: c.map(lambda v: "" if v is None else str(v).strip())) if len(d) else d
    rows = pd.Series("", index=d.index, dtype=object)
    detail = pd.Series("", index=d.index, dtype=object)
    bad_col = pd.Series("", index=d.index, dtype=object)
    bad_val = pd.Series("", index=d.index, dtype=object)

    def exclude(mask: pd.Series, rule: str, column: str = "", values: pd.Series | None = None,
                why: pd.Series | None = None) -> None:
        m = mask & (rows == "")
        rows[m] = rule
        bad_col[m] = column
        if values is not None:
            bad_val[m] = values[m]
        if why is not None:
            detail[m] = why[m]

    first = text.apply(lambda r: next((v for v in r if v), ""), axis=1) if len(d) else pd.Series(dtype=object)
    exclude(first == "", "blank_row")
    gcol = col[GROUP_FIELD[kind]]
    ccol = col["county"]
    keys_text = text[ccol] + " " + text[gcol]
    exclude(_words_match(keys_text, TOTAL_WORDS) | _words_match(first, TOTAL_WORDS), "total_row", "", first)
    exclude(_words_match(first, NOTE_WORDS), "note_row", "", first)
    exclude(text[ccol].map(header_field) == "county", "repeated_header", "", first)
    county = text[ccol].map(norm).map(names)
    exclude(text[ccol] == "", "no_county", texts[ccol], text[ccol])
    exclude(county.isna(), "unknown_county", texts[ccol], text[ccol])
    group_n = text[gcol].map(norm)
    allowed = {norm(w): w for w in GROUPS[kind]}
    group = group_n.map(allowed)
    exclude(text[gcol] == "", f"no_{GROUP_FIELD[kind]}", texts[gcol], text[gcol])
    exclude(group.isna(), f"unknown_{GROUP_FIELD[kind]}", texts[gcol], text[gcol])
    year = pd.Series(pd.NA, index=d.index, dtype="Int64")
    if kind == "payments":
        if "year" not in col:
            exclude(pd.Series(True, index=d.index), "no_year", "", None)
        else:
            yt = text[col["year"]].str.normalize("NFKC").str.replace(r"\s|年|年度", "", regex=True)
            yn = pd.to_numeric(yt.where(yt.str.fullmatch(r"\d{4}(?:\.0)?")), errors="coerce")
            exclude(yn.isna() | (yn < 1990) | (yn > 2100), "bad_year", texts[col["year"]], text[col["year"]])
            year = yn.astype("Int64")
    measures = [m for m in MEASURES[kind] if m in col]
    vals, cells = {}, []
    for m in measures:
        j = col[m]
        pn = parse_numbers(d[j])
        formula = d[j].map(lambda v: isinstance(v, _Formula))
        rule = pn["rule"].where(~formula, "formula_no_value")
        if m in COUNT_MEASURES:
            rule = rule.where(~((rule == "") & (pn["number"] * pn["multiplier"] % 1 != 0)), "not_whole")
        mult = pn["multiplier"]
        allowance = pd.Series(0.0, index=d.index)
        if m == "amount":
            head_wan = any(w in norm(texts[j]) for w in TEN_THOUSAND)
            head_yuan = "元" in texts[j] and not head_wan
            wan_unit = (head_wan or (sheet_wan and not head_yuan))
            mult = np.where(wan_unit, 10_000.0, mult)
            allowance = pd.Series(np.where(mult > 1, 0.5 * mult * 10.0 ** (-pn["decimals"].astype(float)), 0.0),
                                  index=d.index)
        vals[m] = pd.DataFrame({"value": (pn["number"] * mult).round(6), "allowance": allowance,
                                "rule": rule, "cell": pn["text"]})
        cells.append(pd.DataFrame({"row": d.index, "column": texts[j], "value": text[j], "rule": rule}))
    if not measures:
        exclude(pd.Series(True, index=d.index), "no_measure")
    usable = pd.concat([(v["rule"] == "") for v in vals.values()], axis=1).any(axis=1) if vals else \
        pd.Series(False, index=d.index)
    exclude(~usable, "no_number", "", first)
    ok = rows == ""
    key = (county.fillna("") + "|" + group.fillna("") + "|" + year.astype("string").fillna(""))[ok]
    dup = key.duplicated(keep="first")
    if dup.any():
        firstrow = pd.Series(key.index, index=key.index).groupby(key.to_numpy()).transform("first")
        exclude(dup.reindex(d.index, fill_value=False), "duplicate_row", "", None,
                firstrow.astype("string").reindex(d.index).fillna(""))
    ok = rows == ""
    out = []
    for m, v in vals.items():
        use = ok & (v["rule"] == "")
        out.append(pd.DataFrame({"kind": kind, "county": county[use], "group": group[use], "year": year[use],
                                 "measure": m, "value": v.loc[use, "value"], "allowance": v.loc[use, "allowance"],
                                 "sheet": sheet, "row": d.index[use].astype("int64"), "cell": v.loc[use, "cell"]}))
    tallies = pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=REPORTED_COLUMNS)
    xr = pd.DataFrame({"sheet": sheet, "row": d.index[~ok].astype("int64"), "scope": "row",
                       "column": bad_col[~ok], "value": bad_val[~ok], "rule": rows[~ok], "detail": detail[~ok]})
    cell_x = pd.concat(cells, ignore_index=True) if cells else pd.DataFrame(columns=["row", "column", "value", "rule"])
    cell_x = cell_x[cell_x["row"].isin(d.index[ok]) & ~cell_x["rule"].isin(("", "blank"))]
    xc = cell_x.assign(sheet=sheet, scope="cell", detail="")
    excluded = pd.concat([xr, xc[EXCLUDED_COLUMNS]], ignore_index=True).sort_values(["row", "scope"], kind="stable")
    info = {"read": len(d), "accepted": int(ok.sum()), "excluded": int((~ok).sum())}
    return tallies[REPORTED_COLUMNS], excluded[EXCLUDED_COLUMNS].reset_index(drop=True), info


__all__ = ["Reported", "read_report", "parse_numbers", "EXCLUDED_COLUMNS", "REPORTED_COLUMNS"]
