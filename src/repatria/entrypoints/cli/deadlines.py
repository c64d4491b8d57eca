"""`repatria cases overdue`: every open case past a time limit the law sets."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.inputs import AsUser, Day, acting_as, parse_day
from repatria.services import deadlines

deadlines_app = typer.Typer()
console = Console(soft_wrap=True)


@deadlines_app.command("overdue")
@cli_errors
def overdue(as_user: AsUser, on: Day = None) -> None:
    """List every open case past a time limit the law sets (exit 1 when any is late)."""
    day = parse_day(on, "on")
    with acting_as(as_user) as (uow, principal):
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
