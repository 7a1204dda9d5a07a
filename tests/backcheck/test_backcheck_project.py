"""The verbs on a project: draw → lists and preload → verify (and tampering) →
compare an ODK-Central-shaped export → workbook in words, parquet, and the
quality page's back-check column."""
from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from bc_data import case, project

from toolkit.cli import main
from toolkit.synthetic_backcheck import answer_backchecks, write_export


@pytest.fixture(scope="module")
def proj(tmp_path_factory) -> tuple[Path, object]:
    c = case(5, interviewers=6, per=24, min_per=8, share=0.25)
    return project(tmp_path_factory.mktemp("bc") / "p", c), c


def test_draw_verify_compare(proj, capsys) -> None:
    d, c = proj
    assert main(["backcheck", "draw", "--project", str(d), "--seed", "77", "--share", "0.25",
                 "--min-per-enumerator", "8", "--backcheckers", "B1,B2,B3,B4", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Back-check draw 1" in out and "6 interviewers covered" in out
    bc = d / "output" / "backcheck"
    picks = pd.read_csv(bc / "picks.csv", dtype=str)
    assert (picks.groupby("interviewer").size() >= 8).all()
    assert (picks["backchecker"] != picks["interviewer"]).all()
    lists = sorted((bc / "lists").glob("backcheck_list_*.xlsx"))
    assert [p.name for p in lists] == [f"backcheck_list_B{i}.xlsx" for i in range(1, 5)]
    ws = openpyxl.load_workbook(lists[0]).worksheets[0]
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.page_setup.orientation == "landscape"
    heads = [c.value for c in ws[1]]
    assert "Contact result" in heads and "Phone" in heads
    pre = pd.read_csv(bc / "lists" / "backcheck_preload.csv", dtype=str)
    assert list(pre.columns[:2]) == ["name", "label"] and len(pre) == len(picks)
    assert not {"members_n", "inc_wage", "sat_overall"} & set(pre.columns)   # blind: no original answers
    for p in [bc / "manifest.json", bc / "picks.csv", *lists]:
        assert p.stat().st_mode & 0o077 == 0, p
    # a second draw in the round tops up: nothing new to add, earlier picks kept
    assert main(["backcheck", "draw", "--project", str(d), "--seed", "77", "--share", "0.25",
                 "--min-per-enumerator", "8", "--backcheckers", "B1,B2,B3,B4", "--lang", "en"]) == 0
    assert "0 households added" in capsys.readouterr().out
    assert main(["backcheck", "verify", "--project", str(d), "--lang", "en"]) == 0
    assert "verified" in capsys.readouterr().out
    m = json.loads((bc / "manifest.json").read_text(encoding="utf-8"))
    good = json.dumps(m, ensure_ascii=False)
    m["draws"][0]["picks"][0]["backchecker"] = m["draws"][0]["picks"][0]["interviewer"]
    (bc / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    assert main(["backcheck", "verify", "--project", str(d), "--lang", "en"]) == 1
    assert "does not re-derive" in capsys.readouterr().out
    (bc / "manifest.json").write_text(good, encoding="utf-8")

    # the back-checks, answered from the truth, as an ODK Central export
    fabs = set(c.fabricator.split(","))
    not_visited = set(c.truth.loc[c.truth["interviewer_1"].isin(fabs) & c.truth["visit_result"].eq("met"),
                                  "archive_id"])
    ans, pays = answer_backchecks(c.truth, picks, seed=5, members=c.members, payments=c.payments,
                                  not_visited=not_visited, careless="B3")
    export = write_export(ans, pays, str(d / "backcheck_export.zip"))
    assert Path(export).stat().st_mode & 0o077 == 0
    assert main(["backcheck", "compare", "--project", str(d), "--export", export, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "1 interviewers flagged" in out and next(iter(fabs)) in out
    enum = pd.read_parquet(bc / "enumerators.parquet")
    assert set(enum.loc[enum["flagged"], "enumerator"]) == fabs
    # the quality page reads the field table and shows the back-check error rate
    from toolkit.widgets.quality import interviewer_flags, read_backchecks

    field = read_backchecks(d / "output" / "field")
    assert field is not None and {"enumerator", "result", "type", "flagged"} <= set(field.columns)
    main_subs = pd.DataFrame({"enumerator": sorted(set(picks["interviewer"])), "KEY": range(6)})
    flags = interviewer_flags(main_subs, {}, field).set_index("enumerator")
    fab = next(iter(fabs))
    assert flags.loc[fab, "backcheck_error_rate"] == flags["backcheck_error_rate"].max()
    # the workbook is in words: no codes, booleans or NaN in any cell
    wb = openpyxl.load_workbook(bc / "comparison.xlsx")
    assert [ws.title for ws in wb.worksheets][:3] == ["Summary", "Interviewers", "Back-checkers"]
    code = re.compile(r"^(True|False|nan|NaN|None|[a-z]+_[a-z_]+)$")
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                assert not (isinstance(v, str) and code.match(v)), (ws.title, v)
    assert (bc / "comparison.xlsx").stat().st_mode & 0o077 == 0


def test_quality_page_note_names_the_flagged_and_what_to_do(proj) -> None:
    from toolkit.backcheck.page import flagged_html
    from toolkit.widgets.quality import read_backchecks

    d, c = proj
    field = read_backchecks(d / "output" / "field")
    if field is None:
        pytest.skip("runs after test_draw_verify_compare")
    html = flagged_html(field, "en")
    fab = c.fabricator.split(",")[0]
    assert f"Interviewer {fab}" in html and "re-visit all their households" in html
    assert "<script" not in flagged_html(field.assign(enumerator="<script>x</script>", flagged=True), "en")


def test_report_section_has_rates_flagged_codes_and_no_households(proj) -> None:
    from types import SimpleNamespace

    from toolkit.config import load
    from toolkit.report.backcheck import section

    d, c = proj
    if not (d / "output" / "backcheck" / "overall.parquet").exists():
        pytest.skip("runs after test_draw_verify_compare")
    sec = section(SimpleNamespace(evaluation=load(d)), "en")
    text = " ".join(sec.paragraphs)
    fab = c.fabricator.split(",")[0]
    assert "type 1 (must not differ: interviewer error)" in text and fab in text and "Mann–Whitney" in text
    frame = sec.tables[0].frame
    assert fab in set(frame["Interviewer"])
    ids = set(c.truth["archive_id"])
    assert not any(str(v) in ids for v in frame.to_numpy().ravel()) and not any(i in text for i in ids)


def test_mistakes_are_words_and_exit_2(tmp_path, capsys) -> None:
    d = project(tmp_path / "q", case(9, interviewers=3, per=8, min_per=2, fabricator=False))
    assert main(["backcheck", "verify", "--project", str(d), "--lang", "en"]) == 2
    assert "No back-check draw yet" in capsys.readouterr().err
    assert main(["backcheck", "compare", "--project", str(d), "--lang", "en"]) == 2
    assert "give the back-check form's export" in capsys.readouterr().err
    assert main(["backcheck", "draw", "--project", str(d), "--seed", "1", "--backcheckers", "E00",
                 "--lang", "en"]) == 2
    assert "never the original interviewer" in capsys.readouterr().err
    assert not (d / "output" / "backcheck" / "manifest.json").exists()   # nothing half-written
