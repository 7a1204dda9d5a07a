"""Reading the visits that ``fieldeval ingest`` wrote.

Layout (the ingest contract): ``OUTDIR/submissions.parquet`` — one row per
submission, ``KEY``, ``form_version``, meta columns, one column per question
name (numbers float, dates datetime64, select_one the choice name,
select_multiple space-separated names) and ``_status`` (accepted |
quarantined); ``OUTDIR/repeat_<name>.parquet`` per repeat group with
``PARENT_KEY`` (= the submission's KEY), ``KEY``, ``index`` and the repeat's
question names. Only accepted submissions (and their repeat rows) are used.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.errors import UserError
from toolkit.vault import source
from toolkit.verify.text_in import text_in


@dataclass(frozen=True, eq=False)
class VisitData:
    """Accepted submissions and their member and payment repeats."""

    submissions: pd.DataFrame
    members: pd.DataFrame
    payments: pd.DataFrame
    quarantined: int = 0


def from_layout(frames: dict[str, pd.DataFrame]) -> VisitData:
    """VisitData from the in-memory parquet layout (``submissions``,
    ``repeat_member``, ``repeat_payment``)."""
    sub = frames["submissions"]
    n_q = 0
    if "_status" in sub:
        ok = sub["_status"].astype(str).eq("accepted").to_numpy()
        n_q = int((~ok).sum())
        sub = sub[ok]
    keys = set(sub["KEY"].astype(str))

    def rep(name: str, cols: tuple[str, ...]) -> pd.DataFrame:
        f = frames.get(f"repeat_{name}")
        if f is None:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in ("PARENT_KEY", "KEY", *cols)})
        return f[text_in(f["PARENT_KEY"].astype(str), keys).to_numpy()].reset_index(drop=True)   # Arrow isin: slow

    return VisitData(sub.reset_index(drop=True),
                     rep("member", ("m_age", "m_able", "m_work")),
                     rep("payment", ("pay_item", "pay_year", "pay_ledger_amount", "pay_received",
                                     "pay_amount_received")), n_q)


def load_visits(outdir: str | Path) -> VisitData:
    """Read ``submissions.parquet`` and ``repeat_member`` / ``repeat_payment``
    parquet files from ``outdir`` (see the module doc). UserError when the
    submissions file is missing."""
    d = Path(outdir)
    sub = d / "submissions.parquet"
    if not sub.exists():
        raise UserError("verify.no_visits", path=str(d))
    frames = {"submissions": pd.read_parquet(source(sub))}
    for name in ("member", "payment"):
        p = d / f"repeat_{name}.parquet"
        if p.exists():
            frames[f"repeat_{name}"] = pd.read_parquet(source(p))
    return from_layout(frames)


__all__ = ["VisitData", "load_visits", "from_layout"]
