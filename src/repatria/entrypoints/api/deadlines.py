"""Time limits: a case's deadlines and every case past one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.services import clock, deadlines
from repatria.services.commands import Day

router = APIRouter(tags=["workflow"])


def _deadline_out(d: deadlines.Deadline) -> dict[str, Any]:
    return {
        "case_id": d.case_id,
        "reference": d.reference,
        "authority": d.authority,
        "name": d.name,
        "label": d.label,
        "due_on": d.due_on.isoformat(),
        "met": d.met,
        "days_late": d.days_late,
        "citation": d.citation,
    }


@router.get("/cases/overdue", summary="Cases past a time limit")
def overdue_cases(principal: CurrentPrincipal, uow: Uow, on: Day | None = None) -> object:
    """Every missed time limit of an open case in your scope, most late first."""
    late = deadlines.overdue(uow, principal, on or clock.today())
    return {"on": (on or clock.today()).isoformat(), "items": [_deadline_out(d) for d in late]}


@router.get("/cases/{case_id}/deadlines", summary="A case's time limits")
def case_deadlines(
    case_id: RecordId, principal: CurrentPrincipal, uow: Uow, on: Day | None = None
) -> object:
    """The time limits the law sets for this case, when each falls due and whether it is met."""
    found = deadlines.for_case(uow, principal, case_id, on or clock.today())
    return {"case_id": case_id, "items": [_deadline_out(d) for d in found]}
