"""`repatria people record | update | hold | protection-order`: people and the orders about them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from repatria.domain.cases import Case
from repatria.domain.people import HoldKind, ProtectionKind
from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.inputs import AsUser, acting_as, choices, merged, read_document
from repatria.services import people, safeguards
from repatria.services.commands import HoldIn, ProtectionOrderIn, RecordPerson, UpdatePerson

people_commands = typer.Typer()
console = Console(soft_wrap=True)
JsonFile = Annotated[Path, typer.Argument(help="A JSON object, or - for stdin.")]


def _stopped(cases: list[Case]) -> None:
    if not cases:
        console.print("no open case was affected")
    for case in cases:
        console.print(f"  stopped: case {case.reference} is now {case.state.value}")


@people_commands.command("record")
@cli_errors
def record(file: JsonFile, as_user: AsUser) -> None:
    """Record a person your state holds, with their legal facts (the API's person document)."""
    command = RecordPerson.model_validate(read_document(file, "file"))
    with acting_as(as_user) as (uow, principal):
        person = people.record(uow, principal, command)
        uow.commit()
        console.print(f"recorded person {person.id}: {person.family_name}, {person.given_names}")


@people_commands.command("update")
@cli_errors
def update(
    person_id: int,
    file: JsonFile,
    as_user: AsUser,
    version: Annotated[
        int | None, typer.Option(help="The version you read; refused if it changed.")
    ] = None,
) -> None:
    """Correct a person's identity facts from a JSON object; fields left out are kept."""
    command = UpdatePerson.model_validate(merged(read_document(file, "file"), version=version))
    with acting_as(as_user) as (uow, principal):
        person = people.update(uow, principal, person_id, command)
        uow.commit()
        console.print(f"person {person.id} corrected (version {person.version})")


@people_commands.command("hold")
@cli_errors
def add_hold(
    person_id: int,
    as_user: AsUser,
    kind: Annotated[str, typer.Option(help=f"The order: {choices(HoldKind)}.")],
    issued_on: Annotated[str, typer.Option(help="Day the court issued it (YYYY-MM-DD).")],
    lifted_on: Annotated[str | None, typer.Option(help="Day it was lifted, if it was.")] = None,
    court: Annotated[str, typer.Option(help="The issuing court.")] = "",
    reference: Annotated[str, typer.Option(help="The court's docket reference.")] = "",
) -> None:
    """Record a court hold (TRO, injunction, stay, pending habeas): every open case stops now."""
    command = HoldIn.model_validate(
        merged(
            {"kind": kind, "issued_on": issued_on, "court": court, "reference": reference},
            lifted_on=lifted_on,
        )
    )
    with acting_as(as_user) as (uow, principal):
        hold, stopped = safeguards.add_hold(uow, principal, person_id, command)
        uow.commit()
        console.print(f"recorded {hold.kind.value} hold {hold.id} on person {person_id}")
        _stopped(stopped)


@people_commands.command("protection-order")
@cli_errors
def add_protection_order(
    person_id: int,
    as_user: AsUser,
    kind: Annotated[str, typer.Option(help=f"The protection: {choices(ProtectionKind)}.")],
    country: Annotated[str, typer.Option(help="The country it bars sending the person to.")],
    issued_on: Annotated[str, typer.Option(help="Day it was granted (YYYY-MM-DD).")],
    terminated_on: Annotated[
        str | None, typer.Option(help="Day it was terminated, if it was.")
    ] = None,
    issued_by: Annotated[str, typer.Option(help="Who granted it.")] = "",
) -> None:
    """Record withholding or CAT protection: every open case to that country stops now."""
    command = ProtectionOrderIn.model_validate(
        merged(
            {"kind": kind, "country": country, "issued_on": issued_on, "issued_by": issued_by},
            terminated_on=terminated_on,
        )
    )
    with acting_as(as_user) as (uow, principal):
        order, stopped = safeguards.add_protection_order(uow, principal, person_id, command)
        uow.commit()
        console.print(
            f"recorded {order.kind.value} order {order.id} on person {person_id} ({order.country})"
        )
        _stopped(stopped)
