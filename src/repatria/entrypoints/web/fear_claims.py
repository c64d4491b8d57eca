"""Recording a fear claim about a case's destination, from the case page."""

from __future__ import annotations

from fastapi import Response

from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, back_to, given
from repatria.entrypoints.web.routing import web_router
from repatria.services import fear_claims
from repatria.services.fear_claims import RaiseFearClaim

router = web_router()


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
