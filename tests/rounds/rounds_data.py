"""Two small rounds of a synthetic two-stage sample for the change tests.

Three counties (= strata), four townships (PSUs) each, 12 households per
township at baseline. ``fresh`` is an independent follow-up sample (new
households), ``panel`` re-visits 6 of the 12 baseline households of every
township (weights doubled: the same townships, half the households). Written
once to tests/rounds/data/*.csv, which the R oracle (change_oracle.R) reads.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).parent / "data"
COUNTIES = ("A", "B", "C")


def _round(rng: np.random.Generator, prefix: str, rate: dict[str, float], n: int = 12) -> pd.DataFrame:
    rows = []
    for c in COUNTIES:
        for j in range(4):
            w = 20.0 + 5 * j
            for k in range(n):
                rows.append((f"{prefix}{c}{j}{k:02d}", c, c, f"{c}{j}", w))
    f = pd.DataFrame(rows, columns=["archive_id", "county", "_stratum", "_psu", "_w"])
    f["_fpc"] = np.inf
    p = f["county"].map(rate).to_numpy()
    f["y"] = (rng.random(len(f)) < p).astype(float)
    f.loc[rng.random(len(f)) < 0.08, "y"] = np.nan
    f["pay_checked"] = rng.integers(0, 4, len(f)).astype(float)
    f["pay_full"] = np.minimum(f["pay_checked"], rng.binomial(f["pay_checked"].astype(int), 1 - p))
    return f


def frames() -> dict[str, pd.DataFrame]:
    """{"before", "fresh", "panel"}: the three samples (see the module doc)."""
    rng = np.random.default_rng(19)
    before = _round(rng, "H", {"A": 0.30, "B": 0.25, "C": 0.20})
    fresh = _round(rng, "F", {"A": 0.10, "B": 0.08, "C": 0.20})
    keep = before.groupby("_psu").head(6).copy()
    keep["_w"] = keep["_w"] * 2
    flip = rng.random(len(keep))
    better = keep["county"].isin(["A", "B"]).to_numpy()
    y = keep["y"].to_numpy().copy()
    y = np.where(better & (y == 1) & (flip < 0.6), 0.0, y)   # fixes in A and B
    y = np.where(~better & (flip < 0.05), 1 - y, y)           # noise in C
    keep["y"] = y
    paid = better & (flip < 0.5)                              # payments made good in A and B
    keep["pay_full"] = np.where(paid, keep["pay_checked"], keep["pay_full"])
    return {"before": before, "fresh": fresh, "panel": keep.reset_index(drop=True)}


def write() -> None:
    """Write the CSVs the R oracle reads."""
    DATA.mkdir(exist_ok=True)
    for name, f in frames().items():
        f.assign(_fpc="").to_csv(DATA / f"{name}.csv", index=False)


if __name__ == "__main__":
    write()
