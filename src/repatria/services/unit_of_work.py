"""One unit of work per use case: the change and its audit event commit together or not at all."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, cast

import anyio.to_thread
from sqlalchemy import Connection, Engine, Text, bindparam, func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from repatria.adapters.db import tables as t
from repatria.adapters.db.engine import begin_on_loop, try_write_lock, wait_for_write_lock
from repatria.adapters.db.prepared import Prepared, together
from repatria.domain.accounts import Principal
from repatria.domain.audit import event_leaf, event_leaf_parts
from repatria.domain.events import Event
from repatria.domain.merkle import Frontier, leaf_hash


def utcnow() -> datetime:
    """The current moment, timezone-aware in UTC."""
    return datetime.now(UTC)


# How long a step run on the event loop waits for a row another transaction holds
# (PostgreSQL); the loop serves nothing else meanwhile. Writers hold the log head only from
# their last statements to their commit, a few milliseconds.
LOOP_LOCK_TIMEOUT = "1s"


def _on_a_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@dataclass(eq=False)
class _Waiter:
    """A unit waiting on an event loop for a turn; `given` once a turn was handed to it."""

    loop: asyncio.AbstractEventLoop
    handed: asyncio.Future[None]
    given: bool = False


def _hand(handed: asyncio.Future[None]) -> None:
    if not handed.done():
        handed.set_result(None)


class WriterGate:
    """How many units of work that write may run at once in this process.

    Writers meet at a lock in the database: SQLite's write lock, or the log head's row lock
    at commit on PostgreSQL. A thread that holds one also needs the GIL after every
    statement, and with a dozen other writer threads of its process busy in Python it waited
    for it each time (up to the 5 ms switch interval), holding the lock the whole while: under
    32 concurrent clients transitions ran at a third of their speed. Writers beyond the limit
    wait here instead, asleep and without the GIL. An API command's unit of work takes a slot
    when it first touches the database and gives it back at its commit or end (`gated`); the web
    pages take one for the request (`slot`). A slot is the unit's, not a thread's: the server
    makes and ends the unit on its event loop and works in it on a pool thread.
    """

    def __init__(self, limit: int, timeout_s: float = 30.0) -> None:
        self._slots = threading.BoundedSemaphore(limit)
        self._timeout_s = timeout_s
        # Units waiting on an event loop, first come first served: a slot given back while
        # any waits is handed to the first of them rather than to the semaphore.
        self._queue: deque[_Waiter] = deque()
        self._queued = threading.Lock()
        self._threads_waiting = 0

    def acquire(self) -> None:
        """Wait up to the timeout for a slot; TimeoutError when none comes free.

        A thread waiting here is served before units waiting on a loop (release): those keep
        coming under load, and a web page's command would otherwise wait out its timeout."""
        with self._queued:
            self._threads_waiting += 1
        got = False
        try:
            got = self._slots.acquire(timeout=self._timeout_s)
        finally:
            with self._queued:
                self._threads_waiting -= 1
            if not got and self._queue and self._slots.acquire(blocking=False):
                self.release()  # a slot freed for this thread, which gave up: to the loop's
        if not got:
            raise self._overloaded()

    async def acquire_async(self) -> None:
        """The same, for a unit on the event loop: it waits in its turn, without blocking the
        loop, and is handed the slot the moment one is given back (polling for it, a waiter
        that had backed off was overtaken by newcomers, and one in a hundred waited half a
        second)."""
        loop = asyncio.get_running_loop()
        with self._queued:
            if not self._queue and not self._threads_waiting and self._slots.acquire(False):
                return
            waiter = _Waiter(loop, loop.create_future())
            self._queue.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter.handed), self._timeout_s)
        except BaseException as gave_up:  # timed out, or the request was cancelled
            with self._queued:
                if waiter in self._queue:
                    self._queue.remove(waiter)
                given = waiter.given
            if given:  # handed the slot as it gave up: pass it on
                self.release()
            if isinstance(gave_up, TimeoutError):
                raise self._overloaded() from None
            raise

    def release(self) -> None:
        """Give the slot back (from any thread): to a waiting thread if there is one, else to
        the first unit waiting on a loop, if any."""
        with self._queued:
            while self._queue and not self._threads_waiting:
                waiter = self._queue.popleft()
                try:
                    waiter.loop.call_soon_threadsafe(_hand, waiter.handed)
                except RuntimeError:  # its loop has closed: nobody waits there any more
                    continue
                waiter.given = True
                return
            self._slots.release()

    def _overloaded(self) -> TimeoutError:
        return TimeoutError(f"no turn to write within {self._timeout_s:.0f} s: overloaded")

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold a slot for the block, waiting up to the timeout for one."""
        self.acquire()
        try:
            yield
        finally:
            self.release()


class UnitOfWork:
    """A database transaction that use cases open with `with uow:` and end with `uow.commit()`.

    Leaving the block without commit (or by an exception) rolls everything back, the events
    recorded inside it included.

    A reading unit of work (given the reading engine) opens no ORM session until something
    asks for one: a key read through `connection()` and `Prepared` needs only a pooled
    connection, and a session's set-up and tear-down cost as much as the read itself. A
    session asked for later joins that same connection and transaction.

    A unit of work given a WriterGate takes a turn from it when it first touches the database
    (in whichever thread does the work) and gives it back when it commits or ends. So the server can
    open one on its event loop and hand it to the command's thread: no extra hop to a thread
    only to wait for a turn or to create a session.
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        reading_engine: Engine | None = None,
        gate: WriterGate | None = None,
        ahead: Callable[[], UnitOfWork] | None = None,
        loop_engine: Engine | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._loop_engine = loop_engine
        self._reading_engine = reading_engine
        self._gate = gate
        self._ahead = ahead
        self._has_turn = False
        self._session: Session | None = None
        self._connection: Connection | None = None
        self._held: Connection | None = None  # the session's connection, once asked for
        self._began_ahead = False  # its write transaction begun by begin_writing
        self._recorded: list[Event] = []

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
            # Asked a dozen times a transition; the session's answer costs more than the query.
            # It stays the same until the transaction ends, which closes it.
            held = self._held
            if held is None or held.closed:
                held = self._held = self.session.connection()
            return held
        if self._connection is None:
            self._connection = self._reading_engine.connect()
        return self._connection

    def reading_ahead(self) -> UnitOfWork | None:
        """A reading unit of work for what this one may work out before its transaction.

        Given only where that transaction will lock every other writer out from its first
        statement to its end (SQLite's write lock; `ahead` from the container), and only
        while this one has not yet touched the database. What is read through it is a
        snapshot that may be gone by the time this one begins: use it only for work that
        is then checked against what this one reads (assessments.Foresight)."""
        if self._ahead is None or self._session is not None or self._connection is not None:
            return None
        return self._ahead()

    async def begin_writing(self) -> bool:
        """Take the turn and begin the write transaction from the event loop, without blocking it.

        For a gated unit that has not begun: True, and its work may then run on the event
        loop itself, with no thread to hand it to and no other thread of the process to take
        the GIL from it (docs/architecture.md). The turn is awaited. On SQLite the unit then
        holds the write lock: one try is made on the loop, and if another process holds it
        the waiting is done in a worker thread. On PostgreSQL the transaction begins, on the
        container's loop engine and in one round trip (engine.begin_on_loop), with a lock
        timeout (LOOP_LOCK_TIMEOUT): a row another transaction holds for longer stops the
        step with an error rather than the whole loop. False for any other unit (and on
        PostgreSQL without a loop engine): its work belongs in a thread, where it takes its
        turn when it first touches the database."""
        if self._gate is None or self._session is not None or self._connection is not None:
            return False
        engine = self._writing_engine()
        sqlite = engine.dialect.name == "sqlite"
        if not sqlite and self._loop_engine is None:
            return False
        await self._gate.acquire_async()
        self._has_turn = True
        connection = None
        try:
            if sqlite:
                connection = engine.connect()
                driver = cast(sqlite3.Connection, connection.connection.driver_connection)
                if not try_write_lock(driver):
                    await anyio.to_thread.run_sync(wait_for_write_lock, driver)
                connection.begin()  # SQLAlchemy's transaction over the one the driver began
            else:
                assert self._loop_engine is not None
                connection = begin_on_loop(self._loop_engine, LOOP_LOCK_TIMEOUT)
        except BaseException:
            if connection is not None:
                connection.close()  # rolled back by the pool: the lock, if taken, is freed
            self._give_turn_back()
            raise
        self._connection = connection
        self._began_ahead = True
        return True

    def _writing_engine(self) -> Engine:
        engine = self._session_factory.kw["bind"]
        assert isinstance(engine, Engine)
        return engine

    def close(self) -> None:
        """End the transaction (rolled back unless committed) and give back the connection
        and the writer's turn."""
        self._recorded = []
        self._held = None
        self._began_ahead = False
        try:
            if self._session is not None:  # kept: a closed session may be used again
                self._session.rollback()
                self._session.close()
            if self._connection is not None:
                connection, self._connection = self._connection, None
                connection.close()
        finally:
            self._give_turn_back()

    def __enter__(self) -> UnitOfWork:
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

        The writer's turn is given back with the commit, so the process's next command can
        begin while this one renders its answer and ends; used again, the unit takes a turn
        again for its new transaction."""
        events = self._recorded + [o for o in self.session.new if isinstance(o, Event)]
        self._recorded = []
        if events:
            for event in events:
                if event in self.session:
                    self.session.expunge(event)
            # The events' writes and the COMMIT go together (one round trip on PostgreSQL):
            # the log head is locked from its read to there.
            append_to_log(self.session, events, commit=True)
        self.session.commit()
        if self._began_ahead:
            # The session joined a transaction it did not begin and leaves its commit to us.
            # Session and connection end with it: used again, the unit begins afresh, with a
            # turn of its own (on the loop, only through begin_writing).
            self._began_ahead = False
            assert self._connection is not None
            connection, self._connection, self._held = self._connection, None, None
            try:
                connection.commit()
            finally:
                session, self._session = self._session, None
                if session is not None:
                    session.close()
                connection.close()
        self._give_turn_back()

    def _take_turn(self) -> None:
        if self._gate is not None and not self._has_turn:
            if _on_a_loop():
                # Waiting here would block the loop, and with it the unit the turn went to.
                raise RuntimeError("on the event loop a unit begins with `await begin_writing()`")
            self._gate.acquire()
            self._has_turn = True

    def _give_turn_back(self) -> None:
        if self._has_turn:
            self._has_turn = False
            self._gate.release()  # type: ignore[union-attr]

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


def append_to_log(session: Session, events: list[Event], *, commit: bool = False) -> None:
    """Number, hash and insert the events at the end of the log, inside the session's transaction.

    The other changes are flushed first, so the log head is locked only for the appending
    itself; the row lock (PostgreSQL) or BEGIN IMMEDIATE (SQLite) serialises writers, which
    keeps the sequence numbers contiguous whatever the commit order. With `commit`, the
    transaction's COMMIT goes to PostgreSQL together with the appending (prepared.together):
    the head is held until then, and every writer waits for it while another holds it. The
    session's own commit then has nothing left to send.

    On PostgreSQL the database's repatria_append_events (migration 0008) does the appending in
    the one statement, so the head is held for no round trip to the application; SQLite's
    writers hold its lock from BEGIN, and the application appends. Both lay out and hash the
    same leaves and move the same frontier, which `repatria audit verify` recomputes.
    """
    session.flush()
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _append_in_database(connection, events, commit)
        return
    size, packed = _LOG_HEAD.rows(connection)[0]
    frontier = Frontier.from_bytes(size, packed)
    runs: list[tuple[Prepared, dict[str, Any] | None]] = []
    for event in events:
        seq = frontier.size
        body = event_leaf(event, seq)
        hashed = leaf_hash(body)
        frontier.append(hashed)
        runs.append((_INSERT_EVENT, {"body": body.decode(), "hash": hashed}))
    moved = {"size": frontier.size, "root": frontier.root(), "frontier": frontier.to_bytes()}
    runs.append((_MOVE_LOG_HEAD, moved))
    *inserted, _ = together(connection, runs, commit=commit)
    for event, ((event_id,),) in zip(events, inserted, strict=True):
        event.id = event_id


def _append_in_database(connection: Connection, events: list[Event], commit: bool) -> None:
    if not events:
        return  # nothing to append; the connection's own commit commits
    parts = [event_leaf_parts(event) for event in events]
    heads = "\n".join(head for head, _ in parts)
    tails = "\n".join(tail for _, tail in parts)
    if heads.count("\n") != len(events) - 1 or tails.count("\n") != len(events) - 1:
        raise ValueError("a leaf holds a line break, which canonical JSON never does")
    [appended] = together(
        connection, [(_APPEND_EVENTS, {"heads": heads, "tails": tails})], commit=commit
    )
    for event, (event_id,) in zip(events, appended, strict=True):
        event.id = event_id


# The appending runs on every change, so its statements run lean (adapters/db/prepared.py).
_LOG_HEAD = Prepared(
    select(t.audit_log_head.c.size, t.audit_log_head.c.frontier)
    .where(t.audit_log_head.c.id == 1)
    .with_for_update()
)
# An event is stored as its leaf; the database derives its other columns (leaf_columns.py).
_INSERT_EVENT = Prepared(
    insert(t.events)
    .values(body=bindparam("body"), leaf_hash=bindparam("hash"))
    .returning(t.events.c.id)
)
_APPEND_EVENTS = Prepared(
    select(
        func.repatria_append_events(bindparam("heads", type_=Text), bindparam("tails", type_=Text))
    )
)
_MOVE_LOG_HEAD = Prepared(
    update(t.audit_log_head)
    .where(t.audit_log_head.c.id == 1)
    .values(size=bindparam("size"), root_hash=bindparam("root"), frontier=bindparam("frontier"))
)
