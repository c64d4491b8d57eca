"""Recording a consent verification hearing from the case page."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response

from repatria.domain.workflow import REQUIRED_ADVISEMENTS
from repatria.entrypoints.web.cases import case_page
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, back_to, given
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.typed_dates import as_iso
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
    request: Request,
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
    typed = {
        "verifier_name": verifier_name,
        "verifier_role": verifier_role,
        "verified_on": verified_on,
        "counsel": counsel,
        "advisements": " ".join(sorted(ticked)),
        "given_by": given_by,
        "consents": consents,
        "recording_reference": recording_reference,
        "opinion_recorded": opinion_recorded,
        "language": language,
        "interpreter": interpreter,
    }
    try:
        hearing = _record(uow, principal, case_id, version, typed, ticked)
    except KEPT as refused:
        page = lambda: case_page(uow, principal, case_id)  # noqa: E731
        return form_back(
            request, uow, refused, form="consent", typed=typed, page=page, dates=("verified_on",)
        )
    uow.commit()
    if hearing.record.missing_advisements():
        return back_to(case_id, "consent_incomplete")
    return back_to(case_id, OUTCOMES[hearing.outcome])


def _record(
    uow: Uow, principal: User, case_id: int, version: int, typed: dict[str, str], ticked: set[str]
) -> consent.Hearing:
    verifier_name, verifier_role = typed["verifier_name"], typed["verifier_role"]
    counsel, given_by, consents = typed["counsel"], typed["given_by"], typed["consents"]
    recording_reference = typed["recording_reference"]
    opinion_recorded, language = typed["opinion_recorded"], typed["language"]
    interpreter = typed["interpreter"]
    body = RecordConsentVerification.model_validate(
        {
            "verifier_name": verifier_name,
            "verifier_role": verifier_role,
            "verified_on": as_iso(typed["verified_on"]),
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
    return consent.record_consent_hearing(uow, principal, case_id, body)
