"""The country a written notice names (a third-country removal needs it named).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 08:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: a notice recorded before this column says nothing of the country it named.
    with op.batch_alter_table("notices") as batch:
        batch.add_column(sa.Column("country", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notices") as batch:
        batch.drop_column("country")
