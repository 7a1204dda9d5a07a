"""The draw's roster fingerprint computed once per unchanged roster and kept
with its snapshot (toolkit.project.draw.fingerprint_of → roster_once.derived):
the same value as computing it, served in this process and in the next one,
computed again when the file changes; the manifest the draw writes is the one
``manifest.build`` gives without it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.roster.roster_data import roster_once_on, good_rows, make_project, write_csv  # noqa: F401 - a fixture
from toolkit.project import draw as project_draw
from toolkit.sampling import manifest as mf
from toolkit.sampling.select import Design
from toolkit.verify import roster_once


# every test here with the roster snapshot on, keys in its own folder (tests/roster/roster_data.py)
pytestmark = pytest.mark.usefixtures("roster_once_on")


def _refuse(*a, **k):
    raise AssertionError("fingerprint computed again")


def test_kept_served_and_recomputed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ev = make_project(tmp_path)
    rows = good_rows()
    path = write_csv(tmp_path / "roster.csv", rows)
    d = project_draw.read_drawable(path, project=ev)
    want = mf.fingerprint(d.frame)
    assert project_draw.fingerprint_of(d) == want
    real = mf.fingerprint
    monkeypatch.setattr(mf, "fingerprint", _refuse)
    got = project_draw.fingerprint_of(d)                          # this process: kept in memory
    assert got == want
    got["columns"].clear()                                        # a caller's copy: the kept value unchanged
    assert project_draw.fingerprint_of(d) == want
    roster_once.forget()                                          # as the next command: from the snapshot
    d2 = project_draw.read_drawable(path, project=ev)
    assert project_draw.fingerprint_of(d2) == want
    with pytest.raises(AssertionError):                           # another id column: another value
        project_draw.fingerprint_of(d2, id_column="id_number")
    write_csv(path, rows[:-1])                                    # the file changed: computed again
    roster_once.forget()
    d3 = project_draw.read_drawable(path, project=ev)
    with pytest.raises(AssertionError):
        project_draw.fingerprint_of(d3)
    monkeypatch.setattr(mf, "fingerprint", real)
    assert project_draw.fingerprint_of(d3) == mf.fingerprint(d3.frame) != want
    free = project_draw.Drawable(d3.frame, d3.excluded)           # a frame not read through roster_once
    assert project_draw.fingerprint_of(free) == mf.fingerprint(d3.frame)


def test_draw_writes_the_manifest_build_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ev = make_project(tmp_path)
    path = write_csv(tmp_path / "roster.csv", good_rows())
    design = Design(seed="kept", strata=(), method="srswor", n=3, reserves=1)
    sample = project_draw.draw_into(tmp_path / "s1", path, design, evaluation=ev)
    first = json.loads((tmp_path / "s1" / "manifest.json").read_text(encoding="utf-8"))
    frame = project_draw.read_frame(path)
    direct = mf.build(sample, frame, created=first["created"])
    assert (tmp_path / "s1" / "manifest.json").read_text(encoding="utf-8") == mf.dumps(direct)
    roster_once.forget()
    monkeypatch.setattr(mf, "fingerprint", _refuse)               # a second draw: the fingerprint is kept
    project_draw.draw_into(tmp_path / "s2", path, design, evaluation=ev)
    second = json.loads((tmp_path / "s2" / "manifest.json").read_text(encoding="utf-8"))
    assert {**second, "created": ""} == {**first, "created": ""}
