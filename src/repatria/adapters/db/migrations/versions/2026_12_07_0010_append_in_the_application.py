"""PostgreSQL appends events to the Merkle log in the application again, as SQLite does.

Drops `repatria_append_events` (migration 0008): one implementation of the log, the Python one
(domain/merkle.py, services/unit_of_work.append_to_log), on both databases (docs/decisions/
0003-one-merkle-implementation.md). The downgrade creates the function again, from 0008.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS repatria_append_events(text, text)")


def downgrade() -> None:
    # 0008's own upgrade, which creates the function (on PostgreSQL only).
    path = Path(__file__).with_name("2026_12_01_0008_append_in_the_database.py")
    spec = importlib.util.spec_from_file_location("repatria_migration_0008", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.upgrade()
