"""Forum notes: the workbook round trip is lossless; roles only — a piece
that reads like a name refuses the row, a column asking for names is not
read; every planted problem refused with its row and column; withdrawing a
statement keeps its history."""
from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from toolkit.checklist.store import statements
from toolkit.forums import workbook as fw

ROWS = [  # forum, county, date, roles, seq, aspect, finding, stance, text
    ["ZT-01", "长丰县", "2026-05-12", "工会干部、帮扶责任人、困难职工代表 3 名", 1, "帮扶机制实不实", None, "支持",
     "帮扶责任人每季度上门一次"],
    ["ZT-01", "长丰县", "2026-05-12", "工会干部、帮扶责任人、困难职工代表 3 名", 2, "帮扶对象准不准", "错评", "矛盾",
     "=有的户建档时没有公示"],
    ["ZT-02", "肥东县", "2026年5月13日", "社区干部、财务人员", 1, "Funds", None, "contradicts",
     "送温暖资金有一部分是现金发放"],
    ["ZT-02", "肥东县", "2026年5月13日", "社区干部、财务人员", 2, "脱困需求清不清", None, "无关", "希望多一些培训"],
]


def write_rows(path: Path, rows: list[list], extra_header: str | None = None, extra: list | None = None) -> None:
    book = load_workbook(path)
    ws = book.worksheets[0]
    for r, values in enumerate(rows, 4):
        for j, v in enumerate(values, 1):
            ws.cell(r, j, v)
    if extra_header:
        ws.cell(3, len(fw.COLUMNS) + 1, extra_header)
        for r, v in enumerate(extra or [], 4):
            ws.cell(r, len(fw.COLUMNS) + 1, v)
    book.save(path)


def cells(path: Path) -> list[tuple]:
    return [tuple(r) for r in load_workbook(path).worksheets[0].iter_rows(min_row=3, values_only=True)]


def test_template_then_round_trip_is_lossless(project) -> None:
    from toolkit.i18n import t

    path, n = fw.export(project)
    assert n == 0 and path.name == "座谈会记录.xlsx"
    ws = load_workbook(path).worksheets[0]
    assert [c.value for c in ws[3]] == [t(f"forum.col.{c}", "zh") for c in fw.COLUMNS]
    assert {d.formula1 for d in ws.data_validations.dataValidation} >= {'"支持,矛盾,无关,撤回"'}
    # finding type in the report's words
    ROWS[1][6] = t("report.finding.wrong_inclusion", "zh")
    write_rows(path, ROWS)
    res = fw.import_workbook(project, path, who="评估员甲")
    assert (res.added, res.unchanged, len(res.problems)) == (4, 0, 0), res.problems
    s = statements(project).set_index(["forum_id", "seq"])
    assert s.loc[("ZT-01", 2), "text"] == "=有的户建档时没有公示" and s.loc[("ZT-01", 2), "stance"] == "contradicts"
    assert s.loc[("ZT-01", 2), "finding_type"] == "wrong_inclusion"
    assert s.loc[("ZT-02", 1), "aspect"] == "funds" and str(s.loc[("ZT-02", 1), "held_on"]) == "2026-05-13"
    again, n = fw.export(project, project.root / "again.xlsx")
    assert n == 4
    third, _ = fw.export(project, project.root / "third.xlsx")
    assert cells(again) == cells(third)
    got = cells(again)[1:5]
    assert got[1][8] == "'=有的户建档时没有公示"                       # neutralised in the file
    assert got[2][2] == "2026-05-13" and got[2][5] == "资金使用准不准" and got[2][7] == "矛盾"
    res2 = fw.import_workbook(project, again, who="评估员乙")
    assert (res2.added, res2.unchanged, len(res2.problems)) == (0, 4, 0)
    assert len(statements(project, history=True)) == 4


