"""The hottest statements, compiled once per dialect and run on the driver's own cursor.

SQLAlchemy's execution path (cache key, compiled-cache lookup, execution context, result
object) cost about 60 µs a statement on the 2-core benchmark host, against 8 µs for the
same indexed SELECT through the driver; a case transition runs some twenty statements and a
case read two. `Prepared` keeps SQLAlchemy for what it is good at here, writing the SQL for
each dialect and converting values, and skips the rest: parameters go through each bind
type's bind processor and every column through its type's result processor, so the values
are those `Connection.execute` would give (enums, dates, timezone-aware moments, JSON),
which tests/test_prepared.py checks against it on both databases.

On PostgreSQL a statement goes further down, to libpq itself (`_Libpq`): psycopg's cursor,
its query conversion and its prepared-statement bookkeeping cost some 80 µs of Python a
statement on that host, against 40 µs for libpq's own call, and a transition runs seven.
psycopg still converts every value both ways (its Transformer, the cursor's own), so the values
are the driver's; only the sending, the waiting and the naming of prepared statements are
Repatria's (a connection's statements are prepared on their first use, as the driver would
after five).

It runs on the given Connection's driver connection, so inside that connection's
transaction; it begins one first if the connection has none yet (SQLite's BEGIN is issued by
the engine's `begin` listener, see engine.py). A driver error comes out as SQLAlchemy's own
(IntegrityError, OperationalError …), and a lost connection is invalidated, as `execute`
would do.
"""

from __future__ import annotations

import re
import select
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, cast

import psycopg
from psycopg import pq
from psycopg.abc import Transformer as Converting
from psycopg.adapt import PyFormat, Transformer
from psycopg.errors import error_from_result
from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.expression import ClauseElement, Executable, ReturnsRows

Processor = Callable[[Any], Any]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: tuple[str, ...] | None  # parameter order for a positional paramstyle
    defaults: dict[str, Any]  # values bound in the statement itself (e.g. a == "case")
    binds: tuple[tuple[str, Processor], ...]  # parameters whose type converts them
    results: tuple[tuple[int, Processor], ...]  # columns whose type converts them
    returns_rows: bool
    # PostgreSQL: the SQL with $1, $2 … for libpq, and the parameters in that order.
    numbered: bytes | None = None
    numbered_names: tuple[str, ...] = ()

    def converted(self, found: list[Any]) -> list[tuple[Any, ...]]:
        """The driver's rows with every column its type converts converted."""
        if not self.results:
            return [tuple(row) for row in found]
        converted = []
        for row in found:
            values = list(row)
            for index, process in self.results:
                values[index] = process(values[index])
            converted.append(tuple(values))
        return converted


