"""The tables of the evaluation store (SQLAlchemy Core), as of the newest revision.

The migrations in ``migrations/versions`` build exactly these tables; a test
compares the two so they cannot drift. Times are UTC without a zone (the
same on SQLite and PostgreSQL). No table has a column for a name, ID number,
phone, address or bank card: the store keeps archive ids, codes and
fingerprints, never the roster's personal fields.
"""
from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

# An autoincrementing 64-bit key on PostgreSQL; SQLite only autoincrements INTEGER.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
ID = sa.String(100)          # archive ids, submission keys
WHO = sa.String(200)

rounds = sa.Table(
    "rounds", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("note", sa.Text),
)

roster_snapshots = sa.Table(
    "roster_snapshots", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("source_name", sa.String(500), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("read_at", sa.DateTime, nullable=False),
    sa.Column("rule", sa.String(100)),
    sa.Column("columns_json", sa.Text),  # per-column SHA-256 digests, no values
)

manifests = sa.Table(
    "manifests", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),  # of the canonical JSON
    sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id"), index=True),
    sa.Column("seed", sa.Text, nullable=False),
    sa.Column("seed_source", sa.Text),
    sa.Column("roster_sha256", sa.String(64), nullable=False, index=True),
    sa.Column("algorithm", sa.String(100)),
    sa.Column("created", sa.String(40)),  # the manifest's own "created" text
    sa.Column("saved_at", sa.DateTime, nullable=False),
    sa.Column("manifest_json", sa.Text, nullable=False),
)

units = sa.Table(
    "units", metadata,
    sa.Column("manifest_id", sa.Integer, sa.ForeignKey("manifests.id"), primary_key=True),
    sa.Column("source", sa.String(20), primary_key=True),
    sa.Column("archive_id", ID, primary_key=True),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("stratum", sa.Text, nullable=False),
    sa.Column("psu", sa.Text),
    sa.Column("pi1", sa.Double),
    sa.Column("pi2", sa.Double),
    sa.Column("pi", sa.Double, nullable=False),
    sa.Column("weight", sa.Double, nullable=False),
    sa.Index("ix_units_archive", "archive_id"),   # 0003
    sa.CheckConstraint("role IN ('selected', 'reserve')", name="role"),
)

dispositions = sa.Table(
    "dispositions", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id"), nullable=False),
    sa.Column("archive_id", ID, nullable=False),
    sa.Column("code", sa.String(30), nullable=False),
    sa.Column("visits", sa.Integer),
    sa.Column("replaced_by", ID),
    sa.Column("recorded_at", sa.DateTime, nullable=False),
    sa.Column("recorded_by", WHO, nullable=False),
    sa.UniqueConstraint("round_id", "archive_id", "recorded_at"),
)

submission_keys = sa.Table(
    "submission_keys", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id"), nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("archive_id", ID),
    sa.Column("form_id", sa.String(200), nullable=False),
    sa.Column("form_version", sa.String(100)),
    sa.Column("received_at", sa.DateTime),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("review_state", sa.String(20)),  # the platform's, toolkit.ingest.review_state (0002)
    sa.UniqueConstraint("round_id", "key"),
    sa.Index("ix_submission_keys_round_archive", "round_id", "archive_id"),   # 0003
    sa.CheckConstraint("status IN ('accepted', 'quarantined')", name="status"),
)

findings = sa.Table(
    "findings", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id"), nullable=False),
    sa.Column("archive_id", ID, nullable=False),
    sa.Column("finding_type", sa.String(60), nullable=False),
    sa.Column("item", sa.String(200), nullable=False),  # field or payment; "" for one per type
    sa.Column("verdict", sa.String(60)),
    sa.Column("rule", sa.Text),
    sa.Column("value_archive", sa.Text),
    sa.Column("value_visit", sa.Text),
    sa.Column("evidence", sa.Text),  # JSON
    sa.Column("saved_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("round_id", "archive_id", "finding_type", "item"),
    sa.Index("ix_findings_archive_type", "archive_id", "finding_type"),   # 0003
)

notes = sa.Table(
    "notes", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id")),
    sa.Column("archive_id", ID, nullable=False, index=True),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("who", WHO, nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
)

overrides = sa.Table(
    "overrides", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id"), nullable=False),
    sa.Column("archive_id", ID, nullable=False),
    sa.Column("finding_type", sa.String(60), nullable=False),
    sa.Column("verdict", sa.String(60), nullable=False),
    sa.Column("who", WHO, nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Index(None, "round_id", "archive_id", "finding_type"),
)

submission_reviews = sa.Table(
    # an evaluator's status of a submission (0002): only ever added, the latest counts
    "submission_reviews", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id"), nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("archive_id", ID),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("who", WHO, nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Index(None, "round_id", "key"),
    sa.Index("ix_submission_reviews_round_archive", "round_id", "archive_id"),   # 0003
    sa.CheckConstraint("status IN ('to_review', 'approved', 'rejected', 'sent_back')", name="status"),
)

checklist_entries = sa.Table(
    # document review (0004, toolkit.checklist): only ever added, the latest per round × county × item counts
    "checklist_entries", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id"), nullable=False),
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
    sa.Index(None, "round_id", "county", "item_id"),
    sa.CheckConstraint("status IN ('met', 'partly', 'not_met', 'not_applicable')", name="status"),
)

forum_statements = sa.Table(
    # forum notes (0004, toolkit.forums): roles never names; the latest per round × forum × statement counts
    "forum_statements", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id"), nullable=False),
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
    sa.Index(None, "round_id", "forum_id", "seq"),
    sa.CheckConstraint("stance IN ('supports', 'contradicts', 'neither', 'withdrawn')", name="stance"),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("who", WHO, nullable=False),
    sa.Column("why", sa.Text, nullable=False),
    sa.Column("table_name", sa.String(60), nullable=False),
    sa.Column("record_key", sa.Text, nullable=False),
    sa.Column("field", sa.String(60), nullable=False),
    sa.Column("value_before", sa.Text),
    sa.Column("value_after", sa.Text),
    sa.Index("ix_audit_log_table_record", "table_name", "record_key"),   # 0003
)

# --- the fix list (issue 19 item 4, migration 0005_fixes; toolkit.fixes.store) ---------------
fix_items = sa.Table(
    # a round's fix items as exported: stable number, county, kind, what it is about
    "fix_items", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id"), nullable=False),
    sa.Column("item_id", sa.String(40), nullable=False),
    sa.Column("county", sa.String(100), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("indicator", sa.String(100)),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("n_households", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("round_id", "item_id"),
    sa.CheckConstraint("kind IN ('indicator', 'finding', 'checklist')", name="kind"),
)

fix_updates = sa.Table(
    # every state the union's plan gave an item: only ever added (a trigger refuses UPDATE/DELETE)
    "fix_updates", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id"), nullable=False),
    sa.Column("item_id", sa.String(40), nullable=False),
    sa.Column("unit", sa.String(200), nullable=False),
    sa.Column("person", sa.String(200), nullable=False),
    sa.Column("deadline", sa.Date, nullable=False),
    sa.Column("status", sa.String(12), nullable=False),
    sa.Column("evidence", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("source", sa.String(300)),
    sa.Column("who", WHO, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Index("ix_fix_updates_round_item", "round_id", "item_id"),
    sa.CheckConstraint("status IN ('open', 'in_progress', 'done', 'verified')", name="status"),
)

__all__ = ["metadata", "rounds", "roster_snapshots", "manifests", "units", "dispositions",
           "submission_keys", "findings", "notes", "overrides", "submission_reviews", "checklist_entries",
           "forum_statements", "audit_log"]
