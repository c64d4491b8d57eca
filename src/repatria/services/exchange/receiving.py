"""What a message received from a peer does on this side, once it is verified and its turn has
come: a transfer request opens a case awaiting this state's review, assessed by its own law; a
decision, a consent record, a movement notice, an arrival or a withdrawal moves the case they
share (found by its reference) as the other state's step, recorded with the message."""

from __future__ import annotations

from datetime import date
from typing import Any

from repatria.domain.accounts import Principal, Role
from repatria.domain.cases import Case, CaseState
from repatria.domain.errors import Conflict
from repatria.domain.lifecycle import BEFORE_CONSENT, TransitionNotAllowed, find
from repatria.domain.people import Citizenship, OffenseCategory, Person, Sentence
from repatria.domain.records import snapshot
from repatria.domain.workflow import Decision, DecisionKind
from repatria.law import AUTHORITY_IDS
from repatria.services import transitions
from repatria.services.exchange import custody
from repatria.services.unit_of_work import UnitOfWork, utcnow


def peer_principal(state: str) -> Principal:
    """The actor recorded for what a peer state did: its steps arrive as signed messages."""
    return Principal(None, f"peer:{state}", Role.REVIEWER, None, state)


def act(uow: UnitOfWork, claims: dict[str, Any]) -> str:
    """Do what the message says; returns what was done, for the record. Conflict when it
    cannot be done here (the shared case is not where the message expects it)."""
    sender, kind, reference = claims["from"], claims["kind"], claims["case_reference"]
    body, principal = claims["body"], peer_principal(sender)
    legal_basis = f"message {claims['id']} from {sender} (seq {claims['seq']})"
    if kind == "transfer_request":
        case = _open(uow, principal, claims)
        return f"opened case {case.id} ({reference}) awaiting this state's review"
    case = _shared_case(uow, reference, sender)
    if kind == "decision":
        command = "approve_receiving" if body["decision"] == "approve" else "deny"
        uow.cases.add_decision(
            Decision(
                case_id=case.id,  # type: ignore[arg-type]
                state=sender,
                kind=DecisionKind.APPROVE if command == "approve_receiving" else DecisionKind.DENY,
                decided_on=date.fromisoformat(body["decided_on"]),
                decided_by=None,
                reasons=body["reasons"],
            )
        )
        _steps(uow, principal, case, [command], body["decided_on"], body["reasons"], legal_basis)
    elif kind == "consent_verification":
        command = "verify_consent" if body["outcome"] == "verified" else "withdraw"
        _steps(uow, principal, case, [command], body["verified_on"], "", legal_basis)
    elif kind == "movement_notice":
        commands = ["depart"] if case.state is CaseState.SCHEDULED else ["schedule", "depart"]
        reason = f"left with {body['movement']}"
        _steps(uow, principal, case, commands, body["departed_on"], reason, legal_basis)
    elif kind == "arrival_confirmation":
        _steps(uow, principal, case, ["confirm_arrival"], body["arrived_on"], "", legal_basis)
        custody.passes(uow, principal, case, legal_basis)
    elif kind == "withdrawal":
        command = "withdraw" if case.state in BEFORE_CONSENT else "cancel"
        _steps(uow, principal, case, [command], body["on"], body["reason"], legal_basis)
    return f"case {case.id} ({reference}) is now {case.state}"


def _shared_case(uow: UnitOfWork, reference: str, sender: str) -> Case:
    case = uow.cases.by_reference(reference)
    if case is None or sender not in case.states_involved:
        raise Conflict(f"no case {reference} shared with {sender}")
    return case


def _steps(
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    commands: list[str],
    day: str,
    reason: str,
    legal_basis: str,
) -> None:
    on = date.fromisoformat(day)
    for command in commands:
        try:
            transition = find(case.authority, command, case.state)
        except TransitionNotAllowed as exc:
            raise Conflict(f"case {case.reference} cannot {command} from {case.state}") from exc
        step = transitions.Step(command=command, on=on, reason=reason or legal_basis)
        step.extra["from_peer"] = legal_basis
        assessment = transitions.assess(uow, principal, case, on, store=False)
        transitions.move(uow, principal, case, transition, step, assessment)


def _open(uow: UnitOfWork, principal: Principal, claims: dict[str, Any]) -> Case:
    body, reference = claims["body"], claims["case_reference"]
    if uow.cases.reference_taken(reference):
        raise Conflict(f"a case {reference} is already on file")
    if body["authority"] not in AUTHORITY_IDS:
        raise Conflict(f"{body['authority']!r} is no authority this installation's law knows")
    now = utcnow()
    who = body["person"]
    person = Person(
        family_name=who["family_name"],
        given_names=who["given_names"],
        birth_date=_day(who["birth_date"]),
        held_by_state=claims["from"],
        created_at=now,
        updated_at=now,
        citizenships=[
            Citizenship(country=c["country"], acquired_on=_day(c.get("acquired_on")))
            for c in who.get("citizenships", [])
        ],
        sentences=[_sentence(s) for s in body["sentences"]],
    )
    uow.people.add(person)
    case = Case(
        person_id=person.id,  # type: ignore[arg-type]
        authority=body["authority"],
        from_state=claims["from"],
        to_state=claims["to"],
        state=CaseState.RECEIVING_REVIEW,
        opened_by=None,
        opened_at=now,
        updated_at=now,
        reference=reference,
        request_received_on=_day(body.get("request_received_on")),
        facts=dict(body.get("facts", {})),
    )
    uow.cases.add(case)
    uow.cases.add_decision(
        Decision(
            case_id=case.id,  # type: ignore[arg-type]
            state=claims["from"],
            kind=DecisionKind.APPROVE,
            decided_on=date.fromisoformat(body["sending_approved_on"]),
            decided_by=None,
            reasons=f"approved by {claims['from']} (message {claims['id']})",
        )
    )
    uow.record(
        principal,
        "CaseReceivedFromPeer",
        "case",
        case.id,
        after={**snapshot(case), "sender_assessment": body["assessment"]},
        reason=f"transfer request {reference} from {claims['from']}",
        legal_basis=f"message {claims['id']} from {claims['from']} (seq {claims['seq']})",
        states=list(case.states_involved),
    )
    # Assessed here by this state's own copy of the law, as of the day it arrived.
    transitions.assess(uow, principal, case, now.date())
    return case


def _sentence(s: dict[str, Any]) -> Sentence:
    return Sentence(
        offense=s["offense"],
        offense_category=OffenseCategory(s["offense_category"]),
        jurisdiction=s["jurisdiction"],
        start_date=date.fromisoformat(s["start_date"]),
        length_days=s["length_days"],
        credit_days=s.get("credit_days", 0),
        indeterminate=s.get("indeterminate", False),
        death_sentence=s.get("death_sentence", False),
        final=s.get("final", True),
        appeal_pending=s.get("appeal_pending", False),
        collateral_attack_pending=s.get("collateral_attack_pending", False),
        state_prisoner=s.get("state_prisoner", False),
    )


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)
