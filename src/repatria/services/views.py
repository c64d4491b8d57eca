"""What the pages read beyond the use cases: dashboards, the record, public statistics (read
only; nothing here writes). The queries are the views repository's (services/ports/views.py);
who sees what is decided here."""

from __future__ import annotations

from datetime import datetime, timedelta

from repatria.domain.access import scope_of
from repatria.domain.accounts import Principal
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case, CaseState
from repatria.domain.lifecycle import available
from repatria.domain.movements import Movement
from repatria.domain.people import Person
from repatria.domain.transitions import may_take
from repatria.services import demo
from repatria.services.ports.views import CheckpointView as CheckpointView  # named by pages
from repatria.services.ports.views import EventLine, EventMark, PublicCount
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
    if not demo.present(uow):
        return []
    return [
        {"username": name, "role": role, "state": state} for name, role, state in demo.demo_logins()
    ]


def latest_assessment(uow: UnitOfWork, case_id: int) -> Assessment | None:
    """The most recent stored assessment of a case."""
    return uow.views.latest_assessment(case_id)


def user_names(uow: UnitOfWork, ids: set[int | None]) -> dict[int, str]:
    """Display names of users by id (for timelines and documents)."""
    wanted = {i for i in ids if i is not None}
    return {
        u.id: f"{u.display_name} ({u.username})"
        for u in uow.views.users(wanted)
        if u.id is not None
    }


def latest_checkpoint(uow: UnitOfWork) -> CheckpointView | None:
    """The newest signed checkpoint."""
    return uow.views.latest_checkpoint()


def covering_checkpoint(uow: UnitOfWork, seq: int | None) -> CheckpointView | None:
    """The first checkpoint whose tree includes the event at position seq."""
    return None if seq is None else uow.views.covering_checkpoint(seq)


def last_event(uow: UnitOfWork, subject_type: str, subject_id: int) -> EventMark | None:
    """The newest event recorded about a subject (its id, seq and command), or None."""
    return uow.views.last_event(subject_type, subject_id)


def recent_events(uow: UnitOfWork, principal: Principal, limit: int = 10) -> list[EventLine]:
    """The newest events the principal may see."""
    return uow.views.events(scope_of(principal), limit=limit)


def events_page(
    uow: UnitOfWork,
    principal: Principal,
    *,
    limit: int,
    offset: int,
    command: str | None = None,
    subject_type: str | None = None,
) -> tuple[list[EventLine], int]:
    """A page of the events the principal may see, newest first, filtered; and how many."""
    scope = scope_of(principal)
    total = uow.views.count_events(scope, command=command, subject_type=subject_type)
    rows = uow.views.events(
        scope, limit=limit, offset=offset, command=command, subject_type=subject_type
    )
    return rows, total


def event_kinds(uow: UnitOfWork) -> tuple[list[str], list[str]]:
    """The commands and the kinds of subject the record holds, for filters."""
    return uow.views.event_kinds()


# Exits anyone on a case may take at almost any time; they do not make a case "waiting".
SIDE_EXITS = frozenset({"cancel", "withdraw", "block"})


def actionable_cases(uow: UnitOfWork, principal: Principal, limit: int = 50) -> list[Case]:
    """Open cases waiting for the principal: their role and state may take the next step."""
    found = []
    for case in uow.views.open_cases(scope_of(principal), closed=CLOSED_STATES):
        steps = [s.command for s in available(case.authority, case.state)]
        if any(may_take(principal, case, c) for c in steps if c not in SIDE_EXITS):
            found.append(case)
        if len(found) >= limit:
            break
    return found


def stale_cases(uow: UnitOfWork, principal: Principal, days: int = 30) -> list[Case]:
    """Open cases nobody has touched for `days` days, oldest first."""
    cutoff = utcnow() - timedelta(days=days)
    scope = scope_of(principal)
    return list(uow.views.open_cases(scope, closed=CLOSED_STATES, untouched_since=cutoff))


def in_flight_to(uow: UnitOfWork, principal: Principal) -> list[Movement]:
    """Movements that left for the principal's state and have not yet arrived, oldest first
    (the receiving side confirms their arrival)."""
    return uow.views.departed_to(principal.state)


def people_named(uow: UnitOfWork, ids: set[int]) -> dict[int, Person]:
    """People by id (for pages that list cases or stays by name)."""
    return {p.id: p for p in uow.views.people(ids) if p.id is not None}


def movements_between(
    uow: UnitOfWork, principal: Principal, start: datetime, end: datetime
) -> list[Movement]:
    """Movements in the principal's scope planned to leave between two moments."""
    return uow.views.movements_between(scope_of(principal), start, end)


READY = (CaseState.APPROVED, CaseState.CLEARED)


def cases_ready_for(uow: UnitOfWork, principal: Principal, movement: Movement) -> list[Case]:
    """Cases that could go on a planned movement: same authority and states, cleared."""
    return uow.views.cases_ready_for(scope_of(principal), movement, READY)


MOVED = (CaseState.COMPLETED, CaseState.DELIVERED)
ARRIVAL = "CaseArrivalConfirmed"


def public_counts(uow: UnitOfWork) -> list[PublicCount]:
    """Raw counts for the public statistics: people moved (by the year they arrived) and
    cases opened, by year, authority and pair of states, and people held under a custody
    agreement (the caller suppresses small ones)."""
    return uow.views.public_counts(MOVED, ARRIVAL)
