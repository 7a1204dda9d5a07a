"""The shipped back-check form: loads here and in pyxform, zh/en, its compared
items read from the form's own columns, reproducible from the build script."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from toolkit.backcheck.spec import form_path, parse_tolerance, read_items
from toolkit.errors import UserError
from toolkit.forms.reader import read_xlsform
from toolkit.questionnaires import path as shipped

ROOT = Path(__file__).resolve().parents[2]


def test_backcheck_form_loads_here_and_in_pyxform() -> None:
    p = shipped("backcheck.xlsx")
    form = read_xlsform(p)
    assert form.problems == ()
    assert form.languages == ("中文 (zh)", "English (en)") and form.form_id == "backcheck"
    assert convert(xlsform=str(p), validate=False).warnings == []
    for q in form.questions:
        if q.type not in ("calculate", "start", "end", "today", "deviceid"):
            assert form.label(q, "zh") and form.label(q, "en"), q.name
    asked = [q for q in form.questions if q.has_value and q.type not in ("start", "end", "today", "deviceid")]
    assert len(asked) <= 30        # a short re-interview: about ten minutes


def test_compared_items_cover_what_decides_findings() -> None:
    items = {i.name: i for i in read_items(form_path())}
    need = {"hh_size", "members_working", "serious_illness", "disabled", "school_children", "homes_owned", "car",
            "inc_wage", "inc_pension", "inc_transfer", "exp_medical", "exp_school", "helper_known",
            "helper_contact_6m", "pay_received", "sat_overall", "visited_confirmed", "household_there"}
    assert need <= set(items)
    assert {i.type for i in items.values()} == {1, 2, 3}
    assert items["hh_size"].type == 1 and items["hh_size"].compare == "members_n"
    assert items["inc_wage"].abs_tol == 1000 and items["inc_wage"].rel_tol == pytest.approx(0.2)
    assert items["sat_overall"].type == 3 and items["pay_received"].repeat == "payment"
    hv = {q.name for q in read_xlsform(shipped("household_visit.xlsx")).questions}
    for i in items.values():   # compared with a household-form column or a derived one
        assert i.compare in hv or i.compare.endswith("_derived"), i.name


def test_tolerances_parse_and_bad_ones_are_refused() -> None:
    assert parse_tolerance("") == (0.0, 0.0)
    assert parse_tolerance("500 or 20%") == (500.0, pytest.approx(0.2))
    assert parse_tolerance("10%") == (0.0, pytest.approx(0.1))
    with pytest.raises(UserError):
        parse_tolerance("about 5", where="survey, row 3, bc_tolerance")


def test_form_is_reproducible_from_the_build_script(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_backcheck", ROOT / "questionnaires" / "build_backcheck.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    built = read_xlsform(mod.main(tmp_path))
    ours = read_xlsform(shipped("backcheck.xlsx"))
    assert [(q.name, q.type, q.relevant, q.constraint) for q in built.questions] == \
        [(q.name, q.type, q.relevant, q.constraint) for q in ours.questions]
    assert read_items(tmp_path / "backcheck.xlsx") == read_items(shipped("backcheck.xlsx"))
