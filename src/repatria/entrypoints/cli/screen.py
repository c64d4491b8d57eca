"""`repatria screen`: a whole roster against the law at once, with a verdict per authority."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from repatria.entrypoints.cli.law import WITH_APPROVED_AMENDMENTS, law_in_the_database
from repatria.law.countries import country_problem
from repatria.screening import screen
from repatria.screening.results import RESULT_SUFFIXES, summary, write_results
from repatria.screening.roster import Fill, RosterError, read_roster

console = Console()
INVALID_INPUT = 2


def _fail(message: str) -> typer.Exit:
    print(f"error: {message}", file=sys.stderr)
    return typer.Exit(INVALID_INPUT)


def _check_options(
    out: Path, from_state: str | None, to_state: str | None, as_of: str | None
) -> None:
    if out.suffix.lower() not in RESULT_SUFFIXES:
        raise _fail(f"--out: {out.name} must end in {', '.join(RESULT_SUFFIXES)}")
    for option, value in (("--from", from_state), ("--to", to_state)):
        problem = country_problem(value) if value is not None else None
        if problem:
            raise _fail(f"{option}: {problem}")
    if as_of is not None:
        try:
            date.fromisoformat(as_of)
        except ValueError:
            raise _fail(f"--as-of: {as_of!r} is not a date written YYYY-MM-DD") from None
        if len(as_of) != 10:
            raise _fail(f"--as-of: {as_of!r} is not a date written YYYY-MM-DD")


def _report(problems: RosterError) -> typer.Exit:
    for problem in problems.problems:
        print(f"error: {problem}", file=sys.stderr)
    more = " (and maybe more)" if problems.more else ""
    count = len(problems.problems)
    return _fail(f"{count} invalid row(s){more}; nothing was screened")


def _print_summary(
    results_path: Path, rows: int, seconds: float, table_data: list[dict[str, object]]
) -> None:
    table = Table(title=f"Screened {rows:,} row(s) in {seconds:.1f} s → {results_path}")
    for column in ("authority", "results", "allowed", "refused", "most common ground"):
        table.add_column(
            column, justify="right" if column in ("results", "allowed", "refused") else "left"
        )
    for entry in table_data:
        table.add_row(
            str(entry["authority"] or "(none in force)"),
            f"{entry['results']:,}",
            f"{entry['allowed']:,}",
            f"{entry['refused']:,}",
            str(entry["most_common_ground"]),
        )
    console.print(table)


def screen_command(
    roster: Annotated[
        Path,
        typer.Argument(
            help="Assessment documents: JSON Lines, or CSV or Parquet with dotted columns.",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Results file (.parquet, .csv or .jsonl).")],
    authority: Annotated[
        str | None,
        typer.Option(help="Authority id where the roster has none; 'all': every one in force."),
    ] = None,
    from_state: Annotated[
        str | None, typer.Option("--from", help="Sending state where none is given.")
    ] = None,
    to_state: Annotated[
        str | None, typer.Option("--to", help="Receiving state where none is given.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date (YYYY-MM-DD) where none is given.")
    ] = None,
    with_approved_amendments: Annotated[
        bool, typer.Option("--with-approved-amendments", help=WITH_APPROVED_AMENDMENTS)
    ] = False,
) -> None:
    """Screen a roster: one result row per (row, authority, destination), and a summary.

    By the shipped law and REPATRIA_LAW_DIR, with no database, unless
    --with-approved-amendments adds the amendments approved in the database."""
    _check_options(out, from_state, to_state, as_of)
    catalog = law_in_the_database() if with_approved_amendments else None
    fill = Fill(authority, from_state, to_state, as_of)
    started = time.perf_counter()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task(f"reading and checking {roster.name}", total=3)
        try:
            frame = read_roster(roster, fill)
        except RosterError as exc:
            raise _report(exc) from None
        progress.update(task, advance=1, description=f"screening {frame.height:,} row(s)")
        results = screen(frame, catalog)
        progress.update(task, advance=1, description=f"writing {out.name}")
        write_results(results, out)
        progress.update(task, advance=1)
    seconds = time.perf_counter() - started
    _print_summary(out, frame.height, seconds, summary(results).to_dicts())
