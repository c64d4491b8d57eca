"""Creating database engines for SQLite files and PostgreSQL servers."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from repatria.adapters.db.prepared import run_script


def make_engine(url: str, *, reading: bool = False, on_loop: bool = False) -> Engine:
    """An engine with the pragmas and pool settings each backend needs.

    `reading` makes the engine for reads: its pool opens another connection rather than wait
    for one (its short reads run on the server's event loop, where waiting for a connection
    that only the loop itself would give back could stall the worker), and its transactions
    take no write lock. `on_loop` makes PostgreSQL's engine for the commands the server runs
    on its event loop, whose transactions Repatria begins itself (begin_on_loop)."""
    overflow = -1 if reading else 20
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        require_sqlite(sqlite3.sqlite_version_info)
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        pool = {"pool_size": 10, "max_overflow": overflow}
        engine = create_engine(url, connect_args={"timeout": WAIT_FOR_WRITE_LOCK_S}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_deferred if reading else _sqlite_begin)
        return engine
    if reading:
        # PostgreSQL's READ COMMITTED gives every statement its own snapshot, so a reading
        # transaction bought nothing but a BEGIN and a ROLLBACK round trip; the readers run
        # in autocommit. Nor do they ping before each use (another round trip, an eighth of a
        # case read): after a database restart a stale connection fails one read and
        # SQLAlchemy then replaces the whole pool. Commands keep pinging: none should fail so.
        return create_engine(
            url,
            pool_size=10,
            max_overflow=overflow,
            isolation_level="AUTOCOMMIT",
            connect_args=LIBPQ_CONNECT_ARGS,
        )
    if on_loop:
        # The driver begins no transaction of its own here (its BEGIN cost a round trip of
        # its own); begin_on_loop sends BEGIN with the lock timeout, and that BEGIN is the
        # ping too. A process runs one such command at a time (WriterGate).
        return create_engine(
            url,
            pool_size=2,
            max_overflow=overflow,
            isolation_level="AUTOCOMMIT",
            connect_args=LIBPQ_CONNECT_ARGS,
        )
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=overflow)


# The reading and loop engines' statements go to libpq itself (prepared.py: _Libpq), which
# prepares them on the server under names of its own. The driver prepares none of its own
# there: it would DEALLOCATE ALL at every rollback, Repatria's with its own.
LIBPQ_CONNECT_ARGS: dict[str, Any] = {"prepare_threshold": None}


def begin_on_loop(engine: Engine, lock_timeout: str) -> Connection:
    """A connection of an `on_loop` PostgreSQL engine, in a transaction that waits at most
    `lock_timeout` for a row lock: BEGIN and SET LOCAL go in one round trip, the first
    statement on the connection. A connection found dead by it (the server restarted since
    it was pooled) is replaced once, as the ping the other engines make would replace it.

    The transaction ends with the connection's commit (psycopg sends COMMIT for a session in
    a transaction even in autocommit) or, on return to the pool, its rollback."""
    begin = f"BEGIN; SET LOCAL lock_timeout = '{lock_timeout}'"
    for attempt in (1, 2):
        connection = engine.connect()
        try:
            connection.begin()  # SQLAlchemy's bookkeeping; the driver sends nothing for it
            run_script(connection, begin)  # one simple-query message
            return connection
        except DBAPIError as exc:
            connection.close()
            if attempt == 2 or not exc.connection_invalidated:
                raise
    raise AssertionError("unreachable")


# The events table derives its JSON columns with the `->` operator (adapters/db/leaf_columns.py).
SQLITE_AT_LEAST = (3, 38, 0)


def require_sqlite(version: tuple[int, ...]) -> None:
    """Refuse, naming both versions, a SQLite library too old for Repatria's schema."""
    if tuple(version) < SQLITE_AT_LEAST:
        found = ".".join(map(str, version))
        wanted = ".".join(map(str, SQLITE_AT_LEAST))
        raise RuntimeError(
            f"SQLite {found} is too old: Repatria needs {wanted} or newer (its JSON functions "
            "derive the event columns); use a Python built with a newer SQLite, or PostgreSQL"
        )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off so that BEGIN below is ours.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(WAIT_FOR_WRITE_LOCK_S * 1000)}")
    cursor.close()


def _sqlite_begin_deferred(connection: Any) -> None:
    # The reading engine's: under WAL a deferred reader neither waits for a writer nor makes
    # one wait, so reads scale while writes stay serialised. Straight to the driver: through
    # SQLAlchemy's execution path the BEGIN cost a tenth of a case read.
    connection.connection.driver_connection.execute("BEGIN DEFERRED")


def _sqlite_begin(connection: Any) -> None:
    # Taking the write lock at BEGIN avoids the deadlock-prone read-then-upgrade of SQLite's
    # default deferred transactions when two writers race. A driver connection already in a
    # transaction took the lock itself, without blocking (try_write_lock, wait_for_write_lock).
    driver = connection.connection.driver_connection
    if not driver.in_transaction:
        wait_for_write_lock(driver)


def try_write_lock(driver: sqlite3.Connection) -> bool:
    """One try at BEGIN IMMEDIATE on this driver connection, without waiting: True if it now
    holds the write lock, False if another connection does."""
    driver.execute("PRAGMA busy_timeout=0")
    try:
        driver.execute("BEGIN IMMEDIATE")
        return True
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise
        return False
    finally:
        driver.execute(f"PRAGMA busy_timeout={int(WAIT_FOR_WRITE_LOCK_S * 1000)}")


WAIT_FOR_WRITE_LOCK_S = 30.0


# One thread of a process polls for the write lock; the others wait on this lock, asleep and
# without the GIL. With every waiting thread polling, their wake-ups took the GIL from the
# thread holding the database lock so often that it worked at half speed.
_POLLER = threading.Lock()


def wait_for_write_lock(driver: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, polling every fraction of a millisecond while another writer holds it.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 then 100 ms
    between tries, so a writer that came to a held lock often slept on long after it was
    free, and the lock sat idle. Only BEGIN waits so: once a transaction holds the lock,
    nothing else in it waits for a writer."""
    deadline = time.monotonic() + WAIT_FOR_WRITE_LOCK_S
    if not _POLLER.acquire(timeout=WAIT_FOR_WRITE_LOCK_S):
        raise sqlite3.OperationalError("database is locked (no turn to take the write lock)")
    driver.execute("PRAGMA busy_timeout=0")
    pause = 0.0001
    try:
        while True:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, 0.001)
    finally:
        _POLLER.release()
        driver.execute(f"PRAGMA busy_timeout={int(WAIT_FOR_WRITE_LOCK_S * 1000)}")
