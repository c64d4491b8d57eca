"""Use cases for people in custody: record, read, correct, list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, or_, select

from repatria.adapters.db import tables as t
from repatria.domain.access import Action, require, sees_everything
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
from repatria.services.commands import RecordPerson, UpdatePerson
from repatria.services.unit_of_work import UnitOfWork, utcnow

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """One page of a listing, with the total count across all pages."""

    items: list[T]
    total: int
    limit: int
    offset: int


def _visible(principal: Principal, query: Select[Any]) -> Select[Any]:
    """Restrict a query of people to those the principal's state holds or has a case about."""
    if sees_everything(principal):
        return query
    state = principal.state
    involved = select(t.cases.c.person_id).where(
        or_(t.cases.c.from_state == state, t.cases.c.to_state == state)
    )
    return query.where(or_(t.people.c.held_by_state == state, t.people.c.id.in_(involved)))


def get_or_raise(uow: UnitOfWork, principal: Principal, person_id: int) -> Person:
    """The person, if the principal may see them; otherwise NotFound (existence must not leak)."""
    query = _visible(principal, select(Person).where(t.people.c.id == person_id))
    person: Person | None = uow.session.scalar(query)
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
        holder = uow.session.scalar(
            select(Identifier).where(
                t.identifiers.c.scheme == identifier.scheme,
                t.identifiers.c.value == identifier.value,
            )
        )
        if holder is not None and getattr(holder, "person_id", None) != own_id:
            raise Conflict(
                f"identifier {identifier.scheme}:{identifier.value} "
                "already belongs to another person"
            )


def record(uow: UnitOfWork, principal: Principal, command: RecordPerson) -> Person:
    """Record a new person held by the principal's own state."""
    require(principal, Action.WRITE_PEOPLE)
    if command.held_by_state != principal.state:
        raise PermissionDenied(
            f"held_by_state: you may record only people held by {principal.state}"
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
    uow.session.add(person)
    uow.session.flush()
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
            f"only {person.held_by_state}, the state holding the person, may correct the record"
        )
    if command.version is not None and command.version != person.version:
        raise Conflict(
            f"person {person_id} is at version {person.version}, not {command.version}: "
            "reload and apply your change again"
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
    uow.session.flush()
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
    query = _visible(principal, select(Person))
    if citizenship:
        holders = select(t.citizenships.c.person_id).where(
            t.citizenships.c.country == citizenship.upper()
        )
        query = query.where(t.people.c.id.in_(holders))
    if held_by_state:
        query = query.where(t.people.c.held_by_state == held_by_state.upper())
    if name:
        # autoescape: % and _ in the name are matched as themselves (LIKE … ESCAPE '/')
        part = name.lower()
        query = query.where(
            or_(
                func.lower(t.people.c.family_name).contains(part, autoescape=True),
                func.lower(t.people.c.given_names).contains(part, autoescape=True),
            )
        )
    total = uow.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = uow.session.scalars(query.order_by(t.people.c.id).limit(limit).offset(offset))
    return Page(list(items), total, limit, offset)


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
    person = uow.session.get(Person, person_id)
    if person is None or person.held_by_state == to_state:
        return
    before = {"held_by_state": person.held_by_state}
    person.held_by_state = to_state
    person.updated_at = utcnow()
    uow.session.flush()
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
