"""The report's slow parts beside each other, in forked processes (issue 21).

At national size the report spends ~20 s drawing charts (matplotlib, one
process, a third of it in text layout) and ~20 s writing the Word, Excel and
HTML files one after the other. Neither needs the other's results until the
end, so on a machine with two cores:

* :func:`aside` (around :func:`toolkit.report.content.build`): each chart
  :func:`later` is given is drawn by one forked helper process while this
  one builds the tables and runs the privacy guard; the figure holds a
  :class:`Pending` until :func:`settle` puts the PNG bytes in its place;
* :func:`screened_files`: the writers, each but the last in a forked child,
  while the privacy guard and then the last writer run here; the files are
  moved into place only when the guard passed (:func:`side_by_side`: each
  child's result comes back through a pipe).

The same functions draw and write with the same arguments as before, in a
copy of this process (``fork``: matplotlib's fonts and settings, the report
in memory), so the bytes are the same (``tests/report/test_report_parallel.py``
compares them with a run in one process). Where ``fork`` is missing, or
``FIELDEVAL_REPORT_PROCESSES=1``, everything runs here, one after the other.
A helper that dies (out of memory) is not an error: its work is done here
again; an error raised in a helper is raised here. A helper that hangs (a
forked copy can deadlock on a lock another thread held at the fork) is
stopped once it is :func:`overdue` and its work done here, so the report
never waits on it for ever.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

_POOL: list[ProcessPoolExecutor] = []
_WARMING: list[threading.Thread] = []

#: The least time (seconds) a helper is waited for once this process has
#: done its own share; see :func:`overdue`.
WAIT_AT_LEAST = 120.0
#: A helper may take this many times as long as this process's own share.
WAIT_FACTOR = 3.0


def overdue(own_seconds: float) -> float:
    """How long (seconds) to wait for a helper after this process finished
    its own share of ``own_seconds``: ``max(WAIT_AT_LEAST, WAIT_FACTOR ×
    own_seconds)``. The helpers' shares are of the same size as this
    process's (one writer each, or the charts beside the tables), so a
    helper still silent after three times as long, and at least two
    minutes, is taken as hung, not slow."""
    return max(WAIT_AT_LEAST, WAIT_FACTOR * own_seconds)


def warm(*modules: str) -> None:
    """Import ``modules`` in a thread while this one reads the stored result
    (Arrow reads release the interpreter): the report's later sections need
    them (``scipy.stats``: seconds at a cold start). Joined before any fork
    (:func:`warmed`), so no helper is forked mid-import."""
    import importlib

    def load() -> None:
        for m in modules:
            try:
                importlib.import_module(m)
            except Exception:  # noqa: BLE001 - imported (and failing) where it is used, as before
                return

    th = threading.Thread(target=load, name="report-imports", daemon=True)
    _WARMING.append(th)
    th.start()


def warmed() -> None:
    """Wait for :func:`warm`'s imports."""
    while _WARMING:
        _WARMING.pop().join()


def enabled() -> bool:
    """True when the report may use helper processes: ``fork`` exists and
    ``FIELDEVAL_REPORT_PROCESSES`` is not 1 (or 0)."""
    if os.environ.get("FIELDEVAL_REPORT_PROCESSES", "2").strip() in ("0", "1", "no", "false"):
        return False
    return "fork" in multiprocessing.get_all_start_methods()


@dataclasses.dataclass(frozen=True, eq=False)
class Pending:
    """A chart being drawn by the helper: the call (to draw it here again if
    the helper died) and its future."""

    call: Callable[..., bytes]
    args: tuple
    kwargs: dict
    future: Future
    pool: ProcessPoolExecutor | None = None
    started: float = dataclasses.field(default_factory=time.monotonic)

    def result(self) -> bytes:
        """The PNG bytes (waits for the helper, at most :func:`overdue` of
        the time since the chart was handed over; a hung helper is stopped
        and the chart drawn here)."""
        try:
            return self.future.result(timeout=overdue(time.monotonic() - self.started))
        except BrokenProcessPool:     # the helper died (memory): drawn here
            return self.call(*self.args, **self.kwargs)
        except FutureTimeout:         # the helper hangs: stopped, the rest drawn here too
            _stop(self.pool)
            return self.call(*self.args, **self.kwargs)


def _stop(pool: ProcessPoolExecutor | None) -> None:
    """Kill ``pool``'s processes: its pending futures then fail with
    :class:`BrokenProcessPool` (drawn here by :meth:`Pending.result`)."""
    if pool is None:
        return
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.kill()


@contextlib.contextmanager
def aside() -> Iterator[None]:
    """Within: :func:`later` hands charts to one forked helper process
    (started at the first chart). Charts not yet settled when the block
    ends (an error) are dropped."""
    if not enabled() or _POOL:
        yield
        return
    warmed()
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    _POOL.append(pool)
    try:
        yield
    except BaseException:
        _stop(pool)      # the charts are dropped: a hung or busy helper is not waited for
        raise
    finally:
        _POOL.remove(pool)
        pool.shutdown(wait=True, cancel_futures=True)


