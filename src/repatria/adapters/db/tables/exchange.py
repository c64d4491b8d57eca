"""Federation with peer states (docs/federation.md)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from repatria.adapters.db.tables.base import Id, Moment, metadata

# Federation (docs/federation.md): each checkpoint also signed as a C2SP signed note, the peer
# states with their pinned keys, the outbox and inbox of signed envelopes (kept verbatim), and
# the checkpoints each peer sent, against which its next ones are checked.
checkpoint_notes = Table(
    "checkpoint_notes",
    metadata,
    Column("tree_size", BigInteger, primary_key=True, autoincrement=False),
    Column("note", Text, nullable=False),
)
peers = Table(
    "peers",
    metadata,
    Column("id", Id, primary_key=True),
    Column("state", String(2), nullable=False, unique=True),
    Column("base_url", String(500), nullable=False),
    Column("added_at", Moment, nullable=False),
    Column("next_in_seq", BigInteger, nullable=False),
    Column("halted_at", Moment),
    Column("halted_reason", Text),
)
peer_keys = Table(
    "peer_keys",
    metadata,
    Column("id", Id, primary_key=True),
    Column("peer_id", Id, ForeignKey("peers.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("purpose", String(20), nullable=False),  # "exchange" (envelopes) or "checkpoint"
    Column("public_key", String(64), nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("accepted_until", Date),
    UniqueConstraint("peer_id", "purpose", "public_key"),
)
exchange_outbox = Table(
    "exchange_outbox",
    metadata,
    Column("id", Id, primary_key=True),
    Column("peer_state", String(2), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("message_id", String(64), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("case_reference", String(64)),
    Column("checkpoint_size", BigInteger),
    Column("envelope", Text, nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("delivered_at", Moment),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", Moment, nullable=False),
    Column("last_error", Text),
    UniqueConstraint("peer_state", "seq"),
)
exchange_inbox = Table(
    "exchange_inbox",
    metadata,
    Column("id", Id, primary_key=True),
    Column("peer_state", String(2), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("message_id", String(64), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("envelope", Text, nullable=False),
    Column("received_at", Moment, nullable=False),
    Column("processed_at", Moment),
    UniqueConstraint("peer_state", "seq"),
)
peer_checkpoints = Table(
    "peer_checkpoints",
    metadata,
    Column("id", Id, primary_key=True),
    Column("peer_state", String(2), nullable=False),
    Column("tree_size", BigInteger, nullable=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("note", Text, nullable=False),
    Column("message_id", String(64), nullable=False),
    Column("received_at", Moment, nullable=False),
    UniqueConstraint("peer_state", "tree_size"),
)
