"""The fix list (整改清单, issue 19 item 4) and the previous round's fixes verified."""
from __future__ import annotations

import io
import re
import sys
import zipfile
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import fixes_data as fd  # noqa: E402

TODAY = date.fromisoformat(fd.TODAY)
PERSONAL = ("holds personal data (a name, phone, ID number, bank card or address): give a role and the "
            "document's name")


def cli(*argv: str) -> tuple[int, str]:
    from toolkit.cli import main

    buf = io.StringIO()
    with redirect_stdout(buf):
        code = main(list(argv))
    return code, buf.getvalue()


@pytest.fixture()
def project(tmp_path):
    from toolkit.project import Project

    return Project.open(fd.make_project(tmp_path / "p"))


def _xlsx_text(p: Path) -> str:
    with zipfile.ZipFile(p) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


def _docx_text(p: Path) -> str:
    import docx

    d = docx.Document(str(p))
    cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    return "\n".join([x.text for x in d.paragraphs] + cells)


def test_items_from_the_stored_results(project):
    from toolkit.fixes.items import generate

    items = generate(project, "zh", unmet=fd.fake_unmet())
    got = {(r.county, r.kind, r.subject): r.households for r in items.itertuples()}
    assert got == {
        ("瑶海区", "indicator", "wrong_inclusion"): "HF-A1",      # HF-A2 overturned: not a problem household
        ("瑶海区", "indicator", "approval"): "",                   # no household finding behind it
        ("瑶海区", "finding", "wrong_inclusion"): "HF-A1",
        ("肥东县", "indicator", "helper_coverage"): "HF-B1",       # HF-B2's submission rejected: left the sample
        ("肥东县", "finding", "helper_missing"): "HF-B1",
        ("肥东县", "checklist", "C07"): "",
    }
    assert items.set_index("subject").loc["approval", "n_households"] == 0
    assert "全市" not in set(items["county"])
    again = generate(project, "en", unmet=fd.fake_unmet())
    assert list(again["item_id"]) == list(items["item_id"])     # stable across exports and languages
    assert all(re.fullmatch(r"ZG\d{6}-[IFC][0-9A-F]{6}", i) for i in items["item_id"])
    assert items.set_index("subject").loc["helper_missing", "indicator"] == "helper_coverage"


def test_checklist_adapter_without_the_checklist(project, monkeypatch):
    from toolkit.fixes import checklist

    monkeypatch.setitem(sys.modules, "toolkit.checklist", None)   # import fails: ImportError
    u = checklist.unmet(project)
    assert list(u.columns) == checklist.COLUMNS and len(u) == 0


def test_export_xlsx_and_docx(project):
    from openpyxl import load_workbook

    from toolkit.fixes.export import export
    from toolkit.report.render import DOCX_FONT

    paths, items = export(project, lang="zh", unmet=fd.fake_unmet())
    xlsx, docx_path = paths
    assert xlsx.name == "整改清单.xlsx" and docx_path.suffix == ".docx" and len(items) == 6
    assert oct(xlsx.stat().st_mode & 0o777) == "0o600"
    ws = load_workbook(xlsx).worksheets[0]
    dv = ws.data_validations.dataValidation
    assert len(dv) == 1 and dv[0].formula1 == '"未开始,整改中,已完成,已核实"'
    assert str(dv[0].sqref) == "J4:J9"                            # the status column, every item's row
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(c.startswith("'") and "HYPERLINK" in c for c in cells)   # formula neutralised
    assert not any(c.startswith("=") for c in cells)
    assert {"HF-A1", "HF-B1"} <= set(cells)                        # the union's own archive ids
    for text in (_xlsx_text(xlsx), _docx_text(docx_path)):
        assert fd.NAME not in text and fd.PHONE not in text and "HF-A2" not in text and "HF-B2" not in text
        assert not re.search(r"\b(True|False|NaN|nan|None)\b|[a-z]+_[a-z]+", text.replace("_x000D_", ""))
    import docx

    d = docx.Document(str(docx_path))
    assert d.styles["Normal"].font.name == DOCX_FONT
    assert "HF-A1" in _docx_text(docx_path) and "ZG340122-" in _docx_text(docx_path)


