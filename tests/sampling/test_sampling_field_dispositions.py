"""Dispositions read back from filled visit lists and submissions, reconciled."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sampling_data import make_roster

from toolkit.sampling.field_dispositions import (
    FRAME_COLUMNS,
    from_submissions,
    normalise_codes,
    read_visit_lists,
    reconcile,
    units_of,
)
from toolkit.sampling.reserves import response_rate
from toolkit.sampling.select import Design, draw
from toolkit.sampling.visit_lists import write_visit_lists


@pytest.fixture(scope="module")
def drawn():
    roster = make_roster()
    s = draw(roster, Design(seed="field", strata=("county",), method="two_stage", psus_per_stratum=2,
                            per_psu=4, reserves=2, seed_source="lottery"))
    return roster, s


def _fill(path: Path, sheet: str, archive_id: str, **cells: str) -> int:
    """Write ``cells`` ({header: value}) on the line of ``archive_id``; returns its row."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    head = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, head["档案编号"]).value == archive_id)
    for k, v in cells.items():
        ws.cell(row, head[k]).value = v
    wb.save(path)
    return row


def _setup(drawn, tmp_path):
    roster, s = drawn
    out = write_visit_lists(s, roster, tmp_path)
    county = min(out.workbooks)
    book = out.workbooks[county]
    mine = s.units.merge(roster[["archive_id", "county"]], on="archive_id")
    mine = mine[mine["county"] == county].sort_values(["psu", "rank"])
    return s, book, mine


def test_filled_list_gives_the_hand_counted_rr1(drawn, tmp_path):
    s, book, mine = _setup(drawn, tmp_path)
    a = mine["archive_id"].tolist()            # 8 households: 2 PSUs × 4
    assert len(a) == 8
    psu_a3 = mine.set_index("archive_id").at[a[2], "psu"]
    r1 = s.reserves[(s.reserves["psu"] == psu_a3) & (s.reserves["reserve_rank"] == 1)]["archive_id"].iat[0]
    visit1, visit2, visit3 = "第1次走访（日期/结果）", "第2次走访（日期/结果）", "第3次走访（日期/结果）"
    _fill(book, "入户名单", a[0], 结果代码="完成")
    _fill(book, "入户名单", a[1], 结果代码=" Completed ")
    _fill(book, "入户名单", a[2], 结果代码="ｒｅｆｕｓｅｄ", 替换的备用户档案编号=r1)
    _fill(book, "入户名单", a[3], **{visit1: "5/1 未遇", visit2: "5/3 未遇", visit3: "5/6 未遇"})
    short_row = _fill(book, "入户名单", a[4], **{"结果代码": "三次未遇", visit1: "5/1"})
    _fill(book, "入户名单", a[5], 结果代码="搬 迁")
    _fill(book, "入户名单", a[6], 结果代码="not_eligible")
    _fill(book, "入户名单", a[7], 结果代码="拒访")
    _fill(book, "备用名单", r1, 启用日期="2026-05-08", 结果代码="完成 / completed")

    lists = read_visit_lists(tmp_path)                 # the directory: every team's workbook
    assert set(lists["file"]) == {book.name}
    assert lists.loc[lists["archive_id"] == a[4], "row"].iat[0] == short_row
    other = s.units[~s.units["archive_id"].isin(a)]["archive_id"]
    b1 = other.iat[0]
    subs = pd.DataFrame({
        "KEY": ["uuid:1", "uuid:2", "uuid:3", "uuid:4"],
        "archive_id": [b1, a[7], "9999999999", other.iat[1]],
        "visit_result": ["met", "met", "met", "met"], "consent": ["yes", "yes", "yes", "yes"],
        "enumerator": ["AB1", "AB1", "CD2", "CD2"],
        "submitted_at": pd.to_datetime(["2026-05-02 10:00"] * 4),
        "_status": ["accepted", "accepted", "accepted", "quarantined"]})
    fd = reconcile(units_of(s), lists, subs, lang="en")

    f = fd.frame.set_index("archive_id")
    assert tuple(fd.frame.columns) == FRAME_COLUMNS
    assert f.loc[[a[0], a[1], r1, b1, a[7]], "code"].eq("completed").all()
    assert f.at[a[2], "code"] == "refused" and f.at[a[2], "replaced_by"] == r1
    assert f.at[a[3], "code"] == "not_at_home" and f.at[a[3], "visits"] == 3
    assert f.at[a[5], "code"] == "moved" and f.at[a[6], "code"] == "not_eligible"
    assert f.at[a[7], "source"] == "visit list, submission"
    assert a[4] not in f.index and a[4] in set(fd.pending["archive_id"])
    assert other.iat[1] not in f.index                 # its only submission is quarantined

    # hand count: released = 24 selected + reserve r1 = 25
    # I = a0, a1, r1, b1, a7 (list said refused, the completed submission wins) = 5
    # R = a2 = 1; NC = a3 = 1; O = a5 (moved) = 1; NE = a6 = 1 (out of the denominator)
    # unknown = 25 − 5 − 1 − 1 − 1 − 1 = 16 (a4 included: 三次未遇 with one visit recorded)
    # RR1 = 5 / (5 + 1 + 1 + 1 + 16) = 5 / 24
    rr = response_rate(s, fd.frame)
    assert (rr.released, rr.completed, rr.refused, rr.non_contact, rr.other, rr.not_eligible, rr.unknown) == \
        (25, 5, 1, 1, 1, 1, 16)
    assert rr.rr1 == pytest.approx(5 / 24, abs=1e-15)

    kinds = fd.problems.set_index("kind")
    assert kinds.at["submission_outside", "archive_id"] == "9999999999"
    assert "CD2" in kinds.at["submission_outside", "message"] and "2026-05-02" in kinds.at["submission_outside",
                                                                                          "message"]
    assert kinds.at["completed_conflict", "archive_id"] == a[7]
    assert kinds.at["not_at_home_short", "archive_id"] == a[4]
    assert "9999999999" not in set(fd.frame["archive_id"]) | set(fd.pending["archive_id"])
    assert not fd.problems["message"].str.contains(r"_|\bnan\b|None|True|False").any()


