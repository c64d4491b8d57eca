"""The audit repository on SQLAlchemy (services/ports/audit.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import cast, func, insert, or_, select, union_all, update

from repatria.adapters.db import audit_hashing
from repatria.adapters.db import tables as t
from repatria.adapters.db.leaf_columns import derivation_problem
from repatria.domain.audit_checkpoints import Checkpoint
from repatria.domain.audit_verify import LogShape
from repatria.domain.checkpoint_requests import CheckpointRequest
from repatria.domain.events import Event
from repatria.services.ports.audit import LogHead, RecordedEvent, SignedNote, StrayRow

if TYPE_CHECKING:
    from repatria.adapters.db.unit_of_work import SqlUnitOfWork

REQUEST_EVENT = "RequestCheckpoint"
_HEAD = select(t.audit_log_head.c.size, t.audit_log_head.c.root_hash).where(
    t.audit_log_head.c.id == 1
)
_CHECKPOINTS = select(t.audit_checkpoints).order_by(t.audit_checkpoints.c.tree_size)


class SqlAuditLog:
    """AuditLog in the unit of work's transaction."""

    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    def head(self) -> LogHead | None:
        """The log's head row, or None when it is missing."""
        row = self._uow.session.execute(_HEAD).first()
        return None if row is None else LogHead(row.size, row.root_hash)

    def size(self) -> int:
        """How many events the log holds, by its head (0 without one)."""
        return int(self._uow.session.scalar(select(func.max(t.audit_log_head.c.size))) or 0)

    def event(self, event_id: int) -> Event | None:
        """One event of the record, or None."""
        return self._uow.session.get(Event, event_id)

    def leaf_hashes(self, size: int) -> list[bytes]:
        """The leaf hashes of the events at positions below `size`, in order (fewer when
        rows are missing)."""
        events = t.events
        query = select(events.c.leaf_hash).where(events.c.seq < size).order_by(events.c.seq)
        return list(self._uow.session.scalars(query))

    def checkpoints(self) -> list[Checkpoint]:
        """Every signed checkpoint, smallest first."""
        return [_checkpoint(row) for row in self._uow.session.execute(_CHECKPOINTS)]

    def latest_checkpoint(self) -> Checkpoint | None:
        """The largest signed checkpoint, or None."""
        query = select(t.audit_checkpoints).order_by(t.audit_checkpoints.c.tree_size.desc())
        row = self._uow.session.execute(query.limit(1)).first()
        return None if row is None else _checkpoint(row)

    def checkpoint_at(self, tree_size: int) -> Checkpoint | None:
        """The checkpoint signed at that size, or None."""
        query = select(t.audit_checkpoints).where(t.audit_checkpoints.c.tree_size == tree_size)
        row = self._uow.session.execute(query).first()
        return None if row is None else _checkpoint(row)

    def keep_checkpoint(self, checkpoint: Checkpoint) -> None:
        """Store a checkpoint just signed."""
        self._uow.session.execute(
            t.audit_checkpoints.insert().values(
                tree_size=checkpoint.tree_size,
                root_hash=checkpoint.root_hash,
                signed_at=checkpoint.signed_at,
                signature=checkpoint.signature,
                key_id=checkpoint.key_id,
            )
        )

    def latest_note(self) -> SignedNote | None:
        """Our newest checkpoint as a signed note, or None."""
        notes = t.checkpoint_notes
        query = select(notes.c.tree_size, notes.c.note).order_by(notes.c.tree_size.desc())
        row = self._uow.session.execute(query.limit(1)).first()
        return None if row is None else SignedNote(row.tree_size, row.note)

    def keep_note(self, tree_size: int, note: str) -> None:
        """Store a checkpoint's signed note."""
        self._uow.session.execute(
            t.checkpoint_notes.insert().values(tree_size=tree_size, note=note)
        )

    def hash_rows(
        self, database_url: str, size: int, sizes: list[int], workers: int | None
    ) -> LogShape:
        """Every stored row of the log's first `size` positions rehashed, with the roots at
        `sizes` and the first row found wrong (in worker processes for a large log)."""
        connection = self._uow.session.connection().connection.driver_connection
        return audit_hashing.hash_log(connection, database_url, size, sizes, workers)

    def first_stray_row(self) -> StrayRow | None:
        """The first event row without a valid place in the log, by seq then id."""
        row = self._uow.session.execute(_FIRST_STRAY).first()
        return None if row is None else StrayRow(row.id, row.seq)

    def derivation_problem(self) -> str | None:
        """Why an event's columns are no longer derived from its leaf as Repatria derives
        them (a table rebuilt behind the application's back), or None."""
        return derivation_problem(self._uow.session.connection(), t.events)

    def add_checkpoint_request(self, requested_by: int, reason: str, at: datetime) -> int:
        """Store a request for a signed checkpoint; its id."""
        statement = (
            insert(t.checkpoint_requests)
            .values(requested_at=at, requested_by=requested_by, reason=reason)
            .returning(t.checkpoint_requests.c.id)
        )
        return int(self._uow.session.execute(statement).scalar_one())

    def checkpoint_requests(self, limit: int) -> list[CheckpointRequest]:
        """Every pending request and the latest answered ones, newest first."""
        requests = t.checkpoint_requests
        answered = (
            select(requests.c.id)
            .where(requests.c.answered_by_size.is_not(None))
            .order_by(requests.c.id.desc())
            .limit(limit)
        )
        query = (
            select(requests, t.users.c.username)
            .join(t.users, t.users.c.id == requests.c.requested_by)
            .where(or_(requests.c.answered_by_size.is_(None), requests.c.id.in_(answered)))
            .order_by(requests.c.id.desc())
        )
        return [_request(row) for row in self._uow.session.execute(query)]

    def answer_checkpoint_requests(self, size: int, at: datetime) -> int:
        """Mark answered every pending request whose own event is in the signed tree."""
        requests, events = t.checkpoint_requests, t.events
        in_tree = select(events.c.subject_id).where(
            events.c.command == REQUEST_EVENT,
            events.c.subject_type == "checkpoint_request",
            events.c.seq < size,
        )
        statement = (
            update(requests)
            .where(
                requests.c.answered_by_size.is_(None),
                cast(requests.c.id, events.c.subject_id.type).in_(in_tree),
            )
            .values(answered_by_size=size, answered_at=at)
            .returning(requests.c.id)
        )
        return len(self._uow.session.execute(statement).all())

    def recorded_since(self, command: str, since: datetime, *, limit: int) -> list[RecordedEvent]:
        """The events of one command recorded since a moment, newest first, at most `limit`."""
        e = t.events.c
        query = (
            select(e.subject_id, e.after, e.states, e.recorded_at)
            .where(e.command == command, e.recorded_at >= since)
            .order_by(e.seq.desc())
            .limit(limit)
        )
        return [
            RecordedEvent(str(row.subject_id), row.after, list(row.states or []), row.recorded_at)
            for row in self._uow.session.execute(query)
        ]


