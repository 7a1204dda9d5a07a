"""Dispositions from the field: the visit lists' result codes and the
questionnaire's visit result, read back and reconciled into one disposition
per released household.

Inputs
------
* **Visit lists** (:func:`read_visit_lists`): the team workbooks written by
  :mod:`toolkit.sampling.visit_lists`, filled in by the evaluators. Sheet
  入户名单 (sampled households): 档案编号, 第1/2/3次走访（日期/结果）,
  结果代码, 替换的备用户档案编号. Sheet 备用名单 (reserves): 备用顺序,
  档案编号, 启用日期, 替换的样本户档案编号, 结果代码. Headers are matched
  after NFKC (full-width brackets and spaces are fine); the English headers
  and sheet names of ``lang="en"`` lists are read too. A result code may be
  written as its number on the printed list (``1``), its numbered words
  (``1 见到并完成访问``), the code name (``not_at_home``), its Chinese word
  (``三次未遇``) or English label, a few common synonyms (:data:`SYNONYMS`), in any case,
  with spaces, full-width forms, or "中文 / English" as printed on the 说明
  sheet. Anything else is an *unknown code* problem (file, sheet, row,
  column, value and the words to write instead), never dropped.
* **Submissions** (:func:`from_submissions`): accepted submissions of
  household_visit.xlsx (``archive_id``, ``visit_result``, ``consent``). Each
  submission is one recorded attempt. visit_result → code:

  ============  ============================================================
  met           ``completed`` when consent is given, ``refused`` when the
                respondent declined (A8 = no)
  absent        ``not_at_home`` (subject to the three-visit rule below)
  refused       ``refused``
  moved         ``moved``
  not_found     ``moved``: 查无此户 is a household on the roster that could
                not be found. It is kept as eligible non-response (AAPOR
                "other", counted in the RR1 denominator) and not as
                not-eligible, because an address that cannot be found is
                itself a possible finding (a household that does not exist
                as recorded) and leaving it out of the denominator would
                raise the response rate; this is the conservative reading
                that reserves.py applies to ``moved``.
  ============  ============================================================

  A household with several submissions takes the strongest outcome
  (completed > refused > moved > not_at_home).

Rules of :func:`reconcile`
--------------------------
1. Only households of the drawn sample (selected + reserves) get a
   disposition. Archive ids on a list or in a submission that are not in the
   sample are problems ("outside the sample"), never added.
2. A completed submission is ``completed``; a different code on the list is a
   problem and the submission wins (a list's replacement of that household
   is dropped with a problem). Otherwise the list's code is kept (a
   different non-completed visit result is a warning), else the
   submission's.
3. ``visits`` = the larger of the attempts filled on the list (the three
   第n次走访 cells) and the number of submissions for the household. With
   three or more visits and no contact (no code, no met/refused/moved
   submission) the household becomes ``not_at_home``. A not-at-home claim
   (三次未遇 on the list, or the questionnaire's "absent", 多次上门无人:
   nobody home after repeated visits) is the interviewer's statement of
   three visits and is recorded as at least 3 — unless the list records one
   or two attempts and nothing shows three: then it is a problem and the
   household has *no disposition yet* until the visits are written down or
   made. (For AAPOR RR1 this changes nothing: non-contact (NC) and unknown
   eligibility (UH) are both in the denominator.) The 备用名单 sheet has no
   attempt columns, so a reserve's 三次未遇 always stands.
4. Reserves are released strictly in ``reserve_rank`` order within their
   stratum (one-stage) or stratum and PSU (two-stage), and only to replace a
   non-response of the same stratum/PSU. A reserve is released when the list
   shows it released (启用日期, a code or the household it replaced), when a
   household names it as its replacement, or when it has a submission. A
   reserve released out of order is a problem naming it and the reserve it
   skipped, and is set aside (``set_aside``, with its reason): it is not part
   of the probability sample, so it gets no disposition and its visit must
   not be counted. A reserve replacing a household of another stratum/PSU, a
   completed household or a household without a non-response code, and
   more reserves released in a stratum/PSU than it has non-responses, are
   problems naming both households (or the stratum/PSU).
5. A released household on no list and with no submission has *no
   disposition yet* (``pending``): unknown eligibility in RR1. A released
   reserve without a disposition is kept visible as released through the
   household it replaced: when no line says which, the earliest
   non-response of its stratum/PSU without a replacement is taken, with a
   warning asking to write it on the list (so ``frame`` passes
   :func:`toolkit.sampling.reserves.check_dispositions` and RR1 counts it).

:class:`FieldDispositions` holds ``frame`` (the columns of dispositions.csv:
archive_id, code, visits, replaced_by, role (selected | reserve), plus
source, stratum, psu) that :func:`toolkit.sampling.reserves.response_rate`
accepts, ``pending``, ``set_aside`` and ``problems`` (kind, severity,
archive_id, other_id, file, sheet, row, column, value, message — the
message in words, zh or en).
"""
from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.errors import UserError
from toolkit.vault import source
from toolkit.i18n import t
from toolkit.sampling.reserves import (
    DISPOSITIONS,
    MIN_VISITS_NOT_AT_HOME,
    ResponseRate,
    response_rate,
)
from toolkit.sampling.select import Sample, normalise_ids

