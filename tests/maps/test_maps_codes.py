"""Area codes against the boundary set (issue 22): an unknown or mismatched code
is refused in words naming the nearest counties; the verb checks a project."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.cli import main
from toolkit.config import DEFAULT_COUNTIES
from toolkit.errors import UserError
from toolkit.maps.boundaries import areas, check_counties, check_roster_codes, county_index


def test_cnmaps_counties_by_code() -> None:
    idx = county_index()
    assert len(idx) > 2800 and idx["code"].is_unique
    got = dict(zip(idx["code"], idx["name"]))
    for c in DEFAULT_COUNTIES:              # the demo's counties carry their real codes
        assert got[c.code] == c.name
    a = areas(["340111"])
    assert a.geoms[0].contains(a.geoms[0].representative_point()) and a.datum == "gcj02"


def test_unknown_code_is_refused_with_the_nearest_names() -> None:
    with pytest.raises(UserError) as e:
        check_counties([("包河区", "340199")])
    zh, en = e.value.message("zh"), e.value.message("en")
    assert "340199" in zh and "不在边界数据中" in zh and "包河区（340111" in zh
    assert "not in the boundary set" in en and "340111" in en


def test_code_of_another_county_is_refused() -> None:
    with pytest.raises(UserError) as e:
        check_counties([("包河区", "340102")])
    msg = e.value.message("zh")
    assert "瑶海区" in msg and "包河区（340111" in msg
    check_counties([("包河", "340111"), ("长丰县", "340121")])   # the suffix may be left out


def test_roster_codes_against_the_project() -> None:
    roster = pd.DataFrame({"county": ["包河区", "包河区", "瑶海区"], "county_code": ["340111", "340112", "340102"]})
    bad = check_roster_codes(roster, [("包河区", "340111"), ("瑶海区", "340102")])
    assert bad.to_dict("records") == [{"county": "包河区", "roster_code": "340112", "project_code": "340111", "rows": 1}]


def test_maps_check_verb(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    d = tmp_path / "p"
    assert main(["init", str(d), "--name", "测试", "--counties", "包河区:340111:880:2060,瑶海区:340102:880:2060",
                 "--roster", "roster.xlsx"]) == 0
    capsys.readouterr()
    assert main(["maps", "check", "--project", str(d)]) == 0
    assert "2 个区县" in capsys.readouterr().out
    toml = (d / "evaluation.toml").read_text(encoding="utf-8").replace('"340102"', '"340109"')
    (d / "evaluation.toml").write_text(toml, encoding="utf-8")
    assert main(["maps", "check", "--project", str(d), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "340109" in err and "瑶海区" in err and "Traceback" not in err
