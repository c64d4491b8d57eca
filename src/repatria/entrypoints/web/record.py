"""The record, for auditors and administrators: checkpoints, verification, inclusion proofs."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request, Response

from repatria.domain.audit import require_audit_reader
from repatria.domain.audit_checkpoints import key_id, raw_public_key
from repatria.entrypoints.web.deps import AppContainer, RecordId, Uow, User
from repatria.entrypoints.web.rendering import render
from repatria.entrypoints.web.routing import web_router
from repatria.services import audit, audit_keys, audit_verify

router = web_router()


@router.get("/record")
def record_page(
    request: Request,
    uow: Uow,
    principal: User,
    container: AppContainer,
    verify: Annotated[bool, Query()] = False,
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
    }
    return render(request, "record/index.html", context)


@router.get("/record/events/{event_id}/proof")
def proof_page(
    request: Request, event_id: RecordId, uow: Uow, principal: User, container: AppContainer
) -> Response:
    """An event's inclusion proof against the latest checkpoint (RFC 6962 §2.1.1)."""
    public_key = audit_keys.load_public_key(container.settings)
    proof = audit.event_proof(uow, principal, event_id, public_key)
    return render(request, "record/proof.html", {"proof": proof})


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
