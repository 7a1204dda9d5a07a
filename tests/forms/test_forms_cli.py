"""fieldeval form check / render: output, exit codes, paper questionnaire."""
from __future__ import annotations

import html as html_lib
import shutil
from pathlib import Path

import pytest

from toolkit.cli import main

ROOT = Path(__file__).resolve().parents[2]
HV = ROOT / "toolkit" / "questionnaires" / "household_visit.xlsx"
SAT = ROOT / "toolkit" / "questionnaires" / "satisfaction.xlsx"
UCL = ROOT / "tests" / "fixtures" / "forms" / "UCL_Biomass_Plot_Form.xlsx"


def test_check_clean_form(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "check", str(HV)]) == 0
    out = capsys.readouterr().out
    assert "中文 (zh), English (en)" in out and "select_one" in out and "错误 0 个" in out


def test_check_form_with_errors_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "check", str(UCL), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "[survey row 9, column relevant]" in out and "typographic quote" in out


def test_check_unreadable_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "check", str(tmp_path / "missing.xlsx")]) == 2
    bad = tmp_path / "x.xlsx"
    bad.write_text("no")
    assert main(["form", "check", str(bad), "--lang", "en"]) == 2
    assert "Cannot read the form" in capsys.readouterr().err


def test_render_html_has_skip_instructions_in_words(tmp_path: Path) -> None:
    out = tmp_path / "hv.html"
    assert main(["form", "render", str(HV), "--lang", "zh", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "若 A8 选“否”，跳至 H5" in html
    assert "若 B1 选“一致/无法核实”，跳至 B2" in html
    assert "本部分仅在 A8 选“是” 时询问" in html
    assert "http://" not in html and "https://" not in html  # self-contained
    en = tmp_path / "sat.html"
    assert main(["form", "render", str(SAT), "--lang", "en", "--out", str(en)]) == 0
    assert 'If S12 does not include "Living aid", skip to S13b' in html_lib.unescape(en.read_text(encoding="utf-8"))


def test_render_docx(tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "hv.docx"
    assert main(["form", "render", str(HV), "--out", str(out)]) == 0
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "困难职工帮扶入户核查表" in text and "→ 若 A8 选“否”，跳至 H5" in text


def test_render_refuses_bad_suffix_and_broken_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["form", "render", str(HV), "--out", str(tmp_path / "x.pdf")]) == 2
    ucl = tmp_path / "ucl.xlsx"
    shutil.copy(UCL, ucl)
    assert main(["form", "render", str(ucl), "--out", str(tmp_path / "u.html")]) == 1
    assert "fieldeval form check" in capsys.readouterr().err
