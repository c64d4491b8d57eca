"""`repatria movements …`: plan numbered movements, fill and lock manifests, export them."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from repatria.csv_export import write_csv
from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.inputs import AsUser, acting_as, merged
from repatria.services import movements
from repatria.services.commands import ManifestChange, MovementStep, PlanMovement

movements_app = typer.Typer(help="Movements and manifests.", no_args_is_help=True)
console = Console(soft_wrap=True)
Version = Annotated[
    int | None, typer.Option(help="The movement version you read; refused if it changed.")
]


@movements_app.command("plan")
@cli_errors
def plan(
    authority: Annotated[str, typer.Argument(help="The legal authority, e.g. us-mx-1976.")],
    from_state: Annotated[str, typer.Argument(help="Sending state (country code).")],
    to_state: Annotated[str, typer.Argument(help="Receiving state (country code).")],
    as_user: AsUser,
    seats: Annotated[int, typer.Option(help="Seat limit.")] = 30,
    departure: Annotated[str, typer.Option(help="Planned departure (ISO 8601); now.")] = "",
    sequence: Annotated[
        int | None,
        typer.Option(help="The number history gives it (above every one used); default next."),
    ] = None,
) -> None:
    """Plan a movement, numbered per authority and pair of states (the sending state plans)."""
    command = PlanMovement.model_validate(
        merged(
            {},
            authority=authority,
            from_state=from_state,
            to_state=to_state,
            seats=seats,
            planned_departure=departure or datetime.now().astimezone(),
            sequence=sequence,
        )
    )
    with acting_as(as_user) as (uow, principal):
        movement = movements.plan(uow, principal, command)
        uow.commit()
        console.print(f"planned {movement.label} (id {movement.id})")


@movements_app.command("list")
@cli_errors
def list_movements(
    as_user: AsUser, limit: Annotated[int, typer.Option(min=1, max=500)] = 50
) -> None:
    """List the movements involving your state, newest first."""
    with acting_as(as_user) as (uow, principal):
        page = movements.list_movements(uow, principal, limit=limit, offset=0)
        table = Table(title=f"{page.total} movements")
        for column in ("id", "movement", "departure", "seats", "state", "version"):
            table.add_column(column)
        for m in page.items:
            table.add_row(
                str(m.id),
                m.label,
                m.planned_departure.isoformat(),
                str(m.seats),
                m.state.value,
                str(m.version),
            )
    console.print(table)


@movements_app.command("show")
@cli_errors
def show(movement_id: int, as_user: AsUser) -> None:
    """Print a movement and its manifest: who is aboard, who was taken off and why."""
    with acting_as(as_user) as (uow, principal):
        movement = movements.get_or_raise(uow, principal, movement_id)
        rows = movements.manifest_rows(uow, movement)
        console.print(
            f"{movement.label} (id {movement.id}, version {movement.version}): "
            f"{movement.state.value}, departs {movement.planned_departure.isoformat()}, "
            f"{movement.seats} seats"
        )
    table = Table(title="manifest")
    for column in ("case", "name", "status", "reason taken off", "legal basis"):
        table.add_column(column)
    for row in rows:
        name = f"{row['family_name']}, {row['given_names']}"
        table.add_row(row["case"], name, row["status"], row["removed_reason"], row["legal_basis"])
    console.print(table)


@movements_app.command("add")
@cli_errors
def add(
    movement_id: int,
    case_id: int,
    as_user: AsUser,
    reason: Annotated[str, typer.Option(help="A note kept with the entry.")] = "",
) -> None:
    """Put an approved case on a planned movement's manifest; the law decides, it is scheduled."""
    command = ManifestChange.model_validate({"case_id": case_id, "reason": reason})
    with acting_as(as_user) as (uow, principal):
        entry = movements.add_case(uow, principal, movement_id, command)
        uow.commit()
        console.print(
            f"case {case_id} added to movement {movement_id} "
            f"(legal basis: assessment {entry.assessment_id})"
        )


@movements_app.command("step")
@cli_errors
def movement_step(
    movement_id: int,
    command: Annotated[str, typer.Argument(help="lock, depart, confirm_arrival or close.")],
    as_user: AsUser,
    on: Annotated[str | None, typer.Option(help="Day of arrival (YYYY-MM-DD).")] = None,
    version: Version = None,
) -> None:
    """Lock, depart, confirm arrival or close; at lock and departure everyone is re-assessed."""
    asked = MovementStep.model_validate(merged({"command": command}, on=on, version=version))
    with acting_as(as_user) as (uow, principal):
        movement, removals = movements.step(uow, principal, movement_id, asked)
        uow.commit()
        console.print(f"{movement.label} is now {movement.state.value}")
    for removal in removals:
        console.print(f"  taken off: {removal.reference}: {removal.reason}")


@movements_app.command("manifest")
@cli_errors
def export_manifest(
    movement_id: int,
    as_user: AsUser,
    format: Annotated[Literal["csv", "json"], typer.Option(help="csv or json.")] = "csv",
) -> None:
    """Print a movement's manifest (who is aboard, who was taken off and why) as CSV or JSON."""
    with acting_as(as_user) as (uow, principal):
        movement = movements.get_or_raise(uow, principal, movement_id)
        rows = movements.manifest_rows(uow, movement)
    if format == "json":
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    write_csv(sys.stdout, movements.MANIFEST_COLUMNS, rows)
