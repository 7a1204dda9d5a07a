"""The evaluation project file: written by init, loaded back, errors name key and line."""
from pathlib import Path

import pytest

from toolkit import config
from toolkit.errors import UserError


def test_init_then_load_round_trips(tmp_path: Path) -> None:
    config.init(tmp_path, name="合肥市2026年评估")
    ev = config.load(tmp_path)
    assert ev.name == "合肥市2026年评估"
    assert ev.county("340102").name == "瑶海区"
    assert ev.thresholds.wrong_exit_rate_max == 0.02
    assert ev.thresholds.approval_rate_min == 0.90
    assert len(ev.key()) == 32
    assert (tmp_path / ".fieldeval/pseudonym.key").stat().st_mode & 0o077 == 0


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    config.init(tmp_path)
    with pytest.raises(UserError) as e:
        config.init(tmp_path)
    assert "未覆盖" in e.value.message("zh")


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("old,new,key", [
    ('dibao = 850.0', 'dibao = "八百五"', "counties.4.dibao"),
    ('code = "340121"', 'code = "34012"', "counties.4.code"),
    ('wrong_exit_rate_max = 0.02', 'wrong_exit_rate_max = 2', "thresholds.wrong_exit_rate_max"),
])
def test_bad_value_names_key_and_line(tmp_path: Path, old: str, new: str, key: str) -> None:
    path = config.init(tmp_path)
    text = path.read_text(encoding="utf-8")
    # the first occurrence for counties.4 (长丰县) is the 5th county
    if key.startswith("counties.4"):
        idx = text.index('name = "长丰县"')
        head, tail = text[:idx], text[idx:]
        text = head + tail.replace(old, new, 1)
        needle = new
        line = text[: text.index(new, idx)].count("\n") + 1
    else:
        text = text.replace(old, new)
        line = _line_of(text, new)
        needle = new
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as e:
        config.load(tmp_path)
    msg_en = e.value.message("en")
    assert key in msg_en and f"line {line}" in msg_en, msg_en
    assert f"第 {line} 行" in e.value.message("zh")
    assert needle


def test_syntax_error_is_clear(tmp_path: Path) -> None:
    (tmp_path / "evaluation.toml").write_text("[evaluation\nname=", encoding="utf-8")
    with pytest.raises(UserError) as e:
        config.load(tmp_path)
    assert "格式错误" in e.value.message("zh")
