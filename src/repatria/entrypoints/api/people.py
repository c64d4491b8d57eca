"""People in custody."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from repatria.entrypoints.api.deps import CurrentPrincipal, Limit, Offset, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import FORBIDDEN
from repatria.entrypoints.api.schemas import HoldOut, PageOut, PersonOut, ProtectionOrderOut
from repatria.services import fear_claims, people, safeguards
from repatria.services.commands import HoldIn, ProtectionOrderIn, RecordPerson, UpdatePerson
from repatria.services.fear_claims import DecideFearClaim
from repatria.services.safeguards import LiftHold, TerminateProtectionOrder

router = APIRouter(tags=["people"])
Country = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")]


@router.post(
    "/people",
    response_model=PersonOut,
    status_code=201,
    summary="Record a person",
    responses=FORBIDDEN,
)
def record_person(
    body: RecordPerson, principal: CurrentPrincipal, uow: Uow, idem: Idempotent
) -> object:
    """Record a person held by your state, with their legal facts."""
    person = people.record(uow, principal, body)
    return idem.commit(uow, PersonOut.model_validate(person).model_dump(mode="json"), 201)


@router.get("/people/{person_id}", response_model=PersonOut, summary="Read a person")
def read_person(person_id: RecordId, principal: CurrentPrincipal, uow: Uow) -> object:
    """A person your state holds or has a case about (404 otherwise)."""
    return people.get_or_raise(uow, principal, person_id)


@router.patch(
    "/people/{person_id}", response_model=PersonOut, summary="Correct a person", responses=FORBIDDEN
)
def update_person(
    person_id: RecordId,
    body: UpdatePerson,
    principal: CurrentPrincipal,
    uow: Uow,
    idem: Idempotent,
) -> object:
    """Correct identity facts; send `version` to be refused (409) if it changed meanwhile."""
    person = people.update(uow, principal, person_id, body)
    return idem.commit(uow, PersonOut.model_validate(person).model_dump(mode="json"))


@router.get("/people", response_model=PageOut[PersonOut], summary="List people")
def list_people(
    principal: CurrentPrincipal,
    uow: Uow,
    limit: Limit = 50,
    offset: Offset = 0,
    citizenship: Country = None,
    held_by_state: Country = None,
    name: Annotated[str | None, Query(max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$")] = None,
) -> object:
    """People in your scope, filtered by citizenship, holding state or part of a name."""
    return people.list_people(
        uow,
        principal,
        limit=limit,
        offset=offset,
        citizenship=citizenship,
        held_by_state=held_by_state,
        name=name,
    )


@router.post(
    "/people/{person_id}/holds",
    status_code=201,
    summary="Record a court hold",
    responses=FORBIDDEN,
)
def add_hold(
    person_id: RecordId, body: HoldIn, principal: CurrentPrincipal, uow: Uow, idem: Idempotent
) -> object:
    """Record a TRO, injunction, stay or pending habeas: every open case stops at once."""
    hold, stopped = safeguards.add_hold(uow, principal, person_id, body)
    answer = {
        "hold": HoldOut.model_validate(hold).model_dump(mode="json"),
        "stopped_cases": [c.reference for c in stopped],
    }
    return idem.commit(uow, answer, 201)


@router.post(
    "/people/{person_id}/protection-orders",
    status_code=201,
    summary="Record a protection order",
    responses=FORBIDDEN,
)
def add_protection_order(
    person_id: RecordId,
    body: ProtectionOrderIn,
    principal: CurrentPrincipal,
    uow: Uow,
    idem: Idempotent,
) -> object:
    """Record withholding or CAT protection: every open case to that country stops at once."""
    order, stopped = safeguards.add_protection_order(uow, principal, person_id, body)
    answer = {
        "protection_order": ProtectionOrderOut.model_validate(order).model_dump(mode="json"),
        "stopped_cases": [c.reference for c in stopped],
    }
    return idem.commit(uow, answer, 201)


@router.post(
    "/people/{person_id}/holds/{hold_id}/lift", summary="Lift a court hold", responses=FORBIDDEN
)
def lift_hold(
    person_id: RecordId,
    hold_id: RecordId,
    body: LiftHold,
    principal: CurrentPrincipal,
    uow: Uow,
    idem: Idempotent,
) -> object:
    """Record the order lifting a hold; blocked cases may then be resumed."""
    hold = safeguards.lift_hold(uow, principal, person_id, hold_id, body)
    return idem.commit(uow, {"hold": HoldOut.model_validate(hold).model_dump(mode="json")})


@router.post(
    "/people/{person_id}/protection-orders/{order_id}/terminate",
    summary="Terminate a protection order",
    responses=FORBIDDEN,
)
def terminate_protection_order(
    person_id: RecordId,
    order_id: RecordId,
    body: TerminateProtectionOrder,
    principal: CurrentPrincipal,
    uow: Uow,
    idem: Idempotent,
) -> object:
    """Record the end of a protection order; blocked cases to that country may then resume."""
    order = safeguards.terminate_protection_order(uow, principal, person_id, order_id, body)
    answer = {"protection_order": ProtectionOrderOut.model_validate(order).model_dump(mode="json")}
    return idem.commit(uow, answer)


@router.post(
    "/people/{person_id}/fear-claims/{claim_id}/decide",
    summary="Decide a fear claim",
    responses=FORBIDDEN,
)
def decide_fear_claim(
    person_id: RecordId,
    claim_id: RecordId,
    body: DecideFearClaim,
    principal: CurrentPrincipal,
    uow: Uow,
    idem: Idempotent,
) -> object:
    """Record the decision on a pending fear claim; a grant is a protection order for that
    country, which stops every open case of the person to it."""
    claim, order, stopped = fear_claims.decide_fear_claim(uow, principal, person_id, claim_id, body)
    answer = {
        "fear_claim": {
            "id": claim.id,
            "case_id": claim.case_id,
            "country": claim.country,
            "raised_on": claim.raised_on.isoformat(),
            "decided_on": claim.decided_on.isoformat() if claim.decided_on else None,
            "outcome": body.outcome,
        },
        "protection_order": (
            ProtectionOrderOut.model_validate(order).model_dump(mode="json") if order else None
        ),
        "stopped_cases": [c.reference for c in stopped],
    }
    return idem.commit(uow, answer)
