"""Taking a lifecycle step, a case's timeline, and the lifecycles themselves."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from repatria.domain.lifecycle import LIFECYCLES, available
from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import FORBIDDEN
from repatria.entrypoints.api.schemas import CaseOut
from repatria.services import cases, clock, transitions
from repatria.services.transitions import TakeStep

router = APIRouter(tags=["workflow"])  # the API document's section, as before the split


def step_result(case: object, assessment: Any) -> dict[str, Any]:
    """A case after a step, with the assessment the step rests on."""
    return {
        "case": CaseOut.model_validate(case).model_dump(mode="json"),
        "assessment_id": assessment.id,
        "verdict": assessment.verdict,
    }


@router.post("/cases/{case_id}/transitions", summary="Take a lifecycle step", responses=FORBIDDEN)
def take_step(
    case_id: RecordId, body: TakeStep, principal: CurrentPrincipal, uow: Uow, idem: Idempotent
) -> object:
    """Take one step; refused with 409 and the failing checks when the law does not allow it."""
    step = transitions.Step(
        command=body.command,
        on=body.on or clock.today(),
        reason=body.reason,
        expected_version=body.version,
    )
    case, assessment = transitions.take(uow, principal, case_id, step)
    return idem.commit(uow, step_result(case, assessment))


@router.get("/cases/{case_id}/timeline", summary="The case's recorded events")
def timeline(case_id: RecordId, principal: CurrentPrincipal, uow: Uow) -> object:
    """Every recorded event of the case, oldest first, and the steps open from here."""
    case = cases.get_or_raise(uow, principal, case_id)
    events = [
        {
            "id": row.id,
            "command": row.command,
            "occurred_at": row.occurred_at,
            "recorded_at": row.recorded_at,
            "actor": row.actor,
            "reason": row.reason,
            "legal_basis": row.legal_basis,
            "before": row.before,
            "after": row.after,
        }
        for row in transitions.timeline(uow, case_id)
    ]
    steps = [
        {
            "command": s.command,
            "to": s.target.value,
            "roles": sorted(s.roles),
            "needs_reason": s.needs_reason,
            "summary": s.summary,
        }
        for s in available(case.authority, case.state)
    ]
    return {"case_id": case_id, "state": case.state.value, "events": events, "next": steps}


@router.get("/lifecycles", summary="The case lifecycles")
def lifecycles() -> object:
    """Every transition of both lifecycles: command, from, to, roles, side, gating (grounds
    pending at a step, and grounds it awaits: unknown allowed, failing not)."""
    return {
        track.value: [
            {
                "command": t.command,
                "from": sorted(s.value for s in t.sources),
                "to": t.target.value,
                "roles": sorted(t.roles),
                "side": t.side.value,
                "pending_grounds": None if t.gate is None else sorted(t.gate),
                "awaited_grounds": sorted(t.awaiting),
                "needs_reason": t.needs_reason,
                "summary": t.summary,
            }
            for t in transitions
        ]
        for track, transitions in LIFECYCLES.items()
    }
