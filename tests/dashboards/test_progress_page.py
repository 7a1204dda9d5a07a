"""The progress page and ``fieldeval progress`` show Project.progress's numbers, in words."""
from __future__ import annotations

import io
import re
from contextlib import redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from toolkit.project.progress import field_progress
from toolkit.widgets import progress as P

RAW = re.compile(r"\b(True|False|NaN|nan|None)\b|object at 0x")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")
NUMS = ["assigned", "reserves_released", "recorded", "completed", "refused", "not_at_home", "other", "outstanding"]


def _hand_counted():  # noqa: ANN202 - Progress
    """tests/project/test_project_progress.py's small project (numbers counted by hand there)."""
    units = pd.DataFrame({"archive_id": ["a1", "a2", "a3", "b1", "b2"],
                          "stratum": ["roster|东区"] * 3 + ["roster|西区"] * 2,
                          "psu": ["t1", "t1", "t2", "t3", "t3"]})
    reserves = pd.DataFrame({"archive_id": ["r1", "r2", "r3"], "stratum": ["roster|东区", "roster|东区", "roster|西区"],
                             "psu": ["t1", "t1", "t3"], "reserve_rank": [1, 2, 1]})
    disp = pd.DataFrame({"archive_id": ["a1", "a2", "r1", "a3", "b1"],
                         "code": ["completed", "refused", "completed", "not_at_home", "moved"],
                         "role": ["selected", "selected", "reserve", "selected", "selected"],
                         "replaced_by": ["", "r1", "", "", ""]})
    subs = pd.DataFrame({"archive_id": ["a1", "r1", "a2"], "visit_result": ["met", "met", "refused"],
                         "today": ["2026-05-01", "2026-05-02", "2026-05-01"]})
    outside = pd.DataFrame({"KEY": ["k9"], "archive_id": ["zz"], "county": ["东区"], "township": ["t1"],
                            "enumerator": ["E1"], "visit_date": ["2026-05-02"], "visit_result": ["met"]})
    return field_progress(units, reserves, disp, subs, outside, {"东区": "第一组"})


def _text(frame: pd.DataFrame) -> str:
    return " ".join(map(str, [*frame.columns, *frame.astype(str).to_numpy().ravel()]))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_carry_the_hand_count_in_words(lang: str) -> None:
    pr = _hand_counted()
    tb = P.team_table(pr.table, lang)
    assert len(tb) == len(pr.table) == 6                         # 3 townships, 2 teams, the city
    t1 = tb[tb.iloc[:, 2].eq("t1")].iloc[0]                       # team, county, township, numbers …
    assert [int(t1.iloc[3 + i]) for i in range(3)] == [2, 1, 3]   # assigned, reserves released, visited
    assert t1.iloc[7] == "100%"                                 # completed share: 2 of 2 assigned
    assert tb.iloc[0, 0] == "第一组" and tb.iloc[-1, 0] == ("全市" if lang == "zh" else "Whole city")
    assert [int(x) for x in tb.iloc[-1, 3:7]] == [5, 1, 5, 2]
    assert int(tb.iloc[-1, -1]) == 1                               # b2: nothing recorded yet
    assert tb.shape[1] == 3 + len(NUMS) + 1                         # every number, and the completed share
    text = _text(tb)
    assert not RAW.search(text) and not SNAKE.search(text)
    teams = P.team_table(pr.table, lang, townships=False)
    assert len(teams) == 3 and [int(x) for x in teams.iloc[:, 2]] == [3, 2, 5]


@pytest.mark.parametrize("lang,why,result", [("zh", "拒访", "见到受访户"), ("en", "refused", "Met the household")])
def test_reserves_say_why_and_outside_visits_are_listed(lang: str, why: str, result: str) -> None:
    pr = _hand_counted()
    r = P.reserves_table(pr.reserves, lang)
    assert r.iloc[:, 0].tolist() == ["r1"] and r.iloc[0, 3] == "a2" and r.iloc[0, 4] == why
    o = P.outside_table(pr.outside, lang)
    assert o.iloc[:, 1].tolist() == ["zz"] and o.iloc[0, -1] == result
    for f in (r, o):
        assert not RAW.search(_text(f)) and not SNAKE.search(_text(f))
    svg = P.daily_svg(pr.daily, lang)
    assert "<svg" in svg and "<!--" not in svg
    assert P.summary_line(pr.table, lang).startswith("全市" if lang == "zh" else "City")


def test_page_shows_project_progress(demo_project: Path) -> None:
    from toolkit.project import Project

    page = P.ProgressPage(demo_project, "en")
    want = Project.open(demo_project).progress()
    pd.testing.assert_frame_equal(page.progress.table, want.table)
    shown = P.team_table(want.table, "en")
    assert sorted(shown["Assigned"].tolist()) == sorted(want.table["assigned"].astype(int).tolist())
    assert shown["Completed"].iat[-1] == int(want.table["completed"].iat[-1])
    assert len(P.reserves_table(want.reserves, "en")) == len(want.reserves)


def test_cli_prints_words_and_writes_xlsx(demo_project: Path, tmp_path: Path) -> None:
    from toolkit.cli import main
    from toolkit.project import Project

    want = Project.open(demo_project).progress().table
    buf = io.StringIO()
    out = tmp_path / "progress.xlsx"
    with redirect_stdout(buf):
        assert main(["progress", "--project", str(demo_project), "--out", str(out), "--lang", "en"]) == 0
    text = buf.getvalue()
    assert "Field progress against the sample" in text and "Whole city" in text and "Completed share" in text
    assert not RAW.search(text) and not SNAKE.search(text.split("Written:")[0])
    city = [ln for ln in text.splitlines() if ln.strip().startswith("Whole city")][0].split()
    assert int(city[2]) == int(want["assigned"].iat[-1])
    book = pd.read_excel(out, sheet_name=None)
    assert list(book) == ["Teams and townships", "Daily", "Reserves released", "Outside the sample"]
    assert int(book["Teams and townships"]["Assigned"].iat[-1]) == int(want["assigned"].iat[-1])
    assert main(["progress", "--project", str(demo_project), "--out", str(tmp_path / "x.csv")]) == 2


def test_progress_is_a_served_dashboard() -> None:
    from toolkit.commands.serve import APPS, DASHBOARDS

    assert "progress" in APPS and (DASHBOARDS / "progress.ipynb").is_file()


def test_progress_notebook_executes(demo_project: Path) -> None:
    """progress.ipynb top to bottom under nbclient: no error output, one widget shown."""
    import nbformat
    from nbclient import NotebookClient

    from toolkit.commands.serve import DASHBOARDS

    nb = nbformat.read(DASHBOARDS / "progress.ipynb", as_version=4)
    nb.cells[0].source += f"\nproject = {str(demo_project)!r}\nlang = 'en'"
    NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(DASHBOARDS)}}).execute()
    outs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outs if o["output_type"] == "error" or o.get("name") == "stderr"], outs
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in nb.cells[-1].get("outputs", []))
