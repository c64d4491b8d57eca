"""Each side witnesses the other's record: the checkpoint an envelope carries (a C2SP signed
note of the sender's audit log) is checked against the last one seen from that peer with the
RFC 6962 consistency proof the envelope carries, and kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from repatria.domain import merkle
from repatria.domain.audit_checkpoints import public_key_from_hex
from repatria.domain.signed_notes import NoteError, sign_checkpoint_note, verify_checkpoint_note
from repatria.services.exchange.keys import origin
from repatria.services.exchange.peers import Peer
from repatria.services.unit_of_work import UnitOfWork, utcnow


class WitnessFailed(Exception):
    """The peer's record does not extend what it showed before: shrunk or rewritten."""


@dataclass(frozen=True)
class Seen:
    """The newest checkpoint kept from a peer."""

    tree_size: int
    root_hash: bytes


def sign_note(
    uow: UnitOfWork, private_key: Ed25519PrivateKey, state: str, size: int, root_hash: bytes
) -> None:
    """Keep the checkpoint just signed as a C2SP signed note too (what crosses the border);
    called by the one command that holds the checkpoint key."""
    note = sign_checkpoint_note(private_key, origin(state), size, root_hash)
    uow.audit.keep_note(size, note)


def for_envelope(uow: UnitOfWork, peer_state: str) -> tuple[dict[str, Any] | None, int | None]:
    """The checkpoint an envelope to this peer carries (our latest signed note), with the
    consistency proof from the one carried by our previous envelope to it; and its size."""
    latest = uow.audit.latest_note()
    if latest is None:
        return None, None
    previous = uow.messages.last_carried_checkpoint(peer_state)
    carried: dict[str, Any] = {"note": latest.note}
    if previous is not None and previous != latest.tree_size:
        leaves = uow.audit.leaf_hashes(latest.tree_size)
        proof = merkle.consistency_proof(leaves, previous)
        carried.update(from_size=previous, proof=[node.hex() for node in proof])
    elif previous is not None:
        carried.update(from_size=previous, proof=[])
    return carried, latest.tree_size


def last_seen(uow: UnitOfWork, peer_state: str) -> Seen | None:
    """The newest checkpoint kept from the peer."""
    kept = uow.peers.last_checkpoint(peer_state)
    return None if kept is None else Seen(kept.tree_size, kept.root_hash)


def check(
    uow: UnitOfWork, peer: Peer, carried: dict[str, Any] | None, message_id: str, on_day: Any
) -> None:
    """Check the carried checkpoint against the last one seen and keep it; WitnessFailed when
    the peer's log shrank or was rewritten, or the checkpoint is not the peer's."""
    if carried is None:
        return
    keys = [
        public_key_from_hex(k.public_key)
        for k in peer.keys
        if k.purpose == "checkpoint" and k.accepted_on(on_day)
    ]
    try:
        note = verify_checkpoint_note(carried["note"], origin(peer.state), keys)
    except NoteError as exc:
        raise WitnessFailed(f"the checkpoint {peer.state} sent is not acceptable: {exc}") from exc
    seen = last_seen(uow, peer.state)
    if seen is not None:
        if note.tree_size < seen.tree_size:
            raise WitnessFailed(
                f"{peer.state}'s log shrank: it showed {seen.tree_size} events,"
                f" now {note.tree_size}"
            )
        if note.tree_size == seen.tree_size and note.root_hash != seen.root_hash:
            raise WitnessFailed(
                f"{peer.state}'s log was rewritten: another root at size {seen.tree_size}"
            )
        if note.tree_size > seen.tree_size:
            proof = [bytes.fromhex(node) for node in carried.get("proof", [])]
            consistent = carried.get("from_size") == seen.tree_size and merkle.verify_consistency(
                seen.tree_size, note.tree_size, seen.root_hash, note.root_hash, proof
            )
            if not consistent:
                raise WitnessFailed(
                    f"{peer.state}'s log at {note.tree_size} events does not extend the one "
                    f"it showed at {seen.tree_size}: rewritten"
                )
        if note.tree_size == seen.tree_size:
            return
    uow.peers.keep_checkpoint(
        peer.state,
        tree_size=note.tree_size,
        root_hash=note.root_hash,
        note=note.text,
        message_id=message_id,
        received_at=utcnow(),
    )
