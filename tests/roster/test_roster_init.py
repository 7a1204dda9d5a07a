"""`fieldeval init` (issue 16): the evaluation's name, counties, lines and
roster come from flags or are asked for at a terminal; without a terminal a
missing one fails in words naming the flags; verify and roster check then use
the roster path init recorded. Nothing is filled in silently."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from roster_data import good_rows, write_csv

from toolkit import config
from toolkit.cli import main
from toolkit.commands import project as project_cmd

FLAGS = ["--name", "巢湖市2026年困难职工帮扶评估", "--counties", "居巢区:340181,庐江县:340124:800:1800",
         "--lines", "850,1930"]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_flags_make_the_project(tmp_path: Path, capsys) -> None:
    roster = write_csv(tmp_path / "名册.csv", good_rows())
    d = tmp_path / "proj"
    assert main(["init", str(d), *FLAGS, "--roster", str(roster)]) == 0
    ev = config.load(d)
    assert ev.name == "巢湖市2026年困难职工帮扶评估"
    assert [(c.name, c.code, c.dibao, c.min_wage) for c in ev.counties] == [
        ("居巢区", "340181", 850.0, 1930.0), ("庐江县", "340124", 800.0, 1800.0)]
    assert ev.path("roster") == roster.resolve()
    out = capsys.readouterr().out
    assert "2 个区县（居巢区、庐江县）" in out and "瑶海区" not in out


def test_roster_inside_the_project_is_recorded_relative(tmp_path: Path) -> None:
    d = tmp_path / "proj"
    d.mkdir()
    roster = write_csv(d / "名册.csv", good_rows())
    assert main(["init", str(d), *FLAGS, "--roster", str(roster)]) == 0
    text = (d / "evaluation.toml").read_text(encoding="utf-8")
    assert 'roster = "名册.csv"' in text
    assert config.load(d).path("roster") == roster.resolve()


def test_without_a_terminal_missing_values_fail_naming_the_flags(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    d = tmp_path / "proj"
    assert main(["init", str(d)]) == 2
    err = capsys.readouterr().err
    needs = err.split("。")[0]             # the sentence naming what is missing (an example follows)
    assert "还缺少" in needs
    for flag in ("--name", "--counties", "--lines", "--roster"):
        assert flag in needs
    assert "Traceback" not in err and not (d / "evaluation.toml").exists()
    # only the one missing is named
    assert main(["init", str(d), *FLAGS]) == 2
    needs = capsys.readouterr().err.split("。")[0]
    assert "--roster" in needs and "--name" not in needs
    assert main(["init", str(d), "--name", "x", "--counties", "居巢区:340181", "--roster", "r.csv", "--lang", "en"]) == 2
    needs = capsys.readouterr().err.split(". ")[0]
    assert "still needs: --lines" in needs and "--roster" not in needs


def test_no_lines_needed_when_every_county_has_its_own(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["init", str(tmp_path / "p"), "--name", "x", "--counties", "庐江县:340124:800:1800",
                 "--roster", "r.xlsx"]) == 0
    assert config.load(tmp_path / "p").counties[0].dibao == 800.0


def test_at_a_terminal_missing_values_are_asked(tmp_path: Path, monkeypatch, capsys) -> None:
    roster = write_csv(tmp_path / "r.csv", good_rows())
    answers = iter(["庐江县评估", "庐江县:340124", "800,1800", str(roster)])
    asked: list[str] = []
    monkeypatch.setattr(sys, "stdin", _Tty(""))
    monkeypatch.setattr("builtins.input", lambda prompt: (asked.append(prompt), next(answers))[1])
    assert main(["init", str(tmp_path / "p")]) == 0
    assert len(asked) == 4 and "评估项目名称" in asked[0] and "低保" in asked[2]
    ev = config.load(tmp_path / "p")
    assert ev.name == "庐江县评估" and ev.counties[0].min_wage == 1800.0 and ev.path("roster") == roster.resolve()


@pytest.mark.parametrize("counties,lines,key", [
    ("瑶海区", "880,2060", "roster2.init.bad_county"),
    ("瑶海区:3401", "880,2060", "roster2.init.bad_county"),
    ("瑶海区:340102", "880", "roster2.init.bad_lines"),
    ("瑶海区:340102", "八百,2060", "roster2.init.bad_lines"),
    ("瑶海区:340102", None, "roster2.init.no_lines"),
])
def test_badly_written_values_are_refused_in_words(counties, lines, key) -> None:
    from toolkit.errors import UserError

    with pytest.raises(UserError) as e:
        config.parse_counties(counties, lines)
    assert e.value.key == key
    assert "{" not in e.value.message("zh") and "roster2" not in e.value.message("en")


def test_check_and_verify_use_the_recorded_roster(tmp_path: Path, monkeypatch) -> None:
    roster = write_csv(tmp_path / "elsewhere.csv", good_rows())
    d = tmp_path / "proj"
    assert main(["init", str(d), "--name", "x", "--counties", "瑶海区:340102,庐阳区:340103,蜀山区:340104,"
                 "包河区:340111,长丰县:340121", "--lines", "880,2060", "--roster", str(roster)]) == 0
    from toolkit.project import Project

    # verify reads paths.roster: it gets past the roster (and stops at the missing sample instead)
    from toolkit.errors import UserError

    with pytest.raises(UserError) as e:
        Project.open(d).verify(record=False)
    assert e.value.key != "verify.no_roster"
    assert main(["roster", "check", str(config.load(d).path("roster")), "--project", str(d)]) == 0


def test_init_values_named_in_the_module() -> None:
    assert project_cmd.INIT_FLAGS == ("name", "counties", "lines", "roster")


def test_every_roster2_message_exists_in_both_languages() -> None:
    import re

    from toolkit.i18n import catalog

    root = Path(__file__).parents[2] / "toolkit"
    files = [root / "roster" / "read.py", root / "roster" / "validate.py", root / "roster" / "office.py",
             root / "roster" / "schema.py", root / "commands" / "roster.py", root / "commands" / "project.py",
             root / "project" / "draw.py", root / "config.py"]
    src = "\n".join(p.read_text(encoding="utf-8") for p in files)
    used = set(re.findall(r'"(roster2\.[a-z_.]+)"', src))
    cat = catalog()
    # keys built from codes: kinds, skip reasons, sources, flags, init questions
    from toolkit.roster.office import KINDS

    used |= {f"roster2.kind.{k}" for k in KINDS}
    used |= {f"roster2.skip.{k}" for k in ("empty", "no_header", "help_records", "other_header")}
    used |= {f"roster2.init.flag.{k}" for k in project_cmd.INIT_FLAGS}
    used |= {f"roster2.init.ask_{k}" for k in project_cmd.INIT_FLAGS}
    used |= {"roster2.source.roster", "roster2.source.comparison", "roster2.col.sheet", "roster2.col.sheet_row"}
    assert used and used <= set(cat), used - set(cat)
    allowed = {"fieldeval", "init", "roster", "check", "verify", "Excel", "CSV", "X", "name", "counties", "lines",
               "sheet", "county", "township", "xlsx"}
    for k in (k for k in cat if k.startswith("roster2.")):
        zh, en = cat[k]
        assert sorted(set(re.findall(r"{(\w+)}", zh))) == sorted(set(re.findall(r"{(\w+)}", en))), k
        words = set(re.findall(r"[A-Za-z]{2,}", re.sub(r"{\w+}", "", zh)))
        assert words <= allowed, (k, words - allowed)
