"""Reading the bytes of export files into string tables (CSV, Excel), with the
encoding checks of toolkit.roster.encoding (GBK/GB18030/UTF-16 detected, garbled
text refused); zips and workbooks bounded first (toolkit.safezip), a
password-protected workbook refused in words. Every cell stays as the file held it; typing happens in
toolkit.ingest.model.build."""
from __future__ import annotations

import datetime as _dt
import io
import zipfile
from pathlib import Path

import pandas as pd
import python_calamine

from toolkit import safezip
from toolkit.errors import UserError
from toolkit.roster.encoding import decode_checked, utf16_codec


def check_file(path: Path) -> None:
    if not path.exists():
        raise UserError("common.file_not_found", path=str(path))
    if path.is_dir():
        raise UserError("ingest.is_directory", path=str(path))
    if path.stat().st_size == 0:
        raise UserError("ingest.empty_file", path=str(path))


def csv_bytes(raw: bytes, encoding: str, name: str) -> pd.DataFrame:
    """A CSV (comma or semicolon separated, as Kobo may write) as a table of strings."""
    _, text = decode_checked(raw, encoding, path=name)
    head = text[: text.find(b"\n") if b"\n" in text else len(text)]
    sep = ";" if head.count(b";") > head.count(b",") else ","
    try:
        return pd.read_csv(io.BytesIO(text), sep=sep, dtype=str, keep_default_na=False,
                           encoding="utf-8")
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        raise UserError("ingest.csv_malformed", path=name, detail=str(e).splitlines()[0]) from None
    except pd.errors.EmptyDataError:
        raise UserError("ingest.empty_file", path=name) from None


def read_csv(path: Path, encoding: str = "auto") -> pd.DataFrame:
    check_file(path)
    return csv_bytes(path.read_bytes(), encoding, str(path))


#: the xlsx reader of the toolkit's hot paths (python-calamine through pandas)
ENGINE = "calamine"
#: what python-calamine raises for a file it cannot read (not a workbook, broken zip or XML, a password)
CALAMINE_ERRORS: tuple[type[BaseException], ...] = (python_calamine.CalamineError, python_calamine.PasswordError,
                                                     python_calamine.XmlError, python_calamine.ZipError)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_workbook(path: Path) -> None:
    """Refuse, before pandas opens it, a workbook that is password-protected (an
    encrypted .xlsx is an OLE container msoffcrypto recognises) or a zip
    container outside the bounds of toolkit.safezip."""
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(_OLE):
        import msoffcrypto

        try:
            with path.open("rb") as f:
                encrypted = bool(msoffcrypto.OfficeFile(f).is_encrypted())
        except Exception:  # noqa: BLE001 - not an Office container msoffcrypto knows: a plain .xls
            encrypted = False
        if encrypted:
            raise UserError("ingest.encrypted", path=str(path))
    elif head.startswith(b"PK"):
        safezip.check(path)


def read_excel(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook, cells as Excel holds them (text, numbers, dates).

    Read through python-calamine (Rust; pandas ``engine="calamine"``): the
    same cells as openpyxl gave (numbers that are whole as int, dates as
    datetime, text kept as text with its leading zeros, blanks empty; compared
    in tests/ingest/test_ingest_calamine.py) at a small fraction of the time
    (30,000 visits: minutes through openpyxl)."""
    check_file(path)
    check_workbook(path)
    try:
        sheets = _read_all_sheets(path)
    except (ValueError, zipfile.BadZipFile, OSError, KeyError, *CALAMINE_ERRORS) as e:
        raise UserError("ingest.unreadable", path=str(path), detail=str(e).splitlines()[0]) from None
    return {str(k): v for k, v in sheets.items()}


def _convert_rows(rows: list[list[object]]) -> list[list[object]]:
    """pandas' calamine cell conversion (``CalamineReader.get_sheet_data``:
    a whole float becomes int, a date a datetime at midnight, anything else as
    calamine gave it), written inline: pandas calls a function per cell (9 s of
    a 16 s read of 15,000 visits × 80 columns at load 17; inline 3–5 s)."""
    _float, _date, _datetime = float, _dt.date, _dt.datetime
    return [[(int(v) if v.is_integer() else v) if v.__class__ is _float
             else (_datetime(v.year, v.month, v.day) if v.__class__ is _date else v) for v in row] for row in rows]


def _read_all_sheets(path: Path) -> dict:
    """``pd.read_excel(path, sheet_name=None, dtype=object, engine="calamine")``,
    the same frames (same header, blank and NA handling: pandas' own parser is
    given the rows), with the per-cell conversion done by :func:`_convert_rows`.
    Falls back to pandas' reader where its calamine class is not there."""
    try:
        from pandas.io.excel._calamine import CalamineReader
    except ImportError:   # another pandas layout: its own reader, the same frames, slower
        return pd.read_excel(path, sheet_name=None, dtype=object, engine=ENGINE)

    class _Reader(CalamineReader):
        def get_sheet_data(self, sheet, file_rows_needed=None):  # noqa: ANN001, ANN202 - pandas' signature
            return _convert_rows(sheet.to_python(skip_empty_area=False, nrows=file_rows_needed))

    reader = _Reader(path, engine_kwargs={})
    try:   # what pd.read_excel passes to the reader (its defaults)
        return reader.parse(sheet_name=None, header=0, dtype=object, keep_default_na=True, na_filter=True)
    finally:
        reader.close()


