"""Facilities, units and cells, the stays that fill them, custody contracts and their paid
invoices (docs/facilities.md)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from repatria.adapters.db.tables.base import Id, Moment, metadata
from repatria.adapters.db.types import EnumValue, ExactDecimal
from repatria.domain.facilities import Occupancy
from repatria.domain.money import FeeBasis

# Facilities, units and cells (areas exact, sanitary annex apart), the stays that fill them,
# and the custody contracts under which a host holds another state's people (docs/facilities.md).
facilities = Table(
    "facilities",
    metadata,
    Column("id", Id, primary_key=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("state", String(2), nullable=False, index=True),
    Column("standard", String(10), nullable=False),
    Column("declared_capacity", Integer),
    Column("created_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False),
    Column("version", Integer, nullable=False),
)
facility_units = Table(
    "facility_units",
    metadata,
    Column("id", Id, primary_key=True),
    Column("facility_id", Id, ForeignKey("facilities.id"), nullable=False, index=True),
    Column("code", String(40), nullable=False),
    Column("name", String(200), nullable=False),
    Column("declared_capacity", Integer),
    UniqueConstraint("facility_id", "code", name="uq_facility_units_facility_id_code"),
)
cells = Table(
    "cells",
    metadata,
    Column("id", Id, primary_key=True),
    Column("unit_id", Id, ForeignKey("facility_units.id"), nullable=False, index=True),
    Column("code", String(40), nullable=False),
    Column("floor_area_m2", ExactDecimal(), nullable=False),
    Column("sanitary_area_m2", ExactDecimal(), nullable=False),
    Column("beds", Integer, nullable=False),
    Column("security_level", String(20), nullable=False),
    Column("occupancy", EnumValue(Occupancy, 10), nullable=False),
    Column("declared_capacity", Integer),
    UniqueConstraint("unit_id", "code", name="uq_cells_unit_id_code"),
)
custody_contracts = Table(
    "custody_contracts",
    metadata,
    Column("id", Id, primary_key=True),
    Column("reference", String(60), nullable=False, unique=True),
    Column("payer_state", String(2), nullable=False, index=True),
    Column("host_state", String(2), nullable=False, index=True),
    Column("facility_id", Id, ForeignKey("facilities.id")),
    Column("fee_basis", EnumValue(FeeBasis, 20), nullable=False),
    Column("fee", ExactDecimal(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("cap_people", Integer),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("funding_source", Text, nullable=False),
    Column("citation", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("created_by", Id, ForeignKey("users.id")),
    Column("created_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False),
    Column("version", Integer, nullable=False),
)
# A month's invoice of a custody contract marked paid by the paying state (migration 0017).
invoice_payments = Table(
    "invoice_payments",
    metadata,
    Column("id", Id, primary_key=True),
    Column("contract_id", Id, ForeignKey("custody_contracts.id"), nullable=False),
    Column("month", Date, nullable=False),  # the invoice's first day
    Column("paid_on", Date, nullable=False),
    Column("reference", String(200), nullable=False),
    Column("recorded_by", Id, ForeignKey("users.id")),
    Column("recorded_at", Moment, nullable=False),
    UniqueConstraint("contract_id", "month", name="uq_invoice_payments_contract_month"),
)
stays = Table(
    "stays",
    metadata,
    Column("id", Id, primary_key=True),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("cell_id", Id, ForeignKey("cells.id"), nullable=False, index=True),
    Column("arrival", Date, nullable=False),
    Column("release", Date),
    Column("contract_id", Id, ForeignKey("custody_contracts.id"), index=True),
    Column("security_level", String(20), nullable=False),
    Column("affiliation_group", String(60)),
    Column("affiliation_source", String(200)),
    Column("affiliation_recorded_on", Date),
    Column("affiliation_verified", Boolean),
    Column("placed_by", Id, ForeignKey("users.id")),
    Column("placed_at", Moment, nullable=False),
)
