"""A tiny evaluation project for the fix-list tests: two counties and a
hand-made stored verification (no demo run: milliseconds, not minutes).

瑶海区: 错评率 fails (HF-A1 flagged; HF-A2 flagged but overturned by the
evaluators; HF-A3 clear), 认可度 fails (no household finding behind it).
肥东县: 帮扶覆盖率 inconclusive (HF-B1 helper missing; HF-B2 too, but its
submission was rejected: no longer in the sample). The roster rows carry a
name and a phone that must never reach a fix list.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

TOML = """[evaluation]
name = "测试评估"
language = "zh"

[[counties]]
name = "瑶海区"
code = "340102"
dibao = 880.0
min_wage = 2060.0

[[counties]]
name = "肥东县"
code = "340122"
dibao = 850.0
min_wage = 1930.0

[paths]
roster = "roster.xlsx"
{round}"""
NAME, PHONE = "张三丰", "13912345678"
TODAY = "2026-11-30"


def card_row(indicator: str, county: str, est: float, lo: float, hi: float, verdict: str, *,
             threshold: float = 0.05, direction: str = "max", aspect: str = "targeting") -> dict:
    return {"aspect": aspect, "indicator": indicator, "county": county, "estimate": est, "ci_low": lo,
            "ci_high": hi, "se": 0.01, "n": 30, "threshold": threshold, "direction": direction,
            "verdict": verdict, "method": "wilson", "reason": ""}


def baseline_card() -> pd.DataFrame:
    return pd.DataFrame([
        card_row("wrong_inclusion", "全市", 0.06, 0.03, 0.10, "inconclusive"),
        card_row("wrong_inclusion", "瑶海区", 0.12, 0.07, 0.20, "fail"),
        card_row("wrong_inclusion", "肥东县", 0.01, 0.00, 0.04, "pass"),
        card_row("approval", "瑶海区", 0.80, 0.70, 0.87, "fail", threshold=0.9, direction="min", aspect="approval"),
        card_row("approval", "肥东县", 0.95, 0.91, 0.98, "pass", threshold=0.9, direction="min", aspect="approval"),
        card_row("helper_coverage", "瑶海区", 0.99, 0.96, 1.0, "pass", threshold=0.95, direction="min",
                 aspect="mechanism"),
        card_row("helper_coverage", "肥东县", 0.93, 0.85, 0.97, "inconclusive", threshold=0.95, direction="min",
                 aspect="mechanism"),
    ])


def followup_card() -> pd.DataFrame:
    c = baseline_card()
    better = (c["indicator"] == "wrong_inclusion") & (c["county"] == "瑶海区")
    c.loc[better, ["estimate", "ci_low", "ci_high", "verdict"]] = [0.02, 0.005, 0.045, "pass"]
    return c


def evidence() -> pd.DataFrame:
    rows = [("HF-A1", "瑶海区", "wrong_inclusion", True), ("HF-A2", "瑶海区", "wrong_inclusion", True),
            ("HF-A3", "瑶海区", "wrong_inclusion", False), ("HF-B1", "肥东县", "helper_missing", True),
            ("HF-B2", "肥东县", "helper_missing", True)]
    f = pd.DataFrame(rows, columns=["archive_id", "county", "finding", "flagged"])
    return f.assign(archive_value="1", visit_value="0", rule="x")


def households() -> pd.DataFrame:
    ids = ["HF-A1", "HF-A2", "HF-A3", "HF-B1"]
    return pd.DataFrame({"archive_id": ids, "county": ["瑶海区"] * 3 + ["肥东县"], "KEY": [f"k{i}" for i in ids],
                         "pay_checked": np.zeros(4)})


def write_results(root: Path, card: pd.DataFrame, round_name: str) -> None:
    """The verification stage as Project.verify stores it (the tables the fix list reads)."""
    from toolkit.project.stagefiles import write_stage

    def write(tmp: Path) -> None:
        card.to_parquet(tmp / "scorecard.parquet", index=False)
        evidence().to_parquet(tmp / "findings.parquet", index=False)
        households().to_parquet(tmp / "households.parquet", index=False)
        pd.DataFrame({"archive_id": ["HF-A2"], "finding_type": ["wrong_inclusion"], "decision": ["overturned"],
                      "county": ["瑶海区"]}).to_parquet(tmp / "review_overturned.parquet", index=False)
        pd.DataFrame({"archive_id": ["HF-A1"], "name": [NAME], "phone": [PHONE]}).to_parquet(
            tmp / "roster.parquet", index=False)

    write_stage(root / "output" / "verify", write, {"stage": "verify", "round": round_name, "ci": "wilson"})
    keep = root / "output" / "rounds" / round_name
    keep.mkdir(parents=True, exist_ok=True)
    card.to_parquet(keep / "scorecard.parquet", index=False)


def make_project(root: Path, round_name: str = "baseline") -> Path:
    """evaluation.toml in round ``round_name`` and its stored verification."""
    root.mkdir(parents=True, exist_ok=True)
    set_round(root, round_name)
    write_results(root, baseline_card(), round_name)
    return root


def set_round(root: Path, round_name: str) -> None:
    (root / "evaluation.toml").write_text(TOML.format(round=f'\n[project]\nround = "{round_name}"\n'),
                                          encoding="utf-8")


def fake_unmet() -> pd.DataFrame:
    """What toolkit.checklist.unmet returns, one hostile note included."""
    return pd.DataFrame({"county": ["肥东县"], "aspect": ["=HYPERLINK(\"http://x\")"], "item_id": ["C07"],
                         "item_zh": ["资金专户管理"], "item_en": ["separate fund account"], "status": ["not_met"],
                         "note": ["专户未单独设立"]})
