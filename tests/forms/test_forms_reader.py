"""The XLSForm reader: real forms from pyxform's suite, malformed forms, helpers."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from toolkit.errors import UserError
from toolkit.forms.reader import parse_header, parse_type, read_xlsform

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "forms"
GENERATED = re.compile(r"^(reserved_name_for_field_list_labels_|generated_table_list_label_)\d+$|_count$")
REFERENCE = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".xls", ".xlsx"))


def pyxform_names(path: Path) -> set[str]:
    tree = convert(xlsform=str(path), validate=False)._pyxform
    out: set[str] = set()

    def walk(node: dict) -> None:
        for c in node.get("children", []):
            if c.get("name") != "meta":
                out.add(c["name"])
                walk(c)
    walk(tree)
    return out


@pytest.mark.parametrize("path", REFERENCE, ids=lambda p: p.name)
def test_reference_forms_load_like_pyxform(path: Path) -> None:
    form = read_xlsform(path)
    ours = {i.name for i in form.items}
    theirs = pyxform_names(path)
    generated = {n for n in theirs - ours if GENERATED.search(n)}  # pyxform's own additions
    assert ours == theirs - generated
    if path.name == "UCL_Biomass_Plot_Form.xlsx":
        # pyxform without ODK Validate accepts it, but its relevants use typographic quotes
        # (‘yes’), which ODK Validate and Collect reject: we say so, row by row.
        assert form.errors and all(p.code == "expr_syntax" for p in form.errors)
        assert all("typographic quote" in str(p.fields["detail"]) for p in form.errors)
        assert form.errors[0].row == 9 and form.errors[0].column == "relevant"
        assert "第 9 行" in form.errors[0].message("zh")
    else:
        assert form.ok, [p.message("en") for p in form.errors]


def test_languages_labels_choices_and_paths() -> None:
    form = read_xlsform(FIXTURES / "xlsform_spec_test.xlsx")
    assert form.languages == ("english", "chinese")
    q = form.question("select_multiple_test")
    assert q.type == "select_multiple" and q.list_name == "yes_no"
    assert form.path_of("required_text") == ("everything", "repeat_test", "group_test")
    assert q.repeat == "repeat_test"
    assert form.question("required_text").is_required
    assert form.question("a_decimal").constraint == ". <= ${a_integer}"
    assert form.repeats[0].repeat_count == "2"
    assert set(form.choice_labels("yes_no", "english")) == {"yes", "no"}
    ucl = read_xlsform(FIXTURES / "UCL_Biomass_Plot_Form.xlsx")
    assert ucl.languages == ("Swahili (sw)", "English (en)")
    assert ucl.language("en") == "English (en)"
    assert ucl.label(ucl.question("canopy_cover"), "en") == "Percent Canopy Cover"
    assert ucl.label(ucl.question("canopy_cover"), "sw") == "Asilimia Plot Imefungwa na Miti"


def test_old_spellings_and_xls() -> None:
    tut = read_xlsform(FIXTURES / "tutorial.xls")
    assert tut.question("sex").type == "select_one" and tut.question("sex").list_name == "sexes"
    assert tut.repeats[0].name == "member"
    w = read_xlsform(FIXTURES / "widgets.xls")
    assert w.question("my_string").type == "text" and w.question("my_trigger").type == "acknowledge"
    assert w.question("my_select").type == "select_multiple"
    assert w.question("my_int").constraint == ". < 10"
    other = read_xlsform(FIXTURES / "specify_other.xlsx").question("sex")
    assert other.or_other and other.list_name == "sexes"
    assert read_xlsform(FIXTURES / "loop.xlsx").groups[0].kind == "loop"
    assert parse_type("select_one_from_file regions.csv").from_file
    assert parse_type("begin group") is None and parse_type("selec_one x") is None
    assert parse_header("label::中文 (zh)").language == "中文 (zh)"
    assert parse_header("bind:jr:constraintMsg").column == "constraint_message"


def write_form(path: Path, survey: list[list[str]], choices: list[list[str]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label", "relevant", "constraint"])
    for r in survey:
        ws.append(r)
    ch = wb.create_sheet("choices")
    ch.append(["list_name", "name", "label"])
    for r in choices or [["yn", "yes", "Yes"], ["yn", "no", "No"]]:
        ch.append(r)
    wb.save(path)
    return path


MALFORMED = {
    "unknown_type": [["integr", "age", "Age"]],
    "duplicate_name": [["integer", "age", "Age"], ["integer", "age", "Age again"]],
    "unmatched_end": [["integer", "age", "Age"], ["end group", "", ""]],
    "unclosed_group": [["begin group", "g", "G"], ["integer", "age", "Age"]],
    "mismatched_end": [["begin repeat", "r", "R"], ["integer", "age", "Age"], ["end group", "", ""],
                       ["end repeat", "", ""]],
    "unknown_ref": [["integer", "age", "Age", "${agee} > 1"]],
    "missing_list": [["select_one colours", "c", "Colour"]],
}


@pytest.mark.parametrize("code", sorted(MALFORMED))
def test_malformed_forms_get_problems_where_pyxform_also_fails(tmp_path: Path, code: str) -> None:
    path = write_form(tmp_path / f"{code}.xlsx", MALFORMED[code])
    form = read_xlsform(path)
    assert code in {p.code for p in form.errors}, form.problems
    p = next(p for p in form.errors if p.code == code)
    assert p.sheet == "survey" and p.row >= 2
    assert "survey" in p.message("en") and str(p.row) in p.message("zh")
    with pytest.raises(PyXFormError):
        convert(xlsform=str(path), validate=False)


def test_unparseable_expression_has_position(tmp_path: Path) -> None:
    path = write_form(tmp_path / "bad.xlsx", [["integer", "age", "Age", "", ". > 1 + ) 2"]])
    (p,) = read_xlsform(path).errors
    assert (p.code, p.row, p.column, p.fields["position"]) == ("expr_syntax", 2, "constraint", 9)


def test_unsupported_function_is_a_warning(tmp_path: Path) -> None:
    path = write_form(tmp_path / "w.xlsx", [["calculate", "id", "", "", ""], ["integer", "n", "N", "once(1) = 1"]])
    form = read_xlsform(path)
    assert form.ok and [p.code for p in form.problems] == ["expr_unsupported"]


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(UserError) as e:
        read_xlsform(tmp_path / "none.xlsx")
    assert e.value.exit_code == 2
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(UserError) as e:
        read_xlsform(bad)
    assert e.value.key == "forms.unreadable"
    wb = openpyxl.Workbook()
    wb.active.title = "other"
    wb.save(tmp_path / "nosurvey.xlsx")
    with pytest.raises(UserError) as e:
        read_xlsform(tmp_path / "nosurvey.xlsx")
    assert e.value.key == "forms.no_survey"
