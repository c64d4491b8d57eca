"""Consent verification: the hearing at which a verifying officer checks that the person
consents to the transfer (18 U.S.C. §§ 4107-4109), and what it leads to."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from repatria.domain.accounts import Principal
from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case
from repatria.domain.lifecycle import find
from repatria.domain.records import snapshot
from repatria.domain.transitions import blocking_checks
from repatria.domain.workflow import ConsentGiver, ConsentVerification, VerifierRole
from repatria.services.commands import Command, Name
from repatria.services.transitions import Step, assess, check_actor_of, current, move
from repatria.services.unit_of_work import UnitOfWork, utcnow


class RecordConsentVerification(Command):
    """The record of a consent verification hearing (18 U.S.C. §§ 4107-4109)."""

    verifier_name: Name
    verifier_role: VerifierRole
    verified_on: date
    counsel: Literal["present", "waived"]
    advisements: dict[Annotated[str, StringConstraints(pattern=r"^[a-z_]{3,60}$")], bool] = Field(
        max_length=10, json_schema_extra={"additionalProperties": False}
    )
    given_by: ConsentGiver = ConsentGiver.PERSON
    consents: bool
    recording_reference: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    opinion_recorded: bool = True
    language: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = Field(
        default=None, description="the language the hearing was held in"
    )
    interpreter: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = Field(
        default=None, description="who interpreted at the hearing; absent if nobody did"
    )
    version: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None


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
    uow: UnitOfWork, principal: Principal, case_id: int, command: RecordConsentVerification
) -> Hearing:
    """Record a consent verification hearing (18 U.S.C. §§ 4107-4108), whatever its outcome.

    The record and its event are always kept: a refusal withdraws the application (consent was
    never verified, so it may be), a hearing that fails a check leaves the case where it is, and
    only consent that passes every check approves the case."""
    case = current(uow, principal, case_id, command.version)
    verify = find(case.authority, "verify_consent", case.state)
    on = command.verified_on
    check_actor_of(uow, principal, case, verify, Step(command="verify_consent", on=on))
    record = ConsentVerification(
        case_id=case_id, recorded_by=principal.user_id, **command.model_dump(exclude={"version"})
    )
    uow.cases.add_consent_hearing(record)
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
    assessment = assess(uow, principal, case, on)
    if not record.consents:
        withdraw = find(case.authority, "withdraw", case.state)
        reason = f"consent refused at the verification hearing of {on} ({record.id})"
        move(uow, principal, case, withdraw, Step("withdraw", on, reason), assessment)
        return Hearing(record, case, assessment, HearingOutcome.WITHDRAWN, [])
    failing = blocking_checks(verify, assessment.verdict)
    if failing:
        return Hearing(record, case, assessment, HearingOutcome.NOT_APPROVED, failing)
    move(uow, principal, case, verify, Step("verify_consent", on), assessment)
    return Hearing(record, case, assessment, HearingOutcome.APPROVED, [])


def verify_consent(
    uow: UnitOfWork, principal: Principal, case_id: int, command: RecordConsentVerification
) -> tuple[Case, Assessment]:
    """Record a consent hearing and return the case after it (for the CLI and the web form,
    which show the case's state and verdict; the API returns the whole Hearing)."""
    hearing = record_consent_hearing(uow, principal, case_id, command)
    return hearing.case, hearing.assessment
