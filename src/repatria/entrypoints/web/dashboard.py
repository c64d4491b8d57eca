"""The dashboard: what needs the user's attention, by role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import Request, Response

from repatria.domain.accounts import Role
from repatria.entrypoints.web import facilities
from repatria.entrypoints.web.deps import Uow, User
from repatria.entrypoints.web.movements import who_moves_next
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.stage import country, who_acts_next
from repatria.law.errors import LawDataError
from repatria.services import audit, checkpoint_requests, clock, deadlines, impact, views

router = web_router()


def _week() -> tuple[datetime, datetime]:
    today = clock.today()
    monday = today - timedelta(days=today.weekday())
    start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    return start, start + timedelta(days=7)


@router.get("/dashboard")
def dashboard(request: Request, uow: Uow, principal: User) -> Response:
    """My open cases, overdue ones, this week's movements, facility occupancy, the record."""
    try:
        overdue = deadlines.overdue(uow, principal, clock.today())
        overdue_note = ""
    except (LawDataError, KeyError) as exc:
        overdue, overdue_note = [], f"time limits unavailable: {exc}"
    start, end = _week()
    mine = views.actionable_cases(uow, principal)
    flying = views.in_flight_to(uow, principal)
    context = {
        "mine": mine,
        "next": {case.id: who_acts_next(case) for case in mine},
        "people": views.people_named(uow, {case.person_id for case in mine}),
        "in_flight": [(m, who_moves_next(m)) for m in flying],
        "receiving_name": country(principal.state),
        "overdue": overdue,
        "overdue_note": overdue_note,
        "stale": views.stale_cases(uow, principal)[:20],
        "week": views.movements_between(uow, principal, start, end),
        "week_start": start.date(),
        "occupancy": facilities.occupancy_summary(uow, principal),
        "record": {
            "size": audit.log_size(uow),
            "checkpoint": views.latest_checkpoint(uow),
            "waiting": checkpoint_requests.pending(uow),  # asked for, not yet signed
        }
        if principal.role in (Role.AUDITOR, Role.ADMIN)
        else None,
        "events": views.recent_events(uow, principal, 8),
        # Open cases of the state that an amendment to the law changed when it took effect.
        "law_changes": impact.recent_effects(uow, principal)[:20],
    }
    return render(request, "dashboard.html", context)