def _request(row: Any) -> CheckpointRequest:
    return CheckpointRequest(
        id=row.id,
        requested_at=row.requested_at,
        requested_by=row.username,
        reason=row.reason,
        answered_by_size=row.answered_by_size,
        answered_at=row.answered_at,
    )


def _checkpoint(row: Any) -> Checkpoint:
    return Checkpoint(row.tree_size, row.root_hash, row.signed_at, row.signature, row.key_id)


def _first_stray() -> Any:
    events = t.events
    head_size = select(t.audit_log_head.c.size).where(t.audit_log_head.c.id == 1)
    # The first of each kind, each found through the seq index, then the first of those:
    # asked in one WHERE with ORs, PostgreSQL walked the whole index (0.5 s a million events).
    kinds = [
        select(events.c.id, events.c.seq).where(condition).order_by(events.c.seq, events.c.id)
        for condition in (
            events.c.seq.is_(None),
            events.c.seq < 0,
            events.c.seq >= head_size.scalar_subquery(),
        )
    ]
    firsts = union_all(*(select(kind.limit(1).subquery()) for kind in kinds)).subquery()
    return select(firsts.c.id, firsts.c.seq).order_by(firsts.c.seq, firsts.c.id).limit(1)


_FIRST_STRAY = _first_stray()
