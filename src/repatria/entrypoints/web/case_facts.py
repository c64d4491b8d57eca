"""Asserting the facts the legal engine reads from a case, from the case page."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response

from repatria.entrypoints.web.cases import case_page
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, back_to, given, yes_no
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.typed_dates import as_iso
from repatria.services import case_facts
from repatria.services.case_facts import AssertCaseFacts

router = web_router()


@router.post("/cases/{case_id}/facts")
def assert_facts(
    request: Request,
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
    """Assert the facts the engine reads from the case; blanks stay unknown. Refused, the
    case page comes back with the form as typed and each reason beside its field."""
    values: dict[str, Any] = given(
        request_received_on=as_iso(request_received_on),
        person_years_in_sending_state=person_years_in_sending_state,
        approvals_us_state=as_iso(approvals_us_state),
    )
    typed = {
        "request_received_on": request_received_on,
        "person_years_in_sending_state": person_years_in_sending_state,
        "approvals_us_state": approvals_us_state,
    }
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
        typed[name] = answer
        if yes_no(answer) is not None:
            values[name] = yes_no(answer)
    try:
        case_facts.assert_facts(uow, principal, case_id, AssertCaseFacts.model_validate(values))
    except KEPT as refused:
        page = lambda: case_page(uow, principal, case_id)  # noqa: E731
        return form_back(
            request,
            uow,
            refused,
            form="facts",
            typed=typed,
            page=page,
            dates=("request_received_on", "approvals_us_state"),
        )
    uow.commit()
    return back_to(case_id, "facts")
