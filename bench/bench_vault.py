"""Benchmark: encryption at rest (toolkit.vault) on a large file and on a results table.

Peers: a plain file copy (``shutil.copyfile``: the floor any writer pays) for
encrypt/decrypt of one large file, and a plain ``pandas.read_parquet`` for
reading a results table through ``vault.source``. Prints MB/s and ratios;
peak memory of the streaming decrypt stays about one chunk (1 MiB) above the
process's baseline.

    python bench/bench_vault.py [--mb 64]
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def _best(fn, n: int = 3) -> float:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=64)
    args = ap.parse_args()
    from toolkit import keys, vault

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["FIELDEVAL_KEY_DIR"] = str(tmp / "keys")
        root = tmp / "proj"
        root.mkdir()
        (root / "evaluation.toml").write_text("", encoding="utf-8")
        keys._save_keys(keys.key_path(root, "bench"), "bench", {b"\x01" * 8: os.urandom(32)})
        keys._save_marker(root, "bench", b"\x01" * 8)
        big = root / "big.bin"
        big.write_bytes(os.urandom(args.mb << 20))
        copy = _best(lambda: shutil.copyfile(big, tmp / "copy.bin"))
        sealed = root / "sealed.bin"

        def enc() -> None:
            shutil.copyfile(big, sealed)
            vault.seal_file(sealed)

        t_enc = _best(enc)
        t_dec = _best(lambda: vault.decrypt_to(sealed, tmp / "plain.bin"))
        mb = args.mb
        print(f"file {mb} MB: copy {mb / copy:,.0f} MB/s; encrypt {mb / t_enc:,.0f} MB/s "
              f"({t_enc / copy:.1f}× copy, copy included); decrypt {mb / t_dec:,.0f} MB/s ({t_dec / copy:.1f}× copy)")
        rng = np.random.default_rng(1)
        n = 200_000
        frame = pd.DataFrame({"archive_id": [f"HF{i:07d}" for i in range(n)], "x": rng.normal(size=n),
                              "county": rng.choice(["甲县", "乙县", "丙县"], n)})
        plain = root / "plain.parquet"
        frame.to_parquet(plain, index=False)
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        enc_p = vault.write_bytes(root / "households.parquet", buf.getvalue())
        t_plain = _best(lambda: pd.read_parquet(plain))
        t_vault = _best(lambda: pd.read_parquet(vault.source(enc_p)))
        print(f"read a {n:,}-row results table: plain {t_plain * 1000:.0f} ms, through the vault "
              f"{t_vault * 1000:.0f} ms ({t_vault / t_plain:.1f}× plain pandas.read_parquet)")


if __name__ == "__main__":
    main()
