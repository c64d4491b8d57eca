"""`repatria law propose / approve / reject / history / impact / announce`: amendments to the
law under review, at the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from repatria.bootstrap import build
from repatria.domain.accounts import Principal
from repatria.domain.amendments import LawAmendment
from repatria.domain.errors import InvalidInput
from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.inputs import AsUser, acting_as, parse_day
from repatria.services import amendments, impact
from repatria.services.amendments import DecideAmendment, ProposeAmendment

amendments_app = typer.Typer()
OPERATOR = Principal.system("repatria-cli")
Reason = Annotated[str, typer.Option(help="Why, in a sentence (kept in the record).")]


@amendments_app.command("propose")
@cli_errors
def propose(
    file: Annotated[Path, typer.Argument(help="The YAML overlay (as in REPATRIA_LAW_DIR).")],
    as_user: AsUser,
    title: Annotated[str, typer.Option(help="A short title for the amendment.")],
    reason: Reason = "",
) -> None:
    """Propose an amendment to the law, for a second legal officer or administrator of your
    state to review; refused with the file, line and reason as `law check` refuses it."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput("file", f"cannot read {file}: {exc}") from None
    command = ProposeAmendment(title=title, file_name=file.name, text=text, reason=reason)
    with acting_as(as_user) as (uow, principal):
        found = amendments.propose(uow, principal, command)
        said = f"proposed amendment {found.id}: {found.adds}"
        uow.commit()
    Console().print(said, highlight=False)


def _decide(amendment_id: int, as_user: str, command: DecideAmendment) -> None:
    with acting_as(as_user) as (uow, principal):
        found = amendments.decide(uow, principal, amendment_id, command)
        when = f", in force from {found.effective_on}" if found.effective_on else ""
        said = f"amendment {found.id} {found.status.value}{when}"
        uow.commit()
    Console().print(said, highlight=False)


@amendments_app.command("approve")
@cli_errors
def approve(
    amendment_id: int,
    as_user: AsUser,
    effective_on: Annotated[
        str | None, typer.Option(help="The day it takes effect (YYYY-MM-DD); default today.")
    ] = None,
    reason: Reason = "",
) -> None:
    """Approve another person's amendment (four eyes), in force from the day given."""
    day = parse_day(effective_on, "effective_on")
    _decide(amendment_id, as_user, DecideAmendment(approve=True, effective_on=day, reason=reason))


@amendments_app.command("reject")
@cli_errors
def reject(amendment_id: int, as_user: AsUser, reason: Reason = "") -> None:
    """Reject another person's amendment, with the reason."""
    _decide(amendment_id, as_user, DecideAmendment(approve=False, reason=reason))


@amendments_app.command("history")
@cli_errors
def history() -> None:
    """Every amendment, oldest first: what it adds, who proposed and decided it, when, its
    status and the day it took effect (one line each)."""
    container = build()
    container.ensure_migrated()
    with container.uow(read_only=True) as uow:  # read in it: leaving it expires what it read
        found = amendments.list_amendments(uow, None)
        names = amendments.usernames(uow, found)
        lines = [_line(amendment, names) for amendment in reversed(found)]
    for line in lines:
        typer.echo(line)


def _line(amendment: LawAmendment, names: dict[int, str]) -> str:
    proposer = names.get(amendment.proposed_by or 0, "?")
    words = [
        f"{amendment.id} [{amendment.status.value}] {amendment.title} ({amendment.adds});",
        f"proposed by {proposer} on {amendment.proposed_at:%Y-%m-%d}",
    ]
    if amendment.decided_at is not None:
        decider = names.get(amendment.decided_by or 0, "?")
        words.append(f"; {amendment.status.value} by {decider} on {amendment.decided_at:%Y-%m-%d}")
    if amendment.effective_on is not None:
        words.append(f"; in force from {amendment.effective_on}")
    return " ".join(words).replace(" ;", ";")


@amendments_app.command("impact")
@cli_errors
def impact_command(
    amendment_id: int,
    on: Annotated[str | None, typer.Option(help="The day to assess as of; default today.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """The open cases whose verdict or failing grounds the amendment changes, today and at
    each planned departure, with the rules responsible."""
    day = parse_day(on, "on")
    container = build()
    container.ensure_migrated()
    with container.uow(read_only=True) as uow:
        found = amendments.get_or_raise(uow, OPERATOR, amendment_id)
        changes = impact.impact(uow, OPERATOR, found, on=day)
    if as_json:
        for change in changes:
            typer.echo(json.dumps(change.as_json()))
        return
    table = Table("case", "when", "on", "before", "after", "rules responsible")
    for change in changes:
        table.add_row(
            change.reference,
            change.when,
            str(change.on),
            _verdict(change.allowed_before, change.grounds_before),
            _verdict(change.allowed_after, change.grounds_after),
            ", ".join([*change.rules, *(f"cites {r}" for r in change.rulings)]),
        )
    Console().print(table)
    Console().print(f"{len({c.case_id for c in changes})} open cases change")


def _verdict(allowed: bool, grounds: str) -> str:
    return "allowed" if allowed else f"refused ({grounds.replace(';', ', ')})"


@amendments_app.command("announce")
@cli_errors
def announce(
    on: Annotated[str | None, typer.Option(help="The day (YYYY-MM-DD); default today.")] = None,
) -> None:
    """Tell each open case an amendment that has taken effect changes (an event on the case),
    once per amendment: run daily, as the nightly re-assessment is."""
    day = parse_day(on, "on")
    container = build()
    container.ensure_migrated()
    with container.uow() as uow:
        told = impact.announce(uow, OPERATOR, on=day)
        uow.commit()
    Console().print(f"{told} case events recorded")
