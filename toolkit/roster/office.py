"""Rosters as union offices keep them: titles, two-level headers, totals,
signature lines and notes, one sheet per county.

A union office's workbook is a printed form as much as a data file: a title
row ("合肥市困难职工档案名册"), a header of two levels ("基本信息" over 姓名 /
性别 / 身份证号, with 档案编号 merged down both rows), a 合计 or 小计 row per
page or county, blank rows, a signature block (填表人 / 审核人 / 单位盖章 /
日期) and notes (注：…). This module finds the header inside such a sheet and
tells which rows are households and which are not, so that the reader keeps
every household and lists every other row with the reason it is not one:
rows read = households + not-households, nothing dropped silently.

Recognition works on whole columns (Arrow regexes over the first non-blank
cell of each row), never row by row in Python.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from toolkit.roster import fastre, parse
from toolkit.roster.schema import normalise_header

HEADER_SCAN_ROWS = 10   # how many leading rows may hold a title before the header
MIN_HEADER_MATCHES = 3  # known headers needed to recognise the header row

# What a not-household row looks like, tested on its first non-blank cell
# (spaces removed; a 序号 column is skipped). Order = precedence.
_TOTAL = r"^[^0-9A-Za-z]{0,16}?(合计|小计|总计|共计|累计|合\s*计|小\s*计)"
_SIGNATURE = (r"^[(（\[【]?(填表人|填报人|制表人|审核人|审批人|复核人|负责人|单位负责人|经办人|联系人|"
              r"盖章|单位盖章|公章|签字|签名|签章|日期|填表日期|填报日期|报送日期|制表日期|"
              r"填报单位|报送单位|填表单位)")
_NOTE = r"^[(（\[【]?(注|备注|说明|填表说明|附注|注释)([:：0-9一二三四五六七八九十、.．)）\]】]|$)|^[※*]"
# the kinds of not-household rows, in words through i18n ``roster2.kind.<kind>``
KINDS = ("blank", "header", "total", "signature", "note")
NOT_HOUSEHOLD_COLUMNS = ["sheet", "row", "kind", "text"]
_SPACES = re.compile(r"[\s\u3000]+")
# the patterns above for polars (toolkit.roster.fastre): RE2's \s spelled out (Rust's is Unicode-wide)
_TOTAL_RX = _TOTAL.replace(r"\s", r"[\t\n\f\r ]")
_NUMBERING = {"序号", "序", "no", "no.", "编号序号", "顺序号"}


def _cell_text(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return str(v).strip()


def _hits(row: list[object], table: dict[str, str]) -> int:
    return sum(normalise_header(v) in table for v in row if _cell_text(v))


def header_rows(cells: pd.DataFrame, table: dict[str, str], first: int) -> tuple[int, list[object]]:
    """(0-based position of the last header row, the header per column).

    ``first`` is the row the plain search chose (the first with enough known
    headers). A two-level header is read as one: when the next row also holds
    known headers, or the row above holds a known header where this row is
    blank (a cell merged down two rows), each column takes its lower header,
    or the upper one where the lower is blank; a lower header that is not
    known by itself is tried with the upper one in front ("家庭年收入" over
    "（元）"). Merged cells read as blank to the right of or below their value,
    so the upper row is carried to the right under its group."""
    n = min(len(cells), HEADER_SCAN_ROWS + 2)
    if n == 0:
        return first, []
    rows = [cells.iloc[i].tolist() for i in range(n)]
    lower, upper = first, None
    if first + 1 < n and _hits(rows[first + 1], table) >= 2:
        lower, upper = first + 1, first
    elif first >= 1:
        above, here = rows[first - 1], rows[first]
        if any(_cell_text(a) and not _cell_text(h) and normalise_header(a) in table
               for a, h in zip(above, here)):
            upper = first - 1
    lo_row = rows[lower]
    if upper is None:
        return lower, lo_row
    up_row = rows[upper]
    out: list[object] = []
    carried = ""
    for lo, up in zip(lo_row, up_row):
        lo_t, up_t = _cell_text(lo), _cell_text(up)
        if up_t:
            carried = up_t
        if not lo_t:
            out.append(up_t or None)
            if not up_t:
                carried = ""
            continue
        if normalise_header(lo_t) in table or not carried:
            out.append(lo_t)
        elif normalise_header(carried + lo_t) in table:
            out.append(carried + lo_t)
        else:
            out.append(lo_t)
    return lower, out


def classify_rows(body: pd.DataFrame, headers: list[object], table: dict[str, str],
                  id_columns: list[int], texts_out: dict[int, pd.Series] | None = None) -> pd.Series:
    """Per body row: "" for a household, else the kind of not-household row
    (KINDS). A row whose ID-number cell holds 15 or more digits is a household
    whatever its first cell says. ``id_columns``: positions of ID-number cells.

    One pass over the columns gives each row's first non-blank cell and its
    count of non-blank cells (a bare number in a 序号 column counts as blank:
    offices pre-number empty rows); the patterns then run on that one column
    of text. ``texts_out``: filled with each column's ``parse.as_text`` (by
    position), so the caller types the columns without folding them again."""
    skip = {i for i, h in enumerate(headers) if normalise_header(_cell_text(h)) in _NUMBERING}
    cols: list[pa.ChunkedArray] = []
    count = np.zeros(len(body), dtype=np.int64)
    person = np.zeros(len(body), dtype=bool)
    texts: dict[int, pd.Series] = {}
    for j in range(body.shape[1]):
        text = parse.as_text(body.iloc[:, j])
        texts[j] = text
        arr = text.array._pa_array          # Arrow-backed (parse.as_text)
        if j in id_columns:
            person |= fastre.contains(arr, r"[0-9]{15}")
        if j in skip:   # a 序号 alone does not make a row; "小计" written there does
            arr = pc.if_else(pa.array(fastre.contains(arr, r"^[0-9]+(?:\.0+)?$")), pa.scalar(None, arr.type), arr)
        count += np.asarray(pc.is_valid(arr).to_numpy(zero_copy_only=False), dtype=bool)
        cols.append(arr)
    first_arr = pc.coalesce(*cols) if cols else pa.chunked_array([pa.nulls(len(body), pa.large_string())])
    if isinstance(first_arr, pa.ChunkedArray):
        first_arr = first_arr.combine_chunks()
    first_arr = first_arr.cast(pa.large_string())
    # spaces inside the first cell ("合  计") removed, on the few rows that have any
    spaced = pa.array(fastre.contains(first_arr, "[\t\n\f\r \u3000]")) if len(body) else None
    if spaced is not None and pc.any(spaced).as_py():
        squeezed_few = [_SPACES.sub("", v) for v in pc.filter(first_arr, spaced).to_pylist()]
        first_arr = pc.replace_with_mask(first_arr, spaced, pa.array(squeezed_few, type=pa.large_string()))
    arr = first_arr
    kind = pd.Series("", index=body.index, dtype=object)
    # the first cells' patterns, handed to polars once
    short_m, note_m, sign_m, total_m = fastre.contains_each(arr, [r"^[^0-9]{1,16}$", _NOTE, _SIGNATURE, _TOTAL_RX])

    # a repeated header (a table printed page by page): its first cell is a
    # header or 序号, and the row holds 3+ known headers (counted on those rows only)
    short = pc.unique(pc.filter(arr, pa.array(short_m))).to_pylist() if len(body) else []
    names = [v for v in short if normalise_header(v) in table or normalise_header(v) in _NUMBERING]
    cand = np.asarray(pc.fill_null(pc.is_in(arr, value_set=pa.array(names, type=pa.large_string())), False)
                      .to_numpy(zero_copy_only=False), dtype=bool) if names else np.zeros(len(body), dtype=bool)
    head = np.zeros(len(body), dtype=bool)
    if cand.any():
        hits = np.zeros(int(cand.sum()), dtype=np.int64)
        for j in range(body.shape[1]):
            vals = texts[j][cand].astype(object)
            hits += vals.map(lambda v: normalise_header(v) in table, na_action="ignore").fillna(False).to_numpy(dtype=bool)
        head[cand] = hits >= MIN_HEADER_MATCHES
    for k, mask in (("note", note_m), ("signature", sign_m), ("total", total_m),
                    ("header", head)):
        kind[mask & ~person] = k
    kind[count == 0] = "blank"
    if texts_out is not None:
        texts_out.update(texts)
    return kind


def row_text(body: pd.DataFrame, mask: np.ndarray, limit: int = 60) -> pd.Series:
    """What a not-household row says (its non-blank cells joined, shortened),
    so a person can find it: "合计 · 373 · 1,234,500"."""
    part = body[mask]
    if part.empty:
        return pd.Series([], dtype=object)
    cols = [parse.as_text(part.iloc[:, j]) for j in range(part.shape[1])]
    texts = pd.concat(cols, axis=1).astype(object).where(lambda d: d.notna(), None)
    joined = texts.apply(lambda r: " · ".join(v for v in r if v), axis=1, result_type="reduce")
    joined = joined.astype(str).str.slice(0, limit)
    return joined.reset_index(drop=True)


def sheet_fields(headers: list[object], table: dict[str, str]) -> frozenset[str]:
    """The canonical fields a header row names."""
    return frozenset(table[n] for n in (normalise_header(_cell_text(h)) for h in headers if _cell_text(h))
                     if n in table)


_SAFE_NAME = re.compile(r"[\x00-\x1f]")


def clean_sheet_name(name: object) -> str:
    """A sheet name as a person reads it (control characters removed)."""
    return _SAFE_NAME.sub("", str(name)).strip()


__all__ = ["HEADER_SCAN_ROWS", "MIN_HEADER_MATCHES", "KINDS", "NOT_HOUSEHOLD_COLUMNS", "header_rows",
           "classify_rows", "row_text", "sheet_fields", "clean_sheet_name"]
