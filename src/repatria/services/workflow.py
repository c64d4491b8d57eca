"""Moving cases through their lifecycles: every step checked, re-assessed and recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from repatria.adapters.db import tables as t
from repatria.domain.accounts import Principal
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case
from repatria.domain.errors import Conflict, InvalidInput, NotEligible, PermissionDenied
from repatria.domain.lifecycle import Side, Transition, find
from repatria.domain.people import Person
from repatria.domain.records import snapshot
from repatria.domain.workflow import (
    ConsentVerification,
    Decision,
    DecisionKind,
    FearClaim,
    Notice,
)
from repatria.services import assessments, cases
from repatria.services.case_documents import CaseRecords, build_document
from repatria.services.unit_of_work import UnitOfWork, utcnow

DECISIONS = {
    "approve_sending": DecisionKind.APPROVE,
    "approve_receiving": DecisionKind.APPROVE,
    "deny": DecisionKind.DENY,
}
# Decisions someone may have prepared: the preparer may not take them (four eyes).
APPROVALS = {"approve_sending", "approve_receiving", "deny"}


@dataclass
class Step:
    """What the caller asks: the command, its date, reasons and optional evidence."""

    command: str
    on: date
    reason: str = ""
    expected_version: int | None = None
    consent: ConsentVerification | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def load_records(uow: UnitOfWork, case: Case) -> CaseRecords:
    """Everything the engine reads about a case."""
    person = uow.session.get(Person, case.person_id)
    assert person is not None
    by_case = {"case_id": case.id}
    return CaseRecords(
        case=case,
        person=person,
        facts=dict(case.facts or {}),
        decisions=list(uow.session.scalars(select(Decision).filter_by(**by_case))),
        consents=list(uow.session.scalars(select(ConsentVerification).filter_by(**by_case))),
        notices=list(uow.session.scalars(select(Notice).filter_by(**by_case))),
        fear_claims=list(uow.session.scalars(select(FearClaim).filter_by(**by_case))),
        request_received_on=case.request_received_on,
        departure_at=case.departure_at,
    )


def _acting_state(principal: Principal, case: Case, transition: Transition) -> str:
    """The state the principal acts for, checked against the side the step belongs to."""
    if transition.command == "deny":
        # The state whose review is under way decides.
        side_state = case.from_state if case.state.value == "sending_review" else case.to_state
        wanted = {side_state}
    elif transition.side is Side.SENDING:
        wanted = {case.from_state}
    elif transition.side is Side.RECEIVING:
        wanted = {case.to_state}
    else:
        wanted = {case.from_state, case.to_state}
    if principal.state not in wanted:
        raise PermissionDenied(
            f"{transition.command} is taken by {' or '.join(sorted(wanted))}, not {principal.state}"
        )
    return principal.state


def _check_actor(principal: Principal, case: Case, transition: Transition, step: Step) -> str:
    if principal.role not in transition.roles:
        roles = ", ".join(sorted(r.value for r in transition.roles))
        raise PermissionDenied(f"{transition.command} needs the role {roles}")
    state = _acting_state(principal, case, transition)
    if transition.command in APPROVALS and case.prepared_by == principal.user_id:
        raise PermissionDenied(
            "separation of duties: you prepared this decision, so another reviewer "
            f"must {transition.command.replace('_', ' ')}"
        )
    if transition.needs_reason and not step.reason.strip():
        raise InvalidInput("reason", f"{transition.command} requires a reason")
    return state


def _gate(transition: Transition, verdict: dict[str, Any]) -> list[dict[str, Any]]:
    """The checks that stop this step: every non-passing check whose ground is not pending."""
    if transition.gate is None:
        return []
    return [
        check
        for check in verdict["checks"]
        if check["outcome"] != "pass" and check["ground"] not in transition.gate
    ]


def take(
    uow: UnitOfWork, principal: Principal, case_id: int, step: Step
) -> tuple[Case, Assessment]:
    """Take one lifecycle step; refused unless the law, the role and the state all allow it."""
    case = cases.get_or_raise(uow, principal, case_id)
    if step.expected_version is not None and step.expected_version != case.version:
        raise Conflict(
            f"case {case.id} is at version {case.version}, not {step.expected_version}: "
            "someone else changed it; reload and decide again"
        )
    transition = find(case.authority, step.command, case.state)
    acting_state = _check_actor(principal, case, transition, step)
    before = snapshot(case)
    if step.command in DECISIONS:
        uow.session.add(
            Decision(
                case_id=case_id,
                state=acting_state,
                kind=DECISIONS[step.command],
                decided_on=step.on,
                decided_by=principal.user_id,
                reasons=step.reason,
            )
        )
    if step.consent is not None:
        uow.session.add(step.consent)
    uow.session.flush()
    records = load_records(uow, case)
    document = build_document(records, step.on)
    assessment = assessments.record(uow, principal, document, case_id=case_id, check_role=False)
    failing = _gate(transition, assessment.verdict)
    if failing:
        raise NotEligible(step.command, failing, assessment.verdict)
    if step.command.startswith("prepare_"):
        case.prepared_by = principal.user_id
    elif transition.target is not case.state:
        case.prepared_by = None  # a new stage: earlier preparations no longer apply
    case.state = transition.target
    case.updated_at = utcnow()
    uow.session.flush()
    uow.record(
        principal,
        _event_name(step.command),
        "case",
        case.id,
        before=before,
        after=snapshot(case),
        reason=step.reason,
        legal_basis=f"assessment {assessment.id} ({case.authority}, as of {step.on})",
        states=list(case.states_involved),
        occurred_at=datetime.combine(step.on, utcnow().timetz()),
    )
    return case, assessment


def verify_consent(
    uow: UnitOfWork, principal: Principal, case_id: int, command: Any
) -> tuple[Case, Assessment]:
    """Record a consent verification hearing; verified consent approves the case."""
    record = ConsentVerification(
        case_id=case_id,
        recorded_by=principal.user_id,
        **command.model_dump(exclude={"version"}),
    )
    step = Step(
        command="verify_consent",
        on=command.verified_on,
        expected_version=command.version,
        consent=record,
    )
    return take(uow, principal, case_id, step)


def recheck(uow: UnitOfWork, principal: Principal, case_id: int, step: Step) -> Assessment:
    """Re-assess a case in place (no state change), as at a manifest lock; NotEligible if the
    law no longer allows the movement."""
    case = cases.get_or_raise(uow, principal, case_id)
    document = build_document(load_records(uow, case), step.on)
    assessment = assessments.record(uow, principal, document, case_id=case_id, check_role=False)
    failing = [c for c in assessment.verdict["checks"] if c["outcome"] != "pass"]
    if failing:
        raise NotEligible(step.command, failing, assessment.verdict)
    return assessment


def _event_name(command: str) -> str:
    # Events are named in the past tense of their command: submit → CaseSubmitted.
    past = {
        "submit": "Submitted",
        "screen": "Screened",
        "mark_ineligible": "MarkedIneligible",
        "reopen": "Reopened",
        "approve_sending": "ApprovedBySendingState",
        "approve_receiving": "ApprovedByReceivingState",
        "deny": "Denied",
        "verify_consent": "ConsentVerified",
        "withdraw": "Withdrawn",
        "schedule": "Scheduled",
        "depart": "Departed",
        "confirm_arrival": "ArrivalConfirmed",
        "cancel": "Cancelled",
        "designate_destination": "DestinationDesignated",
        "serve_notice": "NoticeServed",
        "start_waiting_period": "WaitingPeriodStarted",
        "clear": "Cleared",
        "block": "Blocked",
        "resume": "Resumed",
    }
    return "Case" + past.get(command, command.title().replace("_", ""))


def transitions_of(uow: UnitOfWork, case_id: int) -> list[Any]:
    """The recorded events of a case, oldest first (its timeline)."""
    query = (
        select(t.events)
        .where(t.events.c.subject_type == "case", t.events.c.subject_id == str(case_id))
        .order_by(t.events.c.id)
    )
    return list(uow.session.execute(query))


def _editable_case(uow: UnitOfWork, principal: Principal, case_id: int) -> Case:
    from repatria.domain.access import Action, require

    require(principal, Action.OPEN_CASE)
    case = cases.get_or_raise(uow, principal, case_id)
    if principal.state != case.from_state:
        raise PermissionDenied(f"only {case.from_state}, the sending state, records this")
    return case


FACT_FIELDS = {
    "person_competent": "person.competent",
    "person_years_in_sending_state": "person.years_in_sending_state",
    "person_intends_to_remain": "person.intends_to_remain",
    "sentence_dual_criminality": "sentence.dual_criminality",
    "sentence_other_charges_pending": "sentence.other_charges_pending",
    "approvals_us_state": "approvals.us_state",
}


def assert_facts(uow: UnitOfWork, principal: Principal, case_id: int, command: Any) -> Case:
    """Set facts for the engine on a case; recorded with before and after."""
    case = _editable_case(uow, principal, case_id)
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
    uow.session.flush()
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


def add_notice(uow: UnitOfWork, principal: Principal, case_id: int, command: Any) -> Case:
    """Record a written notice served on the person."""
    case = _editable_case(uow, principal, case_id)
    assert case.id is not None
    uow.session.add(Notice(case_id=case.id, **command.model_dump()))
    case.updated_at = utcnow()
    uow.session.flush()
    uow.record(
        principal,
        "NoticeRecorded",
        "case",
        case.id,
        after=command.model_dump(mode="json"),
        states=list(case.states_involved),
    )
    return case


def add_fear_claim(uow: UnitOfWork, principal: Principal, case_id: int, command: Any) -> Case:
    """Record a fear claim about the case's destination."""
    case = _editable_case(uow, principal, case_id)
    assert case.id is not None
    uow.session.add(FearClaim(case_id=case.id, country=case.to_state, **command.model_dump()))
    case.updated_at = utcnow()
    uow.session.flush()
    uow.record(
        principal,
        "FearClaimRecorded",
        "case",
        case.id,
        after=command.model_dump(mode="json"),
        states=list(case.states_involved),
    )
    return case
