"""What the pages read beyond the use cases: dashboards, the record, public statistics (read
only; nothing here writes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, cast, extract, func, or_, select

from repatria.adapters.db import tables as t
from repatria.domain.access import sees_everything
from repatria.domain.accounts import Organisation, Principal, User
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case, CaseState
from repatria.domain.lifecycle import available
from repatria.domain.movements import Movement, MovementState
from repatria.domain.people import Person
from repatria.domain.transitions import may_take
from repatria.services import demo
from repatria.services.unit_of_work import UnitOfWork, utcnow

DEMO_PASSWORD = demo.DEMO_PASSWORD
CLOSED_STATES = frozenset(
    {
        CaseState.COMPLETED,
        CaseState.DELIVERED,
        CaseState.INELIGIBLE,
        CaseState.DENIED,
        CaseState.WITHDRAWN,
        CaseState.CANCELLED,
    }
)


def demo_logins(uow: UnitOfWork) -> list[dict[str, str]]:
    """The demo users, when the demo data is loaded (none otherwise)."""
    code = demo.ORGANISATIONS[0][0]
    if uow.session.scalar(select(Organisation).where(t.organisations.c.code == code)) is None:
        return []
    return [
        {"username": name, "role": role, "state": state} for name, role, state in demo.demo_logins()
    ]


def latest_assessment(uow: UnitOfWork, case_id: int) -> Assessment | None:
    """The most recent stored assessment of a case."""
    query = (
        select(Assessment)
        .where(t.assessments.c.case_id == case_id)
        .order_by(t.assessments.c.id.desc())
        .limit(1)
    )
    return uow.session.scalar(query)


def user_names(uow: UnitOfWork, ids: set[int | None]) -> dict[int, str]:
    """Display names of users by id (for timelines and documents)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = uow.session.scalars(select(User).where(t.users.c.id.in_(wanted)))
    return {u.id: f"{u.display_name} ({u.username})" for u in rows if u.id is not None}


@dataclass(frozen=True)
class CheckpointView:
    """A signed checkpoint as pages and documents show it."""

    tree_size: int
    root_hash: str
    signed_at: datetime
    key_id: str
    signature: str


def _view(row: Any) -> CheckpointView:
    return CheckpointView(
        row.tree_size, row.root_hash.hex(), row.signed_at, row.key_id, row.signature.hex()
    )


def latest_checkpoint(uow: UnitOfWork) -> CheckpointView | None:
    """The newest signed checkpoint."""
    row = uow.session.execute(
        select(t.audit_checkpoints).order_by(t.audit_checkpoints.c.tree_size.desc()).limit(1)
    ).first()
    return None if row is None else _view(row)


def covering_checkpoint(uow: UnitOfWork, seq: int | None) -> CheckpointView | None:
    """The first checkpoint whose tree includes the event at position seq."""
    if seq is None:
        return None
    row = uow.session.execute(
        select(t.audit_checkpoints)
        .where(t.audit_checkpoints.c.tree_size > seq)
        .order_by(t.audit_checkpoints.c.tree_size)
        .limit(1)
    ).first()
    return None if row is None else _view(row)


def last_event(uow: UnitOfWork, subject_type: str, subject_id: int) -> Any:
    """The newest event recorded about a subject (a row with id and seq), or None."""
    return uow.session.execute(
        select(t.events.c.id, t.events.c.seq, t.events.c.command)
        .where(t.events.c.subject_type == subject_type, t.events.c.subject_id == str(subject_id))
        .order_by(t.events.c.seq.desc())
        .limit(1)
    ).first()


def log_size(uow: UnitOfWork) -> int:
    """Events in the record, by the log head."""
    return int(uow.session.scalar(select(func.max(t.audit_log_head.c.size))) or 0)


