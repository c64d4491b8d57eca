"""Consent verification: recording the hearing, whatever its outcome."""

from __future__ import annotations

from fastapi import APIRouter

from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import FORBIDDEN
from repatria.entrypoints.api.transitions import step_result
from repatria.services import consent
from repatria.services.consent import RecordConsentVerification

router = APIRouter(tags=["workflow"])


@router.post(
    "/cases/{case_id}/consent-verification",
    status_code=201,
    summary="Record a consent hearing",
    responses=FORBIDDEN,
)
def verify_consent(
    case_id: RecordId,
    body: RecordConsentVerification,
    principal: CurrentPrincipal,
    uow: Uow,
    idem: Idempotent,
) -> object:
    """Record the verification hearing, whatever its outcome (201): `approved` when consent
    passes every check, `withdrawn` when the person refused, `not_approved` (case unchanged)
    with the failing checks and any advisement not given."""
    hearing = consent.record_consent_hearing(uow, principal, case_id, body)
    answer = {
        **step_result(hearing.case, hearing.assessment),
        "hearing_id": hearing.record.id,
        "outcome": hearing.outcome.value,
        "failing_checks": hearing.failing,
        "missing_advisements": hearing.record.missing_advisements(),
    }
    return idem.commit(uow, answer, 201)
