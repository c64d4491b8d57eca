"""A movement's actual departure and arrival times (issue 23): movements.departed_at and
movements.arrived_at, set when the sending state's officer records the departure and the
receiving state's officer confirms arrival; NULL before then, and for movements that
departed or arrived before this revision (the time each step was recorded is in its event).
Also the language a consent hearing was held in and its interpreter
(consent_verifications.language, interpreter), NULL for hearings recorded before; and
invoice_payments, a custody contract's monthly invoice marked paid by the paying state.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("movements") as batch:
        batch.add_column(sa.Column("departed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("consent_verifications") as batch:
        batch.add_column(sa.Column("language", sa.String(40), nullable=True))
        batch.add_column(sa.Column("interpreter", sa.String(200), nullable=True))
    op.create_table(
        "invoice_payments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column(
            "contract_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("custody_contracts.id"),
            nullable=False,
        ),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column(
            "recorded_by",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.ForeignKey("users.id"),
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("contract_id", "month", name="uq_invoice_payments_contract_month"),
    )


def downgrade() -> None:
    op.drop_table("invoice_payments")
    with op.batch_alter_table("consent_verifications") as batch:
        batch.drop_column("interpreter")
        batch.drop_column("language")
    with op.batch_alter_table("movements") as batch:
        batch.drop_column("arrived_at")
        batch.drop_column("departed_at")
