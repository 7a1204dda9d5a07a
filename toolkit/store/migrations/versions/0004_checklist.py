"""Document review and forum notes (issue 19, items 1 and 3).

``checklist_entries``: an evaluator's assessment of one checklist item
(toolkit.checklist, 查阅档案资料) for one county in one round — status
(met / partly / not_met / not_applicable), evidence (document name, page,
photo file) and a note — with who and when. ``forum_statements``: one
statement of a forum (座谈会) with the forum's county, date and participant
roles (never names), tagged to an aspect (and optionally a finding type),
and whether it supports or contradicts the visit evidence. Both only ever
added, like the submission reviews: the latest entry per key counts.

Revision ID: 0004_checklist
Revises: 0003_indexes
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_checklist"
down_revision = "0003_indexes"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHO = sa.String(200)


def upgrade() -> None:
    op.create_table(
        "checklist_entries",
        sa.Column("id", BigId, nullable=False),
        sa.Column("round_id", sa.Integer, nullable=False),
        sa.Column("county", sa.String(100), nullable=False),
        sa.Column("item_id", sa.String(40), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("document", sa.Text),
        sa.Column("page", sa.String(100)),
        sa.Column("photo", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("who", WHO, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checklist_entries"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_checklist_entries_round_id_rounds"),
        sa.CheckConstraint("status IN ('met', 'partly', 'not_met', 'not_applicable')",
                           name="ck_checklist_entries_status"),
    )
    op.create_index("ix_checklist_entries_round_id_county_item_id", "checklist_entries",
                    ["round_id", "county", "item_id"])
    op.create_table(
        "forum_statements",
        sa.Column("id", BigId, nullable=False),
        sa.Column("round_id", sa.Integer, nullable=False),
        sa.Column("forum_id", sa.String(100), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("county", sa.String(100), nullable=False),
        sa.Column("held_on", sa.Date, nullable=False),
        sa.Column("roles", sa.Text, nullable=False),
        sa.Column("aspect", sa.String(20), nullable=False),
        sa.Column("finding_type", sa.String(60)),
        sa.Column("stance", sa.String(12), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("who", WHO, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_forum_statements"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_forum_statements_round_id_rounds"),
        sa.CheckConstraint("stance IN ('supports', 'contradicts', 'neither', 'withdrawn')",
                           name="ck_forum_statements_stance"),
    )
    op.create_index("ix_forum_statements_round_id_forum_id_seq", "forum_statements",
                    ["round_id", "forum_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_forum_statements_round_id_forum_id_seq", table_name="forum_statements")
    op.drop_table("forum_statements")
    op.drop_index("ix_checklist_entries_round_id_county_item_id", table_name="checklist_entries")
    op.drop_table("checklist_entries")
