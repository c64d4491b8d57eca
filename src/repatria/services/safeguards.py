"""Holds and protection orders: entered at any time, they stop every open case they affect;
lifted or terminated, they let a blocked case resume (fear claims: fear_claims.py)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, TypeVar

from pydantic import StringConstraints

from repatria.domain.access import Action, require
from repatria.domain.accounts import Principal
from repatria.domain.cases import Case
from repatria.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from repatria.domain.people import Hold, Person, ProtectionOrder
from repatria.domain.records import snapshot
from repatria.i18n import N_
from repatria.services import clock, people, transitions
from repatria.services.commands import Command, HoldIn, ProtectionOrderIn
from repatria.services.unit_of_work import UnitOfWork, utcnow

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
# The order or decision relied on: court or office, date, number.
LegalBasis = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class LiftHold(Command):
    """Lift a court hold from the day the order ending it takes effect."""

    lifted_on: date
    reason: Reason
    legal_basis: LegalBasis


class TerminateProtectionOrder(Command):
    """End a withholding or CAT order from the day its termination takes effect."""

    terminated_on: date
    reason: Reason
    legal_basis: LegalBasis


def holding_officer(uow: UnitOfWork, principal: Principal, person_id: int) -> Person:
    """The person, if the principal is a case officer of the state holding them (who records
    court orders and decisions about them)."""
    require(principal, Action.WRITE_PEOPLE)
    person = people.get_or_raise(uow, principal, person_id)
    if person.held_by_state != principal.state:
        raise PermissionDenied(
            N_("only %(state)s, the state holding the person, records court orders about them"),
            state=person.held_by_state,
        )
    return person


def add_hold(
    uow: UnitOfWork, principal: Principal, person_id: int, command: HoldIn
) -> tuple[Hold, list[Case]]:
    """Record a court hold; every open case of the person stops at once."""
    person = holding_officer(uow, principal, person_id)
    hold = Hold(**command.model_dump())
    person.holds.append(hold)
    person.updated_at = utcnow()
    uow.people.update(person)
    uow.record(
        principal,
        "HoldRecorded",
        "person",
        person.id,
        after=snapshot(hold),
        states=[person.held_by_state],
    )
    if not hold.in_force_on(max(hold.issued_on, clock.today())):
        return hold, []
    reason = f"{hold.kind.value} issued {hold.issued_on}"
    reason += f" by {hold.court}" if hold.court else ""
    reason += f" ({hold.reference})" if hold.reference else ""
    stopped = transitions.stop_cases(
        uow,
        principal,
        transitions.open_cases(uow, person_id),
        f"court hold: {reason}",
        max(hold.issued_on, clock.today()),
    )
    return hold, stopped


def add_protection_order(
    uow: UnitOfWork, principal: Principal, person_id: int, command: ProtectionOrderIn
) -> tuple[ProtectionOrder, list[Case]]:
    """Record a protection order; every open case to that country stops at once."""
    person = holding_officer(uow, principal, person_id)
    order = ProtectionOrder(**command.model_dump())
    return order, protect(uow, principal, person, order)


def protect(
    uow: UnitOfWork, principal: Principal, person: Person, order: ProtectionOrder
) -> list[Case]:
    """Record a protection order on the person and stop every open case to its country."""
    person.protection_orders.append(order)
    person.updated_at = utcnow()
    uow.people.update(person)
    uow.record(
        principal,
        "ProtectionOrderRecorded",
        "person",
        person.id,
        after=snapshot(order),
        states=[person.held_by_state, order.country],
    )
    today = max(order.issued_on, clock.today())
    if not order.in_force_on(today):
        return []
    assert person.id is not None
    affected = [c for c in transitions.open_cases(uow, person.id) if c.to_state == order.country]
    reason = (
        f"{order.kind.value} order of {order.issued_on} bars sending the person to {order.country}"
    )
    return transitions.stop_cases(uow, principal, affected, reason, today)


Record = TypeVar("Record", Hold, ProtectionOrder)


def _one_of(records: list[Record], kind: str, record_id: int) -> Record:
    for record in records:
        if record.id == record_id:
            return record
    raise NotFound(kind, record_id)


def lift_hold(
    uow: UnitOfWork, principal: Principal, person_id: int, hold_id: int, command: LiftHold
) -> Hold:
    """Lift a hold; blocked cases stay blocked until an officer resumes them."""
    person = holding_officer(uow, principal, person_id)
    hold = _one_of(person.holds, "hold", hold_id)
    _end(
        uow,
        principal,
        person,
        hold,
        "lifted_on",
        command.lifted_on,
        command,
        "HoldLifted",
        [person.held_by_state],
        refusals=(
            N_("hold %(id)s was already lifted on %(day)s"),
            N_("before the hold was issued on %(day)s"),
        ),
    )
    return hold


def terminate_protection_order(
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    order_id: int,
    command: TerminateProtectionOrder,
) -> ProtectionOrder:
    """End a protection order; blocked cases stay blocked until an officer resumes them."""
    person = holding_officer(uow, principal, person_id)
    order = _one_of(person.protection_orders, "protection order", order_id)
    _end(
        uow,
        principal,
        person,
        order,
        "terminated_on",
        command.terminated_on,
        command,
        "ProtectionOrderTerminated",
        [person.held_by_state, order.country],
        refusals=(
            N_("protection order %(id)s was already terminated on %(day)s"),
            N_("before the order was issued on %(day)s"),
        ),
    )
    return order


def _end(
    uow: UnitOfWork,
    principal: Principal,
    person: Person,
    safeguard: Hold | ProtectionOrder,
    field: str,
    day: date,
    command: LiftHold | TerminateProtectionOrder,
    event: str,
    states: list[str],
    *,
    refusals: tuple[str, str],
) -> None:
    """End a hold or protection order on a day, with its event: not twice, not before it began.

    `refusals` say, for this kind of order, that it already ended and that the day is before
    it was issued (whole sentences, marked for translation)."""
    already, too_early = refusals
    ended_on = getattr(safeguard, field)
    if ended_on is not None:
        raise Conflict(already, id=safeguard.id, day=ended_on)
    if day < safeguard.issued_on:
        raise InvalidInput(field, too_early, day=safeguard.issued_on)
    before = snapshot(safeguard)
    setattr(safeguard, field, day)
    person.updated_at = utcnow()
    uow.people.update(person)
    uow.record(
        principal,
        event,
        "person",
        person.id,
        before=before,
        after=snapshot(safeguard),
        reason=command.reason,
        legal_basis=command.legal_basis,
        states=states,
    )
