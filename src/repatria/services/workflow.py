"""Moving cases through their lifecycles: every step checked, re-assessed and recorded."""

from __future__ import annotations

import dataclasses
import enum
import functools
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, RowMapping, Select, Table, bindparam, select
from sqlalchemy.sql.elements import BindParameter

from repatria.adapters.db import tables as t
from repatria.adapters.db.mapping import PERSON_DETAILS
from repatria.domain.accounts import Principal
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case
from repatria.domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotEligible,
    NotFound,
    PermissionDenied,
)
from repatria.domain.lifecycle import BEFORE_TRANSIT, Side, Track, Transition, find, track_of
from repatria.domain.people import Person
from repatria.domain.records import snapshot
from repatria.domain.workflow import (
    ConsentVerification,
    Decision,
    DecisionKind,
    FearClaim,
    FearOutcome,
    Notice,
)
from repatria.services import assessments, cases, clock
from repatria.services.case_documents import CaseRecords, build_document, editable_case
from repatria.services.case_documents import add_notice as add_notice
from repatria.services.case_documents import assert_facts as assert_facts
from repatria.services.unit_of_work import UnitOfWork, utcnow

DECISIONS = {
    "approve_sending": DecisionKind.APPROVE,
    "approve_receiving": DecisionKind.APPROVE,
    "deny": DecisionKind.DENY,
}
# Decisions someone may have prepared: no preparer may take them (four eyes). A denial is the
# decision of the state whose review is under way.
PREPARED_BY = {"approve_sending": "prepare_sending", "approve_receiving": "prepare_receiving"}
APPROVALS = {*PREPARED_BY, "deny"}
T = TypeVar("T")


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
    """Everything the engine reads about a case: one Core query a table, each row made into a
    domain object that the session does not track (they are read, never changed, through
    these records)."""
    assert case.id is not None
    keys = {"person": case.person_id, "case": case.id}
    connection = uow.connection()
    made = [
        [_made(cls, table, row) for row in connection.execute(query, keys).mappings()]
        for (cls, table, _), query in zip(_RECORDS_OF, _record_queries(), strict=True)
    ]
    if len(made[0]) != 1:
        raise NotFound("people", case.person_id)
    person = made[0][0]
    details = len(PERSON_DETAILS) + 1
    for (name, _, _), rows in zip(PERSON_DETAILS, made[1:details], strict=True):
        setattr(person, name, rows)
    decisions, consents, notices, fear_claims = made[details:]
    return CaseRecords(
        case=case,
        person=person,
        facts=dict(case.facts or {}),
        decisions=decisions,
        consents=consents,
        notices=notices,
        fear_claims=fear_claims,
        request_received_on=case.request_received_on,
        departure_at=case.departure_at,
    )


# What load_records reads, in this order: the person, the person's details, the case's own
# records, and the fear claims raised on any of the person's cases (fear is of a country: a
# claim counts for every case to that country).
_PERSON: BindParameter[Any] = bindparam("person")
_RECORDS_OF: tuple[tuple[type[Any], Table, ColumnElement[bool]], ...] = (
    (Person, t.people, t.people.c.id == _PERSON),
    *((cls, table, table.c.person_id == _PERSON) for _, cls, table in PERSON_DETAILS),
    (Decision, t.decisions, t.decisions.c.case_id == bindparam("case")),
    (
        ConsentVerification,
        t.consent_verifications,
        t.consent_verifications.c.case_id == bindparam("case"),
    ),
    (Notice, t.notices, t.notices.c.case_id == bindparam("case")),
    (
        FearClaim,
        t.fear_claims,
        t.fear_claims.c.case_id.in_(select(t.cases.c.id).where(t.cases.c.person_id == _PERSON)),
    ),
)


@functools.cache
def _record_queries() -> tuple[Select[Any], ...]:
    return tuple(
        select(table).where(condition).order_by(table.c.id) for _, table, condition in _RECORDS_OF
    )


@functools.cache
def _columns(cls: type[Any], table: Table) -> tuple[str, ...]:
    # The class's fields that are columns (a detail's person_id is not one of its fields).
    return tuple(f.name for f in dataclasses.fields(cls) if f.name in table.c)


