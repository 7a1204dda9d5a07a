"""Alembic migrations of the evaluation store (run by toolkit.store.migrate)."""
