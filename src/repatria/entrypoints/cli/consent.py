"""`repatria cases verify-consent`: record a consent verification hearing."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from repatria.domain.errors import NotEligible
from repatria.domain.workflow import REQUIRED_ADVISEMENTS, ConsentGiver, VerifierRole
from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.inputs import AsUser, Flag, acting_as, choices, merged, read_document
from repatria.entrypoints.cli.reports import console, report_step
from repatria.services import consent
from repatria.services.consent import RecordConsentVerification

consent_app = typer.Typer()
# The advisements as choices, so that a misspelt one is refused rather than recorded.
Advisement = enum.StrEnum("Advisement", {n: n for n in REQUIRED_ADVISEMENTS})  # type: ignore[misc]


@consent_app.command("verify-consent")
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
