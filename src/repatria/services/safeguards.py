"""Holds and protection orders: entered at any time, they stop every open case they affect."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.domain.access import Action, require
from repatria.domain.accounts import Principal
from repatria.domain.cases import Case
from repatria.domain.errors import PermissionDenied
from repatria.domain.lifecycle import BEFORE_TRANSIT, Track, track_of
from repatria.domain.people import Hold, Person, ProtectionOrder
from repatria.domain.records import snapshot
from repatria.services import people, workflow
from repatria.services.commands import HoldIn, ProtectionOrderIn
from repatria.services.unit_of_work import UnitOfWork, utcnow


def _holding_officer(uow: UnitOfWork, principal: Principal, person_id: int) -> Person:
    require(principal, Action.WRITE_PEOPLE)
    person = people.get_or_raise(uow, principal, person_id)
    if person.held_by_state != principal.state:
        raise PermissionDenied(
            f"only {person.held_by_state}, the state holding the person, "
            "records court orders about them"
        )
    return person


def open_cases(uow: UnitOfWork, person_id: int) -> list[Case]:
    """The person's cases that have not yet left (the ones an order can still stop)."""
    query = select(Case).where(t.cases.c.person_id == person_id).order_by(t.cases.c.id)
    return [
        c for c in uow.session.scalars(query) if c.state in BEFORE_TRANSIT[track_of(c.authority)]
    ]


def stop_cases(
    uow: UnitOfWork, principal: Principal, cases: list[Case], reason: str, on: date
) -> list[Case]:
    """Cancel (treaty) or block (removal) each case, with the reason; returns those stopped."""
    stopped = []
    for case in cases:
        command = "block" if track_of(case.authority) is Track.REMOVAL else "cancel"
        assert case.id is not None
        workflow.take(uow, principal, case.id, workflow.Step(command=command, on=on, reason=reason))
        stopped.append(case)
    return stopped


def add_hold(
    uow: UnitOfWork, principal: Principal, person_id: int, command: HoldIn
) -> tuple[Hold, list[Case]]:
    """Record a court hold; every open case of the person stops at once."""
    person = _holding_officer(uow, principal, person_id)
    hold = Hold(**command.model_dump())
    person.holds.append(hold)
    person.updated_at = utcnow()
    uow.session.flush()
    uow.record(
        principal,
        "HoldRecorded",
        "person",
        person.id,
        after=snapshot(hold),
        states=[person.held_by_state],
    )
    if not hold.in_force_on(max(hold.issued_on, date.today())):
        return hold, []
    reason = f"{hold.kind.value} issued {hold.issued_on}"
    reason += f" by {hold.court}" if hold.court else ""
    reason += f" ({hold.reference})" if hold.reference else ""
    stopped = stop_cases(
        uow,
        principal,
        open_cases(uow, person_id),
        f"court hold: {reason}",
        max(hold.issued_on, date.today()),
    )
    return hold, stopped


def add_protection_order(
    uow: UnitOfWork, principal: Principal, person_id: int, command: ProtectionOrderIn
) -> tuple[ProtectionOrder, list[Case]]:
    """Record a protection order; every open case to that country stops at once."""
    person = _holding_officer(uow, principal, person_id)
    order = ProtectionOrder(**command.model_dump())
    person.protection_orders.append(order)
    person.updated_at = utcnow()
    uow.session.flush()
    uow.record(
        principal,
        "ProtectionOrderRecorded",
        "person",
        person.id,
        after=snapshot(order),
        states=[person.held_by_state, order.country],
    )
    today = max(order.issued_on, date.today())
    if not order.in_force_on(today):
        return order, []
    affected = [c for c in open_cases(uow, person_id) if c.to_state == order.country]
    reason = (
        f"{order.kind.value} order of {order.issued_on} bars sending the person to {order.country}"
    )
    return order, stop_cases(uow, principal, affected, reason, today)