SAMPLE_SHEET = "入户名单"
RESERVE_SHEET = "备用名单"
ID_COLUMN = "档案编号"
CODE_COLUMN = "结果代码"
ATTEMPT_COLUMNS = ("第1次走访（日期/结果）", "第2次走访（日期/结果）", "第3次走访（日期/结果）")
REPLACED_BY_COLUMN = "替换的备用户档案编号"
REPLACES_COLUMN = "替换的样本户档案编号"
RELEASED_ON_COLUMN = "启用日期"
RANK_COLUMN = "备用顺序"
CODE_NUMBERS: dict[str, str] = {str(i): code for i, code in enumerate(DISPOSITIONS, start=1)}
"""The numbers printed before the result words on the visit lists: 1 → completed, 2 → refused …"""
HEADERS_EN = {
    "序号": "No.", "区县": "County", "街道（乡镇）": "Township", "档案编号": "Archive no.",
    "户主姓名": "Head of household", "联系电话": "Phone", "家庭住址": "Address", "身份证号": "ID number",
    "档案状态": "Archive status", "困难类别": "Hardship category", "层": "Stratum", "抽签顺序": "Draw order",
    "第1次走访（日期/结果）": "Visit 1 (date / result)", "第2次走访（日期/结果）": "Visit 2 (date / result)",
    "第3次走访（日期/结果）": "Visit 3 (date / result)", "结果代码": "Result",
    "替换的备用户档案编号": "Replaced by reserve no.", "备注": "Notes", "备用顺序": "Reserve order",
    "启用日期": "Released on", "替换的样本户档案编号": "Replaces household no.", "项目": "Item", "内容": "Value",
}
"""English headers of the visit lists (``lang="en"``); the reader accepts both."""
SHEETS_EN = {"入户名单": "Visit list", "备用名单": "Reserves", "说明": "About"}
LIST_GLOBS = ("入户名单_*.xlsx", "visit_list_*.xlsx")
"""File names of the team workbooks (zh, en) that a directory is searched for."""
MAX_ROWS = 200_000
"""Rows read per sheet at most (a visit list holds hundreds; bounds untrusted workbooks)."""

SYNONYMS: dict[str, tuple[str, ...]] = {
    "completed": ("已完成", "完成访问", "完成入户", "成功", "complete", "done", "interviewed"),
    "refused": ("拒绝", "拒绝访问", "拒绝受访", "拒访户", "refusal", "refuse"),
    "not_at_home": ("未遇", "多次上门无人", "无人在家", "不在家", "not at home", "absent", "no contact",
                    "non contact", "noncontact"),
    "moved": ("已搬迁", "迁出", "moved away", "查无此户", "not found"),
    "deceased": ("已故", "户已消亡", "dead"),
    "not_eligible": ("不符合", "不符合条件户", "ineligible"),
    "replaced": ("已替换", "替换", "replaced"),
}
"""Words accepted for each code besides the code name and DISPOSITIONS' zh/en labels."""

VISIT_RESULT_CODES = {"absent": "not_at_home", "refused": "refused", "moved": "moved", "not_found": "moved"}
_PRIORITY = {"completed": 0, "refused": 1, "moved": 2, "not_at_home": 3}
FRAME_COLUMNS = ("archive_id", "code", "visits", "replaced_by", "role", "source", "stratum", "psu")
PROBLEM_COLUMNS = ("kind", "severity", "archive_id", "other_id", "file", "sheet", "row", "column", "value",
                   "message")
LIST_COLUMNS = ("archive_id", "role", "code", "visits", "replaced_by", "replaces", "released", "reserve_rank",
                "code_text", "file", "sheet", "row")
_SQUEEZE = re.compile(r"[\s_\-·.。、:：;；,，()（）]+")


# --- result codes ---------------------------------------------------------------------------------

def _key(text: str) -> str:
    """Comparison form of a code word: NFKC (full-width → half-width), case-folded,
    spaces, underscores and punctuation removed."""
    return _SQUEEZE.sub("", unicodedata.normalize("NFKC", str(text)).casefold())


def code_word(code: str, lang: str = "zh") -> str:
    """The words printed for a result code on the visit lists ("见到并完成访问")."""
    return t(f"paper.disposition.{code}", lang)


def numbered_codes(lang: str = "zh") -> list[str]:
    """The result codes as printed on the lists: "1 见到并完成访问", "2 拒绝访问", …"""
    return [f"{n} {code_word(code, lang)}" for n, code in CODE_NUMBERS.items()]


def _code_words() -> dict[str, str]:
    words: dict[str, str] = {}
    for code, (zh, en, _) in DISPOSITIONS.items():
        for w in (code, zh, en, code_word(code, "zh"), code_word(code, "en"), *SYNONYMS.get(code, ())):
            words[_key(w)] = code
    return words


