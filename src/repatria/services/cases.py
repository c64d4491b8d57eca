"""Use cases for cases: open, read, list (transitions, consent, facts, notices and fear claims
build on these)."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from repatria.domain.access import Action, require, scope_of, sees_states
from repatria.domain.accounts import Principal
from repatria.domain.cases import Case, CaseState, initial_state
from repatria.domain.errors import InvalidInput, NotFound, PermissionDenied
from repatria.domain.records import snapshot
from repatria.i18n import N_
from repatria.law import AUTHORITY_IDS
from repatria.services import clock, people
from repatria.services.commands import OpenCase
from repatria.services.people import Page
from repatria.services.ports.accounts import KeyedRead
from repatria.services.ports.cases import CaseFilter
from repatria.services.unit_of_work import UnitOfWork, utcnow


def get_or_raise(uow: UnitOfWork, principal: Principal, case_id: int) -> Case:
    """The case, if it involves the principal's state; otherwise NotFound."""
    case = load(uow, case_id)
    if case is None or not sees_states(principal, case.states_involved):
        raise NotFound("case", case_id)
    return case


def editable_case(uow: UnitOfWork, principal: Principal, case_id: int) -> Case:
    """The case, if the principal is a case officer of its sending state (who records its facts,
    notices and fear claims)."""
    require(principal, Action.OPEN_CASE)
    case = get_or_raise(uow, principal, case_id)
    if principal.state != case.from_state:
        raise PermissionDenied(
            N_("only %(state)s, the sending state, records this"), state=case.from_state
        )
    return case


def load(uow: UnitOfWork, case_id: int) -> Case | None:
    """The case, or None; changes to it are stored as an UPDATE checked against its version."""
    return uow.cases.get(case_id)


def summary_read(columns: Iterable[str]) -> KeyedRead:
    """These columns of a case (and its states), by its id: the read path of
    `GET /cases/{id}`, which reads it with the caller's authentication
    (accounts.authenticate_reading) and gives what it found to `summary_seen`."""
    return _summary_read(tuple(columns))


@functools.cache
def _summary_read(columns: tuple[str, ...]) -> KeyedRead:
    # One KeyedRead per column set, so the statement the repository builds for it is cached.
    return KeyedRead("case", tuple(dict.fromkeys([*columns, "from_state", "to_state"])))


def summary_seen(
    principal: Principal, case_id: int, found: dict[str, Any] | None
) -> dict[str, Any]:
    """The case's columns read by `summary_read`, if the case involves the principal's state;
    otherwise NotFound."""
    if found is None or not sees_states(principal, (found["from_state"], found["to_state"])):
        raise NotFound("case", case_id)
    return found


def new_reference(uow: UnitOfWork, case: Case) -> str:
    """A human-quotable, unguessable reference such as US-MX-2025-7F3A2C91D0, not yet used.

    Forty random bits: with twenty-four, two of a few thousand cases of one pair and year
    already shared a reference more often than not (the birthday bound), and the insert failed.
    """
    prefix = f"{case.from_state}-{case.to_state}-{case.opened_at.year}-"
    while True:
        reference = prefix + secrets.token_hex(5).upper()
        if not uow.cases.reference_taken(reference):
            return reference


def open_case(uow: UnitOfWork, principal: Principal, command: OpenCase) -> Case:
    """Open a case for a person the principal's state holds or will receive."""
    require(principal, Action.OPEN_CASE)
    if command.authority not in AUTHORITY_IDS:
        known = ", ".join(sorted(AUTHORITY_IDS))
        raise InvalidInput(
            "authority",
            N_("unknown authority %(authority)s; known: %(known)s"),
            authority=repr(command.authority),
            known=known,
        )
    if principal.state not in (command.from_state, command.to_state):
        raise PermissionDenied(
            N_("from_state/to_state: a case must involve your state, %(state)s"),
            state=principal.state,
        )
    person = people.get_or_raise(uow, principal, command.person_id)
    if person.held_by_state != command.from_state:
        raise InvalidInput(
            "from_state",
            N_("the person is held by %(holder)s, not %(state)s"),
            holder=person.held_by_state,
            state=command.from_state,
        )
    now = utcnow()
    opened_at = _opened_at(command, now)
    assert person.id is not None
    case = Case(
        person_id=person.id,
        authority=command.authority,
        from_state=command.from_state,
        to_state=command.to_state,
        state=initial_state(command.authority),
        opened_by=principal.user_id,
        opened_at=opened_at,
        updated_at=now,
    )
    case.reference = new_reference(uow, case)
    uow.cases.add(case)
    uow.record(
        principal,
        "OpenCase",
        "case",
        case.id,
        after=snapshot(case),
        states=list(case.states_involved),
        occurred_at=opened_at,
    )
    return case


def _opened_at(command: OpenCase, now: datetime) -> datetime:
    """When the case opened: now, or on the day the command names (an application recorded
    after the fact), at this time of day; never in the future."""
    if command.opened_on is None or command.opened_on == now.date():
        return now
    if command.opened_on > clock.today():
        raise InvalidInput(
            "opened_on", N_("%(day)s is in the future"), day=command.opened_on.isoformat()
        )
    return datetime.combine(command.opened_on, now.timetz())


def list_cases(
    uow: UnitOfWork,
    principal: Principal,
    *,
    limit: int,
    offset: int,
    state: CaseState | None = None,
    authority: str | None = None,
    person_id: int | None = None,
    counterpart: str | None = None,
) -> Page[Case]:
    """A page of the cases involving the principal's state, filtered, newest first."""
    which = CaseFilter(
        involving=scope_of(principal),
        state=state,
        authority=authority,
        person_id=person_id,
        counterpart=counterpart,
    )
    items, total = uow.cases.page(which, limit=limit, offset=offset)
    return Page(items, total, limit, offset)
