"""`repatria people record | list | show | update`: people in custody and their legal facts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.inputs import AsUser, acting_as, merged, read_document
from repatria.services import people
from repatria.services.commands import RecordPerson, UpdatePerson

people_commands = typer.Typer()
console = Console(soft_wrap=True)
JsonFile = Annotated[Path, typer.Argument(help="A JSON object, or - for stdin.")]


@people_commands.command("record")
@cli_errors
def record(file: JsonFile, as_user: AsUser) -> None:
    """Record a person your state holds, with their legal facts (the API's person document)."""
    command = RecordPerson.model_validate(read_document(file, "file"))
    with acting_as(as_user) as (uow, principal):
        person = people.record(uow, principal, command)
        uow.commit()
        console.print(f"recorded person {person.id}: {person.family_name}, {person.given_names}")


@people_commands.command("list")
@cli_errors
def list_people(
    as_user: AsUser,
    name: Annotated[str | None, typer.Option(help="Part of a name.")] = None,
    citizenship: Annotated[str | None, typer.Option(help="Citizens of (country code).")] = None,
    held_by_state: Annotated[str | None, typer.Option(help="Held by (country code).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="At most this many.")] = 50,
) -> None:
    """List the people your state holds or has a case about."""
    with acting_as(as_user) as (uow, principal):
        page = people.list_people(
            uow,
            principal,
            limit=limit,
            offset=0,
            citizenship=citizenship,
            held_by_state=held_by_state,
            name=name,
        )
        table = Table(title=f"{page.total} people")
        for column in ("id", "family name", "given names", "born", "held by", "citizen of"):
            table.add_column(column)
        for p in page.items:
            table.add_row(
                str(p.id),
                p.family_name,
                p.given_names,
                str(p.birth_date or ""),
                p.held_by_state,
                ", ".join(c.country for c in p.citizenships),
            )
    console.print(table)


@people_commands.command("show")
@cli_errors
def show(person_id: int, as_user: AsUser) -> None:
    """Print a person: identity, version, sentences, and the holds and protection orders on file."""
    with acting_as(as_user) as (uow, principal):
        person = people.get_or_raise(uow, principal, person_id)
        born = f", born {person.birth_date}" if person.birth_date else ""
        nationalities = ", ".join(c.country for c in person.citizenships) or "none recorded"
        console.print(
            f"person {person.id} (version {person.version}): {person.family_name}, "
            f"{person.given_names}{born}; held by {person.held_by_state}; "
            f"citizen of {nationalities}"
        )
        for sentence in person.sentences:
            console.print(
                f"  sentence: {sentence.offense} ({sentence.jurisdiction}, from "
                f"{sentence.start_date}, {sentence.length_days or 'indeterminate'} days)"
            )
        for hold in person.holds:
            lifted = f", lifted {hold.lifted_on}" if hold.lifted_on else ", in force"
            console.print(
                f"  hold {hold.id}: {hold.kind.value} issued {hold.issued_on}{lifted} {hold.court}"
            )
        for order in person.protection_orders:
            ended = f", terminated {order.terminated_on}" if order.terminated_on else ""
            console.print(
                f"  protection order {order.id}: {order.kind.value} for {order.country}, "
                f"issued {order.issued_on}{ended}"
            )


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
