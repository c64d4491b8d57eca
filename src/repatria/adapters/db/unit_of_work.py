"""The unit of work on SQLAlchemy: one transaction per use case, its events appended to the
Merkle log at commit (services/unit_of_work.py holds the protocol the services use)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from repatria.adapters.db import tables as t
from repatria.adapters.db.repositories.accounts import SqlAccounts
from repatria.adapters.db.repositories.amendments import SqlAmendments
from repatria.adapters.db.repositories.audit import SqlAuditLog
from repatria.adapters.db.repositories.cases import SqlCases
from repatria.adapters.db.repositories.contracts import SqlContracts
from repatria.adapters.db.repositories.facilities import SqlFacilities
from repatria.adapters.db.repositories.idempotency import SqlIdempotency
from repatria.adapters.db.repositories.messages import SqlMessages
from repatria.adapters.db.repositories.movements import SqlMovements
from repatria.adapters.db.repositories.peers import SqlPeers
from repatria.adapters.db.repositories.people import SqlPeople
from repatria.adapters.db.repositories.views import SqlViews
from repatria.domain.audit import event_leaf
from repatria.domain.events import Event
from repatria.domain.merkle import Frontier, leaf_hash
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
from repatria.services.unit_of_work import RecordsEvents, WriterGate


class SqlUnitOfWork(RecordsEvents):
    """A database transaction that use cases open with `with uow:` and end with `uow.commit()`.

    Leaving the block without commit (or by an exception) rolls everything back, the events
    recorded inside it included. A change that collides with another writer's (a stale
    version, a duplicate key) comes out of it as the domain's Conflict (the session's
    factory and the engine see to that: adapters/db/conflicts.py).

    A reading unit of work (given the reading engine) opens no ORM session until something
    asks for one: a read by key through `connection()` needs only a pooled connection. A
    session asked for later joins that same connection and transaction.

    A unit of work given a WriterGate takes a turn from it when it first touches the database
    and gives it back when it commits or ends.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        reading_engine: Engine | None = None,
        gate: WriterGate | None = None,
        ahead: Callable[[], SqlUnitOfWork] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._reading_engine = reading_engine
        self._gate = gate
        self._ahead = ahead
        self._has_turn = False
        self._session: Session | None = None
        self._connection: Connection | None = None
        super().__init__()
        self.accounts: accounts.Accounts = SqlAccounts(self)
        self.idempotency: idempotency.Idempotency = SqlIdempotency(self)
        self.cases: cases.Cases = SqlCases(self)
        self.people: people.People = SqlPeople(self)
        self.movements: movements.Movements = SqlMovements(self)
        self.facilities: facilities.Facilities = SqlFacilities(self)
        self.contracts: contracts.Contracts = SqlContracts(self)
        self.peers: peers.Peers = SqlPeers(self)
        self.messages: messages.Messages = SqlMessages(self)
        self.audit: audit.AuditLog = SqlAuditLog(self)
        self.views: views.Views = SqlViews(self)
        self.amendments: amendments.Amendments = SqlAmendments(self)

    @property
    def session(self) -> Session:
        """The ORM session of this unit of work (opened on first use when reading or gated)."""
        if self._session is None:
            self._take_turn()
            if self._connection is not None:
                self._session = self._session_factory(bind=self._connection)
            else:
                self._session = self._session_factory()
        elif not self._has_turn and self._gate is not None and not self._session.in_transaction():
            self._take_turn()  # used again after its commit: a new transaction, a new turn
        return self._session

    def connection(self) -> Connection:
        """The connection this unit of work's statements run on, in its transaction."""
        if self._session is not None or self._reading_engine is None:
            return self.session.connection()
        if self._connection is None:
            self._connection = self._reading_engine.connect()
        return self._connection

    def reading_ahead(self) -> SqlUnitOfWork | None:
        """A reading unit of work for what this one may work out before its transaction.

        Given only where that transaction will lock every other writer out from its first
        statement to its end (SQLite's write lock; `ahead` from the container), and only
        while this one has not yet touched the database. What is read through it is a
        snapshot that may be gone by the time this one begins: use it only for work that
        is then checked against what this one reads (assessments.Foresight)."""
        if self._ahead is None or self._session is not None or self._connection is not None:
            return None
        return self._ahead()

    def close(self) -> None:
        """End the transaction (rolled back unless committed) and give back the connection
        and the writer's turn."""
        self._recorded = []
        try:
            if self._session is not None:  # kept: a closed session may be used again
                self._session.rollback()
                self._session.close()
            if self._connection is not None:
                connection, self._connection = self._connection, None
                connection.close()
        finally:
            self._give_turn_back()

    def __enter__(self) -> SqlUnitOfWork:
        self._recorded = []
        if self._reading_engine is None and self._gate is None:
            self._session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def commit(self) -> None:
        """Make the change and its events durable, the events appended to the Merkle log.

        The writer's turn is given back with the commit; used again, the unit takes a turn
        again for its new transaction."""
        session = self.session
        events = self._recorded + [o for o in session.new if isinstance(o, Event)]
        self._recorded = []
        if events:
            for event in events:
                if event in session:
                    session.expunge(event)
            append_to_log(session, events)
        session.commit()
        self._give_turn_back()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the transaction that an exception leaving it undoes alone, the events
        recorded in it included (the exchange's inbox records a refusal and nothing of what
        the refused message began)."""
        mark = len(self._recorded)
        try:
            with self.session.begin_nested():
                yield
        except BaseException:
            del self._recorded[mark:]
            raise

    def _take_turn(self) -> None:
        if self._gate is not None and not self._has_turn:
            self._gate.acquire()
            self._has_turn = True

    def _give_turn_back(self) -> None:
        if self._has_turn:
            self._has_turn = False
            self._gate.release()  # type: ignore[union-attr]


def append_to_log(session: Session, events: list[Event]) -> None:
    """Number, hash and insert the events at the end of the log, inside the session's transaction.

    The other changes are flushed first, so the log head is locked only for the appending
    itself; the row lock (PostgreSQL) or BEGIN IMMEDIATE (SQLite) serialises writers, which
    keeps the sequence numbers contiguous whatever the commit order. An event is stored as
    its leaf; the database derives its other columns (adapters/db/leaf_columns.py).
    """
    session.flush()
    connection = session.connection()
    size, packed = connection.execute(_LOG_HEAD).one()
    frontier = Frontier.from_bytes(size, packed)
    for event in events:
        body = event_leaf(event, frontier.size)
        hashed = leaf_hash(body)
        frontier.append(hashed)
        event.id = connection.execute(
            _INSERT_EVENT, {"body": body.decode(), "leaf_hash": hashed}
        ).scalar_one()
    moved = {"size": frontier.size, "root_hash": frontier.root(), "frontier": frontier.to_bytes()}
    connection.execute(_MOVE_LOG_HEAD, moved)


_LOG_HEAD = (
    select(t.audit_log_head.c.size, t.audit_log_head.c.frontier)
    .where(t.audit_log_head.c.id == 1)
    .with_for_update()
)
_INSERT_EVENT = insert(t.events).returning(t.events.c.id)
_MOVE_LOG_HEAD = update(t.audit_log_head).where(t.audit_log_head.c.id == 1)
