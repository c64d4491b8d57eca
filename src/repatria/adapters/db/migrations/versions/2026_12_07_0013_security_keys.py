"""Security keys (WebAuthn) and recovery codes (issue 22): `security_keys`, `recovery_codes`
(argon2 hashes), `webauthn_challenges` (each usable once), `pending_sign_ins` (a first factor
passed, the key still due) and `credentials.issuer` (the provider a session came through, for
signing out there too).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Moment = sa.DateTime(timezone=True)


def _table(name: str, *columns: sa.Column[object], unique: str | None = None) -> None:
    # Every table: an id, its user (indexed) and these columns; constraints named as
    # tables.py's naming convention names them.
    constraints: list[sa.Constraint] = [
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=f"fk_{name}_user_id_users"),
    ]
    if unique:
        constraints.append(sa.UniqueConstraint(unique, name=f"uq_{name}_{unique}"))
    op.create_table(
        name,
        sa.Column("id", Id, nullable=False),
        sa.Column("user_id", Id, nullable=False),
        *columns,
        *constraints,
    )
    op.create_index(f"ix_{name}_user_id", name, ["user_id"], unique=False)


def upgrade() -> None:
    _table(
        "security_keys",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("credential_id", sa.LargeBinary(length=1023), nullable=False),
        sa.Column("public_key", sa.LargeBinary(length=2048), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column("transports", sa.String(length=200), nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("last_used_at", Moment, nullable=True),
        unique="credential_id",
    )
    _table(
        "recovery_codes",
        sa.Column("lookup", sa.String(length=8), nullable=False),
        sa.Column("code_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("used_at", Moment, nullable=True),
    )
    _table(
        "webauthn_challenges",
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("challenge", sa.LargeBinary(length=64), nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("expires_at", Moment, nullable=False),
        sa.Column("used_at", Moment, nullable=True),
    )
    _table(
        "pending_sign_ins",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("created_at", Moment, nullable=False),
        sa.Column("expires_at", Moment, nullable=False),
        sa.Column("ended_at", Moment, nullable=True),
        unique="token_hash",
    )
    with op.batch_alter_table("credentials") as batch:
        batch.add_column(sa.Column("issuer", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.drop_column("issuer")
    for table in ("pending_sign_ins", "webauthn_challenges", "recovery_codes", "security_keys"):
        op.drop_table(table)
