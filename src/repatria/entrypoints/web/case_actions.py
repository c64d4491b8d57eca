"""Forms that change a case: each calls the same service as the API, in one unit of work."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Form, Response
from fastapi.responses import RedirectResponse

from repatria.domain.errors import InvalidInput
from repatria.domain.workflow import REQUIRED_ADVISEMENTS
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.routing import web_router
from repatria.services import case_facts, cases, clock, consent, fear_claims, notices, transitions
from repatria.services.commands import (
    AssertCaseFacts,
    OpenCase,
    RaiseFearClaim,
    RecordConsentVerification,
    ServeNotice,
)

router = web_router()
Text = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=200)]


def given(**fields: str) -> dict[str, Any]:
    """The fields the form filled in: blanks are left out, so they stay unknown."""
    return {name: value.strip() for name, value in fields.items() if value and value.strip()}


def yes_no(value: str) -> bool | None:
    """A yes / no / unknown select."""
    return {"yes": True, "no": False}.get(value)


def form_date(field: str, text: str) -> date:
    """A date typed in a form (YYYY-MM-DD); anything else is a 422 page naming the field."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(field, f"{text!r} is not a date written YYYY-MM-DD") from None


def back_to(case_id: int, done: str) -> Response:
    """After a change, show the case again (POST, redirect, GET)."""
    return RedirectResponse(f"/cases/{case_id}?done={done}#timeline", status_code=303)


@router.post("/cases")
def open_case(
    uow: Uow,
    principal: User,
    person_id: Annotated[int, Form(ge=1, le=2**63 - 1)],
    authority: Short,
    from_state: Short,
    to_state: Short,
) -> Response:
    """Open a case for a person (case officers)."""
    command = OpenCase.model_validate(
        {
            "person_id": person_id,
            "authority": authority,
            "from_state": from_state,
            "to_state": to_state,
        }
    )
    case = cases.open_case(uow, principal, command)
    uow.commit()
    assert case.id is not None
    return back_to(case.id, "opened")


@router.post("/cases/{case_id}/steps")
def take_step(
    case_id: RecordId,
    uow: Uow,
    principal: User,
    command: Annotated[str, Form(pattern=r"^[a-z_]{3,40}$")],
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    reason: Text = "",
    on: Short = "",
) -> Response:
    """Take one lifecycle step; refusals come back as a page saying why."""
    step = transitions.Step(
        command=command,
        on=form_date("on", on) if on.strip() else clock.today(),
        reason=reason.strip(),
        expected_version=version,
    )
    transitions.take(uow, principal, case_id, step)
    uow.commit()
    return back_to(case_id, command)


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
            "version": version,
        }
    )
    consent.verify_consent(uow, principal, case_id, body)
    uow.commit()
    return back_to(case_id, "consent")


@router.post("/cases/{case_id}/facts")
def assert_facts(
    case_id: RecordId,
    uow: Uow,
    principal: User,
    request_received_on: Short = "",
    person_competent: Short = "",
    person_years_in_sending_state: Short = "",
    person_intends_to_remain: Short = "",
    sentence_dual_criminality: Short = "",
    sentence_other_charges_pending: Short = "",
    approvals_us_state: Short = "",
    person_member_of_designated_organisation: Short = "",
    removal_order_destination_accepts: Short = "",
    removal_order_assurances_relied_on: Short = "",
    removal_order_assurances_found_reliable: Short = "",
) -> Response:
    """Assert the facts the engine reads from the case; blanks stay unknown."""
    values: dict[str, Any] = given(
        request_received_on=request_received_on,
        person_years_in_sending_state=person_years_in_sending_state,
        approvals_us_state=approvals_us_state,
    )
    for name, answer in (
        ("person_competent", person_competent),
        ("person_intends_to_remain", person_intends_to_remain),
        ("sentence_dual_criminality", sentence_dual_criminality),
        ("sentence_other_charges_pending", sentence_other_charges_pending),
        ("person_member_of_designated_organisation", person_member_of_designated_organisation),
        ("removal_order_destination_accepts", removal_order_destination_accepts),
        ("removal_order_assurances_relied_on", removal_order_assurances_relied_on),
        ("removal_order_assurances_found_reliable", removal_order_assurances_found_reliable),
    ):
        if yes_no(answer) is not None:
            values[name] = yes_no(answer)
    case_facts.assert_facts(uow, principal, case_id, AssertCaseFacts.model_validate(values))
    uow.commit()
    return back_to(case_id, "facts")


@router.post("/cases/{case_id}/notices")
def serve_notice(
    case_id: RecordId,
    uow: Uow,
    principal: User,
    served_at: Short,
    language_understood: Short = "",
    explains_how_to_contest: Short = "",
    country: Short = "",
) -> Response:
    """Record written notice of the destination served on the person."""
    moment = served_at if len(served_at) > 16 else f"{served_at}:00Z"
    command = ServeNotice.model_validate(
        {
            "served_at": moment,
            "language_understood": language_understood == "yes",
            "explains_how_to_contest": explains_how_to_contest == "yes",
            "country": country.strip().upper() or None,
        }
    )
    notices.add_notice(uow, principal, case_id, command)
    uow.commit()
    return back_to(case_id, "notice")


@router.post("/cases/{case_id}/fear-claims")
def raise_fear_claim(
    case_id: RecordId,
    uow: Uow,
    principal: User,
    raised_on: Short,
    outcome: Short = "",
    decided_on: Short = "",
) -> Response:
    """Record a fear claim about the destination (undecided, it blocks the removal)."""
    command = RaiseFearClaim.model_validate(
        {"raised_on": raised_on, **given(outcome=outcome, decided_on=decided_on)}
    )
    fear_claims.add_fear_claim(uow, principal, case_id, command)
    uow.commit()
    return back_to(case_id, "fear_claim")
