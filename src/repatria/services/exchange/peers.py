"""Peer states: their address and pinned public keys (with the date an old key is accepted
until), and what the exchange with each looks like (witness, queue, halt)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from repatria.domain.accounts import Principal, Role
from repatria.domain.audit_checkpoints import key_id, public_key_from_hex
from repatria.domain.errors import InvalidInput, NotFound, PermissionDenied
from repatria.i18n import N_
from repatria.services.ports.peers import PinnedKey as PinnedKey  # re-exported: the CLI names it
from repatria.services.unit_of_work import UnitOfWork, utcnow

PURPOSES = ("exchange", "checkpoint")
_STATE = re.compile(r"^[A-Z]{2}$")
_HEX_KEY = re.compile(r"^[0-9a-f]{64}$")


@dataclass
class Peer:
    """A peer state as the operator configured it, with the state of the exchange."""

    state: str
    base_url: str
    added_at: datetime
    next_in_seq: int
    halted_at: datetime | None
    halted_reason: str | None
    keys: list[PinnedKey] = field(default_factory=list)
    witnessed_size: int | None = None
    witnessed_at: datetime | None = None
    pending: int = 0
    last_error: str | None = None

    @property
    def witness_status(self) -> str:
        """'broken' (the exchange stopped), 'holding' or 'none yet'."""
        if self.halted_at is not None:
            return "broken"
        return "holding" if self.witnessed_size is not None else "none yet"


def parse_key(text: str, purpose: str) -> tuple[str, date | None]:
    """A key as typed: 64 hex digits, optionally '@YYYY-MM-DD', the last day it is accepted."""
    hex_key, _, until = text.strip().lower().partition("@")
    name = "key" if purpose == "exchange" else "checkpoint_key"
    if not _HEX_KEY.match(hex_key):
        raise InvalidInput(name, f"{hex_key!r} is not 64 hex digits (a raw Ed25519 public key)")
    try:
        public_key_from_hex(hex_key)
        day = date.fromisoformat(until) if until else None
    except ValueError as exc:
        raise InvalidInput(name, f"{text!r}: {exc}") from exc
    return hex_key, day


def _require_operator(principal: Principal) -> None:
    if principal.user_id is not None:
        raise PermissionDenied("peers are configured by the installation's operator")


def add(
    uow: UnitOfWork,
    principal: Principal,
    state: str,
    base_url: str,
    *,
    keys: list[tuple[str, date | None]] = (),  # type: ignore[assignment]
    checkpoint_keys: list[tuple[str, date | None]] = (),  # type: ignore[assignment]
) -> Peer:
    """Add a peer, or update its address and pin more keys (or change until when one is
    accepted: the rotation of a key)."""
    _require_operator(principal)
    state = state.upper()
    if not _STATE.match(state):
        raise InvalidInput("state", f"{state!r} is not a two-letter country code")
    if not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", base_url):
        raise InvalidInput("base_url", f"{base_url!r} is not an http(s) URL")
    stored = uow.peers.find(state)
    if stored is None:
        if not keys or not checkpoint_keys:
            raise InvalidInput(
                "key", "a new peer needs its envelope key and its checkpoint key pinned"
            )
        # A peer removed and added again goes on from the messages already received from it.
        received = uow.messages.last_received_seq(state)
        uow.peers.add(state, base_url.rstrip("/"), added_at=utcnow(), next_in_seq=1 + received)
    else:
        uow.peers.readdress(state, base_url.rstrip("/"))
    for purpose, pinned in (("exchange", keys), ("checkpoint", checkpoint_keys)):
        for hex_key, until in pinned:
            uow.peers.pin(state, purpose, hex_key, key_id(public_key_from_hex(hex_key)), until)
    peer = get(uow, state)
    uow.record(
        principal,
        "PeerAdded" if stored is None else "PeerUpdated",
        "peer",
        state,
        after=_snapshot(peer),
        reason=f"{state} at {peer.base_url}",
        states=[state],
    )
    return peer


def remove(uow: UnitOfWork, principal: Principal, state: str) -> None:
    """Forget a peer: nothing more is sent to it nor accepted from it (what was exchanged
    stays in the record)."""
    _require_operator(principal)
    peer = get(uow, state.upper())
    uow.peers.remove(peer.state)
    uow.record(
        principal, "PeerRemoved", "peer", peer.state, before=_snapshot(peer), states=[peer.state]
    )


def find(uow: UnitOfWork, state: str, *, summary: bool = True) -> Peer | None:
    """The peer of that state, with its keys and (`summary`) the state of the exchange: the
    witness, the messages waiting for it; or None."""
    stored = uow.peers.find(state.upper())
    if stored is None:
        return None
    peer = Peer(
        state=stored.state,
        base_url=stored.base_url,
        added_at=stored.added_at,
        next_in_seq=stored.next_in_seq,
        halted_at=stored.halted_at,
        halted_reason=stored.halted_reason,
        keys=list(stored.keys),
    )
    if not summary:  # what the inbox needs to check a message: the peer and its keys
        return peer
    witnessed = uow.peers.last_checkpoint(stored.state)
    if witnessed is not None:
        peer.witnessed_size, peer.witnessed_at = witnessed.tree_size, witnessed.received_at
    peer.pending = uow.messages.waiting(stored.state)
    peer.last_error = uow.messages.first_waiting_error(stored.state)
    return peer


def get(uow: UnitOfWork, state: str) -> Peer:
    """The peer of that state; NotFound otherwise."""
    peer = find(uow, state)
    if peer is None:
        raise NotFound("peer", state.upper())
    return peer


def list_peers(uow: UnitOfWork, principal: Principal | None = None) -> list[Peer]:
    """Every peer, by state code (administrators and auditors, or the operator)."""
    if principal is not None and not (
        principal.user_id is None or principal.role in (Role.ADMIN, Role.AUDITOR)
    ):
        raise PermissionDenied(N_("only administrators and auditors see the peers"))
    return [peer for state in uow.peers.states() if (peer := find(uow, state)) is not None]


def of_case(uow: UnitOfWork, states: tuple[str, str]) -> Peer | None:
    """The peer on the other side of a case shared with another installation, if any."""
    state = uow.peers.one_of(states)
    return None if state is None else find(uow, state)


def halted_states(uow: UnitOfWork) -> set[str]:
    """The peers whose exchange stopped because their record failed the witness."""
    return uow.peers.halted()


def halt(uow: UnitOfWork, principal: Principal, state: str, reason: str) -> None:
    """Stop the exchange with a peer (its record failed the witness), and record why."""
    uow.peers.halt(state, at=utcnow(), reason=reason)
    uow.record(principal, "PeerHalted", "peer", state, reason=reason, states=[state])


def resume(uow: UnitOfWork, principal: Principal, state: str, reason: str) -> Peer:
    """Take up the exchange with a peer whose record failed the witness, once its operators
    and ours have found why (a key pinned wrong, say). Its next checkpoint is still checked
    against the last one kept: a record truly rewritten stops the exchange again."""
    _require_operator(principal)
    if not reason.strip():
        raise InvalidInput("reason", N_("say why the exchange may be taken up again"))
    peer = get(uow, state)
    if peer.halted_at is None:
        raise InvalidInput(
            "state", N_("the exchange with %(state)s has not stopped"), state=peer.state
        )
    uow.peers.resume(peer.state)
    uow.record(
        principal,
        "PeerResumed",
        "peer",
        peer.state,
        before={"halted_reason": peer.halted_reason},
        reason=reason,
        states=[peer.state],
    )
    return get(uow, peer.state)


def _snapshot(peer: Peer) -> dict[str, Any]:
    return {
        "state": peer.state,
        "base_url": peer.base_url,
        "keys": [
            {
                "purpose": k.purpose,
                "public_key": k.public_key,
                "accepted_until": k.accepted_until.isoformat() if k.accepted_until else None,
            }
            for k in peer.keys
        ],
    }
