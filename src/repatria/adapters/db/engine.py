"""Creating database engines for SQLite files and PostgreSQL servers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url


def make_engine(url: str, *, never_wait: bool = False) -> Engine:
    """An engine with the pragmas and pool settings each backend needs.

    `never_wait` gives a pool that opens another connection rather than wait for one: the
    reading engine's, whose short reads run on the server's event loop, where waiting for a
    connection that only the loop itself would give back could stall the worker."""
    overflow = -1 if never_wait else 20
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        pool = {"pool_size": 10, "max_overflow": overflow}
        engine = create_engine(url, connect_args={"timeout": 30}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    if never_wait:
        # PostgreSQL's READ COMMITTED gives every statement its own snapshot, so a reading
        # transaction bought nothing but a BEGIN and a ROLLBACK round trip; the readers run
        # in autocommit. Nor do they ping before each use (another round trip, an eighth of a
        # case read): after a database restart a stale connection fails one read and
        # SQLAlchemy then replaces the whole pool. Commands keep pinging: none should fail so.
        return create_engine(url, pool_size=10, max_overflow=overflow, isolation_level="AUTOCOMMIT")
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=overflow)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off so that BEGIN below is ours.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


READ_ONLY = {"sqlite_begin": "DEFERRED"}  # execution options of a reading engine


def _sqlite_begin_immediate(connection: Any) -> None:
    # Taking the write lock at BEGIN avoids the deadlock-prone read-then-upgrade of SQLite's
    # default deferred transactions when two writers race. Readers (an engine with READ_ONLY
    # options) begin deferred instead: under WAL they then neither wait for a writer nor
    # make one wait, so reads scale while writes stay serialised.
    mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    if mode not in ("IMMEDIATE", "DEFERRED"):
        raise ValueError(f"sqlite_begin must be IMMEDIATE or DEFERRED, not {mode!r}")
    # Straight to the driver: through SQLAlchemy's execution path it cost a tenth of a read.
    connection.connection.driver_connection.execute(f"BEGIN {mode}")