def _export_and_fill(project, tmp_path):
    from toolkit.fixes.export import export
    from toolkit.synthetic_fixes import fill_plan

    paths, items = export(project, lang="zh", unmet=fd.fake_unmet())
    first = tmp_path / "filled.xlsx"
    fill_plan(paths[0], first, today=TODAY, seed=1, statuses={items["item_id"][0]: "in_progress"})
    return paths[0], items, first


def test_import_refuses_each_planted_problem_with_row_and_reason(project, tmp_path):
    from toolkit.fixes import store as fs
    from toolkit.synthetic_fixes import fill_plan, stored_statuses

    exported, items, first = _export_and_fill(project, tmp_path)
    code, out = cli("fixes", "import", "--project", str(project.root), str(first), "--today", fd.TODAY,
                    "--who", "评估组")
    assert code == 0, out
    assert len(fs.history(project, "baseline")) == len(items)
    second = tmp_path / "update.xlsx"
    planted = fill_plan(exported, second, today=TODAY, seed=2, statuses=stored_statuses(project), plant=True)
    assert {p.problem for p in planted} == {"no_deadline", "backwards", "no_unit", "past_deadline", "unknown_id"}
    code, out = cli("fixes", "import", "--project", str(project.root), str(second), "--today", fd.TODAY)
    assert code == 1
    reasons = {"no_deadline": "缺少整改时限", "backwards": "整改状态不能倒退", "no_unit": "缺少责任单位",
               "past_deadline": "不晚于今天（2026-11-30）", "unknown_id": "不在本轮整改清单中"}
    columns = {"deadline": "整改时限", "status": "整改状态", "unit": "责任单位", "item_id": "整改项编号"}
    lines = out.splitlines()
    for p in planted:
        hit = [x for x in lines if x.startswith(f"update.xlsx 第 {p.row} 行，“{columns[p.column]}”列")]
        assert hit and reasons[p.problem] in hit[0], (p, out)
    assert sum(1 for x in lines if x.startswith("update.xlsx 第")) == len(planted), out   # no other row refused
    assert "未保存任何内容" in out
    assert len(fs.history(project, "baseline")) == len(items)       # nothing stored
    code, out = cli("fixes", "import", "--project", str(project.root), str(second), "--today", fd.TODAY,
                    "--accept-valid")
    assert code == 1
    h = fs.history(project, "baseline")
    latest = fs.latest(project, "baseline").set_index("item_id")
    backwards = next(p for p in planted if p.problem == "backwards")
    moved = items["item_id"][0]
    assert latest.loc[moved, "status"] == "in_progress"            # the backwards move was not stored
    assert backwards.row == 4 and len(h) > len(items)
    assert set(h["who"]) >= {"评估组"} and h["at"].notna().all() and set(h["source"]) == {"filled.xlsx", "update.xlsx"}


def test_import_a_reason_for_every_problem_of_a_row(project, tmp_path):
    from toolkit.fixes.plan import check

    plan = pd.DataFrame({"item_id": ["ZG1", "ZG1", "ZG2"], "unit": ["", "u", "u"], "person": [None, "p", "p"],
                         "deadline": ["明天", "2027年3月31日", "2026/11/30"], "status": ["做完了", "已完成", "整改中"],
                         "evidence": "", "note": "", "row": [4, 5, 6]})
    plan.loc[2, "person"] = "主任 139 1234 5678"
    plan.loc[1, "evidence"] = "张三丰签字"
    stored = pd.DataFrame({"item_id": ["ZG2"], "status": ["done"]})
    e = check(plan, {"ZG1", "ZG2"}, stored, TODAY, "en", names=(fd.NAME,))
    by_row = e.groupby("row")["reason"].apply(list).to_dict()
    assert len(by_row[4]) == 5        # duplicate id, unit, person, date, status
    assert sorted(by_row[5]) == sorted(["the same item number appears more than once", PERSONAL])
    assert PERSONAL in by_row[6]
    assert any("backwards" in r for r in by_row[6]) and any("not after today" in r for r in by_row[6])


