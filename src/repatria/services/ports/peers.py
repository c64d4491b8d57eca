"""The peers repository: what the services read and change of peers (the states this
installation exchanges with, their pinned keys, and the checkpoints each has shown us)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol


@dataclass(frozen=True)
class PinnedKey:
    """A peer's public key for one purpose, accepted until a day (None: no end set)."""

    purpose: str
    public_key: str
    key_id: str
    accepted_until: date | None

    def accepted_on(self, day: date) -> bool:
        """Whether a message or checkpoint signed with it is accepted on that day."""
        return self.accepted_until is None or day <= self.accepted_until


@dataclass(frozen=True)
class StoredPeer:
    """A peer as stored: its address, the state of its inbound sequence, and its keys."""

    state: str
    base_url: str
    added_at: datetime
    next_in_seq: int
    halted_at: datetime | None
    halted_reason: str | None
    keys: tuple[PinnedKey, ...]


@dataclass(frozen=True)
class SeenCheckpoint:
    """The newest checkpoint kept from a peer, and when it came."""

    tree_size: int
    root_hash: bytes
    received_at: datetime


class Peers(Protocol):
    """Reads and changes peers inside one unit of work."""

    def find(self, state: str) -> StoredPeer | None:
        """The peer of that state with its keys (in the order they were pinned), or None."""
        ...

    def add(self, state: str, base_url: str, *, added_at: datetime, next_in_seq: int) -> None:
        """Store a new peer, expecting `next_in_seq` next from it."""
        ...

    def readdress(self, state: str, base_url: str) -> None:
        """Change where the peer is reached."""
        ...

    def pin(
        self, state: str, purpose: str, public_key: str, key_id: str, accepted_until: date | None
    ) -> None:
        """Pin a key of the peer for a purpose, or change until when a pinned one is accepted."""
        ...

    def remove(self, state: str) -> None:
        """Forget the peer and its keys."""
        ...

    def states(self) -> list[str]:
        """Every peer's state code, in order."""
        ...

    def one_of(self, states: Iterable[str]) -> str | None:
        """The first of these states that is a peer, or None."""
        ...

    def reachable(self) -> list[tuple[str, str]]:
        """(state, base_url) of each peer whose exchange is not stopped."""
        ...

    def halted(self) -> set[str]:
        """The states whose exchange is stopped."""
        ...

    def halt(self, state: str, *, at: datetime, reason: str) -> None:
        """Stop the exchange with the peer (kept as it was when already stopped)."""
        ...

    def resume(self, state: str) -> None:
        """Take up the exchange with the peer again."""
        ...

    def hold(self, state: str) -> int | None:
        """Hold the peer's row to the commit (one writer a peer at a time); the sequence
        number expected next from it, None when there is no such peer."""
        ...

    def expect_next(self, state: str, seq: int) -> None:
        """The sequence number expected next from the peer."""
        ...

    def last_checkpoint(self, state: str) -> SeenCheckpoint | None:
        """The newest checkpoint kept from the peer."""
        ...

    def keep_checkpoint(
        self,
        state: str,
        *,
        tree_size: int,
        root_hash: bytes,
        note: str,
        message_id: str,
        received_at: datetime,
    ) -> None:
        """Keep a checkpoint the peer sent (the signed note verbatim, and the message that
        carried it)."""
        ...
