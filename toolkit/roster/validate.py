"""Roster validation: every rule of the foundation issue, on whole columns.

``validate(roster, config)`` returns a problems table, one row per problem:
``row`` (the spreadsheet row a person sees), ``column`` (canonical field),
``value`` (as text), ``rule``, ``severity`` (error | warning), ``message``.
The roster itself is never changed or filtered: it keeps every row and the
problems say which are wrong.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from toolkit.config import CATEGORIES, LEVELS, STATUSES, Evaluation
from toolkit.i18n import t
from toolkit.roster import fastre, parse
from toolkit.roster.idcard import CHECK_CHARS, WEIGHTS, _digit_matrix, check_chars
from toolkit.roster.read import Roster, derive_income_per_capita
from toolkit.roster.schema import CAUSES, REQUIRED, SEXES, BY_NAME

PROBLEM_COLUMNS = ["row", "column", "value", "rule", "severity", "message"]
WARNING_RULES = frozenset({"id_15_digit", "birth_vs_id", "income_per_capita_inconsistent",
                           "phone_format", "county_code_mismatch", "exit_date_but_active",
                           "cause_unknown", "level_unknown"})
EXITED = ("已脱困", "已解困")
_MOBILE = r"1[3-9]\d{9}"
_LANDLINE = r"(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,4})?"
_SCI = r"\d+(\.\d+)?E\+?\d+"
# the same patterns for polars (toolkit.roster.fastre): ASCII classes, as RE2's \d and \s are
_SCI_RX = r"^[0-9]+(?:\.[0-9]+)?E\+?[0-9]+$"
_PHONE_SPACES = r"[\t\n\f\r ()（）]"
_PHONE_RX = (r"^(?:1[3-9][0-9]{9})$|^(?:(?:0[0-9]{2,3}-?)?[2-9][0-9]{6,7}(?:-[0-9]{1,4})?)$")


class _Collector:
    """Gathers (mask, column, rule, value, detail) into one problems frame."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: pd.Series | np.ndarray, column: str, rule: str,
            detail: pd.Series | str | None = None, value: pd.Series | None = None) -> None:
        m = np.asarray(mask, dtype=bool)
        if not m.any():
            return
        idx = self.frame.index[m]
        src = value if value is not None else self.frame[column] if column in self.frame else None
        if src is None:
            vals = pd.Series("", index=idx)
        else:
            vals = _as_display(src[m])
        part = pd.DataFrame({"row": idx.to_numpy(), "column": column, "value": vals.to_numpy(),
                             "rule": rule})
        if isinstance(detail, pd.Series):
            part["detail"] = _as_display(detail[m]).to_numpy()
        else:
            part["detail"] = detail or ""
        self.parts.append(part)

    def result(self, lang: str | None, keys: dict[str, str] | None = None) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype="int64" if c == "row" else object)
                                 for c in PROBLEM_COLUMNS})
        out = pd.concat(self.parts, ignore_index=True)
        out["severity"] = np.where(out["rule"].isin(WARNING_RULES), "warning", "error")
        out["message"] = _messages(out["rule"], out["detail"], lang, keys)
        out = out.drop(columns="detail").sort_values(["row", "column", "rule"], kind="stable")
        return out.reset_index(drop=True)[PROBLEM_COLUMNS]


