"""Reading a union's roster export into canonical columns.

``read_roster(path)`` accepts .xlsx, .xls, .csv/.txt (UTF-8, UTF-8-BOM, GBK,
GB18030), .sav, .dta and .parquet; finds the header row (exports often carry a title
row above it), maps Chinese headers onto canonical fields (toolkit.roster.schema)
and parses numbers, dates and IDs. Nothing is dropped: every household row is
kept, indexed by the spreadsheet row number a person sees (header = row 1 when
it is the first row), and cells that could not be parsed are listed in
``Roster.parse_problems``. Unusable files raise UserError (exit code 2).

Workbooks as union offices keep them (toolkit.roster.office): every sheet
with the same header is read as one roster (columns ``sheet`` and
``sheet_row``; the rows of a later sheet are numbered after those of the
sheets before it, so the index stays unique), sheets that are not the roster
are listed in ``Roster.skipped_sheets`` with the reason, a title row and a
merged two-level header are understood, and rows that are not households
(blank, 合计/小计, signature lines, notes, a repeated header) are listed in
``Roster.not_households`` instead of being read: rows read = households +
not households.
"""
from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from toolkit import safezip
from toolkit.errors import UserError
from toolkit.roster import office, parse
from toolkit.roster.encoding import check_frame_text, check_text
from toolkit.roster.schema import (BY_NAME, FIELDS, HELP_FIELDS, REQUIRED, Field, alias_table,
                                   normalise_header)

from toolkit.roster.office import HEADER_SCAN_ROWS, MIN_HEADER_MATCHES  # noqa: E402

PROBLEM_COLUMNS = ["row", "column", "value", "rule", "severity"]


@dataclass(frozen=True)
class Roster:
    """A read roster.

    frame: canonical columns (plus any unmapped ones under their own header),
    index ``row`` = the spreadsheet row number. parse_problems: cells present
    but unparseable (columns row, column, value, rule, severity). sheets: the
    sheets read as the roster; skipped_sheets: the others (sheet, reason code,
    detail); not_households: rows that are not households (sheet, row in the
    sheet, kind code, what the row says).
    """

    frame: pd.DataFrame
    source: str
    format: str
    encoding: str | None
    sheet: str | None
    header_row: int
    header_map: dict[str, str]
    unmapped: tuple[str, ...]
    parse_problems: pd.DataFrame = field(repr=False)
    help_records: pd.DataFrame | None = field(default=None, repr=False)
    sheets: tuple[str, ...] = ()
    skipped_sheets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["sheet", "reason", "detail"]),
                                         repr=False)
    not_households: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=office.NOT_HOUSEHOLD_COLUMNS),
                                         repr=False)

    @property
    def rows_read(self) -> int:
        """Rows read below the header(s): households + rows that are not households."""
        return len(self.frame) + len(self.not_households)

    def __len__(self) -> int:
        return len(self.frame)


# --- file formats -----------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


def _sniff(path: Path, head: bytes) -> str:
    suffix = path.suffix.lower()
    if head.startswith(_ZIP):
        return "xlsx"
    if head.startswith(_OLE):
        return "ole"   # .xls, or an encrypted (password-protected) .xlsx
    if head[:4] in (b"$FL2", b"$FL3"):
        return "sav"
    if head[:4] == b"PAR1":
        return "parquet"
    if head.startswith(b"<stata_dta>") or suffix == ".dta":
        return "dta"
    if suffix in (".xlsx", ".xlsm"):
        return "broken_xlsx"
    if suffix == ".xls":
        return "broken_xls"
    if suffix == ".sav":
        return "broken_sav"
    return "csv"


def _is_encrypted(path: Path) -> bool:
    import msoffcrypto

    try:
        with path.open("rb") as f:
            return bool(msoffcrypto.OfficeFile(f).is_encrypted())
    except Exception:  # noqa: BLE001 - not an Office container msoffcrypto knows
        return False


def _pick_sheet(path: Path, names: list[str], sheet: str | int | None) -> str:
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return names[sheet]
    if isinstance(sheet, str) and sheet in names:
        return sheet
    raise UserError("roster.no_sheet", path=str(path), sheet=sheet, sheets="、".join(names))


def _read_excel(path: Path, kind: str, sheet: str | int | None) -> tuple[pd.DataFrame, str]:
    """All cells of one sheet as Python values (no header, no type guessing)."""
    sheets, _names = _read_excel_sheets(path, kind, sheet if sheet is not None else 0)
    return sheets[0][1], sheets[0][0]


def _xlsx_engine() -> str:
    """python-calamine (Rust) when installed: the same cells as openpyxl
    (pandas turns its dates into datetimes and whole floats into ints), read
    about ten times faster; openpyxl otherwise."""
    try:
        import python_calamine  # noqa: F401
    except ImportError:  # pragma: no cover - optional speed-up
        return "openpyxl"
    return "calamine"


_XLSX_ENGINE = _xlsx_engine()
# python-calamine read directly (_read_xlsx_calamine); False: through pandas.read_excel, the same
# cells more slowly (kept for the test that compares the two and for bench_xlsx.py's "old" side)
_FAST_XLSX = True


def _read_excel_sheets(path: Path, kind: str, sheet: str | int | None) -> tuple[list[tuple[str, pd.DataFrame]], list[str]]:
    """[(sheet name, cells)] of one sheet, or of every sheet when ``sheet`` is
    None (a workbook with one sheet per county); and all the sheet names."""
    if kind == "xls":
        return _read_xls(path, sheet)
    if _XLSX_ENGINE == "calamine" and _FAST_XLSX:
        return _read_xlsx_calamine(path, sheet)
    try:
        book = pd.ExcelFile(path, engine=_XLSX_ENGINE)
    except Exception as e:  # BadZipFile, KeyError, XML errors: a damaged workbook
        if _is_encrypted(path):
            raise UserError("roster.encrypted", path=str(path)) from None
        raise UserError("roster.corrupt", path=str(path), detail=type(e).__name__) from None
    names = [str(n) for n in book.sheet_names]
    wanted = names if sheet is None else [_pick_sheet(path, names, sheet)]
    out = []
    for name in wanted:
        try:
            raw = pd.read_excel(book, sheet_name=name, header=None, dtype=object)
        except Exception as e:  # noqa: BLE001 - truncated sheet XML etc.
            raise UserError("roster.corrupt", path=str(path), detail=type(e).__name__) from None
        raw.attrs["formulas"] = _formulas_without_value(path, name, raw)
        out.append((name, raw))
    return out, names


