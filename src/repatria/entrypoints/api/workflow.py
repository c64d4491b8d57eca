"""Case workflow: lifecycle steps, consent verification, facts, notices, fear claims."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from repatria.domain.lifecycle import LIFECYCLES, available
from repatria.entrypoints.api.deps import CurrentPrincipal, RecordId, Uow
from repatria.entrypoints.api.idempotency import Idempotent
from repatria.entrypoints.api.responses import FORBIDDEN
from repatria.entrypoints.api.schemas import CaseOut
from repatria.services import (
    case_facts,
    cases,
    clock,
    consent,
    deadlines,
    fear_claims,
    notices,
    transitions,
)
from repatria.services.commands import (
    AssertCaseFacts,
    Day,
    RaiseFearClaim,
    RecordConsentVerification,
    ServeNotice,
    TakeStep,
)

router = APIRouter(tags=["workflow"])


def _step_result(case: object, assessment: Any) -> dict[str, Any]:
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
    return idem.commit(uow, _step_result(case, assessment))


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
        **_step_result(hearing.case, hearing.assessment),
        "hearing_id": hearing.record.id,
        "outcome": hearing.outcome.value,
        "failing_checks": hearing.failing,
        "missing_advisements": hearing.record.missing_advisements(),
    }
    return idem.commit(uow, answer, 201)


@router.put(
    "/cases/{case_id}/facts",
    response_model=CaseOut,
    summary="Assert case facts",
    responses=FORBIDDEN,
)
def assert_facts(
    case_id: RecordId,
    body: AssertCaseFacts,
    principal: CurrentPrincipal,
    uow: Uow,
    idem: Idempotent,
) -> object:
    """Set the facts the engine reads from the case (absent facts stay unknown)."""
    case = case_facts.assert_facts(uow, principal, case_id, body)
    return idem.commit(uow, CaseOut.model_validate(case).model_dump(mode="json"))


@router.post(
    "/cases/{case_id}/notices",
    response_model=CaseOut,
    summary="Record a notice",
    responses=FORBIDDEN,
)
def serve_notice(
    case_id: RecordId, body: ServeNotice, principal: CurrentPrincipal, uow: Uow, idem: Idempotent
) -> object:
    """Record the written notice of the destination served on the person."""
    case = notices.add_notice(uow, principal, case_id, body)
    return idem.commit(uow, CaseOut.model_validate(case).model_dump(mode="json"))


@router.post(
    "/cases/{case_id}/fear-claims",
    response_model=CaseOut,
    summary="Record a fear claim",
    responses=FORBIDDEN,
)
def raise_fear_claim(
    case_id: RecordId, body: RaiseFearClaim, principal: CurrentPrincipal, uow: Uow, idem: Idempotent
) -> object:
    """Record a fear claim about the destination (undecided claims block the removal)."""
    case = fear_claims.add_fear_claim(uow, principal, case_id, body)
    return idem.commit(uow, CaseOut.model_validate(case).model_dump(mode="json"))


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


def _deadline_out(d: deadlines.Deadline) -> dict[str, Any]:
    return {
        "case_id": d.case_id,
        "reference": d.reference,
        "authority": d.authority,
        "name": d.name,
        "label": d.label,
        "due_on": d.due_on.isoformat(),
        "met": d.met,
        "days_late": d.days_late,
        "citation": d.citation,
    }


@router.get("/cases/overdue", summary="Cases past a time limit")
def overdue_cases(principal: CurrentPrincipal, uow: Uow, on: Day | None = None) -> object:
    """Every missed time limit of an open case in your scope, most late first."""
    late = deadlines.overdue(uow, principal, on or clock.today())
    return {"on": (on or clock.today()).isoformat(), "items": [_deadline_out(d) for d in late]}


@router.get("/cases/{case_id}/deadlines", summary="A case's time limits")
def case_deadlines(
    case_id: RecordId, principal: CurrentPrincipal, uow: Uow, on: Day | None = None
) -> object:
    """The time limits the law sets for this case, when each falls due and whether it is met."""
    found = deadlines.for_case(uow, principal, case_id, on or clock.today())
    return {"case_id": case_id, "items": [_deadline_out(d) for d in found]}


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
