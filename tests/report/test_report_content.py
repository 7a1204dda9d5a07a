"""The report's numbers, its three formats and its command."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from report_data import cli, docx_is_zip_without_remote_parts


def _csv(path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, dtype=str, encoding="utf-8-sig")


def _text_frame(frame: pd.DataFrame) -> pd.DataFrame:
    from toolkit.report.render import cell_text

    return frame.astype(object).apply(lambda col: col.map(cell_text)).astype(str)


def _same_numbers(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Cell by cell: numbers equal as numbers, other cells as text."""
    assert list(a.columns) == list(b.columns)
    assert a.shape == b.shape
    for c in a.columns:
        x, y = a[c].astype(str).to_numpy(), b[c].astype(str).to_numpy()
        xn, yn = pd.to_numeric(pd.Series(x), errors="coerce"), pd.to_numeric(pd.Series(y), errors="coerce")
        num = xn.notna() & yn.notna()
        assert np.allclose(xn[num], yn[num], rtol=0, atol=1e-9), c
        assert (x[~num.to_numpy()] == y[~num.to_numpy()]).all(), (c, x[~num.to_numpy()][:5], y[~num.to_numpy()][:5])


def test_report_scorecard_equals_verify_command(project, report_zh):
    cmd = _csv(project / "output" / "verify" / "scorecard.csv")
    _same_numbers(_text_frame(report_zh.table("scorecard").frame), cmd)


def test_report_summary_and_aspects_are_the_scorecard_rows(report_zh, inputs):
    from toolkit.verify import scorecard as sc
    from toolkit.verify.indicators import ALL

    from toolkit.i18n import t

    card = inputs.scorecard
    doc = t("checklist.no_interval", "zh")   # document review rows beside them (issue 19), not from the sample

    def households(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame[t("verify.col.verdict", "zh")] != doc].reset_index(drop=True)

    pd.testing.assert_frame_equal(households(report_zh.table("summary").frame),
                                  sc.presentable(card[card["county"] == ALL], "zh").reset_index(drop=True),
                                  check_dtype=False)
    n = sum(len(households(report_zh.table(f"aspect_{a}").frame)) for a in card["aspect"].unique())
    assert n == len(card)


def test_report_fix_list_lists_every_failed_or_inconclusive_county_indicator(report_zh, inputs):
    from toolkit.verify.indicators import ALL

    card = inputs.scorecard
    bad = card[(card["county"] != ALL) & card["verdict"].isin(["fail", "inconclusive"])]
    fl = report_zh.table("fix_list").frame
    assert len(fl) == len(bad) > 0
    assert set(fl["区县"]) <= {c.name for c in inputs.evaluation.counties}
    # estimates equal the scorecard's, rounded as the scorecard shows them
    est = sorted((bad["estimate"] * 100).round(1).tolist())
    assert sorted(fl["估计值(%)"].tolist()) == pytest.approx(est)
    pseudo = re.compile(r"^HH-[0-9A-Z]{5}-[0-9A-Z]{5}$")
    for cell in fl["需复核住户（化名）"]:
        for p in filter(None, cell.split("、")):
            assert pseudo.match(p), p


def test_report_method_names_seed_hash_and_response_rate(report_zh, inputs):
    from toolkit.sampling.reserves import DISPOSITIONS

    m = inputs.manifest
    method = report_zh.sections[0]
    text = "\n".join(method.paragraphs)
    assert m["roster"]["sha256"] in text
    assert str(m["seed"]["value"]) in text and m["seed"]["source"] in text
    rr = report_zh.table("response").frame.iloc[0]
    d = inputs.dispositions
    cls = d["code"].map(lambda c: DISPOSITIONS[c][2])
    # AAPOR RR1 = I / (I + R + NC + O + unknown): a released household with no
    # disposition (the demo's review rejects one submission: its household is
    # no longer completed) is of unknown eligibility and stays in the denominator
    released = {str(u["archive_id"]) for u in m.get("selected", [])}
    if "role" in d:
        released |= set(d.loc[d["role"] == "reserve", "archive_id"].astype(str))
    if "replaced_by" in d:
        released |= {str(x) for x in d["replaced_by"].dropna() if str(x)}
    unknown = len(released - set(d["archive_id"].astype(str)))
    assert unknown == int(rr["资格未知"]) >= 1   # the rejected household
    expected = (cls == "I").sum() / ((cls != "NE").sum() + unknown)
    assert rr["应答率RR1(%)"] == pytest.approx(round(expected * 100, 1))
    assert rr["完成"] == (d["code"] == "completed").sum()
    assert "RR1" in report_zh.table("response").note


