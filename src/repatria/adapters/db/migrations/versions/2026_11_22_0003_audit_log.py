"""Audit log: events numbered and hashed into a Merkle log, its head, and signed checkpoints.

Existing events are numbered in id order, their JSON columns rewritten as canonical text and
their leaf hashes computed, so a database that already holds a record keeps all of it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 21:10:00.000000
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from repatria.domain.audit import canonical_json, leaf_text, stored_moment
from repatria.domain.merkle import Frontier, leaf_hash

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "audit_checkpoints",
        sa.Column("id", _Id, nullable=False),
        sa.Column("tree_size", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signature", sa.LargeBinary(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checkpoints")),
        sa.UniqueConstraint("tree_size", name=op.f("uq_audit_checkpoints_tree_size")),
    )
    head = op.create_table(
        "audit_log_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("frontier", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log_head")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=True))
    frontier = _number_existing_events()
    op.bulk_insert(
        head,
        [
            {
                "id": 1,
                "size": frontier.size,
                "root_hash": frontier.root(),
                "frontier": frontier.to_bytes(),
            }
        ],
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column("leaf_hash", existing_type=sa.LargeBinary(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_events_seq"), ["seq"])


def _number_existing_events() -> Frontier:
    """Give the events already recorded their place in the log, in the order they were made."""
    events = sa.table(
        "events",
        *(sa.column(name) for name in _TEXT_COLUMNS),
        sa.column("id"),
        sa.column("actor_id"),
        sa.column("organisation_id"),
        sa.column("occurred_at", sa.DateTime(timezone=True)),
        sa.column("recorded_at", sa.DateTime(timezone=True)),
        sa.column("before", sa.Text()),
        sa.column("after", sa.Text()),
        sa.column("states", sa.Text()),
        sa.column("seq"),
        sa.column("leaf_hash"),
    )
    connection = op.get_bind()
    frontier = Frontier()
    rows = connection.execute(sa.select(events).order_by(events.c.id)).mappings().all()
    for row in rows:
        texts = {name: canonical_json(_parsed(row[name])) for name in ("before", "after", "states")}
        leaf = leaf_text(
            seq=frontier.size,
            occurred_at=stored_moment(_utc(row["occurred_at"])),
            recorded_at=stored_moment(_utc(row["recorded_at"])),
            actor_id=row["actor_id"],
            organisation_id=row["organisation_id"],
            **{name: row[name] for name in _TEXT_COLUMNS},
            **texts,
        )
        hashed = leaf_hash(leaf.encode())
        json_values = {
            name: _as_json(value, connection.dialect.name) for name, value in texts.items()
        }
        connection.execute(
            events.update()
            .where(events.c.id == row["id"])
            .values(seq=frontier.size, leaf_hash=hashed, **json_values)
        )
        frontier.append(hashed)
    return frontier


_TEXT_COLUMNS = ("command", "subject_type", "subject_id", "actor", "reason", "legal_basis")


def _as_json(value: str, dialect: str) -> object:
    # PostgreSQL needs the text cast to json; SQLite stores the text as it is.
    literal = sa.literal(value, sa.Text())
    return sa.cast(literal, sa.JSON()) if dialect == "postgresql" else literal


def _parsed(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


def _utc(value: object) -> datetime:
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_events_seq"), type_="unique")
        batch_op.drop_column("leaf_hash")
        batch_op.drop_column("seq")

    op.drop_table("audit_log_head")
    op.drop_table("audit_checkpoints")
