"""Checkpoints asked for from the web (issue 23): checkpoint_requests, one row per request an
auditor or administrator makes on the record page, pending until `repatria audit checkpoint`
(the only process that reads the signing key) signs a checkpoint covering the request's
event and writes its size in answered_by_size.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "checkpoint_requests",
        sa.Column("id", ID, primary_key=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", ID, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("answered_by_size", sa.BigInteger(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_checkpoint_requests_pending", "checkpoint_requests", ["answered_by_size"])


def downgrade() -> None:
    op.drop_index("ix_checkpoint_requests_pending", "checkpoint_requests")
    op.drop_table("checkpoint_requests")
