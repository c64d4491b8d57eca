"""Peers, the outbox and inbox of signed messages, and the witnessed checkpoints of each peer
(issue 19; docs/federation.md): `checkpoint_notes` (each signed checkpoint also as a C2SP signed
note), `peers` and their pinned `peer_keys`, `exchange_outbox`, `exchange_inbox` and
`peer_checkpoints`.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "checkpoint_notes",
        sa.Column("tree_size", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tree_size", name="pk_checkpoint_notes"),
    )
    op.create_table(
        "peers",
        sa.Column("id", Id, primary_key=True),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("base_url", sa.String(500), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_in_seq", sa.BigInteger(), nullable=False),
        sa.Column("halted_at", sa.DateTime(timezone=True)),
        sa.Column("halted_reason", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_peers"),
        sa.UniqueConstraint("state", name="uq_peers_state"),
    )
    op.create_table(
        "peer_keys",
        sa.Column("id", Id, primary_key=True),
        sa.Column("peer_id", Id, nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("public_key", sa.String(64), nullable=False),
        sa.Column("key_id", sa.String(64), nullable=False),
        sa.Column("accepted_until", sa.Date()),
        sa.PrimaryKeyConstraint("id", name="pk_peer_keys"),
        sa.ForeignKeyConstraint(
            ["peer_id"], ["peers.id"], name="fk_peer_keys_peer_id_peers", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("peer_id", "purpose", "public_key", name="uq_peer_keys_peer_id"),
    )
    op.create_index("ix_peer_keys_peer_id", "peer_keys", ["peer_id"])
    op.create_table(
        "exchange_outbox",
        sa.Column("id", Id, primary_key=True),
        sa.Column("peer_state", sa.String(2), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("case_reference", sa.String(64)),
        sa.Column("checkpoint_size", sa.BigInteger()),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True)),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_exchange_outbox"),
        sa.UniqueConstraint("message_id", name="uq_exchange_outbox_message_id"),
        sa.UniqueConstraint("peer_state", "seq", name="uq_exchange_outbox_peer_state"),
    )
    op.create_table(
        "exchange_inbox",
        sa.Column("id", Id, primary_key=True),
        sa.Column("peer_state", sa.String(2), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_exchange_inbox"),
        sa.UniqueConstraint("message_id", name="uq_exchange_inbox_message_id"),
        sa.UniqueConstraint("peer_state", "seq", name="uq_exchange_inbox_peer_state"),
    )
    op.create_table(
        "peer_checkpoints",
        sa.Column("id", Id, primary_key=True),
        sa.Column("peer_state", sa.String(2), nullable=False),
        sa.Column("tree_size", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_peer_checkpoints"),
        sa.UniqueConstraint("peer_state", "tree_size", name="uq_peer_checkpoints_peer_state"),
    )


def downgrade() -> None:
    for table in (
        "peer_checkpoints",
        "exchange_inbox",
        "exchange_outbox",
        "peer_keys",
        "peers",
        "checkpoint_notes",
    ):
        op.drop_table(table)