def _made(cls: type[T], table: Table, row: RowMapping) -> T:
    return cls(**{name: row[name] for name in _columns(cls, table)})  # type: ignore[arg-type]


def preparers(uow: UnitOfWork, case: Case, command: str) -> set[int]:
    """Everyone who, by the record, prepared the decision this command takes."""
    if command == "deny":
        review = "prepare_sending" if case.state.value == "sending_review" else "prepare_receiving"
    else:
        review = PREPARED_BY[command]
    query = select(t.events.c.actor_id).where(
        t.events.c.subject_type == "case",
        t.events.c.subject_id == str(case.id),
        t.events.c.command == _event_name(review),
    )
    return {actor for actor in uow.session.scalars(query) if actor is not None}


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


def _check_actor(
    uow: UnitOfWork, principal: Principal, case: Case, transition: Transition, step: Step
) -> str:
    if principal.role not in transition.roles:
        roles = ", ".join(sorted(r.value for r in transition.roles))
        raise PermissionDenied(f"{transition.command} needs the role {roles}")
    state = _acting_state(principal, case, transition)
    if transition.command in APPROVALS and principal.user_id in preparers(
        uow, case, transition.command
    ):
        raise PermissionDenied(
            "separation of duties: you prepared this decision, so another reviewer "
            f"must {transition.command.replace('_', ' ')}"
        )
    if transition.needs_reason and not step.reason.strip():
        raise InvalidInput("reason", f"{transition.command} requires a reason")
    return state


def _gate(transition: Transition, verdict: dict[str, Any]) -> list[dict[str, Any]]:
    """The checks that stop this step: every non-passing check whose ground is not pending,
    except an unknown one whose ground the step awaits (its facts come at a later stage)."""
    if transition.gate is None:
        return []
    return [
        check
        for check in verdict["checks"]
        if check["outcome"] != "pass"
        and check["ground"] not in transition.gate
        and not (check["outcome"] == "unknown" and check["ground"] in transition.awaiting)
    ]


