"""One unit of work per use case: the change and its audit event commit together or not at all."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import JSON, column, insert, select, table, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from repatria.adapters.db import tables as t
from repatria.domain.accounts import Principal
from repatria.domain.audit import canonical_json, event_leaf_hash
from repatria.domain.events import Event
from repatria.domain.merkle import Frontier

# Events are inserted with their JSON columns as canonical text, which the verifier re-hashes
# without parsing; the ORM's JSON type would re-serialise them with its own spacing.
_JSON_COLUMNS = ("before", "after", "states")


class _JsonText(TypeDecorator[str]):
    """A JSON column written from text that is already JSON (cast to json on PostgreSQL)."""

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> None:
        return None


_events_as_text = table(
    "events",
    *(column(c.name, _JsonText() if c.name in _JSON_COLUMNS else c.type) for c in t.events.columns),
)


def utcnow() -> datetime:
    """The current moment, timezone-aware in UTC."""
    return datetime.now(UTC)


class UnitOfWork:
    """A database transaction that use cases open with `with uow:` and end with `uow.commit()`.

    Leaving the block without commit (or by an exception) rolls everything back, the events
    recorded inside it included.
    """

    session: Session

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._recorded: list[Event] = []

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self._recorded = []
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._recorded = []
        self.session.rollback()
        self.session.close()

    def commit(self) -> None:
        """Make the change and its events durable, the events appended to the Merkle log."""
        events = self._recorded + [o for o in self.session.new if isinstance(o, Event)]
        self._recorded = []
        if events:
            for event in events:
                if event in self.session:
                    self.session.expunge(event)
            append_to_log(self.session, events)
        self.session.commit()

    def record(
        self,
        principal: Principal,
        command: str,
        subject_type: str,
        subject_id: object,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        reason: str = "",
        legal_basis: str = "",
        states: list[str] | None = None,
        occurred_at: datetime | None = None,
    ) -> Event:
        """Append an event to the record inside this transaction."""
        now = utcnow()
        event = Event(
            command=command,
            subject_type=subject_type,
            subject_id=str(subject_id),
            occurred_at=occurred_at or now,
            recorded_at=now,
            actor=principal.username,
            actor_id=principal.user_id,
            organisation_id=principal.organisation_id,
            before=_as_stored(before),
            after=_as_stored(after),
            reason=reason,
            legal_basis=legal_basis,
            states=sorted(set(states or [])),
        )
        self._recorded.append(event)
        return event


def _as_stored(snapshot: dict[str, Any] | None) -> dict[str, Any] | None:
    # What the database will give back (e.g. integer keys become strings), so the leaf hashed
    # now is the leaf the verifier recomputes later.
    return None if snapshot is None else json.loads(json.dumps(snapshot))


def append_to_log(session: Session, events: list[Event]) -> None:
    """Number, hash and insert the events at the end of the log, inside the session's transaction.

    The other changes are flushed first, so the log head is locked only for the appending
    itself; the row lock (PostgreSQL) or BEGIN IMMEDIATE (SQLite) serialises writers, which
    keeps the sequence numbers contiguous whatever the commit order.
    """
    session.flush()
    head = session.execute(
        select(t.audit_log_head.c.size, t.audit_log_head.c.frontier)
        .where(t.audit_log_head.c.id == 1)
        .with_for_update()
    ).one()
    frontier = Frontier.from_bytes(head.size, head.frontier)
    for event in events:
        seq = frontier.size
        hashed = event_leaf_hash(event, seq)
        frontier.append(hashed)
        row = {c: getattr(event, c) for c in _STORED if c not in _JSON_COLUMNS}
        row.update({c: canonical_json(getattr(event, c)) for c in _JSON_COLUMNS})
        event.id = session.execute(
            insert(_events_as_text)
            .values(**row, seq=seq, leaf_hash=hashed)
            .returning(_events_as_text.c.id)
        ).scalar_one()
    session.execute(
        update(t.audit_log_head)
        .where(t.audit_log_head.c.id == 1)
        .values(size=frontier.size, root_hash=frontier.root(), frontier=frontier.to_bytes())
    )


_STORED = tuple(c.name for c in t.events.columns if c.name not in ("id", "seq", "leaf_hash"))
