"""Session-wide fixtures: the demo projects the heavy folders share.

``fieldeval demo`` at 1,500 households takes a minute or two on the 2-core
machine; tests/report, tests/dashboards, tests/hub and tests/lab each used to
build their own. :func:`demo_build` builds a demo project once into a cache
directory (``.test-cache/`` in the checkout, or ``$FIELDEVAL_TEST_CACHE``)
named by its size, seed and language and a SHA-256 of the toolkit's source
(every file under ``toolkit/``), so a second ``make test`` with nothing
changed reuses it, and a changed toolkit builds afresh. The build runs under
a file lock (several pytest-xdist workers, or two checkouts sharing a cache,
build it once). The cached project is read-only (its files lose their write
bits); tests get their own copy from :func:`demo_copy` (``shutil.copytree``,
a fraction of a second beside a rebuild), made to look as if it had been built
where it lies (absolute paths in the stage records and the verification's
input fingerprint rewritten), so a copy is not "stale" to ``fieldeval serve``.
"""
from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import io
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILDER = "1"                 # bump when demo_build's recipe changes (the toolkit's source is hashed anyway)
_RECORDS = ("output/ingest/ingest.json", "output/backcheck/ingest/ingest.json", "output/verify/meta.json")


def _source_hash() -> str:
    """SHA-256 over every file under toolkit/ (path and bytes; caches and compiled files skipped)."""
    h = hashlib.sha256(BUILDER.encode())
    base = ROOT / "toolkit"
    for p in sorted(base.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"):
            h.update(str(p.relative_to(base)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    """Where cached demo projects live (``$FIELDEVAL_TEST_CACHE`` or ``.test-cache/`` in the checkout)."""
    return Path(os.environ.get("FIELDEVAL_TEST_CACHE") or ROOT / ".test-cache")


@contextlib.contextmanager
def _locked(path: Path):  # noqa: ANN202
    """An exclusive lock on ``path`` (fcntl.flock: released when the process ends, even killed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _read_only(d: Path) -> None:
    """Remove the write bits of every file under ``d`` (directories stay writable so the cache can be pruned)."""
    for p in d.rglob("*"):
        if p.is_file() and not p.is_symlink():
            p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def demo_build(households: int, seed: int, lang: str) -> Path:
    """The cached demo project (``toolkit.demo.run_demo``) of this size, seed and
    language: built on first use under a lock, then reused. READ-ONLY: use
    :func:`demo_copy` for a project a test may write into."""
    from toolkit.demo import run_demo

    base = cache_dir()
    name = f"demo-{households}-{seed}-{lang}"
    target = base / f"{name}-{_source_hash()}"
    if (target / ".complete").exists():
        return target
    with _locked(base / f"{name}.lock"):
        if (target / ".complete").exists():
            return target
        for old in base.glob(f"{name}-*"):   # earlier toolkit versions, half-built leftovers
            shutil.rmtree(old, onerror=lambda f, p, e: (os.chmod(p, 0o700), f(p)))
        tmp = base / f"{name}-building-{os.getpid()}"
        with contextlib.redirect_stdout(io.StringIO()):
            run_demo(tmp, seed=seed, households=households, lang=lang)
        assert (tmp / "output" / "verify" / "scorecard.csv").exists()
        (tmp / ".complete").write_text(str(tmp), encoding="utf-8")
        _read_only(tmp)
        tmp.rename(target)
    return target


def _relocate(dst: Path, built_at: Path) -> None:
    """Make ``dst`` (a copy of a project built at ``built_at``) what a build at
    ``dst`` would be: paths in the stage records rewritten, the verification's
    input fingerprint recomputed (it hashes the inputs' absolute paths)."""
    from toolkit.project import Project

    for rel in _RECORDS:
        f = dst / rel
        if f.exists():
            text = f.read_text(encoding="utf-8")
            old, new = json.dumps(str(built_at))[1:-1], json.dumps(str(dst))[1:-1]
            if old != new:
                f.chmod(f.stat().st_mode | stat.S_IWUSR)
                f.write_text(text.replace(old, new), encoding="utf-8")
    meta = dst / "output" / "verify" / "meta.json"
    text = meta.read_text(encoding="utf-8")
    old = json.loads(text).get("fingerprint")
    if old:
        meta.write_text(text.replace(old, Project.open(dst).inputs_fingerprint()), encoding="utf-8")


def demo_copy(households: int, seed: int, lang: str, dst: Path) -> Path:
    """A private, writable copy at ``dst`` of the cached demo project (module doc)."""
    src = demo_build(households, seed, lang)
    built_at = Path((src / ".complete").read_text(encoding="utf-8"))
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".complete"))
    for p in [dst, *dst.rglob("*")]:
        if not p.is_symlink():
            p.chmod(p.stat().st_mode | stat.S_IWUSR)
    _relocate(dst, built_at)
    return dst


@pytest.fixture(scope="session")
def demo_projects():  # noqa: ANN201
    """``demo_projects(households, seed, lang, dst)``: a private copy of the
    session's cached demo project of that size (built once; module doc)."""
    return demo_copy


# pytest-xdist (``make test`` runs ``-n 2``): tests go to the two workers in groups, each
# group whole on one worker: a module (its module fixtures built once); a folder whose
# session fixtures are heavy (tests/report executes every notebook, tests/lab runs
# JupyterLab's kernels); and every module that drives a browser or starts a server
# (Voilà, JupyterLab, JupyterHub: it takes a free port) in one group, so two chromiums or
# two servers with their preheated kernels never compete for the two cores (their waits
# have deadlines). The groups are given to xdist's scheduler by file path
# (``pytest_xdist_make_scheduler``), not by ``xdist_group`` marks: under pytest 9 xdist
# 3.8's ``--dist loadgroup`` no longer sees the marks (it renames ``item._nodeid``, which
# pytest 9 no longer reads) and hands out single tests.
_FOLDER_GROUPS = {"report": "report", "lab": "lab"}
_SERVER_SIGNS = ("sync_playwright", "launch_browser(", "free_port(", '"toolkit.cli", "serve"',
                 '"toolkit.cli", "lab"', "run_until_stopped(")


@functools.lru_cache(maxsize=None)
def _starts_a_server(path: Path) -> bool:
    """The module starts chromium (Playwright) or a server (it takes a free port) itself."""
    text = path.read_text(encoding="utf-8", errors="replace") if path.suffix == ".py" else ""
    return any(sign in text for sign in _SERVER_SIGNS)


def xdist_group_of(path: Path) -> str:
    """The xdist group of the test module at ``path`` (the comment above)."""
    tests = ROOT / "tests"
    path = path if path.is_absolute() else ROOT / path
    rel = path.relative_to(tests) if path.is_relative_to(tests) else Path(path.name)
    if _starts_a_server(path):
        return "servers"
    if len(rel.parts) > 1 and rel.parts[0] in _FOLDER_GROUPS:
        return _FOLDER_GROUPS[rel.parts[0]]
    return rel.as_posix()


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """xdist's scope scheduler with :func:`xdist_group_of` as the scope of each test."""
    from xdist.scheduler import LoadScopeScheduling

    class ByGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group_of(Path(nodeid.split("::", 1)[0]))

    return ByGroup(config, log)
