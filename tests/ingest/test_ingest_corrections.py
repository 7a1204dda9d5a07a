"""Corrections log and duplicate decisions: applied when the old value still
holds, refused when it does not, audited either way."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ingest_data import answers, form
from toolkit.errors import UserError
from toolkit.ingest import corrections as C


@pytest.fixture(scope="module")
def subs():
    return answers(30, seed=33)


def _log(rows: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["key", "field", "old_value", "new_value"])
    df["reason"], df["initials"], df["date"] = "回访核实", "WL", "2026-05-12"
    df.insert(0, "_row", np.arange(2, len(df) + 2))
    return df


def test_applies_matching_rows_and_refuses_stale_ones(subs) -> None:
    m = subs.main
    i = int(np.flatnonzero(m["inc_wage"].notna().to_numpy())[0])
    k = m.loc[i, "KEY"]
    log = _log([(k, "inc_wage", m.loc[i, "inc_wage"], 36000),
                (k, "township", "不是这个", "双岗街道"),
                ("uuid:gone", "township", "x", "y"),
                (k, "no_such_question", "x", "y")])
    out, audit = C.apply_corrections(subs, form(), log, lang="en")
    assert audit["status"].tolist() == ["applied", "refused", "refused", "refused"]
    assert out.main.loc[i, "inc_wage"] == 36000.0
    assert out.main.loc[i, "township"] == m.loc[i, "township"]
    assert "no longer matches" in audit.loc[1, "why"] and audit.loc[1, "before"] == m.loc[i, "township"]
    assert audit.loc[2, "why"] == "no submission with this id"
    assert subs.main.loc[i, "inc_wage"] == m.loc[i, "inc_wage"]     # input untouched


def test_rows_on_the_same_cell_apply_in_order(subs) -> None:
    k = subs.main.loc[0, "KEY"]
    old = subs.main.loc[0, "township"]
    out, audit = C.apply_corrections(subs, form(), _log([(k, "township", old, "甲"), (k, "township", "甲", "乙")]))
    assert audit["status"].tolist() == ["applied", "applied"]
    assert out.main.loc[0, "township"] == "乙"


def test_rerun_on_corrected_data_is_refused_not_doubled(subs) -> None:
    k = subs.main.loc[1, "KEY"]
    log = _log([(k, "township", subs.main.loc[1, "township"], "新值")])
    once, _ = C.apply_corrections(subs, form(), log)
    _, audit = C.apply_corrections(once, form(), log)
    assert audit["status"].tolist() == ["refused"]


def test_types_dates_blanks_and_repeat_rows(subs) -> None:
    m = subs.main
    i = int(np.flatnonzero(m["private_school"].isna().to_numpy())[0])
    mem = subs.repeats["member"]
    log = _log([(m.loc[0, "KEY"], "start", m.loc[0, "start"].isoformat(), "2026-05-06T09:00:00"),
                (m.loc[i, "KEY"], "private_school", None, "no"),
                (mem.loc[0, "KEY"], "m_age", mem.loc[0, "m_age"], 44),
                (m.loc[0, "KEY"], "school_children", m.loc[0, "school_children"], "三个")])
    out, audit = C.apply_corrections(subs, form(), log)
    assert audit["status"].tolist() == ["applied", "applied", "applied", "refused"]
    assert out.main.loc[0, "start"] == pd.Timestamp("2026-05-06 09:00")
    assert out.main.loc[i, "private_school"] == "no"
    assert out.repeats["member"].loc[0, "m_age"] == 44.0


def test_duplicate_decisions(subs) -> None:
    m = pd.concat([subs.main, subs.main.iloc[[0, 1, 2]]], ignore_index=True)
    m.loc[len(subs.main):, "source_row"] = [100, 101, 102]
    dup = replace(subs, main=m)
    k0, k1, k2 = m.loc[0, "KEY"], m.loc[1, "KEY"], m.loc[2, "KEY"]
    dec = pd.DataFrame({"_row": [2, 3, 4, 5, 6], "key": [k0, k0, k1, k2, k2],
                        "source_file": None, "source_row": [2, 100, 101, 102, 999],
                        "action": ["keep", "drop", "new_id", "explode", "drop"],
                        "new_key": [None, None, "uuid:renamed", None, None],
                        "reason": ["", "同一户录了两次", "另一户", "", ""], "initials": "WL", "date": "2026-05-12"})
    out, dropped, audit = C.apply_duplicates(dup, dec, lang="en")
    assert audit["status"].tolist() == ["applied", "applied", "applied", "refused", "refused"]
    assert audit.loc[3, "why"].startswith("duplicate decision must be")
    assert audit.loc[4, "why"].startswith("no such copy")
    assert len(dropped) == 1 and dropped["source_row"].tolist() == [100]
    assert len(out.main) == len(m) - 1
    assert (out.main["KEY"] == "uuid:renamed").sum() == 1
    assert out.main["KEY"].duplicated().sum() == 1      # k2 still undecided


def test_read_log_workbook_with_chinese_headers(tmp_path: Path, subs) -> None:
    p = tmp_path / "corrections.xlsx"
    with pd.ExcelWriter(p) as xw:
        pd.DataFrame({"提交编号": [subs.main.loc[0, "KEY"]], "题目": ["township"], "原值": ["a"], "新值": ["b"],
                      "原因": ["r"], "更正人": ["WL"], "日期": ["2026-05-12"]}).to_excel(xw, sheet_name="更正", index=False)
        pd.DataFrame({"key": ["x"], "source_row": [3], "action": ["drop"]}).to_excel(xw, sheet_name="duplicates", index=False)
    log, dups = C.read_log(p)
    assert log[["key", "field", "old_value", "new_value"]].values.tolist() == [
        [subs.main.loc[0, "KEY"], "township", "a", "b"]]
    assert dups["action"].tolist() == ["drop"] and log["_row"].tolist() == [2]
    bad = tmp_path / "bad.xlsx"
    pd.DataFrame({"key": ["x"]}).to_excel(bad, index=False)
    with pytest.raises(UserError) as e:
        C.read_log(bad)
    assert e.value.key == "ingest.corrections.missing_columns"
    t = C.write_template(tmp_path / "template.xlsx")
    assert pd.ExcelFile(t).sheet_names[:4] == ["更正", "重复", "说明", "规则"]
    t_en = C.write_template(tmp_path / "template_en.xlsx", "en")
    assert pd.ExcelFile(t_en).sheet_names[:2] == ["corrections", "duplicates"]
