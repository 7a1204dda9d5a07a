"""Ingest with the wrong form, a missing repeat table, Kobo's deployment
version, and the corrections workbook template read back."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from ingest_data import SAT_PATH, answers, form

from toolkit.cli import main
from toolkit.errors import UserError
from toolkit.ingest import writers as W
from toolkit.ingest.corrections import apply_corrections, apply_duplicates, read_log
from toolkit.ingest.read import read_submissions
from toolkit.ingest.validate import validate
from toolkit.synthetic_answers import answer_form

HV = Path(form().source)


@pytest.fixture(scope="module")
def subs():
    return answers(12, seed=16)


def test_wrong_form_is_refused_in_words(tmp_path: Path, subs, capsys: pytest.CaptureFixture[str]) -> None:
    sat = answer_form(form(SAT_PATH), 10, 3)
    p = tmp_path / "satisfaction.csv"
    sat.main.to_csv(p, index=False)
    with pytest.raises(UserError) as e:
        read_submissions(p, form())
    assert e.value.key == "paper.ingest.form_mismatch"
    msg = e.value.message("zh")
    assert msg.startswith("导出文件与问卷不匹配") and "satisfaction.csv" in msg
    only_sat = [q.name for q in form(SAT_PATH).questions if q.name not in form().by_name() and not q.repeat
                and q.type not in ("note", "calculate")]
    assert any(n in msg for n in only_sat[:8])                 # the columns only the export has
    assert "visit_result" in msg or "archive_id" in msg or "county_code" in msg   # questions only the form has
    # the CLI: one line in words, exit 2, no traceback
    code = main(["ingest", str(p), "--form", str(HV), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "导出文件与问卷不匹配" in err and "Traceback" not in err
    # the right form for the same kind of file is read
    good = tmp_path / "good.csv"
    subs.main.to_csv(good, index=False)
    assert len(read_submissions(good, form(), main_only=True)) == len(subs)


def test_missing_repeat_table_is_named(tmp_path: Path, subs, capsys: pytest.CaptureFixture[str]) -> None:
    root = W.write_odk_csv(subs, form(), tmp_path / "household_visit.csv")
    member = W.write_odk_repeat_csv(subs, form(), "member", tmp_path / "household_visit-member.csv")
    got = read_submissions([root, member], form())
    nr = got.not_read[got.not_read["reason"] == "missing_repeat"]
    assert len(nr) == 1 and "payment" in nr["file"].iat[0] and "台账帮扶款核对" in nr["file"].iat[0]
    out = tmp_path / "out"
    code = main(["ingest", str(root), str(member), "--form", str(HV), "--out", str(out)])
    text = capsys.readouterr().out
    assert code == 1 and "缺少问卷声明的重复组数据表" in text and "household_visit-payment.csv" in text
    # with every repeat table given nothing is missing
    pay = W.write_odk_repeat_csv(subs, form(), "payment", tmp_path / "household_visit-payment.csv")
    full = read_submissions([root, member, pay], form())
    assert not (full.not_read["reason"] == "missing_repeat").any()
    # a main table alone on purpose
    alone = read_submissions(root, form(), main_only=True)
    assert not len(alone.not_read)


def _kobo_with(path: Path, subs, **columns: object) -> Path:
    p = W.write_kobo_xlsx(subs, form(), path)
    sheets = pd.read_excel(p, sheet_name=None, dtype=object)
    first = next(iter(sheets))
    for name, value in columns.items():
        sheets[first] = sheets[first].assign(**{name: value})
    with pd.ExcelWriter(p, engine="openpyxl") as xw:
        for name, frame in sheets.items():
            frame.to_excel(xw, sheet_name=name, index=False)
    return p


def test_kobo_deployment_version_is_not_the_form_version(tmp_path: Path, subs) -> None:
    n = len(subs)
    deployment = np.array([f"v{chr(65 + i % 3)}x7Kq{i % 2}PzR" for i in range(n)], dtype=object)
    p = _kobo_with(tmp_path / "kobo.xlsx", subs, __version__=deployment)
    got = read_submissions(p, form())
    assert got.main["form_version"].isna().all()
    issues = validate(got, form())[1]
    assert not (issues["rule"] == "form_version").any()
    # an XLSForm version that differs is still reported
    q = _kobo_with(tmp_path / "kobo_old.xlsx", subs, __version__=deployment, _version_="2020010101")
    old = validate(read_submissions(q, form()), form())[1]
    assert (old["rule"] == "form_version").sum() == n


def test_corrections_template_round_trip(tmp_path: Path, subs, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "更正表.xlsx"
    assert main(["ingest", "template", "corrections", "--out", str(path)]) == 0
    assert "更正表模板" in capsys.readouterr().out
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:4] == ["更正", "重复", "说明", "规则"]
    about = " ".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert all(w in about for w in ("提交编号", "原值", "新值", "保留", "剔除", "改编号", "inc_wage", "12000"))
    assert [c.value for c in wb["更正示例"][2]][:4] == [
        "uuid:6f1c2a90-3b1d-4c55-9a0e-2d8f7b1e4c11", "inc_wage", "12000", "21000"]
    corr, dup = read_log(path)
    assert len(corr) == 0 and len(dup) == 0
    # fill it in as a field manager would, and apply it
    key = subs.main["KEY"].iat[0]
    before = subs.main["inc_wage"].iat[0]
    ws = wb["更正"]
    ws.append([key, "inc_wage", before, before + 1000, "电话回访核实", "张丽", "2026-05-12"])
    dup_key, dup_row = subs.main["KEY"].iat[1], int(subs.main["source_row"].iat[1])
    wb["重复"].append([dup_key, None, dup_row, "剔除", None, "重复上传", "张丽", "2026-05-12"])
    wb.save(path)
    corr, dup = read_log(path)
    assert len(corr) == 1 and len(dup) == 1
    fixed, audit = apply_corrections(subs, form(), corr)
    assert fixed.main["inc_wage"].iat[0] == before + 1000 and (audit["status"] == "applied").all()
    kept, dropped, audit2 = apply_duplicates(fixed, dup)
    assert list(dropped["KEY"]) == [dup_key] and len(kept.main) == len(subs) - 1
    # English template
    en = tmp_path / "corrections.xlsx"
    assert main(["ingest", "template", "corrections", "--out", str(en), "--lang", "en"]) == 0
    assert openpyxl.load_workbook(en).sheetnames[:2] == ["corrections", "duplicates"]
    assert main(["ingest", "template", "nonsense", "--out", str(en)]) == 2
