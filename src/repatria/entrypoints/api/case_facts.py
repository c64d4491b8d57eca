"""Case facts: what the legal engine reads from the case."""

from __future__ import annotations

from fastapi import APIRouter

from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import FORBIDDEN
from repatria.entrypoints.api.schemas import CaseOut
from repatria.services import case_facts
from repatria.services.case_facts import AssertCaseFacts

router = APIRouter(tags=["workflow"])


@router.put(
    "/cases/{case_id}/facts",
    response_model=CaseOut,
    summary="Assert case facts",
    responses=FORBIDDEN,
)
def assert_facts(
    case_id: RecordId,
    body: AssertCaseFacts,
    principal: CurrentPrincipal,
    uow: Uow,
    idem: Idempotent,
) -> object:
    """Set the facts the engine reads from the case (absent facts stay unknown)."""
    case = case_facts.assert_facts(uow, principal, case_id, body)
    return idem.commit(uow, CaseOut.model_validate(case).model_dump(mode="json"))
