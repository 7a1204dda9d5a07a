"""Synthetic roster frames for the sampling tests (no roster reader needed).

A uniquely named module (not conftest) so that test files can import it
whatever other conftest modules the whole test tree loads."""
from __future__ import annotations

import numpy as np
import pandas as pd

COUNTIES = ("瑶海区", "庐阳区", "长丰县")
STATUSES = ("在档", "已脱困", "已解困", "注销")


def make_roster(n: int = 600, *, seed: int = 1, townships: int = 4) -> pd.DataFrame:
    """A roster-like frame indexed by spreadsheet row ("row", starting at 2)."""
    rng = np.random.default_rng(seed)
    county = rng.choice(COUNTIES, size=n, p=[0.5, 0.3, 0.2])
    town_no = rng.integers(1, townships + 1, size=n)
    township = np.array([f"{c[:2]}街道{t}" for c, t in zip(county, town_no)], dtype=object)
    status = rng.choice(STATUSES, size=n, p=[0.6, 0.25, 0.1, 0.05])
    df = pd.DataFrame({
        "archive_id": [f"340{i:07d}" for i in range(n)],
        "county": county, "township": township, "status": status,
        "category": rng.choice(["深度困难", "相对困难", "意外致困"], size=n),
        "name": [f"张{'三四五六'[i % 4]}{'明华'[i % 2]}" for i in range(n)],
        "phone": [f"139{i:08d}" for i in range(n)],
        "id_number": [f"34010219800101{i % 1000:03d}X" for i in range(n)],
        "address": [f"某路{i}号" for i in range(n)],
        "household_size": rng.integers(1, 6, size=n),
    }, index=pd.RangeIndex(2, n + 2, name="row"))
    return df
