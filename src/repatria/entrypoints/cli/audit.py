"""`repatria audit`: verify the tamper-evident record, sign checkpoints, print proofs."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer
from rich.console import Console

from repatria.bootstrap import Container, build
from repatria.domain.accounts import Principal
from repatria.domain.audit_checkpoints import raw_public_key
from repatria.entrypoints.cli.errors import cli_errors, fail, stderr
from repatria.services import audit, audit_keys, audit_verify, checkpoint_requests
from repatria.settings import get_settings

audit_app = typer.Typer(help="The tamper-evident record (Merkle log).", no_args_is_help=True)
console = Console()
AUDITOR = Principal.system("operator")


def _open() -> Container:
    container = build()
    container.ensure_migrated()
    return container


def _fail_on(report: audit_verify.VerifyReport, prefix: str) -> None:
    if report.finding is not None:
        finding = report.finding
        where = f"seq {finding.seq}" if finding.seq is not None else "outside the log"
        event = f" (event id {finding.event_id})" if finding.event_id is not None else ""
        raise fail(f"{prefix} at {where}{event}: {finding.problem}")


@audit_app.command()
@cli_errors
def verify(
    workers: Annotated[int, typer.Option(min=0, help="Processes hashing (0: one per core).")] = 0,
) -> None:
    """Recompute every leaf and root from the database and check them against the checkpoints
    in the witness file and the database; name the first event that does not match.

    Never signs nor writes anything. Exit status 0 when the record is intact, 1 otherwise.
    """
    container = _open()
    settings = container.settings
    witness = audit_keys.witness_path(settings)
    missing: audit_keys.AuditKeyMissing | None = None
    try:
        keys = audit_keys.load_public_keys(settings)
    except audit_keys.AuditKeyMissing as exc:  # nothing signed yet, or a key not configured
        keys, missing = [], exc
    with container.uow() as uow:
        report = audit_verify.verify(
            uow,
            settings.database_url,
            keys[0] if keys else None,
            witness=witness,
            retired_keys=keys[1:],
            workers=workers or None,
        )
    if missing is not None and (report.checkpoints_checked or report.witnessed):
        raise missing
    container.dispose()
    _fail_on(report, "the record does not verify")
    root = report.root_hash.hex() if report.root_hash else ""
    console.print(
        f"intact: {report.tree_size} events, root {root}, "
        f"{report.checkpoints_checked} checkpoints checked, "
        f"{report.witnessed} in the witness file {witness}",
        highlight=False,
    )


@audit_app.command()
@cli_errors
def checkpoint(
    start_witness: Annotated[
        bool,
        typer.Option(
            help="Start the witness file although the database already holds checkpoints "
            "(an installation that kept no witness before)."
        ),
    ] = False,
    watch: Annotated[
        float,
        typer.Option(
            min=0,
            help="After signing, keep running: every SECONDS, sign again if someone asked for "
            "a checkpoint on the record page (0: sign once and stop).",
            metavar="SECONDS",
        ),
    ] = 0,
) -> None:
    """Verify the record, then sign a checkpoint of it, store it and append it to the witness
    file; print the latest checkpoint (JSON). Every checkpoint asked for on the record page
    and not yet signed is answered by it. The only command that reads the private key."""
    container = _open()
    settings = container.settings
    key = audit_keys.load_signing_key(settings)
    if key.generated:
        stderr.print(f"note: generated a development checkpoint key at {key.path}")
    _sign_once(container, key, start_witness=start_witness)
    try:
        if watch:
            answer_requests(container, key, every=watch)
    except KeyboardInterrupt:
        pass
    container.dispose()


def answer_requests(
    container: Container, key: audit_keys.SigningKey, *, every: float, rounds: int | None = None
) -> None:
    """Every `every` seconds (`rounds` times, or until interrupted), sign a checkpoint if one
    was asked for on the record page and is not yet signed."""
    done = 0
    while rounds is None or done < rounds:
        time.sleep(every)
        done += 1
        with container.uow(read_only=True) as uow:  # on SQLite, no write lock to count
            waiting = checkpoint_requests.pending(uow)
        if waiting:
            stderr.print(f"{waiting} checkpoint request(s) pending: signing")
            _sign_once(container, key, start_witness=False)


def _sign_once(container: Container, key: audit_keys.SigningKey, *, start_witness: bool) -> None:
    settings = container.settings
    witness = audit_keys.witness_path(settings)
    with container.uow() as uow:
        report = audit.sign(
            uow,
            settings.database_url,
            key,
            witness,
            retired_keys=audit_keys.load_public_keys(settings)[1:],
            start_witness=start_witness,
            note_origin=settings.exchange_state or "LOCAL",
        )
        _fail_on(report, "not signing: the record does not verify")
        latest = audit.list_checkpoints(uow, AUDITOR)
    if not latest:
        raise fail("the log is empty: there is nothing to sign yet")
    if report.new_checkpoint is not None:
        stderr.print(
            f"signed a checkpoint at size {report.new_checkpoint.tree_size}; witnessed in {witness}"
        )
    typer.echo(json.dumps(audit_keys.checkpoint_out(latest[-1], key.public_key), indent=2))


@audit_app.command()
@cli_errors
def proof(event_id: Annotated[int, typer.Argument(min=1, help="The event's id.")]) -> None:
    """Print the inclusion proof of an event against the latest checkpoint, as JSON."""
    container = _open()
    public_key = audit_keys.load_public_key(container.settings)
    with container.uow() as uow:
        document = audit.event_proof(uow, AUDITOR, event_id, public_key)
    container.dispose()
    typer.echo(json.dumps(document, indent=2))


@audit_app.command("public-key")
@cli_errors
def public_key() -> None:
    """Print the checkpoint public key (32 raw bytes, hex) for publication."""
    typer.echo(raw_public_key(audit_keys.load_public_key(get_settings())).hex())
