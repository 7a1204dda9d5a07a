"""Shared helpers of the ingest tests: the household-visit form, generated
answers, a GBK-encoded old Stata file, and frame comparison."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from toolkit.forms.model import Form
from toolkit.forms.reader import read_xlsform
from toolkit.ingest.model import Submissions
from toolkit.synthetic_answers import answer_form

ROOT = Path(__file__).resolve().parents[2]
FORM_PATH = ROOT / "toolkit" / "questionnaires" / "household_visit.xlsx"
SAT_PATH = ROOT / "toolkit" / "questionnaires" / "satisfaction.xlsx"
SKIP_COMPARE = ("source_platform", "source_file", "source_row", "submitted_at")


@lru_cache(maxsize=2)
def form(path: Path = FORM_PATH) -> Form:
    return read_xlsform(path)


def answers(n: int = 40, seed: int = 7, **fixed: object) -> Submissions:
    """Valid visits: most met and consenting (so every section is answered)."""
    pins: dict[str, object] = {"visit_result": np.where(np.arange(n) % 8 == 7, "absent", "met"),
                               "consent": "yes"}
    pins.update(fixed)
    return answer_form(form(), n, seed, fixed=pins)


def differences(a: pd.DataFrame, b: pd.DataFrame, skip: tuple[str, ...] = SKIP_COMPARE) -> list[str]:
    """Columns of ``a`` whose values differ in ``b`` (numbers to 1e-9, blanks equal)."""
    bad = []
    a = a.reset_index(drop=True)
    b = b.reset_index(drop=True)
    for c in a.columns:
        if c in skip:
            continue
        if c not in b.columns or len(a) != len(b):
            bad.append(c)
            continue
        x, y = a[c], b[c]
        if pd.api.types.is_float_dtype(x.dtype):
            ok = np.allclose(x.to_numpy(float), pd.to_numeric(y, errors="coerce").to_numpy(float),
                             equal_nan=True, atol=1e-9)
        elif pd.api.types.is_datetime64_any_dtype(x.dtype):
            ok = bool((x.astype("datetime64[ns]").fillna(pd.Timestamp(0))
                       == pd.to_datetime(y).astype("datetime64[ns]").fillna(pd.Timestamp(0))).all())
        else:
            ok = bool((x.astype(object).fillna("").astype(str) == y.astype(object).fillna("").astype(str)).all())
        if not ok:
            bad.append(c)
    return bad


def write_gbk_dta(frame: pd.DataFrame, path: Path, version: int = 12) -> Path:
    """An old Stata file (dta 115 for version 12) whose strings are GBK bytes.

    ReadStat writes text as given, so the strings are written as unique ASCII
    placeholders of the same byte length and then replaced by their GBK bytes.
    """
    data = frame.copy()
    swaps: list[tuple[bytes, bytes]] = []
    counter = 0
    for c in data.columns:
        if data[c].dtype != object and not pd.api.types.is_string_dtype(data[c].dtype):
            continue
        col = []
        for v in data[c].tolist():
            if isinstance(v, str) and not v.isascii():
                b = v.encode("gbk")
                tag = f"~{counter:05d}~"
                counter += 1
                ph = (tag + "Q" * len(b))[:len(b)] if len(b) >= len(tag) else None
                if ph is None:
                    raise ValueError(f"text too short to patch: {v!r}")
                swaps.append((ph.encode(), b))
                col.append(ph)
            else:
                col.append("" if v is None or (isinstance(v, float) and v != v) else v)
        data[c] = pd.Series(col, dtype=object)
    pyreadstat.write_dta(data, str(path), version=version)
    raw = path.read_bytes()
    for ph, b in swaps:
        assert raw.count(ph) == 1
        raw = raw.replace(ph, b)
    path.write_bytes(raw)
    return path
