"""The fix list (整改清单, issue 19 item 4): the items generated from a round's
results and the union's plan for each, only ever added.

``fix_items``: one row per item of a round (stable item number, county, kind,
subject: the indicator, finding type or checklist item it is about, the
indicator it is meant to move, households concerned), written at export.
``fix_updates``: every state the union's plan gave an item (unit, person in
charge as a role, deadline, status, evidence, note), with who read it in,
when and from which file; a trigger refuses UPDATE and DELETE, so the
history of an item is append-only (its state is its latest row).

Revision ID: 0005_fixes
Revises: 0003_indexes
Create Date: 2026-11-30
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_fixes"
down_revision = "0004_checklist"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ITEM = sa.String(40)

_PG_FUNCTION = """
CREATE FUNCTION fieldeval_fix_updates_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'fix_updates is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""


def upgrade() -> None:
    op.create_table(
        "fix_items",
        sa.Column("id", BigId, nullable=False),
        sa.Column("round_id", sa.Integer, nullable=False),
        sa.Column("item_id", ITEM, nullable=False),
        sa.Column("county", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("indicator", sa.String(100)),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("n_households", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_fix_items"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_fix_items_round_id_rounds"),
        sa.UniqueConstraint("round_id", "item_id", name="uq_fix_items_round_id_item_id"),
        sa.CheckConstraint("kind IN ('indicator', 'finding', 'checklist')", name="ck_fix_items_kind"),
    )
    op.create_table(
        "fix_updates",
        sa.Column("id", BigId, nullable=False),
        sa.Column("round_id", sa.Integer, nullable=False),
        sa.Column("item_id", ITEM, nullable=False),
        sa.Column("unit", sa.String(200), nullable=False),
        sa.Column("person", sa.String(200), nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("evidence", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("source", sa.String(300)),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_fix_updates"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_fix_updates_round_id_rounds"),
        sa.CheckConstraint("status IN ('open', 'in_progress', 'done', 'verified')", name="ck_fix_updates_status"),
    )
    op.create_index("ix_fix_updates_round_item", "fix_updates", ["round_id", "item_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute("CREATE TRIGGER fix_updates_append_only BEFORE UPDATE OR DELETE ON fix_updates "
                   "FOR EACH ROW EXECUTE FUNCTION fieldeval_fix_updates_append_only()")
    else:
        for what in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER fix_updates_no_{what.lower()} BEFORE {what} ON fix_updates "
                       f"BEGIN SELECT RAISE(ABORT, 'fix_updates is append-only: {what} refused'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS fix_updates_append_only ON fix_updates")
        op.execute("DROP FUNCTION IF EXISTS fieldeval_fix_updates_append_only()")
    op.drop_index("ix_fix_updates_round_item", table_name="fix_updates")
    op.drop_table("fix_updates")
    op.drop_table("fix_items")
