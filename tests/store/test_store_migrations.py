"""Schema migrations: a fresh database is brought to the newest revision and
stamped; an older one is upgraded; one stamped by a newer fieldeval is
refused untouched; the migrations build exactly the tables of schema.py."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from toolkit.errors import UserError
from toolkit.store import migrate, open_store
from toolkit.store.schema import metadata

TABLES = {"rounds", "roster_snapshots", "manifests", "units", "dispositions", "submission_keys",
          "findings", "notes", "overrides", "submission_reviews", "audit_log", "alembic_version",
          "checklist_entries", "forum_statements", "fix_items", "fix_updates"}


def test_fresh_database_is_upgraded_to_head_and_stamped(store_url: str) -> None:
    with open_store(store_url) as store:
        assert store.schema_version == migrate.head() == "0005_fixes"
        with store.engine.connect() as conn:
            assert migrate.current(conn) == (migrate.head(),)
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == migrate.head()
            assert TABLES <= set(sa.inspect(conn).get_table_names())
            # the migrations and schema.py describe the same tables
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    with open_store(store_url) as again:          # opening again changes nothing
        assert again.schema_version == migrate.head()


def test_old_database_is_upgraded(store_url: str) -> None:
    with open_store(store_url) as store:
        rid = store.ensure_round("r")
        cfg = migrate._config()
        with store.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")          # back to before the first revision
        with store.engine.connect() as conn:
            assert migrate.current(conn) == ()
            assert "findings" not in sa.inspect(conn).get_table_names()
    with open_store(store_url) as store:
        assert store.schema_version == migrate.head()
        assert store.ensure_round("r") == rid or store.rounds()["name"].tolist() == ["r"]


def test_newer_schema_is_refused_untouched(store_url: str) -> None:
    with open_store(store_url) as store:
        store.ensure_round("r")
        with store.engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    with pytest.raises(UserError) as e:
        open_store(store_url)
    assert e.value.key == "store.schema_newer"
    assert e.value.fields["found"] == "0099_from_the_future"
    assert e.value.fields["known"] == migrate.head()
    msg = e.value.message("en")
    assert "0099_from_the_future" in msg and "upgrade fieldeval" in msg
    assert "更新" in e.value.message("zh")
    engine = sa.create_engine(store_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0099_from_the_future"
        assert conn.execute(sa.text("SELECT name FROM rounds")).scalars().all() == ["r"]
    engine.dispose()
