"""`repatria cases verify-consent | facts | notice | fear-claim`: what a case's steps rest on."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from repatria.domain.assessments import Assessment
from repatria.domain.cases import Case
from repatria.domain.errors import NotEligible
from repatria.domain.workflow import REQUIRED_ADVISEMENTS, ConsentGiver, FearOutcome, VerifierRole
from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.inputs import AsUser, acting_as, choices, merged, read_document
from repatria.services import case_facts, consent, fear_claims, notices
from repatria.services.commands import (
    AssertCaseFacts,
    RaiseFearClaim,
    RecordConsentVerification,
    ServeNotice,
)

workflow_app = typer.Typer()
console = Console(soft_wrap=True)
# The advisements as choices, so that a misspelt one is refused rather than recorded.
Advisement = enum.StrEnum("Advisement", {n: n for n in REQUIRED_ADVISEMENTS})  # type: ignore[misc]
Flag = bool | None  # a --yes/--no pair; None when neither was given (the fact stays unknown)


def report_step(case: Case, assessment: Assessment) -> None:
    """Say where the case now is, on which legal basis, and which checks are still open."""
    console.print(
        f"case {case.reference} is now {case.state.value} (legal basis: assessment {assessment.id})"
    )
    for check in assessment.verdict["checks"]:
        if check["outcome"] != "pass":
            console.print(
                f"  still {check['outcome']}: {check['ground']}: {check['reason']} "
                f"({check['citation']})"
            )


def _recorded(what: str, case: Case) -> None:
    console.print(
        f"recorded {what} on case {case.reference} ({case.state.value}, version {case.version})"
    )


@workflow_app.command("verify-consent")
@cli_errors
def verify_consent(
    case_id: int,
    as_user: AsUser,
    hearing: Annotated[
        Path | None,
        typer.Option(help="The hearing record as JSON (- for stdin); options below override it."),
    ] = None,
    verifier_name: Annotated[str | None, typer.Option(help="Who verified consent.")] = None,
    verifier_role: Annotated[
        str | None, typer.Option(help=f"The verifier's office: {choices(VerifierRole)}.")
    ] = None,
    verified_on: Annotated[
        str | None, typer.Option(help="Day of the hearing (YYYY-MM-DD).")
    ] = None,
    counsel: Annotated[
        str | None, typer.Option(help="present or waived (18 U.S.C. § 4109).")
    ] = None,
    advised: Annotated[
        list[Advisement] | None,
        typer.Option(
            metavar="ADVISEMENT",
            help="An advisement of 18 U.S.C. § 4107(b) given at the hearing, repeated for each "
            f"({choices(REQUIRED_ADVISEMENTS)}); any not named is recorded as not given.",
        ),
    ] = None,
    given_by: Annotated[
        str | None, typer.Option(help=f"Who consented: {choices(ConsentGiver)} (§ 4100(b)).")
    ] = None,
    consents: Annotated[
        Flag, typer.Option("--consents/--refuses", help="The answer given at the hearing.")
    ] = None,
    recording_reference: Annotated[
        str | None, typer.Option(help="Reference of the hearing's recording.")
    ] = None,
    opinion_recorded: Annotated[
        Flag, typer.Option(help="Whether the verifier's opinion was recorded.")
    ] = None,
    version: Annotated[
        int | None, typer.Option(help="The case version you read; refused if it changed.")
    ] = None,
) -> None:
    """Record a consent verification hearing, whatever its outcome: consent given with every
    advisement approves the case, a refusal withdraws it, and a hearing that leaves a check
    failing is kept with the case unchanged (exit 1, with the failing grounds)."""
    advisements = None if advised is None else {n: n in set(advised) for n in REQUIRED_ADVISEMENTS}
    command = RecordConsentVerification.model_validate(
        merged(
            read_document(hearing, "hearing"),
            verifier_name=verifier_name,
            verifier_role=verifier_role,
            verified_on=verified_on,
            counsel=counsel,
            advisements=advisements,
            given_by=given_by,
            consents=consents,
            recording_reference=recording_reference,
            opinion_recorded=opinion_recorded,
            version=version,
        )
    )
    with acting_as(as_user) as (uow, principal):
        held = consent.record_consent_hearing(uow, principal, case_id, command)
        uow.commit()  # the hearing is kept whatever its outcome
        console.print(f"hearing {held.record.id} recorded: {held.outcome.value}")
        missing = held.record.missing_advisements()
        if missing:
            console.print(f"  advisements not given: {', '.join(missing)}")
        report_step(held.case, held.assessment)
        if held.outcome is consent.HearingOutcome.NOT_APPROVED:
            raise NotEligible("verify_consent", held.failing, held.assessment.verdict)


@workflow_app.command("facts")
@cli_errors
def assert_facts(
    case_id: int,
    as_user: AsUser,
    file: Annotated[
        Path | None, typer.Argument(help="Facts as JSON (- for stdin); options override it.")
    ] = None,
    request_received_on: Annotated[
        str | None, typer.Option(help="Day the transfer request was received.")
    ] = None,
    departure_at: Annotated[str | None, typer.Option(help="Departure (ISO 8601).")] = None,
    competent: Annotated[Flag, typer.Option("--competent/--not-competent")] = None,
    years_in_sending_state: Annotated[
        int | None, typer.Option(help="Years the person has lived in the sending state.")
    ] = None,
    intends_to_remain: Annotated[
        Flag, typer.Option("--intends-to-remain/--does-not-intend-to-remain")
    ] = None,
    dual_criminality: Annotated[
        Flag,
        typer.Option(help="Whether the acts are an offence in the receiving state too."),
    ] = None,
    other_charges_pending: Annotated[Flag, typer.Option()] = None,
    us_state_approved_on: Annotated[
        str | None, typer.Option(help="Day the US state of conviction approved.")
    ] = None,
    member_of_designated_organisation: Annotated[
        Flag,
        typer.Option(
            "--member-of-designated-organisation/--not-member-of-designated-organisation",
            help="A recorded finding on membership of the organisation a proclamation names.",
        ),
    ] = None,
    destination_accepts: Annotated[
        Flag,
        typer.Option(help="Whether the destination country has accepted the person."),
    ] = None,
    assurances_relied_on: Annotated[
        Flag, typer.Option(help="Whether diplomatic assurances against torture are relied on.")
    ] = None,
    assurances_found_reliable: Annotated[
        Flag, typer.Option(help="Whether those assurances were found reliable.")
    ] = None,
) -> None:
    """Assert facts the legal engine reads from the case; facts not given stay as they are."""
    command = AssertCaseFacts.model_validate(
        merged(
            read_document(file, "file"),
            request_received_on=request_received_on,
            departure_at=departure_at,
            person_competent=competent,
            person_years_in_sending_state=years_in_sending_state,
            person_intends_to_remain=intends_to_remain,
            sentence_dual_criminality=dual_criminality,
            sentence_other_charges_pending=other_charges_pending,
            approvals_us_state=us_state_approved_on,
            person_member_of_designated_organisation=member_of_designated_organisation,
            removal_order_destination_accepts=destination_accepts,
            removal_order_assurances_relied_on=assurances_relied_on,
            removal_order_assurances_found_reliable=assurances_found_reliable,
        )
    )
    with acting_as(as_user) as (uow, principal):
        case = case_facts.assert_facts(uow, principal, case_id, command)
        uow.commit()
        _recorded("facts", case)


@workflow_app.command("notice")
@cli_errors
def serve_notice(
    case_id: int,
    as_user: AsUser,
    served_at: Annotated[str | None, typer.Option(help="When it was served (ISO 8601).")] = None,
    language_understood: Annotated[
        Flag,
        typer.Option(
            "--language-understood/--language-not-understood",
            help="Whether it was in a language the person understands.",
        ),
    ] = None,
    explains_how_to_contest: Annotated[
        Flag,
        typer.Option(
            "--explains-how-to-contest/--does-not-explain-how-to-contest",
            help="Whether it says how to contest the destination.",
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(help="The country it names (a third-country removal must name it)."),
    ] = None,
) -> None:
    """Record the written notice of the destination served on the person (removal cases)."""
    command = ServeNotice.model_validate(
        merged(
            {},
            served_at=served_at,
            language_understood=language_understood,
            explains_how_to_contest=explains_how_to_contest,
            country=country,
        )
    )
    with acting_as(as_user) as (uow, principal):
        case = notices.add_notice(uow, principal, case_id, command)
        uow.commit()
        _recorded("notice", case)


@workflow_app.command("fear-claim")
@cli_errors
def raise_fear_claim(
    case_id: int,
    as_user: AsUser,
    raised_on: Annotated[str | None, typer.Option(help="Day the claim was raised.")] = None,
    outcome: Annotated[
        str | None, typer.Option(help=f"If decided: {choices(FearOutcome)}.")
    ] = None,
    decided_on: Annotated[str | None, typer.Option(help="Day it was decided.")] = None,
) -> None:
    """Record a fear claim about the destination; an undecided claim blocks the removal."""
    command = RaiseFearClaim.model_validate(
        merged({}, raised_on=raised_on, outcome=outcome, decided_on=decided_on)
    )
    with acting_as(as_user) as (uow, principal):
        case = fear_claims.add_fear_claim(uow, principal, case_id, command)
        uow.commit()
        _recorded("fear claim", case)
