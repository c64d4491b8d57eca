"""Taking a lifecycle step from the case page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response
from pydantic import ValidationError

from repatria.domain.cases import CaseState
from repatria.domain.errors import InvalidInput
from repatria.domain.transitions import may_take
from repatria.entrypoints.web.cases import case_page
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, Text, back_to, form_date
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.stage import country
from repatria.i18n import N_
from repatria.services import cases, clock, transitions, views

router = web_router()
# Steps that end a case for good: the first post shows what it does and asks to confirm.
CONFIRMED = frozenset({"deny"})


@router.post("/cases/{case_id}/steps")
def take_step(
    request: Request,
    case_id: RecordId,
    uow: Uow,
    principal: User,
    command: Annotated[str, Form(pattern=r"^[a-z_]{3,40}$")],
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    reason: Text = "",
    on: Short = "",
    confirmed: Short = "",
) -> Response:
    """Take one lifecycle step; refusals come back as a page saying why (a field refused:
    the case page, the step's form as typed). A step that cannot be undone (a denial) is
    asked to be confirmed first, with its reasons as typed."""
    try:
        return _take(request, case_id, uow, principal, command, version, reason, on, confirmed)
    except (ValidationError, InvalidInput) as refused:
        page = lambda: case_page(uow, principal, case_id)  # noqa: E731
        typed = {"reason": reason, "on": on}
        return form_back(
            request, uow, refused, form=f"step-{command}", typed=typed, page=page, dates=("on",)
        )


def _take(
    request: Request,
    case_id: int,
    uow: Uow,
    principal: User,
    command: str,
    version: int,
    reason: str,
    on: str,
    confirmed: str,
) -> Response:
    step = transitions.Step(
        command=command,
        on=form_date("on", on) if on.strip() else clock.today(),
        reason=reason.strip(),
        expected_version=version,
    )
    case = cases.get_or_raise(uow, principal, case_id)
    # Whoever may not take the step is refused by the step itself, without a confirmation.
    if command in CONFIRMED and confirmed != "yes" and may_take(principal, case, command):
        if not step.reason:
            raise InvalidInput("reason", N_("a denial needs the reasons, which the record keeps"))
        person = views.people_named(uow, {case.person_id}).get(case.person_id)
        sending = case.state is CaseState.SENDING_REVIEW
        deciding = country(case.from_state if sending else case.to_state)
        context = {"case": case, "person": person, "step": step, "deciding": deciding}
        return render(request, "cases/confirm_step.html", context)
    transitions.take(uow, principal, case_id, step)
    uow.commit()
    return back_to(case_id, command)
