"""Reading the bytes of export files into string tables (CSV, Excel), with the
encoding checks of toolkit.roster.encoding (GBK/GB18030 detected, garbled text
refused). Every cell stays as the file held it; typing happens in
toolkit.ingest.model.build."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError
from toolkit.roster.encoding import decode_checked


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


def read_excel(path: Path) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook, cells as Excel holds them (text, numbers, dates)."""
    check_file(path)
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object)
    except (ValueError, zipfile.BadZipFile, OSError, KeyError) as e:
        raise UserError("ingest.unreadable", path=str(path), detail=str(e).splitlines()[0]) from None
    return {str(k): v for k, v in sheets.items()}


def read_tables(path: Path, encoding: str = "auto") -> dict[str, pd.DataFrame]:
    """A CSV as one table named "main", or every sheet of a workbook."""
    if path.suffix.lower() == ".csv":
        return {"main": read_csv(path, encoding)}
    return read_excel(path)


def zip_members(path: Path) -> dict[str, bytes]:
    """The CSV files of a zip export: {member name: bytes} (media left out)."""
    check_file(path)
    try:
        with zipfile.ZipFile(path) as zf:
            return {n: zf.read(n) for n in zf.namelist() if n.lower().endswith(".csv")}
    except zipfile.BadZipFile as e:
        raise UserError("ingest.unreadable", path=str(path), detail=str(e)) from None


def header_of(path: Path, encoding: str = "auto") -> list[str]:
    """The header row of a CSV or of the first sheet of a workbook (platform sniffing)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()[: 1 << 16]
        first = raw.split(b"\n", 1)[0]
        try:
            text = first.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = first.decode("gb18030", errors="replace")
        sep = ";" if text.count(";") > text.count(",") else ","
        return [h.strip().strip('"') for h in text.strip().split(sep)]
    if suffix in (".xlsx", ".xls", ".xlsm"):
        try:
            df = pd.read_excel(path, sheet_name=0, nrows=0)
        except Exception:  # noqa: BLE001 - sniffing only; the reader reports properly
            return []
        return [str(c) for c in df.columns]
    return []
