"""The inbox: a peer's envelope is checked (peer, key, signature, recipient, schema, clock,
replay, order, the witness of the peer's record) and then acted on in order, once; what is
refused is recorded with the envelope verbatim and never acted on; an early arrival waits for
its predecessors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from repatria.domain.accounts import Principal, Role
from repatria.domain.audit_checkpoints import public_key_from_hex
from repatria.domain.errors import DomainError
from repatria.services.exchange import envelopes, peers, receiving, witness
from repatria.services.exchange.keys import home_state
from repatria.services.exchange.schemas import problems
from repatria.services.unit_of_work import UnitOfWork, utcnow
from repatria.settings import Settings

KEPT_CHARS = 256 * 1024  # a refused envelope is kept verbatim up to this length


@dataclass
class Outcome:
    """The answer to a peer: `status` is the HTTP status, `ground` why it was refused."""

    status: int
    result: str  # accepted, held, duplicate or refused
    detail: str
    message_id: str | None = None
    ground: str | None = None
    acted: list[str] = field(default_factory=list)


class Refused(Exception):
    """An envelope refused, on a ground, with the status the peer is answered with; `halts`
    names a peer whose exchange stops (its record failed the witness)."""

    def __init__(self, status: int, ground: str, detail: str, halts: str | None = None) -> None:
        super().__init__(detail)
        self.status, self.ground, self.detail, self.halts = status, ground, detail, halts


def receive(uow: UnitOfWork, settings: Settings, envelope: str) -> Outcome:
    """Check one envelope and act on it (and on any held successors it lets through); a
    refusal is recorded in this transaction and answered, never acted on."""
    home = home_state(settings)
    claimed = "??"
    try:
        unverified = envelopes.peek(envelope)
        sender = unverified.claims.get("from")
        if isinstance(sender, str) and re.match(r"^[A-Z]{2}$", sender):
            claimed = sender
        with uow.savepoint():
            return _receive(uow, settings, home, envelope, unverified)
    except envelopes.EnvelopeUnreadable as exc:
        return _refuse(uow, home, claimed, envelope, Refused(422, "unreadable", str(exc)))
    except Refused as refusal:
        return _refuse(uow, home, claimed, envelope, refusal)


def _receive(
    uow: UnitOfWork, settings: Settings, home: str, envelope: str, unverified: envelopes.Unverified
) -> Outcome:
    claims = unverified.claims
    sender = claims.get("from")
    peer = None
    if isinstance(sender, str) and len(sender) == 2:
        peer = peers.find(uow, sender, summary=False)
    if peer is None or not isinstance(sender, str) or sender == home:
        raise Refused(403, "not_a_peer", f"{sender!r} is not a peer of {home}")
    today = utcnow().date()
    pinned = [k for k in peer.keys if k.purpose == "exchange" and k.key_id == unverified.kid]
    if not pinned:
        raise Refused(403, "unknown_key", f"key {unverified.kid!r} is not pinned for {sender}")
    if not pinned[0].accepted_on(today):
        until = pinned[0].accepted_until
        raise Refused(
            403, "retired_key", f"{sender}'s key {unverified.kid} was accepted until {until}"
        )
    if unverified.algorithm != envelopes.ALGORITHM or not envelopes.verified(
        envelope, public_key_from_hex(pinned[0].public_key)
    ):
        raise Refused(403, "bad_signature", f"the signature is not {sender}'s key {unverified.kid}")
    if claims.get("to") != home:
        raise Refused(403, "wrong_recipient", f"addressed to {claims.get('to')!r}, not {home}")
    wrong = problems(claims)
    if wrong:
        raise Refused(422, "schema", "; ".join(wrong[:5]))
    issued = datetime.fromisoformat(claims["iat"].replace("Z", "+00:00"))
    now = utcnow()
    if issued > now + timedelta(seconds=settings.exchange_max_skew_seconds):
        raise Refused(422, "clock_skew", f"dated {claims['iat']}, later than this clock allows")
    if issued < now - timedelta(days=settings.exchange_max_age_days):
        raise Refused(422, "stale", f"dated {claims['iat']}, older than the exchange accepts")
    if peer.halted_at is not None:
        raise Refused(
            409, "peer_halted", f"the exchange with {sender} is stopped: {peer.halted_reason}"
        )
    # One receipt a peer at a time: the peer's row is held to the commit.
    expected = uow.peers.hold(sender) or 1
    known = uow.messages.received_envelope(claims["id"])
    if known is not None:
        if known == envelope:
            return Outcome(200, "duplicate", "already received", claims["id"])
        raise Refused(409, "replay", f"message id {claims['id']} was already used")
    seq = claims["seq"]
    if seq < expected or uow.messages.seq_taken(sender, seq):
        raise Refused(409, "replay", f"sequence {seq} from {sender} was already received")
    if seq > expected + settings.exchange_max_gap:
        raise Refused(409, "sequence_gap", f"sequence {seq}: {expected} is expected next")
    uow.messages.receive(
        sender,
        seq=seq,
        message_id=claims["id"],
        kind=claims["kind"],
        envelope=envelope,
        received_at=now,
    )
    _record(uow, home, sender, "ExchangeMessageReceived", claims, envelope)
    if seq > expected:
        return Outcome(
            202, "held", f"held until {sender}'s messages from {expected} arrive", claims["id"]
        )
    outcome = Outcome(200, "accepted", "accepted", claims["id"])
    _drain(uow, home, peer, expected, outcome)
    return outcome


def _drain(uow: UnitOfWork, home: str, peer: peers.Peer, expected: int, outcome: Outcome) -> None:
    """Act on the messages from `expected` on, in order, while they are here."""
    while True:
        row = uow.messages.received(peer.state, expected)
        if row is None:
            break
        claims = envelopes.peek(row.envelope).claims
        try:
            witness.check(uow, peer, claims["checkpoint"], claims["id"], utcnow().date())
        except witness.WitnessFailed as failed:
            raise Refused(409, "witness", str(failed), halts=peer.state) from failed
        try:
            with uow.savepoint():
                done = receiving.act(uow, claims)
        except (DomainError, ValueError) as exc:  # valid and in order, but not applicable here
            done = f"not acted on: {exc}"
        _record(uow, home, peer.state, "ExchangeMessageProcessed", claims, None, done)
        uow.messages.processed(row.id, utcnow())
        outcome.acted.append(done)
        expected += 1
    uow.peers.expect_next(peer.state, expected)


def _record(
    uow: UnitOfWork,
    home: str,
    sender: str,
    command: str,
    claims: dict[str, object],
    envelope: str | None,
    done: str = "",
) -> None:
    after: dict[str, object] = {
        "message_id": claims["id"],
        "seq": claims["seq"],
        "kind": claims["kind"],
        "case_reference": claims["case_reference"],
    }
    if envelope is not None:
        after["envelope"] = envelope
    uow.record(
        receiving.peer_principal(sender),
        command,
        "peer",
        sender,
        after=after,
        reason=done or f"{claims['kind']} for {claims['case_reference']} from {sender}",
        legal_basis=f"message {claims['id']}",
        states=[home, sender],
    )


def _refuse(uow: UnitOfWork, home: str, claimed: str, envelope: str, refusal: Refused) -> Outcome:
    """Record the refusal with the envelope verbatim (the savepoint undid all else)."""
    if refusal.halts is not None:
        peers.halt(uow, receiving.peer_principal(refusal.halts), refusal.halts, refusal.detail)
    uow.record(
        Principal(None, f"peer:{claimed}", Role.AUDITOR, None, home),
        "ExchangeMessageRefused",
        "peer",
        claimed,
        after={"ground": refusal.ground, "envelope": envelope[:KEPT_CHARS]},
        reason=refusal.detail,
        legal_basis="docs/federation.md: refused and recorded, never acted on",
        states=sorted({home, claimed} - {"??"}),
    )
    return Outcome(refusal.status, "refused", refusal.detail, ground=refusal.ground)
