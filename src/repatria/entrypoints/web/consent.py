"""Recording a consent verification hearing from the case page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Response

from repatria.domain.workflow import REQUIRED_ADVISEMENTS
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, back_to, given
from repatria.entrypoints.web.routing import web_router
from repatria.services import consent
from repatria.services.consent import RecordConsentVerification

router = web_router()
# The case page's message for each outcome (cases.DONE).
OUTCOMES = {
    consent.HearingOutcome.APPROVED: "consent",
    consent.HearingOutcome.WITHDRAWN: "consent_refused",
    consent.HearingOutcome.NOT_APPROVED: "consent_not_approved",
}


@router.post("/cases/{case_id}/consent-verification")
def verify_consent(
    case_id: RecordId,
    uow: Uow,
    principal: User,
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    verifier_name: Short,
    verifier_role: Short,
    verified_on: Short,
    counsel: Short,
    given_by: Short,
    consents: Short,
    recording_reference: Short,
    opinion_recorded: Short = "",
    language: Short = "",
    interpreter: Short = "",
    advisements: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Record the verification hearing; consent given moves the case to approved."""
    ticked = set(advisements or [])
    body = RecordConsentVerification.model_validate(
        {
            "verifier_name": verifier_name,
            "verifier_role": verifier_role,
            "verified_on": verified_on,
            "counsel": counsel,
            "advisements": {name: name in ticked for name in REQUIRED_ADVISEMENTS},
            "given_by": given_by,
            "consents": consents == "yes",
            "recording_reference": recording_reference,
            "opinion_recorded": opinion_recorded == "yes",
            **given(language=language, interpreter=interpreter),
            "version": version,
        }
    )
    hearing = consent.record_consent_hearing(uow, principal, case_id, body)
    uow.commit()
    if hearing.record.missing_advisements():
        return back_to(case_id, "consent_incomplete")
    return back_to(case_id, OUTCOMES[hearing.outcome])
