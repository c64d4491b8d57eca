"""Amendments to the law under review (issue 21): `law_amendments`, one row per proposal,
with its YAML overlay, who proposed and decided it, and the day it takes effect.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "law_amendments",
        sa.Column("id", Id, nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("file_name", sa.String(200), nullable=False),
        sa.Column("folder", sa.String(20), nullable=False),
        sa.Column("target", sa.String(60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("adds", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("proposed_by", Id, nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", Id, nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposed_by"], ["users.id"], name="fk_law_amendments_proposed_by_users"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name="fk_law_amendments_decided_by_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_law_amendments"),
    )
    op.create_index("ix_law_amendments_state", "law_amendments", ["state"])
    op.create_index("ix_law_amendments_status", "law_amendments", ["status"])


def downgrade() -> None:
    op.drop_index("ix_law_amendments_status", table_name="law_amendments")
    op.drop_index("ix_law_amendments_state", table_name="law_amendments")
    op.drop_table("law_amendments")
