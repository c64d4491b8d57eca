"""The tamper-evident record: events as Merkle leaves, the log's head and signed checkpoints
(docs/audit.md)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from repatria.adapters.db.leaf_columns import derived
from repatria.adapters.db.tables.base import Id, Moment, metadata

# An event is its leaf (adapters/db/leaf_columns.py): `body` holds the canonical JSON the Merkle
# log hashes, and every other field is a column the database derives from it.
events = Table(
    "events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("body", Text, nullable=False),
    # SHA-256(0x00 || body), as RFC 6962 hashes a leaf.
    Column("leaf_hash", LargeBinary(32), nullable=False),
    # The event's 0-based position in the Merkle log.
    Column("seq", BigInteger, derived("seq", "integer", stored_on_sqlite=True), nullable=False),
    Column("command", String(60), derived("command", "text"), nullable=False),
    Column("subject_type", String(30), derived("subject_type", "text"), nullable=False),
    Column("subject_id", String(40), derived("subject_id", "text"), nullable=False),
    Column("occurred_at", Moment, derived("occurred_at", "moment"), nullable=False),
    Column("recorded_at", Moment, derived("recorded_at", "moment"), nullable=False),
    Column("actor", String(80), derived("actor", "text"), nullable=False),
    Column("actor_id", Id, derived("actor_id", "integer"), ForeignKey("users.id")),
    Column(
        "organisation_id", Id, derived("organisation_id", "integer"), ForeignKey("organisations.id")
    ),
    Column("before", JSON, derived("before", "json")),
    Column("after", JSON, derived("after", "json")),
    Column("reason", Text, derived("reason", "text"), nullable=False),
    Column("legal_basis", Text, derived("legal_basis", "text"), nullable=False),
    Column("states", JSON, derived("states", "json"), nullable=False),
    UniqueConstraint("seq"),
)
Index("ix_events_subject", events.c.subject_type, events.c.subject_id)
# By command (the arrivals a statistics page counts): on SQLite the command is derived from
# the leaf at each read, so a scan of every event would parse every leaf.
Index("ix_events_command", events.c.command, events.c.subject_type, events.c.subject_id)

# The Merkle log's head: one row, locked by each writer, holding the size and the compact
# frontier (one hash per perfect subtree) from which the current root follows.
audit_log_head = Table(
    "audit_log_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("size", BigInteger, nullable=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("frontier", LargeBinary, nullable=False),
)

# Signed tree heads: Ed25519 over the message in docs/audit.md.
audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("id", Id, primary_key=True),
    Column("tree_size", BigInteger, nullable=False, unique=True),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("signed_at", Moment, nullable=False),
    Column("signature", LargeBinary(64), nullable=False),
    Column("key_id", String(64), nullable=False),
)

# A signed checkpoint asked for from the web (the web process never reads the signing key):
# pending until `repatria audit checkpoint` signs a checkpoint whose tree holds the request's
# own event, which it then names (docs/decisions/0007-checkpoints-requested-from-the-web.md).
checkpoint_requests = Table(
    "checkpoint_requests",
    metadata,
    Column("id", Id, primary_key=True),
    Column("requested_at", Moment, nullable=False),
    Column("requested_by", Id, ForeignKey("users.id"), nullable=False),
    Column("reason", String(500), nullable=False),
    # The size of the checkpoint that answered it; NULL while it is pending.
    Column("answered_by_size", BigInteger),
    Column("answered_at", Moment),
)
Index("ix_checkpoint_requests_pending", checkpoint_requests.c.answered_by_size)