def test_three_visits_without_contact_is_not_at_home(drawn, tmp_path):
    s, book, mine = _setup(drawn, tmp_path)
    a = mine["archive_id"].tolist()
    heads = ("第1次走访（日期/结果）", "第2次走访（日期/结果）", "第3次走访（日期/结果）")
    _fill(book, "入户名单", a[0], **dict(zip(heads, ("5/1", "5/2", "5/3"))))
    _fill(book, "入户名单", a[1], **dict(zip(heads[:2], ("5/1", "5/2"))))
    # a[2]: nobody home at three visits, each filed as an "absent" questionnaire
    # a[3]: 三次未遇 on the list with one visit recorded, but the questionnaire says refused
    _fill(book, "入户名单", a[3], **{"结果代码": "三次未遇", heads[0]: "5/1"})
    subs = pd.DataFrame({"KEY": ["uuid:7", "uuid:8", "uuid:9", "uuid:10", "uuid:11"],
                         "archive_id": [a[2]] * 3 + [a[1], a[3]], "visit_result": ["absent"] * 4 + ["refused"],
                         "consent": [None] * 5, "_status": ["accepted"] * 5})
    fd = reconcile(units_of(s), read_visit_lists([book]), subs)
    f = fd.frame.set_index("archive_id")
    assert f.at[a[0], "code"] == "not_at_home" and f.at[a[0], "source"] == "three visits without contact"
    assert f.at[a[2], "code"] == "not_at_home" and f.at[a[2], "visits"] == 3
    # two visits on the list and one absent questionnaire (the same attempt may be in both): two, not enough
    assert a[1] not in f.index and a[1] in set(fd.pending["archive_id"])
    assert fd.pending.set_index("archive_id").at[a[1], "visits"] == 2
    assert fd.problems.set_index("kind").at["not_at_home_short", "archive_id"] == a[1]
    assert f.at[a[3], "code"] == "refused" and f.at[a[3], "source"] == "submission"


def test_reserve_out_of_order_is_set_aside(drawn, tmp_path):
    s, book, mine = _setup(drawn, tmp_path)
    a = mine["archive_id"].tolist()
    psu = mine.set_index("archive_id").at[a[0], "psu"]
    res = s.reserves[s.reserves["psu"] == psu].set_index("reserve_rank")["archive_id"]
    _fill(book, "入户名单", a[0], 结果代码="拒访", 替换的备用户档案编号=res[2])
    _fill(book, "备用名单", res[2], 启用日期="2026-05-09", 结果代码="完成", 替换的样本户档案编号=a[0])
    fd = reconcile(units_of(s), read_visit_lists(book), None, lang="en")
    assert set(fd.set_aside["archive_id"]) == {res[2]}
    p = fd.problems[fd.problems["kind"] == "reserve_order"]
    assert p["archive_id"].tolist() == [res[2]] and p["other_id"].tolist() == [res[1]]
    assert res[1] in p["message"].iat[0] and res[2] in p["message"].iat[0]
    assert res[2] not in set(fd.frame["archive_id"])
    assert fd.frame.set_index("archive_id")["replaced_by"].isna().all()
    response_rate(s, fd.frame)                         # what remains follows the rule


def test_unknown_code_is_a_problem_never_dropped(drawn, tmp_path):
    s, book, mine = _setup(drawn, tmp_path)
    a = mine["archive_id"].tolist()
    row = _fill(book, "入户名单", a[0], 结果代码="没见着")
    lists = read_visit_lists(book)
    line = lists[lists["archive_id"] == a[0]].iloc[0]
    assert pd.isna(line["code"]) and line["code_text"] == "没见着"
    fd = reconcile(units_of(s), lists, None, lang="zh")
    p = fd.problems[fd.problems["kind"] == "unknown_code"].iloc[0]
    assert (p["file"], p["sheet"], p["row"], p["column"], p["value"]) == (book.name, "入户名单", row, "结果代码", "没见着")
    assert "3 三次上门未遇" in p["message"] and "完成" in p["message"] and str(row) in p["message"]
    assert a[0] in set(fd.pending["archive_id"])


