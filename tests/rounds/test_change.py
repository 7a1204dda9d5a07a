"""toolkit.survey.change: the difference interval by hand and against R survey."""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.survey.change import Measure, change, stack

HERE = Path(__file__).parent
_spec = importlib.util.spec_from_file_location("rounds_data_hround", HERE / "rounds_data.py")
rounds_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(rounds_data)

MEASURES = (Measure("y", "y", None, True), Measure("pay", "pay_full", "pay_checked"))


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    return rounds_data.frames()


def _by_hand(before: pd.DataFrame, after: pd.DataFrame, paired: bool, county: str | None) -> tuple[float, float]:
    """Δ and se of the proportion of y, written out from the formulas (no Design)."""
    s = stack(before, after, paired=paired)
    ok = s["y"].notna() & (s["county"].eq(county) if county else True)
    w, y, r = s["_w"].to_numpy(), s["y"].fillna(0).to_numpy(), s["_round"].to_numpy()
    z = np.zeros(len(s))
    est = []
    for k in (0, 1):
        m = (ok & (r == k)).to_numpy()
        W = w[m].sum()
        p = (w[m] * y[m]).sum() / W
        est.append(p)
        z += (1 if k else -1) * np.where(m, w * (y - p) / W, 0.0)
    t = pd.Series(z).groupby([s["_stratum"], s["_psu"]]).sum()
    v = 0.0
    for _, th in t.groupby(level=0):
        n = len(th)
        v += n / (n - 1) * ((th - th.mean()) ** 2).sum()
    return est[1] - est[0], float(np.sqrt(v))


@pytest.mark.parametrize("case", ["fresh", "panel"])
@pytest.mark.parametrize("county", [None, "A", "C"])
def test_matches_hand_computation(data, case, county):
    got = change(data["before"], data[case], paired=case == "panel", measures=MEASURES)
    row = got[(got["indicator"] == "y") & (got["county"] == (county or "全市"))].iloc[0]
    d, se = _by_hand(data["before"], data[case], case == "panel", county)
    assert row["change"] == pytest.approx(d, abs=1e-12)
    assert row["se"] == pytest.approx(se, rel=1e-9)
    assert row["after"] - row["before"] == pytest.approx(d, abs=1e-12)


def test_independent_variances_add(data):
    """Independent samples: V(Δ) = V(before) + V(after), each from its own design."""
    from toolkit.survey import Design

    got = change(data["before"], data["fresh"], paired=False, measures=MEASURES)
    row = got[(got["indicator"] == "y") & (got["county"] == "全市")].iloc[0]
    v = 0.0
    for f in (data["before"], data["fresh"]):
        f = f[f["y"].notna()]
        r = Design(f, strata="_stratum", psu="_psu", weights="_w").mean("y")
        v += float(r["se"].iloc[0]) ** 2
    assert row["se"] == pytest.approx(np.sqrt(v), rel=1e-9)


def test_matches_r_survey(data):
    """svyby on the stacked rounds with svycontrast (tests/rounds/change_oracle.R)."""
    r = pd.read_csv(HERE / "data" / "change_r.csv")
    for case in ("fresh", "panel"):
        got = change(data["before"], data[case], paired=case == "panel", measures=MEASURES)
        got = got.set_index(["indicator", "county"])
        for _, e in r[r["case"] == case].iterrows():
            g = got.loc[(e["indicator"], e["county"])]
            assert g["change"] == pytest.approx(e["change"], abs=1e-12)
            assert g["se"] == pytest.approx(e["se"], rel=1e-8, abs=1e-14)
            assert g["df"] == e["df"]
            if e["se"] == 0:   # R's interval is the point Δ there; ours never is (module doc)
                assert g["ci_low"] < g["change"] < g["ci_high"]
            else:
                assert g["ci_low"] == pytest.approx(e["ci_low"], rel=1e-8)
                assert g["ci_high"] == pytest.approx(e["ci_high"], rel=1e-8)


