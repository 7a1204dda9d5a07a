"""The evaluator's review (issue 17): the platform's review state on each
submission key, and the evaluators' statuses of submissions (to review,
approved, rejected, sent back with a comment), only ever added.

Decisions on findings (confirmed / overturned / unclear) are verdict
overrides (table ``overrides``, 0001): no change there.

Revision ID: 0002_review
Revises: 0001_first
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_review"
down_revision = "0001_first"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ID = sa.String(100)
WHO = sa.String(200)


def upgrade() -> None:
    op.add_column("submission_keys", sa.Column("review_state", sa.String(20)))
    op.create_table(
        "submission_reviews",
        sa.Column("id", BigId, nullable=False),
        sa.Column("round_id", sa.Integer, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("archive_id", ID),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("who", WHO, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_submission_reviews"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_submission_reviews_round_id_rounds"),
        sa.CheckConstraint("status IN ('to_review', 'approved', 'rejected', 'sent_back')",
                           name="ck_submission_reviews_status"),
    )
    op.create_index("ix_submission_reviews_round_id_key", "submission_reviews", ["round_id", "key"])


def downgrade() -> None:
    op.drop_index("ix_submission_reviews_round_id_key", table_name="submission_reviews")
    op.drop_table("submission_reviews")
    with op.batch_alter_table("submission_keys") as b:
        b.drop_column("review_state")
