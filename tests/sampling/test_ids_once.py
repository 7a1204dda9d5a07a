"""The roster's ids normalised once (blank-id split → draw → fingerprint) and
the printable-ASCII check read on the pandas column's own Arrow buffers: the
same answers as the checks and normalisation they replace."""
from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from toolkit.project.draw import split_blank_ids
from toolkit.sampling import select
from toolkit.sampling.select import _IDS, _arrow_text, _id_series, _normalise_series, _printable_ascii, plain_ascii

CASES = {
    "ids": ["HF340102-2021-00001", "HF340102-2021-00002", "A1"],
    "space": ["HF1", "HF 2"],
    "edge space": ["HF1 ", "HF2"],
    "quote": ['HF"1', "HF2"],
    "backslash": ["HF\\1", "HF2"],
    "chinese": ["王芳", "HF2"],
    "tab": ["HF\t1", "HF2"],
    "del": ["HF\x7f", "HF2"],
    "with empty": ["HF1", "", "HF3"],
    "all empty": ["", ""],
    "missing": ["HF1", None, "HF3"],
}


def _series(values: list, large: bool, chunks: int) -> pd.Series:
    typ = pa.large_string() if large else pa.string()
    step = max(1, len(values) // chunks)
    parts = [pa.array(values[i:i + step], type=typ) for i in range(0, len(values), step)]
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array(parts, type=typ)))


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("chunks", [1, 2])
def test_plain_ascii_as_the_polars_check(name: str, large: bool, chunks: int) -> None:
    s = _series(CASES[name], large, chunks)
    want = _printable_ascii(_arrow_text(s).fill_null(""))
    assert plain_ascii(s) == want
    if plain_ascii(s):                    # then normalising changes nothing
        assert _normalise_series(_arrow_text(s).fill_null(""), json_inner=True).to_list() == s.fillna("").tolist()


def test_plain_ascii_other_columns() -> None:
    assert not plain_ascii(pd.Series(["HF1", "HF2"], dtype=object))
    assert not plain_ascii(pd.Series([1, 2]))
    assert not plain_ascii(pd.Series([], dtype="string[pyarrow]"))
    sliced = _series(["王芳", "HF1", "HF2"], True, 1).iloc[1:]      # an offset into the buffers
    assert plain_ascii(sliced.reset_index(drop=True)) is True


@pytest.mark.parametrize("ids", [["HF1", " HF2", "", None, "Ｈ\u0041\u030a3", "HF4"],
                                 ["HF1", "HF2", "", "HF4"], ["HF1", "HF2"]])
def test_split_remembers_the_ids_the_draw_would_compute(ids: list, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame({"archive_id": pd.array(ids, dtype="string[pyarrow]"), "county": "瑶海区"},
                         index=pd.RangeIndex(2, 2 + len(ids), name="row"))
    kept = split_blank_ids(frame).frame
    got = _id_series(kept["archive_id"])
    assert _IDS, "kept for the column"
    _IDS.clear()
    calls = []
    real = select._normalise_series
    monkeypatch.setattr(select, "_normalise_series", lambda s, **k: calls.append(1) or real(s, **k))
    fresh = _id_series(kept["archive_id"])
    assert calls == ([1] if not plain_ascii(kept["archive_id"]) else [])
    assert got.to_list() == fresh.to_list() == select.normalise_ids(kept["archive_id"])
    other = kept.assign(archive_id=kept["archive_id"] + "x")          # another column: not served the kept ids
    assert _id_series(other["archive_id"]).to_list() == select.normalise_ids(other["archive_id"]) != got.to_list()


@pytest.mark.parametrize("dtype", ["string[pyarrow]", object])
def test_records_isin_as_pandas(dtype: object) -> None:
    from toolkit.sampling.visit_lists import _isin

    key = pd.Series(["HF1", None, "HF3", "", "王芳", "HF1"], dtype=dtype)
    for wanted in (set(), {"HF1"}, {"HF3", "王芳", "nope", ""}):
        got = _isin(key, wanted)
        assert got.dtype == bool and got.flags.writeable
        assert got.tolist() == key.isin(wanted).fillna(False).astype(bool).tolist()
