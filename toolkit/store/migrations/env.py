"""Alembic environment of the evaluation store.

Run only through ``toolkit.store.migrate``, which passes an open connection
(already inside a locked transaction) in ``config.attributes["connection"]``;
there is no alembic.ini and no URL here.
"""
from __future__ import annotations

from alembic import context

from toolkit.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite",
                  transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
