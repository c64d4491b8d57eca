"""An event row holds its leaf, and every other field is a column derived from it.

`body` keeps the canonical JSON the Merkle log hashes; command, subject, moments, actor,
snapshots, reason, legal basis, states and seq become generated columns of it
(adapters/db/leaf_columns.py). The table is rebuilt: each existing event's leaf is laid out
from its columns exactly as the log hashed it, and checked against its stored leaf hash, so a
record that no longer matches stops the migration instead of being rewritten as if sound.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from repatria.adapters.db.leaf_columns import derived
from repatria.adapters.db.types import UtcDateTime
from repatria.domain.audit import canonical_json, leaf_text, stored_moment
from repatria.domain.merkle import leaf_hash

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_BATCH = 5_000
_TEXT = ("command", "subject_type", "subject_id", "actor", "reason", "legal_basis")
_JSON = ("before", "after", "states")


def _events(name: str, *, derived_columns: bool) -> sa.Table:
    """The events table, as of this revision (derived) or of the one before (plain)."""

    def field(key: str, kind: str, *args: Any, **kwargs: Any) -> sa.Column[Any]:
        if derived_columns:
            stored = key == "seq"
            return sa.Column(key, *args, derived(key, kind, stored_on_sqlite=stored), **kwargs)
        return sa.Column(key, *args, **kwargs)

    content = [
        field("command", "text", sa.String(60), nullable=False),
        field("subject_type", "text", sa.String(30), nullable=False),
        field("subject_id", "text", sa.String(40), nullable=False),
        field("occurred_at", "moment", UtcDateTime(), nullable=False),
        field("recorded_at", "moment", UtcDateTime(), nullable=False),
        field("actor", "text", sa.String(80), nullable=False),
        field(
            "actor_id", "integer", _Id, sa.ForeignKey("users.id", name=f"fk_{name}_actor_id_users")
        ),
        field(
            "organisation_id",
            "integer",
            _Id,
            sa.ForeignKey("organisations.id", name=f"fk_{name}_organisation_id_organisations"),
        ),
        field("before", "json", sa.JSON()),
        field("after", "json", sa.JSON()),
        field("reason", "text", sa.Text(), nullable=False),
        field("legal_basis", "text", sa.Text(), nullable=False),
        field("states", "json", sa.JSON(), nullable=False),
    ]
    metadata = sa.MetaData()
    for referred in ("users", "organisations"):  # named by the foreign keys, not created here
        sa.Table(referred, metadata, sa.Column("id", _Id, primary_key=True))
    head: list[sa.Column[Any]] = [sa.Column("id", _Id, primary_key=True, autoincrement=True)]
    if derived_columns:
        head += [
            sa.Column("body", sa.Text(), nullable=False),
            sa.Column("leaf_hash", sa.LargeBinary(32), nullable=False),
            field("seq", "integer", sa.BigInteger(), nullable=False),
        ]
        tail: list[Any] = []
    else:
        tail = [
            sa.Column("seq", sa.BigInteger(), nullable=False),
            sa.Column("leaf_hash", sa.LargeBinary(32), nullable=False),
        ]
    return sa.Table(
        name,
        metadata,
        *head,
        *content,
        *tail,
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        sa.UniqueConstraint("seq", name=f"uq_{name}_seq"),
    )


def _set_aside(dialect: str, *, upgrading: bool) -> None:
    """Rename the current table out of the way, with the names its index and keys hold."""
    op.drop_index("ix_events_subject", table_name="events")
    if not upgrading:
        op.drop_index("ix_events_command", table_name="events")
    op.rename_table("events", "events_old")
    if dialect == "postgresql":
        for old in ("pk_events", "uq_events_seq"):
            op.execute(f"ALTER INDEX {old} RENAME TO {old.replace('events', 'events_old')}")
        op.execute("ALTER SEQUENCE events_id_seq RENAME TO events_old_id_seq")


def _finish(dialect: str, *, upgrading: bool) -> None:
    op.drop_table("events_old")
    op.create_index("ix_events_subject", "events", ["subject_type", "subject_id"])
    if upgrading:
        # Derived on SQLite at each read: looking events up by command must not parse them all.
        op.create_index("ix_events_command", "events", ["command", "subject_type", "subject_id"])
    if dialect == "postgresql":
        op.execute(
            "SELECT setval('events_id_seq', coalesce((SELECT max(id) FROM events), 0) + 1, false)"
        )


def upgrade() -> None:
    connection = op.get_bind()
    dialect = connection.dialect.name
    _set_aside(dialect, upgrading=True)
    old = _events("events_old", derived_columns=False)
    new = _events("events", derived_columns=True)
    new.create(connection)
    insert = sa.insert(new)
    batch: list[dict[str, object]] = []
    for row in _old_rows(connection, old):
        batch.append(row)
        if len(batch) == _BATCH:
            connection.execute(insert, batch)
            batch = []
    if batch:
        connection.execute(insert, batch)
    _finish(dialect, upgrading=True)


def _old_rows(connection: sa.Connection, old: sa.Table) -> Iterator[dict[str, object]]:
    """Each event as its leaf, checked against the hash the log holds for it."""
    query = sa.select(old).order_by(old.c.seq).execution_options(yield_per=_BATCH)
    for row in connection.execute(query).mappings():
        texts = {name: canonical_json(_parsed(row[name])) for name in _JSON}
        body = leaf_text(
            seq=row["seq"],
            occurred_at=stored_moment(_utc(row["occurred_at"])),
            recorded_at=stored_moment(_utc(row["recorded_at"])),
            actor_id=row["actor_id"],
            organisation_id=row["organisation_id"],
            **{name: row[name] for name in _TEXT},
            **texts,
        )
        if leaf_hash(body.encode()) != row["leaf_hash"]:
            raise RuntimeError(
                f"event {row['id']} (seq {row['seq']}) does not match its leaf hash: run "
                "`repatria audit verify` on the previous release before migrating"
            )
        yield {"id": row["id"], "body": body, "leaf_hash": row["leaf_hash"]}


def _parsed(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


def _utc(value: object) -> datetime:
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def downgrade() -> None:
    connection = op.get_bind()
    dialect = connection.dialect.name
    _set_aside(dialect, upgrading=False)
    plain = _events("events", derived_columns=False)
    plain.create(connection)
    derived_table = _events("events_old", derived_columns=True)
    columns = [c.name for c in plain.columns]
    connection.execute(
        sa.insert(plain).from_select(columns, sa.select(*(derived_table.c[c] for c in columns)))
    )
    _finish(dialect, upgrading=False)
