"""Fear claims: a person's claim to fear the destination, which blocks every open removal of
theirs to that country until it is decided (deciding one: services/safeguards.py)."""

from __future__ import annotations

from datetime import date

from repatria.domain.accounts import Principal
from repatria.domain.cases import Case
from repatria.domain.lifecycle import Track, track_of
from repatria.domain.records import snapshot
from repatria.domain.workflow import FearClaim, FearOutcome
from repatria.services import clock
from repatria.services.cases import editable_case
from repatria.services.commands import Command
from repatria.services.transitions import open_cases, stop_cases
from repatria.services.unit_of_work import UnitOfWork, utcnow


class RaiseFearClaim(Command):
    raised_on: date
    outcome: FearOutcome | None = None
    decided_on: date | None = None


def add_fear_claim(
    uow: UnitOfWork, principal: Principal, case_id: int, command: RaiseFearClaim
) -> Case:
    """Record a fear claim about the case's destination; unless it was already decided
    against the person, every open removal of theirs to that country is blocked at once."""
    case = editable_case(uow, principal, case_id)
    assert case.id is not None
    claim = FearClaim(case_id=case.id, country=case.to_state, **command.model_dump())
    uow.session.add(claim)
    case.updated_at = utcnow()
    uow.session.flush()
    uow.record(
        principal,
        "FearClaimRecorded",
        "case",
        case.id,
        after=snapshot(claim),
        states=list(case.states_involved),
    )
    if claim.outcome is not FearOutcome.REJECTED:
        removals = [
            c
            for c in open_cases(uow, case.person_id)
            if c.to_state == claim.country and track_of(c.authority) is Track.REMOVAL
        ]
        reason = f"fear claim {claim.id} raised on {claim.raised_on} about {claim.country}"
        stop_cases(uow, principal, removals, reason, max(claim.raised_on, clock.today()))
    return case
