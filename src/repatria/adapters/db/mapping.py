"""Maps the pure domain classes onto the tables (SQLAlchemy 2 imperative mapping)."""

from __future__ import annotations

from sqlalchemy.orm import registry, relationship

from repatria.adapters.db import tables as t
from repatria.domain.accounts import Credential, Organisation, User
from repatria.domain.cases import Case
from repatria.domain.events import Event
from repatria.domain.people import (
    Citizenship,
    Hold,
    Identifier,
    Person,
    ProtectionOrder,
    RemovalOrder,
    Sentence,
)

mapper_registry = registry(metadata=t.metadata)
_started = False


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
    for cls, table in (
        (Citizenship, t.citizenships),
        (Identifier, t.identifiers),
        (Sentence, t.sentences),
        (ProtectionOrder, t.protection_orders),
        (Hold, t.holds),
        (RemovalOrder, t.removal_orders),
    ):
        m(cls, table)
    m(
        Person,
        t.people,
        version_id_col=t.people.c.version,
        properties={
            name: relationship(cls, cascade=details, lazy="selectin", order_by=table.c.id)
            for name, cls, table in (
                ("citizenships", Citizenship, t.citizenships),
                ("identifiers", Identifier, t.identifiers),
                ("sentences", Sentence, t.sentences),
                ("protection_orders", ProtectionOrder, t.protection_orders),
                ("holds", Hold, t.holds),
                ("removal_orders", RemovalOrder, t.removal_orders),
            )
        },
    )
    m(Case, t.cases, version_id_col=t.cases.c.version)
    m(Event, t.events)