def read_tables(path: Path, encoding: str = "auto") -> dict[str, pd.DataFrame]:
    """A CSV as one table named "main", or every sheet of a workbook."""
    if path.suffix.lower() == ".csv":
        return {"main": read_csv(path, encoding)}
    return read_excel(path)


#: files in an export zip that may hold tables but are not CSV (reported as not read)
TABLE_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".tsv", ".txt", ".json", ".sav", ".dta", ".zip")


def zip_other_tables(path: Path) -> list[str]:
    """Members of an export zip that look like tables but are not CSV (outside
    ``media/``, where ODK Central puts attachments): listed, not read."""
    return [i.filename for i in safezip.check(path) if not i.is_dir()
            and i.filename.lower().endswith(TABLE_SUFFIXES)
            and i.filename.replace("\\", "/").split("/", 1)[0].lower() not in ("media", "attachments")]


def _in_media(name: str) -> bool:
    """A member under ``media/`` or ``attachments/`` (ODK Central, KoboToolbox attachments)."""
    return name.replace("\\", "/").split("/", 1)[0].lower() in ("media", "attachments")


def zip_members(path: Path, limits: safezip.ZipLimits = safezip.LIMITS) -> list[tuple[str, bytes]]:
    """The CSV files of a zip export as (member name, bytes), in the zip's order
    (media left out). The zip is checked first (toolkit.safezip: names, count,
    sizes, compression ratio). A name the zip holds twice is kept twice, the
    second as ``name (2)``: no copy is lost."""
    check_file(path)
    from toolkit.vault import source

    src = source(path)   # an encrypted saved submission is read in memory (toolkit.vault)
    infos = safezip.check(path, limits, opened=None if isinstance(src, Path) else src)
    seen: dict[str, int] = {}
    out: list[tuple[str, bytes]] = []
    with zipfile.ZipFile(src) as zf:
        for info in infos:
            if info.is_dir() or not info.filename.lower().endswith(".csv") or _in_media(info.filename):
                continue   # attachments (photos, per-submission audit logs) are not tables of the export
            k = seen[info.filename] = seen.get(info.filename, 0) + 1
            label = info.filename if k == 1 else f"{info.filename} ({k})"
            out.append((label, safezip.read_member(zf, info, path, limits)))
    return out


def header_of(path: Path, encoding: str = "auto") -> list[str]:
    """The header row of a CSV or of the first sheet of a workbook (platform sniffing)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("rb") as f:
            raw = f.read(1 << 16)
        utf16 = utf16_codec(raw)
        if utf16 is not None:
            text = raw[: len(raw) - len(raw) % 2].decode(utf16, errors="replace").lstrip("\ufeff")
            text = text.split("\n", 1)[0]
        else:
            first = raw.split(b"\n", 1)[0]
            try:
                text = first.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = first.decode("gb18030", errors="replace")
        sep = ";" if text.count(";") > text.count(",") else ","
        return [h.strip().strip('"') for h in text.strip().split(sep)]
    if suffix in (".xlsx", ".xls", ".xlsm"):
        check_workbook(path)   # a bomb or a locked workbook is refused here, before sniffing
        if suffix in (".xlsx", ".xlsm"):
            from toolkit.ingest.xlsx_head import first_header

            fast = first_header(path)   # row 1 and the strings it uses only (openpyxl parses every string)
            if fast is not None:
                return fast
        try:
            df = pd.read_excel(path, sheet_name=0, nrows=0, engine="openpyxl")   # parses every shared string
        except Exception:  # noqa: BLE001 - sniffing only; the reader reports properly
            return []
        return [str(c) for c in df.columns]
    return []
