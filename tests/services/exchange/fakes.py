"""The exchange's repositories in memory (`uow.peers`, `uow.messages`), on the in-memory unit of
work of tests/fakes.py, for fast use-case tests of peers and the inbox without a database.

What the exchange keeps lives in one `ExchangeTables` held by the store under a single key, so
the fake unit of work's own rules apply to it unchanged: a unit sees what was committed when it
began and its own changes, a savepoint undoes what an exception left it with, and nothing of a
unit left without commit remains. A unique key the database would refuse (a message id, a
peer's sequence number) is refused with Conflict, as the adapter translates the driver's
IntegrityError.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from repatria.domain.errors import Conflict
from repatria.services.ports.messages import Incoming, Outgoing
from repatria.services.ports.peers import PinnedKey, SeenCheckpoint, StoredPeer
from tests.fakes import FakeStore, FakeUnitOfWork

_TABLES = 0  # the one key the exchange's tables are stored under


@dataclass
class Kept:
    """A checkpoint a peer sent, as kept."""

    state: str
    seen: SeenCheckpoint
    note: str
    message_id: str


@dataclass
class Queued:
    """A message in the outbox, with what delivery keeps beside it."""

    peer_state: str
    message_id: str
    kind: str
    case_reference: str
    checkpoint_size: int | None
    created_at: datetime
    out: Outgoing
    delivered_at: datetime | None = None
    last_error: str | None = None


@dataclass
class Received:
    """A message in the inbox."""

    peer_state: str
    seq: int
    message_id: str
    kind: str
    received_at: datetime
    incoming: Incoming
    processed_at: datetime | None = None


@dataclass
class ExchangeTables:
    """Peers, their checkpoints, the outbox and the inbox."""

    peers: dict[str, StoredPeer] = field(default_factory=dict)
    checkpoints: list[Kept] = field(default_factory=list)
    outbox: list[Queued] = field(default_factory=list)
    inbox: list[Received] = field(default_factory=list)


@dataclass
class ExchangeStore(FakeStore):
    """The fake's database, with the exchange's tables."""

    exchange: dict[int, ExchangeTables] = field(default_factory=lambda: {_TABLES: ExchangeTables()})

    @property
    def tables(self) -> ExchangeTables:
        """What the committed units left of the exchange."""
        return self.exchange[_TABLES]


class ExchangeUnitOfWork(FakeUnitOfWork):
    """The in-memory unit of work with `uow.peers` and `uow.messages` kept too."""

    store: ExchangeStore

    def __init__(self, store: ExchangeStore | None = None) -> None:
        super().__init__(store if store is not None else ExchangeStore())
        self.peers = FakePeers(self)
        self.messages = FakeMessages(self)

    def _begin(self) -> None:
        super()._begin()
        assert isinstance(self._work, ExchangeStore)
        self._work.exchange = {_TABLES: copy.deepcopy(self.store.tables)}

    def reading(self) -> ExchangeTables:
        """The exchange's tables as this unit sees them."""
        work = self.work
        assert isinstance(work, ExchangeStore)
        return work.tables

    def writing(self) -> ExchangeTables:
        """The exchange's tables, to be stored at this unit's commit."""
        self.wrote("exchange", _TABLES)
        return self.reading()


class FakePeers:
    """The peers repository (services/ports/peers.py) in memory."""

    def __init__(self, uow: ExchangeUnitOfWork) -> None:
        self._uow = uow

    def find(self, state: str) -> StoredPeer | None:
        return self._uow.reading().peers.get(state)

    def add(self, state: str, base_url: str, *, added_at: datetime, next_in_seq: int) -> None:
        tables = self._uow.writing()
        if state in tables.peers:
            raise Conflict(f"a peer {state} is already stored")
        tables.peers[state] = StoredPeer(state, base_url, added_at, next_in_seq, None, None, ())

    def readdress(self, state: str, base_url: str) -> None:
        self._change(state, base_url=base_url)

    def pin(
        self, state: str, purpose: str, public_key: str, key_id: str, accepted_until: date | None
    ) -> None:
        peer = self._uow.reading().peers[state]
        keys = list(peer.keys)
        for index, key in enumerate(keys):
            if (key.purpose, key.public_key) == (purpose, public_key):
                keys[index] = dataclasses.replace(key, accepted_until=accepted_until)
                break
        else:
            keys.append(PinnedKey(purpose, public_key, key_id, accepted_until))
        self._change(state, keys=tuple(keys))

    def remove(self, state: str) -> None:
        self._uow.writing().peers.pop(state, None)

    def states(self) -> list[str]:
        return sorted(self._uow.reading().peers)

    def one_of(self, states: Iterable[str]) -> str | None:
        return next((s for s in states if s in self._uow.reading().peers), None)

    def reachable(self) -> list[tuple[str, str]]:
        peers = self._uow.reading().peers.values()
        return [(p.state, p.base_url) for p in peers if p.halted_at is None]

    def halted(self) -> set[str]:
        return {p.state for p in self._uow.reading().peers.values() if p.halted_at is not None}

    def halt(self, state: str, *, at: datetime, reason: str) -> None:
        peer = self._uow.reading().peers.get(state)
        if peer is not None and peer.halted_at is None:
            self._change(state, halted_at=at, halted_reason=reason)

    def resume(self, state: str) -> None:
        self._change(state, halted_at=None, halted_reason=None)

    def hold(self, state: str) -> int | None:
        peer = self._uow.reading().peers.get(state)
        return None if peer is None else peer.next_in_seq

    def expect_next(self, state: str, seq: int) -> None:
        self._change(state, next_in_seq=seq)

    def last_checkpoint(self, state: str) -> SeenCheckpoint | None:
        kept = [k.seen for k in self._uow.reading().checkpoints if k.state == state]
        return max(kept, key=lambda seen: seen.tree_size, default=None)

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
        tables = self._uow.writing()
        if any(k.state == state and k.seen.tree_size == tree_size for k in tables.checkpoints):
            raise Conflict(f"{state}'s checkpoint of size {tree_size} is already kept")
        seen = SeenCheckpoint(tree_size, root_hash, received_at)
        tables.checkpoints.append(Kept(state, seen, note, message_id))

    def _change(self, state: str, **values: Any) -> None:
        tables = self._uow.writing()
        if state in tables.peers:
            tables.peers[state] = dataclasses.replace(tables.peers[state], **values)