class Prepared:
    """One Core statement (a SELECT, or DML with or without RETURNING) ready to run lean."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        columns = statement.exported_columns if isinstance(statement, ReturnsRows) else ()
        self.names: tuple[str, ...] = tuple(str(c.key) for c in columns)
        self._by_dialect: dict[str, _Compiled] = {}

    def rows(
        self, connection: Connection, params: Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """Run the statement with these parameters; the rows it returns, values converted."""
        compiled, arguments = self._bound(connection, params)
        libpq = _Libpq.of(connection, compiled)
        if libpq is not None:
            try:
                return compiled.converted(libpq.run(compiled, arguments))
            except psycopg.Error as exc:
                raise _wrapped(connection, compiled.sql, arguments, exc, None) from exc
        cursor = _driver(connection).cursor()
        try:
            cursor.execute(compiled.sql, arguments)
            found = cursor.fetchall() if compiled.returns_rows else []
        except connection.dialect.loaded_dbapi.Error as exc:
            raise _wrapped(connection, compiled.sql, arguments, exc, cursor) from exc
        finally:
            cursor.close()
        return compiled.converted(found)

    def _bound(
        self, connection: Connection, params: Mapping[str, Any] | None
    ) -> tuple[_Compiled, Sequence[Any] | Mapping[str, Any]]:
        # The statement for this connection's dialect and its arguments, converted; the
        # connection's transaction begun if it had none.
        compiled = self._by_dialect.get(connection.dialect.name) or self._compile(
            connection.dialect
        )
        values = dict(compiled.defaults)
        if params:
            values.update(params)
        for name, process in compiled.binds:
            values[name] = process(values[name])
        arguments: Sequence[Any] | Mapping[str, Any] = values
        if compiled.positional is not None:
            arguments = tuple(values[name] for name in compiled.positional)
        if not connection.in_transaction():
            connection.begin()
        return compiled, arguments

    def first(
        self, connection: Connection, params: Mapping[str, Any] | None = None
    ) -> tuple[Any, ...] | None:
        """The first row, or None."""
        found = self.rows(connection, params)
        return found[0] if found else None

    def mappings(
        self, connection: Connection, params: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """The rows as dictionaries keyed by column name."""
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.rows(connection, params)]

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled: Any = cast(ClauseElement, self.statement).compile(dialect=dialect)
        binds = compiled.binds  # name -> BindParameter
        if any(bind.expanding for bind in binds.values()):
            raise TypeError("Prepared does not take expanding IN parameters; use a subquery")
        defaults = {
            name: bind.effective_value
            for name, bind in binds.items()
            if not (bind.required and bind.value is None and bind.callable is None)
        }
        processors = []
        for name, bind in binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors.append((name, process))
        results = []
        columns = self.statement.exported_columns if isinstance(self.statement, ReturnsRows) else ()
        for index, column in enumerate(columns):
            process = column.type.dialect_impl(dialect).result_processor(dialect, None)
            if process is not None:
                results.append((index, process))
        positional = tuple(compiled.positiontup) if compiled.positional else None
        numbered: bytes | None = None
        numbered_names: tuple[str, ...] = ()
        if dialect.driver == "psycopg" and positional is None:
            numbered, numbered_names = _numbered(compiled.string)
        made = _Compiled(
            sql=compiled.string,
            positional=positional,
            defaults=defaults,
            binds=tuple(processors),
            results=tuple(results),
            returns_rows=bool(columns),
            numbered=numbered,
            numbered_names=numbered_names,
        )
        self._by_dialect[dialect.name] = made
        return made


def together(
    connection: Connection,
    runs: Sequence[tuple[Prepared, Mapping[str, Any] | None]],
    *,
    commit: bool = False,
) -> list[list[tuple[Any, ...]]]:
    """Run these statements in this order, each one's rows as `Prepared.rows` gives them.

    On PostgreSQL they go to the server in one pipeline: one round trip for them all, where
    one after another each cost its own (and every round trip on the 2-core host also costs
    the switches to the server's process and back). With `commit`, the transaction's COMMIT
    goes in the same round trip, and the connection's own commit afterwards has nothing left
    to send. On SQLite, in the same process, the statements simply run one after another,
    and `commit` is left to the connection's commit. The first that fails raises, as `rows`
    would raise it, and those after it (the COMMIT too) do not run."""
    if connection.dialect.driver != "psycopg" or (len(runs) < 2 and not commit):
        return [prepared.rows(connection, params) for prepared, params in runs]
    bound = [prepared._bound(connection, params) for prepared, params in runs]
    libpq = _Libpq.of(connection, *(compiled for compiled, _ in bound))
    if libpq is not None:
        try:
            found = libpq.pipeline(bound, commit=commit)
        except _Failed as failure:
            sql, arguments = "COMMIT", None
            if failure.index is not None:
                sql, arguments = bound[failure.index][0].sql, bound[failure.index][1]
            raise _wrapped(connection, sql, arguments, failure.error, None) from failure.error
        except psycopg.Error as exc:
            raise _wrapped(connection, bound[0][0].sql, bound[0][1], exc, None) from exc
        return [compiled.converted(rows) for (compiled, _), rows in zip(bound, found, strict=True)]
    driver = _driver(connection)
    cursors = [driver.cursor() for _ in bound]
    try:
        with driver.pipeline():
            for cursor, (compiled, arguments) in zip(cursors, bound, strict=True):
                cursor.execute(compiled.sql, arguments)
            if commit:
                driver.commit()
        return [
            compiled.converted(cursor.fetchall() if compiled.returns_rows else [])
            for cursor, (compiled, _) in zip(cursors, bound, strict=True)
        ]
    except connection.dialect.loaded_dbapi.Error as exc:
        # The failing statement is the first without a result: those after it were skipped.
        # With a result for every one, it was the COMMIT.
        failed = next((i for i, c in enumerate(cursors) if c.pgresult is None), None)
        if failed is None:
            raise _wrapped(connection, "COMMIT", None, exc, cursors[-1]) from exc
        compiled, arguments = bound[failed]
        raise _wrapped(connection, compiled.sql, arguments, exc, cursors[failed]) from exc
    finally:
        for cursor in cursors:
            cursor.close()


def run_script(connection: Connection, sql: str) -> None:
    """Send parameterless SQL (one statement or several) in one simple-query message, as
    `exec_driver_sql` would, for what it returns nothing of: through libpq where Prepared's
    statements go there, its errors raised as theirs are."""
    libpq = _Libpq.of(connection)
    if libpq is None:
        connection.exec_driver_sql(sql)
        return
    if not connection.in_transaction():
        connection.begin()
    result = libpq.pgconn.exec_(sql.encode())
    if result.status not in _SUCCEEDED:
        exc = libpq._error(result)
        raise _wrapped(connection, sql, None, exc, None) from exc


def _driver(connection: Connection) -> Any:
    return connection.connection.driver_connection


def _wrapped(
    connection: Connection, sql: str, arguments: Any, exc: Exception, cursor: Any
) -> BaseException:
    """The driver's error as SQLAlchemy raises it from `execute`: the same classes
    (IntegrityError, OperationalError …) for the callers and handlers that catch them, and a
    lost connection invalidated, so the pool replaces it rather than hand it out again."""
    dialect = connection.dialect
    lost = dialect.is_disconnect(exc, connection.connection, cursor)  # type: ignore[arg-type]
    if lost:
        connection.invalidate(exc)
    base = dialect.loaded_dbapi.Error
    return DBAPIError.instance(
        sql, arguments, exc, base, connection_invalidated=lost, dialect=dialect
    )


_PYFORMAT = re.compile(r"%\(([^)]+)\)s|%%")


def _numbered(sql: str) -> tuple[bytes | None, tuple[str, ...]]:
    """SQLAlchemy's psycopg SQL (`%(name)s`, `%%` for `%`) as libpq takes it (`$1` …), and the
    parameters' names in that order; None for SQL that is not ASCII (the driver sends that)."""
    order: dict[str, int] = {}

    def number(found: re.Match[str]) -> str:
        name = found.group(1)
        if name is None:
            return "%"
        return f"${order.setdefault(name, len(order) + 1)}"

    converted = _PYFORMAT.sub(number, sql)
    if not converted.isascii():
        return None, ()
    return converted.encode("ascii"), tuple(order)


class _Failed(Exception):
    """A pipeline's failing statement (its index; None for the COMMIT) and the driver's error."""

    def __init__(self, index: int | None, error: psycopg.Error) -> None:
        super().__init__(str(error))
        self.index, self.error = index, error


class _Libpq:
    """A psycopg connection's libpq, running Prepared statements (the module's docstring).

    Only on a connection whose driver prepares no statements of its own (engine.py:
    LIBPQ_CONNECT_ARGS; it would deallocate them all at a rollback, these with them), and
    where the driver would send nothing of its own first: in a transaction, or in
    autocommit. A statement that would begin the driver's transaction goes through it."""

    _of: ClassVar[weakref.WeakKeyDictionary[Any, _Libpq]] = weakref.WeakKeyDictionary()

    def __init__(self, driver: Any) -> None:
        # Not the driver itself: held here, it would keep its own key in `_of` alive.
        self._driver = weakref.ref(driver)
        self.pgconn = driver.pgconn
        # Each statement prepared on this connection, by SQL and parameter types.
        self.statements: dict[tuple[bytes, tuple[int, ...]], bytes] = {}

    @classmethod
    def of(cls, connection: Connection, *compiled: _Compiled) -> _Libpq | None:
        """This connection's, when its statements may go to libpq; None otherwise."""
        if connection.dialect.driver != "psycopg" or any(c.numbered is None for c in compiled):
            return None
        driver = _driver(connection)
        if driver.prepare_threshold is not None:
            return None  # the driver prepares statements, and deallocates them all (engine.py)
        pgconn = driver.pgconn
        if pgconn.pipeline_status != _NO_PIPELINE:
            return None  # inside the driver's own pipeline: libpq's calls are not allowed
        status = pgconn.transaction_status
        if status not in _RUNNING and not (status == _IDLE and driver.autocommit):
            return None
        found = cls._of.get(driver)
        if found is None:
            found = cls._of[driver] = cls(driver)
        return found

    def run(self, compiled: _Compiled, arguments: Any) -> list[tuple[Any, ...]]:
        """One statement's rows, as the driver's cursor would give them."""
        transformer = Transformer(self.driver)
        name, values = self._prepared(transformer, compiled, arguments)
        result = self.pgconn.exec_prepared(name, values, transformer.formats)
        if result.status not in _SUCCEEDED:
            raise self._error(result)
        return _loaded(transformer, result)

    def pipeline(
        self, bound: Sequence[tuple[_Compiled, Any]], *, commit: bool
    ) -> list[list[tuple[Any, ...]]]:
        """Several statements' rows, sent in one pipeline (and the COMMIT after them);
        _Failed names the first that failed."""
        sent = []
        for index, (compiled, arguments) in enumerate(bound):
            transformer = Transformer(self.driver)
            try:  # a statement not prepared yet is prepared first, on its own
                name, values = self._prepared(transformer, compiled, arguments)
            except psycopg.Error as exc:
                raise _Failed(index, exc) from exc
            sent.append((transformer, name, values))
        pgconn = self.pgconn
        pgconn.enter_pipeline_mode()
        try:
            for transformer, name, values in sent:
                pgconn.send_query_prepared(name, values, transformer.formats)
            if commit:
                pgconn.send_query_params(b"COMMIT", None)
            pgconn.pipeline_sync()
            results = self._results()
        finally:
            self._leave_pipeline()
        for index, result in enumerate(results):
            if result.status not in _SUCCEEDED:
                failed = index if index < len(sent) else None
                raise _Failed(failed, self._error(result))
        return [
            _loaded(transformer, result)
            for (transformer, *_), result in zip(sent, results[: len(sent)], strict=True)
        ]

    def _prepared(
        self, transformer: Converting, compiled: _Compiled, arguments: Any
    ) -> tuple[bytes, Sequence[Any]]:
        params = [arguments[name] for name in compiled.numbered_names]
        values = transformer.dump_sequence(params, [PyFormat.AUTO] * len(params))
        assert compiled.numbered is not None
        key = (compiled.numbered, tuple(transformer.types or ()))
        name = self.statements.get(key)
        if name is None:
            name = b"repatria_%d" % len(self.statements)
            result = self.pgconn.prepare(name, compiled.numbered, transformer.types)
            if result.status not in _SUCCEEDED:
                raise self._error(result)
            self.statements[key] = name
        return name, values

    def _results(self) -> list[Any]:
        # Every statement's result up to the pipeline's sync point, waiting on the socket as
        # libpq asks in nonblocking mode (psycopg's): what does not fit the socket yet is sent
        # as the server reads, and the server's answers are read as they come.
        pgconn = self.pgconn
        while pgconn.flush():
            if _wait(pgconn.socket, write=True):
                pgconn.consume_input()
        results: list[Any] = []
        while True:
            if pgconn.is_busy():
                _wait(pgconn.socket, write=False)
                pgconn.consume_input()
                continue
            result = pgconn.get_result()
            if result is None:  # the end of one statement's results
                continue
            if result.status == pq.ExecStatus.PIPELINE_SYNC:
                return results
            results.append(result)

    def _leave_pipeline(self) -> None:
        try:
            self.pgconn.exit_pipeline_mode()
        except psycopg.Error:
            # Results left unread (interrupted while waiting): the connection cannot be used
            # again as it is. Closed, it fails its next use and the pool replaces it.
            self.pgconn.finish()

    @property
    def driver(self) -> Any:
        driver = self._driver()
        assert driver is not None, "used only while its connection is"
        return driver

    def _error(self, result: Any) -> psycopg.Error:
        error = error_from_result(result, encoding=self.driver.info.encoding)
        if self.pgconn.status == pq.ConnStatus.BAD and not isinstance(
            error, psycopg.OperationalError
        ):
            # The connection is gone (the server ended it, or the network): as the driver
            # raises it, so the pool is told to replace the connection.
            return psycopg.OperationalError(str(error))
        return error


_SUCCEEDED = (pq.ExecStatus.TUPLES_OK, pq.ExecStatus.COMMAND_OK)
_IDLE = pq.TransactionStatus.IDLE
_NO_PIPELINE = pq.PipelineStatus.OFF
_RUNNING = (pq.TransactionStatus.INTRANS, pq.TransactionStatus.INERROR)


def _loaded(transformer: Converting, result: Any) -> list[tuple[Any, ...]]:
    if result.status != pq.ExecStatus.TUPLES_OK:
        return []
    transformer.set_pgresult(result)
    return cast(list[tuple[Any, ...]], transformer.load_rows(0, result.ntuples, tuple))


def _wait(fd: int, *, write: bool) -> bool:
    """Wait until the socket can be read, or (`write`) read or written; True when readable."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(fd, select.POLLIN | (select.POLLOUT if write else 0))
        return any(
            events & (select.POLLIN | select.POLLERR | select.POLLHUP)
            for _, events in poller.poll()
        )
    readable, _, _ = select.select([fd], [fd] if write else [], [])
    return bool(readable)