def test_names_are_refused_and_name_columns_not_read(project) -> None:
    path, _ = fw.export(project)
    rows = [["ZT-09", "包河区", "2026-05-20", "工会干部、张明", 1, "帮扶机制实不实", None, "支持", "有人联系"],
            ["ZT-08", "包河区", "2026-05-20", "王主任", 1, "帮扶机制实不实", None, "支持", "有人联系"],
            ["ZT-07", "包河区", "2026-05-21", "企业工会主席（2人）、帮扶中心工作人员", 1, "资金使用准不准", None, "支持",
             "资金专户管理"]]
    write_rows(path, rows, extra_header="发言人姓名", extra=["李四", "赵六", "钱七"])
    res = fw.import_workbook(project, path, who="评估员甲")
    assert res.stripped == ("发言人姓名",)
    assert {(int(r.row), r.column.split()[0]) for r in res.problems.itertuples()} == {(4, "D"), (5, "D")}
    assert "张明" in res.problems["message"].iloc[0] and "王主任" in res.problems["message"].iloc[1]
    s = statements(project)
    assert s["forum_id"].tolist() == ["ZT-07"] and res.added == 1
    stored = " ".join(map(str, s.to_numpy().ravel()))
    assert not any(n in stored for n in ("李四", "赵六", "钱七", "张明", "王主任"))


def test_every_planted_problem_is_refused_with_row_and_column(project) -> None:
    path, _ = fw.export(project)
    good = ["ZT-01", "长丰县", "2026-05-12", "工会干部", 1, "帮扶机制实不实", None, "支持", "好"]
    bad = {  # row → (values, column letter)
        5: (["ZT-02", "长丰县", "明天", "工会干部", 1, "帮扶机制实不实", None, "支持", "x"], "C"),
        6: (["ZT-03", "长丰县", "2099-01-01", "工会干部", 1, "帮扶机制实不实", None, "支持", "x"], "C"),
        7: (["ZT-04", "外省某县", "2026-05-12", "工会干部", 1, "帮扶机制实不实", None, "支持", "x"], "B"),
        8: (["ZT-05", "长丰县", "2026-05-12", "工会干部", 1, "别的方面", None, "支持", "x"], "F"),
        9: (["ZT-06", "长丰县", "2026-05-12", "工会干部", 1, "帮扶机制实不实", None, "也许", "x"], "H"),
        10: (["ZT-07", "长丰县", "2026-05-12", "工会干部", 0, "帮扶机制实不实", None, "支持", "x"], "E"),
        11: (["ZT-08", "长丰县", "2026-05-12", "工会干部", 1, "帮扶机制实不实", None, "支持", None], "I"),
        12: (["ZT-09", "长丰县", "2026-05-12", None, 1, "帮扶机制实不实", None, "支持", "x"], "D"),
        13: (["ZT-10", "长丰县", "2026-05-12", "工会干部", 1, "帮扶机制实不实", "没这种发现", "支持", "x"], "G"),
    }
    write_rows(path, [good] + [v for v, _ in bad.values()])
    res = fw.import_workbook(project, path, who="评估员甲")
    got = {(int(r.row), r.column.split()[0]) for r in res.problems.itertuples()}
    assert got == {(row, col) for row, (_, col) in bad.items()}, res.problems
    assert res.added == 1
    msgs = " ".join(res.problems["message"])
    assert "nan" not in msgs and "None" not in msgs


def test_one_forum_one_county_and_withdrawing_keeps_history(project) -> None:
    path, _ = fw.export(project)
    write_rows(path, [["ZT-01", "长丰县", "2026-05-12", "工会干部", 1, "帮扶机制实不实", None, "支持", "甲"],
                      ["ZT-01", "肥东县", "2026-05-12", "工会干部", 2, "帮扶机制实不实", None, "支持", "乙"]])
    res = fw.import_workbook(project, path, who="评估员甲")
    assert len(res.problems) == 2 and res.added == 0
    path, _ = fw.export(project, project.root / "b.xlsx")
    write_rows(path, [["ZT-01", "长丰县", "2026-05-12", "工会干部", 1, "帮扶机制实不实", None, "支持", "甲"],
                      ["ZT-01", "长丰县", "2026-05-12", "工会干部", 2, "帮扶机制实不实", None, "支持", "乙"]])
    assert fw.import_workbook(project, path, who="甲").added == 2
    path, n = fw.export(project, project.root / "c.xlsx")
    book = load_workbook(path)
    book.worksheets[0].cell(5, 8, "撤回")
    book.save(path)
    assert fw.import_workbook(project, path, who="乙").added == 1
    assert fw.current(project)["text"].tolist() == ["甲"]
    assert fw.export(project, project.root / "d.xlsx")[1] == 1
    h = statements(project, history=True)
    assert h["stance"].tolist() == ["supports", "supports", "withdrawn"] and h["who"].tolist()[-1] == "乙"