def recent_events(uow: UnitOfWork, principal: Principal, limit: int = 10) -> list[Any]:
    """The newest events the principal may see."""
    query = select(t.events).order_by(t.events.c.seq.desc()).limit(limit)
    if not sees_everything(principal):
        # states is stored as canonical JSON text, e.g. ["MX","US"].
        query = query.where(cast(t.events.c.states, String).like(f'%"{principal.state}"%'))
    return list(uow.session.execute(query))


def events_page(
    uow: UnitOfWork,
    principal: Principal,
    *,
    limit: int,
    offset: int,
    command: str | None = None,
    subject_type: str | None = None,
) -> tuple[list[Any], int]:
    """A page of the events the principal may see, newest first, filtered; and how many."""
    query = select(t.events)
    if not sees_everything(principal):
        query = query.where(cast(t.events.c.states, String).like(f'%"{principal.state}"%'))
    if command:
        query = query.where(t.events.c.command == command)
    if subject_type:
        query = query.where(t.events.c.subject_type == subject_type)
    total = uow.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = uow.session.execute(query.order_by(t.events.c.seq.desc()).limit(limit).offset(offset))
    return list(rows), int(total)


def event_kinds(uow: UnitOfWork) -> tuple[list[str], list[str]]:
    """The commands and the kinds of subject the record holds, for filters."""
    commands = uow.session.scalars(select(t.events.c.command).distinct().order_by("command"))
    subjects = uow.session.scalars(
        select(t.events.c.subject_type).distinct().order_by("subject_type")
    )
    return list(commands), list(subjects)


def _scoped(principal: Principal, query: Any) -> Any:
    if sees_everything(principal):
        return query
    state = principal.state
    return query.where(or_(t.cases.c.from_state == state, t.cases.c.to_state == state))


# Exits anyone on a case may take at almost any time; they do not make a case "waiting".
SIDE_EXITS = frozenset({"cancel", "withdraw", "block"})


def actionable_cases(uow: UnitOfWork, principal: Principal, limit: int = 50) -> list[Case]:
    """Open cases waiting for the principal: their role and state may take the next step."""
    query = _scoped(principal, select(Case).where(t.cases.c.state.not_in(CLOSED_STATES)))
    found = []
    for case in uow.session.scalars(query.order_by(t.cases.c.updated_at)):
        steps = [s.command for s in available(case.authority, case.state)]
        if any(may_take(principal, case, c) for c in steps if c not in SIDE_EXITS):
            found.append(case)
        if len(found) >= limit:
            break
    return found


def stale_cases(uow: UnitOfWork, principal: Principal, days: int = 30) -> list[Case]:
    """Open cases nobody has touched for `days` days, oldest first."""
    cutoff = utcnow() - timedelta(days=days)
    query = select(Case).where(t.cases.c.state.not_in(CLOSED_STATES), t.cases.c.updated_at < cutoff)
    return list(uow.session.scalars(_scoped(principal, query).order_by(t.cases.c.updated_at)))


def in_flight_to(uow: UnitOfWork, principal: Principal) -> list[Movement]:
    """Movements that left for the principal's state and have not yet arrived, oldest first
    (the receiving side confirms their arrival)."""
    query = select(Movement).where(
        t.movements.c.state == MovementState.DEPARTED, t.movements.c.to_state == principal.state
    )
    return list(uow.session.scalars(query.order_by(t.movements.c.planned_departure)))


def people_named(uow: UnitOfWork, ids: set[int]) -> dict[int, Person]:
    """People by id (for pages that list cases or stays by name)."""
    if not ids:
        return {}
    found = uow.session.scalars(select(Person).where(t.people.c.id.in_(ids)))
    return {p.id: p for p in found if p.id is not None}


def movements_between(
    uow: UnitOfWork, principal: Principal, start: datetime, end: datetime
) -> list[Movement]:
    """Movements in the principal's scope planned to leave between two moments."""
    query = select(Movement).where(
        t.movements.c.planned_departure >= start, t.movements.c.planned_departure < end
    )
    if not sees_everything(principal):
        state = principal.state
        query = query.where(or_(t.movements.c.from_state == state, t.movements.c.to_state == state))
    return list(uow.session.scalars(query.order_by(t.movements.c.planned_departure)))


