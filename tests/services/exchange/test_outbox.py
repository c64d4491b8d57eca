"""The outbox (services/exchange/outbox.py) as a use case on the in-memory unit of work
(tests/services/exchange/fakes.py): a message to a peer is signed and queued next in sequence,
carrying our latest signed checkpoint with the proof that it extends the one carried before."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from repatria.domain import merkle
from repatria.domain.accounts import Principal
from repatria.domain.signed_notes import verify_checkpoint_note
from repatria.services import audit
from repatria.services.audit_keys import SigningKey
from repatria.services.exchange import envelopes, outbox, peers
from repatria.services.exchange.keys import origin
from repatria.settings import Settings, get_settings
from tests.services.exchange.fakes import ExchangeStore, ExchangeUnitOfWork
from tests.services.exchange.sender import Sender

ACTOR = Principal.system("test")


@pytest.fixture
def mexico(tmp_path: Path) -> Settings:
    """Mexico's installation, with an envelope key of this test's own."""
    path = tmp_path / "exchange.pem"
    path.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()
        )
    )
    return get_settings().model_copy(update={"exchange_state": "MX", "exchange_key_file": path})


@pytest.fixture
def store() -> ExchangeStore:
    """Mexico's record, with the US as its peer."""
    store, us = ExchangeStore(), Sender()
    with ExchangeUnitOfWork(store) as uow:
        peers.add(
            uow,
            ACTOR,
            "US",
            "http://127.0.0.1:9",
            keys=[(us.key.public_hex, None)],
            checkpoint_keys=[(us.checkpoint_public_hex, None)],
        )
        uow.commit()
    return store


def signed_checkpoint(store: ExchangeStore, key: SigningKey, witness: Path) -> int:
    """Sign a checkpoint of the record as it stands (as `repatria audit checkpoint` does)."""
    with ExchangeUnitOfWork(store) as uow:
        report = audit.sign(uow, "memory", key, witness, note_origin="MX")
    assert report.new_checkpoint is not None
    return report.new_checkpoint.tree_size


def decision_to_us(store: ExchangeStore, settings: Settings, reference: str) -> dict[str, Any]:
    body = {"decision": "approve", "decided_on": "2026-03-02", "reasons": "all conditions met"}
    with ExchangeUnitOfWork(store) as uow:
        claims = outbox.send(uow, ACTOR, settings, "US", "decision", reference, body)
        uow.commit()
    return claims


def test_messages_are_numbered_in_turn_and_carry_our_checkpoint_with_its_proof(
    store: ExchangeStore, mexico: Settings, tmp_path: Path
) -> None:
    key = SigningKey(Ed25519PrivateKey.generate(), tmp_path / "audit.pem", generated=True)
    witness = tmp_path / "witness.log"
    first_size = signed_checkpoint(store, key, witness)
    first = decision_to_us(store, mexico, "MX-US-1")
    assert first["seq"] == 1 and "from_size" not in first["checkpoint"]
    second_size = signed_checkpoint(store, key, witness)  # the record grew: PeerAdded, a send
    second = decision_to_us(store, mexico, "MX-US-2")
    assert second["seq"] == 2 and second_size > first_size

    def stated(carried: dict[str, Any]) -> Any:
        return verify_checkpoint_note(carried["note"], origin("MX"), [key.public_key])

    old, new = stated(first["checkpoint"]), stated(second["checkpoint"])
    assert (old.tree_size, new.tree_size) == (first_size, second_size)
    assert second["checkpoint"]["from_size"] == first_size
    proof = [bytes.fromhex(node) for node in second["checkpoint"]["proof"]]
    assert merkle.verify_consistency(first_size, second_size, old.root_hash, new.root_hash, proof)
    queued = [q for q in store.tables.outbox if q.peer_state == "US"]
    assert [(q.out.seq, q.checkpoint_size, q.delivered_at) for q in queued] == [
        (1, first_size, None),
        (2, second_size, None),
    ]
    public = outbox.exchange_key(mexico).private_key.public_key()
    assert all(envelopes.verified(q.out.envelope, public) for q in queued)
    sent = [e for e in store.events if e.command == "ExchangeMessageSent"]
    assert [e.after["seq"] for e in sent if e.after] == [1, 2]


def test_a_message_to_a_peer_before_any_checkpoint_carries_none(
    store: ExchangeStore, mexico: Settings
) -> None:
    claims = decision_to_us(store, mexico, "MX-US-3")
    assert (claims["seq"], claims["checkpoint"]) == (1, None)
    assert [q.checkpoint_size for q in store.tables.outbox] == [None]
