"""The messages repository: what the services read and change of the exchange's outbox (signed
envelopes waiting for their peer) and inbox (envelopes received, kept verbatim)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    """A message in the outbox, as delivery needs it."""

    id: int
    seq: int
    envelope: str
    attempts: int
    next_attempt_at: datetime


@dataclass(frozen=True)
class Incoming:
    """A message in the inbox, as acting on it needs it."""

    id: int
    envelope: str


class Messages(Protocol):
    """Reads and changes the outbox and the inbox inside one unit of work."""

    def last_sent_seq(self, peer_state: str) -> int:
        """The highest sequence number queued for the peer (0: none yet)."""
        ...

    def queue(
        self,
        peer_state: str,
        *,
        seq: int,
        message_id: str,
        kind: str,
        case_reference: str,
        checkpoint_size: int | None,
        envelope: str,
        created_at: datetime,
    ) -> None:
        """Put a signed envelope in the outbox, due at once."""
        ...

    def last_carried_checkpoint(self, peer_state: str) -> int | None:
        """The size of the checkpoint our latest envelope to the peer carried (None: none did)."""
        ...

    def waiting(self, peer_state: str) -> int:
        """How many messages to the peer are not yet delivered."""
        ...

    def first_waiting_error(self, peer_state: str) -> str | None:
        """Why the first undelivered message to the peer failed last, if it did."""
        ...

    def undelivered(self, peer_state: str, limit: int) -> list[Outgoing]:
        """The first `limit` undelivered messages to the peer, in sequence order."""
        ...

    def delivered(self, message: int, at: datetime) -> None:
        """The message reached its peer."""
        ...

    def failed(self, message: int, *, attempts: int, next_attempt_at: datetime, error: str) -> None:
        """The message did not reach its peer: tried again from `next_attempt_at`."""
        ...

    def last_received_seq(self, peer_state: str) -> int:
        """The highest sequence number received from the peer (0: none yet)."""
        ...

    def received_envelope(self, message_id: str) -> str | None:
        """The envelope received under that message id, or None."""
        ...

    def seq_taken(self, peer_state: str, seq: int) -> bool:
        """Whether a message from the peer with that sequence number was received."""
        ...

    def receive(
        self,
        peer_state: str,
        *,
        seq: int,
        message_id: str,
        kind: str,
        envelope: str,
        received_at: datetime,
    ) -> None:
        """Keep an envelope received from the peer, verbatim, not yet acted on."""
        ...

    def received(self, peer_state: str, seq: int) -> Incoming | None:
        """The message from the peer with that sequence number, if it is here."""
        ...

    def processed(self, message: int, at: datetime) -> None:
        """The received message was acted on."""
        ...
