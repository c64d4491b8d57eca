"""`repatria audit`: verify the tamper-evident record, sign checkpoints, print proofs."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from repatria.adapters.db import migrate
from repatria.bootstrap import Container, build
from repatria.domain.accounts import Principal
from repatria.domain.audit_checkpoints import raw_public_key
from repatria.entrypoints.cli.errors import cli_errors, fail, stderr
from repatria.services import audit
from repatria.services.audit import SigningKey

audit_app = typer.Typer(help="The tamper-evident record (Merkle log).", no_args_is_help=True)
console = Console()
AUDITOR = Principal.system("operator")


def _open() -> tuple[Container, SigningKey]:
    container = build()
    migrate.ensure_migrated(container.engine)
    key = audit.load_signing_key(container.settings)
    if key.generated:
        stderr.print(f"note: generated a development checkpoint key at {key.path}")
    return container, key


@audit_app.command()
@cli_errors
def verify(
    sign: Annotated[
        bool, typer.Option(help="Sign a checkpoint of the verified log when it has grown.")
    ] = True,
    workers: Annotated[int, typer.Option(min=0, help="Processes hashing (0: one per core).")] = 0,
) -> None:
    """Recompute every leaf and root from the database; name the first event that does not match.

    Exit status 0 when the record is intact, 1 otherwise.
    """
    container, key = _open()
    with container.uow() as uow:
        report = audit.verify(
            uow,
            container.settings.database_url,
            key.public_key,
            signing_key=key.private_key if sign else None,
            workers=workers or None,
        )
    container.dispose()
    if report.finding is not None:
        finding = report.finding
        where = f"seq {finding.seq}" if finding.seq is not None else "outside the log"
        event = f" (event id {finding.event_id})" if finding.event_id is not None else ""
        raise fail(f"the record does not verify at {where}{event}: {finding.problem}")
    root = report.root_hash.hex() if report.root_hash else ""
    console.print(
        f"intact: {report.tree_size} events, root {root}, "
        f"{report.checkpoints_checked} checkpoints checked",
        highlight=False,
    )
    if report.new_checkpoint is not None:
        console.print(f"signed a checkpoint at size {report.new_checkpoint.tree_size}")


@audit_app.command()
@cli_errors
def checkpoint() -> None:
    """Verify the record, then sign and print a checkpoint of it (the latest if unchanged)."""
    container, key = _open()
    with container.uow() as uow:
        report = audit.verify(
            uow, container.settings.database_url, key.public_key, signing_key=key.private_key
        )
        if report.finding is not None:
            raise fail(f"not signing: {report.finding.problem} (run `repatria audit verify`)")
        latest = audit.list_checkpoints(uow, AUDITOR)
    container.dispose()
    if not latest:
        raise fail("the log is empty: there is nothing to sign yet")
    typer.echo(json.dumps(audit.checkpoint_out(latest[-1], key.public_key), indent=2))


@audit_app.command()
@cli_errors
def proof(event_id: Annotated[int, typer.Argument(min=1, help="The event's id.")]) -> None:
    """Print the inclusion proof of an event against the latest checkpoint, as JSON."""
    container, key = _open()
    with container.uow() as uow:
        document = audit.event_proof(uow, AUDITOR, event_id, key.public_key)
    container.dispose()
    typer.echo(json.dumps(document, indent=2))


@audit_app.command("public-key")
@cli_errors
def public_key() -> None:
    """Print the checkpoint public key (32 raw bytes, hex) for publication."""
    _, key = _open()
    typer.echo(raw_public_key(key.public_key).hex())