def _read_xlsx_calamine(path: Path, sheet: str | int | None
                        ) -> tuple[list[tuple[str, pd.DataFrame]], list[str]]:
    """What ``pd.read_excel(path, engine="calamine", header=None, dtype=object)``
    returns, sheet by sheet, without pandas' per-cell steps: python-calamine's
    rows become one 2-D object array (in C), then each column is typed the way
    pandas' calamine reader and text parser type it (a whole float becomes an
    int, a date a datetime, the text pandas counts as missing, e.g. "" or
    "NA", becomes NaN), with a Python step only for the cells that need one.
    For a full sheet (1,048,575 rows) this is most of the read (issue 21)."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = [str(m.name) for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    except Exception as e:  # CalamineError, ZipError, XmlError: a damaged workbook
        if _is_encrypted(path):
            raise UserError("roster.encrypted", path=str(path)) from None
        raise UserError("roster.corrupt", path=str(path), detail=type(e).__name__) from None
    wanted = names if sheet is None else [_pick_sheet(path, names, sheet)]
    out = []
    try:
        for name in wanted:
            try:
                rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as e:  # noqa: BLE001 - truncated sheet XML etc.
                raise UserError("roster.corrupt", path=str(path), detail=type(e).__name__) from None
            raw = _cells_frame(rows)
            del rows
            raw.attrs["formulas"] = _formulas_without_value(path, name, raw)
            out.append((name, raw))
    finally:
        book.close()
    return out, names


def _cells_frame(rows: list[list[object]]) -> pd.DataFrame:
    """python-calamine's rows as pandas' read_excel(header=None, dtype=object) gives them."""
    if not rows or not rows[0]:
        return pd.DataFrame()
    first = rows[0][0]
    if isinstance(first, str) and first.startswith("\ufeff"):   # pandas' text parser drops a BOM there
        rows[0][0] = first[1:]
    arr = np.empty((len(rows), len(rows[0])), dtype=object)
    arr[:] = rows   # rows are of equal length (to_python fills the rectangle)
    rows.clear()    # the cells live on in ``arr`` only; each column's are freed once it is typed
    cols: dict[int, object] = {}
    for j in range(arr.shape[1]):
        cols[j] = _typed_column(arr[:, j].copy())
        arr[:, j] = None
    return pd.DataFrame(cols, index=pd.RangeIndex(arr.shape[0]))


_NA_TEXT: pa.Array | None = None


def _na_text_mask(texts: np.ndarray | pa.Array) -> np.ndarray:
    """Which of these strings pandas' text parser reads as missing ("", "NA", "null", …)."""
    global _NA_TEXT
    import pyarrow.compute as pc
    from pandas._libs.parsers import STR_NA_VALUES

    if _NA_TEXT is None:
        _NA_TEXT = pa.array(sorted(STR_NA_VALUES), type=pa.large_string())
    arr = texts if isinstance(texts, pa.Array) else pa.array(texts, type=pa.large_string())
    return pc.is_in(arr, value_set=_NA_TEXT).to_numpy(zero_copy_only=False)


# a column of text cells: Arrow text whose missing cells read back as NaN (as in the object
# column pandas gives), the storage the CSV path gives the typing and checks that follow
_TEXT_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)


def _typed_column(col: np.ndarray) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """One column of calamine cells typed as pandas types them: its calamine
    reader turns a whole float into an int and a date into a datetime; its
    text parser turns missing-value text into NaN and, while doing so, gives
    values equal to an earlier one that earlier object (so True after a 1
    becomes 1): that last step is pandas' own (``sanitize_objects``) when a
    column mixes yes/no cells with numbers, a vectorised text check otherwise.
    A column of text only (most roster columns) comes back as Arrow text with
    the same values (read as NaN where missing), so the typing and checks
    after it take it as it is instead of converting Python strings each time."""
    from datetime import date, datetime

    import pyarrow.compute as pc
    from pandas._libs import lib

    if lib.infer_dtype(col, skipna=False) == "string":   # text only: the usual roster column
        text = pa.array(col, type=pa.large_string())
        miss = _na_text_mask(text)
        if miss.any():
            text = pc.if_else(pa.array(miss), pa.scalar(None, pa.large_string()), text)
        return pd.array(text, dtype=_TEXT_DTYPE)
    types = np.frompyfunc(type, 1, 1)(col)
    is_float = types == float   # noqa: E721 - elementwise over an array of types
    if is_float.any():
        idx = np.flatnonzero(is_float)
        f = col[idx].astype("float64")
        whole = np.isfinite(f) & (np.floor(f) == f)
        small = whole & (np.abs(f) < 2.0 ** 62)
        if small.any():
            col[idx[small]] = f[small].astype(np.int64).astype(object)
        big = whole & ~small
        if big.any():
            col[idx[big]] = [int(v) for v in f[big]]
    is_date = types == date   # noqa: E721 - elementwise: a datetime is not a bare date
    if is_date.any():
        idx = np.flatnonzero(is_date)
        col[idx] = [datetime(v.year, v.month, v.day) for v in col[idx]]
    is_bool = types == bool   # noqa: E721 - elementwise over an array of types
    if is_bool.any() and (is_float | (types == int)).any():   # noqa: E721
        from pandas._libs.parsers import STR_NA_VALUES, sanitize_objects

        sanitize_objects(col, set(STR_NA_VALUES))
        return col
    is_str = types == str   # noqa: E721 - elementwise over an array of types
    if is_str.any():
        idx = np.flatnonzero(is_str)
        miss = _na_text_mask(col[idx])
        if miss.any():
            col[idx[miss]] = np.nan
    return col


