"""Bring a database to the newest schema with Alembic, configured in code.

The migration scripts ship inside the package (``migrations/``); no
alembic.ini is read. ``upgrade`` runs in one transaction that first takes a
lock (``BEGIN IMMEDIATE`` on SQLite, an advisory transaction lock on
PostgreSQL), so several processes opening a fresh store at once migrate it
exactly once. A database stamped with a revision this code does not know (it
was written by a newer fieldeval) is refused with a UserError rather than
touched.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from toolkit.errors import UserError

MIGRATIONS = Path(__file__).with_name("migrations")
_PG_LOCK_KEY = 0x6669656C64  # "field": one advisory lock for schema changes


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The newest revision this code knows."""
    return _script().get_current_head()


def known_revisions() -> frozenset[str]:
    """Every revision id shipped with this code."""
    return frozenset(r.revision for r in _script().walk_revisions())


def current(conn: Connection) -> tuple[str, ...]:
    """The revision(s) the database is stamped with (empty when fresh)."""
    return tuple(MigrationContext.configure(conn).get_current_heads())


def _at_head(engine: Engine, target: str) -> bool:
    """Whether the database is already stamped with exactly ``target``: one
    plain read of ``alembic_version`` (no write lock, no Alembic context), so
    opening a store that is up to date (every walkthrough click) costs one
    select. Anything else (fresh, older, newer, unreadable) goes the locked way."""
    try:
        with engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
            rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).fetchall()
    except sa.exc.DBAPIError:
        return False
    return [r[0] for r in rows] == [target]


def upgrade(engine: Engine, where: str) -> str:
    """Upgrade the database to head under a lock; return the revision now in it."""
    target = head()
    if _at_head(engine, target):
        return target
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        revs = current(conn)
        unknown = sorted(set(revs) - known_revisions())
        if unknown:
            raise UserError("store.schema_newer", url=where, found=", ".join(unknown), known=target)
        if revs != (target,):
            cfg = _config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    return target


__all__ = ["upgrade", "head", "current", "known_revisions", "MIGRATIONS"]
