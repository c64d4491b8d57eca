"""`repatria peers`: the operator pins a peer's keys (an old one accepted until a day), lists
the peers with the witness of each, removes one; bad input is refused naming the field."""

from __future__ import annotations

import json
from collections.abc import Callable

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from typer.testing import Result

from repatria.bootstrap import Container
from repatria.domain.audit_checkpoints import raw_public_key
from repatria.services.exchange import peers
from repatria.services.exchange.receiving import peer_principal


def hex_key() -> str:
    return raw_public_key(Ed25519PrivateKey.generate().public_key()).hex()


def test_a_peer_is_added_listed_and_removed(repatria: Callable[..., Result]) -> None:
    envelope_key, checkpoint_key = hex_key(), hex_key()
    added = repatria(
        "peers", "add", "mx", "http://127.0.0.1:8001",
        "--key", envelope_key, "--checkpoint-key", checkpoint_key,
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    listed = repatria("peers", "list", "--json")
    assert listed.exit_code == 0, listed.output
    [peer] = [json.loads(line) for line in listed.output.splitlines()]
    assert peer["state"] == "MX" and peer["witness"] == "none yet"
    assert {k["public_key"] for k in peer["keys"]} == {envelope_key, checkpoint_key}
    assert repatria("peers", "remove", "MX").exit_code == 0
    assert repatria("peers", "list", "--json").output == ""


def test_a_rotated_key_is_accepted_until_its_day(repatria: Callable[..., Result]) -> None:
    old, new = hex_key(), hex_key()
    base = ("peers", "add", "MX", "http://127.0.0.1:8001")
    assert repatria(*base, "--key", old, "--checkpoint-key", hex_key()).exit_code == 0
    assert repatria(*base, "--key", f"{old}@2026-12-31", "--key", new).exit_code == 0
    [peer] = [json.loads(line) for line in repatria("peers", "list", "--json").output.splitlines()]
    until = {
        k["public_key"]: k["accepted_until"] for k in peer["keys"] if k["purpose"] == "exchange"
    }
    assert until == {old: "2026-12-31", new: None}


def test_a_malformed_key_is_refused_naming_the_field(repatria: Callable[..., Result]) -> None:
    refused = repatria(
        "peers", "add", "MX", "http://127.0.0.1:8001", "--key", "abc", "--checkpoint-key", hex_key()
    )
    assert refused.exit_code != 0 and "key" in refused.output and "64 hex" in refused.output
    assert repatria("peers", "list", "--json").output == ""


def test_a_new_peer_without_its_checkpoint_key_is_refused(repatria: Callable[..., Result]) -> None:
    refused = repatria("peers", "add", "MX", "http://127.0.0.1:8001", "--key", hex_key())
    assert refused.exit_code != 0 and "checkpoint key" in refused.output


def test_the_list_exits_1_and_says_why_when_a_peers_record_failed_the_witness(
    repatria: Callable[..., Result], container: Container
) -> None:
    repatria(
        "peers", "add", "MX", "http://x.example", "--key", hex_key(), "--checkpoint-key", hex_key()
    )
    with container.uow() as uow:
        peers.halt(uow, peer_principal("MX"), "MX", "MX's log was rewritten: another root at 40")
        uow.commit()
    listed = repatria("peers", "list")
    assert listed.exit_code == 1
    assert "broken" in listed.output and "rewritten" in listed.output


def test_the_operator_takes_up_a_stopped_exchange_again_with_a_reason(
    repatria: Callable[..., Result], container: Container
) -> None:
    repatria(
        "peers", "add", "MX", "http://x.example", "--key", hex_key(), "--checkpoint-key", hex_key()
    )
    with container.uow() as uow:
        peers.halt(uow, peer_principal("MX"), "MX", "MX's checkpoint is not signed by its key")
        uow.commit()
    assert repatria("peers", "list").exit_code == 1
    resumed = repatria("peers", "resume", "MX", "--reason", "MX had published the wrong key")
    assert resumed.exit_code == 0, resumed.output
    assert repatria("peers", "list").exit_code == 0
    again = repatria("peers", "resume", "MX", "--reason", "twice")
    assert again.exit_code != 0 and "has not stopped" in again.output
