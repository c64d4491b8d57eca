"""Taking a lifecycle step: every step checked, re-assessed and recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from repatria.domain.accounts import Principal
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case
from repatria.domain.errors import Conflict, DomainError, NotEligible
from repatria.domain.lifecycle import BEFORE_TRANSIT, Track, Transition, find, track_of
from repatria.domain.records import snapshot
from repatria.domain.transitions import (
    APPROVALS,
    DECISIONS,
    blocking_checks,
    check_actor,
    failing_checks,
    preparation_of,
)
from repatria.domain.workflow import ConsentVerification, Decision
from repatria.i18n import N_
from repatria.services import assessments, case_documents, cases
from repatria.services.case_documents import build_document
from repatria.services.commands import Command
from repatria.services.exchange import sending
from repatria.services.ports.cases import TimelineEntry
from repatria.services.unit_of_work import UnitOfWork, utcnow


class TakeStep(Command):
    """Take one lifecycle step on a case."""

    command: Annotated[str, StringConstraints(pattern=r"^[a-z_]{3,40}$")]
    on: date | None = Field(default=None, description="the date the step takes effect (today)")
    reason: Annotated[str, StringConstraints(max_length=4000)] = ""
    version: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = Field(
        default=None, description="the case version you read; refused (409) if it changed"
    )


@dataclass
class Step:
    """What the caller asks: the command, its date, reasons and optional evidence."""

    command: str
    on: date
    reason: str = ""
    expected_version: int | None = None
    consent: ConsentVerification | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def preparers(uow: UnitOfWork, case: Case, command: str) -> set[int]:
    """Everyone who, by the record, prepared the decision this command takes."""
    assert case.id is not None
    return uow.cases.preparers(case.id, _event_name(preparation_of(command, case.state)))


def check_actor_of(
    uow: UnitOfWork, principal: Principal, case: Case, transition: Transition, step: Step
) -> str:
    """The state the principal acts for in taking the step (domain.transitions.check_actor,
    with the decision's preparers read from the record)."""
    prepared = preparers(uow, case, transition.command) if transition.command in APPROVALS else ()
    return check_actor(principal, case, transition, reason=step.reason, preparers=prepared)


def current(uow: UnitOfWork, principal: Principal, case_id: int, version: int | None) -> Case:
    """The case in the principal's scope, if it is still at the version the caller read."""
    case = cases.get_or_raise(uow, principal, case_id)
    if version is not None and version != case.version:
        raise Conflict(
            N_(
                "case %(case)s is at version %(version)s, not %(expected)s: "
                "someone else changed it; reload and decide again"
            ),
            case=case.id,
            version=case.version,
            expected=version,
        )
    return case


def take(
    uow: UnitOfWork,
    principal: Principal,
    case_id: int,
    step: Step,
    foreseen: assessments.Foresight | None = None,
) -> tuple[Case, Assessment]:
    """Take one lifecycle step; refused unless the law, the role and the state all allow it.

    `foreseen`: the step's verdict as `foresee` worked it out (otherwise it is worked out
    here, where the unit reads ahead)."""
    foreseen = foreseen or foresee(uow, principal, case_id, step)
    case = current(uow, principal, case_id, step.expected_version)
    transition = find(case.authority, step.command, case.state)
    acting_state = check_actor_of(uow, principal, case, transition, step)
    if step.command in DECISIONS:
        uow.cases.add_decision(
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
        uow.cases.add_consent_hearing(step.consent)
    # Stored below (refused) or by move with the step's other writes.
    assessment = assess(uow, principal, case, step.on, foreseen, store=False)
    failing = blocking_checks(transition, assessment.verdict)
    if failing:
        # Kept, as every assessment is, for a caller that goes on and commits (the API
        # answers 409 and rolls back): an extra statement only where the step is refused.
        assessments.store(uow, assessment)
        raise NotEligible(step.command, failing, assessment.verdict)
    move(uow, principal, case, transition, step, assessment)
    return case, assessment


def foresee(
    uow: UnitOfWork, principal: Principal, case_id: int, step: Step
) -> assessments.Foresight | None:
    """The step's verdict worked out before its transaction begins, where that transaction
    will lock out every other writer (UnitOfWork.reading_ahead); None otherwise, or when it
    cannot be (the step then finds out why, inside its transaction). A decision or consent
    record the step adds changes its document: nothing is worked out ahead for those."""
    if step.command in DECISIONS or step.consent is not None:
        return None
    reader = uow.reading_ahead()
    if reader is None:
        return None
    try:
        with reader:
            case = cases.get_or_raise(reader, principal, case_id)
            document = build_document(case_documents.load_records(reader, case), step.on)
            return assessments.foresee(reader, document, case_id=case.id)
    except DomainError:
        return None


def assess(
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    on: date,
    foreseen: assessments.Foresight | None = None,
    *,
    store: bool = True,
) -> Assessment:
    """Re-assess the case as of a day from what the database holds, and keep the assessment
    (or, not `store`d, leave that to move).

    A verdict foreseen from an earlier snapshot is kept only if what is read now is the same
    (assessments.record)."""
    document = build_document(case_documents.load_records(uow, case), on)
    judged = assessments.record if store else assessments.judge
    return judged(uow, principal, document, case_id=case.id, check_role=False, foreseen=foreseen)


def move(
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    transition: Transition,
    step: Step,
    assessment: Assessment,
) -> None:
    """Move the case along an allowed transition and record the step with its legal basis."""
    before = snapshot(case)
    previous = case.state
    prepared_by = case.prepared_by
    if step.command.startswith("prepare_"):
        prepared_by = principal.user_id
    elif transition.target is not case.state:
        # A new stage. prepared_by only shows the latest preparer: four eyes reads every
        # preparer from the record (preparers).
        prepared_by = None
    # Stored checked against the version the case was read at (uow.cases.update): a case
    # someone else changed meanwhile is a Conflict.
    case.state = transition.target
    case.prepared_by = prepared_by
    case.updated_at = utcnow()
    if assessment.id is None:
        uow.cases.add_assessment(assessment)
    uow.cases.update(case)
    uow.record(
        principal,
        _event_name(step.command),
        "case",
        case.id,
        before=before,
        after=snapshot(case),
        reason=step.reason,
        legal_basis=f"assessment {assessment.id} ({case.authority}, as of {step.on})"
        + (f"; {step.extra['from_peer']}" if "from_peer" in step.extra else ""),
        states=list(case.states_involved),
        occurred_at=datetime.combine(step.on, utcnow().timetz()),
    )
    if "from_peer" not in step.extra:  # a peer's own step, received: nothing to send back
        sending.after_step(
            uow, principal, case, step.command, previous, step.on, assessment, step.reason
        )


def recheck(uow: UnitOfWork, principal: Principal, case_id: int, step: Step) -> Assessment:
    """Re-assess a case in place (no state change), as at a manifest lock; NotEligible if the
    law no longer allows the movement."""
    case = cases.get_or_raise(uow, principal, case_id)
    assessment = assess(uow, principal, case, step.on)
    failing = failing_checks(assessment.verdict)
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


def timeline(uow: UnitOfWork, case_id: int) -> list[TimelineEntry]:
    """The recorded events of a case, oldest first (its timeline)."""
    return uow.cases.timeline(case_id)


def open_cases(uow: UnitOfWork, person_id: int) -> list[Case]:
    """The person's cases that have not yet left (the ones an order can still stop)."""
    return [
        c
        for c in uow.cases.of_person(person_id)
        if c.state in BEFORE_TRANSIT[track_of(c.authority)]
    ]


def stop_cases(
    uow: UnitOfWork, principal: Principal, stopping: list[Case], reason: str, on: date
) -> list[Case]:
    """Cancel (treaty) or block (removal) each case, with the reason; returns those stopped."""
    for case in stopping:
        command = "block" if track_of(case.authority) is Track.REMOVAL else "cancel"
        assert case.id is not None
        take(uow, principal, case.id, Step(command=command, on=on, reason=reason))
    return stopping
