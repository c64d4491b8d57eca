"""`repatria cases fear-claim`: record a fear claim about a case's destination (deciding one:
`repatria people decide-fear-claim`, in safeguards.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from repatria.domain.workflow import FearOutcome
from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.inputs import AsUser, acting_as, choices, merged
from repatria.entrypoints.cli.reports import recorded
from repatria.services import fear_claims
from repatria.services.fear_claims import RaiseFearClaim

fear_claims_app = typer.Typer()


@fear_claims_app.command("fear-claim")
@cli_errors
def raise_fear_claim(
    case_id: int,
    as_user: AsUser,
    raised_on: Annotated[str | None, typer.Option(help="Day the claim was raised.")] = None,
    outcome: Annotated[
        str | None, typer.Option(help=f"If decided: {choices(FearOutcome)}.")
    ] = None,
    decided_on: Annotated[str | None, typer.Option(help="Day it was decided.")] = None,
) -> None:
    """Record a fear claim about the destination; an undecided claim blocks the removal."""
    command = RaiseFearClaim.model_validate(
        merged({}, raised_on=raised_on, outcome=outcome, decided_on=decided_on)
    )
    with acting_as(as_user) as (uow, principal):
        case = fear_claims.add_fear_claim(uow, principal, case_id, command)
        uow.commit()
        recorded("fear claim", case)