_WORDS = _code_words()
_NUMBERED = re.compile(r"^\s*(\d{1,2})(?:\s*[.．、:：)）]\s*|\s+|$)(.*)$", re.S)


def normalise_codes(values: pd.Series) -> pd.Series:
    """Result-code cells → code names (``completed`` …); blank or unknown → missing.

    Each distinct cell is looked up once. Accepted: the code name, its words
    (zh or en, DISPOSITIONS' or the lists' printed words, synonyms), its
    number as printed on the lists (``1``, ``1 见到并完成访问``, ``1.``; a
    number whose words name another code is unknown), and "中文 / English"
    (both halves naming the same code).
    """
    txt = values.astype(object).where(values.notna(), "").map(str)
    codes, uniq = pd.factorize(txt)

    def one(cell: str) -> object:
        k = _key(cell)
        if not k:
            return None
        if k in _WORDS:
            return _WORDS[k]
        m = _NUMBERED.match(unicodedata.normalize("NFKC", cell))
        if m and m.group(1).lstrip("0") in CODE_NUMBERS:
            code = CODE_NUMBERS[m.group(1).lstrip("0")]
            rest = _key(m.group(2))
            return code if not rest or _WORDS.get(rest) == code else None
        parts = {_WORDS.get(_key(p)) for p in re.split(r"[/／|]", cell) if _key(p)}
        return parts.pop() if len(parts) == 1 and None not in parts else None

    mapped = np.array([one(u) for u in uniq], dtype=object)
    out = np.where(codes >= 0, mapped[np.maximum(codes, 0)] if len(mapped) else None, None)
    return pd.Series(out, index=values.index, dtype=object)


def code_choices(lang: str = "zh") -> str:
    """The words to write in 结果代码, for messages: "1 见到并完成访问；2 拒绝访问；…" (zh)."""
    return ("；" if lang == "zh" else "; ").join(numbered_codes(lang))


# --- visit lists ----------------------------------------------------------------------------------

def _header(v: object) -> str:
    return unicodedata.normalize("NFKC", str(v or "")).strip()


_EN_HEADERS = {_header(en).casefold(): _header(zh) for zh, en in HEADERS_EN.items()}


def _cells(path: Path, sheet) -> pd.DataFrame:
    """One sheet as text cells with a ``row`` column (spreadsheet row numbers)."""
    rows = sheet.iter_rows(values_only=True)
    head = next(rows, None)
    if head is None:
        return pd.DataFrame({"row": pd.Series(dtype="int64")})
    names = [_EN_HEADERS.get(_header(h).casefold(), _header(h)) or f"_{i}" for i, h in enumerate(head)]
    body = []
    for n, r in enumerate(rows, start=2):
        if n - 1 > MAX_ROWS:
            raise UserError("sampling.field.too_many_rows", path=path.name, sheet=sheet.title, limit=MAX_ROWS)
        body.append(r)
    width = len(names)
    frame = pd.DataFrame([tuple(r[:width]) + (None,) * (width - len(r)) for r in body], columns=names,
                         dtype=object)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    frame["row"] = np.arange(2, len(frame) + 2, dtype=np.int64)
    return frame


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A column as stripped text ('' for blank or absent)."""
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    s = frame[column]
    return s.astype(object).where(s.notna(), "").astype(str).str.strip().astype(object)


def _sheet_lines(path: Path, frame: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Household lines of one sheet in the :data:`LIST_COLUMNS` layout."""
    hid = _header(ID_COLUMN)
    if hid not in frame:
        raise UserError("sampling.field.no_column", path=path.name, sheet=sheet, column=ID_COLUMN)
    reserve = sheet == RESERVE_SHEET
    ids = pd.Series(normalise_ids(frame[hid].tolist()), index=frame.index, dtype=object)
    code_text = _text(frame, _header(CODE_COLUMN))
    attempts = [_text(frame, _header(c)) for c in ATTEMPT_COLUMNS]
    has_attempts = any(_header(c) in frame for c in ATTEMPT_COLUMNS)
    filled = sum((a != "").astype(int) for a in attempts) if attempts else 0
    other = _text(frame, _header(REPLACES_COLUMN if reserve else REPLACED_BY_COLUMN))
    other = pd.Series(normalise_ids(other.tolist()), index=frame.index, dtype=object)
    released_on = _text(frame, _header(RELEASED_ON_COLUMN))
    out = pd.DataFrame({
        "archive_id": ids,
        "role": "reserve" if reserve else "sample",
        "code": normalise_codes(code_text),
        "visits": pd.Series(filled, index=frame.index).astype("Int64") if has_attempts and not reserve
        else pd.Series(pd.NA, index=frame.index, dtype="Int64"),
        "replaced_by": "" if reserve else other,
        "replaces": other if reserve else "",
        "released": ((released_on != "") | (code_text != "") | (other != "")) if reserve else True,
        "reserve_rank": pd.to_numeric(_text(frame, _header(RANK_COLUMN)), errors="coerce") if reserve else np.nan,
        "code_text": code_text,
        "file": path.name, "sheet": sheet, "row": frame["row"],
    })
    if has_attempts and not reserve:
        out["visits"] = out["visits"].astype("Int64")
    content = (code_text != "") | (other != "") | (released_on != "")   # written by the evaluators
    for a in attempts:
        content |= a != ""
    return out[content].reset_index(drop=True)