_FORMULA_TAG = re.compile(rb"<f[ />]")


def _inflater():
    """A raw-deflate decompressor: ISA-L's (python-isal, about twice zlib's
    speed on sheet XML) when installed, zlib's otherwise."""
    try:
        from isal import isal_zlib as z
    except ImportError:  # pragma: no cover - optional speed-up
        import zlib as z
    return z.decompressobj(-15)


def _has_formula_raw(path: str, info: zipfile.ZipInfo) -> bool:
    """``_has_formula`` for a deflated member, inflated straight from the file
    (no CRC, ISA-L when installed): 16 MiB of XML at most in memory at a time.
    A full roster sheet is 1.2 GB of XML; this scan was most of what the read
    added to calamine's (issue 21)."""
    import struct

    with open(path, "rb") as f:
        f.seek(info.header_offset)
        head = f.read(30)
        if len(head) < 30 or head[:4] != b"PK\x03\x04":
            raise ValueError("local header")
        name_len, extra_len = struct.unpack("<HH", head[26:30])
        f.seek(info.header_offset + 30 + name_len + extra_len)
        left, d, tail, room = info.compress_size, _inflater(), b"", info.file_size
        while left > 0:
            buf = f.read(min(left, 1 << 20))
            if not buf:
                raise ValueError("truncated")
            left -= len(buf)
            while buf:
                out = d.decompress(buf, 16 << 20)
                buf = d.unconsumed_tail
                room -= len(out)
                if room < 0:   # more than the directory declares (checked by safezip): not read on
                    raise ValueError("longer than declared")
                if _FORMULA_TAG.search(tail + out[:8]) or _FORMULA_TAG.search(out):
                    return True
                tail = out[-8:] if out else tail
    return False