def test_report_satisfaction_reliability_is_the_scales(report_zh, inputs):
    from toolkit.report.content import satisfaction_scale

    f = inputs.frame[inputs.frame["status"] != "非建档"]
    rel = satisfaction_scale().reliability(f)
    sec = next(s for s in report_zh.sections if s.key == "satisfaction")
    assert f"{rel.alpha:.3f}" in "\n".join(sec.paragraphs)
    items = report_zh.table("reliability").frame
    assert items["校正题总相关"].tolist() == pytest.approx(rel.items["item_total_r"].round(3).tolist())
    assert len(sec.figures) == 2


def test_report_findings_counts_add_up(report_zh, inputs):
    from toolkit.report.content import findings_by_type

    fb = findings_by_type(inputs)
    whole = fb[fb["county"] == "全市"].set_index("finding")
    per = fb[fb["county"] != "全市"].groupby("finding")[["checked", "flagged"]].sum()
    pd.testing.assert_frame_equal(whole[["checked", "flagged"]].sort_index(), per.sort_index(), check_dtype=False)
    t = report_zh.table("findings").frame
    assert t["发现户数"].sum() == whole["flagged"].sum()


def test_report_docx_opens_and_holds_the_scorecard_cells(report_files, project):
    import docx

    path = report_files["zh"]["docx"]
    doc = docx.Document(str(path))
    cmd = _csv(project / "output" / "verify" / "scorecard.csv")
    header = list(cmd.columns)
    tables = [tb for tb in doc.tables if [c.text for c in tb.rows[0].cells] == header and len(tb.rows) == len(cmd) + 1]
    assert tables, "no scorecard table in the Word file"
    body = pd.DataFrame([[c.text for c in r.cells] for r in tables[0].rows[1:]], columns=header)
    _same_numbers(body, cmd)
    assert doc.paragraphs[0].text.endswith("困难职工帮扶工作第三方评估报告")
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for title in ("评估方法", "六个方面的评估结果", "满意度与量表信度", "数据质量", "问题发现", "整改清单", "指标定义与说明"):
        assert any(title in h for h in heads), title
    assert len(doc.inline_shapes) >= 8
    assert docx_is_zip_without_remote_parts(path)


def test_report_html_is_self_contained(report_files):
    for lang in ("zh", "en"):
        html = report_files[lang]["html"].read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
        assert "http://" not in html and "https://" not in html
        assert "<script" not in html and "<link" not in html and "@import" not in html and "url(" not in html
        imgs = re.findall(r'<img [^>]*src="([^"]{0,30})', html)
        assert len(imgs) >= 8 and all(s.startswith("data:image/png;base64,") for s in imgs)
    assert 'lang="zh-CN"' in report_files["zh"]["html"].read_text(encoding="utf-8")
    en = report_files["en"]["html"].read_text(encoding="utf-8")
    assert 'lang="en"' in en and "Fix list" in en and "Wrong-exit rate" in en


def test_report_xlsx_has_every_table_and_the_scorecard(report_files, report_zh, project):
    import openpyxl

    from toolkit.report.render import sheet_names

    wb = openpyxl.load_workbook(report_files["zh"]["xlsx"], read_only=True)
    names = sheet_names(report_zh)
    assert set(names.values()) | {"目录"} == set(wb.sheetnames)
    rows = list(wb[names["scorecard"]].iter_rows(values_only=True))
    assert rows[0][0] == report_zh.table("scorecard").title
    body = pd.DataFrame(rows[3:3 + len(report_zh.table("scorecard").frame)], columns=rows[2])
    cmd = _csv(project / "output" / "verify" / "scorecard.csv")
    _same_numbers(_text_frame(body), cmd)


def test_report_english_headers(report_files):
    import openpyxl

    wb = openpyxl.load_workbook(report_files["en"]["xlsx"], read_only=True)
    assert any(ws.title.startswith("Scorecard") for ws in wb.worksheets)
    text = " ".join(str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r if v)
    assert "Verdict" in text and "Estimate (%)" in text


def test_report_command_errors(tmp_path, project):
    code, _ = cli("report", "--project", str(project), "--format", "pdf")
    assert code == 2
    from toolkit import config

    config.init(tmp_path / "empty")
    code, _ = cli("report", "--project", str(tmp_path / "empty"))
    assert code == 2


def test_report_needs_the_cjk_font(monkeypatch):
    from matplotlib import font_manager

    from toolkit.errors import UserError
    from toolkit.report import charts

    fam, path = charts.cjk_font()
    assert "CJK" in fam and path.lower().endswith((".ttc", ".otf", ".ttf"))
    charts.cjk_font.cache_clear()
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    try:
        with pytest.raises(UserError) as e:
            charts.cjk_font()
        assert "fonts-noto-cjk" in e.value.message("zh")
    finally:
        charts.cjk_font.cache_clear()
