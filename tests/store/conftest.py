"""Fixtures of the store tests: every backend-parametrised test runs on SQLite
and on PostgreSQL.

PostgreSQL comes from ``FIELDEVAL_TEST_PG_URL`` (``eval "$(bash
scripts/start-postgres.sh)"`` sets it). Each test gets its own schema there,
dropped afterwards. Without the variable the PostgreSQL cases are skipped
with the reason, except under ``CI=true``, where they fail: CI must never
pass without having run them.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

PG_ENV = "FIELDEVAL_TEST_PG_URL"
HOW = 'eval "$(bash scripts/start-postgres.sh)"'


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


@pytest.fixture(autouse=True)
def _no_store_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's FIELDEVAL_DATABASE_URL must not redirect the tests."""
    monkeypatch.delenv("FIELDEVAL_DATABASE_URL", raising=False)


@pytest.fixture(scope="session")
def pg_base_url() -> str | None:
    return os.environ.get(PG_ENV, "").strip() or None


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, pg_base_url: str | None) -> str:
    """The backend under test; PostgreSQL only when configured (see module doc)."""
    if request.param == "postgresql" and pg_base_url is None:
        if in_ci():
            pytest.fail(f"CI=true but {PG_ENV} is not set: the PostgreSQL store tests must run in CI. "
                        f"Start the server first: {HOW}")
        pytest.skip(f"PostgreSQL store tests not run: {PG_ENV} is not set (start one with: {HOW})")
    return request.param


@pytest.fixture
def store_url(backend: str, pg_base_url: str | None, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database on the backend: a SQLite file, or a fresh
    PostgreSQL schema (put first on the search path)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(pg_base_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = make_url(pg_base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def store(store_url: str):  # noqa: ANN201 - toolkit.store.Store
    from toolkit.store import open_store

    s = open_store(store_url)
    yield s
    s.close()
