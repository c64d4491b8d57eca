"""`repatria cases facts`: assert the facts the legal engine reads from a case."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.inputs import AsUser, Flag, acting_as, merged, read_document
from repatria.entrypoints.cli.reports import recorded
from repatria.services import case_facts
from repatria.services.case_facts import AssertCaseFacts

case_facts_app = typer.Typer()


@case_facts_app.command("facts")
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
        recorded("facts", case)
