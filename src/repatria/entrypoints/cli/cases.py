"""`repatria cases …`: open, read and step cases through their lifecycles."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from repatria.domain.cases import CaseState
from repatria.domain.lifecycle import LIFECYCLES, available
from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.inputs import AsUser, acting_as, parse_day
from repatria.entrypoints.cli.workflow import report_step, workflow_app
from repatria.services import case_documents, cases, clock, deadlines, transitions
from repatria.services.commands import OpenCase, TakeStep

cases_app = typer.Typer(help="Case lifecycles.", no_args_is_help=True)
cases_app.add_typer(workflow_app)  # verify-consent, facts, notice, fear-claim: same group
console = Console(soft_wrap=True)
Day = Annotated[str | None, typer.Option(help="Effective date (YYYY-MM-DD); default today.")]


@cases_app.command("states")
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


@cases_app.command("open")
@cli_errors
def open_case(
    person_id: Annotated[int, typer.Argument(help="The person's id.")],
    authority: Annotated[str, typer.Argument(help="The legal authority, e.g. us-mx-1976.")],
    from_state: Annotated[str, typer.Argument(help="Sending state (country code).")],
    to_state: Annotated[str, typer.Argument(help="Receiving state (country code).")],
    as_user: AsUser,
) -> None:
    """Open a case for a person your state holds or will receive; it starts at its first state."""
    command = OpenCase.model_validate(
        {
            "person_id": person_id,
            "authority": authority,
            "from_state": from_state,
            "to_state": to_state,
        }
    )
    with acting_as(as_user) as (uow, principal):
        case = cases.open_case(uow, principal, command)
        uow.commit()
        console.print(f"opened case {case.reference} (id {case.id}) in {case.state.value}")


@cases_app.command("list")
@cli_errors
def list_cases(
    as_user: AsUser,
    state: Annotated[CaseState | None, typer.Option(help="Only cases in this state.")] = None,
    authority: Annotated[str | None, typer.Option(help="Only under this authority.")] = None,
    person: Annotated[int | None, typer.Option(help="Only this person's cases.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="At most this many.")] = 50,
) -> None:
    """List the cases involving your state, newest first."""
    with acting_as(as_user) as (uow, principal):
        page = cases.list_cases(
            uow,
            principal,
            limit=limit,
            offset=0,
            state=state,
            authority=authority,
            person_id=person,
        )
        table = Table(title=f"{page.total} cases")
        table.add_column("id")
        table.add_column("reference", no_wrap=True)
        for column in ("authority", "from", "to", "person", "state"):
            table.add_column(column)
        for c in page.items:
            table.add_row(
                str(c.id),
                c.reference,
                c.authority,
                c.from_state,
                c.to_state,
                str(c.person_id),
                c.state.value,
            )
    console.print(table)


@cases_app.command("show")
@cli_errors
def show(case_id: int, as_user: AsUser, on: Day = None) -> None:
    """Print a case: state, version, fear claims, time limits and the steps open from here."""
    day = parse_day(on, "on")
    with acting_as(as_user) as (uow, principal):
        case = cases.get_or_raise(uow, principal, case_id)
        console.print(
            f"case {case.reference} (id {case.id}, version {case.version}): "
            f"{case.authority} {case.from_state}→{case.to_state}, person {case.person_id}, "
            f"{case.state.value}"
        )
        steps = Table(title="steps open from here")
        steps.add_column("command", no_wrap=True)
        for column in ("to", "roles", "reason"):
            steps.add_column(column)
        for t in available(case.authority, case.state):
            needs = "required" if t.needs_reason else ""
            steps.add_row(t.command, t.target.value, ", ".join(sorted(t.roles)), needs)
        console.print(steps)
        for claim in case_documents.load_records(uow, case).fear_claims:
            decided = f"{claim.outcome.value} {claim.decided_on}" if claim.outcome else "undecided"
            console.print(
                f"fear claim {claim.id} about {claim.country}, raised {claim.raised_on}: {decided}"
            )
        limits = deadlines.for_case(uow, principal, case_id, day)
    for limit in limits:
        status = "met" if limit.met else f"{limit.days_late} days late" if limit.days_late else ""
        console.print(f"{limit.label}: due {limit.due_on} {status} ({limit.citation})")


@cases_app.command("timeline")
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


@cases_app.command("step")
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


@cases_app.command("overdue")
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
