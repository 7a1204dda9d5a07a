"""The draw's fast paths (issue 21) give what the plain Python paths give:
the roster fingerprint of Arrow-backed text, ids kept as Arrow strings, and
the srswor draw that sorts only each stratum's head of tickets."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd

from toolkit.sampling import Design, draw
from toolkit.sampling import manifest as M
from toolkit.sampling import tickets as tk
from toolkit.sampling.select import normalise_ids

IDS = ["B2", " A1", "é1", "e\u03011x", "中文3", "A10\u3000", "a0", "Z9", "\u00c5", "A\u030a2"]


def _frame(ids: list[str], dtype: str) -> pd.DataFrame:
    n = len(ids)
    return pd.DataFrame({
        "archive_id": pd.Series(ids, dtype=dtype),
        "county": pd.Series([" 城关镇", "城关镇", "e\u0301", None, "x "] * (n // 5), dtype=dtype),
        "name": pd.Series(["张三", "  ", "李四", "王五", None] * (n // 5), dtype=dtype),
    }, index=pd.RangeIndex(2, n + 2))


def _reference(frame: pd.DataFrame) -> dict:
    """fieldeval-snapshot/1 in plain Python: a Python sort of the ids, each value NFC + strip."""
    ids = normalise_ids(frame["archive_id"].astype(object))
    order = np.argsort(np.asarray(ids, dtype=object), kind="stable")
    digests = {}
    for c in M.snapshot_columns(frame):
        vals = [ids[i] for i in order] if c == "archive_id" else M._col_text(frame[c].astype(object).iloc[order])
        digests[c] = hashlib.sha256(json.dumps([c, vals], ensure_ascii=False, separators=(",", ":"))
                                    .encode("utf-8")).hexdigest()
    top = json.dumps({"columns": digests, "rows": len(ids)}, sort_keys=True, separators=(",", ":"))
    return {"sha256": hashlib.sha256(top.encode("utf-8")).hexdigest(), "columns": digests}


def test_fingerprint_of_arrow_text_matches_the_plain_rule() -> None:
    arrow = _frame(IDS, "string[pyarrow]")
    ref = _reference(arrow)
    got = M.fingerprint(arrow)
    assert got["columns"] == ref["columns"] and got["sha256"] == ref["sha256"]
    assert M.fingerprint(_frame(IDS, "object"))["sha256"] == ref["sha256"]
    changed = arrow.copy()
    changed.loc[3, "name"] = "赵六"
    assert M.fingerprint(changed)["columns"]["name"] != ref["columns"]["name"]


def test_arrow_ids_are_normalised_like_python() -> None:
    arrow = pd.Series(IDS, dtype="string[pyarrow]")
    assert normalise_ids(arrow) == [tk.normalise_text(v) for v in IDS]


def test_head_only_srswor_equals_the_full_ticket_order() -> None:
    n = 6000
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"archive_id": pd.Series([f"H{k:05d}" for k in range(n)], dtype="string[pyarrow]"),
                          "county": pd.Series(rng.choice(["甲", "乙", "丙"], n, p=[0.7, 0.29, 0.01]),
                                              dtype="string[pyarrow]")})
    s = draw(frame, Design(seed="s21", strata=("county",), per_stratum=12, reserves=5))
    ids = frame["archive_id"].tolist()
    tix = tk.tickets_hashlib(ids, "s21")
    for county, g in frame.groupby("county"):
        pos = g.index.to_numpy()
        ranked = [ids[i] for i in pos[np.lexsort((np.asarray(ids, dtype=object)[pos], tix[pos]))]]
        sel = s.units[s.units["stratum"] == county]
        res = s.reserves[s.reserves["stratum"] == county]
        assert sel["archive_id"].tolist() == ranked[:12]
        assert sel["rank"].tolist() == list(range(1, 13))
        assert res["archive_id"].tolist() == ranked[12:17]
        assert sel["ticket"].tolist() == [f"{int(t):016x}" for t in tix[[ids.index(a) for a in ranked[:12]]]]