def later(call: Callable[..., bytes], *args: object, **kwargs: object) -> bytes | Pending:
    """``call(*args, **kwargs)`` (PNG bytes) now, or within :func:`aside` a
    :class:`Pending` drawn by the helper process."""
    if not _POOL:
        return call(*args, **kwargs)
    try:
        return Pending(call, args, kwargs, _POOL[-1].submit(call, *args, **kwargs), _POOL[-1])
    except (BrokenProcessPool, RuntimeError):    # helper gone or pool shut: drawn here
        return call(*args, **kwargs)


def settle(report: object) -> object:
    """``report`` (toolkit.report.model.Report) with every figure's
    :class:`Pending` replaced by its PNG bytes (the same object when none is
    pending)."""
    def section(s: object) -> object:
        figs = tuple(dataclasses.replace(f, png=f.png.result()) if isinstance(f.png, Pending) else f
                     for f in s.figures)
        subs = tuple(section(x) for x in s.subsections)
        if all(a is b for a, b in zip(figs, s.figures)) and all(a is b for a, b in zip(subs, s.subsections)):
            return s
        return dataclasses.replace(s, figures=figs, subsections=subs)

    sections = tuple(section(s) for s in report.sections)
    if all(a is b for a, b in zip(sections, report.sections)):
        return report
    return dataclasses.replace(report, sections=sections)


def _child(job: Callable[[], object], conn: object) -> None:
    try:
        out = ("ok", job())
    except BaseException as e:  # noqa: BLE001 - raised again in the parent
        out = ("error", e)
    try:
        conn.send(out)
    except Exception as e:  # noqa: BLE001 - a result or error that cannot be pickled
        conn.send(("error", RuntimeError(f"{type(e).__name__} sending a result of {type(out[1]).__name__}")))
    conn.close()


def side_by_side(jobs: list[Callable[[], object]], *, stop: bool = False) -> list[object]:
    """Each job's result, in order: every job but the last run in a forked
    child process, the last here, then the children's results collected.
    A child that died, or is still silent :func:`overdue` after the last job
    ended, is run here again (a hung child is killed); a child's error is
    raised here. ``stop``: when the last job (here) raises, the children are
    stopped, not waited for."""
    if len(jobs) < 2 or not enabled():
        return [job() for job in jobs]
    warmed()
    ctx = multiprocessing.get_context("fork")
    started = []
    t0 = time.monotonic()
    for job in jobs[:-1]:
        here, there = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(job, there), daemon=True)
        proc.start()
        there.close()
        started.append((proc, here))
    try:
        last, failed = jobs[-1](), None
    except BaseException as e:  # noqa: BLE001 - raised once the children are done
        last, failed = None, e
        if stop:
            for proc, _ in started:
                proc.terminate()
    deadline = time.monotonic() + overdue(time.monotonic() - t0)
    results = []
    for job, (proc, here) in zip(jobs, started):
        try:
            if not here.poll(max(0.0, deadline - time.monotonic())):
                proc.kill()   # hung: stopped, its work done here
                raise EOFError
            kind, value = here.recv()
        except EOFError:      # the child died without a word (killed): done here
            kind, value = "ok", None if failed is not None else job()
        finally:
            here.close()
            proc.join()
        if kind == "error" and failed is None:
            failed = value
        results.append(value)
    if failed is not None:
        raise failed
    return [*results, last]


def screened_files(screen: Callable[[], None], writers: dict[str, Callable[[Path], Path]],
                   targets: dict[str, Path]) -> dict[str, Path]:
    """Run ``screen`` (the privacy guard: raises to refuse), and write every
    file (``writers[k](path)``) at ``targets[k]`` only when it passed. Side by
    side: the writers but the last in forked children, into a hidden folder
    beside the targets, while ``screen`` and then the last writer run here;
    the files are moved into place (one rename each) once all are written.
    When ``screen`` refuses, the children are stopped and nothing is left.
    Without helper processes: ``screen``, then the writers one by one."""
    if not enabled():
        screen()
        return {k: w(targets[k]) for k, w in writers.items()}
    keys = list(writers)
    folder = Path(tempfile.mkdtemp(prefix=".report-", dir=Path(targets[keys[0]]).parent))
    try:
        tmp = {k: folder / Path(targets[k]).name for k in keys}

        def last() -> object:
            screen()
            return writers[keys[-1]](tmp[keys[-1]])

        side_by_side([functools.partial(writers[k], tmp[k]) for k in keys[:-1]] + [last], stop=True)
        for k in keys:
            os.replace(tmp[k], targets[k])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {k: Path(targets[k]) for k in keys}


__all__ = ["Pending", "aside", "enabled", "later", "overdue", "screened_files", "settle", "side_by_side", "warm",
           "warmed"]
