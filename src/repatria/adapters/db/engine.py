"""Creating database engines for SQLite files and PostgreSQL servers."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url


def make_engine(url: str, *, reading: bool = False) -> Engine:
    """An engine with the pragmas and pool settings each backend needs.

    `reading` makes the engine for reads: its pool opens another connection rather than wait
    for one (the server's thread pool bounds how many requests read at once), and its
    transactions take no write lock."""
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
        # transaction would buy nothing but a BEGIN and a ROLLBACK: the readers run in
        # autocommit. They do not ping (SQLAlchemy's default): after a database restart a
        # stale connection fails one read and the pool is then replaced.
        return create_engine(url, pool_size=10, max_overflow=overflow, isolation_level="AUTOCOMMIT")
    # A writer waits at most LOCK_TIMEOUT for a row another transaction holds, then stops with
    # lock_not_available (the API's 503 with Retry-After), having written nothing.
    options = {"options": f"-c lock_timeout={LOCK_TIMEOUT}"}
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=overflow, connect_args=options
    )


LOCK_TIMEOUT = "1s"


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
    # one wait, so reads scale while writes stay serialised.
    connection.exec_driver_sql("BEGIN DEFERRED")


def _sqlite_begin(connection: Any) -> None:
    # Taking the write lock at BEGIN avoids the deadlock-prone read-then-upgrade of SQLite's
    # default deferred transactions when two writers race.
    wait_for_write_lock(connection.connection.driver_connection)


WAIT_FOR_WRITE_LOCK_S = 30.0


def wait_for_write_lock(driver: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, polling every fraction of a millisecond while another writer holds it.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 then 100 ms
    between tries, so a writer that came to a held lock often slept on long after it was
    free, and the lock sat idle. Only BEGIN waits so: once a transaction holds the lock,
    nothing else in it waits for a writer. A server's writers wait for their turn first
    (WriterGate), so one thread of a process at most polls here."""
    deadline = time.monotonic() + WAIT_FOR_WRITE_LOCK_S
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
        driver.execute(f"PRAGMA busy_timeout={int(WAIT_FOR_WRITE_LOCK_S * 1000)}")
