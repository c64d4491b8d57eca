"""The amendments to the law: the list with who proposed and decided each, a proposal's page
with its YAML and its impact on open cases, and the forms to propose and decide."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse

from repatria.domain.access import Action, allowed
from repatria.domain.amendments import AmendmentStatus
from repatria.domain.errors import InvalidInput
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, Text, form_date
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.i18n import N_
from repatria.services import amendments, clock, impact
from repatria.services.amendment_forms import AmendmentForm, overlay
from repatria.services.amendments import MAX_TEXT, DecideAmendment, ProposeAmendment

router = web_router()
Overlay = Annotated[str, Form(max_length=MAX_TEXT)]


@router.get("/law/amendments")
def list_page(request: Request, uow: Uow, principal: User) -> Response:
    """Every amendment the user may see, with who proposed and decided it and when."""
    found = amendments.list_amendments(uow, principal)
    context = {
        "amendments": found,
        "names": amendments.usernames(uow, found),
        "may_propose": allowed(principal, Action.PROPOSE_LAW),
    }
    return render(request, "amendments/list.html", context)


@router.post("/law/amendments")
async def propose(
    request: Request,
    uow: Uow,
    principal: User,
    title: Short,
    reason: Text = "",
    text: Overlay = "",
    file: Annotated[UploadFile | None, File()] = None,
    kind: Short = "",
) -> Response:
    """Propose an overlay, uploaded or typed, or one of the common amendments by its form
    (`kind`: party, value, ruling); refused with the file, line and reason."""
    file_name = "amendment.yaml"
    if kind:
        fields = await request.form()
        known = set(AmendmentForm.model_fields) - {"kind"}
        given = {name: str(value) for name, value in fields.items() if name in known and value}
        form = AmendmentForm.model_validate(
            {**given, "kind": kind, "verified": "verified" in given}
        )
        text, file_name = overlay(form), f"{form.kind}-{form.target}.yaml"
    elif file is not None and file.filename:
        file_name = file.filename
        try:
            text = (await file.read(MAX_TEXT + 1)).decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("file", N_("%(file)s is not UTF-8 text"), file=file_name) from None
    command = ProposeAmendment(title=title, file_name=file_name, text=text, reason=reason)
    found = amendments.propose(uow, principal, command)
    uow.commit()
    return RedirectResponse(f"/law/amendments/{found.id}", status_code=303)


@router.get("/law/amendments/{amendment_id}")
def detail_page(request: Request, amendment_id: RecordId, uow: Uow, principal: User) -> Response:
    """An amendment: its YAML, its review, and the open cases it changes."""
    found = amendments.get_or_raise(uow, principal, amendment_id)
    context = {
        "amendment": found,
        "names": amendments.usernames(uow, [found]),
        "changes": impact.impact(uow, principal, found),
        "may_decide": found.status is AmendmentStatus.PROPOSED
        and allowed(principal, Action.DECIDE_LAW)
        and principal.state == found.state
        and principal.user_id != found.proposed_by,
        "today": clock.today(),
    }
    return render(request, "amendments/detail.html", context)


@router.post("/law/amendments/{amendment_id}/decision")
def decide(
    amendment_id: RecordId,
    uow: Uow,
    principal: User,
    decision: Short,
    effective_on: Short = "",
    reason: Text = "",
) -> Response:
    """Approve (from the day given) or reject another person's amendment."""
    approve = decision == "approve"
    day = form_date("effective_on", effective_on) if approve and effective_on else None
    command = DecideAmendment(approve=approve, effective_on=day, reason=reason)
    amendments.decide(uow, principal, amendment_id, command)
    uow.commit()
    return RedirectResponse(f"/law/amendments/{amendment_id}", status_code=303)
