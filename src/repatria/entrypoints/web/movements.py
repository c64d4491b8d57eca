"""Movement pages: the list, one movement with its manifest, and the forms that plan a
movement, fill its manifest and move it on."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from repatria.domain.access import Action, require
from repatria.domain.accounts import Role
from repatria.domain.errors import InvalidInput, PermissionDenied
from repatria.domain.movements import FAR_FROM_PLAN_DAYS, MOVEMENT_STEPS, Movement
from repatria.entrypoints.web.deps import PAGE_SIZE, Page, RecordId, Uow, User
from repatria.entrypoints.web.forms import Short
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.stage import possessive
from repatria.i18n import N_, format_date, ngettext
from repatria.i18n import gettext as _
from repatria.law import AUTHORITY_IDS
from repatria.services import movements, views
from repatria.services.commands import ManifestChange, MovementStep, PlanMovement
from repatria.services.unit_of_work import utcnow

router = web_router()
# What the movement's next step is, by its state (who takes it: who_moves_next).
NEXT = {
    "planned": N_("fills the manifest and locks it"),
    "manifest_locked": N_("records the departure"),
    "departed": N_("confirms arrival"),
    "arrived": N_("closes it"),
}
DONE = {
    "lock": N_("The manifest is locked; everyone aboard passed the re-assessment."),
    "lock_removed": N_("The manifest is locked; some people came off it, with the reason below."),
    "depart": N_("The departure is recorded; everyone aboard passed the re-assessment."),
    "depart_removed": N_("The departure is recorded; some people came off, with the reason below."),
    "confirm_arrival": N_("The arrival is confirmed: custody passes to the receiving state."),
    "close": N_("The movement is closed."),
}


@router.get("/movements")
def movement_list(request: Request, uow: Uow, principal: User, page: Page = 1) -> Response:
    """Movements involving the user's state, newest first."""
    return render(request, "movements/list.html", _list_context(uow, principal, page))


def _list_context(uow: Uow, principal: User, page: int) -> dict[str, Any]:
    found = movements.list_movements(uow, principal, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return {
        "page": found,
        "number": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "may_plan": principal.role is Role.CASE_OFFICER,
        "authorities": sorted(AUTHORITY_IDS),
    }


@router.get("/movements/{movement_id}")
def movement_detail(
    request: Request,
    movement_id: RecordId,
    uow: Uow,
    principal: User,
    done: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """A movement with every manifest entry, aboard or taken off with the reason."""
    return render(request, *_detail_page(uow, principal, movement_id, done))


def _detail_page(
    uow: Uow, principal: User, movement_id: int, done: str = ""
) -> tuple[str, dict[str, Any]]:
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
    departed = movement.departed_at
    context = {
        "movement": movement,
        "rows": movements.manifest_rows(uow, movement),
        "entries": movements.manifest(uow, movement_id),
        "steps": steps,
        "ready": ready if movement.state.value == "planned" else [],
        "ready_people": views.people_named(uow, {c.person_id for c in ready}),
        "who_next": who_moves_next(movement),
        "late": off_plan(movement, departed) if departed else "",
        "now": _minute(utcnow()),
        "done": _(DONE[done]) if done in DONE else "",
    }
    return "movements/detail.html", context


@router.get("/movements/{movement_id}/depart")
def confirm_departure(
    request: Request, movement_id: RecordId, uow: Uow, principal: User
) -> Response:
    """Before the departure is recorded: who is aboard, the time, and a warning when today is
    far from the planned day (the sending state's case officers)."""
    return render(request, *_depart_page(uow, principal, movement_id))


def _depart_page(uow: Uow, principal: User, movement_id: int) -> tuple[str, dict[str, Any]]:
    movement = movements.get_or_raise(uow, principal, movement_id)
    require(principal, Action.OPEN_CASE)
    if principal.state != movement.from_state:
        raise PermissionDenied(
            N_("only %(state)s, the sending state, records it"), state=movement.from_state
        )
    context = {
        "movement": movement,
        "rows": [r for r in movements.manifest_rows(uow, movement) if r["status"] == "aboard"],
        "warning": off_plan(movement, utcnow()),
        "now": _minute(utcnow()),
    }
    return "movements/depart.html", context


def who_moves_next(movement: Movement) -> str:
    """Who takes the movement's next step: "Mexico's case officer confirms arrival"."""
    doing = NEXT.get(movement.state.value)
    if doing is None:
        return ""
    state = movement.to_state if movement.state.value == "departed" else movement.from_state
    return _("%(state)s case officer %(doing)s.", state=possessive(state), doing=_(doing))


def _minute(moment: datetime) -> str:
    """A time as a datetime-local field shows it (UTC, to the minute)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def _moment_typed(text: str) -> datetime | None:
    """A time typed in a form (YYYY-MM-DD HH:MM, UTC); blank: now."""
    if not text.strip():
        return None
    try:
        typed = datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise InvalidInput(
            "at", N_("%(text)s is not a time written YYYY-MM-DD HH:MM"), text=repr(text)
        ) from None
    return typed if typed.tzinfo else typed.replace(tzinfo=UTC)


@router.post("/movements")
def plan(
    request: Request,
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
    try:
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
    except KEPT as refused:
        typed = {
            "authority": authority,
            "to_state": to_state,
            "seats": str(seats),
            "planned_departure": planned_departure,
        }
        page = lambda: ("movements/list.html", _list_context(uow, principal, 1))  # noqa: E731
        aliases = {"from_state": "to_state", "body": "to_state"}
        return form_back(
            request, uow, refused, form="plan", typed=typed, page=page, aliases=aliases
        )
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
    request: Request,
    movement_id: RecordId,
    uow: Uow,
    principal: User,
    command: Annotated[str, Form(pattern=r"^[a-z_]{3,40}$")],
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    at: Short = "",
) -> Response:
    """Lock, depart, confirm arrival or close; at lock and departure everyone is re-checked.
    A time refused comes back as typed, beside its field (the departure on its own page)."""
    try:
        asked = {"command": command, "version": version, "at": _moment_typed(at)}
        taken = MovementStep.model_validate(asked)
        _, removals = movements.step(uow, principal, movement_id, taken)
    except KEPT as refused:
        builder = _depart_page if command == "depart" else _detail_page
        page = lambda: builder(uow, principal, movement_id)  # noqa: E731
        form = f"step-{command}"
        return form_back(request, uow, refused, form=form, typed={"at": at}, page=page)
    uow.commit()
    done = f"{command}_removed" if removals else command
    return RedirectResponse(f"/movements/{movement_id}?done={done}", status_code=303)


def off_plan(movement: Movement, at: datetime) -> str:
    """Why a departure at `at` deserves a second look (far from the planned day), or "", in
    the reader's language."""
    days = movement.days_off_plan(at)
    if abs(days) < FAR_FROM_PLAN_DAYS:
        return ""
    planned = format_date(movement.planned_departure.astimezone(UTC).date())
    if days > 0:
        return ngettext(
            "%(num)d day after the planned departure day (%(day)s)",
            "%(num)d days after the planned departure day (%(day)s)",
            days,
            day=planned,
        )
    return ngettext(
        "%(num)d day before the planned departure day (%(day)s)",
        "%(num)d days before the planned departure day (%(day)s)",
        -days,
        day=planned,
    )
