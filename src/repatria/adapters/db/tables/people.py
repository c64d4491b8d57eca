"""People in custody and what is recorded of them: citizenships, identifiers, sentences,
protection orders, holds and removal orders."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)

from repatria.adapters.db.tables.base import Id, Moment, metadata
from repatria.adapters.db.types import EnumValue
from repatria.domain.people import HoldKind, OffenseCategory, ProtectionKind

people = Table(
    "people",
    metadata,
    Column("id", Id, primary_key=True),
    Column("family_name", String(200), nullable=False),
    Column("given_names", String(200), nullable=False),
    Column("birth_date", Date),
    Column("held_by_state", String(2), nullable=False, index=True),
    Column("created_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False),
    Column("version", Integer, nullable=False),
)


def _person_detail(name: str, *columns: Column[object]) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Id, primary_key=True),
        Column(
            "person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True
        ),
        *columns,
    )


citizenships = _person_detail(
    "citizenships",
    Column("country", String(2), nullable=False, index=True),
    Column("acquired_on", Date),
    Column("lost_on", Date),
)
identifiers = _person_detail(
    "identifiers",
    Column("scheme", String(40), nullable=False),
    Column("value", String(100), nullable=False),
)
sentences = _person_detail(
    "sentences",
    Column("offense", String(300), nullable=False),
    Column("offense_category", EnumValue(OffenseCategory), nullable=False),
    Column("jurisdiction", String(10), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("length_days", Integer),
    Column("credit_days", Integer, nullable=False),
    Column("indeterminate", Boolean, nullable=False),
    Column("death_sentence", Boolean, nullable=False),
    Column("final", Boolean, nullable=False),
    Column("appeal_pending", Boolean, nullable=False),
    Column("collateral_attack_pending", Boolean, nullable=False),
    Column("state_prisoner", Boolean, nullable=False),
)
protection_orders = _person_detail(
    "protection_orders",
    Column("kind", EnumValue(ProtectionKind, 20), nullable=False),
    Column("country", String(2), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("terminated_on", Date),
    Column("issued_by", String(200), nullable=False),
)
holds = _person_detail(
    "holds",
    Column("kind", EnumValue(HoldKind, 20), nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("lifted_on", Date),
    Column("court", String(200), nullable=False),
    Column("reference", String(100), nullable=False),
)
removal_orders = _person_detail(
    "removal_orders",
    Column("issued_on", Date, nullable=False),
    Column("final", Boolean, nullable=False),
    Column("designated_countries", JSON, nullable=False),
)
Index("ix_identifiers_scheme_value", identifiers.c.scheme, identifiers.c.value, unique=True)
