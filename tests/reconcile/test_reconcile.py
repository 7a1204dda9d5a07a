"""System-data reconciliation (issue 19 item 2): the union's report read
however an office filled it, compared with the roster and the ledger.

One small synthetic city (600 households) and one synthetic union report
per module; the planted differences are the only differences found."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from toolkit.errors import UserError
from toolkit.reconcile.archive import tallies
from toolkit.reconcile.compare import reconcile
from toolkit.reconcile.read import parse_numbers, read_report
from toolkit.reconcile.spec import Settings
from toolkit.synthetic import make_city, write_city
from toolkit.synthetic_reconcile import PLANT_AMOUNT, PLANT_HOUSEHOLDS, write_union_report

KEY = ["kind", "county", "group", "year", "measure"]


@pytest.fixture(scope="module")
def city_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    d = tmp_path_factory.mktemp("recon_city")
    city = make_city(600, 19)
    write_city(city, d)
    return d, city


@pytest.fixture(scope="module")
def union(city_dir):  # noqa: ANN001, ANN201
    d, city = city_dir
    counties = [(c.name, c.code) for c in city.evaluation.counties]
    names = [c[0] for c in counties]
    arch = tallies(city.roster, city.help_records, counties)
    u = write_union_report(arch, names, d / "union_report.xlsx")
    rep = read_report(u.path, counties)
    return u, rep, arch, reconcile(rep, arch, names), names


@pytest.fixture(scope="module")
def checked(city_dir, union) -> tuple[int, str]:  # noqa: ANN001
    """``fieldeval reconcile check`` run once on the module's project: (exit code, what it printed)."""
    import contextlib
    import io

    from toolkit.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["reconcile", "check", "--project", str(city_dir[0]), "--report", str(union[0].path)])
    return code, out.getvalue()


def _keys(frame: pd.DataFrame) -> set[tuple]:
    f = frame[KEY].copy()
    f["year"] = f["year"].astype("Int64").astype("string").fillna("")
    return set(map(tuple, f.astype(str).to_numpy()))


def test_reconciliation_finds_every_planted_difference_and_no_others(union) -> None:  # noqa: ANN001
    u, _, _, rec, _ = union
    assert len(u.planted) >= 6   # +3 households, a swap (4 cells), an amount, a missing row
    assert _keys(rec.differences) == _keys(u.planted)
    got = rec.differences.merge(u.planted, on=KEY, suffixes=("", "_planted"))
    assert len(got) == len(u.planted)
    assert np.allclose(got["archive"], got["archive_planted"])
    assert np.allclose(got["reported"].fillna(-1), got["reported_planted"].fillna(-1))
    assert (got["status"] == got["status_planted"]).all()
    over = got[(got["kind"] == "category") & (got["difference"] == PLANT_HOUSEHOLDS)]
    assert len(over) == 1 and over["county"].iloc[0] == u.planted["county"].iloc[0]
    short = got[got["kind"] == "payments"]
    assert short["difference"].tolist() == [-PLANT_AMOUNT]
    assert short["share"].iloc[0] == pytest.approx(-PLANT_AMOUNT / short["archive"].iloc[0])


def test_consistency_per_county_counts_the_agreeing_share(union) -> None:  # noqa: ANN001
    u, _, _, rec, names = union
    c = rec.consistency.set_index("county")
    assert list(c.index) == ["全市", *names]
    bad = u.planted.groupby("county").size()
    for name in names:
        row = c.loc[name]
        assert row["differs"] + row["not_reported"] == bad.get(name, 0)
        assert row["consistency"] == pytest.approx(row["agree"] / row["compared"])
    assert c.loc["全市", "compared"] == c.loc[names, "compared"].sum()
    assert c.loc[names[4], "consistency"] == 1.0


def test_every_row_is_accepted_or_excluded_with_its_reason(union) -> None:  # noqa: ANN001
    u, rep, _, _, _ = union
    sh = rep.sheets[rep.sheets["kind"] != ""]
    assert (sh["read"] == sh["accepted"] + sh["excluded"]).all()
    rows = rep.excluded[rep.excluded["scope"] == "row"]
    assert set(map(tuple, rows[["sheet", "row", "rule"]].astype(str).to_numpy())) == \
        set(map(tuple, u.excluded.astype(str).to_numpy()))
    assert (rep.excluded["scope"] == "cell").sum() == 0
    assert int(sh["excluded"].sum()) == len(rows)
    dup = rows[rows["rule"] == "duplicate_row"]
    assert dup["detail"].tolist() == ["2"]     # names the row that was used


def test_numbers_as_offices_write_them() -> None:
    cells = pd.Series(["1,234", "１，２３４", "12户", "3.5万", "—", "待核", -3, 12.0, "", None, "1,23", 7, "0.25万元"])
    p = parse_numbers(cells)
    value = (p["number"] * p["multiplier"]).tolist()
    assert value[:5] == [1234, 1234, 12, 35000, 0]
    assert p["rule"].tolist() == ["", "", "", "", "", "not_a_number", "negative", "", "blank", "blank",
                                  "not_a_number", "", ""]
    assert value[7] == 12 and value[11] == 7 and value[12] == 2500
    assert p["decimals"].iloc[3] == 1


