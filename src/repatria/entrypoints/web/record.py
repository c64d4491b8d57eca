"""The record, for auditors and administrators: checkpoints, verification, inclusion proofs."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from repatria.domain.access import Action, allowed
from repatria.domain.audit import require_audit_reader
from repatria.domain.audit_checkpoints import key_id, raw_public_key
from repatria.domain.checkpoint_requests import REASON_MAX
from repatria.entrypoints.web.deps import PAGE_SIZE, AppContainer, Page, RecordId, Uow, User
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.services import audit, audit_keys, audit_verify, checkpoint_requests, views

router = web_router()
Reason = Annotated[str, Form(max_length=REASON_MAX)]


@router.get("/record")
def record_page(
    request: Request,
    uow: Uow,
    principal: User,
    container: AppContainer,
    verify: Annotated[bool, Query()] = False,
    requested: Annotated[bool, Query()] = False,
) -> Response:
    """The latest checkpoint and the key to check it; verification of the whole log on demand."""
    require_audit_reader(principal)
    settings = container.settings
    try:  # the public key file alone: this process never reads the private key
        keys = audit_keys.load_public_keys(settings)
    except audit_keys.AuditKeyMissing:
        keys = []  # nothing signed yet; verify names any checkpoint it cannot check
    public_key = keys[0] if keys else None
    checkpoints = audit.list_checkpoints(uow, principal)
    report = None
    if verify:
        # One process: the page must not fork the server; the CLI verifies in parallel.
        report = audit_verify.verify(
            uow,
            settings.database_url,
            public_key,
            witness=audit_keys.witness_path(settings),
            retired_keys=keys[1:],
            workers=1,
        )
    context = {
        "size": audit.log_size(uow),
        "latest": checkpoints[-1] if checkpoints else None,
        "checkpoints": list(reversed(checkpoints))[:20],
        "count": len(checkpoints),
        "public_key": raw_public_key(public_key).hex() if public_key else None,
        "key_id": key_id(public_key) if public_key else None,
        "report": report,
        "requests": checkpoint_requests.list_requests(uow, principal),
        "may_request": allowed(principal, Action.REQUEST_CHECKPOINT),
        "requested": requested,
        "reason_max": REASON_MAX,
    }
    return render(request, "record/index.html", context)


@router.post("/record/checkpoint-requests")
def request_checkpoint(uow: Uow, principal: User, reason: Reason = "") -> Response:
    """Ask for a signed checkpoint: recorded here, signed by `repatria audit checkpoint` (the
    only process that reads the private key) when it next runs."""
    checkpoint_requests.request(uow, principal, reason)
    uow.commit()
    return RedirectResponse("/record?requested=true#h-requests", status_code=303)


@router.get("/record/events/{event_id}/proof")
def proof_page(
    request: Request, event_id: RecordId, uow: Uow, principal: User, container: AppContainer
) -> Response:
    """An event's inclusion proof against the latest checkpoint (RFC 6962 §2.1.1)."""
    public_key = audit_keys.load_public_key(container.settings)
    event = audit.event_of(uow, principal, event_id)
    proof = audit.event_proof(uow, principal, event_id, public_key)
    context = {"proof": proof, "event": event, "subject": subject_page(event)}
    return render(request, "record/proof.html", context)


SUBJECT_PAGES = {
    "case": "/cases/{}",
    "movement": "/movements/{}",
    "person": "/people/{}",
    "custody_contract": "/contracts/{}",
    "facility": "/facilities/{}",
}


def subject_page(event: Any) -> str:
    """The page of what an event changed (a case's page opens at the event), or ""."""
    pattern = SUBJECT_PAGES.get(event.subject_type)
    if pattern is None or not str(event.subject_id).isdigit():
        return ""
    anchor = f"#event-{event.id}" if event.subject_type == "case" else ""
    return pattern.format(event.subject_id) + anchor


@router.get("/record/events")
def events_page(
    request: Request,
    uow: Uow,
    principal: User,
    page: Page = 1,
    command: Annotated[str, Query(max_length=60)] = "",
    subject: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """The record's events, newest first, filtered by what was done and to what."""
    require_audit_reader(principal)
    commands, subjects = views.event_kinds(uow)
    chosen = {
        "command": command if command in commands else "",
        "subject": subject if subject in subjects else "",
    }
    rows, total = views.events_page(
        uow,
        principal,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
        command=chosen["command"] or None,
        subject_type=chosen["subject"] or None,
    )
    context = {
        "rows": [(row, subject_page(row)) for row in rows],
        "total": total,
        "number": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "commands": commands,
        "subjects": subjects,
        "filters": chosen,
        "query": urlencode([(k, v) for k, v in chosen.items() if v]),
    }
    return render(request, "record/events.html", context)


@router.get("/record/proof")
def proof_lookup(
    request: Request,
    uow: Uow,
    principal: User,
    container: AppContainer,
    event: Annotated[int, Query(ge=1, le=2**63 - 1)],
) -> Response:
    """The proof form's target: the inclusion proof of the event named in the form."""
    return proof_page(request, event, uow, principal, container)


@router.get("/record/consistency")
def consistency_page(
    request: Request,
    uow: Uow,
    principal: User,
    container: AppContainer,
    size: Annotated[int, Query(ge=0, le=2**63 - 1)],
    from_size: Annotated[int, Query(alias="from", ge=0, le=2**63 - 1)],
) -> Response:
    """Proof (RFC 6962 §2.1.2) that the log at size `from` is a prefix of checkpoint `size`."""
    public_key = audit_keys.load_public_key(container.settings)
    proof = audit.consistency(uow, principal, size, from_size, public_key)
    return render(request, "record/consistency.html", {"proof": proof})
