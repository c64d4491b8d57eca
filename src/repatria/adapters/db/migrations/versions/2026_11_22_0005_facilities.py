"""Facilities, units and cells, the stays that fill them, custody contracts, and the database
facts an assessment used.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 23:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# Exact decimals: NUMERIC on PostgreSQL, text on SQLite (see adapters/db/types.py).
EXACT = sa.Numeric(precision=18, scale=4).with_variant(sa.String(length=40), "sqlite")
MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "facilities",
        sa.Column("id", ID, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("standard", sa.String(length=10), nullable=False),
        sa.Column("declared_capacity", sa.Integer(), nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilities")),
        sa.UniqueConstraint("code", name=op.f("uq_facilities_code")),
    )
    op.create_index(op.f("ix_facilities_state"), "facilities", ["state"])
    op.create_table(
        "facility_units",
        sa.Column("id", ID, nullable=False),
        sa.Column("facility_id", ID, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("declared_capacity", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facilities.id"],
            name=op.f("fk_facility_units_facility_id_facilities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility_units")),
        sa.UniqueConstraint("facility_id", "code", name="uq_facility_units_facility_id_code"),
    )
    op.create_index(op.f("ix_facility_units_facility_id"), "facility_units", ["facility_id"])
    op.create_table(
        "cells",
        sa.Column("id", ID, nullable=False),
        sa.Column("unit_id", ID, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("floor_area_m2", EXACT, nullable=False),
        sa.Column("sanitary_area_m2", EXACT, nullable=False),
        sa.Column("beds", sa.Integer(), nullable=False),
        sa.Column("security_level", sa.String(length=20), nullable=False),
        sa.Column("occupancy", sa.String(length=10), nullable=False),
        sa.Column("declared_capacity", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["facility_units.id"], name=op.f("fk_cells_unit_id_facility_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cells")),
        sa.UniqueConstraint("unit_id", "code", name="uq_cells_unit_id_code"),
    )
    op.create_index(op.f("ix_cells_unit_id"), "cells", ["unit_id"])
    op.create_table(
        "custody_contracts",
        sa.Column("id", ID, nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("payer_state", sa.String(length=2), nullable=False),
        sa.Column("host_state", sa.String(length=2), nullable=False),
        sa.Column("facility_id", ID, nullable=True),
        sa.Column("fee_basis", sa.String(length=20), nullable=False),
        sa.Column("fee", EXACT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("cap_people", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("funding_source", sa.Text(), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("created_by", ID, nullable=True),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facilities.id"],
            name=op.f("fk_custody_contracts_facility_id_facilities"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_custody_contracts_created_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_contracts")),
        sa.UniqueConstraint("reference", name=op.f("uq_custody_contracts_reference")),
    )
    op.create_index(op.f("ix_custody_contracts_payer_state"), "custody_contracts", ["payer_state"])
    op.create_index(op.f("ix_custody_contracts_host_state"), "custody_contracts", ["host_state"])
    op.create_table(
        "stays",
        sa.Column("id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("cell_id", ID, nullable=False),
        sa.Column("arrival", sa.Date(), nullable=False),
        sa.Column("release", sa.Date(), nullable=True),
        sa.Column("contract_id", ID, nullable=True),
        sa.Column("security_level", sa.String(length=20), nullable=False),
        sa.Column("affiliation_group", sa.String(length=60), nullable=True),
        sa.Column("affiliation_source", sa.String(length=200), nullable=True),
        sa.Column("affiliation_recorded_on", sa.Date(), nullable=True),
        sa.Column("affiliation_verified", sa.Boolean(), nullable=True),
        sa.Column("placed_by", ID, nullable=True),
        sa.Column("placed_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_stays_person_id_people")
        ),
        sa.ForeignKeyConstraint(["cell_id"], ["cells.id"], name=op.f("fk_stays_cell_id_cells")),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["custody_contracts.id"],
            name=op.f("fk_stays_contract_id_custody_contracts"),
        ),
        sa.ForeignKeyConstraint(["placed_by"], ["users.id"], name=op.f("fk_stays_placed_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stays")),
    )
    op.create_index(op.f("ix_stays_person_id"), "stays", ["person_id"])
    op.create_index(op.f("ix_stays_cell_id"), "stays", ["cell_id"])
    op.create_index(op.f("ix_stays_contract_id"), "stays", ["contract_id"])
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("context_facts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_column("context_facts")
    for table, indexes in (
        ("stays", ("ix_stays_contract_id", "ix_stays_cell_id", "ix_stays_person_id")),
        (
            "custody_contracts",
            ("ix_custody_contracts_host_state", "ix_custody_contracts_payer_state"),
        ),
        ("cells", ("ix_cells_unit_id",)),
        ("facility_units", ("ix_facility_units_facility_id",)),
        ("facilities", ("ix_facilities_state",)),
    ):
        for index in indexes:
            op.drop_index(op.f(index), table_name=table)
        op.drop_table(table)
