"""quality.xlsx's column-wise xlsxwriter writer against pandas' ``to_excel``
(the writer it replaced): the same parts in the package, byte for byte, and
the same cells read back, on hostile frames (every type a check may hold)."""
from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from toolkit.ingest.quality_xlsx import OPTIONS, write_sheets
from toolkit.tables import _for_xlsx, _width, atomic_path, sheet_name


def pandas_writer(path: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """The writer until the sixth session (pandas ``to_excel`` through xlsxwriter)."""
    with atomic_path(path) as tmp, pd.ExcelWriter(tmp, engine="xlsxwriter",
                                                  engine_kwargs={"options": OPTIONS}) as xw:
        for name, frame in sheets.items():
            out = _for_xlsx(frame)
            title = sheet_name(name)
            out.to_excel(xw, sheet_name=title, index=False)
            ws = xw.sheets[title]
            for j, c in enumerate(out.columns):
                ws.set_column(j, j, _width([c, *out[c].head(200).tolist()]))
    return path


def hostile() -> dict[str, pd.DataFrame]:
    n = 7
    mixed = ["文本", "", None, np.nan, 3, 2.5, True, np.int64(4), np.float64(-1.25), dt.datetime(2026, 5, 1, 8, 30),
             dt.date(2026, 5, 2), dt.time(9, 15), dt.timedelta(hours=36), Decimal("1.5"), float("inf"),
             float("-inf"), pd.NaT, pd.NA, "=1+1", "-3", "＠SUM(A1)", "a\x01b", "x" * 40000, ["list"], np.bool_(False)]
    return {
        "类型 types": pd.DataFrame({
            "float": [1.0, np.nan, np.inf, -np.inf, 2.5, 0.0, -7.0],
            "int": np.arange(n, dtype="int64") - 3,
            "bool": [True, False] * 3 + [True],
            "when": pd.to_datetime(["2026-01-02 03:04:05", None, "2026-12-31 00:00:00", None, "2026-06-01 12:00:00",
                                    "2025-01-01 00:00:00", "2026-02-28 23:59:59"]),
            "tz": pd.to_datetime(["2026-01-02 03:04:05"] * n).tz_localize("Asia/Shanghai"),
            "nullable": pd.array([1, None, 3, 4, None, 6, 7], dtype="Int64"),
            "text": pd.array(["a", None, "=cmd|' /C calc'!A0", "", "－1", "-2.5e-3", "中文"], dtype="string"),
            "cat": pd.Categorical(["x", "y", None, "x", "z", "y", "x"]),
            "dur": pd.to_timedelta([1, 2, None, 4, 5, 6, 7], unit="h"),
        }),
        "mixed/对象?": pd.DataFrame({"=head": mixed, 5: range(len(mixed))}),
        "empty": pd.DataFrame({"KEY": pd.Series(dtype=object), "n": pd.Series(dtype=float)}),
        "nothing": pd.DataFrame(),
        "a" * 40: pd.DataFrame({"KEY": ["k1", "k2"], "value": [1, 2]}),
    }


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:   # docProps/core.xml holds the time of writing
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def cells(path: Path) -> dict:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [[(c.value, c.data_type, c.number_format) for c in row] for row in ws.iter_rows()]
            + [{k: d.width for k, d in ws.column_dimensions.items()}] for ws in wb.worksheets}


def test_same_workbook_as_pandas(tmp_path: Path) -> None:
    sheets = hostile()
    with pytest.warns(UserWarning):   # pandas warns of the 40,000-character cell (both truncate it)
        old = pandas_writer(tmp_path / "old.xlsx", sheets)
    new = write_sheets(tmp_path / "new.xlsx", sheets)
    assert parts(new) == parts(old)
    got = cells(new)
    assert got == cells(old)
    mixed = got["mixed_对象_"]
    assert mixed[0][0][0] == "'=head" and mixed[0][1][0] == 5           # headers neutralised, numbers kept
    assert [r[0][0] for r in mixed[1:4]] == ["文本", None, None]          # blank for "", None, NaN
    assert mixed[15][0][0] == "inf" and mixed[19][0][0] == "'=1+1"


def test_large_sheet_same_cells(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    n = 3000
    f = pd.DataFrame({"KEY": [f"uuid:{i}" for i in range(n)], "distance_m": rng.normal(500, 200, n),
                      "where": np.where(rng.random(n) < 0.3, "", "村")})
    f["obj"] = f["distance_m"].astype(object).where(f["distance_m"] > 400, "")
    old = pandas_writer(tmp_path / "old.xlsx", {"s": f})
    new = write_sheets(tmp_path / "new.xlsx", {"s": f})
    assert parts(new) == parts(old)


def test_refuses_other_suffix(tmp_path: Path) -> None:
    from toolkit.errors import UserError

    with pytest.raises(UserError):
        write_sheets(tmp_path / "q.csv", {"s": pd.DataFrame({"a": [1]})})
