"""`fieldeval roster check`: summary, exit codes 0/1/2, problems file, zh/en."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from roster_data import HEADERS, good_rows, write_csv
from toolkit.cli import main

COL = {h: i for i, h in enumerate(HEADERS)}


def test_clean_file_exits_0(tmp_path: Path, capsys) -> None:
    p = write_csv(tmp_path / "r.csv", good_rows(), encoding="gbk")
    assert main(["roster", "check", str(p)]) == 0
    out = capsys.readouterr().out
    assert "读取 6 行" in out and "没有发现错误" in out


def test_errors_exit_1_and_problems_file(tmp_path: Path, capsys) -> None:
    rows = good_rows()
    rows[2][COL["家庭人口"]] = "0"
    rows[3][COL["身份证号"]] = "3.40102E+17"
    p = write_csv(tmp_path / "r.csv", rows)
    out_x = tmp_path / "problems.xlsx"
    assert main(["roster", "check", str(p), "--problems", str(out_x), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    from toolkit.roster.rule_words import rule_name

    # the by-rule lines name each rule in words, never by its code
    assert "2 errors" in out and rule_name("household_size", "en") in out and rule_name("id_scientific", "en") in out
    assert "household_size" not in out and "id_scientific" not in out
    table = pd.read_excel(out_x)
    assert list(table.columns) == ["row", "column", "header", "value", "rule", "severity", "message"]
    assert "Household size" in set(table["column"]) and "household_size" not in set(table["column"])
    assert sorted(table["row"].tolist()) == [4, 5]


def test_unusable_file_exits_2_without_traceback(tmp_path: Path, capsys) -> None:
    p = tmp_path / "r.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    out_x = tmp_path / "problems.csv"
    assert main(["roster", "check", str(p), "--problems", str(out_x)]) == 2
    err = capsys.readouterr().err
    assert "缺少必需的列" in err and "Traceback" not in err
    assert not out_x.exists()


def test_project_counties_used(tmp_path: Path, capsys) -> None:
    rows = good_rows()
    rows[0][COL["所属区县"]] = "巢湖市"
    p = write_csv(tmp_path / "r.csv", rows)
    assert main(["init", str(tmp_path / "proj"), "--name", "合肥市评估", "--lines", "880,2060", "--roster", str(p),
                 "--counties", "瑶海区:340102,庐阳区:340103,蜀山区:340104,包河区:340111,长丰县:340121"]) == 0
    assert main(["roster", "check", str(p), "--project", str(tmp_path / "proj")]) == 1
    assert "区县不在本评估项目中" in capsys.readouterr().out   # the rule in words, not its code


def test_formula_injection_neutralised_in_problems(tmp_path: Path) -> None:
    rows = good_rows()
    rows[0][COL["联系电话"]] = "=HYPERLINK(\"x\")"
    p = write_csv(tmp_path / "r.csv", rows)
    out_c = tmp_path / "problems.csv"
    main(["roster", "check", str(p), "--problems", str(out_c)])
    t = pd.read_csv(out_c, encoding="utf-8-sig")
    assert t["值"].iloc[0].startswith("'=")
