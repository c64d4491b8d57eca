"""The hottest statements, compiled once per dialect and run on the driver's own cursor.

SQLAlchemy's execution path (cache key, compiled-cache lookup, execution context, result
object) cost about 60 µs a statement on the 2-core benchmark host, against 8 µs for the
same indexed SELECT through the driver; a case transition runs some twenty statements and a
case read two. `Prepared` keeps SQLAlchemy for what it is good at here, writing the SQL for
each dialect and converting values, and skips the rest: parameters go through each bind
type's bind processor and every column through its type's result processor, so the values
are those `Connection.execute` would give (enums, dates, timezone-aware moments, JSON),
which tests/test_prepared.py checks against it on both databases.

It runs on the given Connection's driver connection, so inside that connection's
transaction; it begins one first if the connection has none yet (SQLite's BEGIN is issued by
the engine's `begin` listener, see engine.py). A driver error comes out as SQLAlchemy's own
(IntegrityError, OperationalError …), and a lost connection is invalidated, as `execute`
would do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

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
        made = _Compiled(
            sql=compiled.string,
            positional=positional,
            defaults=defaults,
            binds=tuple(processors),
            results=tuple(results),
            returns_rows=bool(columns),
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
