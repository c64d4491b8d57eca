"""Notices: the written notice of the destination served on the person."""

from __future__ import annotations

from fastapi import APIRouter

from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import FORBIDDEN
from repatria.entrypoints.api.schemas import CaseOut
from repatria.services import notices
from repatria.services.notices import ServeNotice

router = APIRouter(tags=["workflow"])


@router.post(
    "/cases/{case_id}/notices",
    response_model=CaseOut,
    summary="Record a notice",
    responses=FORBIDDEN,
)
def serve_notice(
    case_id: RecordId, body: ServeNotice, principal: CurrentPrincipal, uow: Uow, idem: Idempotent
) -> object:
    """Record the written notice of the destination served on the person."""
    case = notices.add_notice(uow, principal, case_id, body)
    return idem.commit(uow, CaseOut.model_validate(case).model_dump(mode="json"))
