"""Hostile expressions (issue 14): deep nesting is refused in words (never a
RecursionError) and a backtracking regex() cannot hang evaluation or ingest."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from toolkit.cli import main
from toolkit.forms import values as xv
from toolkit.forms.expr import evaluate, evaluate_bool, evaluate_bool_judged
from toolkit.forms.exprerrors import ExpressionError
from toolkit.forms.parser import MAX_NESTING, parse
from toolkit.forms.reader import read_xlsform
from toolkit.i18n import t

DEEP = {
    "brackets_80": "(" * 80 + "1" + ")" * 80,
    "brackets_1000": "(" * 1000 + "1" + ")" * 1000,
    "if_80": "if(" * 80 + "1" + ", 1, 0)" * 80,
    "calls_1000": "abs(" * 1000 + "1" + ")" * 1000,
    "flat_5000": " + ".join(["1"] * 5000),
    "minus_3000": "-" * 3000 + "1",
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_expressions_are_refused_in_words(name: str) -> None:
    with pytest.raises(ExpressionError) as e:
        parse(DEEP[name])
    assert e.value.code == "too_deep"
    assert "嵌套太深" in t(e.value.i18n_key, "zh") and "too deep" in t(e.value.i18n_key, "en")


def test_expression_too_long_is_refused() -> None:
    with pytest.raises(ExpressionError) as e:
        parse("concat(" + ", ".join(["'x'"] * 6000) + ")")
    assert e.value.code == "too_long"


def test_reasonable_nesting_still_works() -> None:
    df = pd.DataFrame({"a": ["3", "7"]})
    nested = "if(${a} > 5, " * 20 + "1" + ", 0)" * 20
    assert evaluate(nested, df).tolist() == [0.0, 1.0]
    depth = MAX_NESTING - 1
    assert evaluate("(" * depth + "${a}" + ")" * depth + " + 1", df).tolist() == [4.0, 8.0]
    assert evaluate("- - ${a}", df).tolist() == [3.0, 7.0]
    assert evaluate(" + ".join(["1"] * 50), df).tolist() == [50.0, 50.0]


def _form(path: Path, constraint: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label", "constraint"])
    ws.append(["text", "code", "Code", constraint])
    wb.create_sheet("choices").append(["list_name", "name", "label"])
    st = wb.create_sheet("settings")
    st.append(["form_id", "version"])
    st.append(["hostile", "1"])
    wb.save(path)
    return path


@pytest.mark.parametrize("depth", [80, 1000])
def test_form_check_and_ingest_report_deep_constraints(tmp_path: Path, capsys, depth: int) -> None:
    form = _form(tmp_path / "deep.xlsx", "(" * depth + ". = 'a'" + ")" * depth)
    assert main(["form", "check", str(form), "--lang", "en"]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "RecursionError" not in out.out + out.err
    assert "survey" in out.out
    data = tmp_path / "v.csv"
    data.write_text("KEY,code,form_version\nk1,a,1\n", encoding="utf-8")
    code = main(["ingest", str(data), "--form", str(form), "--out", str(tmp_path / "o"), "--lang", "en"])
    out = capsys.readouterr()
    assert code == 2 and "Traceback" not in out.err and "RecursionError" not in out.out + out.err


SLOW = "^(a|aa)+$"


def test_backtracking_regex_is_stopped(monkeypatch) -> None:
    monkeypatch.setattr(xv, "REGEX_VALUE_LIMIT", 0.1)
    df = pd.DataFrame({"x": ["a" * 40 + "!", "aaaa", "b"]})
    expr = f"regex(${{x}}, '{SLOW}')"
    ok, unjudged = evaluate_bool_judged(expr, df)
    assert unjudged.tolist() == [True, False, False]
    assert ok.tolist() == [False, True, False]
    with pytest.raises(ExpressionError) as e:
        evaluate_bool(expr, df)
    assert e.value.code == "regex_timeout"
    # a plain regex on plain values is judged as before
    ok2, un2 = evaluate_bool_judged("regex(${x}, '^a+$')", df)
    assert ok2.tolist() == [False, True, False] and not un2.any()


def test_column_budget_stops_many_slow_values() -> None:
    values = ["a" * (40 + i) + "!" for i in range(5)]
    got = xv.regex_search_many(SLOW, values, budget=0.3, per_value=60)
    assert (got == 2).all()


def test_regex_outside_the_main_thread_uses_the_timeout_engine(monkeypatch) -> None:
    import threading

    monkeypatch.setattr(xv, "REGEX_VALUE_LIMIT", 0.1)
    result: dict[str, np.ndarray] = {}
    th = threading.Thread(target=lambda: result.setdefault(
        "got", xv.regex_search_many(SLOW, ["a" * 40 + "!", "aaaa", "b"])))
    th.start()
    th.join()
    assert result["got"].tolist() == [2, 1, 0]


def test_the_timer_is_left_as_it_was() -> None:
    import signal

    before = signal.getsignal(signal.SIGALRM)
    xv.regex_search_many("^a+$", ["aaa", "b"])
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_bad_regex_is_still_bad_regex() -> None:
    with pytest.raises(ExpressionError) as e:
        evaluate_bool("regex(${x}, '(')", pd.DataFrame({"x": ["a"]}))
    assert e.value.code == "bad_regex"


def test_ingest_quarantines_the_answer_a_regex_could_not_judge(tmp_path: Path, monkeypatch, capsys) -> None:
    from toolkit.ingest.pipeline import run_ingest

    monkeypatch.setattr(xv, "REGEX_VALUE_LIMIT", 0.1)
    form = _form(tmp_path / "rx.xlsx", f"regex(., '{SLOW}')")
    data = tmp_path / "v.csv"
    data.write_text("KEY,code,form_version\nk1,aaaa,1\nk2,b,1\nk3," + "a" * 40 + "!,1\n", encoding="utf-8")
    res = run_ingest(data, read_xlsform(form), lang="en")
    by_key = res.issues.set_index("key")["rule"].to_dict()
    assert by_key == {"k2": "constraint", "k3": "regex_timeout"}
    status = dict(zip(res.submissions.main["KEY"], res.submissions.main["_status"]))
    assert status == {"k1": "accepted", "k2": "quarantined", "k3": "quarantined"}
    msg = res.issues.loc[res.issues["key"] == "k3", "message"].iloc[0]
    assert "time" in msg and "regex" in msg
    assert np.isfinite(res.read)


def test_form_workbook_bomb_is_refused_before_openpyxl(tmp_path: Path) -> None:
    """An .xlsx form is a zip: a 40 MB sheet of blanks packed ~1000:1 is refused
    by toolkit.safezip before openpyxl inflates a byte (issue 16's note)."""
    import zipfile

    from toolkit.errors import UserError

    p = tmp_path / "form.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as f:
            for _ in range(40):
                f.write(b" " * (1 << 20))
    with pytest.raises(UserError) as e:
        read_xlsform(p)
    assert e.value.key == "archive.ratio"
    assert "压缩炸弹" in e.value.message("zh")
