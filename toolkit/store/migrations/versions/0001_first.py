"""First schema of the evaluation store: rounds, roster snapshots, manifests
and their units, dispositions, submission keys, findings, notes, overrides
and the append-only audit log (a trigger refuses UPDATE and DELETE on it).

Revision ID: 0001_first
Revises:
Create Date: 2025-01-01
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_first"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ID = sa.String(100)
WHO = sa.String(200)

PG_AUDIT_GUARD = """
CREATE FUNCTION fieldeval_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""


def upgrade() -> None:
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_rounds"),
        sa.UniqueConstraint("name", name="uq_rounds_name"),
    )
    op.create_table(
        "roster_snapshots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source_name", sa.String(500), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("read_at", sa.DateTime, nullable=False),
        sa.Column("rule", sa.String(100)),
        sa.Column("columns_json", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_roster_snapshots"),
        sa.UniqueConstraint("sha256", name="uq_roster_snapshots_sha256"),
    )
    op.create_table(
        "manifests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("round_id", sa.Integer),
        sa.Column("seed", sa.Text, nullable=False),
        sa.Column("seed_source", sa.Text),
        sa.Column("roster_sha256", sa.String(64), nullable=False),
        sa.Column("algorithm", sa.String(100)),
        sa.Column("created", sa.String(40)),
        sa.Column("saved_at", sa.DateTime, nullable=False),
        sa.Column("manifest_json", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_manifests"),
        sa.UniqueConstraint("sha256", name="uq_manifests_sha256"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_manifests_round_id_rounds"),
    )
    op.create_index("ix_manifests_round_id", "manifests", ["round_id"])
    op.create_index("ix_manifests_roster_sha256", "manifests", ["roster_sha256"])
    op.create_table(
        "units",
        sa.Column("manifest_id", sa.Integer, nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("archive_id", ID, nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("stratum", sa.Text, nullable=False),
        sa.Column("psu", sa.Text),
        sa.Column("pi1", sa.Double),
        sa.Column("pi2", sa.Double),
        sa.Column("pi", sa.Double, nullable=False),
        sa.Column("weight", sa.Double, nullable=False),
        sa.PrimaryKeyConstraint("manifest_id", "source", "archive_id", name="pk_units"),
        sa.ForeignKeyConstraint(["manifest_id"], ["manifests.id"], name="fk_units_manifest_id_manifests"),
        sa.CheckConstraint("role IN ('selected', 'reserve')", name="ck_units_role"),
    )
    op.create_table(
        "dispositions",
        sa.Column("id", BigId, nullable=False),
        sa.Column("round_id", sa.Integer, nullable=False),
        sa.Column("archive_id", ID, nullable=False),
        sa.Column("code", sa.String(30), nullable=False),
        sa.Column("visits", sa.Integer),
        sa.Column("replaced_by", ID),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("recorded_by", WHO, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_dispositions"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_dispositions_round_id_rounds"),
        sa.UniqueConstraint("round_id", "archive_id", "recorded_at",
                            name="uq_dispositions_round_id_archive_id_recorded_at"),
    )
    op.create_table(
        "submission_keys",
        sa.Column("id", BigId, nullable=False),
        sa.Column("round_id", sa.Integer, nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("archive_id", ID),
        sa.Column("form_id", sa.String(200), nullable=False),
        sa.Column("form_version", sa.String(100)),
        sa.Column("received_at", sa.DateTime),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_submission_keys"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_submission_keys_round_id_rounds"),
        sa.UniqueConstraint("round_id", "key", name="uq_submission_keys_round_id_key"),
        sa.CheckConstraint("status IN ('accepted', 'quarantined')", name="ck_submission_keys_status"),
    )
    op.create_table(
        "findings",
        sa.Column("id", BigId, nullable=False),
        sa.Column("round_id", sa.Integer, nullable=False),
        sa.Column("archive_id", ID, nullable=False),
        sa.Column("finding_type", sa.String(60), nullable=False),
        sa.Column("item", sa.String(200), nullable=False),
        sa.Column("verdict", sa.String(60)),
        sa.Column("rule", sa.Text),
        sa.Column("value_archive", sa.Text),
        sa.Column("value_visit", sa.Text),
        sa.Column("evidence", sa.Text),
        sa.Column("saved_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_findings_round_id_rounds"),
        sa.UniqueConstraint("round_id", "archive_id", "finding_type", "item",
                            name="uq_findings_round_id_archive_id_finding_type_item"),
    )
    op.create_table(
        "notes",
        sa.Column("id", BigId, nullable=False),
        sa.Column("round_id", sa.Integer),
        sa.Column("archive_id", ID, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("who", WHO, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_notes"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_notes_round_id_rounds"),
    )
    op.create_index("ix_notes_archive_id", "notes", ["archive_id"])
    op.create_table(
        "overrides",
        sa.Column("id", BigId, nullable=False),
        sa.Column("round_id", sa.Integer, nullable=False),
        sa.Column("archive_id", ID, nullable=False),
        sa.Column("finding_type", sa.String(60), nullable=False),
        sa.Column("verdict", sa.String(60), nullable=False),
        sa.Column("who", WHO, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_overrides"),
        sa.ForeignKeyConstraint(["round_id"], ["rounds.id"], name="fk_overrides_round_id_rounds"),
    )
    op.create_index("ix_overrides_round_id_archive_id_finding_type", "overrides",
                    ["round_id", "archive_id", "finding_type"])
    op.create_table(
        "audit_log",
        sa.Column("id", BigId, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("who", WHO, nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("table_name", sa.String(60), nullable=False),
        sa.Column("record_key", sa.Text, nullable=False),
        sa.Column("field", sa.String(60), nullable=False),
        sa.Column("value_before", sa.Text),
        sa.Column("value_after", sa.Text),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_AUDIT_GUARD)
        op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                   "FOR EACH ROW EXECUTE FUNCTION fieldeval_audit_append_only()")
        op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
                   "FOR EACH STATEMENT EXECUTE FUNCTION fieldeval_audit_append_only()")
    else:
        for what in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER audit_log_no_{what.lower()} BEFORE {what} ON audit_log "
                       f"BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: {what} refused'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS fieldeval_audit_append_only()")
    for table in ("audit_log", "overrides", "notes", "findings", "submission_keys", "dispositions",
                  "units", "manifests", "roster_snapshots", "rounds"):
        op.drop_table(table)
