"""The vectorised ticket engine gives exactly the tickets of the hashlib reference
(so every existing manifest still verifies), and id normalisation only skips ids
that cannot change."""
import hashlib
import shutil
import subprocess
import unicodedata

import numpy as np
import pandas as pd
import pytest

from toolkit.sampling import tickets as tk
from toolkit.sampling.select import normalise_ids

# first 16 hex digits of SHA-256("2024088" NUL id), computed once with hashlib: fixed forever
KNOWN = {"A000000001": "d26f199f3c8e8f82", "340102A1": "68b737e72b6764b0", "张三-1": "f1afe016a767b9ad"}


def _random_ids(n: int) -> list[str]:
    rng = np.random.default_rng(21)
    alphabet = list("ABCDEFGHJKXYZ0123456789-_") + list("王李张刘陈杨黄赵区县乡镇") + ["é", "Å", "ü"]
    lengths = rng.integers(1, 24, n)
    picks = rng.integers(0, len(alphabet), lengths.sum())
    ids, at = [], 0
    for k in lengths.tolist():   # test data only
        ids.append("".join(alphabet[j] for j in picks[at:at + k]))
        at += k
    return list(dict.fromkeys(unicodedata.normalize("NFC", i) for i in ids))


def test_fast_engine_is_present():
    assert tk._FAST is not None, "polars-hash missing: tickets fall back to the slow path"


def test_known_tickets_never_change():
    ids = list(KNOWN) * 40           # ≥ 64 ids: the vectorised path
    t = tk.tickets(ids, "2024088")
    assert [f"{int(x):016x}" for x in t[:3]] == list(KNOWN.values())
    assert [f"{int(x):016x}" for x in tk.tickets_hashlib(list(KNOWN), "2024088")] == list(KNOWN.values())


def test_ten_thousand_random_ids_old_equals_new():
    ids = _random_ids(10_000)
    seed = "福彩 2024-088"
    new = tk.tickets(ids, seed)
    old = tk.tickets_hashlib(ids, seed)
    assert new.dtype == np.uint64 and np.array_equal(new, old)
    by_hand = [int.from_bytes(hashlib.sha256(seed.encode() + b"\x00" + i.encode()).digest()[:8], "big")
               for i in ids[:500]]
    assert new[:500].tolist() == by_hand


def test_progress_counts_every_id():
    seen = []
    tk.tickets([f"A{i}" for i in range(3000)], "s", progress=seen.append)
    assert sum(seen) == 3000


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="no sha256sum")
def test_shell_recipe_matches():
    ids = ["340102A1", "张三-1"] + [f"X{i}" for i in range(100)]
    t = tk.tickets(ids, "2024088")
    for k in (0, 1, 77):
        out = subprocess.run(["sh", "-c", "printf '%s\\0%s' \"$SEED\" \"$ID\" | sha256sum"],
                             env={"SEED": "2024088", "ID": ids[k], "PATH": "/usr/bin:/bin"},
                             capture_output=True, text=True, check=True).stdout
        assert out[:16] == f"{int(t[k]):016x}"


def test_normalise_ids_only_changes_what_nfc_and_strip_change():
    tricky = ["  A1 ", "e\u0301x", "\u3000王五", "\x1fB2", "C3\t", "D 4", "plain", "Å"]
    values = tricky + [f"H{i:06d}" for i in range(2000)]
    expect = [unicodedata.normalize("NFC", v).strip() for v in values]
    assert normalise_ids(pd.Series(values, dtype="string")) == expect
    assert normalise_ids(pd.Series(values, dtype=object)) == expect
    assert normalise_ids(values) == expect