def test_codes_and_visit_results():
    words = pd.Series(["完成", "COMPLETED", "not at home", "Not_At_Home", "三次未遇 ", "拒访", "已由备用户替换",
                       "不符合条件", "", None, "完成 / refused", "xyz"])
    assert normalise_codes(words).tolist() == ["completed", "completed", "not_at_home", "not_at_home",
                                               "not_at_home", "refused", "replaced", "not_eligible",
                                               None, None, None, None]
    subs = pd.DataFrame({"KEY": list("abcdef"), "archive_id": ["1", "2", "3", "4", "5", "5"],
                         "visit_result": ["met", "met", "not_found", "moved", "absent", "met"],
                         "consent": ["yes", "no", None, None, None, "yes"]})
    d = from_submissions(subs).set_index("archive_id")
    assert d["code"].tolist() == ["completed", "refused", "moved", "moved", "completed"]
    assert d.at["5", "visits"] == 2 and d.at["5", "KEY"] == "f"


def test_released_reserve_without_result_stays_released(drawn, tmp_path):
    s, book, mine = _setup(drawn, tmp_path)
    a = mine["archive_id"].tolist()
    psu = mine.set_index("archive_id").at[a[0], "psu"]
    same = mine[mine["psu"] == psu]["archive_id"].tolist()
    res = s.reserves[s.reserves["psu"] == psu].set_index("reserve_rank")["archive_id"]
    _fill(book, "入户名单", same[0], 结果代码="拒访")
    _fill(book, "入户名单", same[1], 结果代码="拒访", 替换的备用户档案编号=res[2])
    _fill(book, "备用名单", res[1], 启用日期="2026-05-08")              # released, not visited yet
    _fill(book, "备用名单", res[2], 启用日期="2026-05-09", 结果代码="完成")
    fd = reconcile(units_of(s), read_visit_lists(book), None, lang="en")
    assert res[1] in set(fd.pending["archive_id"])
    f = fd.frame.set_index("archive_id")
    assert f.at[same[0], "replaced_by"] == res[1] and f.at[same[1], "replaced_by"] == res[2]
    p = fd.problems[fd.problems["kind"] == "replacement_inferred"]
    assert p[["archive_id", "other_id"]].values.tolist() == [[same[0], res[1]]]
    rr = fd.response_rate(s)                      # reserves.response_rate accepts the frame
    # released 24 + 2 reserves; I = 1 (reserve 2); R = 2; unknown = 26 − 3 = 23
    assert (rr.released, rr.completed, rr.refused, rr.unknown) == (26, 1, 2, 23)
    assert rr.rr1 == pytest.approx(1 / 26)


def test_simulated_field_work_gives_the_simulations_rr1():
    from toolkit.synthetic import make_city
    from toolkit.synthetic_visits import simulate_visits

    city = make_city(800, 11)
    s = draw(city.roster, Design(seed="11", strata=("county",), method="two_stage", psu="township",
                                 psus_per_stratum=2, per_psu=10, reserves=4, seed_source="test"))
    v = simulate_visits(city, s.units, s.reserves, seed=11, nonresponse=0.3)
    fd = reconcile(units_of(s), None, v.submissions)
    want, got = response_rate(s, v.dispositions), fd.response_rate(s)
    assert got == want and got.refused + got.non_contact + got.other > 0
    assert fd.problems.empty and fd.pending.empty and fd.set_aside.empty


def test_ids_typed_as_numbers_and_files_that_are_not_visit_lists(drawn, tmp_path):
    from toolkit.errors import UserError

    s, book, mine = _setup(drawn, tmp_path)
    a = mine["archive_id"].tolist()
    wb = openpyxl.load_workbook(book)
    ws = wb["入户名单"]
    head = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, head["档案编号"]).value == a[0])
    ws.cell(row, head["档案编号"]).value = int(a[0])            # Excel turned the id into a number
    ws.cell(row, head["结果代码"]).value = "完成"
    wb.save(book)
    fd = reconcile(units_of(s), read_visit_lists(book), None)
    assert fd.frame["archive_id"].tolist() == [a[0]] and fd.problems.empty

    other = tmp_path / "other.xlsx"
    pd.DataFrame({"x": [1]}).to_excel(other, index=False)
    with pytest.raises(UserError) as e:
        read_visit_lists(other)
    assert e.value.key == "sampling.field.no_sheet" and "other.xlsx" in e.value.message("en")
    pd.DataFrame({"编号": [a[0]], "结果代码": ["完成"]}).to_excel(other, index=False, sheet_name="入户名单")
    with pytest.raises(UserError) as e:
        read_visit_lists(other)
    assert e.value.key == "sampling.field.no_column" and "档案编号" in e.value.message("zh")
