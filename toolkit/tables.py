"""Writing tables people open in Excel: atomically (nothing half-written) and
with spreadsheet formula injection neutralised (a text cell beginning with
= + - @ gets a leading apostrophe, OWASP's advice for CSV injection)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot run as spreadsheet formulas."""
    out = frame.copy()
    for c in out.columns:
        s = out[c]
        if s.dtype == object or pd.api.types.is_string_dtype(s):
            txt = s.astype("string")
            risky = txt.str.startswith(_FORMULA_START).fillna(False).astype(bool)
            # plain negative numbers stay as they are
            risky &= ~txt.str.fullmatch(r"-\d+(\.\d+)?").fillna(False).astype(bool)
            if risky.any():
                out[c] = s.astype(object).where(~risky, "'" + txt)
    return out


def atomic_path(path: Path):
    """Context manager: a temporary file beside ``path``, moved into place on success."""
    import contextlib

    @contextlib.contextmanager
    def _cm():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
        os.close(fd)
        try:
            yield Path(tmp)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return _cm()


def write_table(frame: pd.DataFrame, path: str | Path, *, sheet: str = "Sheet1",
                encoding: str = "utf-8-sig") -> Path:
    """Write ``frame`` as .csv (UTF-8 with BOM so Excel shows Chinese) or
    .xlsx, neutralised and atomically. Other suffixes are a UserError."""
    p = Path(path)
    suffix = p.suffix.lower()
    safe = neutralise(frame)
    with atomic_path(p) as tmp:
        if suffix == ".csv":
            safe.to_csv(tmp, index=False, encoding=encoding)
        elif suffix == ".xlsx":
            with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
                safe.to_excel(xw, index=False, sheet_name=sheet[:31])
        else:
            raise UserError("tables.bad_suffix", path=str(p))
    return p
