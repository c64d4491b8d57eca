"""`repatria peers add|list|remove|resume|keys` and `repatria exchange deliver`: the operator's side
of federation (docs/federation.md)."""

from __future__ import annotations

import json
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.table import Table

from repatria.bootstrap import Container, build
from repatria.entrypoints.cli.accounts import OPERATOR
from repatria.entrypoints.cli.errors import cli_errors, fail
from repatria.services.exchange import delivery, keys, peers

peers_app = typer.Typer(help="Peer states: their address and pinned keys.", no_args_is_help=True)
exchange_app = typer.Typer(help="The exchange of signed messages with peers.", no_args_is_help=True)
console = Console()


def _open() -> Container:
    container = build()
    container.ensure_migrated()
    return container


@peers_app.command("add")
@cli_errors
def add(
    state: Annotated[str, typer.Argument(help="the peer's two-letter country code")],
    base_url: Annotated[str, typer.Argument(help="its Repatria's address, e.g. https://…")],
    key: Annotated[
        list[str],
        typer.Option(
            help="its envelope key: 64 hex digits, @YYYY-MM-DD for the last day it "
            "is accepted (a key being rotated out); repeat for several"
        ),
    ] = [],  # noqa: B006 - typer reads a list default as "none given"
    checkpoint_key: Annotated[list[str], typer.Option(help="its checkpoint key, as --key")] = [],  # noqa: B006
) -> None:
    """Add a peer, or for one already added change its address and pin more keys (or set
    until when a key is accepted)."""
    pinned = [peers.parse_key(k, "exchange") for k in key]
    pinned_checkpoints = [peers.parse_key(k, "checkpoint") for k in checkpoint_key]
    container = _open()
    with container.uow() as uow:
        peer = peers.add(
            uow, OPERATOR, state, base_url, keys=pinned, checkpoint_keys=pinned_checkpoints
        )
        uow.commit()
    container.dispose()
    console.print(f"peer {peer.state} at {peer.base_url}: {len(peer.keys)} keys pinned")


@peers_app.command("remove")
@cli_errors
def remove(state: Annotated[str, typer.Argument(help="the peer's country code")]) -> None:
    """Forget a peer: nothing more is sent to it nor accepted from it."""
    container = _open()
    with container.uow() as uow:
        peers.remove(uow, OPERATOR, state)
        uow.commit()
    container.dispose()
    console.print(f"peer {state.upper()} removed")


@peers_app.command("resume")
@cli_errors
def resume(
    state: Annotated[str, typer.Argument(help="the peer's country code")],
    reason: Annotated[str, typer.Option(help="why the exchange may be taken up again")],
) -> None:
    """Take up the exchange with a peer whose record failed the witness, once both sides'
    operators found why; its next checkpoint is still checked against the last one kept."""
    container = _open()
    with container.uow() as uow:
        peers.resume(uow, OPERATOR, state, reason)
        uow.commit()
    container.dispose()
    console.print(f"the exchange with {state.upper()} is taken up again")


@peers_app.command("list")
@cli_errors
def list_peers(
    as_json: Annotated[bool, typer.Option("--json", help="one JSON object a peer")] = False,
) -> None:
    """Every peer with its keys, the witness of its record and the messages waiting for it.
    Exits 1 when the exchange with a peer stopped (its record failed the witness)."""
    container = _open()
    with container.uow(read_only=True) as uow:
        found = peers.list_peers(uow)
    container.dispose()
    if as_json:
        for peer in found:
            print(json.dumps(_as_json(peer)))
    else:
        table = Table(title="Peers")
        for column in ("state", "address", "keys", "witness", "waiting to send", "last error"):
            table.add_column(column)
        for peer in found:
            witness = peer.witness_status
            if peer.witnessed_size is not None:
                witness += f" ({peer.witnessed_size} events)"
            if peer.halted_reason:
                witness += f": {peer.halted_reason}"
            table.add_row(
                peer.state,
                peer.base_url,
                "\n".join(_key_text(k) for k in peer.keys),
                witness,
                str(peer.pending),
                peer.last_error or "",
            )
        console.print(table)
    if any(peer.halted_at is not None for peer in found):
        raise typer.Exit(1)


@peers_app.command("keys")
@cli_errors
def own_keys() -> None:
    """This installation's state and public keys, for its peers to pin (JSON)."""
    print(json.dumps(keys.public_keys(build().settings), indent=2))


@exchange_app.command("deliver")
@cli_errors
def deliver() -> None:
    """Post every due message of the outbox to its peer, in order (for cron); exits 1 when a
    peer could not be reached or refused a message (it is tried again later)."""
    container = _open()
    with httpx.Client(timeout=10.0) as client:
        report = delivery.deliver(container.uow, container.settings, client)
    container.dispose()
    console.print(f"delivered {report.delivered} messages")
    for state, why in report.failures.items():
        console.print(f"  {state}: {why}", highlight=False)
    if report.failures:
        raise fail("some messages wait for a retry")


def _key_text(key: peers.PinnedKey) -> str:
    until = f" until {key.accepted_until}" if key.accepted_until else ""
    return f"{key.purpose} {key.key_id}{until}"


def _as_json(peer: peers.Peer) -> dict[str, object]:
    return {
        "state": peer.state,
        "base_url": peer.base_url,
        "witness": peer.witness_status,
        "witnessed_size": peer.witnessed_size,
        "halted_reason": peer.halted_reason,
        "pending": peer.pending,
        "last_error": peer.last_error,
        "next_in_seq": peer.next_in_seq,
        "keys": [
            {
                "purpose": k.purpose,
                "public_key": k.public_key,
                "accepted_until": k.accepted_until.isoformat() if k.accepted_until else None,
            }
            for k in peer.keys
        ],
    }
