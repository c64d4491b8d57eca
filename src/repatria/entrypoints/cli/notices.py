"""`repatria cases notice`: record the notice of the destination served on the person."""

from __future__ import annotations

from typing import Annotated

import typer

from repatria.entrypoints.cli.errors import cli_errors
from repatria.entrypoints.cli.inputs import AsUser, Flag, acting_as, merged
from repatria.entrypoints.cli.reports import recorded
from repatria.services import notices
from repatria.services.notices import ServeNotice

notices_app = typer.Typer()


@notices_app.command("notice")
@cli_errors
def serve_notice(
    case_id: int,
    as_user: AsUser,
    served_at: Annotated[str | None, typer.Option(help="When it was served (ISO 8601).")] = None,
    language_understood: Annotated[
        Flag,
        typer.Option(
            "--language-understood/--language-not-understood",
            help="Whether it was in a language the person understands.",
        ),
    ] = None,
    explains_how_to_contest: Annotated[
        Flag,
        typer.Option(
            "--explains-how-to-contest/--does-not-explain-how-to-contest",
            help="Whether it says how to contest the destination.",
        ),
    ] = None,
    country: Annotated[
        str | None,
        typer.Option(help="The country it names (a third-country removal must name it)."),
    ] = None,
) -> None:
    """Record the written notice of the destination served on the person (removal cases)."""
    command = ServeNotice.model_validate(
        merged(
            {},
            served_at=served_at,
            language_understood=language_understood,
            explains_how_to_contest=explains_how_to_contest,
            country=country,
        )
    )
    with acting_as(as_user) as (uow, principal):
        case = notices.add_notice(uow, principal, case_id, command)
        uow.commit()
        recorded("notice", case)
