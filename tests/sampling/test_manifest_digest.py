"""A column's digest fed in batches (manifest._column_digest) equals the
SHA-256 of the whole JSON text of rule 4, for values JSON escapes and across
batch edges."""
from __future__ import annotations

import hashlib
import json

import polars as pl
import pytest

from toolkit.sampling import manifest as M

HOSTILE = ["", "a", 'say "hi"', "back\\slash", "tab\there", "line\nbreak", "\r", "\x00nul", "\x1f", "\x7f",
           "\u2028sep\u2029", "中文", "😀", "é", "\b\f", "\\u0041", ",", "[", "]", '"', " edge "]


def _plain(name: str, vals: list[str]) -> str:
    text = json.dumps([name, vals], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("batch", [1, 3, 1 << 20])
def test_batched_digest_equals_the_rule(monkeypatch, batch):
    monkeypatch.setattr(M, "_BATCH", batch)
    vals = HOSTILE * 3
    for name in ("name", '名"字', "a\\b"):
        assert M._column_digest(name, pl.Series(vals, dtype=pl.String)) == _plain(name, vals)


def test_empty_and_missing_values():
    assert M._column_digest("c", pl.Series([], dtype=pl.String)) == _plain("c", [])
    assert M._column_digest("c", pl.Series(["x", None], dtype=pl.String)) == _plain("c", ["x", ""])
    assert M._column_digest("c", pl.Series(["x"], dtype=pl.String)) != _plain("c", ["y"])


def test_text_normalised_on_arrow_like_python():
    from toolkit.sampling.select import _normalise_series
    from toolkit.sampling.tickets import normalise_text

    vals = HOSTILE + ["e\u0301", " e\u0301 ", "\u3000张三\u3000", "A\u030a", "\u212b", "\ufb01", "\x00a",
                      "\x1c中\x1f", "\u00a0x", "x\u0085", "\u200b中", "한국어", "\u1100\u1161"]
    got = _normalise_series(pl.Series(vals, dtype=pl.String)).to_list()
    assert got == [normalise_text(v) for v in vals]


def test_nfc_risky_class_and_the_blocks_it_skips():
    import unicodedata

    from toolkit.sampling.select import _NFC_INERT, nfc_risky_class

    cls = nfc_risky_class()
    probe = pl.Series(["\u0301", "\u212b", "\uf900", "\u1161", "\u11a8", "\u0338", "中", "é", "abc", "한", "\u3000"])
    assert probe.str.contains(cls).to_list() == [True] * 6 + [False] * 5
    # the skipped blocks really hold nothing NFC could change or compose (this Python's tables)
    for a, b in _NFC_INERT:
        for cp in range(a, b):
            ch = chr(cp)
            assert unicodedata.combining(ch) == 0 and unicodedata.normalize("NFC", ch) == ch, hex(cp)
            d = unicodedata.decomposition(ch)
            assert not d or d.startswith("<") or len(d.split()) != 2, hex(cp)


@pytest.mark.parametrize("unit", ["ns", "us", "s"])
def test_dates_in_rust_equal_the_pandas_rule(unit):
    import pandas as pd

    s = pd.Series(pd.to_datetime(["2024-01-02", None, "2023-12-31 10:20:30", "1999-02-28 00:00:00.5",
                                  "2262-04-11", "1900-01-01 00:00:01"], format="ISO8601")).astype(f"datetime64[{unit}]")
    ts = s
    has_time = (ts.dt.normalize() != ts).fillna(False)
    plain = ts.dt.strftime("%Y-%m-%d").where(~has_time, ts.dt.strftime("%Y-%m-%dT%H:%M:%S")).fillna("").tolist()
    assert M._dates_fast(s).to_list() == plain
    assert M._col_text(s) == plain
    old = pd.Series(pd.to_datetime(["0999-01-01"]).astype("datetime64[s]"))
    assert M._dates_fast(old) is None and M._dates_fast(s.dt.tz_localize("Asia/Shanghai")) is None


def test_numbers_in_rust_equal_the_value_rule():
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(5)
    odd = [0.1, 0.05, -0.5, 1e-05, 0.3333, 123456.78, -0.01, 2.675, 1e11 + 0.01, 1e12 + 0.5, 3e14 + 0.25,
           1e15, 1e16, 1.5e300, float("inf"), -float("inf"), float("nan"), -0.0, 0.0, 7.0, 3.0000001, 0.995]
    vals = np.r_[odd, np.round(rng.uniform(-1e6, 1e6, 3000), 2), np.round(rng.uniform(0, 10, 500), 1),
                 rng.uniform(0, 1, 200)]
    for s in (pd.Series(vals), pd.Series(vals, dtype="Float64"),
              pd.Series([1, None, -3, 2 ** 62], dtype="Int64"), pd.Series([1, 2, -3], dtype="int32")):
        assert M._numbers_fast(s).to_list() == M._col_text(s)
    assert M._numbers_fast(pd.Series(["a"])) is None and M._numbers_fast(pd.Series([True])) is None
