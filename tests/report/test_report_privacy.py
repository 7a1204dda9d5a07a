"""Privacy: no ID number, mobile number, full name or archive id in anything
meant for leadership (reports, the scorecard export, notebook results)."""
from __future__ import annotations

import pandas as pd
import pytest

from report_data import personal_strings, text_of


def _valid_id() -> str:
    from toolkit.roster.idcard import make_id

    return make_id("340102", "19800101", 12)


def test_report_scan_text_finds_ids_phones_and_names():
    from toolkit.report.privacy import scan_text

    good = _valid_id()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert [h.kind for h in scan_text(f"身份证{good}。")] == ["id_number"]
    assert scan_text(f"身份证{bad}") == []
    assert [h.kind for h in scan_text("电话13812345678，")] == ["phone"]
    assert scan_text("ticket 0814a13812345678f") == []      # inside a longer run
    assert scan_text("12345678901") == []                    # not a mobile prefix
    assert [h.kind for h in scan_text("户主张三丰", names=["张三丰"])] == ["name"]
    assert scan_text('<img src="data:image/png;base64,AAAA13812345678AAAA">') == []


def test_report_guard_refuses_a_leaking_table():
    from toolkit.errors import UserError
    from toolkit.report.model import Report, Section, Table
    from toolkit.report.privacy import assert_clean

    leak = Report("t", (), "zh", (Section("s", "s", (), (Table("x", "x", pd.DataFrame({"a": [_valid_id()]})),)),))
    with pytest.raises(UserError) as e:
        assert_clean(leak)
    assert e.value.key == "report.privacy_leak"


def test_report_guard_does_not_take_a_place_name_for_a_person():
    """A household head called 青石 (as the township 青石镇 is) is no leak when the
    report names the county; the same name elsewhere still is (hscale's national
    roster: place names that are also two-character personal names)."""
    from toolkit.errors import UserError
    from toolkit.report.model import Report, Section, Table
    from toolkit.report.privacy import assert_clean

    def report(text: str) -> Report:
        return Report("t", (), "zh", (Section("s", "s", (text,), (Table("x", "x", pd.DataFrame({"a": [1]})),)),))

    assert_clean(report("青石镇的错退率为 1.2%。"), names=["青石"], places=["长丰县", "青石镇"])
    with pytest.raises(UserError):
        assert_clean(report("青石镇的错退率为 1.2%。"), names=["青石"])
    with pytest.raises(UserError):
        assert_clean(report("户主王建国家中无人。"), names=["王建国"], places=["长丰县"])



def test_report_guard_does_not_take_a_real_county_it_prints_for_a_person():
    """The map section names the nearest real counties to a code it cannot draw
    ("饶河县（230524，黑龙江省双鸭山市）"); a household head called 龙江 is no leak
    there (the national bench's report was refused for it), while a name that is
    no place is still caught in the same text."""
    from toolkit.errors import UserError
    from toolkit.report.model import Report, Section
    from toolkit.report.privacy import assert_clean, public_places

    if not any("黑龙江" in p for p in public_places()):
        pytest.skip("no boundary data installed")
    text = "无法绘制：最接近的县是饶河县（230524，黑龙江省双鸭山市）。"
    assert_clean(Report("t", (), "zh", (Section("m", "m", (text,), ()),)), names=["龙江"])
    with pytest.raises(UserError):
        assert_clean(Report("t", (), "zh", (Section("m", "m", (text + "户主王建国。",), ()),)), names=["龙江", "王建国"])
    with pytest.raises(UserError):   # the same name where no place holding it is printed
        assert_clean(Report("t", (), "zh", (Section("m", "m", ("户主龙江家中无人。",), ()),)), names=["龙江"])

def _leadership_files(project, report_files, executed):
    files = [p for by_fmt in report_files.values() for p in by_fmt.values()]
    files += [project / "output" / "verify" / "scorecard.csv", project / "output" / "verify" / "scorecard.xlsx"]
    files += sorted(executed.glob("0[4-6]_*.ipynb"))
    files += [executed / "01_plan_sample" / "plan.csv", executed / "04_verify_and_score" / "scorecard.csv",
              executed / "04_verify_and_score" / "scorecard.xlsx", executed / "05_satisfaction" / "satisfaction.csv",
              executed / "05_satisfaction" / "reliability.csv"]
    files += sorted((executed / "06_report").glob("*.*"))
    return files


def test_report_privacy_scan_over_every_leadership_file(project, report_files, executed):
    from toolkit.report.privacy import scan_text

    personal = personal_strings(project)
    files = _leadership_files(project, report_files, executed)
    assert len(files) >= 19 and all(p.exists() for p in files), [p for p in files if not p.exists()]
    for path in files:
        text = text_of(path)
        assert len(text) > 50, path
        hits = scan_text(text, str(path), names=personal["names"])
        assert hits == [], hits[:5]
        leaked_ids = [i for i in personal["ids"] if i in text]
        assert leaked_ids == [], (path, leaked_ids[:5])


def test_report_examples_are_pseudonymous_and_withhold_addresses(report_zh, inputs):
    from toolkit.roster.privacy import pseudonyms

    ex = report_zh.table("examples").frame
    assert len(ex) > 0
    assert ex["住户化名"].str.fullmatch(r"HH-[0-9A-Z]{5}-[0-9A-Z]{5}").all()
    known = set(pseudonyms(inputs.households["archive_id"].astype(str), inputs.key))
    assert set(ex["住户化名"]) <= known
    addr = ex[ex["问题类型"].str.contains("住址")]
    assert (addr["档案记录"] == "（已隐去）").all() and (addr["入户核实"] == "（已隐去）").all()


def test_report_small_cells_are_suppressed(report_zh, inputs):
    from toolkit.report.content import SMALL_CELL, findings_by_type

    t = report_zh.table("findings_county").frame.set_index("问题类型")
    fb = findings_by_type(inputs)
    fb = fb[fb["county"] != "全市"]
    assert len(fb) > 0
    for r in fb.itertuples():
        from toolkit.report.content import _finding_label

        shown = t.loc[_finding_label(r.finding, "zh"), r.county]
        if r.checked < SMALL_CELL:
            assert shown == f"<{SMALL_CELL}"
        else:
            assert shown == f"{r.flagged}/{r.checked}"


def test_term_set_finds_exactly_the_terms_a_substring_search_finds():
    """The guard's TermSet (built once for a national roster's millions of
    names) answers as ``n in text`` for every term, in the terms' order."""
    import numpy as np

    from toolkit.report.privacy import TermSet

    rng = np.random.default_rng(5)
    chars = list("张王李赵刘陈杨黄周吴安宁平和兴盛长丰东西南北新城永定清河泉山阳湖江临川德昌顺庆华林ab1")
    terms = ["".join(rng.choice(chars, rng.integers(1, 7))) for _ in range(3000)]
    text = "".join(rng.choice(chars, 4000))
    expect = [n for n in dict.fromkeys(terms) if len(n) >= 2 and n in text]
    ts = TermSet(terms, 2)
    assert ts.found(text) == expect and expect
    assert ts.found("") == []
    own = text[:500]
    assert ts.without(own).found(text) == [n for n in expect if n not in own]
