"""Movements and their manifests."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel

from repatria.csv_export import csv_text
from repatria.domain.movements import Movement
from repatria.entrypoints.api import csv_headers
from repatria.entrypoints.api.csv_headers import Header
from repatria.entrypoints.api.deps import CurrentPrincipal, Limit, Offset, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import CSV, FORBIDDEN
from repatria.services import movements
from repatria.services.commands import ManifestChange, MovementStep, PlanMovement

router = APIRouter(tags=["movements"])


class MovementOut(BaseModel):
    id: int
    label: str
    authority: str
    from_state: str
    to_state: str
    sequence: int
    seats: int
    planned_departure: str
    departed_at: str | None = None
    arrived_at: str | None = None
    state: str
    version: int

    @classmethod
    def of(cls, movement: Movement) -> dict[str, Any]:
        return cls(
            id=movement.id or 0,
            label=movement.label,
            authority=movement.authority,
            from_state=movement.from_state,
            to_state=movement.to_state,
            sequence=movement.sequence,
            seats=movement.seats,
            planned_departure=movement.planned_departure.isoformat(),
            departed_at=movement.departed_at.isoformat() if movement.departed_at else None,
            arrived_at=movement.arrived_at.isoformat() if movement.arrived_at else None,
            state=movement.state.value,
            version=movement.version,
        ).model_dump()


@router.post("/movements", status_code=201, summary="Plan a movement", responses=FORBIDDEN)
def plan(body: PlanMovement, principal: CurrentPrincipal, uow: Uow, idem: Idempotent) -> object:
    """Plan a numbered movement (the sending state's case officers)."""
    return idem.commit(uow, MovementOut.of(movements.plan(uow, principal, body)), 201)


@router.get("/movements", summary="List movements")
def list_movements(
    principal: CurrentPrincipal, uow: Uow, limit: Limit = 50, offset: Offset = 0
) -> object:
    """Movements involving your state, newest first."""
    page = movements.list_movements(uow, principal, limit=limit, offset=offset)
    return {
        "items": [MovementOut.of(m) for m in page.items],
        "total": page.total,
        "limit": limit,
        "offset": offset,
    }


@router.get("/movements/{movement_id}", summary="A movement with its manifest")
def read(movement_id: RecordId, principal: CurrentPrincipal, uow: Uow) -> object:
    """The movement and every manifest entry, with the reasons of those taken off."""
    movement = movements.get_or_raise(uow, principal, movement_id)
    return {**MovementOut.of(movement), "manifest": movements.manifest_rows(uow, movement)}


@router.post(
    "/movements/{movement_id}/manifest",
    status_code=201,
    summary="Add a case",
    responses=FORBIDDEN,
)
def add_case(
    movement_id: RecordId,
    body: ManifestChange,
    principal: CurrentPrincipal,
    uow: Uow,
    idem: Idempotent,
) -> object:
    """Put an approved case on the manifest; the case becomes scheduled."""
    entry = movements.add_case(uow, principal, movement_id, body)
    answer = {
        "movement_id": entry.movement_id,
        "case_id": entry.case_id,
        "assessment_id": entry.assessment_id,
    }
    return idem.commit(uow, answer, 201)


@router.post(
    "/movements/{movement_id}/steps",
    summary="Lock, depart, arrive, close",
    responses=FORBIDDEN,
)
def step(
    movement_id: RecordId,
    body: MovementStep,
    principal: CurrentPrincipal,
    uow: Uow,
    idem: Idempotent,
) -> object:
    """Move the movement on; at lock and departure everyone aboard is re-assessed."""
    movement, removals = movements.step(uow, principal, movement_id, body)
    answer = {**MovementOut.of(movement), "removed": [r.__dict__ for r in removals]}
    return idem.commit(uow, answer)


@router.get(
    "/movements/{movement_id}/manifest.csv",
    summary="The manifest as CSV",
    response_class=Response,
    responses=CSV,
)
def manifest_csv(
    movement_id: RecordId, principal: CurrentPrincipal, uow: Uow, header: Header = "names"
) -> Response:
    """The manifest as a CSV file (its header in the reader's words with ?header=words)."""
    movement = movements.get_or_raise(uow, principal, movement_id)
    rows = movements.manifest_rows(uow, movement)
    filename = f"manifest-{movement.authority}-{movement.sequence}.csv"
    return Response(
        csv_text(
            movements.MANIFEST_COLUMNS,
            rows,
            titles=csv_headers.titles(movements.MANIFEST_COLUMNS, header),
        ),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
