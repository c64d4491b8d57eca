"""Movement pages: the list, one movement with its manifest, and the forms that plan a
movement, fill its manifest and move it on."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response
from fastapi.responses import RedirectResponse

from repatria.domain.access import Action, require
from repatria.domain.accounts import Role
from repatria.domain.movements import MOVEMENT_STEPS
from repatria.entrypoints.web.deps import PAGE_SIZE, Page, RecordId, Uow, User
from repatria.entrypoints.web.forms import Short
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.law import AUTHORITY_IDS
from repatria.services import movements, views
from repatria.services.commands import ManifestChange, MovementStep, PlanMovement

router = web_router()


@router.get("/movements")
def movement_list(request: Request, uow: Uow, principal: User, page: Page = 1) -> Response:
    """Movements involving the user's state, newest first."""
    found = movements.list_movements(uow, principal, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    context = {
        "page": found,
        "number": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "may_plan": principal.role is Role.CASE_OFFICER,
        "authorities": sorted(AUTHORITY_IDS),
    }
    return render(request, "movements/list.html", context)


@router.get("/movements/{movement_id}")
def movement_detail(request: Request, movement_id: RecordId, uow: Uow, principal: User) -> Response:
    """A movement with every manifest entry, aboard or taken off with the reason."""
    movement = movements.get_or_raise(uow, principal, movement_id)
    officer = principal.role is Role.CASE_OFFICER
    steps = [
        command
        for command, (source, _) in MOVEMENT_STEPS.items()
        if source is movement.state
        and officer
        and principal.state
        == (movement.to_state if command == "confirm_arrival" else movement.from_state)
    ]
    sending_officer = officer and principal.state == movement.from_state
    ready = views.cases_ready_for(uow, principal, movement) if sending_officer else []
    context = {
        "movement": movement,
        "rows": movements.manifest_rows(uow, movement),
        "entries": movements.manifest(uow, movement_id),
        "steps": steps,
        "ready": ready if movement.state.value == "planned" else [],
    }
    return render(request, "movements/detail.html", context)


@router.post("/movements")
def plan(
    uow: Uow,
    principal: User,
    authority: Short,
    to_state: Short,
    seats: Annotated[int, Form(ge=1, le=1000)],
    planned_departure: Short,
) -> Response:
    """Plan a movement from the user's state (case officers: others are refused before their
    form is read)."""
    require(principal, Action.OPEN_CASE)
    moment = planned_departure if len(planned_departure) > 16 else f"{planned_departure}:00Z"
    command = PlanMovement.model_validate(
        {
            "authority": authority,
            "from_state": principal.state,
            "to_state": to_state,
            "seats": seats,
            "planned_departure": moment,
        }
    )
    movement = movements.plan(uow, principal, command)
    uow.commit()
    return RedirectResponse(f"/movements/{movement.id}", status_code=303)


@router.post("/movements/{movement_id}/manifest")
def add_case(
    movement_id: RecordId,
    uow: Uow,
    principal: User,
    case_id: Annotated[int, Form(ge=1, le=2**63 - 1)],
) -> Response:
    """Put an approved case on the manifest (it becomes scheduled)."""
    movements.add_case(uow, principal, movement_id, ManifestChange(case_id=case_id))
    uow.commit()
    return RedirectResponse(f"/movements/{movement_id}", status_code=303)


@router.post("/movements/{movement_id}/steps")
def step(
    movement_id: RecordId,
    uow: Uow,
    principal: User,
    command: Annotated[str, Form(pattern=r"^[a-z_]{3,40}$")],
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
) -> Response:
    """Lock, depart, confirm arrival or close; at lock and departure everyone is re-checked."""
    movements.step(
        uow,
        principal,
        movement_id,
        MovementStep.model_validate({"command": command, "version": version}),
    )
    uow.commit()
    return RedirectResponse(f"/movements/{movement_id}", status_code=303)