def test_history_is_append_only(project, tmp_path):
    import sqlalchemy as sa

    from toolkit.store import open_store

    _, _, first = _export_and_fill(project, tmp_path)
    assert cli("fixes", "import", "--project", str(project.root), str(first), "--today", fd.TODAY)[0] == 0
    with open_store(project.evaluation) as st, pytest.raises(Exception, match="append-only"):
        with st.engine.begin() as conn:
            conn.execute(sa.text("UPDATE fix_updates SET status = 'open'"))


def test_previous_round_verified(project, tmp_path):
    from toolkit.fixes import previous
    from toolkit.project import Project
    from toolkit.report.model import Section

    _, items, first = _export_and_fill(project, tmp_path)
    assert cli("fixes", "import", "--project", str(project.root), str(first), "--today", fd.TODAY)[0] == 0
    fd.set_round(project.root, "follow-up")              # the next round: a better 错评率 in 瑶海区
    fd.write_results(project.root, fd.followup_card(), "follow-up")
    p2 = Project.open(project.root)
    prev, f = previous.verification(p2)
    assert prev == "baseline" and len(f) == len(items)
    row = f.set_index(["county", "kind", "subject"] if "subject" in f else ["item_id"])
    ind = f[(f["county"] == "瑶海区") & (f["indicator"] == "wrong_inclusion")]
    assert len(ind) == 2                                   # the indicator item and the finding item
    assert ind["before"].eq(0.12).all() and ind["now"].eq(0.02).all() and ind["change"].round(6).eq(-10).all()
    assert set(ind["verdict_before"]) == {"fail"} and set(ind["verdict_now"]) == {"pass"}
    assert f.set_index("item_id").loc[items["item_id"][0], "status"] == "in_progress"
    assert f[f["kind"] == "checklist"]["indicator"].isna().all()
    del row
    words = previous.worded(f, "en")
    text = " ".join(words.astype(str).to_numpy().ravel()) + " ".join(words.columns)
    assert words.iloc[:, 11].tolist().count(-10.0) == 2 and "12.0%" in text and "2.0%" in text and "(no sampled indicator)" in text
    assert not re.search(r"\b(True|False|NaN|nan|None)\b|[a-z]+_[a-z]+", text)
    path = previous.write_xlsx(p2, lang="zh")
    assert path.name == "上一轮整改核实.xlsx" and path.exists()
    code, out = cli("fixes", "previous", "--project", str(project.root), "--lang", "en",
                    "--out", str(tmp_path / "prev.xlsx"))
    assert code == 0 and (tmp_path / "prev.xlsx").exists()

    class Inputs:
        evaluation = p2.evaluation
        private_names = ()
        private_addresses = ()

    secs = previous.extend((), Inputs(), "zh")
    assert len(secs) == 1 and isinstance(secs[0], Section) and secs[0].tables[0].key == "fixes_previous"
    assert "HF-A1" not in " ".join(secs[0].tables[0].frame.astype(str).to_numpy().ravel())   # de-identified


def test_no_earlier_round_no_section(project, capsys):
    from toolkit.fixes import previous

    class Inputs:
        evaluation = project.evaluation

    assert previous.extend(("x",), Inputs(), "zh") == ("x",)
    code, _ = cli("fixes", "previous", "--project", str(project.root))
    assert code == 2 and "没有上一轮" in capsys.readouterr().err


def test_english_on_request(project, tmp_path):
    from openpyxl import load_workbook

    from toolkit.fixes.export import export
    from toolkit.fixes.plan import import_plan
    from toolkit.synthetic_fixes import fill_plan

    paths, items = export(project, tmp_path / "en", "en", unmet=fd.fake_unmet())
    assert [p.name for p in paths] == ["fix_list.xlsx", "fix_list.docx"]
    ws = load_workbook(paths[0]).worksheets[0]
    assert [c.value for c in ws[3]][:3] == ["Item number", "County", "Kind"]
    assert ws.data_validations.dataValidation[0].formula1 == '"open,in progress,done,verified"'
    filled = tmp_path / "filled_en.xlsx"
    fill_plan(paths[0], filled, today=TODAY, lang="en")
    res = import_plan(project, filled, lang="en", today=TODAY)
    assert len(res.errors) == 0 and res.stored == len(items)
