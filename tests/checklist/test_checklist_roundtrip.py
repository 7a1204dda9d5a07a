"""Document review checklist: export per county → fill → import → export is
lossless; every planted problem row is refused with its row and column; the
entries are only ever added, with who and when; unmet() and scores() as the
fix list and the scorecard read them."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from toolkit.checklist import rollup, scores, unmet
from toolkit.checklist import workbook as wb
from toolkit.checklist.store import entries

FORMULA_NOTE = "=HYPERLINK(\"http://x\",\"点我\")"


def grid(path: Path) -> list[tuple]:
    ws = load_workbook(path).worksheets[0]
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def columns(ws) -> dict[str, int]:  # noqa: ANN001
    heads = wb.header_map()
    return {heads[str(c.value)]: c.column for c in ws[3] if str(c.value) in heads}


def fill(path: Path, values: dict[str, dict[str, object]]) -> None:
    """Write values (item id → {column key: value}) into an exported workbook."""
    book = load_workbook(path)
    ws = book.worksheets[0]
    cols = columns(ws)
    for row in ws.iter_rows(min_row=4):
        item = row[cols["item_id"] - 1].value
        for k, v in values.get(item, {}).items():
            ws.cell(row[0].row, cols[k], v)
    book.save(path)


def test_export_has_the_items_in_words_and_a_status_list(project) -> None:
    files = wb.export(project)
    assert len(files) == 6 and files[0].name == "查阅档案资料_瑶海区.xlsx"
    book = load_workbook(files[0])
    ws = book.worksheets[0]
    cols = columns(ws)
    assert {"item_zh", "status", "document", "page", "photo", "note"} <= set(cols) and "item_en" not in cols
    assert ws.cell(4, cols["item_zh"]).value.startswith("建档申请材料齐全")
    dv = ws.data_validations.dataValidation
    assert len(dv) == 1 and dv[0].formula1 == '"符合,部分符合,不符合,不适用"'
    en = wb.export(project, project.root / "en", lang="en", counties=["包河区"])
    assert en[0].name == "document_review_包河区.xlsx"
    ws = load_workbook(en[0]).worksheets[0]
    assert ws.data_validations.dataValidation[0].formula1 == '"Met,Partly met,Not met,Not applicable"'
    assert "item_en" in columns(ws) and ws.cell(4, columns(ws)["item_en"]).value.startswith("Filing papers")


def test_round_trip_is_lossless_and_idempotent(project) -> None:
    path = wb.export(project, counties=["长丰县"])[0]
    fill(path, {"T1": {"status": "符合", "document": "困难职工档案（抽查 10 户）", "page": "3-5", "photo": "T1.jpg"},
                "T2": {"status": "不符合", "note": FORMULA_NOTE},
                "T3": {"status": "部分符合", "document": "+公示单", "page": 7, "note": "无起止日期"},
                "O3": {"status": "Not applicable", "note": "无解困户"}})
    res = wb.import_workbooks(project, [path], who="评估员甲")
    assert (res.added, res.unchanged, len(res.problems)) == (4, 0, 0), res.problems
    assert res.blank == 15
    e = entries(project).set_index("item_id")
    assert e.loc["T2", "note"] == FORMULA_NOTE            # stored as typed
    assert e.loc["T3", "document"] == "+公示单" and e.loc["T3", "page"] == "7"
    assert e.loc["O3", "status"] == "not_applicable" and set(e["who"]) == {"评估员甲"}
    again = wb.export(project, project.root / "again", counties=["长丰县"])[0]
    g = grid(again)
    assert g[2:] == grid(wb.export(project, project.root / "third", counties=["长丰县"])[0])[2:]
    t2 = next(r for r in g if r[1] == "T2")
    assert t2[-1] == "'" + FORMULA_NOTE                  # neutralised in the file
    assert next(r for r in g if r[1] == "T3")[6] == "'+公示单"
    res2 = wb.import_workbooks(project, [again], who="评估员乙")
    assert (res2.added, res2.unchanged, len(res2.problems)) == (0, 4, 0)
    assert len(entries(project, history=True)) == 4      # nothing added by an unchanged file
    # the filled cells of the first file read back equal the re-export's (status, evidence, note)
    first = {r[1]: r[5:] for r in grid(path)[3:]}
    second = {r[1]: r[5:] for r in g[3:]}
    first["T2"] = first["T2"][:-1] + ("'" + FORMULA_NOTE,)
    first["T3"] = (first["T3"][0], "'+公示单", "7", *first["T3"][3:])
    first["O3"] = ("不适用", *first["O3"][1:])
    assert first == second


def test_every_planted_problem_is_refused_with_row_and_column(project) -> None:
    path = wb.export(project, counties=["包河区"])[0]
    fill(path, {"T1": {"status": "符合", "document": "档案", "page": "2"},          # good
                "T2": {"status": "差不多"},                                          # unknown status
                "T3": {"status": "符合"},                                            # met, no document
                "T4": {"status": "不符合"},                                          # not met, no note
                "N1": {"status": "符合", "document": "登记表", "page": "第三页"},     # page not a number
                "N2": {"status": "符合", "document": "计划", "photo": "../../etc/passwd"},
                "M1": {"document": "办法", "note": "有文件"},                         # evidence without status
                "M2": {"status": "符合", "document": "x" * 2001}})                   # too long
    book = load_workbook(path)
    ws = book.worksheets[0]
    cols = columns(ws)
    ws.cell(4 + 8, cols["county"], "外省某县")                                       # row of M3: wrong county
    ws.cell(4 + 8, cols["status"], "符合")
    ws.cell(4 + 8, cols["document"], "台账")
    book.save(path)
    res = wb.import_workbooks(project, [path], who="评估员甲")
    p = res.problems
    got = {(int(r.row), r.column.split()[0]) for r in p.itertuples()}
    letter = {k: ws.cell(3, v).column_letter for k, v in cols.items()}
    row = {item: 4 + i for i, item in enumerate(["T1", "T2", "T3", "T4", "N1", "N2", "M1", "M2", "M3"])}
    expected = {(row["T2"], letter["status"]), (row["T3"], letter["document"]), (row["T4"], letter["note"]),
                (row["N1"], letter["page"]), (row["N2"], letter["photo"]), (row["M1"], letter["status"]),
                (row["M2"], letter["document"]), (row["M3"], letter["county"])}
    assert got == expected, p
    assert res.added == 1 and set(entries(project)["item_id"]) == {"T1"}
    lines = wb.problem_lines(p, "zh")
    assert any("第 %d 行" % row["T2"] in x and "差不多" in x for x in lines)
    assert all("nan" not in x and "None" not in x for x in lines + wb.problem_lines(p, "en"))


def test_later_entries_are_added_not_overwritten(project) -> None:
    path = wb.export(project, counties=["瑶海区"])[0]
    fill(path, {"D1": {"status": "符合", "document": "系统导出表"}})
    wb.import_workbooks(project, [path], who="甲")
    path = wb.export(project, project.root / "b", counties=["瑶海区"])[0]
    fill(path, {"D1": {"status": "部分符合", "note": "多 3 户"}})
    wb.import_workbooks(project, [path], who="乙")
    h = entries(project, history=True)
    assert h["status"].tolist() == ["met", "partly"] and h["who"].tolist() == ["甲", "乙"]
    assert entries(project)["status"].tolist() == ["partly"]
    from toolkit.store import open_store

    with open_store(project.evaluation) as st:
        audit = st.audit(table="checklist_entries")
    assert len(audit) == 2 and audit["who"].tolist() == ["甲", "乙"]


def test_unmet_and_scores_follow_the_rule(project) -> None:
    assert list(unmet(project).columns) == rollup.UNMET_COLUMNS and not len(unmet(project))
    assert list(scores(project).columns) == rollup.SCORE_COLUMNS and not len(scores(project))
    frame = pd.DataFrame({"county": ["长丰县"] * 5 + ["肥东县"],
                          "item_id": ["F1", "F2", "F3", "F4", "T1", "F1"],
                          "status": ["met", "partly", "not_met", "not_applicable", "met", "not_applicable"],
                          "note": [None, "一半", "没有", "无", None, "无"]})
    from toolkit.checklist import save_entries

    save_entries(project, frame, "甲", "test")
    u = unmet(project)
    assert u[["county", "aspect", "item_id", "status"]].values.tolist() == [
        ["长丰县", "funds", "F2", "partly"], ["长丰县", "funds", "F3", "not_met"]]
    assert u["item_zh"].str.len().gt(0).all() and u["item_en"].str.len().gt(0).all()
    s = scores(project).set_index(["county", "aspect"])
    assert s.loc[("长丰县", "funds"), "score"] == pytest.approx(1.5 / 3)       # (1 + ½ + 0) / 3 applicable
    assert s.loc[("长丰县", "funds"), "items_applicable"] == 3
    assert s.loc[("长丰县", "targeting"), "score"] == 1.0
    assert ("肥东县", "funds") not in s.index                                  # nothing applicable: no score
    assert rollup.status_words(u["status"], "en").tolist() == ["Partly met", "Not met"]