def _as_display(s: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.strftime("%Y-%m-%d").fillna("").astype(object)
    if s.dtype.kind == "f":
        return s.map(lambda v: "" if pd.isna(v) else (f"{v:.0f}" if float(v).is_integer() else f"{v:g}")).astype(object)
    return s.astype("string").fillna("").astype(object)


def rule_key(rule: str) -> str:
    """The i18n key explaining ``rule`` (rules added with office workbooks
    live in the ``roster2.`` catalogue)."""
    from toolkit.i18n import catalog

    key = f"roster.rule.{rule}"
    return key if key in catalog() else f"roster2.rule.{rule}"


def _messages(rules: pd.Series, details: pd.Series, lang: str | None,
              keys: dict[str, str] | None = None) -> pd.Series:
    """Message text per problem, built per rule (not per row). ``keys``:
    another message for a rule (the same problem said with a sheet name).
    Cells are set by position into one object array (setting them by label
    with ``.loc``, rule by rule, took seconds for 3 million problems)."""
    if rules.index.is_unique:
        codes, uniq = pd.factorize(rules, sort=False)
        vals = np.full(len(rules), "", dtype=object)
        for k, rule in enumerate(uniq):
            pos = np.flatnonzero(codes == k)
            key = (keys or {}).get(str(rule)) or rule_key(str(rule))
            template = t(key, lang, detail="\x00")
            if "\x00" in template:
                head, tail = template.split("\x00", 1)
                vals[pos] = (head + details.iloc[pos].astype(str) + tail).to_numpy(dtype=object)
            else:
                vals[pos] = template
        return pd.Series(vals, index=rules.index, dtype=object)
    out = pd.Series("", index=rules.index, dtype=object)
    for rule, idx in rules.groupby(rules, sort=False).groups.items():
        key = (keys or {}).get(str(rule)) or rule_key(str(rule))
        template = t(key, lang, detail="\x00")
        if "\x00" in template:
            head, tail = template.split("\x00", 1)
            out.loc[idx] = head + details.loc[idx].astype(str) + tail
        else:
            out.loc[idx] = template
    return out


def _map_distinct(s: pd.Series, mapping: dict) -> pd.Series:
    """``s.map(mapping)`` computed on the distinct values only (the first row
    of each, and of a missing cell), then spread back by position: pandas maps
    an Arrow text column through Python objects, one per cell (about 18 s for
    the county names of 5.5 million households under load). Same values, same
    dtype (the small map infers it from the same distinct values)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)      # -1: missing; codes in order of appearance
    k = len(uniques)
    # a new code's first row is where the running maximum of the codes goes up (one pass, no sort)
    first = np.flatnonzero(np.diff(np.maximum.accumulate(codes), prepend=-1) > 0)
    missing = np.flatnonzero(codes < 0)[:1]
    small = s.iloc[np.concatenate([first, missing])].map(mapping)
    out = small.take(np.where(codes < 0, k, codes))
    out.index = s.index
    out.name = s.name
    return out


def _blank(s: pd.Series) -> pd.Series:
    if s.dtype.kind in "ifMm" or pd.api.types.is_datetime64_any_dtype(s):
        return s.isna()
    if isinstance(s.array, pd.arrays.ArrowStringArray) and parse._nothing_to_trim(s.array._pa_array):
        return s.isna()   # every present cell starts with a visible character: none is blank text
    return s.isna() | (s.astype("string").str.strip() == "")


def validate(roster: Roster | pd.DataFrame, config: Evaluation | None = None, *,
             lang: str | None = None, today: dt.date | None = None) -> pd.DataFrame:
    """The problems table for a roster (see the module docstring)."""
    frame = roster.frame if isinstance(roster, Roster) else roster
    header_row = roster.header_row if isinstance(roster, Roster) else 1
    today_ts = pd.Timestamp(today or dt.date.today())
    c = _Collector(frame)
    has = frame.columns.__contains__

    # required fields: a missing column is one problem on the header row
    missing_cols = []
    for name in REQUIRED:
        if has(name):
            c.add(_blank(frame[name]), name, "required")
        else:
            missing_cols.append(name)

    sheets = has("sheet") and has("sheet_row")
    # duplicate archive ids: every repeat names the first row holding the id
    if has("archive_id"):
        ids = frame["archive_id"]
        dup = ids.notna() & fastre.duplicated(ids, keep="first")
        if dup.any():
            if sheets:
                both = ids.notna() & ids.duplicated(keep=False)
                first_at = locations(frame[both], lang).groupby(ids[both]).transform("first")
                c.add(dup, "archive_id", "duplicate_archive_id", detail=first_at.reindex(frame.index))
            else:
                first_row = pd.Series(frame.index, index=frame.index).groupby(ids).transform("first")
                c.add(dup, "archive_id", "duplicate_archive_id", detail=first_row)
    shapes = sci = None
    if has("id_number"):   # the ID shapes and the scientific-notation mask in one hand-over to polars
        *shapes, sci = _id_shapes(frame["id_number"].astype("string"), (_SCI_RX,))
        shapes = tuple(shapes)
    if has("id_number") and has("archive_id"):
        _check_one_person_many_archives(c, frame, lang, shapes)

    if has("id_number"):
        _check_ids(c, frame, today_ts, shapes, sci)

    for name, allowed, rule in (("category", CATEGORIES, "category_unknown"),
                                ("status", STATUSES, "status_unknown"),
                                ("level", LEVELS, "level_unknown")):
        if has(name):
            s = frame[name]
            c.add(s.notna() & ~s.isin(allowed), name, rule, detail="、".join(allowed))
    if has("sex"):
        s = frame["sex"]
        c.add(s.notna() & ~s.isin(SEXES), "sex", "sex_unknown")
    if has("main_cause"):
        s = frame["main_cause"]
        c.add(s.notna() & ~s.isin(CAUSES), "main_cause", "cause_unknown")

    if has("status") and has("exited_on"):
        exited = frame["status"].isin(EXITED)
        c.add(exited & frame["exited_on"].isna(), "exited_on", "exited_without_date",
              value=frame["status"])
        c.add(frame["status"].eq("在档").fillna(False) & frame["exited_on"].notna(), "exited_on",
              "exit_date_but_active")
    _check_dates(c, frame, today_ts)

    if has("household_size"):
        size = frame["household_size"]
        c.add((size < 1).fillna(False), "household_size", "household_size")
    # raw amounts only: 家庭月人均收入 = (income − rigid expenditure) / size / 12 is
    # rightly negative for households whose medical or schooling costs exceed
    # their income (支出型困难), whether the union or this tool computed it
    for name in ("household_income", "rigid_expenditure"):
        if has(name):
            c.add((frame[name] < 0).fillna(False), name, "negative_amount")

    if has("income_per_capita") and has("household_income") and has("household_size"):
        given = frame["income_per_capita"]
        derived_flag = frame["income_per_capita_derived"] if has("income_per_capita_derived") \
            else pd.Series(False, index=frame.index)
        min_wage = None
        if config is not None and has("county") and has("jobless_able_members"):
            wages = {k.name: k.min_wage for k in config.counties} | {k.code: k.min_wage for k in config.counties}
            min_wage = _map_distinct(frame["county"], wages).astype("float64")
        rule_value = derive_income_per_capita(frame, min_wage)
        tol = config.thresholds.income_tolerance_relative if config else 0.10
        off = (given - rule_value).abs() > np.maximum(tol * rule_value.abs(), 1.0)
        c.add(off.fillna(False) & ~derived_flag.astype(bool), "income_per_capita",
              "income_per_capita_inconsistent", detail=rule_value)

    if config is not None and has("county"):
        names = {k.name for k in config.counties} | {k.code for k in config.counties}
        county = frame["county"]
        c.add(county.notna() & ~county.isin(names), "county", "county_unknown")
        if has("county_code"):
            code_of = {k.name: k.code for k in config.counties}
            expected = _map_distinct(county, code_of)
            cc = frame["county_code"]
            c.add(expected.notna() & cc.notna() & (cc != expected), "county_code",
                  "county_code_mismatch", detail=expected)

    for name in ("phone", "helper_phone"):
        if has(name):
            p = frame[name]
            ok = fastre.contains(fastre.replace_all(p, _PHONE_SPACES), _PHONE_RX)
            c.add(p.notna().to_numpy(dtype=bool) & ~ok, name, "phone_format")

    out = c.result(lang, {"duplicate_archive_id": "roster2.rule.duplicate_archive_id_at"} if sheets else None)
    extra = []
    if isinstance(roster, Roster) and len(roster.parse_problems):
        pp = roster.parse_problems.copy()
        detail = pp["detail"].fillna("").astype(str) if "detail" in pp else pd.Series("", index=pp.index)
        pp["message"] = _messages(pp["rule"], detail, lang)
        extra.append(pp[PROBLEM_COLUMNS])
        # a formula cell read without its value is reported as that, not also as "blank"
        formula = pp.loc[pp["rule"] == "formula_no_value", ["row", "column"]]
        if len(formula):
            hit = pd.MultiIndex.from_frame(out[["row", "column"]]).isin(
                pd.MultiIndex.from_frame(formula.astype({"row": "int64"})))
            out = out[~(hit & (out["rule"] == "required").to_numpy())]
    if missing_cols:
        extra.append(pd.DataFrame({"row": header_row, "column": missing_cols, "value": "",
                                   "rule": "required", "severity": "error",
                                   "message": t("roster.rule.required", lang)}))
    if extra:
        out = pd.concat([out, *extra], ignore_index=True).sort_values(
            ["row", "column", "rule"], kind="stable").reset_index(drop=True)
    out["row"] = out["row"].astype("int64")
    if sheets:
        # a workbook read sheet by sheet: say which sheet and which row of it
        at = frame[["sheet", "sheet_row"]]
        at = at[~at.index.duplicated()]
        out.insert(0, "sheet", out["row"].map(at["sheet"]).astype(object).where(lambda x: x.notna(), ""))
        out.insert(1, "sheet_row", out["row"].map(at["sheet_row"]).astype("Int64"))
    return out


def locations(frame: pd.DataFrame, lang: str | None = None) -> pd.Series:
    """Where each row is, in words: "第 5 行", or "工作表“瑶海区”第 5 行" when
    the roster was read from several sheets (built per column, not per row)."""
    if "sheet" in frame and "sheet_row" in frame:
        head, rest = t("roster2.where.sheet_row", lang, sheet="\x00", row="\x01").split("\x00", 1)
        mid, tail = rest.split("\x01", 1)
        return head + frame["sheet"].astype(str) + mid + frame["sheet_row"].astype(str) + tail
    head, tail = t("roster2.where.row", lang, row="\x00").split("\x00", 1)
    return head + pd.Series(frame.index.astype(str), index=frame.index) + tail


_ID18_RX, _ID15_RX = r"^[0-9]{17}[0-9X]$", r"^[0-9]{15}$"


def _id_shapes(idn: pd.Series, also: tuple[str, ...] = ()) -> tuple[pd.Series, ...]:
    """(is 18-character ID, is 15-digit ID, then one mask per pattern in
    ``also``) per row: the Arrow column handed to polars once, one regex pass
    per pattern (computed once per validation, shared by the checks)."""
    masks = fastre.contains_each(idn, [_ID18_RX, _ID15_RX, *also])
    return tuple(pd.Series(m, index=idn.index) for m in masks)


def _normalised_ids(idn: pd.Series, shapes: tuple[pd.Series, pd.Series] | None = None) -> pd.Series:
    """18-character ID numbers for comparison: a 15-digit number is widened
    (19 + birth year, check character added); anything else that is not an
    18-character ID (an ID Excel made into a number, a typo) is left out
    (<NA>): its digits cannot be trusted to name a person."""
    is18, is15 = shapes if shapes is not None else _id_shapes(idn)
    out = idn.where(is18)
    if is15.any():
        first17 = idn[is15].str.slice(0, 6) + "19" + idn[is15].str.slice(6, 15)
        out[is15] = first17 + check_chars(first17)
    return out


def _check_one_person_many_archives(c: _Collector, frame: pd.DataFrame, lang: str | None,
                                    shapes: tuple[pd.Series, pd.Series] | None = None) -> None:
    """一人多档: one ID number on two or more different archives. Every such
    row is an error naming the other archives (id and where they are)."""
    idn = frame["id_number"].astype("string")
    if "id_number_excel_number" in frame:
        idn = idn.mask(frame["id_number_excel_number"].fillna(False).astype(bool).to_numpy())
    if "id_number_excel_number" in frame:
        shapes = None   # the masked cells are no IDs: shapes of the masked column
    key = _normalised_ids(idn, shapes)
    aid = frame["archive_id"].astype("string")
    ok = key.notna() & aid.notna()
    ok &= fastre.duplicated(key, keep=False)      # only repeated ID numbers go on to the grouping
    if not ok.any():
        return
    k, a = key[ok], aid[ok]
    n_archives = a.groupby(k).transform("nunique")
    multi = n_archives > 1
    if not multi.any():
        return
    label = a[multi] + "（" + locations(frame.loc[multi[multi].index], lang) + "）"
    km = k[multi]
    others = _others_grouped(km, a[multi], label)
    mask = pd.Series(False, index=frame.index)
    mask[km.index] = True
    detail = pd.Series("", index=frame.index, dtype=object)
    detail[km.index] = others.to_numpy()
    c.add(mask.to_numpy(), "id_number", "one_person_many_archives", detail=detail)


def _others_grouped(key: pd.Series, archive: pd.Series, label: pd.Series) -> pd.Series:
    """The other archives of each row's ID number ("、"-joined labels of the
    rows sharing the ID but not the archive, in row order): one self-join of
    the rows involved on the ID (polars), no per-row Python loop."""
    import polars as pl

    df = pl.DataFrame({"pos": np.arange(len(key), dtype=np.int64), "k": key.astype(str).to_numpy(dtype=object),
                       "a": archive.astype(str).to_numpy(dtype=object), "lab": label.astype(str).to_numpy(dtype=object)},
                      schema={"pos": pl.Int64, "k": pl.String, "a": pl.String, "lab": pl.String})
    other = df.select(pl.col("k"), pl.col("a").alias("a2"), pl.col("lab").alias("lab2"), pl.col("pos").alias("pos2"))
    joined = (df.select("pos", "k", "a").join(other, on="k").filter(pl.col("a") != pl.col("a2"))
              .sort(["pos", "pos2"]).group_by("pos", maintain_order=True)
              .agg(pl.col("lab2").str.join("、").alias("others")))
    out = df.select("pos").join(joined, on="pos", how="left").sort("pos")["others"].fill_null("")
    return pd.Series(out.to_list(), index=key.index, dtype=object)


def _id_digits(ids: pd.Series, width: int) -> np.ndarray:
    """(n, width) digit values of IDs known to be ``width`` ASCII characters
    ('X' comes out as ord('X') - 48)."""
    return _digit_matrix(ids, width)


def _check_ids(c: _Collector, frame: pd.DataFrame, today: pd.Timestamp,
               shapes: tuple[pd.Series, pd.Series] | None = None, sci: pd.Series | None = None) -> None:
    idn = frame["id_number"].astype("string")
    present = idn.notna()
    if sci is None:
        sci = pd.Series(fastre.contains(idn, _SCI_RX), index=idn.index)
    if "id_number_excel_number" in frame:
        sci |= frame["id_number_excel_number"].fillna(False).astype(bool)
    is18, is15 = shapes if shapes is not None else _id_shapes(idn)
    c.add(sci, "id_number", "id_scientific")
    c.add(present & ~sci & ~is15 & ~is18, "id_number", "id_format")
    c.add(is15, "id_number", "id_15_digit")

    # birth date (8 digits of 18, 19 + 6 digits of 15), check character and
    # sex digit, read from each ID's ASCII bytes as a digit matrix (numpy)
    n = len(idn)
    year = np.zeros(n, dtype=np.int64)
    month = np.zeros(n, dtype=np.int64)
    day = np.zeros(n, dtype=np.int64)
    sex_digit = np.full(n, -1, dtype=np.int64)
    expected = np.full(n, None, dtype=object)
    check_wrong = np.zeros(n, dtype=bool)
    for mask, width in ((is18.to_numpy(dtype=bool), 18), (is15.to_numpy(dtype=bool), 15)):
        if not mask.any():
            continue
        d = _id_digits(idn[mask], width)
        if width == 18:
            year[mask] = d[:, 6] * 1000 + d[:, 7] * 100 + d[:, 8] * 10 + d[:, 9]
            month[mask], day[mask] = d[:, 10] * 10 + d[:, 11], d[:, 12] * 10 + d[:, 13]
            sex_digit[mask] = d[:, 16]
            rem = (d[:, :17] @ WEIGHTS) % 11
            expected[mask] = np.array(list(CHECK_CHARS), dtype=object)[rem]
            codes = np.array([ord(ch) - 48 for ch in CHECK_CHARS])   # as _digit_matrix gives them
            check_wrong[mask] = d[:, 17] != codes[rem]
        else:
            year[mask] = 1900 + d[:, 6] * 10 + d[:, 7]
            month[mask], day[mask] = d[:, 8] * 10 + d[:, 9], d[:, 10] * 10 + d[:, 11]
            sex_digit[mask] = d[:, 14]
    valid_shape = (is18 | is15).to_numpy(dtype=bool)
    birth = pd.Series(pd.to_datetime(pd.DataFrame({"year": np.where(valid_shape, year, 2000),
                                                   "month": np.where(valid_shape, month, 1),
                                                   "day": np.where(valid_shape, day, 1)}),
                                     errors="coerce").to_numpy(), index=frame.index).where(valid_shape)
    bad_birth = valid_shape & (birth.isna() | (birth > today) | (birth < pd.Timestamp("1900-01-01"))).to_numpy()
    c.add(bad_birth, "id_number", "id_birth_date")

    c.add(check_wrong, "id_number", "id_check_char",
          detail=pd.Series(expected, index=frame.index, dtype=object))

    # the sex digit: odd = 男
    odd = (sex_digit >= 0) & (sex_digit % 2 == 1)
    if "sex" in frame:
        # 男/女 against the ID's sex digit as booleans (no text column of a million 男/女 built)
        s = frame["sex"]
        male = (s == "男").fillna(False).to_numpy(dtype=bool)
        sex_from_id = pd.Series(np.where(odd, "男", "女").astype(object), index=frame.index, dtype=object)
        c.add(s.isin(SEXES).to_numpy(dtype=bool) & valid_shape & (male != odd), "sex", "sex_vs_id",
              detail=sex_from_id)
    if "birth_date" in frame:
        b = frame["birth_date"]
        c.add(b.notna() & birth.notna() & ~bad_birth & (b != birth), "birth_date", "birth_vs_id",
              detail=birth)


def _check_dates(c: _Collector, frame: pd.DataFrame, today: pd.Timestamp) -> None:
    pairs = (("birth_date", "registered_on"), ("registered_on", "exited_on"))
    for early, late in pairs:
        if early in frame and late in frame:
            wrong = (frame[early] > frame[late]).fillna(False)
            label = f"{BY_NAME[early].header} > {BY_NAME[late].header}"
            c.add(wrong, late, "date_order", detail=label)
    for name in ("registered_on", "exited_on", "birth_date"):
        if name in frame:
            c.add((frame[name] > today).fillna(False), name, "date_in_future")


def summarise(problems: pd.DataFrame) -> pd.DataFrame:
    """Counts by severity and rule (errors first), for the check command."""
    if problems.empty:
        return pd.DataFrame(columns=["severity", "rule", "count", "rows"])
    g = problems.groupby(["severity", "rule"], sort=False).agg(count=("row", "size"), rows=("row", "nunique"))
    g = g.reset_index()
    g["order"] = (g["severity"] != "error").astype(int)
    return g.sort_values(["order", "count"], ascending=[True, False]).drop(columns="order").reset_index(drop=True)