def read_visit_lists(paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """The filled visit-list workbooks read back: one row per household line.

    ``paths``: workbooks, or a directory (its ``入户名单_*.xlsx``). Columns
    (:data:`LIST_COLUMNS`): archive_id, role (sample | reserve: the sheet),
    code (normalised; missing when blank or unknown), visits (attempt cells
    filled on 入户名单; missing on 备用名单, which has no attempt columns),
    replaced_by (入户名单: the reserve that replaced it), replaces (备用名单:
    the sampled household it replaced), released (备用名单: released date,
    code or replaced household filled), reserve_rank, code_text (the cell as
    written), file, sheet, row (spreadsheet row). Lines where the evaluators
    wrote nothing (only the printed household) are skipped: those households
    have no disposition yet. Every other line is kept, even with an unknown
    code or an id outside the sample (:func:`reconcile` reports them).
    """
    import openpyxl

    items = [Path(paths)] if isinstance(paths, (str, Path)) else [Path(p) for p in paths]
    files: list[Path] = []
    for p in items:
        files += sorted(f for g in LIST_GLOBS for f in p.glob(g)) if p.is_dir() else [p]
    parts = []
    for f in files:
        if not f.exists():
            raise UserError("common.file_not_found", path=str(f))
        try:
            wb = openpyxl.load_workbook(source(f), read_only=True, data_only=True)   # toolkit.vault: plain or encrypted
        except (zipfile.BadZipFile, OSError, KeyError, ValueError) as e:
            raise UserError("sampling.field.unreadable", path=f.name, detail=str(e).splitlines()[0]) from None
        try:
            found = {}
            for s in (SAMPLE_SHEET, RESERVE_SHEET):
                name = s if s in wb.sheetnames else SHEETS_EN[s] if SHEETS_EN[s] in wb.sheetnames else None
                if name is not None:
                    found[s] = name
            if not found:
                raise UserError("sampling.field.no_sheet", path=f.name, sheets=f"{SAMPLE_SHEET}、{RESERVE_SHEET}")
            for s, name in found.items():
                parts.append(_sheet_lines(f, _cells(f, wb[name]), s))
        finally:
            wb.close()
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in LIST_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    out["visits"] = out["visits"].astype("Int64")
    out["row"] = out["row"].astype("int64")
    return out[list(LIST_COLUMNS)]


# --- submissions ----------------------------------------------------------------------------------

def from_submissions(submissions: pd.DataFrame | None) -> pd.DataFrame:
    """Dispositions implied by accepted submissions, one row per household.

    ``submissions``: ingest's main table (``submissions.parquet``: KEY,
    archive_id, visit_result, consent, optionally submitted_at, enumerator,
    _status; only ``accepted`` rows are used when _status is present).
    Returns archive_id, code (module doc; missing for a blank or unknown
    visit result), visit_result, visits (submissions of the household), KEY
    (the deciding submission), enumerator, submitted_at.
    """
    cols = ["archive_id", "code", "visit_result", "visits", "KEY", "enumerator", "submitted_at"]
    if submissions is None or not len(submissions):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    s = submissions
    if "_status" in s:
        s = s[s["_status"].astype(str) == "accepted"]
    s = s.reset_index(drop=True)
    n = len(s)

    def col(name: str) -> pd.Series:
        return s[name] if name in s else pd.Series([None] * n, dtype=object)

    vr = col("visit_result").astype(object).where(col("visit_result").notna(), "").astype(str).str.strip()
    consent = col("consent").astype(object).where(col("consent").notna(), "").astype(str).str.strip()
    code = vr.map(VISIT_RESULT_CODES).astype(object)
    code = code.where(vr != "met", np.where(consent == "no", "refused", "completed"))
    d = pd.DataFrame({"archive_id": normalise_ids(col("archive_id").tolist()), "code": code.where(code.notna(), None),
                      "visit_result": vr, "KEY": col("KEY").astype(object), "enumerator": col("enumerator"),
                      "submitted_at": col("submitted_at")})
    d["_p"] = d["code"].map(_PRIORITY).fillna(9)
    d["visits"] = d.groupby("archive_id")["archive_id"].transform("size").astype("int64")
    d["_t"] = pd.to_datetime(d["submitted_at"], errors="coerce")
    d = d.sort_values(["archive_id", "_p", "_t"], ascending=[True, True, False], kind="mergesort",
                      na_position="last")
    return d.drop_duplicates("archive_id").drop(columns=["_p", "_t"])[cols].reset_index(drop=True)


# --- reconciliation -------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class FieldDispositions:
    """Reconciled dispositions (module doc): ``frame`` (dispositions.csv
    columns + source, stratum, psu), ``pending`` (released, no disposition
    yet: archive_id, role, stratum, psu, visits), ``set_aside`` (reserves
    released against the rule: archive_id, stratum, psu, reserve_rank,
    reason) and ``problems``."""

    frame: pd.DataFrame
    problems: pd.DataFrame
    pending: pd.DataFrame
    set_aside: pd.DataFrame

    @property
    def any(self) -> bool:
        """True once at least one released household has a disposition."""
        return bool(len(self.frame))

    def response_rate(self, sample: Sample) -> ResponseRate:
        """AAPOR RR1 of these dispositions (toolkit.sampling.reserves.response_rate)."""
        return response_rate(sample, self.frame)

    def errors(self) -> pd.DataFrame:
        """Problems of severity "error" (a rule broken; the others are warnings)."""
        return self.problems[self.problems["severity"] == "error"]


def units_of(sample: Sample) -> pd.DataFrame:
    """A drawn :class:`Sample` as the ``units`` frame of :func:`reconcile`."""
    u = sample.units.assign(role="selected", reserve_rank=np.nan)
    r = sample.reserves.assign(role="reserve")
    keep = ["archive_id", "stratum", "psu", "role", "reserve_rank"]
    return pd.concat([u[keep], r[keep]], ignore_index=True)


def _units(units: pd.DataFrame) -> pd.DataFrame:
    u = units.copy()
    u["archive_id"] = normalise_ids(u["archive_id"].tolist())
    if "role" in u:
        role = u["role"].astype(str).str.strip().replace({"sample": "selected"})
    else:
        role = pd.Series(np.where(u.get("reserve_rank", pd.Series(np.nan, index=u.index)).notna(),
                                  "reserve", "selected"), index=u.index)
    u["role"] = role
    u["reserve_rank"] = pd.to_numeric(u["reserve_rank"], errors="coerce") if "reserve_rank" in u else np.nan
    u["stratum"] = u["stratum"].astype(str)
    u["psu"] = u["psu"].astype(str)
    # one-stage designs carry psu = the household itself: group by stratum only
    one_stage = u["psu"] == u["archive_id"]
    u["group"] = u["stratum"] + "\x00" + np.where(one_stage, "", u["psu"])
    from toolkit.sampling.sample_files import stratum_words   # problems name a stratum in words

    shown = stratum_words(u["stratum"])
    u["where"] = np.where(one_stage, shown, shown + " / " + u["psu"])
    return u.drop_duplicates("archive_id").set_index("archive_id", drop=False).rename_axis(None)


class _Problems:
    """Collects problems as whole frames (one per rule), rendered at the end."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.parts: list[pd.DataFrame] = []

    def add(self, kind: str, severity: str, frame: pd.DataFrame, **fields: str) -> None:
        """``frame`` has columns among PROBLEM_COLUMNS and any message fields;
        ``fields`` map message placeholders to frame columns."""
        if not len(frame):
            return
        f = frame.reset_index(drop=True).copy()
        for c in PROBLEM_COLUMNS:
            if c not in f:
                f[c] = ""
        msg_cols = {k: (f[v] if v in f else pd.Series(v, index=f.index)) for k, v in fields.items()}
        f["message"] = [t(f"sampling.field.{kind}", self.lang, **{k: _word(s.iat[i]) for k, s in msg_cols.items()})
                        for i in range(len(f))]
        f["kind"] = kind
        f["severity"] = severity
        self.parts.append(f[list(PROBLEM_COLUMNS)])

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_COLUMNS})
        out = pd.concat(self.parts, ignore_index=True)
        for c in PROBLEM_COLUMNS:
            out[c] = out[c].map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else v)
        return out


def _word(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v is pd.NaT:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _label(code: object, lang: str) -> str:
    """A disposition code in words."""
    if not isinstance(code, str) or code not in DISPOSITIONS:
        return ""
    return DISPOSITIONS[code][0 if lang == "zh" else 1]


def _isin(s: pd.Series, values: Iterable) -> pd.Series:
    """``s.isin(values)`` (a bool Series on ``s``'s index) through
    :func:`toolkit.verify.text_in.text_in`: pandas' isin on Arrow text builds
    its value set from Python values slowly (~0.4 s per 30,000 ids, several
    calls per reconciliation at national size)."""
    from toolkit.verify.text_in import text_in

    return text_in(s, set(values))


def _list_side(lists: pd.DataFrame | None, u: pd.DataFrame, P: _Problems, lang: str) -> pd.DataFrame:
    """One row per sampled household named on a list: code, visits, replaced_by, released."""
    cols = ["archive_id", "list_code", "list_visits", "replaced_by", "released"]
    if lists is None or not len(lists):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols}).set_index("archive_id", drop=False)
    L = lists.copy()
    L["archive_id"] = L["archive_id"].astype(str)
    where = L[["file", "sheet", "row"]]
    blank = L["archive_id"] == ""
    P.add("list_blank_id", "error", where[blank].assign(column=ID_COLUMN, value=L.loc[blank, "code_text"]),
          file="file", sheet="sheet", row="row")
    L = L[~blank]
    unknown = L["code"].isna() & (L["code_text"].astype(str) != "")
    P.add("unknown_code", "error",
          L[unknown].assign(column=CODE_COLUMN, value=L.loc[unknown, "code_text"], choices=code_choices(lang)),
          file="file", sheet="sheet", row="row", value="value", choices="choices")
    outside = ~_isin(L["archive_id"], u.index)
    P.add("list_outside", "error", L[outside].assign(column=ID_COLUMN, value=L.loc[outside, "archive_id"]),
          file="file", sheet="sheet", row="row", id="archive_id")
    L = L[~outside]
    # a sampled household written on the reserve sheet, or a reserve on the sample sheet
    listed_role = np.where(L["role"] == "reserve", "reserve", "selected")
    wrong = listed_role != u.loc[L["archive_id"], "role"].to_numpy()
    P.add("list_wrong_sheet", "warning", L[wrong], file="file", sheet="sheet", row="row", id="archive_id")
    # conflicting codes for one household
    coded = L[L["code"].notna()]
    n_codes = coded.groupby("archive_id")["code"].nunique()
    clash = n_codes[n_codes > 1].index
    if len(clash):
        c = coded[coded["archive_id"].isin(clash)]
        first = c.groupby("archive_id").agg(file=("file", "first"), sheet=("sheet", "first"), row=("row", "first"),
                                            value=("code_text", lambda s: " / ".join(dict.fromkeys(s))))
        P.add("list_conflict", "error", first.reset_index(), file="file", sheet="sheet", row="row",
              id="archive_id", value="value")
    g = L.groupby("archive_id", sort=True)
    side = pd.DataFrame({
        "list_code": g["code"].first(),            # first written code (conflicts handled below)
        "list_visits": g["visits"].max(),
        "released": g["released"].any(),
        "replaced_by": L["replaced_by"].where(L["replaced_by"] != "").groupby(L["archive_id"]).first().fillna(""),
    })
    side.loc[side.index.isin(clash), "list_code"] = None
    # reverse links: a reserve line naming the sampled household it replaced
    rev = L[(L["role"] == "reserve") & (L["replaces"].astype(str) != "")][["archive_id", "replaces", "file",
                                                                          "sheet", "row"]]
    rev = rev[_isin(rev["replaces"], u.index)]
    if len(rev):
        have = side["replaced_by"].reindex(rev["replaces"]).fillna("").to_numpy()
        differ = (have != "") & (have != rev["archive_id"].to_numpy())
        P.add("link_conflict", "error", rev[differ].assign(other_id=have[differ], column=REPLACES_COLUMN,
                                                           value=rev.loc[differ, "replaces"]),
              file="file", sheet="sheet", row="row", id="replaces", reserve="archive_id", other="other_id")
        fill = rev[~differ & (have == "")]
        new = pd.DataFrame({"replaced_by": fill["archive_id"].to_numpy()}, index=fill["replaces"].to_numpy())
        new = new[~new.index.duplicated()]
        missing = new.index.difference(side.index)
        side = pd.concat([side, pd.DataFrame({"list_code": None, "list_visits": pd.NA, "released": True,
                                              "replaced_by": ""}, index=missing)])
        side.loc[new.index, "replaced_by"] = new["replaced_by"]
    side.index.name = None
    side.insert(0, "archive_id", side.index)
    side["list_visits"] = side["list_visits"].astype("Int64")
    return side


def reconcile(units: pd.DataFrame, lists: pd.DataFrame | None = None, submissions: pd.DataFrame | None = None,
              *, lang: str = "zh") -> FieldDispositions:
    """One disposition per released household from the lists and the
    submissions (module doc, rules 1–5).

    ``units``: the drawn sample, selected and reserves (archive_id, stratum,
    psu, role (selected | sample | reserve) or reserve_rank, reserve_rank;
    :func:`units_of` makes it from a Sample); ``lists``: :func:`read_visit_lists`;
    ``submissions``: ingest's main table (see :func:`from_submissions`).
    """
    P = _Problems(lang)
    u = _units(units)
    side = _list_side(lists, u, P, lang)

    sub = from_submissions(submissions)
    inside = _isin(sub["archive_id"], u.index)
    out_sub = sub[~inside]
    P.add("submission_outside", "error",
          out_sub.assign(value=out_sub["KEY"], column="archive_id",
                         when=out_sub["submitted_at"].map(_when), who=out_sub["enumerator"].map(_word)),
          id="archive_id", key="KEY", who="who", when="when")
    sub = sub[inside].set_index("archive_id", drop=False)

    d = u[["archive_id", "role", "stratum", "psu", "group", "where", "reserve_rank"]].copy()
    d = d.join(side[["list_code", "list_visits", "replaced_by", "released"]], how="left")
    d = d.join(sub[["code", "visits", "KEY", "visit_result"]].rename(
        columns={"code": "sub_code", "visits": "sub_visits"}), how="left")
    d["replaced_by"] = d["replaced_by"].fillna("").astype(str)
    lv = pd.to_numeric(d["list_visits"], errors="coerce")
    sv = pd.to_numeric(d["sub_visits"], errors="coerce")
    d["visits"] = np.fmax(lv.to_numpy(dtype=float), sv.to_numpy(dtype=float))
    on_list = d["list_code"].notna()
    on_sub = d["sub_code"].notna()

    # rule 2: completed submission wins; else the list; else the submission
    done = d["sub_code"] == "completed"
    clash = done & on_list & (d["list_code"] != "completed")
    P.add("completed_conflict", "warning",
          d[clash].assign(list_word=d.loc[clash, "list_code"].map(lambda c: _label(c, lang))),
          id="archive_id", code="list_word", key="KEY")
    soft = ~done & on_list & on_sub & (d["list_code"] != d["sub_code"])
    P.add("result_differs", "warning",
          d[soft].assign(list_word=d.loc[soft, "list_code"].map(lambda c: _label(c, lang)),
                         sub_word=d.loc[soft, "sub_code"].map(lambda c: _label(c, lang))),
          id="archive_id", code="list_word", result="sub_word", key="KEY")
    d["code"] = np.where(done, "completed", np.where(on_list, d["list_code"], d["sub_code"]))
    d["code"] = d["code"].where(pd.notna(d["code"]), None)
    d["source"] = np.select([done & on_list, done, on_list & on_sub, on_list, on_sub],
                            ["visit list, submission", "submission", "visit list, submission", "visit list",
                             "submission"], "")
    rep_done = (d["code"] == "completed") & (d["replaced_by"] != "")
    P.add("replaced_completed", "error", d[rep_done].assign(other_id=d.loc[rep_done, "replaced_by"]),
          id="archive_id", reserve="replaced_by")
    d.loc[rep_done, "replaced_by"] = ""

    # rule 3: three visits without contact; a not-at-home claim the visit record contradicts waits
    need = float(MIN_VISITS_NOT_AT_HOME)
    lv_rec = lv.where(lv > 0)                      # no attempt cell filled: visits not recorded on the list
    claim = d["code"] == "not_at_home"
    short = claim & (lv_rec < need) & ~(sv >= need)
    # the questionnaire's own result (refused, moved) stands where the list's not-at-home cannot
    fallback = d["sub_code"].where(d["sub_code"] != "not_at_home")
    d.loc[short, "code"] = fallback[short]
    d.loc[short & fallback.notna(), "source"] = "submission"
    d["code"] = d["code"].where(d["code"].notna(), None)
    short &= d["code"].isna()
    P.add("not_at_home_short", "warning",
          d[short].assign(n=lv_rec[short].astype(int), value=lv_rec[short]), id="archive_id", n="n")
    attested = claim & ~short
    d.loc[attested, "visits"] = np.fmax(d.loc[attested, "visits"].to_numpy(dtype=float), need)
    three = d["code"].isna() & ~short & (d["visits"] >= need)
    d.loc[three, "code"] = "not_at_home"
    d.loc[three, "source"] = "three visits without contact"

    # released reserves
    res = d["role"] == "reserve"
    named = set(d.loc[d["replaced_by"] != "", "replaced_by"])
    unknown_rep = (d["replaced_by"] != "") & ~_isin(d["replaced_by"], d.index[res])
    P.add("replaced_by_not_reserve", "error", d[unknown_rep].assign(other_id=d.loc[unknown_rep, "replaced_by"]),
          id="archive_id", reserve="replaced_by")
    d.loc[unknown_rep, "replaced_by"] = ""
    released = ~res | d["released"].eq(True) | d["code"].notna() | on_sub \
        | d["archive_id"].isin(named)

    # rule 4a: strict order within stratum/PSU
    r = d[res & released].sort_values(["group", "reserve_rank"], kind="mergesort")
    pos = r.groupby("group").cumcount() + 1
    bad_at = (r["reserve_rank"] != pos)
    first_bad = bad_at.groupby(r["group"]).cummax()
    skipped = r[first_bad]
    aside = skipped.copy()
    if len(aside):
        expect = (r.assign(pos=pos)[bad_at].groupby("group")["pos"].min())
        all_res = d[res].set_index(["group", "reserve_rank"])["archive_id"]
        aside["expected"] = aside["group"].map(expect)
        aside["other_id"] = [all_res.get((g, float(e)), "") for g, e in zip(aside["group"], aside["expected"])]
        P.add("reserve_order", "error", aside.assign(value=aside["reserve_rank"]), id="archive_id",
              rank="reserve_rank", expected="expected", other="other_id", stratum="where")
    aside_ids = set(aside["archive_id"])
    drop_link = d["replaced_by"].isin(aside_ids)
    d.loc[drop_link, "replaced_by"] = ""
    keep = released & ~d["archive_id"].isin(aside_ids)

    # rule 4b: a reserve replaces a non-response of its own stratum/PSU
    k = d[keep]
    link = k[k["replaced_by"] != ""]
    grp_of = d["group"]
    other_group = grp_of.reindex(link["replaced_by"]).to_numpy() != link["group"].to_numpy()
    P.add("replaced_other_group", "error", link[other_group].assign(other_id=link.loc[other_group, "replaced_by"]),
          id="archive_id", reserve="replaced_by")
    no_nr = link["code"].isna()
    P.add("replaced_without_code", "error", link[no_nr].assign(other_id=link.loc[no_nr, "replaced_by"]),
          id="archive_id", reserve="replaced_by")
    twice = link[link["replaced_by"].duplicated(keep=False)]
    P.add("reserve_used_twice", "error", twice.assign(other_id=twice["replaced_by"]), id="archive_id",
          reserve="replaced_by")
    nonresp = k["code"].notna() & (k["code"] != "completed")
    per = pd.DataFrame({"nr": nonresp.groupby(k["group"]).sum(),
                        "rel": (k["role"] == "reserve").groupby(k["group"]).sum()})
    over = per[per["rel"] > per["nr"]]
    if len(over):
        kr = k[(k["role"] == "reserve") & k["group"].isin(over.index)].sort_values(["group", "reserve_rank"])
        extra = kr.groupby("group").tail(1).assign(
            released=lambda f: f["group"].map(over["rel"]).astype(int),
            nonresponse=lambda f: f["group"].map(over["nr"]).astype(int))
        P.add("reserves_exceed", "error", extra, id="archive_id", stratum="where", released="released",
              nonresponse="nonresponse")

    # a released reserve without a disposition yet must stay visible as released (RR1 counts it as
    # unknown eligibility): when no line names the household it replaced, the earliest non-response of
    # its stratum/PSU that has no replacement is taken, with a warning asking to write it down
    k = k.copy()
    named_now = set(k.loc[k["replaced_by"] != "", "replaced_by"])
    waiting = k[(k["role"] == "reserve") & k["code"].isna() & ~k["archive_id"].isin(named_now)]
    if len(waiting):
        cand = k[k["code"].notna() & (k["code"] != "completed") & (k["replaced_by"] == "")]
        cand = cand.assign(_r=(cand["role"] == "reserve").astype(int), _k=cand["reserve_rank"].fillna(0)) \
            .sort_values(["group", "_r", "_k", "archive_id"], kind="mergesort")
        w = waiting.sort_values(["group", "reserve_rank"], kind="mergesort")
        pair = w.assign(n=w.groupby("group").cumcount())[["group", "n", "archive_id"]].merge(
            cand.assign(n=cand.groupby("group").cumcount())[["group", "n", "archive_id"]]
            .rename(columns={"archive_id": "household"}), on=["group", "n"])
        k.loc[pair["household"].to_numpy(), "replaced_by"] = pair["archive_id"].to_numpy()
        P.add("replacement_inferred", "warning",
              pair.rename(columns={"archive_id": "reserve", "household": "archive_id"})
              .assign(other_id=lambda f: f["reserve"]), id="archive_id", reserve="reserve")

    frame = k[k["code"].notna()].copy()
    frame["visits"] = pd.array(frame["visits"].to_numpy(dtype=float), dtype="Float64").round(0).astype("Int64")
    frame["replaced_by"] = frame["replaced_by"].where(frame["replaced_by"] != "", None)
    frame = frame[list(FRAME_COLUMNS)].reset_index(drop=True)
    pending = k[k["code"].isna()][["archive_id", "role", "stratum", "psu", "visits"]].reset_index(drop=True)
    pending["visits"] = pd.array(pending["visits"].to_numpy(dtype=float), dtype="Float64").round(0).astype("Int64")
    set_aside = aside[["archive_id", "stratum", "psu", "reserve_rank"]].reset_index(drop=True) if len(aside) \
        else pd.DataFrame(columns=["archive_id", "stratum", "psu", "reserve_rank"])
    set_aside["reason"] = [t("sampling.field.set_aside_reason", lang)] * len(set_aside)
    return FieldDispositions(frame, P.frame(), pending, set_aside)


def _when(v: object) -> str:
    ts = pd.to_datetime(v, errors="coerce")
    return "" if ts is pd.NaT or pd.isna(ts) else ts.strftime("%Y-%m-%d %H:%M")


__all__ = [
    "FRAME_COLUMNS",
    "LIST_COLUMNS",
    "PROBLEM_COLUMNS",
    "CODE_NUMBERS",
    "HEADERS_EN",
    "SHEETS_EN",
    "SYNONYMS",
    "FieldDispositions",
    "code_choices",
    "code_word",
    "numbered_codes",
    "from_submissions",
    "normalise_codes",
    "read_visit_lists",
    "reconcile",
    "units_of",
]
