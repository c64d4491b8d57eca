"""Allocation: place arriving people in a facility's cells under a space standard."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import FORBIDDEN
from repatria.services import allocation
from repatria.services.allocation import AllocationOutcome, Left, Placement
from repatria.services.facility_commands import Allocate

router = APIRouter(tags=["facilities"])


def _placement(p: Placement) -> dict[str, Any]:
    answer: dict[str, Any] = {"person_id": p.person_id, "cell_id": p.cell.id}
    answer.update(cell=p.cell.code, unit=p.unit.code)
    if p.from_cell is not None:
        answer["from_cell"] = p.from_cell.code
    return answer


def _left(left: Left) -> dict[str, Any]:
    return {"person_id": left.person_id, "constraint": left.constraint, "reason": left.reason}


def outcome_json(outcome: AllocationOutcome) -> dict[str, Any]:
    """An allocation's answer: who goes where, who could not be placed and why."""
    result = outcome.result
    return {
        "facility_id": outcome.facility.id,
        "on": outcome.on.isoformat(),
        "standard": outcome.standard.code,
        "contract": outcome.contract.reference if outcome.contract is not None else None,
        "dry_run": outcome.dry_run,
        "placed": [_placement(p) for p in outcome.placed],
        "moved": [_placement(p) for p in outcome.moved],
        "unplaced": [_left(u) for u in outcome.unplaced],
        "held_beyond_standard": [_left(u) for u in outcome.held_beyond_standard],
        "separation_notes": [
            {
                "person_id": note.person_id,
                "group": note.group,
                "source": note.source,
                "recorded_on": note.recorded_on.isoformat(),
                "verified": note.verified,
                "text": note.text,
            }
            for note in result.notes
        ],
        "objective": result.objective,
        "bound": result.bound,
        "gap": round(result.gap, 6),
        "status": result.status,
        "solve_s": round(result.solve_s, 3),
    }


@router.post(
    "/facilities/{facility_id}/allocations",
    status_code=201,
    summary="Allocate cells",
    responses=FORBIDDEN,
)
def allocate(
    facility_id: RecordId,
    body: Allocate,
    principal: CurrentPrincipal,
    uow: Uow,
    response: Response,
    idem: Idempotent,
) -> object:
    """Place arriving people, never past the standard capacity of any cell.

    Those who cannot be placed are listed with the constraint that blocks them
    (`security_level`, `capacity`, `rival_groups`, `keep_apart`, `contract`, `time_limit`).
    People already held are moved only where needed; one the standard leaves no room for stays
    where they are and is listed under `held_beyond_standard`. `dry_run` stores nothing.
    """
    outcome = allocation.run(uow, principal, facility_id, body)
    if body.dry_run:
        response.status_code = 200
        return outcome_json(outcome)
    return idem.commit(uow, outcome_json(outcome), 201)
