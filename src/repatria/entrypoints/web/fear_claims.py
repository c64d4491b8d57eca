"""Recording a fear claim about a case's destination, from the case page."""

from __future__ import annotations

from fastapi import Request, Response

from repatria.entrypoints.web.cases import case_page
from repatria.entrypoints.web.deps import RecordId, Uow, User
from repatria.entrypoints.web.forms import Short, back_to, given
from repatria.entrypoints.web.kept_forms import KEPT
from repatria.entrypoints.web.refused_forms import form_back
from repatria.entrypoints.web.routing import web_router
from repatria.entrypoints.web.typed_dates import as_iso
from repatria.services import fear_claims
from repatria.services.fear_claims import RaiseFearClaim

router = web_router()


@router.post("/cases/{case_id}/fear-claims")
def raise_fear_claim(
    request: Request,
    case_id: RecordId,
    uow: Uow,
    principal: User,
    raised_on: Short,
    outcome: Short = "",
    decided_on: Short = "",
) -> Response:
    """Record a fear claim about the destination (undecided, it blocks the removal)."""
    typed = {"raised_on": raised_on, "outcome": outcome, "decided_on": decided_on}
    try:
        command = RaiseFearClaim.model_validate(
            {
                "raised_on": as_iso(raised_on),
                **given(outcome=outcome, decided_on=as_iso(decided_on)),
            }
        )
        fear_claims.add_fear_claim(uow, principal, case_id, command)
    except KEPT as refused:
        page = lambda: case_page(uow, principal, case_id)  # noqa: E731
        return form_back(
            request,
            uow,
            refused,
            form="fear_claim",
            typed=typed,
            page=page,
            dates=("raised_on", "decided_on"),
        )
    uow.commit()
    return back_to(case_id, "fear_claim")
