"""What a step on a case shared with a peer sends it: the transfer request when the sending
state approves, each state's decision, the consent record, the movement notice, the arrival
and a withdrawal. Called by transitions.move, in the step's transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from repatria.domain.accounts import Principal
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case, CaseState
from repatria.services.exchange import custody, outbox
from repatria.services.unit_of_work import UnitOfWork
from repatria.settings import get_settings

CROSSED = {
    CaseState.RECEIVING_REVIEW,
    CaseState.CONSENT_VERIFICATION,
    CaseState.APPROVED,
    CaseState.SCHEDULED,
}


def after_step(
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    command: str,
    previous: CaseState,
    on: date,
    assessment: Assessment,
    reason: str,
) -> None:
    """Queue the message this step sends to the peer on the other side of the case, if any."""
    settings = get_settings()
    home = (settings.exchange_state or "").upper()
    if not home or home not in case.states_involved:
        return
    other = case.to_state if case.from_state == home else case.from_state
    if uow.peers.one_of([other]) is None:
        return
    if command == "confirm_arrival" and case.to_state == home:
        custody.passes(uow, principal, case, f"arrival confirmed by {home}")
    message = _message(uow, case, home, command, previous, on, assessment, reason)
    if message is not None:
        kind, body = message
        outbox.send(uow, principal, settings, other, kind, case.reference, body)


def _message(
    uow: UnitOfWork,
    case: Case,
    home: str,
    command: str,
    previous: CaseState,
    on: date,
    assessment: Assessment,
    reason: str,
) -> tuple[str, dict[str, Any]] | None:
    sending = case.from_state == home
    day = on.isoformat()
    if command in ("withdraw", "cancel") and previous in CROSSED:
        return "withdrawal", {"on": day, "reason": reason}
    if sending and command == "approve_sending":
        return "transfer_request", transfer_request(uow, case, on, assessment)
    if sending and command == "verify_consent":
        return "consent_verification", _consent(uow, case, on)
    if sending and command == "depart":
        return "movement_notice", _movement(uow, case, on)
    if not sending and command == "approve_receiving":
        return "decision", {"decision": "approve", "decided_on": day, "reasons": reason}
    if not sending and command == "deny":
        return "decision", {"decision": "refuse", "decided_on": day, "reasons": reason}
    if not sending and command == "confirm_arrival":
        return "arrival_confirmation", {"arrived_on": day}
    return None


def transfer_request(
    uow: UnitOfWork, case: Case, on: date, assessment: Assessment
) -> dict[str, Any]:
    """What the instrument requires the receiving state to know: who, which sentence, the
    consent's status and the sending state's assessment with the digest of its law."""
    person = uow.people.get(case.person_id)
    assert person is not None
    pending = sorted(
        {c["ground"] for c in assessment.verdict.get("checks", []) if c["outcome"] != "pass"}
    )
    return {
        "authority": case.authority,
        "request_received_on": _iso(case.request_received_on),
        "facts": {k: v for k, v in case.facts.items() if not isinstance(v, (dict, list))},
        "person": {
            "family_name": person.family_name,
            "given_names": person.given_names,
            "birth_date": _iso(person.birth_date),
            "citizenships": [
                {"country": c.country, "acquired_on": _iso(c.acquired_on)}
                for c in person.citizenships
                if c.lost_on is None
            ],
        },
        "sentences": [
            {
                "offense": s.offense,
                "offense_category": str(s.offense_category),
                "jurisdiction": s.jurisdiction,
                "start_date": s.start_date.isoformat(),
                "length_days": s.length_days,
                "credit_days": s.credit_days,
                "indeterminate": s.indeterminate,
                "death_sentence": s.death_sentence,
                "final": s.final,
                "appeal_pending": s.appeal_pending,
                "collateral_attack_pending": s.collateral_attack_pending,
                "state_prisoner": s.state_prisoner,
            }
            for s in person.sentences
        ],
        "consent": {"status": "not_verified", "verified_on": None},
        "assessment": {
            "allowed": assessment.allowed,
            "as_of": assessment.as_of.isoformat(),
            "law_digest": assessment.law_digest,
            "pending": pending,
        },
        "sending_approved_on": on.isoformat(),
    }


def _consent(uow: UnitOfWork, case: Case, on: date) -> dict[str, Any]:
    hearing = uow.cases.last_consent_hearing(case.id)  # type: ignore[arg-type]
    role = str(hearing.verifier_role) if hearing is not None else "unrecorded"
    return {"verified_on": on.isoformat(), "outcome": "verified", "verifier_role": role}


def _movement(uow: UnitOfWork, case: Case, on: date) -> dict[str, Any]:
    movement = uow.movements.carrying(case.id)  # type: ignore[arg-type]
    if movement is None or movement.id is None:
        return {
            "movement": "unrecorded",
            "departed_on": on.isoformat(),
            "manifest": [case.reference],
        }
    aboard = uow.movements.references_aboard(movement.id)
    return {"movement": movement.label, "departed_on": on.isoformat(), "manifest": aboard}


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
