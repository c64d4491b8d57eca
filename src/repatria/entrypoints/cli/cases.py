"""`repatria cases …` and `repatria movements …`: the workflow from the command line."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from repatria.adapters.db import migrate
from repatria.bootstrap import build
from repatria.domain.lifecycle import LIFECYCLES
from repatria.entrypoints.cli.errors import cli_errors
from repatria.services import deadlines, importing, movements, workflow
from repatria.services.commands import ManifestChange, MovementStep, PlanMovement

cases_app = typer.Typer(help="Case lifecycles.", no_args_is_help=True)
movements_app = typer.Typer(help="Movements and manifests.", no_args_is_help=True)
console = Console()
AsUser = Annotated[str, typer.Option("--as", help="The user taking the step.")]


@cases_app.command("states")
def states() -> None:
    """Print every lifecycle: each command, the states it leaves from, where it goes, who."""
    for track, transitions in LIFECYCLES.items():
        table = Table(title=f"{track.value} cases")
        for column in ("command", "from", "to", "roles", "side", "gate"):
            table.add_column(column)
        for t in transitions:
            gate = (
                "recorded only"
                if t.gate is None
                else ("all checks" if not t.gate else "all but " + ", ".join(sorted(t.gate)))
            )
            table.add_row(
                t.command,
                ", ".join(sorted(s.value for s in t.sources)),
                t.target.value,
                ", ".join(sorted(t.roles)),
                t.side.value,
                gate,
            )
        console.print(table)


@cases_app.command("overdue")
@cli_errors
def overdue(
    as_user: AsUser,
    on: Annotated[str | None, typer.Option(help="The day to judge (YYYY-MM-DD).")] = None,
) -> None:
    """List every open case past a time limit the law sets (exit 1 when any is late)."""
    container = build()
    migrate.ensure_migrated(container.engine)
    day = date.fromisoformat(on) if on else date.today()
    with container.uow() as uow:
        principal = importing.principal_of_username(uow, as_user)
        late = deadlines.overdue(uow, principal, day)
    if not late:
        console.print(f"nothing overdue on {day.isoformat()}")
        return
    table = Table(title=f"overdue on {day.isoformat()}")
    for column in ("case", "authority", "limit", "due", "days late", "source"):
        table.add_column(column)
    for d in late:
        table.add_row(
            d.reference, d.authority, d.label, d.due_on.isoformat(), str(d.days_late), d.citation
        )
    console.print(table)
    raise typer.Exit(1)


@cases_app.command("step")
@cli_errors
def step(
    case_id: int,
    command: str,
    as_user: AsUser,
    reason: Annotated[str, typer.Option(help="Why (required to deny, cancel, withdraw…).")] = "",
    on: Annotated[str | None, typer.Option(help="Effective date (YYYY-MM-DD).")] = None,
) -> None:
    """Take one lifecycle step on a case (re-assessed through the legal engine)."""
    container = build()
    migrate.ensure_migrated(container.engine)
    effective = date.fromisoformat(on) if on else date.today()
    with container.uow() as uow:
        principal = importing.principal_of_username(uow, as_user)
        case, assessment = workflow.take(
            uow, principal, case_id, workflow.Step(command=command, on=effective, reason=reason)
        )
        uow.commit()
    console.print(
        f"case {case.reference} is now {case.state.value} (legal basis: assessment {assessment.id})"
    )


@movements_app.command("plan")
@cli_errors
def plan(
    authority: str,
    from_state: str,
    to_state: str,
    as_user: AsUser,
    seats: Annotated[int, typer.Option(help="Seat limit.")] = 30,
    departure: Annotated[str, typer.Option(help="Planned departure (ISO 8601).")] = "",
) -> None:
    """Plan a numbered movement."""
    command = PlanMovement(
        authority=authority,
        from_state=from_state,
        to_state=to_state,
        seats=seats,
        planned_departure=datetime.fromisoformat(departure)
        if departure
        else datetime.now().astimezone(),
    )
    container = build()
    with container.uow() as uow:
        movement = movements.plan(uow, importing.principal_of_username(uow, as_user), command)
        uow.commit()
    console.print(f"planned {movement.label} (id {movement.id})")


@movements_app.command("add")
@cli_errors
def add(movement_id: int, case_id: int, as_user: AsUser) -> None:
    """Put an approved case on a movement's manifest."""
    container = build()
    with container.uow() as uow:
        principal = importing.principal_of_username(uow, as_user)
        movements.add_case(uow, principal, movement_id, ManifestChange(case_id=case_id))
        uow.commit()
    console.print(f"case {case_id} added to movement {movement_id}")


@movements_app.command("step")
@cli_errors
def movement_step(movement_id: int, command: str, as_user: AsUser) -> None:
    """Lock, depart, confirm_arrival or close a movement."""
    container = build()
    with container.uow() as uow:
        principal = importing.principal_of_username(uow, as_user)
        movement, removals = movements.step(
            uow, principal, movement_id, MovementStep.model_validate({"command": command})
        )
        uow.commit()
    console.print(f"{movement.label} is now {movement.state.value}")
    for removal in removals:
        console.print(f"  taken off: {removal.reference}: {removal.reason}")


@movements_app.command("manifest")
@cli_errors
def export_manifest(
    movement_id: int,
    as_user: AsUser,
    format: Annotated[str, typer.Option(help="csv or json")] = "csv",
) -> None:
    """Print a movement's manifest as CSV or JSON."""
    container = build()
    with container.uow() as uow:
        principal = importing.principal_of_username(uow, as_user)
        movement = movements.get_or_raise(uow, principal, movement_id)
        rows = movements.manifest_rows(uow, movement)
    if format == "json":
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(movements.MANIFEST_COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
