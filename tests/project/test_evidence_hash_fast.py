"""The review queue's evidence hashes through polars-hash (issue 21, seventh
session) are the ``hashlib`` ones, digit for digit: Chinese text, empty and
missing values, both verdicts, separators inside values."""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from toolkit.project import review


def _hashlib(ev: pd.DataFrame) -> list[str]:
    out = []
    for r in ev.itertuples():
        vals = ["" if pd.isna(x) else str(x) for x in (r.archive_id, r.finding)]
        vals.append("1" if bool(r.flagged) else "0")
        vals += ["" if pd.isna(x) else str(x) for x in (r.archive_value, r.visit_value, r.rule)]
        out.append(hashlib.sha256("\x1f".join(vals).encode("utf-8")).hexdigest()[:16])
    return out


def test_same_digits_as_hashlib(monkeypatch) -> None:
    rng = np.random.default_rng(5)
    n = 400
    ev = pd.DataFrame({
        "archive_id": [f"合肥{i:06d}" for i in range(n)],
        "finding": rng.choice(["wrong_inclusion", "archive_mismatch:姓名", ""], n),
        "flagged": rng.random(n) < 0.5,
        "archive_value": pd.Series(rng.choice(["800", "失业", None, "a\x1fb"], n), dtype="string"),
        "visit_value": rng.choice(["1200", "", "net_pc=1,234.5; months=7"], n),
        "rule": pd.Series(rng.choice(["net income >= 低保", None], n), dtype=object),
    })
    want = _hashlib(ev)
    fast = review._sha256_16(pd.Series(["合肥\x1fa", ""]))
    assert fast is not None and fast.tolist() == [hashlib.sha256(x.encode()).hexdigest()[:16] for x in ("合肥\x1fa", "")]
    got = review.evidence_hash(ev)
    assert got.tolist() == want and got.dtype == object and got.index.equals(ev.index)
    monkeypatch.setattr(review, "_sha256_16", lambda text: None)   # without polars-hash: hashlib, same digits
    assert review.evidence_hash(ev).tolist() == want
