"""Checkpoints asked for from the web: the page records a request (an event and a row) and
`repatria audit checkpoint`, the only process that reads the signing key, answers every
pending one when it signs (docs/decisions/0007-checkpoints-requested-from-the-web.md)."""

from __future__ import annotations

from repatria.domain.accounts import Principal
from repatria.domain.audit import require_audit_reader
from repatria.domain.checkpoint_requests import CheckpointRequest, checked_reason
from repatria.domain.errors import PermissionDenied
from repatria.i18n import N_
from repatria.services.unit_of_work import UnitOfWork, utcnow

SHOWN_ANSWERED = 5  # answered requests the record page lists below the pending ones


def request(uow: UnitOfWork, principal: Principal, reason: str = "") -> int:
    """Ask for a signed checkpoint of the log as it stands (auditors and administrators);
    the request's id. The signing command answers it with a checkpoint that covers it."""
    text = checked_reason(principal, reason)
    if principal.user_id is None:  # the operator signs at once: `repatria audit checkpoint`
        raise PermissionDenied(N_("the operator signs with `repatria audit checkpoint` instead"))
    request_id = uow.audit.add_checkpoint_request(principal.user_id, text, utcnow())
    states = [] if principal.state == "*" else [principal.state]
    uow.record(
        principal,
        "RequestCheckpoint",
        "checkpoint_request",
        request_id,
        after={"reason": text},
        reason=text,
        states=states,
    )
    return request_id


def list_requests(uow: UnitOfWork, principal: Principal) -> list[CheckpointRequest]:
    """Pending requests and the latest answered ones, newest first (record readers)."""
    require_audit_reader(principal)
    return uow.audit.checkpoint_requests(limit=SHOWN_ANSWERED)


def pending(uow: UnitOfWork) -> int:
    """How many requests wait for a checkpoint (the signing command's watch loop)."""
    return sum(1 for found in uow.audit.checkpoint_requests(limit=0) if found.pending)
