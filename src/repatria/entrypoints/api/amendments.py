"""Amendments to the law under review: propose, decide (four eyes), list, read, impact."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from repatria.domain.amendments import LawAmendment
from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import CONFLICT, FORBIDDEN, NOT_FOUND, refusals
from repatria.services import amendments, impact
from repatria.services.amendments import DecideAmendment, ProposeAmendment

router = APIRouter(tags=["law"])


def amendment_json(
    amendment: LawAmendment, names: dict[int, str], *, text: bool = False
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": amendment.id,
        "state": amendment.state,
        "title": amendment.title,
        "file_name": amendment.file_name,
        "amends": amendment.target,
        "adds": amendment.adds,
        "status": amendment.status.value,
        "reason": amendment.reason,
        "proposed_by": names.get(amendment.proposed_by or 0),
        "proposed_at": amendment.proposed_at.isoformat(),
        "decided_by": names.get(amendment.decided_by or 0),
        "decided_at": amendment.decided_at.isoformat() if amendment.decided_at else None,
        "decision_reason": amendment.decision_reason,
        "effective_on": amendment.effective_on.isoformat() if amendment.effective_on else None,
    }
    if text:
        found["text"] = amendment.text
    return found


@router.get("/law/amendments", summary="List amendments to the law")
def list_amendments(principal: CurrentPrincipal, uow: Uow) -> object:
    """Approved amendments, and your state's proposals and rejections, newest first, with
    who proposed and decided each and the day it took effect."""
    found = amendments.list_amendments(uow, principal)
    names = amendments.usernames(uow, found)
    items = [amendment_json(a, names) for a in found]
    return {"items": items, "total": len(items)}


@router.post(
    "/law/amendments",
    status_code=201,
    summary="Propose an amendment to the law",
    responses=refusals(FORBIDDEN),
)
def propose(
    body: ProposeAmendment, principal: CurrentPrincipal, uow: Uow, idem: Idempotent
) -> object:
    """A legal officer proposes a YAML overlay (as in REPATRIA_LAW_DIR); one the law's loader
    refuses is a 422 whose `text` error names the file, the line and the reason."""
    found = amendments.propose(uow, principal, body)
    names = amendments.usernames(uow, [found])
    return idem.commit(uow, amendment_json(found, names, text=True), 201)


@router.get("/law/amendments/{amendment_id}", summary="An amendment to the law")
def read(amendment_id: RecordId, principal: CurrentPrincipal, uow: Uow) -> object:
    """The amendment with its YAML text."""
    found = amendments.get_or_raise(uow, principal, amendment_id)
    return amendment_json(found, amendments.usernames(uow, [found]), text=True)


@router.post(
    "/law/amendments/{amendment_id}/decision",
    summary="Approve or reject an amendment",
    responses=refusals(FORBIDDEN, NOT_FOUND, CONFLICT),
)
def decide(
    amendment_id: RecordId,
    body: DecideAmendment,
    principal: CurrentPrincipal,
    uow: Uow,
    idem: Idempotent,
) -> object:
    """A legal officer or administrator of the proposer's state, never the proposer,
    approves (with the day it takes effect, today by default) or rejects it."""
    found = amendments.decide(uow, principal, amendment_id, body)
    return idem.commit(uow, amendment_json(found, amendments.usernames(uow, [found])))


@router.get("/law/amendments/{amendment_id}/impact", summary="The open cases it changes")
def impact_of(amendment_id: RecordId, principal: CurrentPrincipal, uow: Uow) -> object:
    """Every open case of your state whose verdict or failing grounds the amendment changes,
    today and at its planned departure, with the rules responsible."""
    found = amendments.get_or_raise(uow, principal, amendment_id)
    changes = [change.as_json() for change in impact.impact(uow, principal, found)]
    return {"amendment": amendment_id, "items": changes, "total": len(changes)}
