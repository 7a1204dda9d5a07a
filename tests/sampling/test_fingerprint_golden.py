"""The roster fingerprint of hostile frames pinned byte for byte.

Existing manifests must keep verifying, so every faster path of
``manifest.fingerprint`` must give the digests the code gave before the
sixth session (pinned below, computed at commit da75602) and the digest of
rule 4 written out plainly (``json.dumps`` of the value rule's text in id
order). The frames hold NFC and NFD text, whitespace of every kind Python
strips at the edges, control characters, JSON escapes, Chinese, Hangul,
compatibility ideographs, integers, whole and fractional floats (amounts,
thirds, huge, tiny, negative zero, infinities), NaN and None, dates with
and without a time, booleans, categoricals, on object and Arrow text, in a
row order that is not the id order, with low- and high-cardinality columns.
"""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from toolkit.sampling import manifest as mf

SPACES = [chr(i) for i in range(0x3001) if chr(i).isspace()]
PIECES = ["张三", "e\u0301", "é", "\uf900", "A", "合肥市包河区", "x y", "", "\u200b", "Å", "A\u030a", "'=1+1",
          "\n", "ｅ", "\U0002a6d6", '"', "\\", "\x00", "\x1f", "\x7f", "\u2028", "한국", "\u1100\u1161", "·",
          "（一）", "\\u0041", "\t"]
N = 3000


def _text(rng: np.random.Generator, n: int, distinct: int | None = None) -> list[object]:
    pool_n = distinct or n
    pool = []
    for _ in range(pool_n):
        v = "".join(PIECES[j] for j in rng.integers(0, len(PIECES), rng.integers(0, 4)))
        if rng.random() < 0.2:
            v = SPACES[rng.integers(len(SPACES))] + v
        if rng.random() < 0.2:
            v = v + SPACES[rng.integers(len(SPACES))]
        pool.append(v)
    out: list[object] = [pool[i] for i in rng.integers(0, pool_n, n)]
    out[3::17] = [None] * len(out[3::17])
    out[5::23] = [np.nan] * len(out[5::23])
    return out


def _floats(rng: np.random.Generator, n: int) -> np.ndarray:
    kinds = [rng.integers(0, 100000, n) / 100, rng.integers(0, 10**6, n) / 3, rng.integers(0, 10**5, n) * 1.0,
             rng.normal(0, 1e-5, n), rng.normal(0, 1e17, n), rng.integers(-500, 500, n) / 10]
    arr = np.choose(rng.integers(0, len(kinds), n), kinds)
    arr[::31] = np.nan
    arr[1::97] = -0.0
    arr[2::101] = np.inf
    arr[4::103] = -np.inf
    arr[6::107] = 1e15
    arr[8::109] = 0.1 + 0.2
    arr[10::113] = 999999999999.99
    return arr


def make_frame(seed: int, arrow: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ids = [f"HF{int(k):06d}" for k in rng.permutation(N)]
    ids[7] = " HF\u3000x "               # normalised id (strip) sorts among the others
    ids[8] = "e\u0301-id"
    dates = pd.Series(pd.to_datetime("2016-01-01") + pd.to_timedelta(rng.integers(0, 4000, N), unit="D"))
    dates[::13] = pd.NaT
    stamps = dates + pd.to_timedelta(rng.integers(0, 3, N) * 3600 * 7, unit="s")
    f = pd.DataFrame({
        "archive_id": ids,
        "name": _text(rng, N),
        "address": _text(rng, N, distinct=40),
        "county": pd.Categorical(rng.choice(["包河区", "e\u0301区", " 蜀山区 ", "庐阳区"], N)),
        "township": _text(rng, N, distinct=7),
        "household_size": pd.array(np.where(rng.random(N) < 0.1, None, rng.integers(1, 9, N)), dtype="Int64"),
        "household_income": _floats(rng, N),
        "income_per_capita": rng.integers(0, 10**6, N) / 7,
        "rigid_expenditure": rng.integers(0, 10**5, N) * 1.0,
        "registered_on": dates,
        "exited_on": stamps,
        "birth_date": pd.Series(pd.to_datetime("1950-01-01") + pd.to_timedelta(rng.integers(0, 20000, N), unit="D")),
        "key_group": pd.array(np.where(rng.random(N) < 0.5, True, False), dtype="boolean"),
        "income_per_capita_derived": rng.random(N) < 0.5,       # left out of the fingerprint (rule 1)
    })
    f.loc[f.index[::19], "key_group"] = pd.NA
    for c in ("archive_id", "name", "address", "township"):
        f[c] = f[c].astype("string[pyarrow]" if arrow else object)
    return f


def plain_fingerprint(frame: pd.DataFrame) -> dict:
    """Rules 1–5 of the manifest's module doc, written out value by value."""
    from toolkit.sampling.tickets import normalise_text

    ids = [normalise_text("" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else str(v))
           for v in frame["archive_id"].astype(object)]
    order = sorted(range(len(ids)), key=lambda i: ids[i])
    cols = {}
    for c in mf.snapshot_columns(frame):
        vals = ids if c == "archive_id" else ["" if v is pd.NaT else mf._value_text(v) for v in frame[c].astype(object)]
        text = json.dumps([c, [vals[i] for i in order]], ensure_ascii=False, separators=(",", ":"))
        cols[c] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    top = json.dumps({"columns": cols, "rows": len(ids)}, sort_keys=True, separators=(",", ":"))
    return {"sha256": hashlib.sha256(top.encode("utf-8")).hexdigest(), "columns": cols}


# (seed, arrow) -> first 16 hex of the snapshot digest, from the code at commit da75602
PINNED = {
    (1, False): "b1e5ea12db3be6a3",
    (1, True): "b1e5ea12db3be6a3",
    (2, False): "c434bc03018e206c",
    (2, True): "c434bc03018e206c",
}


@pytest.mark.parametrize("few_head", [20_000, 200])
@pytest.mark.parametrize("seed,arrow", sorted(PINNED))
def test_fingerprint_of_hostile_frames_is_pinned(seed, arrow, few_head, monkeypatch):
    # few_head 200: the columns of few distinct values (address, township) go through their own path
    monkeypatch.setattr(mf, "_FEW_HEAD", few_head)
    frame = make_frame(seed, arrow)
    fp = mf.fingerprint(frame)
    plain = plain_fingerprint(frame)
    assert fp["columns"] == plain["columns"]
    assert fp["sha256"] == plain["sha256"]
    assert fp["sha256"][:16] == PINNED[(seed, arrow)]


def test_a_changed_value_changes_its_column_only():
    frame = make_frame(1, True)
    before = mf.fingerprint(frame)
    frame.loc[10, "address"] = "e\u0301 "         # NFD + edge space: same text as "é" after the rule
    frame.loc[11, "address"] = "变了"
    after = mf.fingerprint(frame)
    changed = {c for c in before["columns"] if before["columns"][c] != after["columns"][c]}
    assert changed == {"address"}
    assert mf.fingerprint(frame)["columns"] == plain_fingerprint(frame)["columns"]
