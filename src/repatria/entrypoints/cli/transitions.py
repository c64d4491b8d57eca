"""`repatria cases states | step | timeline`: the lifecycles, taking a step, a case's record."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from repatria.domain.lifecycle import LIFECYCLES
from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.inputs import AsUser, Day, acting_as
from repatria.entrypoints.cli.reports import report_step
from repatria.services import cases, clock, transitions
from repatria.services.transitions import TakeStep

transitions_app = typer.Typer()
console = Console(soft_wrap=True)


@transitions_app.command("states")
def states() -> None:
    """Print every lifecycle: each command, the states it leaves from, where it goes, who."""
    for track, drawn in LIFECYCLES.items():
        table = Table(title=f"{track.value} cases")
        table.add_column("command", no_wrap=True)  # whole, to be copied into `cases step`
        for column in ("from", "to", "roles", "side", "gate"):
            table.add_column(column)
        for t in drawn:
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


@transitions_app.command("step")
@cli_errors
def step(
    case_id: int,
    command: Annotated[str, typer.Argument(help="A command from `repatria cases states`.")],
    as_user: AsUser,
    reason: Annotated[str, typer.Option(help="Why (required to deny, cancel, withdraw…).")] = "",
    on: Day = None,
    version: Annotated[
        int | None, typer.Option(help="The version you read; refused if it changed.")
    ] = None,
) -> None:
    """Take one lifecycle step on a case, re-assessed through the legal engine as of its date."""
    asked = TakeStep.model_validate(
        {"command": command, "on": on, "reason": reason, "version": version}
    )
    with acting_as(as_user) as (uow, principal):
        wanted = transitions.Step(
            command=asked.command,
            on=asked.on or clock.today(),
            reason=asked.reason,
            expected_version=asked.version,
        )
        case, assessment = transitions.take(uow, principal, case_id, wanted)
        uow.commit()
        report_step(case, assessment)


@transitions_app.command("timeline")
@cli_errors
def timeline(case_id: int, as_user: AsUser) -> None:
    """Print every recorded event of a case, oldest first, with its reason and legal basis."""
    with acting_as(as_user) as (uow, principal):
        cases.get_or_raise(uow, principal, case_id)
        events = transitions.timeline(uow, case_id)
    table = Table(title=f"case {case_id}")
    table.add_column("id")
    table.add_column("on", no_wrap=True)
    table.add_column("event", no_wrap=True)
    for column in ("by", "reason", "legal basis"):
        table.add_column(column)
    for row in events:
        table.add_row(
            str(row.id),
            f"{row.occurred_at:%Y-%m-%d}",
            row.command,
            str(row.actor),
            row.reason or "",
            row.legal_basis or "",
        )
    console.print(table)
