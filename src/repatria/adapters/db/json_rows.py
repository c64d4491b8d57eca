"""Several tables' rows read by one PostgreSQL statement, given back as `Prepared` gives them.

A case's re-assessment reads eleven tables. Sent as eleven statements, even pipelined
(prepared.together), each cost the server its own execution and the driver its own round of
Python; here every table's rows come as one `json_agg` of whole rows, ordered by id, all in
one row of one statement. The JSON is turned back into the values each column's own type
gives (a date from its ISO text, a moment made timezone-aware, an enum from its value …), so
the callers cannot tell this from `Prepared.rows` per table, which tests/adapters/db/
test_json_rows.py checks value for value and type for type. PostgreSQL only: SQLite, in the
same process, has no round trips to save, and reads the tables one by one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, Table, func, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from repatria.adapters.db.prepared import Prepared

Converter = Callable[[Any], Any]
_PARSED: dict[type, Converter] = {date: date.fromisoformat, datetime: datetime.fromisoformat}


class RowsAsJson:
    """One SELECT of, for each (table, condition), the table's rows meeting the condition."""

    def __init__(self, parts: Sequence[tuple[Table, ColumnElement[bool]]]) -> None:
        self.tables = tuple(table for table, _ in parts)
        self.names: tuple[tuple[str, ...], ...] = tuple(
            tuple(str(c.key) for c in table.columns) for table in self.tables
        )
        columns = []
        for index, (table, condition) in enumerate(parts):
            rows = func.json_agg(aggregate_order_by(literal_column(table.name), table.c.id))
            aggregated = func.coalesce(rows, literal_column("'[]'::json"))
            columns.append(select(aggregated).where(condition).scalar_subquery().label(f"t{index}"))
        self._query = Prepared(select(*columns))
        self._converters: dict[str, tuple[tuple[tuple[str, Converter], ...], ...]] = {}

    def rows(
        self, connection: Connection, params: Mapping[str, Any] | None = None
    ) -> list[list[tuple[Any, ...]]]:
        """Each table's rows, in the order of the parts, each row's values in the order of
        the table's columns, converted as `Prepared.rows` would convert them."""
        (found,) = self._query.rows(connection, params)
        converters = self._converters.get(connection.dialect.name) or self._prepare(
            connection.dialect
        )
        made = []
        for names, convert, objects in zip(self.names, converters, found, strict=True):
            table_rows = []
            for values in objects:
                for name, converter in convert:
                    value = values[name]
                    if value is not None:
                        values[name] = converter(value)
                table_rows.append(tuple(values[name] for name in names))
            made.append(table_rows)
        return made

    def _prepare(self, dialect: Dialect) -> tuple[tuple[tuple[str, Converter], ...], ...]:
        made = tuple(
            tuple(
                (str(column.key), converter)
                for column in table.columns
                if (converter := _converter(column, dialect)) is not None
            )
            for table in self.tables
        )
        self._converters[dialect.name] = made
        return made


def _converter(column: Column[Any], dialect: Dialect) -> Converter | None:
    """From the column's value in JSON to what its type gives: JSON has no dates or moments,
    so those are parsed from their ISO text first; then the type's own result processing."""
    stored = column.type
    if isinstance(stored, TypeDecorator):
        stored = stored.impl_instance  # what it stores: a moment is a DateTime, an enum a str
    try:
        python_type = stored.python_type
    except NotImplementedError:
        python_type = object
    parse = _PARSED.get(python_type)
    process = column.type.dialect_impl(dialect).result_processor(dialect, None)
    if parse is not None and process is not None:
        return lambda value: process(parse(value))
    return parse or process
