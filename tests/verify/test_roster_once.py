"""One read of an unchanged roster per process (toolkit.verify.roster_once)."""
from __future__ import annotations

import os

import pytest

from toolkit.verify import roster_once

CSV = ("档案编号,户主姓名,身份证号,所属区县,街道（乡镇）,家庭人口,家庭年收入（元）,困难类别,档案状态\n"
       "A001,张三,340104198001011234,包河区,望湖街道,3,1800,深度困难,在档\n"
       "A002,李四,340104198002021235,包河区,望湖街道,2,1500,相对困难,在档\n")


@pytest.fixture(autouse=True)
def _fresh():
    roster_once.forget()
    yield
    roster_once.forget()


def test_unchanged_file_is_read_once_and_a_changed_file_again(tmp_path, monkeypatch):
    p = tmp_path / "roster.csv"
    p.write_text(CSV, encoding="utf-8")
    a = roster_once.read_roster(p)
    again = roster_once.read_roster(p)
    assert again is not a and again.frame.equals(a.frame)
    assert len(roster_once._READS) == 1
    other = roster_once.read_roster(p, help_sheet=None)                  # other options: another read
    assert len(roster_once._READS) == 2 and other.frame.equals(a.frame)
    problems = roster_once.validate(a)
    assert len(problems)
    assert roster_once.validate(again).equals(problems)
    assert len(roster_once._CHECKS) == 1
    p.write_text(CSV + "A003,王五,340104198003031236,包河区,望湖街道,1,900,深度困难,在档\n", encoding="utf-8")
    b = roster_once.read_roster(p)
    assert b is not a and len(b.frame) == 3
    b.frame.loc[b.frame.index[0], "name"] = "改"        # a caller's change stays its own (copy-on-write)
    assert roster_once.read_roster(p).frame["name"].iloc[0] == "张三"
    assert len(roster_once._READS) == 1 and not roster_once._CHECKS     # the old version's reads are gone
    monkeypatch.setenv("FIELDEVAL_ROSTER_ONCE", "0")
    p.write_text(CSV, encoding="utf-8")
    assert len(roster_once.read_roster(p).frame) == 2
    assert len(roster_once._READS) == 1


def test_at_most_two_rosters_are_kept(tmp_path):
    paths = []
    for k in range(3):
        p = tmp_path / f"r{k}.csv"
        p.write_text(CSV, encoding="utf-8")
        os.utime(p, ns=(10**18 + k, 10**18 + k))
        paths.append(p)
    for p in paths:
        roster_once.read_roster(p)
    assert len(roster_once._READS) == 2
    assert not any(k[0] == str(paths[0].resolve()) for k in roster_once._READS)
