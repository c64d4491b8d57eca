"""Use cases for people in custody: record, read, correct, list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from repatria.domain.access import Action, require, scope_of
from repatria.domain.accounts import Principal
from repatria.domain.errors import Conflict, NotFound, PermissionDenied
from repatria.domain.people import (
    Citizenship,
    Hold,
    Identifier,
    Person,
    ProtectionOrder,
    RemovalOrder,
    Sentence,
)
from repatria.domain.records import snapshot
from repatria.i18n import N_
from repatria.services.commands import RecordPerson, UpdatePerson
from repatria.services.ports.people import PeopleFilter
from repatria.services.unit_of_work import UnitOfWork, utcnow

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of a listing, with the total count across all pages."""

    items: list[T]
    total: int
    limit: int
    offset: int


def get_or_raise(uow: UnitOfWork, principal: Principal, person_id: int) -> Person:
    """The person, if the principal may see them; otherwise NotFound (existence must not leak)."""
    person = uow.people.get(person_id, seen_by=scope_of(principal))
    if person is None:
        raise NotFound("person", person_id)
    return person


def _build(command: RecordPerson) -> dict[str, Any]:
    return {
        "citizenships": [Citizenship(**c.model_dump()) for c in command.citizenships],
        "identifiers": [Identifier(**i.model_dump()) for i in command.identifiers],
        "sentences": [Sentence(**s.model_dump()) for s in command.sentences],
        "protection_orders": [ProtectionOrder(**p.model_dump()) for p in command.protection_orders],
        "holds": [Hold(**h.model_dump()) for h in command.holds],
        "removal_orders": [RemovalOrder(**r.model_dump()) for r in command.removal_orders],
    }


def _check_identifiers_free(
    uow: UnitOfWork, identifiers: list[Identifier], own_id: int | None
) -> None:
    for identifier in identifiers:
        holder = uow.people.holder_of(identifier.scheme, identifier.value)
        if holder is not None and holder != own_id:
            raise Conflict(
                N_("identifier %(scheme)s:%(value)s already belongs to another person"),
                scheme=identifier.scheme,
                value=identifier.value,
            )


def record(uow: UnitOfWork, principal: Principal, command: RecordPerson) -> Person:
    """Record a new person held by the principal's own state."""
    require(principal, Action.WRITE_PEOPLE)
    if command.held_by_state != principal.state:
        raise PermissionDenied(
            N_("held_by_state: you may record only people held by %(state)s"), state=principal.state
        )
    details = _build(command)
    _check_identifiers_free(uow, details["identifiers"], None)
    now = utcnow()
    person = Person(
        family_name=command.family_name,
        given_names=command.given_names,
        birth_date=command.birth_date,
        held_by_state=command.held_by_state,
        created_at=now,
        updated_at=now,
        **details,
    )
    uow.people.add(person)
    uow.record(
        principal,
        "RecordPerson",
        "person",
        person.id,
        after=snapshot(person),
        states=[person.held_by_state],
    )
    return person


def update(uow: UnitOfWork, principal: Principal, person_id: int, command: UpdatePerson) -> Person:
    """Correct identity facts; refused if someone changed the person since `version` was read."""
    require(principal, Action.WRITE_PEOPLE)
    person = get_or_raise(uow, principal, person_id)
    if person.held_by_state != principal.state:
        raise PermissionDenied(
            N_("only %(state)s, the state holding the person, may correct the record"),
            state=person.held_by_state,
        )
    if command.version is not None and command.version != person.version:
        raise Conflict(
            N_(
                "person %(id)s is at version %(version)s, not %(expected)s: "
                "reload and apply your change again"
            ),
            id=person_id,
            version=person.version,
            expected=command.version,
        )
    before = snapshot(person)
    changes = command.model_dump(exclude_unset=True, exclude={"version"})
    for name in ("family_name", "given_names", "birth_date"):
        if name in changes:
            setattr(person, name, changes[name])
    if command.citizenships is not None:
        person.citizenships = [Citizenship(**c.model_dump()) for c in command.citizenships]
    if command.identifiers is not None:
        identifiers = [Identifier(**i.model_dump()) for i in command.identifiers]
        _check_identifiers_free(uow, identifiers, person.id)
        person.identifiers = identifiers
    person.updated_at = utcnow()
    uow.people.update(person)
    uow.record(
        principal,
        "UpdatePerson",
        "person",
        person.id,
        before=before,
        after=snapshot(person),
        states=[person.held_by_state],
    )
    return person


def list_people(
    uow: UnitOfWork,
    principal: Principal,
    *,
    limit: int,
    offset: int,
    citizenship: str | None = None,
    held_by_state: str | None = None,
    name: str | None = None,
) -> Page[Person]:
    """A page of the people the principal may see, filtered, ordered by id."""
    which = PeopleFilter(
        seen_by=scope_of(principal),
        citizenship=citizenship,
        held_by_state=held_by_state,
        name=name,
    )
    items, total = uow.people.page(which, limit=limit, offset=offset)
    return Page(items, total, limit, offset)


def custody_passes(
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    to_state: str,
    *,
    reason: str,
    legal_basis: str,
    states: list[str],
) -> None:
    """Custody follows the person: from a confirmed arrival the receiving state holds them and
    manages their record; the sending state still reads what happened before through the case
    they share. Nothing changes (and nothing is recorded) if `to_state` holds them already."""
    person = uow.people.get(person_id)
    if person is None or person.held_by_state == to_state:
        return
    before = {"held_by_state": person.held_by_state}
    person.held_by_state = to_state
    person.updated_at = utcnow()
    uow.people.update(person)
    uow.record(
        principal,
        "CustodyTransferred",
        "person",
        person_id,
        before=before,
        after={"held_by_state": to_state},
        reason=reason,
        legal_basis=legal_basis,
        states=states,
    )
