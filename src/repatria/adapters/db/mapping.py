"""Maps the pure domain classes onto the tables (SQLAlchemy 2 imperative mapping)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import registry, relationship

from repatria.adapters.db import tables as t
from repatria.domain.accounts import Credential, Organisation, User
from repatria.domain.amendments import LawAmendment
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case
from repatria.domain.contracts import ContractRecord
from repatria.domain.events import Event
from repatria.domain.movements import ManifestEntry, Movement
from repatria.domain.people import (
    Citizenship,
    Hold,
    Identifier,
    Person,
    ProtectionOrder,
    RemovalOrder,
    Sentence,
)
from repatria.domain.places import CellRecord, FacilityRecord, StayRecord, UnitRecord
from repatria.domain.workflow import ConsentVerification, Decision, FearClaim, Notice

mapper_registry = registry(metadata=t.metadata)
_started = False
# A person's details: the attribute, its class and its table (loaded with the person).
PERSON_DETAILS: tuple[tuple[str, type[Any], Table], ...] = (
    ("citizenships", Citizenship, t.citizenships),
    ("identifiers", Identifier, t.identifiers),
    ("sentences", Sentence, t.sentences),
    ("protection_orders", ProtectionOrder, t.protection_orders),
    ("holds", Hold, t.holds),
    ("removal_orders", RemovalOrder, t.removal_orders),
)


def start_mappers() -> None:
    """Map every domain class once per process; later calls do nothing."""
    global _started
    if _started:
        return
    _started = True
    m = mapper_registry.map_imperatively
    m(Organisation, t.organisations)
    m(User, t.users, properties={"organisation": relationship(Organisation, lazy="joined")})
    m(Credential, t.credentials, properties={"user": relationship(User, lazy="joined")})
    details = "all, delete-orphan"
    for _, cls, table in PERSON_DETAILS:
        m(cls, table)
    m(
        Person,
        t.people,
        version_id_col=t.people.c.version,
        properties={
            name: relationship(cls, cascade=details, lazy="selectin", order_by=table.c.id)
            for name, cls, table in PERSON_DETAILS
        },
    )
    m(Case, t.cases, version_id_col=t.cases.c.version)
    m(Movement, t.movements, version_id_col=t.movements.c.version)
    m(ManifestEntry, t.manifest_entries)
    m(Decision, t.decisions)
    m(ConsentVerification, t.consent_verifications)
    m(Notice, t.notices)
    m(FearClaim, t.fear_claims)
    m(Event, t.events)
    m(Assessment, t.assessments)
    m(LawAmendment, t.law_amendments, version_id_col=t.law_amendments.c.version)
    m(FacilityRecord, t.facilities, version_id_col=t.facilities.c.version)
    m(UnitRecord, t.facility_units)
    m(CellRecord, t.cells)
    m(StayRecord, t.stays)
    m(ContractRecord, t.custody_contracts, version_id_col=t.custody_contracts.c.version)