def _tiny(path: Path, rows: list[list], header: list, title: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _archive(values: list[tuple]) -> object:
    from toolkit.reconcile.archive import ArchiveTallies

    f = pd.DataFrame(values, columns=["kind", "county", "group", "year", "measure", "value"])
    f["year"] = f["year"].astype("Int64")
    return ArchiveTallies(f, pd.DataFrame(), 0, 0)


COUNTIES = [("瑶海区", "340102"), ("庐阳区", "340103")]


def test_amounts_in_wan_agree_within_their_rounding(tmp_path: Path) -> None:
    p = _tiny(tmp_path / "r.xlsx", [["瑶海区", "生活救助", 2025, 3, 1.23], ["庐阳区", "生活救助", "2025年", 2, "1.24"],
                                    ["340102", "送温暖", 2025, "2笔", "0.10000"]],
              ["区县", "帮扶项目", "年度", "笔数", "金额"], title="单位：万元")
    rep = read_report(p, COUNTIES)
    arc = _archive([("payments", "瑶海区", "生活救助", 2025, "payments", 3), ("payments", "瑶海区", "生活救助", 2025, "amount", 12345),
                    ("payments", "庐阳区", "生活救助", 2025, "payments", 2), ("payments", "庐阳区", "生活救助", 2025, "amount", 12300),
                    ("payments", "瑶海区", "送温暖", 2025, "payments", 2), ("payments", "瑶海区", "送温暖", 2025, "amount", 1000.4)])
    rec = reconcile(rep, arc, ["瑶海区", "庐阳区"])
    d = rec.differences
    assert len(d) == 1 and d["county"].iloc[0] == "庐阳区" and d["difference"].iloc[0] == pytest.approx(100)
    assert d["tolerance"].iloc[0] == pytest.approx(50)     # half of 0.01 万元
    assert rec.compared.loc[rec.compared["group"] == "送温暖", "status"].eq("agree").all()   # 0.4 yuan ≤ 0.5 (the configured tolerance)
    strict = reconcile(rep, arc, ["瑶海区", "庐阳区"], Settings(amount_tolerance=0.1))
    assert len(strict.differences) == 2


def test_bad_cells_are_listed_and_the_rest_of_the_row_kept(tmp_path: Path) -> None:
    p = _tiny(tmp_path / "r.xlsx", [["瑶海区", "深度困难", 5, "待核"], ["庐阳区", "深度困难", 2.5, 4],
                                    ["=HYPERLINK(\"x\")", "深度困难", 1, 1], ["庐阳区", "贫困", 1, 1]],
              ["区县", "困难类别", "户数", "人数"])
    rep = read_report(p, COUNTIES)
    x = rep.excluded.set_index(["row", "scope"])
    assert x.loc[(2, "cell"), "rule"] == "not_a_number"
    assert x.loc[(3, "cell"), "rule"] == "not_whole"
    assert x.loc[(4, "row"), "rule"] == "unknown_county"
    assert x.loc[(5, "row"), "rule"] == "unknown_category"
    t = rep.tallies.set_index(["county", "measure"])["value"]
    assert t[("瑶海区", "households")] == 5 and t[("庐阳区", "persons")] == 4
    assert ("瑶海区", "persons") not in t.index and ("庐阳区", "households") not in t.index
    from toolkit.reconcile import outputs

    rec = reconcile(rep, _archive([]), ["瑶海区", "庐阳区"])
    folder = outputs.write(tmp_path / "stage", rec, rep, pd.DataFrame(columns=["source", "row", "archive_id", "column",
                                                                                "value", "rule"]),
                           ["瑶海区", "庐阳区"], Settings(), "zh", {})
    ws = openpyxl.load_workbook(folder / "reconcile.xlsx")["未采用的行和格"]
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells == ["'=HYPERLINK(\"x\")"]     # formula-neutralised


def test_check_writes_the_stage_in_words_and_the_exit_code_says_differences(city_dir, checked) -> None:  # noqa: ANN001
    d, _ = city_dir
    code, out = checked
    assert code == 1
    assert "系统数据核对（无区间）" in out and "上报 " in out and "存档 " in out
    folder = d / "output" / "reconcile"
    assert (folder / "meta.json").exists()
    book = pd.read_excel(folder / "reconcile.xlsx", sheet_name=None, header=None, engine="calamine")
    assert set(book) >= {"数据一致率", "差异清单", "全部核对项", "未采用的行和格", "读取情况"}
    text = " ".join(str(v) for f in book.values() for v in f.to_numpy().ravel() if pd.notna(v))
    import re

    text = re.sub(r"[\w.-]+\.xlsx", "", text)   # the file's own name is data
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|\bnan\b|\bTrue\b|\bFalse\b|<NA>", text)
    diff = book["差异清单"]
    assert (diff.apply(lambda r: "未上报" in set(r.astype(str)), axis=1)).sum() == 1


def test_template_filled_with_the_archive_agrees_everywhere(city_dir, union, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    from toolkit.cli import main

    import shutil

    d = tmp_path / "project"   # a copy: this check must not replace the module's stored reconciliation
    shutil.copytree(city_dir[0], d, ignore=shutil.ignore_patterns("output", "*.parquet"))
    out = tmp_path / "template.xlsx"
    assert main(["reconcile", "template", "--project", str(d), "--out", str(out)]) == 0
    arch = union[2]   # the tallies of the city's frames: the files the project reads hold the same
    values = {tuple(r[:5]): r[5] for r in arch.tallies.assign(year=arch.tallies["year"].fillna(0)).itertuples(
        index=False)}
    wb = openpyxl.load_workbook(out)
    kinds = {"在档户数人数": ("category", ["households", "persons"]), "户数按档案状态": ("status", ["households"]),
             "帮扶资金": ("payments", ["payments", "amount"])}
    for name, (kind, measures) in kinds.items():
        ws = wb[name]
        assert ws.data_validations.dataValidation, name
        first = 4 if kind != "payments" else 5   # measures start after county, group (, year)
        for row in ws.iter_rows(min_row=2):
            county, group = row[0].value, row[1].value
            year = int(row[2].value) if kind == "payments" else 0
            for j, m in enumerate(measures):
                row[first - 2 + j if kind != "payments" else first - 2 + j].value = values.get(
                    (kind, county, group, year, m), 0)
    wb.save(out)
    capsys.readouterr()
    assert main(["reconcile", "check", "--project", str(d), "--report", str(out)]) == 0
    assert "一致率 100.0%" in capsys.readouterr().out


def test_settings_come_from_evaluation_toml(city_dir) -> None:  # noqa: ANN001
    from dataclasses import replace

    from toolkit.project import Project

    ev = Project.open(city_dir[0]).evaluation
    assert Settings.of(ev) == Settings(0.0, 0.5)
    assert Settings.of(replace(ev, extra={"reconcile": {"amount_tolerance": 5}})).amount_tolerance == 5.0
    with pytest.raises(UserError) as e:
        Settings.of(replace(ev, extra={"reconcile": {"amount_tolerence": 5}}))
    assert "amount_tolerence" in str(e.value.fields) or e.value.key == "recon.bad_setting"


def test_report_section_sits_beside_the_scorecard_without_an_interval(city_dir, union, checked) -> None:  # noqa: ANN001
    from toolkit.project import Project
    from toolkit.reconcile.report import extend, section
    from toolkit.report.model import Section

    d, _ = city_dir
    u = union[0]
    project = Project.open(d)
    sec = section(project.evaluation, "zh")
    assert sec.title == "系统数据核对（无区间）"
    cons = sec.tables[0].frame
    assert cons.iloc[0, 0] == "全市" and "数据一致率" in cons.columns
    assert len(sec.tables[1].frame) == len(u.planted)
    en = section(project.evaluation, "en")
    import re

    assert not any(re.search(r"[\u3400-\u9fff]", c) for c in en.tables[1].frame.columns)

    class Inputs:
        evaluation = project.evaluation

    placed = extend((Section("method", "m"), Section("aspects", "a"), Section("quality", "q")), Inputs, "zh")
    assert [s.key for s in placed] == ["method", "aspects", "reconcile", "quality"]


def test_leadership_card_beside_the_indicators(city_dir, union, checked) -> None:  # noqa: ANN001
    from toolkit.project import Project
    from toolkit.reconcile.page import card_html

    d, _ = city_dir
    _, _, _, rec, names = union
    project = Project.open(d)
    whole = str(card_html(project.evaluation, "全市", "zh"))
    assert "系统数据核对（无区间）" in whole and "数据一致率" in whole
    share = rec.consistency.iloc[0]["consistency"]
    assert f"{share:.1%}" in whole
    assert "全部一致" in str(card_html(project.evaluation, names[5], "zh"))
    assert str(card_html(project.evaluation, "不存在的区", "zh")) == ""


def test_unusable_files_are_refused_in_words(tmp_path: Path) -> None:
    from toolkit.i18n import t

    (tmp_path / "r.csv").write_text("区县,户数\n", encoding="utf-8")
    with pytest.raises(UserError) as e:
        read_report(tmp_path / "r.csv", COUNTIES)
    assert e.value.key == "recon.not_xlsx"
    p = _tiny(tmp_path / "none.xlsx", [["瑶海区", 3]], ["地方", "数量"])
    with pytest.raises(UserError) as e:
        read_report(p, COUNTIES)
    assert e.value.key == "recon.no_tallies" and "区县" in t(e.value.key, "zh", **e.value.fields)
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(UserError):
        read_report(tmp_path / "broken.xlsx", COUNTIES)
