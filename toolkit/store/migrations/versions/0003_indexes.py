"""Indexes for the walkthrough's and dashboards' look-ups at national size (issue 21).

Every click asks for one household or one round's rows: submission keys
and reviews by (round, household); findings by (household, type) across
rounds (a decision given without a round); units by household; the audit
trail by (table, record). Dispositions and findings by (round, household)
already have a unique constraint that leads with those columns. Without
these a round of 30,000 households is scanned whole on each click.

Revision ID: 0003_indexes
Revises: 0002_review
Create Date: 2026-11-30
"""
from __future__ import annotations

from alembic import op

revision = "0003_indexes"
down_revision = "0002_review"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_submission_keys_round_archive", "submission_keys", ("round_id", "archive_id")),
    ("ix_submission_reviews_round_archive", "submission_reviews", ("round_id", "archive_id")),
    ("ix_findings_archive_type", "findings", ("archive_id", "finding_type")),
    ("ix_units_archive", "units", ("archive_id",)),
    ("ix_audit_log_table_record", "audit_log", ("table_name", "record_key")),
)


def upgrade() -> None:
    for name, table, cols in INDEXES:
        op.create_index(name, table, list(cols))


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