def _has_formula(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a sheet's XML holds a formula tag, read in 1 MiB steps (not all at once)."""
    if info.compress_type == zipfile.ZIP_DEFLATED and isinstance(zf.filename, str):
        try:
            return _has_formula_raw(zf.filename, info)
        except Exception:  # noqa: BLE001 - a damaged member: the checked path below says so
            pass
    tail = b""
    with zf.open(info) as f:
        while block := f.read(1 << 20):
            if _FORMULA_TAG.search(tail + block):
                return True
            tail = block[-8:]
    return False


def _formulas_without_value(path: Path, sheet: str, raw: pd.DataFrame) -> dict[tuple[int, int], str]:
    """{(row position, column position): formula} for cells that hold a formula
    but no value saved with it (a workbook written by a program, never opened
    in Excel): pandas reads them as blank, which would be reported as "blank".

    The sheets' XML is first searched for a formula tag, so a workbook without
    formulas costs one scan of bytes; only then is the sheet read again with
    formulas (openpyxl, read-only)."""
    try:
        with zipfile.ZipFile(path) as zf:
            if not any(_has_formula(zf, i) for i in zf.infolist()
                       if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml")):
                return {}
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
        try:
            rows = book[sheet].iter_rows(min_row=1, min_col=1, max_row=raw.shape[0],
                                         max_col=raw.shape[1], values_only=True)
            blank = raw.isna().to_numpy()
            out = {(r, c): v for r, row in enumerate(rows) for c, v in enumerate(row)
                   if isinstance(v, str) and v.startswith("=") and blank[r, c]}
        finally:
            book.close()
    except Exception:  # noqa: BLE001 - the values were read; this only sharpens messages
        return {}
    return out


def _read_xls(path: Path, sheet: str | int | None) -> tuple[list[tuple[str, pd.DataFrame]], list[str]]:
    """Legacy .xls through xlrd directly (dates converted, text kept as text):
    one sheet, or every sheet when ``sheet`` is None."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as e:  # xlrd.XLRDError, struct errors on truncation
        if "encrypt" in str(e).lower():
            raise UserError("roster.encrypted", path=str(path)) from None
        raise UserError("roster.corrupt", path=str(path), detail=type(e).__name__) from None
    names = book.sheet_names()
    wanted = names if sheet is None else [_pick_sheet(path, names, sheet)]
    out = []
    for name in wanted:
        sh = book.sheet_by_name(name)
        rows = []
        for r in range(sh.nrows):
            vals = []
            for cell in sh.row(r):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    vals.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    vals.append(None)
                else:
                    vals.append(cell.value)
            rows.append(vals)
        width = max((len(r) for r in rows), default=0)
        out.append((name, pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)))
    return out, names


def _read_binary_stat(path: Path, kind: str, encoding: str) -> tuple[pd.DataFrame, str | None]:
    import pyreadstat

    reader = pyreadstat.read_sav if kind == "sav" else pyreadstat.read_dta
    tries = [None] if encoding == "auto" else [encoding]
    if encoding == "auto" and kind == "dta":
        tries.append("gb18030")
    last: Exception | None = None
    for enc in tries:
        try:
            kw = {"encoding": enc} if enc else {}
            df, meta = reader(str(path), apply_value_formats=True, **kw)
        except Exception as e:  # pyreadstat.ReadstatError, UnicodeDecodeError
            last = e
            continue
        texts = [str(c) for c in df.columns]
        for c in df.columns:
            if df[c].dtype == object:
                texts.extend(df[c].dropna().astype(str).head(2000).tolist())
        try:
            check_frame_text(texts, "text", str(path))
        except UserError:
            if enc is None and len(tries) > 1:
                continue
            raise
        labels = getattr(meta, "column_names_to_labels", {}) or {}
        # prefer the variable label (often the Chinese header) when it maps to a field
        table = alias_table()
        rename = {c: lab for c, lab in labels.items()
                  if lab and normalise_header(lab) in table and normalise_header(c) not in table}
        df = df.rename(columns=rename)
        header = pd.DataFrame([list(df.columns)], columns=df.columns)
        return pd.concat([header, df.astype(object)], ignore_index=True), enc
    raise UserError("roster.corrupt", path=str(path), detail=type(last).__name__ if last else "?")


def _read_csv(path: Path, raw: bytes, encoding: str) -> tuple[pd.DataFrame, str]:
    """All cells as text. Arrow's multithreaded reader on the UTF-8 text when
    the layout allows (no blank lines inside, same field count on every line);
    otherwise pandas' C parser, which keeps blank lines and names bad lines.

    Memory: ``raw`` must be the caller's only reference to the file's bytes
    (``_read_csv(path, path.read_bytes(), ...)``). A UTF-8 file (with or
    without BOM) is checked in place, and Arrow then reads it from the file
    itself, so the file's bytes and its Arrow columns are never held at once
    (at 5.5 million rows: 2.5 GB less at the peak)."""
    enc, data, skip = check_text(raw, encoding, path=str(path))
    from_file = data is raw   # the text is the file's own bytes (from ``skip`` on)
    del raw
    view = memoryview(data)[skip:]
    head_bytes = bytes(view[:65536])
    head_text = head_bytes.decode("utf-8", errors="ignore")
    lines = head_text.splitlines()[:HEADER_SCAN_ROWS + 10]
    sep = max((",", "\t", ";", "|"), key=lambda c: max((ln.count(c) for ln in lines), default=0))
    head_rows = list(csv.reader(lines[:-1] or lines, delimiter=sep))
    ncols = max((len(r) for r in head_rows), default=1)
    head = pd.DataFrame([r + [""] * (ncols - len(r)) for r in head_rows[:HEADER_SCAN_ROWS]], dtype=object)
    hpos = _find_header(head, alias_table()) if len(head) else 0
    width = len(head_rows[hpos]) if head_rows else 1
    body_start = sum(len(ln) + 1 for ln in head_bytes.split(b"\n")[: hpos])
    end = len(view)   # the body without trailing blanks and separators (found without copying it)
    while end > body_start and view[end - 1] in b"\r\n\t ,;|":
        end -= 1
    if width == ncols and not _blank_line_inside(view, body_start, end):
        source: memoryview | tuple[Path, int] = view
        if from_file:
            from toolkit.roster.snapshot import hashed

            hashed(path)     # the digest's thread holds the bytes until it is done
            del view, data   # Arrow reads the file: its bytes are not held beside the columns
            source = (path, skip)
        try:
            return _arrow_csv(source, _first_header_line(head_rows, hpos), sep, ncols), enc
        except (pa.ArrowInvalid, UnicodeDecodeError):
            pass   # ragged lines or quoting: let pandas name the problem
        if from_file:
            data = path.read_bytes()
            view = memoryview(data)[skip:]
    try:
        df = pd.read_csv(io.BytesIO(view), encoding="utf-8", sep=sep, header=None, dtype=str,
                         names=list(range(ncols)), keep_default_na=False, na_filter=False,
                         skip_blank_lines=False, engine="c")
    except pd.errors.ParserError as e:
        raise UserError("roster.csv_malformed", path=str(path), detail=str(e).strip()) from None
    except pd.errors.EmptyDataError:
        raise UserError("roster.empty", path=str(path)) from None
    return df, enc


def _blank_line_inside(data: bytes, start: int, end: int, block: int = 8 << 20) -> bool:
    """Whether ``data[start:end]`` holds an empty line ("\\n\\n" or "\\n\\r\\n"):
    ``bytes.find`` of the same, from the positions of the newlines (numpy on
    blocks of ``block`` bytes; ``find`` crawls when newlines are frequent):
    two newlines one apart, or two apart with a carriage return between. The
    last newline of a block is carried into the next, so a pair across
    blocks is seen; only bytes inside ``[start, end)`` count."""
    b = np.frombuffer(data, dtype=np.uint8)
    carry = np.zeros(0, dtype=np.int64)
    for lo in range(start, end, block):
        hi = min(end, lo + block)
        nl = np.concatenate([carry, np.flatnonzero(b[lo:hi] == 0x0A) + lo])
        if nl.size >= 2:
            gap = np.diff(nl)
            if (gap == 1).any():
                return True
            two = nl[:-1][gap == 2]
            if two.size and (b[two + 1] == 0x0D).any():
                return True
        carry = nl[-1:]
    return False


def _first_header_line(head_rows: list[list[str]], hpos: int) -> int:
    """The first line of the header: ``hpos``, or the line above it when that
    one holds a known header over a blank cell (a two-level header saved as
    CSV: 档案编号 merged down two rows is written on the upper line only)."""
    if hpos < 1 or hpos >= len(head_rows):
        return hpos
    table = alias_table()
    above, here = head_rows[hpos - 1], head_rows[hpos]
    if any(a.strip() and normalise_header(a) in table and (i >= len(here) or not here[i].strip())
           for i, a in enumerate(above)):
        return hpos - 1
    return hpos


def _arrow_csv(data: bytes | memoryview | tuple[Path, int], skip: int, sep: str, ncols: int) -> pd.DataFrame:
    """Rows from the header line on, every column as Arrow text, with
    ``skip`` blank-filled rows put back in front so row numbers stay true.
    ``data``: the UTF-8 text, or (a UTF-8 file, bytes to pass at its start)."""
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(ncols)]
    if isinstance(data, tuple):
        stream = pa.OSFile(str(data[0]), "r")
        stream.read(data[1])
    else:
        stream = pa.BufferReader(pa.py_buffer(data))
    with stream:
        table = pacsv.read_csv(
            stream,
            read_options=pacsv.ReadOptions(skip_rows=skip, column_names=names, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    if skip:
        pad = pa.table({n: pa.array([""] * skip, type=pa.large_string()) for n in names})
        table = pa.concat_tables([pad, table])
    return pd.DataFrame({i: pd.Series(pd.arrays.ArrowStringArray(table.column(n)))
                         for i, n in enumerate(names)})


def _read_table(path: Path, encoding: str, sheet: str | int | None) -> tuple[pd.DataFrame, str, str | None, str | None]:
    """(cells with no header, format, encoding, sheet) of one sheet (the first
    when ``sheet`` is None)."""
    sheets, fmt, enc, _names = _read_sheets(path, encoding, 0 if sheet is None else sheet)
    name, cells = sheets[0]
    return cells, fmt, enc, name


def _read_sheets(path: Path, encoding: str, sheet: str | int | None
                 ) -> tuple[list[tuple[str | None, pd.DataFrame]], str, str | None, list[str]]:
    """([(sheet, cells with no header)], format, encoding, all sheet names):
    every sheet of a workbook when ``sheet`` is None, else the one named;
    a text or statistics file is one table with no sheet."""
    if not path.exists():
        raise UserError("common.file_not_found", path=str(path))
    if path.is_dir():
        raise UserError("roster.is_directory", path=str(path))
    size = path.stat().st_size
    if size == 0:
        raise UserError("roster.empty", path=str(path))
    with path.open("rb") as f:
        head = f.read(16)
    kind = _sniff(path, head)
    if kind.startswith("broken_"):
        raise UserError("roster.corrupt", path=str(path), detail=kind.removeprefix("broken_"))
    if kind == "ole":
        if _is_encrypted(path):
            raise UserError("roster.encrypted", path=str(path))
        sheets, names = _read_excel_sheets(path, "xls", sheet)
        return sheets, "xls", None, names
    if kind == "xlsx":
        try:
            safezip.check(path)   # names, count, sizes and ratio before openpyxl inflates anything
        except UserError as e:
            if e.key != "archive.unreadable":
                raise
            raise UserError("roster.corrupt", path=str(path), detail="zip") from None
        sheets, names = _read_excel_sheets(path, "xlsx", sheet)
        return sheets, "xlsx", None, names
    if kind in ("sav", "dta"):
        df, enc = _read_binary_stat(path, kind, encoding)
        return [(None, df)], kind, enc, []
    if kind == "parquet":
        try:
            df = pd.read_parquet(path)
        except Exception as e:  # noqa: BLE001 - a damaged or truncated parquet file
            raise UserError("roster.corrupt", path=str(path), detail=type(e).__name__) from None
        header = pd.DataFrame([list(map(str, df.columns))], columns=df.columns)
        return [(None, pd.concat([header, df.astype(object)], ignore_index=True))], "parquet", None, []
    from toolkit.roster.snapshot import read_bytes   # hashed as read when a snapshot key will be wanted

    df, enc = _read_csv(path, read_bytes(path), encoding)   # no reference kept here: _read_csv frees it
    return [(None, df)], "csv", enc, []


# --- headers ----------------------------------------------------------------

def _find_header(cells: pd.DataFrame, table: dict[str, str]) -> int:
    """0-based position of the header row among the first rows."""
    best, best_hits = 0, -1
    for i in range(min(HEADER_SCAN_ROWS, len(cells))):
        hits = sum(normalise_header(v) in table for v in cells.iloc[i].tolist()
                   if v is not None and str(v) != "nan")
        if hits > best_hits:
            best, best_hits = i, hits
        if hits >= MIN_HEADER_MATCHES:
            return i
    return best


def map_headers(headers: list[object], fields: tuple[Field, ...] = FIELDS) -> tuple[dict[int, str], dict[str, str], list[str]]:
    """Positions → canonical names; original → canonical; unmapped headers.

    A second column mapping to an already-mapped field keeps its own header.
    """
    table = alias_table(fields)
    by_pos: dict[int, str] = {}
    original: dict[str, str] = {}
    unmapped: list[str] = []
    taken: set[str] = set()
    for i, h in enumerate(headers):
        text = "" if h is None or (isinstance(h, float) and np.isnan(h)) else str(h).strip()
        canon = table.get(normalise_header(text)) if text else None
        if canon and canon not in taken:
            taken.add(canon)
            by_pos[i] = canon
            original[text] = canon
        else:
            name = text or f"column_{i + 1}"
            by_pos[i] = name
            unmapped.append(name)
    return by_pos, original, unmapped


# --- typing -----------------------------------------------------------------

def _problems(index: pd.Index, column: str, mask: pd.Series, values: pd.Series, rule: str) -> pd.DataFrame:
    m = mask.to_numpy(dtype=bool)
    return pd.DataFrame({"row": index[m], "column": column,
                         "value": parse.as_text(values[m]).fillna("").astype(object), "rule": rule,
                         "severity": "error"})


def type_columns(cells: pd.DataFrame, fields: dict[str, Field],
                 texts: list[pd.Series | None] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse each known column by its kind; return (frame, parse problems).
    ``texts``: per column position, ``parse.as_text`` of that column when the
    caller already folded it (office.classify_rows does), else None."""
    out: dict[str, pd.Series] = {}
    probs: list[pd.DataFrame] = []
    unique = not cells.columns.duplicated().any()
    for j, name in enumerate(cells.columns):
        col = cells[name]
        tx = texts[j] if texts is not None and unique else None
        f = fields.get(name)
        if f is None or f.kind == "text":
            out[name] = parse.as_text(col) if tx is None else tx
        elif f.kind == "id":
            text, lost = parse.as_id(col, tx)
            out[name] = text
            if lost.any():
                out[f"{name}_excel_number"] = lost
        elif f.kind == "number":
            out[name], bad = parse.as_number(col, tx)
            probs.append(_problems(cells.index, name, bad, col, "number_unparseable"))
        elif f.kind == "int":
            out[name], bad = parse.as_int(col, tx)
            probs.append(_problems(cells.index, name, bad, col, "integer_unparseable"))
        elif f.kind == "date":
            out[name], bad = parse.as_date(col, tx)
            probs.append(_problems(cells.index, name, bad, col, "date_unparseable"))
        elif name == "status":
            out[name] = parse.as_choice(col, parse.STATUS_SYNONYMS, tx)
        elif name == "category":
            out[name] = parse.as_choice(col, parse.CATEGORY_SYNONYMS, tx)
        elif name == "sex":
            out[name] = parse.as_choice(col, parse.SEX_SYNONYMS, tx)
        else:
            out[name] = parse.as_choice(col, text=tx)
    frame = pd.DataFrame(out, index=cells.index)
    problems = pd.concat([p for p in probs if len(p)], ignore_index=True) if any(len(p) for p in probs) \
        else pd.DataFrame(columns=PROBLEM_COLUMNS)
    return frame, problems


def derive_income_per_capita(frame: pd.DataFrame, min_wage: pd.Series | float | None = None) -> pd.Series:
    """Monthly per-capita net income (yuan/person/month), DOMAIN.md's rule:
    (annual income − rigid expenditure [+ jobless able members × minimum wage × 12])
    ÷ household members ÷ 12. Missing rigid expenditure counts as 0."""
    income = frame["household_income"].astype("float64")
    rigid = frame["rigid_expenditure"].astype("float64").fillna(0.0) if "rigid_expenditure" in frame else 0.0
    net = income - rigid
    if min_wage is not None and "jobless_able_members" in frame:
        jobless = frame["jobless_able_members"].astype("float64").fillna(0.0)
        net = net + jobless * pd.Series(min_wage, index=frame.index).astype("float64") * 12.0
    size = frame["household_size"].astype("float64")
    return (net / size.where(size >= 1) / 12.0).round(2)


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == ""


def _column_letter(i: int) -> str:
    """0-based column position -> spreadsheet letters (0 -> A, 27 -> AB)."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _duplicate_conflicts(body: pd.DataFrame, headers: list[object], by_pos: dict[int, str],
                         fields: tuple[Field, ...]) -> pd.DataFrame:
    """Rows where a second column of the same field holds a different value.

    The first column is the one used; the second is kept under its own header,
    but where it disagrees the reader must say so (naming both columns), not
    pick one silently. Compared as cleaned text, one vectorised pass per pair."""
    table = alias_table(fields)
    first = {canon: i for i, canon in by_pos.items() if canon in {f.name for f in fields}}
    parts = []
    for i, h in enumerate(headers):
        text = "" if h is None or (isinstance(h, float) and np.isnan(h)) else str(h).strip()
        canon = table.get(normalise_header(text)) if text else None
        j = first.get(canon) if canon else None
        if j is None or j == i:
            continue
        a, b = parse.as_text(body.iloc[:, j]), parse.as_text(body.iloc[:, i])
        bad = (b.notna() & (a.isna() | (a != b).fillna(True))).to_numpy(dtype=bool)
        if not bad.any():
            continue
        detail = (f"「{str(headers[j]).strip()}」({_column_letter(j)}) ≠ "
                  f"「{text}」({_column_letter(i)})")
        parts.append(pd.DataFrame({"row": body.index[bad], "column": canon,
                                   "value": b[bad].astype(object).to_numpy(),
                                   "rule": "duplicate_column_conflict", "severity": "error",
                                   "detail": detail}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*PROBLEM_COLUMNS, "detail"])


def _formula_problems(formulas: dict[tuple[int, int], str], header_pos: int,
                      by_pos: dict[int, str], offset: int = 0) -> pd.DataFrame:
    """One problem per formula cell read without its value (row = spreadsheet row)."""
    hits = [(r + 1 + offset, by_pos.get(c, f"column_{c + 1}"), f) for (r, c), f in formulas.items()
            if r > header_pos]
    return pd.DataFrame({"row": [h[0] for h in hits], "column": [h[1] for h in hits],
                         "value": [h[2] for h in hits], "rule": "formula_no_value",
                         "severity": "error", "detail": ""}, columns=[*PROBLEM_COLUMNS, "detail"])


@dataclass(frozen=True)
class _Table:
    """One sheet (or file) read into canonical columns."""

    frame: pd.DataFrame
    problems: pd.DataFrame
    header_map: dict[str, str]
    unmapped: list[str]
    not_households: pd.DataFrame
    last_row: int


def _frame_from_cells(cells: pd.DataFrame, fields: tuple[Field, ...], path: Path, header_pos: int,
                      check_required: tuple[str, ...], *, headers: list[object] | None = None,
                      sheet: str | None = None, offset: int = 0, classify: bool = False) -> _Table:
    """Cells below ``header_pos`` as typed canonical columns.

    headers: the header per column (a two-level header already combined);
    default the cells of ``header_pos``. offset: added to the row numbers (the
    rows of a later sheet follow those of the sheets before it). classify:
    separate the rows that are not households (office.classify_rows) and list
    them instead of reading them as households."""
    if headers is None:
        headers = cells.iloc[header_pos].tolist()
    headers = list(headers) + [None] * (cells.shape[1] - len(headers))
    formulas = cells.attrs.get("formulas") or {}
    by_pos, original, unmapped = map_headers(headers, fields)
    formula_probs = _formula_problems(formulas, header_pos, by_pos, offset) if formulas else None
    missing = [f for f in check_required if f not in by_pos.values()]
    if missing:
        found = [str(h) for h in headers if h is not None and str(h) != "nan"]
        names = {f.name: f.header for f in fields}
        raise UserError("roster.missing_columns", path=str(path) + (f"（{sheet}）" if sheet else ""),
                        missing="、".join(f"{names[m]}（{m}）" for m in missing),
                        found="、".join(found) or "—")
    body = cells.iloc[header_pos + 1:]
    # columns with neither a header nor any value are export padding, not data
    pad = [i for i in range(cells.shape[1]) if by_pos[i].startswith("column_")
           and all(_blank(v) for v in cells.iloc[header_pos + 1:, i].tolist())]
    if pad:
        keep = [i for i in range(cells.shape[1]) if i not in pad]
        body = body.iloc[:, keep]
        by_pos = {j: by_pos[i] for j, i in enumerate(keep)}
        headers = [headers[i] for i in keep]
        unmapped = [u for u in unmapped if u in by_pos.values()]
    body = body.set_axis([by_pos[i] for i in range(body.shape[1])], axis=1)
    # the row number a person sees in the spreadsheet (1-based, header included)
    body.index = pd.RangeIndex(header_pos + 2 + offset, header_pos + 2 + offset + len(body), name="row")
    dup_probs = _duplicate_conflicts(body, headers, by_pos, fields)
    # wholly blank lines after the last record are not records; blank lines inside are listed
    n = len(body)
    while n > 0 and all(_blank(v) for v in body.iloc[n - 1].tolist()):
        n -= 1
    body = body.iloc[:n]
    not_households = pd.DataFrame(columns=office.NOT_HOUSEHOLD_COLUMNS)
    texts: dict[int, pd.Series] = {}   # each column's folded text, computed once (classify_rows)
    if classify and n:
        ids = [i for i, name in by_pos.items() if name == "id_number"]
        kind = office.classify_rows(body, headers, alias_table(fields), ids, texts_out=texts).to_numpy()
        other = kind != ""
        if other.any():
            not_households = pd.DataFrame({"sheet": sheet, "row": body.index[other] - offset,
                                           "kind": kind[other], "text": office.row_text(body, other).to_numpy()},
                                          columns=office.NOT_HOUSEHOLD_COLUMNS)
            body = body[~other]
            texts = {j: tx[~other] for j, tx in texts.items()}
    folded = [texts.get(j) for j in range(body.shape[1])] if len(texts) == body.shape[1] else None
    frame, problems = type_columns(body, {f.name: f for f in fields}, folded)
    extra = [p for p in (dup_probs, formula_probs) if p is not None and len(p)]
    if extra:
        problems = pd.concat([problems.assign(detail="") if "detail" not in problems else problems, *extra],
                             ignore_index=True)
        # a problem on a row that is not a household is not a household's problem
        problems = problems[problems["row"].isin(frame.index)].reset_index(drop=True)
    return _Table(frame, problems, original, unmapped, not_households, header_pos + 1 + n + offset)


def _roster_sheets(path: Path, sheets: list[tuple[str | None, pd.DataFrame]], explicit: bool,
                   need: tuple[str, ...] = ()
                   ) -> tuple[list[tuple[str | None, pd.DataFrame, int, list[object]]], pd.DataFrame]:
    """The sheets read as one roster, each with its header position and header,
    and the sheets skipped with their reason (columns sheet, reason, detail).

    One sheet, or one named with ``--sheet``: read as it is. Several: every
    sheet whose header names the same fields as the first roster-like sheet is
    read; a sheet without a roster header (instructions, a summary) or with a
    different header is skipped and listed. ``need``: the required columns
    (the roster's header is the one naming most of them)."""
    table = alias_table()
    help_table = alias_table(HELP_FIELDS)
    found: list[tuple[str | None, pd.DataFrame, int, list[object], frozenset[str]]] = []
    skipped: list[tuple[str, str, str]] = []
    for name, cells in sheets:
        if cells.shape[0] == 0 or cells.shape[1] == 0:
            if len(sheets) == 1 or explicit:
                raise UserError("roster.empty", path=str(path))
            skipped.append((str(name), "empty", ""))
            continue
        first = _find_header(cells, table)
        pos, headers = office.header_rows(cells, table, first)
        fields_here = office.sheet_fields(headers, table)
        if len(sheets) > 1 and not explicit and len(fields_here) < MIN_HEADER_MATCHES:
            help_like = sum(v != "archive_id" for v in office.sheet_fields(
                cells.iloc[_find_header(cells, help_table)].tolist(), help_table)) >= 2
            skipped.append((str(name), "help_records" if help_like else "no_header", ""))
            continue
        found.append((name, cells, pos, headers, fields_here))
    if not found:
        name, cells = sheets[0]
        first = _find_header(cells, table)
        pos, headers = office.header_rows(cells, table, first)
        found.append((name, cells, pos, headers, office.sheet_fields(headers, table)))
    # the roster's header: the one naming most required columns, then the one
    # most sheets share (a summary sheet in front must not set it)
    sets = [f[4] for f in found]
    base = max(sets, key=lambda fs: (len(fs & set(need)), sets.count(fs), -sets.index(fs)))
    kept = []
    for name, cells, pos, headers, fields_here in found:
        if fields_here != base:
            extra = "、".join(BY_NAME[f].header for f in sorted(fields_here - base))
            lack = "、".join(BY_NAME[f].header for f in sorted(base - fields_here))
            skipped.append((str(name), "other_header", f"{extra or '—'}|{lack or '—'}"))
            continue
        kept.append((name, cells, pos, headers))
    return kept, pd.DataFrame(skipped, columns=["sheet", "reason", "detail"])


def returning_pool() -> str:
    """Make Arrow allocate from its jemalloc pool (when this pyarrow has it and
    nobody chose a pool with ARROW_DEFAULT_MEMORY_POOL); the backend's name.

    Why: the default mimalloc pool keeps the pages of freed buffers for
    itself, so every intermediate column of the roster check (folded text,
    masks, cast numbers) stays in the process's memory after it is dropped,
    where polars and numpy, with their own allocators, cannot reuse it;
    jemalloc hands them back. Peak memory of the 1M-row national roster's
    read + validate: 1.37 GiB → 1.11 GiB (docs/performance.md, sixth
    session). The values computed do not depend on the allocator."""
    pool = pa.default_memory_pool()
    if pool.backend_name != "mimalloc" or os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return pool.backend_name
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except (NotImplementedError, pa.ArrowNotImplementedError):   # a build without jemalloc
        return pool.backend_name
    return "jemalloc"


def read_roster(path: str | Path, encoding: str = "auto", sheet: str | int | None = None, *,
                min_wage: pd.Series | float | None = None, help_sheet: str | int | None = "auto",
                required: tuple[str, ...] | None = None) -> Roster:
    """Read a roster export; see the module docstring.

    sheet: one sheet of a workbook; None reads every sheet with the same
    header as one roster (a workbook with one sheet per county), the sheet's
    name kept in the column ``sheet`` and its row in ``sheet_row``.
    min_wage: yuan/month (a number or a per-row Series) to count jobless
    able-bodied members when deriving income_per_capita. help_sheet: a sheet of
    the same workbook holding help records ("auto": the first other sheet whose
    headers look like help records; None: none). required: the columns without
    which the file is unusable (default REQUIRED_COLUMNS; a comparison frame of
    non-registered households needs only archive_id, county and township).
    """
    p = Path(path)
    returning_pool()
    from toolkit.vault import is_sealed, plain_copy

    if is_sealed(p):   # a roster copy encrypted at rest (toolkit.vault): read from a private plain copy
        with plain_copy(p) as q:
            return read_roster(q, encoding, sheet, min_wage=min_wage, help_sheet=help_sheet, required=required)
    sheets, fmt, enc, all_names = _read_sheets(p, encoding, sheet)
    need = REQUIRED_COLUMNS if required is None else required
    kept, skipped = _roster_sheets(p, sheets, explicit=sheet is not None, need=need)
    tables: list[_Table] = []
    offset = 0
    for name, cells, pos, headers in kept:
        tab = _frame_from_cells(cells, FIELDS, p, pos, need, headers=headers, sheet=name, offset=offset,
                                classify=True)
        if len(kept) > 1:
            tab.frame.insert(0, "sheet", name)
            tab.frame.insert(1, "sheet_row", (tab.frame.index - offset).astype("int64"))
        tables.append(tab)
        offset = tab.last_row
    if len(tables) == 1:
        frame, problems = tables[0].frame, tables[0].problems
    else:
        frame = pd.concat([tb.frame for tb in tables])
        probs = [tb.problems for tb in tables if len(tb.problems)]
        problems = pd.concat(probs, ignore_index=True) if probs else tables[0].problems
    original: dict[str, str] = {}
    unmapped: list[str] = []
    for tb in tables:
        original.update(tb.header_map)
        unmapped += [u for u in tb.unmapped if u not in unmapped]
    nh = [tb.not_households for tb in tables if len(tb.not_households)]
    not_households = pd.concat(nh, ignore_index=True) if nh else tables[0].not_households
    if len(frame) == 0:
        raise UserError("roster.no_rows", path=str(p))
    if not {"household_income", "household_size"} <= set(frame.columns):
        pass
    elif "income_per_capita" not in frame:
        frame["income_per_capita"] = derive_income_per_capita(frame, min_wage)
        frame["income_per_capita_derived"] = frame["income_per_capita"].notna()
    else:
        blank = frame["income_per_capita"].isna()
        frame["income_per_capita_derived"] = blank & derive_income_per_capita(frame, min_wage).notna()
        frame.loc[blank, "income_per_capita"] = derive_income_per_capita(frame.loc[blank], min_wage)
    helps = None
    read_names = [n for n, *_ in kept]
    if fmt in ("xlsx", "xls") and help_sheet is not None:
        helps = _help_sheet(p, fmt, read_names, help_sheet, dict(sheets), all_names)
        if helps is not None and help_sheet == "auto" and len(skipped):
            used = helps.attrs.get("sheet")
            skipped.loc[skipped["sheet"] == used, "reason"] = "help_records"
    return Roster(frame=frame, source=str(p), format=fmt, encoding=enc,
                  sheet=read_names[0] if len(read_names) == 1 else "、".join(map(str, read_names)),
                  header_row=kept[0][2] + 1, header_map=original, unmapped=tuple(unmapped),
                  parse_problems=problems, help_records=helps, sheets=tuple(str(n) for n in read_names if n),
                  skipped_sheets=skipped, not_households=not_households)


# A roster is unusable without these columns (values may still be blank: validation reports them).
REQUIRED_COLUMNS: tuple[str, ...] = ("archive_id", "county", "township", "category", "status",
                                     "household_size", "household_income")


def _help_sheet(path: Path, fmt: str, roster_sheets: list, help_sheet: str | int,
                read: dict, all_names: list[str]) -> pd.DataFrame | None:
    if help_sheet != "auto":
        return read_help_records(path, sheet=help_sheet)
    names = [n for n in all_names if n not in roster_sheets]
    help_table = alias_table(HELP_FIELDS)
    for n in names:
        cells = read[n] if n in read else _read_excel(path, fmt, n)[0]
        head = cells.head(HEADER_SCAN_ROWS)
        if len(head) and any(sum(normalise_header(v) in help_table and help_table[normalise_header(v)] != "archive_id"
                                 for v in head.iloc[i].tolist()) >= 2 for i in range(len(head))):
            out = _help_from_cells(cells, path)   # the sheet is read once
            out.attrs["sheet"] = n
            return out
    return None


def read_help_records(path: str | Path, sheet: str | int | None = None, encoding: str = "auto") -> pd.DataFrame:
    """Help records (archive_id, item, date, amount, fund_source), one row per
    payment, indexed by spreadsheet row. Unparseable cells raise nothing here:
    they come back as NaN/NaT and are listed in ``frame.attrs['parse_problems']``."""
    p = Path(path)
    return _help_from_cells(_read_table(p, encoding, sheet)[0], p)


def _help_from_cells(cells: pd.DataFrame, p: Path) -> pd.DataFrame:
    if cells.shape[0] == 0:
        raise UserError("roster.empty", path=str(p))
    header_pos = _find_header(cells, alias_table(HELP_FIELDS))
    tab = _frame_from_cells(cells, HELP_FIELDS, p, header_pos, tuple(f.name for f in HELP_FIELDS if f.required))
    frame = tab.frame
    frame.attrs["parse_problems"] = tab.problems
    return frame


__all__ = ["Roster", "read_roster", "read_help_records", "derive_income_per_capita", "map_headers",
           "REQUIRED_COLUMNS", "BY_NAME", "REQUIRED"]
