"""Fear claims: a person's claim to fear the destination, which blocks every open removal of
theirs to that country until it is decided; a grant is a protection order for that country."""

from __future__ import annotations

from datetime import date
from typing import Literal

from repatria.domain.accounts import Principal
from repatria.domain.cases import Case
from repatria.domain.errors import Conflict, InvalidInput, NotFound, Term
from repatria.domain.lifecycle import Track, track_of
from repatria.domain.people import ProtectionKind, ProtectionOrder
from repatria.domain.records import snapshot
from repatria.domain.workflow import FearClaim, FearOutcome
from repatria.i18n import N_
from repatria.services import clock, safeguards
from repatria.services.cases import editable_case
from repatria.services.commands import Command
from repatria.services.safeguards import LegalBasis, Reason
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
    case.updated_at = utcnow()
    uow.cases.add_fear_claim(claim)
    uow.cases.update(case)
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


class DecideFearClaim(Command):
    """Record the decision on a pending fear claim; a grant is a protection order."""

    outcome: Literal["granted", "denied"]
    decided_on: date
    protection: ProtectionKind = ProtectionKind.WITHHOLDING  # what a grant gives
    reason: Reason
    legal_basis: LegalBasis


def decide_fear_claim(
    uow: UnitOfWork, principal: Principal, person_id: int, claim_id: int, command: DecideFearClaim
) -> tuple[FearClaim, ProtectionOrder | None, list[Case]]:
    """Record the decision on a pending fear claim. A grant is a protection order for that
    country (8 C.F.R. §§ 1208.16-1208.17): it stops every open case of the person to it."""
    person = safeguards.holding_officer(uow, principal, person_id)
    claim = uow.cases.fear_claim(claim_id)
    case = uow.cases.get(claim.case_id) if claim is not None else None
    if claim is None or case is None or case.person_id != person.id:
        raise NotFound("fear claim", claim_id)
    if claim.outcome is not None:
        raise Conflict(
            N_("fear claim %(claim)s was already decided (%(outcome)s)"),
            claim=claim_id,
            outcome=Term(claim.outcome.value),
        )
    if command.decided_on < claim.raised_on:
        raise InvalidInput(
            "decided_on", N_("before the claim was raised on %(day)s"), day=claim.raised_on
        )
    before = snapshot(claim)
    granted = command.outcome == "granted"
    claim.outcome = FearOutcome.PROTECTED if granted else FearOutcome.REJECTED
    claim.decided_on = command.decided_on
    uow.cases.update_fear_claim(claim)
    uow.record(
        principal,
        "FearClaimDecided",
        "case",
        case.id,
        before=before,
        after={**snapshot(claim), "decision": command.outcome},
        reason=command.reason,
        legal_basis=command.legal_basis,
        states=list(case.states_involved),
    )
    if not granted:
        return claim, None, []
    order = ProtectionOrder(
        kind=command.protection,
        country=claim.country,
        issued_on=command.decided_on,
        issued_by=f"fear claim {claim.id} granted: {command.legal_basis}"[:200],
    )
    return claim, order, safeguards.protect(uow, principal, person, order)