def _current(uow: UnitOfWork, principal: Principal, case_id: int, version: int | None) -> Case:
    case = cases.get_or_raise(uow, principal, case_id)
    if version is not None and version != case.version:
        raise Conflict(
            f"case {case.id} is at version {case.version}, not {version}: "
            "someone else changed it; reload and decide again"
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
    case = _current(uow, principal, case_id, step.expected_version)
    transition = find(case.authority, step.command, case.state)
    acting_state = _check_actor(uow, principal, case, transition, step)
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
    # Stored below (refused) or by _move with the step's other writes.
    assessment = _assess(uow, principal, case, step.on, foreseen, store=False)
    failing = _gate(transition, assessment.verdict)
    if failing:
        # Kept, as every assessment is, for a caller that goes on and commits (the API
        # answers 409 and rolls back): an extra statement only where the step is refused.
        assessments.store(uow, assessment)
        raise NotEligible(step.command, failing, assessment.verdict)
    _move(uow, principal, case, transition, step, assessment)
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
            document = build_document(load_records(reader, case), step.on)
            return assessments.foresee(reader, document, case_id=case.id)
    except DomainError:
        return None


def _assess(
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    on: date,
    foreseen: assessments.Foresight | None = None,
    *,
    store: bool = True,
) -> Assessment:
    """Re-assess the case as of a day from what the database holds, and keep the assessment
    (or, not `store`d, leave that to _move).

    A verdict foreseen from an earlier snapshot is kept only if what is read now is the same
    (assessments.record)."""
    document = build_document(load_records(uow, case), on)
    judged = assessments.record if store else assessments.judge
    return judged(uow, principal, document, case_id=case.id, check_role=False, foreseen=foreseen)


def _move(
    uow: UnitOfWork,
    principal: Principal,
    case: Case,
    transition: Transition,
    step: Step,
    assessment: Assessment,
) -> None:
    """Move the case along an allowed transition and record the step with its legal basis."""
    before = snapshot(case)
    prepared_by = case.prepared_by
    if step.command.startswith("prepare_"):
        prepared_by = principal.user_id
    elif transition.target is not case.state:
        # A new stage. prepared_by only shows the latest preparer: four eyes reads every
        # preparer from the record (preparers).
        prepared_by = None
    # The flush's UPDATE is checked against the version the case was read at (the mapping's
    # version_id_col): a case someone else changed meanwhile is a Conflict.
    case.state = transition.target
    case.prepared_by = prepared_by
    case.updated_at = utcnow()
    if assessment.id is None:
        uow.session.add(assessment)
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


class HearingOutcome(enum.StrEnum):
    """What a consent verification hearing led to."""

    APPROVED = "approved"  # consent verified: the case is approved for transfer
    WITHDRAWN = "withdrawn"  # consent refused at the hearing: the application is withdrawn
    NOT_APPROVED = "not_approved"  # hearing kept, case unchanged: a check still fails


@dataclass(frozen=True)
class Hearing:
    """A stored consent hearing, the case after it, and the checks that kept it from approval."""

    record: ConsentVerification
    case: Case
    assessment: Assessment
    outcome: HearingOutcome
    failing: list[dict[str, Any]]


def record_consent_hearing(
    uow: UnitOfWork, principal: Principal, case_id: int, command: Any
) -> Hearing:
    """Record a consent verification hearing (18 U.S.C. §§ 4107-4108), whatever its outcome.

    The record and its event are always kept: a refusal withdraws the application (consent was
    never verified, so it may be), a hearing that fails a check leaves the case where it is, and
    only consent that passes every check approves the case."""
    case = _current(uow, principal, case_id, command.version)
    verify = find(case.authority, "verify_consent", case.state)
    on = command.verified_on
    _check_actor(uow, principal, case, verify, Step(command="verify_consent", on=on))
    record = ConsentVerification(
        case_id=case_id, recorded_by=principal.user_id, **command.model_dump(exclude={"version"})
    )
    uow.session.add(record)
    uow.session.flush()
    uow.record(
        principal,
        "ConsentHearingRecorded",
        "case",
        case.id,
        after={**snapshot(record), "missing_advisements": record.missing_advisements()},
        reason="consent given" if record.consents else "consent refused",
        legal_basis=f"18 U.S.C. §§ 4107-4108, hearing {record.id} ({record.recording_reference})",
        states=list(case.states_involved),
        occurred_at=datetime.combine(on, utcnow().timetz()),
    )
    assessment = _assess(uow, principal, case, on)
    if not record.consents:
        withdraw = find(case.authority, "withdraw", case.state)
        reason = f"consent refused at the verification hearing of {on} ({record.id})"
        _move(uow, principal, case, withdraw, Step("withdraw", on, reason), assessment)
        return Hearing(record, case, assessment, HearingOutcome.WITHDRAWN, [])
    failing = _gate(verify, assessment.verdict)
    if failing:
        return Hearing(record, case, assessment, HearingOutcome.NOT_APPROVED, failing)
    _move(uow, principal, case, verify, Step("verify_consent", on), assessment)
    return Hearing(record, case, assessment, HearingOutcome.APPROVED, [])


def verify_consent(
    uow: UnitOfWork, principal: Principal, case_id: int, command: Any
) -> tuple[Case, Assessment]:
    """Record a consent hearing and return the case after it (for the CLI and the web form,
    which show the case's state and verdict; the API returns the whole Hearing)."""
    hearing = record_consent_hearing(uow, principal, case_id, command)
    return hearing.case, hearing.assessment


def recheck(uow: UnitOfWork, principal: Principal, case_id: int, step: Step) -> Assessment:
    """Re-assess a case in place (no state change), as at a manifest lock; NotEligible if the
    law no longer allows the movement."""
    case = cases.get_or_raise(uow, principal, case_id)
    assessment = _assess(uow, principal, case, step.on)
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


def add_fear_claim(uow: UnitOfWork, principal: Principal, case_id: int, command: Any) -> Case:
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


def open_cases(uow: UnitOfWork, person_id: int) -> list[Case]:
    """The person's cases that have not yet left (the ones an order can still stop)."""
    query = select(Case).where(t.cases.c.person_id == person_id).order_by(t.cases.c.id)
    return [
        c for c in uow.session.scalars(query) if c.state in BEFORE_TRANSIT[track_of(c.authority)]
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
