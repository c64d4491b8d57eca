"""`repatria cases …`: open, list and show cases; the steps and the records they rest on are
in transitions.py, consent.py, case_facts.py, notices.py, fear_claims.py and deadlines.py."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from repatria.domain.cases import CaseState
from repatria.domain.lifecycle import available
from repatria.entrypoints.cli.case_facts import case_facts_app
from repatria.entrypoints.cli.consent import consent_app
from repatria.entrypoints.cli.deadlines import deadlines_app
from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.fear_claims import fear_claims_app
from repatria.entrypoints.cli.inputs import AsUser, Day, acting_as, parse_day
from repatria.entrypoints.cli.notices import notices_app
from repatria.entrypoints.cli.transitions import transitions_app
from repatria.services import case_documents, cases, deadlines
from repatria.services.commands import OpenCase

cases_app = typer.Typer(help="Case lifecycles.", no_args_is_help=True)
# Each feature's commands, in the same `cases` group: states, step, timeline; verify-consent;
# facts; notice; fear-claim; overdue.
for feature in (
    transitions_app,
    consent_app,
    case_facts_app,
    notices_app,
    fear_claims_app,
    deadlines_app,
):
    cases_app.add_typer(feature)
console = Console(soft_wrap=True)


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
