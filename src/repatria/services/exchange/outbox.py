"""The outbox: a message to a peer is signed and queued in the same transaction as the step
that sends it, and recorded as an event with its envelope verbatim."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from repatria.domain.accounts import Principal
from repatria.services.exchange import envelopes, witness
from repatria.services.exchange.keys import ExchangeKey, home_state, key_path, load_exchange_key
from repatria.services.exchange.schemas import problems
from repatria.services.unit_of_work import UnitOfWork, utcnow
from repatria.settings import Settings

_KEYS: dict[Path, ExchangeKey] = {}


def exchange_key(settings: Settings) -> ExchangeKey:
    """The envelope key, read once a process."""
    path = key_path(settings)
    if path not in _KEYS:
        _KEYS[path] = load_exchange_key(settings)
    return _KEYS[path]


def send(
    uow: UnitOfWork,
    principal: Principal,
    settings: Settings,
    peer_state: str,
    kind: str,
    case_reference: str,
    body: dict[str, Any],
) -> dict[str, Any]:
    """Sign a message to the peer and queue it, next in sequence for the pair; returns its
    claims. Holds the peer's row until the commit, so sequence numbers have no gap."""
    sender = home_state(settings)
    uow.peers.hold(peer_state)
    seq = 1 + uow.messages.last_sent_seq(peer_state)
    carried, size = witness.for_envelope(uow, peer_state)
    now = utcnow()
    claims = envelopes.new_claims(
        sender=sender,
        recipient=peer_state,
        seq=seq,
        kind=kind,
        case_reference=case_reference,
        body=body,
        checkpoint=carried,
        issued_at=now,
    )
    wrong = problems(claims)
    if wrong:  # our own message: a bug, never sent
        raise ValueError(f"a {kind} message to {peer_state} fails its schema: {wrong}")
    envelope = envelopes.sign(claims, exchange_key(settings))
    uow.messages.queue(
        peer_state,
        seq=seq,
        message_id=claims["id"],
        kind=kind,
        case_reference=case_reference,
        checkpoint_size=size,
        envelope=envelope,
        created_at=now,
    )
    uow.record(
        principal,
        "ExchangeMessageSent",
        "peer",
        peer_state,
        after={"message_id": claims["id"], "seq": seq, "kind": kind, "envelope": envelope},
        reason=f"{kind} for {case_reference} to {peer_state}",
        legal_basis=f"message {claims['id']}",
        states=[sender, peer_state],
    )
    return claims
