"""The amendments to the law: the list with who proposed and decided each, a proposal's page
with its YAML and its impact on open cases, and the forms to propose and decide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import File, Form, Request, Response, UploadFile
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from repatria.domain.access import Action, allowed
from repatria.domain.amendments import AmendmentStatus
from repatria.domain.errors import InvalidInput
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, Text, form_date
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.typed_dates import as_iso
from repatria.i18n import N_
from repatria.services import amendments, clock, impact
from repatria.services.amendment_forms import AmendmentForm, overlay
from repatria.services.amendments import MAX_TEXT, DecideAmendment, ProposeAmendment

router = web_router()
Overlay = Annotated[str, Form(max_length=MAX_TEXT)]


@router.get("/law/amendments")
def list_page(request: Request, uow: Uow, principal: User) -> Response:
    """Every amendment the user may see, with who proposed and decided it and when."""
    return render(request, *_list_page(uow, principal))


def _list_page(uow: Uow, principal: User) -> tuple[str, dict[str, Any]]:
    found = amendments.list_amendments(uow, principal)
    context = {
        "amendments": found,
        "names": amendments.usernames(uow, found),
        "may_propose": allowed(principal, Action.PROPOSE_LAW),
    }
    return "amendments/list.html", context


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
    (`kind`: party, value, ruling); refused with the file, line and reason. The form and
    the upload are read here; the proposal is checked against the law and stored in the
    thread pool, never on the event loop."""
    fields = await request.form()
    typed = {k: v for k, v in fields.items() if isinstance(v, str) and k != "csrf_token"}
    upload = None
    if not kind and file is not None and file.filename:
        upload = (file.filename, await file.read(MAX_TEXT + 1))
    proposal = Proposal(title, reason, text, kind, typed, upload)
    return await run_in_threadpool(_propose_page, request, uow, principal, proposal)


@dataclass(frozen=True)
class Proposal:
    """What the form sent: a title and reason, and the YAML typed, uploaded (the file's name
    and bytes) or made from the fields of a common amendment (`kind`)."""

    title: str
    reason: str
    text: str
    kind: str
    typed: dict[str, str]
    upload: tuple[str, bytes] | None


def _propose_page(request: Request, uow: Uow, principal: User, proposal: Proposal) -> Response:
    try:
        found = amendments.propose(uow, principal, _command(proposal))
    except KEPT as refused:
        page = lambda: _list_page(uow, principal)  # noqa: E731
        form = "common" if proposal.kind else "yaml"
        typed = proposal.typed
        return form_back(request, uow, refused, form=form, typed=typed, page=page, dates=("on",))
    uow.commit()
    return RedirectResponse(f"/law/amendments/{found.id}", status_code=303)


def _command(proposal: Proposal) -> ProposeAmendment:
    file_name, text = "amendment.yaml", proposal.text
    if proposal.kind:
        known = set(AmendmentForm.model_fields) - {"kind"}
        given = {name: value for name, value in proposal.typed.items() if name in known and value}
        if "on" in given:
            given["on"] = as_iso(given["on"])
        form = AmendmentForm.model_validate(
            {**given, "kind": proposal.kind, "verified": "verified" in given}
        )
        text, file_name = overlay(form), f"{form.kind}-{form.target}.yaml"
    elif proposal.upload is not None:
        file_name, raw = proposal.upload
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput("file", N_("%(file)s is not UTF-8 text"), file=file_name) from None
    return ProposeAmendment(
        title=proposal.title, file_name=file_name, text=text, reason=proposal.reason
    )


@router.get("/law/amendments/{amendment_id}")
def detail_page(request: Request, amendment_id: RecordId, uow: Uow, principal: User) -> Response:
    """An amendment: its YAML, its review, and the open cases it changes."""
    return render(request, *_detail_page(uow, principal, amendment_id))


def _detail_page(uow: Uow, principal: User, amendment_id: int) -> tuple[str, dict[str, Any]]:
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
    return "amendments/detail.html", context


@router.post("/law/amendments/{amendment_id}/decision")
def decide(
    request: Request,
    amendment_id: RecordId,
    uow: Uow,
    principal: User,
    decision: Short,
    effective_on: Short = "",
    reason: Text = "",
) -> Response:
    """Approve (from the day given) or reject another person's amendment; refused, the page
    comes back with the decision's fields as typed."""
    approve = decision == "approve"
    try:
        day = form_date("effective_on", effective_on) if approve and effective_on else None
        command = DecideAmendment(approve=approve, effective_on=day, reason=reason)
        amendments.decide(uow, principal, amendment_id, command)
    except KEPT as refused:
        page = lambda: _detail_page(uow, principal, amendment_id)  # noqa: E731
        typed = {"effective_on": effective_on, "reason": reason}
        return form_back(request, uow, refused, form="decision", typed=typed, page=page)
    uow.commit()
    return RedirectResponse(f"/law/amendments/{amendment_id}", status_code=303)
