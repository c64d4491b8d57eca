"""Users who sign in through their organisation's OpenID Connect provider: its issuer and
subject, which link the account to the provider's (unique together).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("external_issuer", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("external_subject", sa.String(length=255), nullable=True))
        batch.create_unique_constraint(
            "uq_users_external_issuer_subject", ["external_issuer", "external_subject"]
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_external_issuer_subject", type_="unique")
        batch.drop_column("external_subject")
        batch.drop_column("external_issuer")
