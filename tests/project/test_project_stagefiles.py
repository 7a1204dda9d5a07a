"""A stage's folder is replaced as a whole: a failure or a kill at any write
point leaves the old stage (or the new one), never a mix."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from toolkit.errors import UserError
from toolkit.project.stagefiles import read_meta, write_stage


def _old(folder: Path) -> None:
    write_stage(folder, lambda d: (d / "a.txt").write_text("old"), {"v": 1})


def test_a_failure_midway_keeps_the_old_stage(tmp_path):
    folder = tmp_path / "verify"
    _old(folder)

    def half(d: Path) -> None:
        (d / "a.txt").write_text("new")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_stage(folder, half, {"v": 2})
    assert (folder / "a.txt").read_text() == "old" and read_meta(folder, missing_key="x")["v"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["verify"]


@pytest.mark.parametrize("point", ["after_first_file", "before_meta", "after_meta"])
def test_a_kill_at_each_write_point_leaves_old_or_new(tmp_path, point):
    folder = tmp_path / "verify"
    _old(folder)
    code = textwrap.dedent(f"""
        import os, json
        from pathlib import Path
        import toolkit.project.stagefiles as sf
        point = {point!r}
        real_dumps = sf.indent_json.dumps   # meta.json's text (json.dumps(indent=2)'s, faster)
        def dumps(*a, **k):
            if point == "before_meta":
                os._exit(9)
            return real_dumps(*a, **k)
        sf.indent_json.dumps = dumps
        real_private = sf.private
        def private(p):
            if point == "after_meta":
                os._exit(9)
            return real_private(p)
        sf.private = private
        def write(d):
            (d / "a.txt").write_text("new")
            if point == "after_first_file":
                os._exit(9)
        sf.write_stage(Path({str(folder)!r}), write, {{"v": 2}})
    """)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 9, run.stderr
    meta = read_meta(folder, missing_key="x")
    assert meta["v"] == 1 and (folder / "a.txt").read_text() == "old"   # the killed write never shows
    # the leftover partial folder is not the stage and is cleaned by the next write
    write_stage(folder, lambda d: (d / "a.txt").write_text("third"), {"v": 3})
    assert read_meta(folder, missing_key="x")["v"] == 3


def test_a_stage_without_its_record_is_refused(tmp_path):
    folder = tmp_path / "verify"
    folder.mkdir()
    (folder / "meta.json").write_text(json.dumps({"complete": False}))
    with pytest.raises(UserError) as e:
        read_meta(folder, missing_key="project.no_results")
    assert e.value.key == "project.stage_incomplete"
    with pytest.raises(UserError) as e:
        read_meta(tmp_path / "nothing", missing_key="project.no_results")
    assert e.value.key == "project.no_results"