def cases_ready_for(uow: UnitOfWork, principal: Principal, movement: Movement) -> list[Case]:
    """Cases that could go on a planned movement: same authority and states, cleared."""
    query = select(Case).where(
        t.cases.c.authority == movement.authority,
        t.cases.c.from_state == movement.from_state,
        t.cases.c.to_state == movement.to_state,
        t.cases.c.state.in_([CaseState.APPROVED, CaseState.CLEARED]),
    )
    return list(uow.session.scalars(_scoped(principal, query).order_by(t.cases.c.id)))


def _year(uow: UnitOfWork, column: Any) -> ColumnElement[Any]:
    # PostgreSQL would extract the year in the session's time zone; moments are UTC.
    if uow.session.get_bind().dialect.name == "postgresql":
        column = func.timezone("UTC", column)
    return extract("year", column)


MOVED = (CaseState.COMPLETED, CaseState.DELIVERED)
ARRIVAL = "CaseArrivalConfirmed"


def _moved_at() -> Any:
    """When each moved case arrived, by its arrival event (a subquery keyed by case id)."""
    return (
        select(
            t.events.c.subject_id.label("case_key"),
            func.max(t.events.c.occurred_at).label("moved_at"),
        )
        .where(t.events.c.subject_type == "case", t.events.c.command == ARRIVAL)
        .group_by(t.events.c.subject_id)
        .subquery()
    )


def _counts(uow: UnitOfWork, measure: str, query: Any, year: Any) -> list[dict[str, Any]]:
    pair = (t.cases.c.authority, t.cases.c.from_state, t.cases.c.to_state)
    grouped = query.group_by(year, *pair).order_by(year, *pair)
    return [
        {
            "measure": measure,
            "year": int(found_year),
            "authority": authority,
            "from_state": from_state,
            "to_state": to_state,
            "count": int(count),
        }
        for found_year, authority, from_state, to_state, count in uow.session.execute(grouped)
    ]


def public_counts(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Raw counts for the public statistics: people moved (by the year they arrived) and
    cases opened, by year, authority and pair of states (the caller suppresses small ones)."""
    pair = (t.cases.c.authority, t.cases.c.from_state, t.cases.c.to_state)
    arrived = _moved_at()
    moved_year = _year(uow, func.coalesce(arrived.c.moved_at, t.cases.c.updated_at)).label("year")
    moved = (
        select(moved_year, *pair, func.count())
        .select_from(t.cases.outerjoin(arrived, arrived.c.case_key == cast(t.cases.c.id, String)))
        .where(t.cases.c.state.in_(MOVED))
    )
    opened_year = _year(uow, t.cases.c.opened_at).label("year")
    opened = select(opened_year, *pair, func.count())
    moved_and_opened = _counts(uow, "moved", moved, moved_year)
    return moved_and_opened + _counts(uow, "opened", opened, opened_year) + _held(uow)


def _held(uow: UnitOfWork) -> list[dict[str, Any]]:
    """People placed under a custody agreement, by the year their stay began, the paying state
    and the host (each person once a year and pair, however often they moved cell)."""
    contract = t.custody_contracts.c
    year = extract("year", t.stays.c.arrival).label("year")
    pair = (contract.payer_state, contract.host_state)
    query = (
        select(year, *pair, func.count(func.distinct(t.stays.c.person_id)))
        .select_from(t.stays.join(t.custody_contracts, t.stays.c.contract_id == contract.id))
        .group_by(year, *pair)
        .order_by(year, *pair)
    )
    return [
        {
            "measure": "held",
            "year": int(found_year),
            "authority": "custody-agreement",
            "from_state": payer,
            "to_state": host,
            "count": int(count),
        }
        for found_year, payer, host, count in uow.session.execute(query)
    ]
