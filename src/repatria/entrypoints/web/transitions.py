"""Taking a lifecycle step from the case page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Response

from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, Text, back_to, form_date
from repatria.entrypoints.web.routing import web_router
from repatria.services import clock, transitions

router = web_router()


@router.post("/cases/{case_id}/steps")
def take_step(
    case_id: RecordId,
    uow: Uow,
    principal: User,
    command: Annotated[str, Form(pattern=r"^[a-z_]{3,40}$")],
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    reason: Text = "",
    on: Short = "",
) -> Response:
    """Take one lifecycle step; refusals come back as a page saying why."""
    step = transitions.Step(
        command=command,
        on=form_date("on", on) if on.strip() else clock.today(),
        reason=reason.strip(),
        expected_version=version,
    )
    transitions.take(uow, principal, case_id, step)
    uow.commit()
    return back_to(case_id, command)
