"""Fear claims: raising one about a case's destination (deciding one: people.py)."""

from __future__ import annotations

from fastapi import APIRouter

from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import FORBIDDEN
from repatria.entrypoints.api.schemas import CaseOut
from repatria.services import fear_claims
from repatria.services.fear_claims import RaiseFearClaim

router = APIRouter(tags=["workflow"])


@router.post(
    "/cases/{case_id}/fear-claims",
    response_model=CaseOut,
    summary="Record a fear claim",
    responses=FORBIDDEN,
)
def raise_fear_claim(
    case_id: RecordId, body: RaiseFearClaim, principal: CurrentPrincipal, uow: Uow, idem: Idempotent
) -> object:
    """Record a fear claim about the destination (undecided claims block the removal)."""
    case = fear_claims.add_fear_claim(uow, principal, case_id, body)
    return idem.commit(uow, CaseOut.model_validate(case).model_dump(mode="json"))
