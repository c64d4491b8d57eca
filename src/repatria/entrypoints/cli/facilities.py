"""`repatria facilities …`, `repatria allocate` and `repatria money …`."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from repatria.bootstrap import Container, build
from repatria.csv_export import write_csv
from repatria.domain.accounts import Principal
from repatria.domain.errors import InvalidInput
from repatria.entrypoints.cli.errors import cli_errors
from repatria.services import allocation, clock, contracts, facilities, importing, savings
from repatria.services.facility_commands import Allocate, standard_code

facilities_app = typer.Typer(help="Facilities against space standards.", no_args_is_help=True)
money_app = typer.Typer(help="Movement savings and contract invoices.", no_args_is_help=True)
console = Console()
READER = Principal.system("operator")
StandardOption = Annotated[
    str | None, typer.Option(help="Space standard: cpt or icrc (default: the facility's own).")
]
DayOption = Annotated[str | None, typer.Option(help="The day, YYYY-MM-DD (default: today).")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table.")]


def _container() -> Container:
    container = build()
    container.ensure_migrated()
    return container


def _day(text: str | None, field: str = "on") -> date:
    if text is None:
        return clock.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(field, f"{text!r} is not a date written YYYY-MM-DD") from None


def _standard(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        return standard_code(text)
    except ValueError as exc:
        raise InvalidInput("standard", str(exc)) from None


def _print_csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    write_csv(sys.stdout, columns, rows)


def _ratio(value: object) -> str:
    return "" if value is None else f"{value} times"


@facilities_app.command("list")
@cli_errors
def list_facilities(standard: StandardOption = None, on: DayOption = None) -> None:
    """Every facility with declared and standard capacity."""
    day, code = _day(on), _standard(standard)
    table = Table(title=f"facilities on {day.isoformat()}")
    for column in ("id", "code", "state", "standard", "declared", "standard capacity", "held"):
        table.add_column(column)
    with _container().uow() as uow:
        for facility in facilities.list_facilities(uow, READER):
            assert facility.id is not None
            report = facilities.report(uow, READER, facility.id, standard=code, on=day)
            table.add_row(
                str(facility.id),
                facility.code,
                facility.state,
                report.standard.code,
                "" if facility.declared_capacity is None else f"{facility.declared_capacity:,}",
                f"{report.capacity.standard_capacity:,}",
                f"{report.occupancy:,}",
            )
    console.print(table)


@facilities_app.command("show")
@cli_errors
def show(
    facility: Annotated[str, typer.Argument(help="The facility's id or code.")],
    standard: StandardOption = None,
    on: DayOption = None,
) -> None:
    """Declared beside standard capacity, per unit, and how many are held there."""
    day, code = _day(on), _standard(standard)
    with _container().uow() as uow:
        record = facilities.find(uow, READER, facility)
        assert record.id is not None
        _print_report(facilities.report(uow, READER, record.id, standard=code, on=day))


def _print_report(report: facilities.FacilityReport) -> None:
    record, day, chosen = report.facility, report.on, report.standard
    table = Table(title=f"{record.name} ({record.state}) under {chosen.code}, {day.isoformat()}")
    columns = ("unit", "cells", "beds", "declared", "standard capacity", "limit", "held", "over")
    for column in columns:
        table.add_column(column, justify="left" if column == "unit" else "right")
    for unit in report.units:
        cap = unit.capacity
        table.add_row(
            unit.unit.code,
            str(cap.cells),
            f"{cap.beds:,}",
            "" if cap.declared_capacity is None else f"{cap.declared_capacity:,}",
            f"{cap.standard_capacity:,}",
            f"{cap.placement_limit:,}",
            f"{unit.occupancy:,}",
            str(unit.cells_over_standard),
        )
    total = report.capacity
    table.add_row(
        "total",
        str(total.cells),
        f"{total.beds:,}",
        "" if total.declared_capacity is None else f"{total.declared_capacity:,}",
        f"{total.standard_capacity:,}",
        f"{total.placement_limit:,}",
        f"{report.occupancy:,}",
        str(sum(u.cells_over_standard for u in report.units)),
        style="bold",
    )
    console.print(table)
    if total.declared_capacity is not None:
        console.print(
            f"declared {total.declared_capacity:,} = {_ratio(total.declared_ratio)} the "
            f"{chosen.code} standard capacity of {total.standard_capacity:,} "
            f"({total.declared_excess:,} over)"
        )
    verified = "verified" if chosen.verified else "NOT verified against the text"
    console.print(f"{chosen.code}: {chosen.citation} ({verified}) {chosen.url}", soft_wrap=True)


@cli_errors
def allocate_command(
    facility: Annotated[str, typer.Argument(help="The facility's id or code.")],
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="The arrivals, as the API's JSON body."
        ),
    ],
    as_user: Annotated[str, typer.Option("--as", help="The facility administrator placing.")],
    dry_run: Annotated[bool, typer.Option(help="Show the placement; store nothing.")] = False,
) -> None:
    """Place arriving people in cells, never past the chosen space standard."""
    try:
        body = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InvalidInput("file", f"not JSON: {exc.msg} (line {exc.lineno})") from None
    if dry_run:
        body["dry_run"] = True
    command = Allocate.model_validate(body)
    with _container().uow() as uow:
        principal = importing.principal_of_username(uow, as_user)
        record = facilities.find(uow, principal, facility)
        assert record.id is not None
        outcome = allocation.run(uow, principal, record.id, command)
        _print_outcome(outcome)
        if not outcome.dry_run:
            uow.commit()


def _print_outcome(outcome: allocation.AllocationOutcome) -> None:
    record = outcome.facility
    placed = Table(title=f"placed in {record.code} on {outcome.on.isoformat()}")
    for column in ("person", "unit", "cell"):
        placed.add_column(column)
    for p in outcome.placed:
        placed.add_row(str(p.person_id), p.unit.code, p.cell.code)
    console.print(placed)
    for title, rows in (
        ("not placed", outcome.unplaced),
        ("held beyond standard capacity", outcome.held_beyond_standard),
    ):
        if rows:
            table = Table(title=title)
            for column in ("person", "constraint", "reason"):
                table.add_column(column)
            for row in rows:
                table.add_row(str(row.person_id), row.constraint, row.reason)
            console.print(table)
    for note in outcome.result.notes:
        console.print(f"note: {note.text}", soft_wrap=True)
    stored = "dry run, nothing stored" if outcome.dry_run else "stored"
    console.print(
        f"{len(outcome.placed)} placed, {len(outcome.moved)} moved, "
        f"{len(outcome.unplaced)} not placed under {outcome.standard.code} ({stored})"
    )


@money_app.command("savings")
@cli_errors
def movement_savings(
    movement: Annotated[int, typer.Argument(help="The movement's id.")],
    as_csv: CsvOption = False,
) -> None:
    """Years left times the sending state's yearly cost in force on the movement's date."""
    with _container().uow() as uow:
        report = savings.of_movement(uow, READER, movement)
        if as_csv:
            _print_csv(savings.SAVINGS_COLUMNS, savings.rows(report))
        else:
            _print_savings(report)


def _print_savings(report: savings.MovementSavings) -> None:
    rate = report.rate
    table = Table(title=f"savings of {report.movement.label} on {report.on.isoformat()}")
    for column in ("case", "release", "years left", "savings"):
        table.add_column(column, justify="left" if column == "case" else "right")
    for p in report.people:
        table.add_row(
            p.case.reference,
            p.release_on.isoformat() if p.release_on else p.note,
            "" if p.years_left is None else f"{p.years_left:.4f}",
            f"{p.savings:,.2f}",
        )
    table.add_row("total", "", f"{report.combined_years:.4f}", f"{report.total:,.2f}", style="bold")
    console.print(table)
    console.print(
        f"rate: {rate.jurisdiction} FY{rate.fiscal_year} {rate.currency} {rate.annual:,} a year, "
        f"in force from {rate.effective.isoformat()} ({rate.citation}"
        f"{'' if rate.verified else '; not verified against the notice itself'})",
        soft_wrap=True,
    )
    console.print(f"total savings: {rate.currency} {report.total:,.2f}")


@money_app.command("invoice")
@cli_errors
def monthly_invoice(
    contract: Annotated[str, typer.Argument(help="The contract's id or reference.")],
    month: Annotated[str, typer.Option(help="The month, YYYY-MM.")],
    as_csv: CsvOption = False,
) -> None:
    """The month's invoice: person-days actually held under the contract, and any lump sum."""
    first = contracts.parse_month(month)
    with _container().uow() as uow:
        record = contracts.find(uow, READER, contract)
        assert record.id is not None
        _, bill = contracts.invoice(uow, READER, record.id, first)
        reference = record.reference
        if as_csv:
            _print_csv(contracts.INVOICE_COLUMNS, contracts.invoice_rows(record, bill))
            return
    console.print(
        f"invoice {reference} {first:%Y-%m}: {bill.person_days:,} person-days, "
        f"{len(bill.lines)} people, lump sum {bill.currency} {bill.lump_sum:,.2f}, "
        f"total {bill.currency} {bill.total:,.2f}"
    )
