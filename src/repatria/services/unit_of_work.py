"""One unit of work per use case: the change and its audit event commit together or not at all.

The services see storage only through the `UnitOfWork` protocol below and the repositories it
holds (services/ports/, one module per concept); adapters/db/unit_of_work.py is its SQLAlchemy
implementation, and tests/fakes.py keeps one in memory for fast use-case tests. Only the
composition root (bootstrap.py) chooses which (DESIGN.md §7).
"""

from __future__ import annotations

import json
import threading
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from repatria.domain.accounts import Principal
from repatria.domain.errors import PermissionDenied
from repatria.domain.events import Event
from repatria.i18n import N_
from repatria.services.ports import (
    accounts,
    amendments,
    audit,
    cases,
    contracts,
    facilities,
    idempotency,
    messages,
    movements,
    peers,
    people,
    views,
)


def utcnow() -> datetime:
    """The current moment, timezone-aware in UTC."""
    return datetime.now(UTC)


class WriterGate:
    """How many units of work that write may run at once in this process (one by default).

    Writers meet at a lock in the database anyway (SQLite's write lock, the log head's row
    on PostgreSQL); waiting here, asleep, they do not take the GIL from the one that holds it
    (docs/decisions/0002-plain-threads-and-a-writer-lock.md). A unit of work takes its turn
    when it first touches the database and gives it back at its commit or end, API command
    and form alike."""

    def __init__(self, limit: int, timeout_s: float = 30.0) -> None:
        self._slots = threading.BoundedSemaphore(limit)
        self._timeout_s = timeout_s

    def acquire(self) -> None:
        """Wait up to the timeout for a slot; TimeoutError when none comes free."""
        if not self._slots.acquire(timeout=self._timeout_s):
            raise TimeoutError(f"no turn to write within {self._timeout_s:.0f} s: overloaded")

    def release(self) -> None:
        """Give the slot back (from any thread)."""
        self._slots.release()


class UnitOfWork(Protocol):
    """A transaction that use cases open with `with uow:` and end with `uow.commit()`.

    Leaving the block without commit (or by an exception) rolls everything back, the events
    recorded inside it included. A change that collides with another writer's comes out of
    it as the domain's Conflict. Each repository reads and changes one concept's records
    inside this transaction.
    """

    accounts: accounts.Accounts
    idempotency: idempotency.Idempotency
    cases: cases.Cases
    people: people.People
    movements: movements.Movements
    facilities: facilities.Facilities
    contracts: contracts.Contracts
    peers: peers.Peers
    messages: messages.Messages
    audit: audit.AuditLog
    views: views.Views
    amendments: amendments.Amendments

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None:
        """Make the change and its events durable, the events appended to the audit log."""

    def close(self) -> None:
        """End the transaction (rolled back unless committed)."""

    def savepoint(self) -> AbstractContextManager[None]:
        """A part of the transaction that an exception leaving it undoes alone, the events
        recorded in it included."""

    def reading_ahead(self) -> UnitOfWork | None:
        """A reading unit of work for what this one may work out before its transaction, when
        that transaction will lock every other writer out (SQLite); None otherwise."""

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


class RecordsEvents:
    """The events a unit of work records, kept until its commit (shared by every implementation)."""

    def __init__(self) -> None:
        self._recorded: list[Event] = []

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
        """Append an event to the record inside this transaction. Every change is recorded, so
        a read-only token is refused here, whatever the change (and nothing of it is kept:
        the transaction is never committed)."""
        if principal.read_only:
            raise PermissionDenied(N_("this API token is read-only: it may change nothing"))
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
