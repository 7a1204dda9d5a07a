"""The evaluation store: one database per evaluation, SQLite or PostgreSQL.

``open_store(where)`` opens (and creates or upgrades, with Alembic) the store:

- ``where`` a database URL (``sqlite:///…``, ``postgresql://…``): that database;
- otherwise, if the environment variable ``FIELDEVAL_DATABASE_URL`` is set:
  that PostgreSQL (or SQLite) database, through psycopg 3;
- otherwise the project's SQLite file ``paths.store`` (default
  ``fieldeval.db``) for an ``Evaluation``, a project directory or its
  ``evaluation.toml``; or the SQLite file at a given path.

SQLite runs in WAL mode with foreign keys on and a busy timeout, so several
processes can write at once (they wait for each other). The store holds
evaluation rounds, roster snapshot fingerprints, sample manifests and their
units, dispositions, submission keys, findings, evaluators' notes and verdict
overrides, and an append-only audit log. It keeps archive ids but no names,
ID numbers or phones (see ``toolkit.store.frames``). Every write is one
transaction. See ``toolkit.store.api.Store`` for the calls.
"""
from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from toolkit.errors import UserError
from toolkit.store import migrate
from toolkit.store.api import Override, SaveResult, Store
from toolkit.store.connect import ENV_URL, forget_engine, make_engine, resolve_url, shared_engine, shown


def open_store(project_or_url: object) -> Store:
    """Open the evaluation store for a project or URL, upgraded to the newest
    schema (module doc). UserError when it cannot be opened, is not a
    database, or was written by a newer fieldeval."""
    url = resolve_url(project_or_url)
    where = shown(url)
    shared = url.get_backend_name() == "postgresql"   # one engine per URL: no new connection per click
    engine = shared_engine(url) if shared else make_engine(url)
    try:
        revision = migrate.upgrade(engine, where)
    except UserError:
        forget_engine(engine)
        raise
    except DBAPIError as e:
        forget_engine(engine)
        detail = str(getattr(e, "orig", e)).strip().splitlines()[0] if str(getattr(e, "orig", e)).strip() else type(e).__name__
        raise UserError("store.cannot_open", url=where, detail=detail) from None
    return Store(engine, where, revision, shared=shared)


__all__ = ["open_store", "Store", "SaveResult", "Override", "ENV_URL"]
