"""The exchange's repositories and the record's in memory (`uow.peers`, `uow.messages`,
`uow.audit`), on the in-memory unit of work of tests/fakes.py, for fast use-case tests of peers,
the inbox and the record's checkpoints and proofs without a database.

What the exchange keeps lives in one `ExchangeTables` held by the store under a single key, so
the fake unit of work's own rules apply to it unchanged: a unit sees what was committed when it
began and its own changes, a savepoint undoes what an exception left it with, and nothing of a
unit left without commit remains. A unique key the database would refuse (a message id, a
peer's sequence number) is refused with Conflict, as the adapter translates the driver's
IntegrityError. The record is the events the store's units committed, in order: an event's
place in that list is its seq, and its leaf is laid out as the unit of work's append lays it out
(domain/audit.py); nothing can be stored outside it or derived otherwise in memory.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from repatria.domain import merkle
from repatria.domain.audit import event_leaf
from repatria.domain.audit_checkpoints import Checkpoint
from repatria.domain.audit_verify import LogShape, hash_chunk, sizes_in_chunk
from repatria.domain.checkpoint_requests import CheckpointRequest
from repatria.domain.errors import Conflict
from repatria.domain.events import Event
from repatria.services.ports.audit import LogHead, SignedNote, StrayRow
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
    signed: list[Checkpoint] = field(default_factory=list)  # our own checkpoints
    notes: dict[int, str] = field(default_factory=dict)  # and their signed notes, by size
    requests: list[CheckpointRequest] = field(default_factory=list)  # checkpoints asked for


@dataclass
class ExchangeStore(FakeStore):
    """The fake's database, with the exchange's tables."""

    exchange: dict[int, ExchangeTables] = field(default_factory=lambda: {_TABLES: ExchangeTables()})

    @property
    def tables(self) -> ExchangeTables:
        """What the committed units left of the exchange."""
        return self.exchange[_TABLES]


class ExchangeUnitOfWork(FakeUnitOfWork):
    """The in-memory unit of work with `uow.peers`, `uow.messages` and `uow.audit` kept too."""

    store: ExchangeStore

    def __init__(self, store: ExchangeStore | None = None) -> None:
        super().__init__(store if store is not None else ExchangeStore())
        self.peers = FakePeers(self)
        self.messages = FakeMessages(self)
        self.audit = FakeAuditLog(self)

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


class FakeAuditLog:
    """The audit repository (services/ports/audit.py) in memory: the committed events are the
    log (`record`'s events join it at commit, as the adapter appends them)."""

    def __init__(self, uow: ExchangeUnitOfWork) -> None:
        self._uow = uow

    def head(self) -> LogHead | None:
        leaves = self.leaf_hashes(self.size())
        return LogHead(len(leaves), merkle.tree_hash(leaves) if leaves else merkle.EMPTY_ROOT)

    def size(self) -> int:
        return len(self._uow.store.events)

    def event(self, event_id: int) -> Event | None:
        for seq, event in enumerate(self._uow.store.events):
            if event.id == event_id:
                found = copy.deepcopy(event)
                found.seq = seq  # type: ignore[attr-defined]  # as the mapping adds it
                return found
        return None

    def leaf_hashes(self, size: int) -> list[bytes]:
        return [merkle.leaf_hash(leaf) for leaf in self._leaves()[:size]]

    def checkpoints(self) -> list[Checkpoint]:
        return sorted(self._uow.reading().signed, key=lambda c: c.tree_size)

    def latest_checkpoint(self) -> Checkpoint | None:
        return max(self._uow.reading().signed, key=lambda c: c.tree_size, default=None)

    def checkpoint_at(self, tree_size: int) -> Checkpoint | None:
        return next((c for c in self._uow.reading().signed if c.tree_size == tree_size), None)

    def keep_checkpoint(self, checkpoint: Checkpoint) -> None:
        if self.checkpoint_at(checkpoint.tree_size) is not None:
            raise Conflict(f"a checkpoint of size {checkpoint.tree_size} is already stored")
        self._uow.writing().signed.append(checkpoint)

    def latest_note(self) -> SignedNote | None:
        notes = self._uow.reading().notes
        return SignedNote(max(notes), notes[max(notes)]) if notes else None

    def keep_note(self, tree_size: int, note: str) -> None:
        self._uow.writing().notes[tree_size] = note

    def hash_rows(
        self, database_url: str, size: int, sizes: list[int], workers: int | None
    ) -> LogShape:
        leaves = self._leaves()[:size]
        rows = [
            (event.id, seq, merkle.leaf_hash(leaf), leaf)
            for seq, (event, leaf) in enumerate(zip(self._uow.store.events, leaves, strict=False))
        ]
        chunk = max(1 << (max(size, 1) - 1).bit_length(), 1)
        return LogShape(chunk, [hash_chunk(rows, 0, size, sizes_in_chunk(0, chunk, size, sizes))])

    def add_checkpoint_request(self, requested_by: int, reason: str, at: datetime) -> int:
        tables = self._uow.writing()
        request_id = len(tables.requests) + 1
        # No accounts in memory: the requester is named by their user id.
        tables.requests.append(CheckpointRequest(request_id, at, str(requested_by), reason))
        return request_id

    def checkpoint_requests(self, limit: int) -> list[CheckpointRequest]:
        newest_first = sorted(self._uow.reading().requests, key=lambda r: -r.id)
        answered = [r.id for r in newest_first if not r.pending][:limit]
        return [r for r in newest_first if r.pending or r.id in answered]

    def answer_checkpoint_requests(self, size: int, at: datetime) -> int:
        in_tree = {
            event.subject_id
            for event in self._uow.store.events[:size]
            if (event.command, event.subject_type) == ("RequestCheckpoint", "checkpoint_request")
        }
        tables = self._uow.writing()
        answered = 0
        for index, request in enumerate(tables.requests):
            if request.pending and str(request.id) in in_tree:
                tables.requests[index] = dataclasses.replace(
                    request, answered_by_size=size, answered_at=at
                )
                answered += 1
        return answered

    def first_stray_row(self) -> StrayRow | None:
        return None  # every event in memory has its place in the log

    def derivation_problem(self) -> str | None:
        return None  # nothing is derived in memory: an event is its fields

    def _leaves(self) -> list[bytes]:
        return [event_leaf(event, seq) for seq, event in enumerate(self._uow.store.events)]
