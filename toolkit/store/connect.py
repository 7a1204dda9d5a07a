"""Where the store lives and how to connect to it.

``resolve_url`` turns what the caller gave (a URL, an ``Evaluation``, a
project directory, a ``.db`` file) into a SQLAlchemy URL: an explicit URL
wins, then the environment variable ``FIELDEVAL_DATABASE_URL``, then the
project's SQLite file ``paths.store``. ``make_engine`` sets SQLite up for
several writers (WAL journal, foreign keys, a busy timeout so a writer waits
for the lock instead of failing, and ``BEGIN IMMEDIATE`` so two writers never
deadlock upgrading a read lock); PostgreSQL goes through psycopg 3.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError

from toolkit.config import CONFIG_NAME, Evaluation, load
from toolkit.errors import UserError

ENV_URL = "FIELDEVAL_DATABASE_URL"
BUSY_TIMEOUT_S = 60.0
_PG_NAMES = {"postgresql", "postgres", "postgresql+psycopg"}


def shown(url: URL) -> str:
    """The URL with its password hidden, for messages."""
    return url.render_as_string(hide_password=True)


def parse_url(text: str) -> URL:
    """A SQLAlchemy URL for SQLite or PostgreSQL (psycopg 3); UserError otherwise."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise UserError("store.bad_url", url=text) from None
    if url.drivername in _PG_NAMES:
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        return url
    raise UserError("store.unsupported_url", url=shown(url), scheme=url.drivername)


def resolve_url(where: object) -> URL:
    """The database URL for ``where`` (see module doc)."""
    if isinstance(where, URL):
        return parse_url(where.render_as_string(hide_password=False))
    if isinstance(where, str) and "://" in where:
        return parse_url(where)
    env = os.environ.get(ENV_URL, "").strip()
    if env:
        return parse_url(env)
    if isinstance(where, Evaluation):
        path = where.path("store")
    else:
        p = Path(str(where))
        if p.is_dir():
            path = load(p).path("store") if (p / CONFIG_NAME).exists() else (p / "fieldeval.db").resolve()
        elif p.name == CONFIG_NAME:
            path = load(p).path("store")
        else:
            path = p.resolve()
    if not path.parent.is_dir():
        raise UserError("store.cannot_open", url=str(path), detail=f"no directory {path.parent}")
    return URL.create("sqlite", database=str(path))


def _sqlite_setup(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # noqa: ANN001 - DBAPI objects
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # noqa: ANN001
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: URL) -> Engine:
    """An engine for ``url``, SQLite set up for several writers (module doc)."""
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})
        _sqlite_setup(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


_SHARED: OrderedDict[tuple[int, str], Engine] = OrderedDict()
_SHARED_LOCK = threading.Lock()
SHARED_KEEP = 4
"""PostgreSQL engines kept per process (the most recently used URLs)."""


def shared_engine(url: URL) -> Engine:
    """The engine for a PostgreSQL ``url``, one per URL in this process.

    Every walkthrough or dashboard click opens the store; on PostgreSQL a new
    engine means a new TCP connection and SQLAlchemy's first-connect checks
    (server version, settings): about 20 ms a click. A kept engine hands out
    a pooled connection instead (checked with a ping first). Keyed by process
    id too, so a forked worker never shares a parent's sockets; the oldest of
    more than ``SHARED_KEEP`` URLs is disposed."""
    key = (os.getpid(), url.render_as_string(hide_password=False))
    with _SHARED_LOCK:
        engine = _SHARED.get(key)
        if engine is not None:
            _SHARED.move_to_end(key)
            return engine
        engine = make_engine(url)
        _SHARED[key] = engine
        while len(_SHARED) > SHARED_KEEP:
            _, old = _SHARED.popitem(last=False)
            old.dispose()
        return engine


def forget_engine(engine: Engine) -> None:
    """Drop ``engine`` from the kept ones and release its connections."""
    with _SHARED_LOCK:
        for k in [k for k, e in _SHARED.items() if e is engine]:
            del _SHARED[k]
    engine.dispose()


__all__ = ["ENV_URL", "parse_url", "resolve_url", "make_engine", "shared_engine", "forget_engine", "shown"]