def test_paired_narrower_than_independent_on_same_households(data):
    """The panel's paired interval is narrower than treating the same two samples as independent."""
    paired = change(data["before"], data["panel"], paired=True, measures=MEASURES).set_index(["indicator", "county"])
    indep = change(data["before"], data["panel"], paired=False, measures=MEASURES).set_index(["indicator", "county"])
    assert paired.loc[("y", "全市"), "se"] < indep.loc[("y", "全市"), "se"]


def test_verdicts_follow_direction(data):
    got = change(data["before"], data["fresh"], paired=False, measures=MEASURES).set_index(["indicator", "county"])
    assert got.loc[("y", "全市"), "verdict"] == "improved"      # y falls, lower is better
    assert got.loc[("y", "C"), "verdict"] == "no_change"
    assert got.loc[("pay", "全市"), "verdict"] == "improved"    # pay share rises


def test_empty_round_gives_undetermined(data):
    after = data["fresh"][data["fresh"]["county"] != "C"]
    got = change(data["before"], after, paired=False, measures=MEASURES).set_index(["indicator", "county"])
    assert got.loc[("y", "C"), "verdict"] == "undetermined"
    assert np.isnan(got.loc[("y", "C"), "change"])


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="Rscript is not installed")
def test_r_oracle_reproduces_fixture(tmp_path):
    """The stored R output is what the R script gives today (run only where R is)."""
    repo = HERE.parent.parent
    work = tmp_path / "repo"
    (work / "tests" / "rounds" / "data").mkdir(parents=True)
    for p in (HERE / "data").glob("*.csv"):
        if p.name != "change_r.csv":
            shutil.copy(p, work / "tests" / "rounds" / "data" / p.name)
    res = subprocess.run(["Rscript", str(repo / "tests" / "rounds" / "change_oracle.R")], cwd=work,
                         capture_output=True, text=True, timeout=120)
    if res.returncode != 0 and "survey" in res.stderr:
        pytest.skip("R package survey missing")
    assert res.returncode == 0, res.stderr
    new = pd.read_csv(work / "tests" / "rounds" / "data" / "change_r.csv")
    old = pd.read_csv(HERE / "data" / "change_r.csv")
    pd.testing.assert_frame_equal(new, old, rtol=1e-10)


def _panel(y0: list[int], y1: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    n = len(y0)
    f = pd.DataFrame({"archive_id": [f"a{i}" for i in range(n)], "county": "A", "_stratum": "A",
                      "_psu": [str(i // 2) for i in range(n)], "_w": 3.0, "_fpc": float("inf"), "y": y0})
    return f, f.assign(y=y1)


@pytest.mark.parametrize("share", [0.5, 0.9, 1.0])
def test_no_household_changed_still_has_an_interval(share: float) -> None:
    """A panel where every household answers as before: the linearised variance
    of the change is 0, yet the interval is not the point 0 (Newcombe's MOVER)."""
    y = [1 if i < round(share * 40) else 0 for i in range(40)]
    before, after = _panel(y, y)
    r = change(before, after, paired=True, measures=(Measure("y", "y"),))
    for _, row in r.iterrows():
        assert row["change"] == 0.0
        assert row["ci_low"] < 0 < row["ci_high"], row.to_dict()
        assert row["ci_high"] - row["ci_low"] > 0.01
        assert row["verdict"] == "no_change"
    if share == 1.0:
        return
    # the interval of an unchanged panel is narrower than the independent one of the same answers
    ind = change(before, after, paired=False, measures=(Measure("y", "y"),))
    assert (r["ci_high"] - r["ci_low"]).iloc[0] <= (ind["ci_high"] - ind["ci_low"]).iloc[0] + 1e-12


def test_unchanged_ratio_falls_back_to_the_rounds_variances() -> None:
    before, after = _panel([1, 0] * 20, [1, 0] * 20)
    before["amount"] = np.arange(40, dtype=float) + 1
    after["amount"] = before["amount"]
    before["due"] = 50.0
    after["due"] = 50.0
    r = change(before, after, paired=True, measures=(Measure("ratio", "amount", "due"),))
    row = r.iloc[0]
    assert row["change"] == 0.0 and row["se"] == 0.0 and row["ci_low"] < 0 < row["ci_high"]