class FakeMessages:
    """The messages repository (services/ports/messages.py) in memory."""

    def __init__(self, uow: ExchangeUnitOfWork) -> None:
        self._uow = uow

    def last_sent_seq(self, peer_state: str) -> int:
        queued = self._uow.reading().outbox
        return max((q.out.seq for q in queued if q.peer_state == peer_state), default=0)

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
        tables = self._uow.writing()
        if any(q.message_id == message_id for q in tables.outbox):
            raise Conflict(f"message {message_id} is already queued")
        out = Outgoing(len(tables.outbox) + 1, seq, envelope, 0, created_at)
        tables.outbox.append(
            Queued(peer_state, message_id, kind, case_reference, checkpoint_size, created_at, out)
        )

    def last_carried_checkpoint(self, peer_state: str) -> int | None:
        carried = [
            q
            for q in self._uow.reading().outbox
            if q.peer_state == peer_state and q.checkpoint_size is not None
        ]
        return max(carried, key=lambda q: q.out.seq).checkpoint_size if carried else None

    def waiting(self, peer_state: str) -> int:
        return len(self._undelivered(peer_state))

    def first_waiting_error(self, peer_state: str) -> str | None:
        waiting = self._undelivered(peer_state)
        return waiting[0].last_error if waiting else None

    def undelivered(self, peer_state: str, limit: int) -> list[Outgoing]:
        return [q.out for q in self._undelivered(peer_state)[:limit]]

    def delivered(self, message: int, at: datetime) -> None:
        queued = self._queued(message)
        queued.delivered_at, queued.last_error = at, None

    def failed(self, message: int, *, attempts: int, next_attempt_at: datetime, error: str) -> None:
        queued = self._queued(message)
        queued.out = dataclasses.replace(
            queued.out, attempts=attempts, next_attempt_at=next_attempt_at
        )
        queued.last_error = error

    def last_received_seq(self, peer_state: str) -> int:
        inbox = self._uow.reading().inbox
        return max((r.seq for r in inbox if r.peer_state == peer_state), default=0)

    def received_envelope(self, message_id: str) -> str | None:
        found = [r for r in self._uow.reading().inbox if r.message_id == message_id]
        return found[0].incoming.envelope if found else None

    def seq_taken(self, peer_state: str, seq: int) -> bool:
        return any(r.peer_state == peer_state and r.seq == seq for r in self._uow.reading().inbox)

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
        tables = self._uow.writing()
        if self.received_envelope(message_id) is not None or self.seq_taken(peer_state, seq):
            raise Conflict(f"message {message_id} ({peer_state} {seq}) is already received")
        incoming = Incoming(len(tables.inbox) + 1, envelope)
        tables.inbox.append(Received(peer_state, seq, message_id, kind, received_at, incoming))

    def received(self, peer_state: str, seq: int) -> Incoming | None:
        found = [
            r.incoming
            for r in self._uow.reading().inbox
            if r.peer_state == peer_state and r.seq == seq
        ]
        return found[0] if found else None

    def processed(self, message: int, at: datetime) -> None:
        for received in self._uow.writing().inbox:
            if received.incoming.id == message:
                received.processed_at = at

    def _undelivered(self, peer_state: str) -> list[Queued]:
        queued = self._uow.reading().outbox
        waiting = [q for q in queued if q.peer_state == peer_state and q.delivered_at is None]
        return sorted(waiting, key=lambda q: q.out.seq)

    def _queued(self, message: int) -> Queued:
        return next(q for q in self._uow.writing().outbox if q.out.id == message)
