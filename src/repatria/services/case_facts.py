"""Case facts: what a case officer asserts on a case for the legal engine to read."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field

from repatria.domain.accounts import Principal
from repatria.domain.cases import Case
from repatria.domain.records import snapshot
from repatria.services.cases import editable_case
from repatria.services.commands import Command
from repatria.services.unit_of_work import UnitOfWork, utcnow


class AssertCaseFacts(Command):
    """Facts an officer asserts for the legal engine (absent facts stay unknown)."""

    request_received_on: date | None = None
    departure_at: datetime | None = None
    person_competent: bool | None = None
    person_years_in_sending_state: Annotated[int, Field(ge=0, le=120)] | None = None
    person_intends_to_remain: bool | None = None
    sentence_dual_criminality: bool | None = None
    sentence_other_charges_pending: bool | None = None
    approvals_us_state: date | None = None
    # Removals: a recorded finding of membership (Alien Enemies Act); the third country's
    # acceptance (8 U.S.C. § 1231(b)(2)); diplomatic assurances (8 CFR 208.18(c)).
    person_member_of_designated_organisation: bool | None = None
    removal_order_destination_accepts: bool | None = None
    removal_order_assurances_relied_on: bool | None = None
    removal_order_assurances_found_reliable: bool | None = None


# The command's fields, by the fact each sets in the assessment document.
FACT_FIELDS = {
    "person_competent": "person.competent",
    "person_years_in_sending_state": "person.years_in_sending_state",
    "person_intends_to_remain": "person.intends_to_remain",
    "sentence_dual_criminality": "sentence.dual_criminality",
    "sentence_other_charges_pending": "sentence.other_charges_pending",
    "approvals_us_state": "approvals.us_state",
    "person_member_of_designated_organisation": "person.member_of_designated_organisation",
    "removal_order_destination_accepts": "removal_order.destination_accepts",
    "removal_order_assurances_relied_on": "removal_order.assurances_relied_on",
    "removal_order_assurances_found_reliable": "removal_order.assurances_found_reliable",
}


def assert_facts(
    uow: UnitOfWork, principal: Principal, case_id: int, command: AssertCaseFacts
) -> Case:
    """Set facts for the engine on a case; recorded with before and after."""
    case = editable_case(uow, principal, case_id)
    before = snapshot(case)
    given = command.model_dump(mode="json", exclude_unset=True)
    facts = dict(case.facts or {})
    for name, dotted in FACT_FIELDS.items():
        if name in given:
            facts[dotted] = given[name]
    case.facts = facts
    if "request_received_on" in given:
        case.request_received_on = command.request_received_on
    if "departure_at" in given:
        case.departure_at = command.departure_at
    case.updated_at = utcnow()
    uow.cases.update(case)
    uow.record(
        principal,
        "CaseFactsAsserted",
        "case",
        case.id,
        before=before,
        after=snapshot(case),
        states=list(case.states_involved),
    )
    return case
