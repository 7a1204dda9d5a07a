"""The report's charts and files made in forked helper processes
(toolkit.report.parallel) are the files made in one process: the same HTML
bytes, Word document.xml and pictures, Excel cells and pictures; a helper's
error is raised, a helper that dies is replaced by doing its work here."""
from __future__ import annotations

import os
import signal
import zipfile

import pandas as pd
import pytest

from toolkit.report import charts, parallel


def _media(p) -> dict[str, bytes]:
    z = zipfile.ZipFile(p)
    return {n: z.read(n) for n in z.namelist() if "/media/" in n}


def _cells(p) -> dict[str, list[tuple]]:
    import openpyxl

    wb = openpyxl.load_workbook(p)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_report_in_processes_same_files_as_in_one(project, report_files, tmp_path, monkeypatch) -> None:
    from toolkit.report import build_report

    assert parallel.enabled()          # report_files were made with helper processes
    monkeypatch.setenv("FIELDEVAL_REPORT_PROCESSES", "1")
    assert not parallel.enabled()
    one = build_report(project, lang="zh", out=tmp_path)
    many = report_files["zh"]
    assert one["html"].read_bytes() == many["html"].read_bytes()
    assert zipfile.ZipFile(one["docx"]).read("word/document.xml") == zipfile.ZipFile(many["docx"]).read("word/document.xml")
    pics = _media(one["docx"])
    assert len(pics) >= 3 and pics == _media(many["docx"])
    assert _cells(one["xlsx"]) == _cells(many["xlsx"]) and _media(one["xlsx"]) == _media(many["xlsx"])


def _shares() -> pd.DataFrame:
    return pd.DataFrame({k: [0.2, 0.1] for k in range(1, 6)}, index=["甲县", "乙县"])


def test_charts_drawn_aside_are_the_same_png() -> None:
    labels = ["很不满意", "不满意", "一般", "满意", "很满意"]
    here = charts.stacked_distribution(_shares(), labels, xlabel="占比")
    assert isinstance(here, bytes)
    with parallel.aside():
        pending = charts.stacked_distribution(_shares(), labels, xlabel="占比")
        assert isinstance(pending, parallel.Pending)
        assert pending.result() == here


def _fails() -> bytes:
    raise ValueError("drawn badly")


def _dies() -> bytes:
    os.kill(os.getpid(), signal.SIGKILL)
    return b"never"


def _png_here() -> bytes:
    return b"png" if os.getpid() == _PARENT[0] else b"child"


_PARENT = [os.getpid()]


def test_helper_error_raised_and_dead_helper_replaced() -> None:
    _PARENT[0] = os.getpid()
    with parallel.aside():
        with pytest.raises(ValueError, match="drawn badly"):
            parallel.later(_fails).result()
    with parallel.aside():
        dead = parallel.later(_dies)
        assert isinstance(dead, parallel.Pending)
        dead = parallel.Pending(_png_here, (), {}, dead.future)
        assert dead.result() == b"png"          # the helper died: drawn here


def test_side_by_side_results_errors_and_dead_children() -> None:
    _PARENT[0] = os.getpid()
    child, here = parallel.side_by_side([os.getpid, os.getpid])
    assert here == os.getpid() and child != here            # the first job ran in another process
    assert parallel.side_by_side([lambda: 1, lambda: 2, lambda: 3]) == [1, 2, 3]
    with pytest.raises(ValueError, match="drawn badly"):
        parallel.side_by_side([_fails, lambda: 2])
    calls = []

    def dies_in_child() -> str:
        if os.getpid() != _PARENT[0]:
            os.kill(os.getpid(), signal.SIGKILL)
        calls.append(1)
        return "done here"

    assert parallel.side_by_side([dies_in_child, lambda: 2]) == ["done here", 2] and calls == [1]


def _writer(text: str):  # noqa: ANN202
    def write(path):  # noqa: ANN001, ANN202
        path.write_text(text, encoding="utf-8")
        return path
    return write


def test_screened_files_only_when_the_guard_passes(tmp_path) -> None:
    from toolkit.errors import UserError

    targets = {k: tmp_path / f"r.{k}" for k in ("xlsx", "docx", "html")}
    writers = {k: _writer(k) for k in targets}

    def refuse() -> None:
        raise UserError("report.privacy_leak", kind="姓名", where="x", count=1)

    with pytest.raises(UserError):
        parallel.screened_files(refuse, writers, targets)
    assert list(tmp_path.iterdir()) == []              # nothing written, no hidden folder left
    got = parallel.screened_files(lambda: None, writers, targets)
    assert got == targets and all(p.read_text(encoding="utf-8") == k for k, p in targets.items())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in targets.values())


def test_report_refused_by_the_guard_writes_no_file(project, tmp_path, monkeypatch) -> None:
    from toolkit.errors import UserError
    from toolkit.report import build_report, privacy

    def refuse(*_a, **_k) -> None:
        raise UserError("report.privacy_leak", kind="姓名", where="x", count=1)

    monkeypatch.setattr(privacy, "assert_clean", refuse)
    with pytest.raises(UserError):
        build_report(project, lang="zh", out=tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def _hangs_in_child() -> bytes:
    if os.getpid() != _PARENT[0]:
        import time
        time.sleep(600)
    return b"png"


def test_hung_helpers_stopped_and_their_work_done_here(monkeypatch) -> None:
    import time

    _PARENT[0] = os.getpid()
    monkeypatch.setattr(parallel, "WAIT_AT_LEAST", 1.0)
    t0 = time.monotonic()
    assert parallel.side_by_side([_hangs_in_child, lambda: b"here"]) == [b"png", b"here"]
    with parallel.aside():
        hung = parallel.later(_hangs_in_child)
        after = parallel.later(_png_here)       # queued behind the hung chart
        assert isinstance(hung, parallel.Pending) and isinstance(after, parallel.Pending)
        assert hung.result() == b"png" and after.result() == b"png"   # both drawn here
    with pytest.raises(ValueError, match="drawn badly"), parallel.aside():
        parallel.later(_hangs_in_child)
        raise ValueError("drawn badly")                               # the hung helper is not waited for
    assert time.monotonic() - t0 < 60
    assert parallel.overdue(0.2) == 1.0 and parallel.overdue(10.0) == 30.0
