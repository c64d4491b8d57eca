"""`repatria people hold | protection-order | lift-hold | terminate-protection-order |
decide-fear-claim`: the orders that stop a movement, and their end."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from repatria.domain.cases import Case
from repatria.domain.people import HoldKind, ProtectionKind
from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.inputs import AsUser, acting_as, choices, merged
from repatria.services import fear_claims, safeguards
from repatria.services.commands import HoldIn, ProtectionOrderIn
from repatria.services.fear_claims import DecideFearClaim
from repatria.services.safeguards import LiftHold, TerminateProtectionOrder

safeguards_app = typer.Typer()
console = Console(soft_wrap=True)
Reason = Annotated[str, typer.Option(help="Why, in words.")]
LegalBasis = Annotated[
    str, typer.Option(help="The order or decision relied on: court or office, date, number.")
]


def _stopped(cases: list[Case]) -> None:
    if not cases:
        console.print("no open case was affected")
    for case in cases:
        console.print(f"  stopped: case {case.reference} is now {case.state.value}")


@safeguards_app.command("hold")
@cli_errors
def add_hold(
    person_id: int,
    as_user: AsUser,
    kind: Annotated[str, typer.Option(help=f"The order: {choices(HoldKind)}.")],
    issued_on: Annotated[str, typer.Option(help="Day the court issued it (YYYY-MM-DD).")],
    lifted_on: Annotated[str | None, typer.Option(help="Day it was lifted, if it was.")] = None,
    court: Annotated[str, typer.Option(help="The issuing court.")] = "",
    reference: Annotated[str, typer.Option(help="The court's docket reference.")] = "",
) -> None:
    """Record a court hold (TRO, injunction, stay, pending habeas): every open case stops now."""
    command = HoldIn.model_validate(
        merged(
            {"kind": kind, "issued_on": issued_on, "court": court, "reference": reference},
            lifted_on=lifted_on,
        )
    )
    with acting_as(as_user) as (uow, principal):
        hold, stopped = safeguards.add_hold(uow, principal, person_id, command)
        uow.commit()
        console.print(f"recorded {hold.kind.value} hold {hold.id} on person {person_id}")
        _stopped(stopped)


@safeguards_app.command("protection-order")
@cli_errors
def add_protection_order(
    person_id: int,
    as_user: AsUser,
    kind: Annotated[str, typer.Option(help=f"The protection: {choices(ProtectionKind)}.")],
    country: Annotated[str, typer.Option(help="The country it bars sending the person to.")],
    issued_on: Annotated[str, typer.Option(help="Day it was granted (YYYY-MM-DD).")],
    terminated_on: Annotated[
        str | None, typer.Option(help="Day it was terminated, if it was.")
    ] = None,
    issued_by: Annotated[str, typer.Option(help="Who granted it.")] = "",
) -> None:
    """Record withholding or CAT protection: every open case to that country stops now."""
    command = ProtectionOrderIn.model_validate(
        merged(
            {"kind": kind, "country": country, "issued_on": issued_on, "issued_by": issued_by},
            terminated_on=terminated_on,
        )
    )
    with acting_as(as_user) as (uow, principal):
        order, stopped = safeguards.add_protection_order(uow, principal, person_id, command)
        uow.commit()
        console.print(
            f"recorded {order.kind.value} order {order.id} on person {person_id} ({order.country})"
        )
        _stopped(stopped)


@safeguards_app.command("lift-hold")
@cli_errors
def lift_hold(
    person_id: int,
    hold_id: Annotated[int, typer.Argument(help="The hold's id (`repatria people show`).")],
    as_user: AsUser,
    lifted_on: Annotated[str, typer.Option(help="Day the order lifting it takes effect.")],
    reason: Reason,
    legal_basis: LegalBasis,
) -> None:
    """Lift a court hold; cases it blocked stay blocked until an officer resumes them."""
    command = LiftHold.model_validate(
        {"lifted_on": lifted_on, "reason": reason, "legal_basis": legal_basis}
    )
    with acting_as(as_user) as (uow, principal):
        hold = safeguards.lift_hold(uow, principal, person_id, hold_id, command)
        uow.commit()
        console.print(f"hold {hold.id} on person {person_id} lifted on {hold.lifted_on}")


@safeguards_app.command("terminate-protection-order")
@cli_errors
def terminate_protection_order(
    person_id: int,
    order_id: Annotated[int, typer.Argument(help="The order's id (`repatria people show`).")],
    as_user: AsUser,
    terminated_on: Annotated[str, typer.Option(help="Day its termination takes effect.")],
    reason: Reason,
    legal_basis: LegalBasis,
) -> None:
    """End a protection order; cases it blocked stay blocked until an officer resumes them."""
    command = TerminateProtectionOrder.model_validate(
        {"terminated_on": terminated_on, "reason": reason, "legal_basis": legal_basis}
    )
    with acting_as(as_user) as (uow, principal):
        order = safeguards.terminate_protection_order(uow, principal, person_id, order_id, command)
        uow.commit()
        console.print(
            f"protection order {order.id} ({order.country}) on person {person_id} "
            f"terminated on {order.terminated_on}"
        )


@safeguards_app.command("decide-fear-claim")
@cli_errors
def decide_fear_claim(
    person_id: int,
    claim_id: Annotated[int, typer.Argument(help="The claim's id (`repatria cases show`).")],
    as_user: AsUser,
    outcome: Annotated[str, typer.Option(help="granted or denied.")],
    decided_on: Annotated[str, typer.Option(help="Day of the decision (YYYY-MM-DD).")],
    reason: Reason,
    legal_basis: LegalBasis,
    protection: Annotated[
        str | None,
        typer.Option(help=f"What a grant gives: {choices(ProtectionKind)} (withholding)."),
    ] = None,
) -> None:
    """Record the decision on a fear claim; a grant is a protection order for that country."""
    command = DecideFearClaim.model_validate(
        merged(
            {
                "outcome": outcome,
                "decided_on": decided_on,
                "reason": reason,
                "legal_basis": legal_basis,
            },
            protection=protection,
        )
    )
    with acting_as(as_user) as (uow, principal):
        claim, order, stopped = fear_claims.decide_fear_claim(
            uow, principal, person_id, claim_id, command
        )
        uow.commit()
        console.print(f"fear claim {claim.id} about {claim.country}: {command.outcome}")
        if order is not None:
            console.print(f"  protection order {order.id}: {order.kind.value} for {order.country}")
            _stopped(stopped)
